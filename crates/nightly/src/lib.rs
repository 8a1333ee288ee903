//! # pygen-nightly
//!
//! Every pygen program written with nightly Rust's own coroutines:
//! `#[coroutine]` closures containing `yield`, driven by
//! `std::ops::Coroutine::resume`.
//!
//! This is the closest Rust gets to Python's generators. A `yield`
//! expression evaluates to the value the next `resume` passes in, exactly
//! like `x = yield total`; the first `resume` value becomes the closure's
//! parameter (Python's priming `next(g)`); the closure's `return` is the
//! coroutine's result. The compiler turns the closure into a state machine
//! with no allocation, so a generator here costs what a hand-written
//! iterator costs.
//!
//! What the language does not give, the [`Generator`](pygen_protocol::Generator)
//! wrapper in `pygen-protocol` adds: `throw` and `close` arrive as the
//! `Err` side of the resume value and propagate with `?`; resuming a
//! finished coroutine, which panics here, is stopped by the wrapper and
//! answered with `StopIteration`.
//!
//! The adapter, [`Body`] and `yield from` as the macros [`yield_from!`] and
//! [`yield_from_iter!`], is `pygen_protocol::nightly` (pygen-protocol's
//! feature `nightly`), re-exported here.
//!
//! Layout, the same in all three backend crates:
//!
//! | file | Python |
//! |---|---|
//! | `fibonacci.rs` | `fibonacci()`, and a `u64` flavour |
//! | `echo.rs` | `echo()` |
//! | `running_sum.rs` | `running_sum()` |
//! | `countdown.rs` | `countdown()` |
//! | `guarded.rs` | `guarded()` |
//! | `stubborn.rs` | `stubborn()` |
//! | `batches.rs` | `batches()`: `yield from` |
//! | `words.rs` | `words()`: borrowing a local across `yield`, so a `static` coroutine, pinned |
//! | `account.rs` | `account()`: raising an exception class of its own |
//! | `inventory.rs` | `inventory()`: `except LookupError`, `except Exception`, and PEP 479 |
//! | `pipeline.rs` | `pipeline()`: primed consumers, `close` and `throw` cascading |
//! | `ticker.rs`, `running_mean.rs`, `stubborn_async.rs` | the async generators `ticker()`, `running_mean()`, `stubborn_async()` (PEP 525): a `static` `#[coroutine]` resumed with the caller's `Context`, `await_!` and `async_yield!`; `ticker_async_gen` is the same as an `async gen` block |
//! | `handler.rs` | [`handler()`]: the HTTP server's `request = yield response` |
//! | `tasks.rs` | [`tasks`]: the seed's server as written, tasks that do their own I/O by yielding system calls |
//!
//! The demo modules and [`demo()`], a demo picked by name, are declared by
//! `pygen_demos::backend_demos!`, the one list of the demos.
//!
//! This crate and pygen-protocol's `nightly` feature are the only pygen
//! code that uses `#![feature]`.
//!
//! ```
//! use pygen_nightly::running_sum;
//! use pygen_protocol::{Generator, Raised};
//!
//! let mut g = Generator::new(running_sum::<i64>());
//! assert_eq!(g.next(), Ok(0));
//! assert_eq!(g.send(2), Ok(2));
//! assert_eq!(g.send(3), Ok(5));
//! assert_eq!(g.next(), Err(Raised::StopIteration(Some(5))));
//! ```

#![feature(coroutines)]
// `ticker_async_gen`: the compiler's own `async gen` block, for contrast.
#![feature(gen_blocks, async_iterator)]

mod handler;
pub mod tasks;

pub use handler::handler;
/// The adapter, from `pygen_protocol::nightly`, re-exported for the demos.
pub use pygen_protocol::nightly::{Body, async_yield, await_, yield_from, yield_from_iter};

pygen_demos::backend_demos!();
