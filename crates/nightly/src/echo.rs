//! `echo()`: whatever is sent comes straight back.
//!
//! ```python
//! def echo():
//!     value = None
//!     while True:
//!         value = yield value
//! ```

use std::convert::Infallible;

use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Body;

// ANCHOR: demo
/// `echo()`: yields `None` first, then each value sent (`None` for `next`).
pub fn echo<T>()
-> impl Coroutine<Resume<T>, Yield = Option<T>, Return = Result<Infallible, Exception>> + Unpin {
    Body(
        #[coroutine]
        |_first: Resume<T>| {
            // value = None
            let mut value = None;
            // while True:
            loop {
                // value = yield value
                value = (yield value)?;
            }
        },
    )
}
// ANCHOR_END: demo
