//! `running_sum()`: a generator driven by `send`, returning its result.
//!
//! ```python
//! def running_sum():
//!     total = 0
//!     while True:
//!         x = yield total
//!         if x is None:
//!             return total
//!         total += x
//! ```

use async_stream::stream;
use pygen_demos::{Summable};
use pygen_protocol::{Coroutine, Exception, Resume};

use crate::{Body, Co, finish, resumed};

// ANCHOR: demo
/// `running_sum()`: yields the total so far; `send(None)` (or `next`)
/// returns it through `StopIteration`.
pub fn running_sum<T: Summable>()
-> impl Coroutine<Resume<T>, Yield = T, Return = Result<T, Exception>> + Unpin {
    Body::new(|co: Co<Resume<T>, T>| {
        stream! {
            // total = 0
            let mut total = T::default();
            // while True:
            loop {
                // x = yield total
                // if x is None:
                //     return total
                yield total.clone();
                let Some(x) = resumed!(co) else {
                    finish!(co, Ok(total));
                };
                // total += x
                total += x;
            }
        }
    })
}
// ANCHOR_END: demo
