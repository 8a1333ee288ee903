//! The seed's Fibonacci program, written with nightly Rust's coroutines.
//!
//! ```text
//! cargo run --example fibonacci_nightly
//! ```
//!
//! The Python it mirrors:
//!
//! ```python
//! def fibonacci():
//!     a, b = 0, 1
//!     while True:
//!         yield a
//!         a, b = b, a + b
//!
//! for n in itertools.islice(fibonacci(), 10):
//!     print(n)
//! ```
//!
//! A `#[coroutine]` closure may contain `yield`; the compiler turns it into
//! a state machine that `Coroutine::resume` runs to the next `yield`.
//! `std::iter::from_coroutine` makes one that yields and returns `()` into
//! an `Iterator`, so Python's `for` loop is Rust's.

#![feature(coroutines, coroutine_trait, iter_from_coroutine)]

use std::ops::Coroutine;

// ANCHOR: fibonacci
// def fibonacci():
fn fibonacci() -> impl Coroutine<Yield = u64, Return = ()> + Unpin {
    #[coroutine]
    || {
        // a, b = 0, 1
        let (mut a, mut b) = (0u64, 1u64);
        // while True:
        loop {
            // yield a
            yield a;
            // a, b = b, a + b
            (a, b) = (b, a + b);
        }
    }
}

fn main() {
    // for n in itertools.islice(fibonacci(), 10): print(n)
    for n in std::iter::from_coroutine(fibonacci()).take(10) {
        println!("{n}");
    }
}
// ANCHOR_END: fibonacci
