//! # pygen-genawaiter
//!
//! Every pygen program written with the [genawaiter] crate: generators on
//! stable Rust, made out of `async` blocks.
//!
//! genawaiter's idea is that an `async` block is already a state machine
//! that can stop in the middle and be resumed, which is all a generator
//! is. The body is written as `async move { ... }` and handed a `co`
//! object; `co.yield_(value).await` stops it with `value`. The generator
//! polls the future by hand, with a waker that does nothing, because the
//! only thing the body ever waits for is its next resume.
//!
//! How that maps onto Python:
//!
//! | Python | genawaiter, as used here |
//! |---|---|
//! | `def g(): ...` | `Gen::new(\|co\| async move { ... })` |
//! | `x = yield value` | `let x = co.yield_(value).await;` |
//! | `g.send(v)` | `gen.resume_with(v)`: `v` is what the paused `.await` evaluates to |
//! | `next(g)` to start | the first `resume_with` argument, which is dropped |
//! | `return r` | the `async` block's result: `GeneratorState::Complete(r)` |
//!
//! * **`yield_` evaluates to the sent value.** `co.yield_(value)` puts
//!   `value` in a slot shared with the caller and returns a future that is
//!   pending until `resume_with` puts the next argument in the same slot;
//!   the `.await` then evaluates to that argument. That is Python's
//!   `x = yield value`, spelled with `.await`.
//! * **The first resume argument is dropped.** When the body starts, no
//!   `yield_` is waiting, so the first `resume_with` argument is
//!   overwritten by the first yielded value and nobody sees it. Python has
//!   the same rule but is stricter: a first `send` that is not `None` is a
//!   `TypeError`. The [`Generator`](pygen_protocol::Generator) wrapper in
//!   `pygen-protocol` raises it before genawaiter is called, and only ever
//!   starts a body with `None`.
//! * **`throw` and `close`** arrive as the `Err` side of the resume value,
//!   so they come out of `co.yield_(..).await` like a sent value and
//!   propagate with `?`, the same as in the other two backends.
//! * **Resuming a finished generator panics:** genawaiter polls the
//!   completed `async` block again, and Rust's "`async fn` resumed after
//!   completion" panic fires. The wrapper never does it; it answers
//!   `StopIteration` instead.
//!
//! ## Why the `rc` flavour
//!
//! genawaiter offers three flavours of the same generator:
//!
//! * `stack` allocates nothing, but the generator's state lives in a
//!   `Shelf` in the caller's stack frame and the generator borrows it. So
//!   it must be created with a macro (`let_gen!`, `let_gen_using!`; the
//!   function underneath is `unsafe`), and a function cannot return one:
//!   it would be returning a borrow of its own local. Every demo here is a
//!   function that returns its generator, as a Python generator function
//!   does.
//! * `sync` can cross threads, but its slot is an `Arc<Mutex<…>>`, and
//!   every yield and resume takes the lock: about 72 ns a step on the
//!   machines pygen is measured on, against 1.4-2.4 ns for the other two.
//!   pygen's generators never leave their thread.
//! * `rc` is what is left: the future is boxed and pinned, and the slot is
//!   an `Rc<Cell<…>>`. That is two allocations when the generator is
//!   created (the box and the `Rc`) and none from genawaiter on each step
//!   after, and the generator moves freely, so it can be
//!   returned, stored, and passed by value like any other value. It is
//!   also `Unpin`, as the protocol's [`Generator`](pygen_protocol::Generator)
//!   wants.
//!
//! The adapter, [`Body`] and `yield from` as the `async fn`s
//! [`yield_from()`] and [`yield_from_iter()`], is
//! `pygen_protocol::genawaiter` (pygen-protocol's feature `genawaiter`),
//! re-exported here.
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
//! | `words.rs` | `words()`: borrowing a local across `yield`, which the boxed `async` block allows |
//! | `account.rs` | `account()`: raising an exception class of its own |
//! | `inventory.rs` | `inventory()`: `except LookupError`, `except Exception`, and PEP 479 |
//! | `pipeline.rs` | `pipeline()`: primed consumers, `close` and `throw` cascading |
//! | `ticker.rs`, `running_mean.rs`, `stubborn_async.rs` | the async generators `ticker()`, `running_mean()`, `stubborn_async()` (PEP 525): an `AsyncBody`, a foreign future polled with the caller's `Context`, `Pending` out through genawaiter's yield (`.await` desugared in `ticker.rs`) |
//! | `handler.rs` | [`handler()`]: the HTTP server's `request = yield response` |
//! | `tasks.rs` | [`tasks`]: the seed's server as written, tasks that do their own I/O by yielding system calls |
//!
//! The demo modules and [`demo()`], a demo picked by name, are declared by
//! `pygen_demos::backend_demos!`, the one list of the demos.
//!
//! This crate builds on stable Rust: no `#![feature]`, and no `unsafe`.
//!
//! ```
//! use pygen_genawaiter::running_sum;
//! use pygen_protocol::{Exception, Generator, Raised};
//!
//! let mut g = Generator::new(running_sum::<i64>());
//! let Err(Raised::Exception(e)) = g.send(2) else { panic!("TypeError") };
//! assert_eq!(e.to_string(), "TypeError: can't send non-None value to a just-started generator");
//! assert_eq!(g.next(), Ok(0));
//! assert_eq!(g.send(2), Ok(2));
//! assert_eq!(g.send(3), Ok(5));
//! assert_eq!(g.next(), Err(Raised::StopIteration(Some(5))));
//! assert_eq!(g.next(), Err(Raised::StopIteration(None)));
//! ```
//!
//! [genawaiter]: https://docs.rs/genawaiter/0.99.1

#![forbid(unsafe_code)]

mod handler;
pub mod tasks;

pub use handler::handler;
/// The adapter, from `pygen_protocol::genawaiter`, re-exported for the demos.
pub use pygen_protocol::genawaiter::{Body, yield_from, yield_from_iter};

pygen_demos::backend_demos!();
