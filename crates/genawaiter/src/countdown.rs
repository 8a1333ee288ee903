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

use genawaiter::rc::{Co, Gen};
use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Body;

// ANCHOR: demo
/// `countdown()`: 3, 2, 1, then `StopIteration('liftoff')`.
pub fn countdown<S>()
-> impl Coroutine<Resume<S>, Yield = i64, Return = Result<&'static str, Exception>> + Unpin {
    Body(Gen::new(|co: Co<i64, Resume<S>>| async move {
        // n = 3
        let mut n = 3;
        // while n > 0:
        while n > 0 {
            // yield n
            co.yield_(n).await?;
            // n -= 1
            n -= 1;
        }
        // return 'liftoff'
        Ok("liftoff")
    }))
}
// ANCHOR_END: demo
