//! `guarded()`: catching a thrown exception, and `finally`.
//!
//! ```python
//! def guarded():
//!     try:
//!         while True:
//!             try:
//!                 yield 'waiting'
//!             except ValueError:
//!                 yield 'recovered'
//!     finally:
//!         log('cleanup')
//! ```

use std::convert::Infallible;

use async_stream::stream;
use pygen_demos::{Log};
use pygen_protocol::{Class, Coroutine, Exception, Resume, finally};

use crate::{Body, Co, finish, raise_thrown};

// ANCHOR: demo
/// `guarded()`: recovers from `ValueError` at `'waiting'`; anything else
/// (or a `ValueError` at `'recovered'`, which is outside the inner `try`)
/// propagates, and `'cleanup'` is logged however the body ends.
pub fn guarded<S>(
    log: Log,
) -> impl Coroutine<Resume<S>, Yield = &'static str, Return = Result<Infallible, Exception>> + Unpin
{
    Body::new(move |co: Co<Resume<S>, Infallible>| {
        stream! {
            // try: ... finally: log('cleanup')
            //
            // The guard is a local of the async block, so it is dropped
            // when the body ends and when a suspended stream is dropped.
            let _finally = finally(move || log.write("cleanup"));
            // while True:
            loop {
                // try:
                //     yield 'waiting'
                // except ValueError:
                //     yield 'recovered'
                yield "waiting";
                match co.resumed() {
                    Ok(_) => {}
                    Err(e) if e.is_instance(&Class::VALUE_ERROR) => {
                        yield "recovered";
                        raise_thrown!(co);
                    }
                    Err(other) => finish!(co, Err(other)),
                }
            }
        }
    })
}
// ANCHOR_END: demo
