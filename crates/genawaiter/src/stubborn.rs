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

use genawaiter::rc::{Co, Gen};
use pygen_demos::{Log};
use pygen_protocol::{Class, Coroutine, Exception, Resume};

use crate::Body;

// ANCHOR: demo
/// `stubborn()`: catches `GeneratorExit` and yields again, so `close()`
/// raises `RuntimeError` and leaves it suspended.
pub fn stubborn<S>(
    log: Log,
) -> impl Coroutine<Resume<S>, Yield = &'static str, Return = Result<Infallible, Exception>> + Unpin
{
    Body(Gen::new(
        move |co: Co<&'static str, Resume<S>>| async move {
            // while True:
            loop {
                // try:
                //     yield 'still here'
                // except GeneratorExit:
                //     log('ignoring close')
                match co.yield_("still here").await {
                    Ok(_) => {}
                    Err(e) if e.is_instance(&Class::GENERATOR_EXIT) => log.write("ignoring close"),
                    Err(other) => return Err(other),
                }
            }
        },
    ))
}
// ANCHOR_END: demo
