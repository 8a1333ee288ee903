//! `fibonacci()`: the seed's infinite generator, and a `u64` flavour for
//! benchmarks.
//!
//! ```python
//! def fibonacci():
//!     a, b = 0, 1
//!     while True:
//!         yield a
//!         a, b = b, a + b          # Python ints never overflow
//! ```

use std::convert::Infallible;

use async_stream::stream;
use num_bigint::BigUint;
use pygen_protocol::{Coroutine, Exception, Resume};

use crate::{Body, Co, finish, raise_thrown};

// ANCHOR: demo
/// `fibonacci()`, with big integers so that every value is right, as
/// Python's are. Values sent in are ignored, as in Python; an exception
/// thrown in propagates out.
pub fn fibonacci<S>()
-> impl Coroutine<Resume<S>, Yield = BigUint, Return = Result<Infallible, Exception>> + Unpin {
    // The first resume value, Python's priming `next(g)`, is put in the
    // slot before the first poll and never read: no `yield` is waiting yet.
    Body::new(|co: Co<Resume<S>, Infallible>| {
        stream! {
            // a, b = 0, 1
            let (mut a, mut b) = (BigUint::ZERO, BigUint::from(1u8));
            // while True:
            loop {
                // yield a   (a copy: Python hands out a shared reference)
                yield a.clone();
                raise_thrown!(co);
                // a, b = b, a + b
                let sum = &a + &b;
                a = std::mem::replace(&mut b, sum);
            }
        }
    })
}

/// The same generator over `u64`, which Python does not have: it returns
/// after F(93) = 12200160415121876738, the last value that fits, instead of
/// overflowing.
pub fn fibonacci_u64<S>()
-> impl Coroutine<Resume<S>, Yield = u64, Return = Result<(), Exception>> + Unpin {
    Body::new(|co: Co<Resume<S>, ()>| {
        stream! {
            // `b` is `None` once a + b no longer fits: `a` is then the last.
            let (mut a, mut b) = (0u64, Some(1u64));
            loop {
                yield a;
                raise_thrown!(co);
                let Some(next) = b else { finish!(co, Ok(())) };
                b = a.checked_add(next);
                a = next;
            }
        }
    })
}
// ANCHOR_END: demo
