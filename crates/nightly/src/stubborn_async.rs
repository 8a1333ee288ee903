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
//!
//! It never awaits, so it needs no `Context`: its `yield` is written out,
//! as `async_yield!` would write it but without keeping the `Context`.

use pygen_demos::Log;
use pygen_protocol::{AsyncResume, AsyncYield, Class, Coroutine, Exception};

use crate::Body;

// ANCHOR: demo
/// `stubborn_async()`: catches `GeneratorExit` and yields again, so
/// `aclose()` raises `RuntimeError` and leaves it suspended.
pub fn stubborn_async<S>(
    log: Log,
) -> impl Coroutine<AsyncResume<S>, Yield = AsyncYield<&'static str>, Return = Result<(), Exception>>
{
    Body(
        #[coroutine]
        move |_first: AsyncResume<S>| {
            // while True:
            loop {
                // try:
                //     yield 'still here'
                // except GeneratorExit:
                //     log('ignoring aclose')
                match (yield AsyncYield::Value("still here")).into_sent() {
                    Ok(_) => {}
                    Err(e) if e.is_instance(&Class::GENERATOR_EXIT) => log.write("ignoring aclose"),
                    Err(other) => return Err(other),
                }
            }
        },
    )
}
// ANCHOR_END: demo
