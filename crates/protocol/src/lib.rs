//! # pygen-protocol
//!
//! Python's generator protocol — `next`, `send`, `throw`, `close`,
//! `StopIteration` and `yield from` — on stable Rust, with no backend
//! inside.
//!
//! Two layers:
//!
//! * [`Coroutine`] is the stable mirror of nightly's `std::ops::Coroutine`:
//!   a body that can be resumed with a value and answers
//!   [`CoroutineState::Yielded`] or [`CoroutineState::Complete`]. Any
//!   library that can pause a computation can be adapted to it; pygen's
//!   backend crates adapt genawaiter, async-stream and nightly's own
//!   coroutines.
//! * [`Generator`] wraps any such body in Python's rules. A body is resumed
//!   with a [`Resume<S>`], `Result<Option<S>, Exception>`: `Ok(None)` is
//!   `next()`, `Ok(Some(v))` is `send(v)`, `Err(e)` is `throw(e)`, and
//!   `close()` is `Err(GeneratorExit)`. The body returns
//!   `Result<R, Exception>`: a value (Python's `return`) or an exception
//!   that escaped it.
//!
//! | Python | here |
//! |---|---|
//! | `next(g)`, `g.send(None)` | [`Generator::next`] |
//! | `g.send(v)` | [`Generator::send`] |
//! | `g.throw(E)` | [`Generator::throw`] |
//! | `g.close()` | [`Generator::close`] |
//! | `StopIteration(r)` | [`Raised::StopIteration`] |
//! | `for x in g:` | [`Generator::iter`], `IntoIterator`: items are `Result`s, the return value is kept |
//! | `yield from sub` | a loop around [`Generator::delegate`] |
//! | `yield from iterable` | a loop around [`delegate_iter`] |
//! | `@coroutine` (priming) | [`Generator::primed`] |
//! | `try: ... finally:` | a [`finally`] guard, or any destructor |
//! | `class E(Exception)` | a type that implements [`UserException`], raised as [`Exception::new`] |
//! | `inspect.getgeneratorstate(g)` | [`Generator::state`] |
//!
//! ```
//! use pygen_protocol::{Coroutine, CoroutineState, Exception, Generator, Raised, Resume};
//! use std::pin::Pin;
//!
//! // def running_sum():
//! //     total = 0
//! //     while True:
//! //         x = yield total
//! //         if x is None:
//! //             return total
//! //         total += x
//! //
//! // written by hand, as the state machine a compiler would make
//! enum RunningSum { Start, Suspended(i64), Done }
//!
//! impl Coroutine<Resume<i64>> for RunningSum {
//!     type Yield = i64;
//!     type Return = Result<i64, Exception>;
//!
//!     fn resume(mut self: Pin<&mut Self>, arg: Resume<i64>) -> CoroutineState<i64, Self::Return> {
//!         let (next, state) = match (&*self, arg) {
//!             (RunningSum::Start, _) => (RunningSum::Suspended(0), CoroutineState::Yielded(0)),
//!             (RunningSum::Suspended(total), Ok(Some(x))) => {
//!                 (RunningSum::Suspended(total + x), CoroutineState::Yielded(total + x))
//!             }
//!             (RunningSum::Suspended(total), Ok(None)) => {
//!                 (RunningSum::Done, CoroutineState::Complete(Ok(*total)))
//!             }
//!             (_, Err(e)) => (RunningSum::Done, CoroutineState::Complete(Err(e))),
//!             (RunningSum::Done, _) => unreachable!("Generator never resumes a finished body"),
//!         };
//!         *self = next;
//!         state
//!     }
//! }
//!
//! let mut g = Generator::new(RunningSum::Start);
//! assert_eq!(g.send(5), Err(Raised::Exception(Exception::TypeError)));
//! assert_eq!(g.next(), Ok(0));
//! assert_eq!(g.send(2), Ok(2));
//! assert_eq!(g.send(3), Ok(5));
//! assert_eq!(g.next(), Err(Raised::StopIteration(Some(5))));
//! assert_eq!(g.next(), Err(Raised::StopIteration(None)));
//! ```
//!
//! What Python checks at run time and Rust checks at compile time:
//! `ValueError: generator already executing` cannot happen, because
//! resuming takes `&mut self` (or `Pin<&mut Self>`), so a generator cannot
//! be resumed while it runs; and a body that borrows its own locals across
//! a `yield` cannot be moved once started, because it must be pinned
//! first. The root package's `tests/ui` shows the compiler refusing both.
//!
//! The demos, op scripts, transcripts and the conformance suite that check
//! all of this against CPython live in `pygen-demos`, not here: this crate
//! is only the protocol.

#![cfg_attr(feature = "nightly", feature(coroutine_trait))]

mod coroutine;
mod exception;
mod finally;
mod generator;
mod iter;

#[cfg(feature = "async-stream")]
pub mod async_stream;
#[cfg(feature = "genawaiter")]
pub mod genawaiter;
#[cfg(feature = "nightly")]
pub mod nightly;

pub use coroutine::{Coroutine, CoroutineState, UnpinBody};
pub use exception::{Exception, UserError, UserException};
pub use finally::{Finally, finally};
pub use generator::{Delegated, Generator, GeneratorState, Raised, Resume, delegate_iter};
pub use iter::{IntoIter, Iter};
