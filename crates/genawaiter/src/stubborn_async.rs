//! `stubborn_async()`: an async generator that ignores `aclose()`.
//!
//! ```python
//! async def stubborn_async():
//!     while True:
//!         try:
//!             yield 'still here'
//!         except GeneratorExit:
//!             log('ignoring aclose')
//! ```

use pygen_demos::Log;
use pygen_protocol::genawaiter::{AsyncBody, AsyncCo};
use pygen_protocol::{AsyncResume, AsyncYield, Class, Coroutine, Exception};

// ANCHOR: demo
/// `stubborn_async()`: catches `GeneratorExit` and yields again, so
/// `aclose()` raises `RuntimeError` and leaves it suspended.
pub fn stubborn_async<S>(
    log: Log,
) -> impl Coroutine<AsyncResume<S>, Yield = AsyncYield<&'static str>, Return = Result<(), Exception>>
{
    AsyncBody::new(move |co: AsyncCo<&'static str, S>| async move {
        // while True:
        loop {
            // try:
            //     yield 'still here'
            // except GeneratorExit:
            //     log('ignoring aclose')
            match co.yield_("still here").await {
                Ok(_) => {}
                Err(e) if e.is_instance(&Class::GENERATOR_EXIT) => log.write("ignoring aclose"),
                Err(other) => return Err(other),
            }
        }
    })
}
// ANCHOR_END: demo
