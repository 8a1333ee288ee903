//! `running_mean()`: an async generator that is sent values, catches a
//! thrown exception, and awaits between `yield`s.
//!
//! ```python
//! async def running_mean():
//!     total = 0
//!     count = 0
//!     mean = None
//!     while True:
//!         try:
//!             value = yield mean
//!         except ValueError:
//!             log('reset')
//!             total = count = 0
//!             mean = None
//!             continue
//!         if value is None:
//!             return
//!         await asyncio.sleep(0)
//!         total += value
//!         count += 1
//!         mean = total // count
//! ```

use num_bigint::BigInt;
use num_integer::Integer;
use pygen_demos::{Log, sleep0};
use pygen_protocol::{AsyncResume, AsyncYield, Class, Coroutine, Exception};

use crate::{Body, async_yield, await_};

// ANCHOR: demo
/// `running_mean()`: the floor mean of the ints sent so far (`None` before
/// the first); `athrow(ValueError)` resets it; `asend(None)` ends it.
pub fn running_mean(
    log: Log,
) -> impl Coroutine<
    AsyncResume<BigInt>,
    Yield = AsyncYield<Option<BigInt>>,
    Return = Result<(), Exception>,
> {
    Body(
        #[coroutine]
        static move |_first: AsyncResume<BigInt>| {
            // The `Context` of the poll running the body now. The body
            // awaits nothing before its first `yield`, which brings the
            // next one, so it starts unset.
            let mut cx;
            // total = 0; count = 0; mean = None
            let mut total = BigInt::ZERO;
            let mut count = BigInt::ZERO;
            let mut mean: Option<BigInt> = None;
            // while True:
            loop {
                // try:
                //     value = yield mean
                // except ValueError:
                //     log('reset'); total = count = 0; mean = None; continue
                let value = match async_yield!(cx, mean.clone()) {
                    Ok(value) => value,
                    Err(e) if e.is_instance(&Class::VALUE_ERROR) => {
                        log.write("reset");
                        total = BigInt::ZERO;
                        count = BigInt::ZERO;
                        mean = None;
                        continue;
                    }
                    Err(other) => return Err(other),
                };
                // if value is None: return
                let Some(value) = value else {
                    return Ok(());
                };
                // await asyncio.sleep(0)
                await_!(cx, sleep0());
                // total += value; count += 1; mean = total // count
                total += value;
                count += 1;
                mean = Some(total.div_floor(&count));
            }
        },
    )
}
// ANCHOR_END: demo
