//! `batches()`: `yield from`, with a return value handed back.
//!
//! ```python
//! def batches():
//!     count = 0
//!     while True:
//!         total = yield from running_sum()
//!         count += 1
//!         yield f'batch {count}: {total}'
//! ```

use std::convert::Infallible;

use genawaiter::rc::{Co, Gen};
use pygen_demos::{Batch, Repr, Summable};
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

use crate::{Body, running_sum, yield_from};

// ANCHOR: demo
/// `batches()`: runs `running_sum()` through `yield from` until it
/// returns, then yields a summary, forever.
pub fn batches<T: Summable + Repr>()
-> impl Coroutine<Resume<T>, Yield = Batch<T>, Return = Result<Infallible, Exception>> + Unpin {
    Body(Gen::new(|co: Co<Batch<T>, Resume<T>>| async move {
        // count = 0
        let mut count = 0;
        // while True:
        loop {
            // total = yield from running_sum()
            //
            // `yield_from` is the loop PEP 380 describes, as an `async fn`:
            // pass what this body is resumed with on to the sub-generator,
            // yield what it yields, and evaluate to what it returns.
            let total = yield_from(&co, Generator::new(running_sum())).await?;
            // count += 1
            count += 1;
            // yield f'batch {count}: {total}'
            co.yield_(Batch::summary(count, &total)).await?;
        }
    }))
}
// ANCHOR_END: demo
