//! `ticker()`: an async generator (PEP 525) that awaits before each
//! `yield`, with `finally`.
//!
//! ```python
//! async def ticker():
//!     n = 0
//!     try:
//!         while True:
//!             await asyncio.sleep(0)
//!             yield n
//!             n += 1
//!     finally:
//!         log('ticker closed')
//! ```
//!
//! A `#[coroutine]` cannot contain `.await` (E0728: only `async` bodies
//! may), so this is the body rustc would make of an `async` one, written
//! by hand: resumed with the caller's `Context` ([`AsyncResume`]'s `cx`,
//! rustc's `ResumeTy`), with `await_!` polling the future and yielding
//! `Pending` while it waits, and `async_yield!` yielding a value. It is a
//! `static` coroutine, as every `async` body is, because the awaited
//! future is pinned in its frame.

use std::async_iter::AsyncIterator;

use pygen_demos::{Log, sleep0};
use pygen_protocol::{AsyncResume, AsyncYield, Coroutine, Exception, finally};

use crate::{Body, async_yield, await_};

// ANCHOR: demo
/// `ticker()`: 0, 1, 2, ..., each after one `asyncio.sleep(0)`; logs
/// `'ticker closed'` however it ends.
pub fn ticker<S>(
    log: Log,
) -> impl Coroutine<AsyncResume<S>, Yield = AsyncYield<u64>, Return = Result<(), Exception>> {
    Body(
        #[coroutine]
        static move |first: AsyncResume<S>| {
            // The `Context` of the poll running the body now: each
            // `await_!` and `async_yield!` replaces it with the one the
            // next resume brings.
            let mut cx = first.cx;
            // n = 0
            let mut n: u64 = 0;
            // try: ... finally: log('ticker closed')
            let _finally = finally(move || log.write("ticker closed"));
            // while True:
            loop {
                // await asyncio.sleep(0)
                await_!(cx, sleep0());
                // yield n
                async_yield!(cx, n)?;
                // n += 1
                n += 1;
            }
        },
    )
}
// ANCHOR_END: demo

/// The same `ticker()` as a nightly `async gen` block, for contrast: the
/// compiler's own async generator (`#![feature(gen_blocks,
/// async_iterator)]`), an [`AsyncIterator`] whose `.await` is the real
/// one and whose `yield` is one-way.
///
/// It is Python's `async for` and no more: `poll_next` takes no argument,
/// so there is no `asend` (a `yield` evaluates to `()`), no `athrow` and
/// no `aclose` beyond dropping it, which runs its `finally` guard.
///
/// ```
/// #![feature(async_iterator)]
/// use std::async_iter::AsyncIterator;
/// use pygen_demos::{Log, block_on};
/// use pygen_nightly::ticker_async_gen;
///
/// // async for n in ticker(): ... three times, then the generator is dropped
/// let log = Log::new();
/// let mut ticks = Box::pin(ticker_async_gen(log.clone()));
/// let first: Vec<u64> = block_on(async {
///     let mut seen = Vec::new();
///     while let Some(n) = std::future::poll_fn(|cx| ticks.as_mut().poll_next(cx)).await {
///         seen.push(n);
///         if n == 2 {
///             break;
///         }
///     }
///     seen
/// });
/// assert_eq!(first, [0, 1, 2]);
/// drop(ticks);
/// assert_eq!(log.take(), ["ticker closed"]);
/// ```
// ANCHOR: async_gen
pub fn ticker_async_gen(log: Log) -> impl AsyncIterator<Item = u64> {
    async gen move {
        let mut n: u64 = 0;
        let _finally = finally(move || log.write("ticker closed"));
        loop {
            sleep0().await;
            yield n;
            n += 1;
        }
    }
}
// ANCHOR_END: async_gen
