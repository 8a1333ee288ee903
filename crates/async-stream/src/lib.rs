//! # pygen-async-stream
//!
//! Every pygen program written with the `async-stream` crate's `stream!`
//! macro, on stable Rust: each generator is an async block containing
//! `yield`, polled by hand with a no-op waker, one poll per resume.
//!
//! `stream!` was made for asynchronous streams, not for generators, but
//! underneath it is one: the compiler turns the async block into a state
//! machine, and each poll runs it from one `yield` to the next. It only
//! gives half of Python's protocol, though. A `yield` hands a value out and
//! evaluates to `()`, so nothing can be sent in; the block's own value is
//! `()`, so nothing can be returned.
//!
//! ## How `send`, `throw` and `return` get through
//!
//! Through a slot, [`Co`], shared by the body and its [`Body`] adapter (an
//! `Rc` of four `Cell`s):
//!
//! * `send(v)`: before each poll, the adapter puts the resume value in the
//!   slot; right after each `yield`, the body takes it out. So
//!   `x = yield total` is written `yield total; let x = resumed!(co);`.
//!   A `yield` whose value is not used, `yield n` as a statement, is
//!   `yield n; raise_thrown!(co);`, which only looks for an exception.
//! * `throw(E)` and `close()`: the resume value is pygen's
//!   [`Resume<S>`](pygen_protocol::Resume), `Result<Option<S>, Exception>`,
//!   so an exception thrown in is its `Err` side, and `close()` is
//!   `Err(GeneratorExit)`. [`resumed!`] lets it propagate, as `?` does in
//!   the nightly crate; a body that catches exceptions matches on
//!   [`Co::resumed`] instead.
//! * `return r`: the body leaves `Ok(r)` (or an escaping `Err(e)`) in the
//!   slot and ends, which [`finish!`] does in one step; when the stream
//!   answers `Ready(None)`, the adapter takes the value out and the body is
//!   `Complete` with it.
//!
//! Macros rather than `?` and `return`, because inside `stream!` the async
//! block returns `()`, and a `?` there is rewritten by the macro to yield
//! the error as an item. [`Body`]'s module docs show what `stream!`
//! expands to, and what it does in the cases that cannot arise (a
//! `Pending` poll, a body that ends without a return value): each ends the
//! body with `RuntimeError`, none of them panics.
//!
//! The rest of Python's rules — `TypeError` for a value sent before the
//! start, `StopIteration` after the end — come from the
//! [`Generator`](pygen_protocol::Generator) wrapper in `pygen-protocol`, as
//! for every backend. The price, compared with the nightly crate: two
//! allocations per generator (the pinned stream and the slot), and bodies
//! that are not `Send`.
//!
//! ## `yield from`
//!
//! The other two crates have `yield from` as a helper (a macro in
//! `pygen-nightly`, an `async fn` in `pygen-genawaiter`); this one cannot.
//! `stream!` makes a body yield by rewriting each `yield` token it is given
//! into a send on a channel whose sender is a local it declares itself, out
//! of reach of any function. A function called from the body therefore cannot
//! yield on its behalf, and neither can a `macro_rules!` macro, which is
//! expanded only after `stream!` has done its rewriting. So `batches` writes
//! the PEP 380 loop out, around
//! [`Generator::delegate`](pygen_protocol::Generator::delegate) (or
//! [`delegate_iter`](pygen_protocol::delegate_iter) for a plain iterable).
//!
//! The adapter, [`Body`], [`Co`] and the macros [`resumed!`],
//! [`raise_thrown!`] and [`finish!`], is `pygen_protocol::async_stream`
//! (pygen-protocol's feature `async-stream`), re-exported here; its module
//! docs show what `stream!` expands to.
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
//! | `batches.rs` | `batches()`: `yield from`, written out |
//! | `words.rs` | `words()`: borrowing a local across `yield`, which the boxed stream allows |
//! | `account.rs` | `account()`: raising an exception class of its own |
//! | `inventory.rs` | `inventory()`: `except LookupError`, `except Exception`, and PEP 479 |
//! | `pipeline.rs` | `pipeline()`: primed consumers, `close` and `throw` cascading |
//! | `ticker.rs`, `running_mean.rs`, `stubborn_async.rs` | the async generators `ticker()`, `running_mean()`, `stubborn_async()` (PEP 525): an `AsyncBody`, the stream polled with the caller's `Context`, so `.await` is Rust's own |
//! | `handler.rs` | [`handler()`]: the HTTP server's `request = yield response` |
//! | `tasks.rs` | [`tasks`]: the seed's server as written, tasks that do their own I/O by yielding system calls |
//!
//! The demo modules and [`demo()`], a demo picked by name, are declared by
//! `pygen_demos::backend_demos!`, the one list of the demos.
//!
//! This crate builds on stable Rust: no `#![feature]`.
//!
//! ```
//! use pygen_async_stream::running_sum;
//! use pygen_protocol::{Exception, Generator, Raised};
//!
//! let mut g = Generator::new(running_sum::<i64>());
//! assert_eq!(g.next(), Ok(0));
//! assert_eq!(g.send(2), Ok(2));
//! assert_eq!(g.send(3), Ok(5));
//! assert_eq!(g.next(), Err(Raised::StopIteration(Some(5))));
//!
//! // A thrown exception reaches the body through the slot and, uncaught,
//! // comes back out.
//! let mut g = Generator::new(running_sum::<i64>());
//! g.next().unwrap();
//! assert_eq!(
//!     g.throw(Exception::ValueError),
//!     Err(Raised::Exception(Exception::ValueError))
//! );
//! ```

mod handler;
pub mod tasks;

pub use handler::handler;
/// The adapter, from `pygen_protocol::async_stream`, re-exported for the
/// demos.
pub use pygen_protocol::async_stream::{Body, Co, ResumeValue, finish, raise_thrown, resumed};

pygen_demos::backend_demos!();
