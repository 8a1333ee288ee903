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
//! `stream!` is an async generator already, except for the way in: its
//! `.await` is Rust's own, polled with the caller's `Context`, because the
//! adapter ([`AsyncBody`]) polls the stream with the `Context` it is
//! given. The values sent in arrive through the same slot as in the
//! generators (`resumed!`, `raise_thrown!`).

use async_stream::stream;
use pygen_demos::{Log, sleep0};
use pygen_protocol::async_stream::AsyncBody;
use pygen_protocol::{AsyncResume, AsyncYield, Coroutine, Exception, Resume, finally};

use crate::{Co, raise_thrown};

// ANCHOR: demo
/// `ticker()`: 0, 1, 2, ..., each after one `asyncio.sleep(0)`; logs
/// `'ticker closed'` however it ends.
pub fn ticker<S>(
    log: Log,
) -> impl Coroutine<AsyncResume<S>, Yield = AsyncYield<u64>, Return = Result<(), Exception>> {
    AsyncBody::new(move |co: Co<Resume<S>, ()>| {
        stream! {
            // n = 0
            let mut n: u64 = 0;
            // try: ... finally: log('ticker closed')
            let _finally = finally(move || log.write("ticker closed"));
            // while True:
            loop {
                // await asyncio.sleep(0)
                sleep0().await;
                // yield n
                yield n;
                raise_thrown!(co);
                // n += 1
                n += 1;
            }
        }
    })
}
// ANCHOR_END: demo
