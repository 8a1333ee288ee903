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
//!   [`CoroutineState::Yielded`] or [`CoroutineState::Complete`]. The
//!   backend crates (`pygen-genawaiter`, `pygen-async-stream`,
//!   `pygen-nightly`) each adapt their library to it.
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
//! | `yield from sub` | a loop around [`Generator::delegate`] |
//! | `try: ... finally:` | a [`finally`] guard, or any destructor |
//! | `inspect.getgeneratorstate(g)` | [`Generator::state`] |
//!
//! Around them: [`Repr`] writes values the way Python's `repr` does, the
//! [`transcript`](mod@transcript) module runs op scripts and prints what
//! CPython would print, and [`demo`](mod@demo) holds the vocabulary the seven
//! demo generators share (and [`demo_by_name!`], each backend's `demo()`).
//! [`ROWS`] is the protocol table as data, each row an op script with
//! CPython's transcript, and [`behaviour_suite!`] the conformance suite
//! every backend runs, one test per row.

pub mod conformance;
mod coroutine;
pub mod demo;
mod exception;
mod generator;
mod repr;
pub mod transcript;

pub use conformance::{ROWS, Row};
pub use coroutine::{Coroutine, CoroutineState};
pub use demo::{Batch, Demo, Finally, Log, Summable, UnknownDemo, finally};
pub use exception::Exception;
pub use generator::{Delegated, Generator, GeneratorState, Iter, Raised, Resume};
pub use repr::Repr;
pub use transcript::{BadOp, Op, Outcome, PyGenerator, parse_ops, transcript};
