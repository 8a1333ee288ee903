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
//! genawaiter's body is an `async` block, but `sleep0().await` in it would
//! make genawaiter panic: genawaiter polls the block with a waker that
//! does nothing and takes every `Pending` for one of its own `yield`s. So
//! the `await` is written out here as rustc writes every `.await`: poll
//! the future with the caller's `Context` ([`AsyncCo::poll`]); while it is
//! pending, hand `Pending` out through genawaiter's own yield
//! ([`AsyncCo::pending`]) and poll again when resumed. `running_mean.rs`
//! calls the same loop as a function, [`AsyncCo::await_`].

use std::pin::pin;
use std::task::Poll;

use pygen_demos::{Log, sleep0};
use pygen_protocol::genawaiter::{AsyncBody, AsyncCo};
use pygen_protocol::{AsyncResume, AsyncYield, Coroutine, Exception, finally};

// ANCHOR: demo
/// `ticker()`: 0, 1, 2, ..., each after one `asyncio.sleep(0)`; logs
/// `'ticker closed'` however it ends.
pub fn ticker<S>(
    log: Log,
) -> impl Coroutine<AsyncResume<S>, Yield = AsyncYield<u64>, Return = Result<(), Exception>> {
    AsyncBody::new(move |co: AsyncCo<u64, S>| async move {
        // n = 0
        let mut n: u64 = 0;
        // try: ... finally: log('ticker closed')
        let _finally = finally(move || log.write("ticker closed"));
        // while True:
        loop {
            // await asyncio.sleep(0), desugared:
            // ANCHOR: await_desugared
            let mut sleep = pin!(sleep0());
            loop {
                match co.poll(sleep.as_mut()) {
                    Poll::Ready(()) => break,
                    Poll::Pending => co.pending().await,
                }
            }
            // ANCHOR_END: await_desugared
            // yield n
            co.yield_(n).await?;
            // n += 1
            n += 1;
        }
    })
}
// ANCHOR_END: demo
