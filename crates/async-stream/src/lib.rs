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
//! `Rc` of two `Cell`s):
//!
//! * `send(v)`: before each poll, the adapter puts the resume value in the
//!   slot; right after each `yield`, the body takes it out. So
//!   `x = yield total` is written `yield total; let x = resumed!(co);`.
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
//! the error as an item. The module docs of `body.rs` show what `stream!`
//! expands to, and what [`Body`] does in the cases that cannot arise (a
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
//! Layout, the same in all three backend crates:
//!
//! | file | Python |
//! |---|---|
//! | `body.rs` | [`Body`]: how the library is adapted to `pygen_protocol::Coroutine` |
//! | `fibonacci.rs` | `fibonacci()`, and a `u64` flavour |
//! | `echo.rs` | `echo()` |
//! | `running_sum.rs` | `running_sum()` |
//! | `countdown.rs` | `countdown()` |
//! | `guarded.rs` | `guarded()` |
//! | `stubborn.rs` | `stubborn()` |
//! | `batches.rs` | `batches()`: `yield from` |
//! | `demo.rs` | [`demo()`]: a demo picked by name |
//! | `handler.rs` | [`handler()`]: the HTTP server's `request = yield response` |
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

mod batches;
mod body;
mod countdown;
mod demo;
mod echo;
mod fibonacci;
mod guarded;
mod handler;
mod running_sum;
mod stubborn;

pub use batches::batches;
pub use body::{Body, Co};
pub use countdown::countdown;
pub use demo::demo;
pub use echo::echo;
pub use fibonacci::{fibonacci, fibonacci_u64};
pub use guarded::guarded;
pub use handler::handler;
pub use running_sum::running_sum;
pub use stubborn::stubborn;
