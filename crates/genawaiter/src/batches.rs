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
use pygen_protocol::{Batch, Coroutine, Delegated, Exception, Generator, Resume, Summable};

use crate::{Body, running_sum};

/// `batches()`: runs `running_sum()` through `yield from` until it
/// returns, then yields a summary, forever.
pub fn batches<T: Summable + pygen_protocol::Repr>()
-> impl Coroutine<Resume<T>, Yield = Batch<T>, Return = Result<Infallible, Exception>> + Unpin {
    Body(Gen::new(|co: Co<Batch<T>, Resume<T>>| async move {
        // count = 0
        let mut count = 0;
        // while True:
        loop {
            // total = yield from running_sum()
            //
            // `yield from` is a loop: pass what this body was resumed
            // with to the sub-generator (`delegate` applies PEP 380's
            // rules for send, throw and close), yield what it yields,
            // and stop with what it returns.
            let mut sub = Generator::new(running_sum());
            let mut arg = Ok(None);
            let total = loop {
                match sub.delegate(arg) {
                    Delegated::Yield(total) => arg = co.yield_(Batch::Total(total)).await,
                    Delegated::Return(total) => break total,
                    Delegated::Raise(exception) => return Err(exception),
                }
            };
            // count += 1
            count += 1;
            // yield f'batch {count}: {total}'
            co.yield_(Batch::summary(count, &total)).await?;
        }
    }))
}
