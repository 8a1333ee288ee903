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

use async_stream::stream;
use num_bigint::BigInt;
use num_integer::Integer;
use pygen_demos::{Log, sleep0};
use pygen_protocol::async_stream::AsyncBody;
use pygen_protocol::{AsyncResume, AsyncYield, Class, Coroutine, Exception, Resume};

use crate::{Co, finish};

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
    AsyncBody::new(move |co: Co<Resume<BigInt>, ()>| {
        stream! {
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
                yield mean.clone();
                let value = match co.resumed() {
                    Ok(value) => value,
                    Err(e) if e.is_instance(&Class::VALUE_ERROR) => {
                        log.write("reset");
                        total = BigInt::ZERO;
                        count = BigInt::ZERO;
                        mean = None;
                        continue;
                    }
                    Err(other) => finish!(co, Err(other)),
                };
                // if value is None: return
                let Some(value) = value else {
                    finish!(co, Ok(()))
                };
                // await asyncio.sleep(0)
                sleep0().await;
                // total += value; count += 1; mean = total // count
                total += value;
                count += 1;
                mean = Some(total.div_floor(&count));
            }
        }
    })
}
// ANCHOR_END: demo
