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

use async_stream::stream;
use pygen_demos::{Batch, Repr, Summable};
use pygen_protocol::{Coroutine, Delegated, Exception, Generator, Resume};

use crate::{Body, Co, finish, raise_thrown, running_sum};

// ANCHOR: demo
/// `batches()`: runs `running_sum()` through `yield from` until it
/// returns, then yields a summary, forever.
pub fn batches<T: Summable + Repr>()
-> impl Coroutine<Resume<T>, Yield = Batch<T>, Return = Result<Infallible, Exception>> + Unpin {
    Body::new(|co: Co<Resume<T>, Infallible>| {
        stream! {
            // count = 0
            let mut count = 0;
            // while True:
            loop {
                // total = yield from running_sum()
                //
                // `yield from` is a loop: pass what this body was resumed
                // with to the sub-generator (`delegate` applies PEP 380's
                // rules for send, throw and close), yield what it yields,
                // and stop with what it returns. The sub-generator is a
                // stream of its own with a slot of its own; async-stream
                // saves and restores its thread-local pointer around each
                // poll, so polling one stream inside another is fine.
                //
                // This loop cannot be a helper here, as it is in the other
                // two crates (see `yield_from` in the crate docs): only
                // `stream!` itself can yield, by rewriting the `yield`
                // tokens it is given.
                let mut sub = Generator::new(running_sum());
                let mut arg = Ok(None);
                let total = loop {
                    match sub.delegate(arg) {
                        Delegated::Yield(total) => {
                            yield Batch::Total(total);
                            arg = co.resumed();
                        }
                        Delegated::Return(total) => break total,
                        Delegated::Raise(exception) => finish!(co, Err(exception)),
                    }
                };
                // count += 1
                count += 1;
                // yield f'batch {count}: {total}'
                yield Batch::summary(count, &total);
                raise_thrown!(co);
            }
        }
    })
}
// ANCHOR_END: demo
