//! `stubborn()`: a generator that ignores `close()`.
//!
//! ```python
//! def stubborn():
//!     while True:
//!         try:
//!             yield 'still here'
//!         except GeneratorExit:
//!             log('ignoring close')
//! ```

use std::convert::Infallible;

use async_stream::stream;
use pygen_demos::{Log};
use pygen_protocol::{Class, Coroutine, Exception, Resume};

use crate::{Body, Co, finish};

// ANCHOR: demo
/// `stubborn()`: catches `GeneratorExit` and yields again, so `close()`
/// raises `RuntimeError` and leaves it suspended.
pub fn stubborn<S>(
    log: Log,
) -> impl Coroutine<Resume<S>, Yield = &'static str, Return = Result<Infallible, Exception>> + Unpin
{
    Body::new(move |co: Co<Resume<S>, Infallible>| {
        stream! {
            // while True:
            loop {
                // try:
                //     yield 'still here'
                // except GeneratorExit:
                //     log('ignoring close')
                yield "still here";
                match co.resumed() {
                    Ok(_) => {}
                    Err(e) if e.is_instance(&Class::GENERATOR_EXIT) => log.write("ignoring close"),
                    Err(other) => finish!(co, Err(other)),
                }
            }
        }
    })
}
// ANCHOR_END: demo
