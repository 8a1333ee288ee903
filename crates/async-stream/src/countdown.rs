//! `countdown()`: a finite generator with a return value.
//!
//! ```python
//! def countdown():
//!     n = 3
//!     while n > 0:
//!         yield n
//!         n -= 1
//!     return 'liftoff'
//! ```

use async_stream::stream;
use pygen_protocol::{Coroutine, Exception, Resume};

use crate::{Body, Co, finish, raise_thrown};

// ANCHOR: demo
/// `countdown()`: 3, 2, 1, then `StopIteration('liftoff')`.
pub fn countdown<S>()
-> impl Coroutine<Resume<S>, Yield = i64, Return = Result<&'static str, Exception>> + Unpin {
    Body::new(|co: Co<Resume<S>, &'static str>| {
        stream! {
            // n = 3
            let mut n = 3;
            // while n > 0:
            while n > 0 {
                // yield n
                yield n;
                raise_thrown!(co);
                // n -= 1
                n -= 1;
            }
            // return 'liftoff'
            finish!(co, Ok("liftoff"));
        }
    })
}
// ANCHOR_END: demo
