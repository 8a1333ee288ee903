//! # pygen-protocol
//!
//! Python's generator protocol — `next`, `send`, `throw`, `close`,
//! `StopIteration`, `return` values and `yield from` — in Rust, on stable
//! Rust, with Python's rules applied in one place.
//!
//! Two layers:
//!
//! * [`Coroutine`] is the stable mirror of nightly's `std::ops::Coroutine`:
//!   a body that can be resumed with a value and answers
//!   [`CoroutineState::Yielded`] or [`CoroutineState::Complete`]. Any
//!   library that can pause a computation can be adapted to it; this
//!   crate's features adapt genawaiter, async-stream and nightly's own
//!   coroutines, so that a body is written with `yield`.
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
//! | `class E(Exception)` | a type that implements [`UserException`], raised as [`Exception::new`]; [`UserException::base`] for another base |
//! | `except LookupError:` | a match guard, `Err(e) if e.is_instance(&Class::LOOKUP_ERROR)`: the class or a subclass ([`Class`]) |
//! | `raise KeyError('fig')`, `raise E from cause` | `Exception::KeyError.with_message("'fig'")`, [`Exception::with_cause`] |
//! | a `StopIteration` escaping the body (PEP 479) | the [`Generator`] raises `RuntimeError: generator raised StopIteration`, from it |
//! | `inspect.getgeneratorstate(g)` | [`Generator::state`] |
//! | `async def` with `yield` (PEP 525) | [`AsyncGenerator`]: `anext`, `asend`, `athrow`, `aclose`, `Stream` |
//!
//! # Guide
//!
//! ## Adding it
//!
//! ```toml
//! [dependencies]
//! pygen-protocol = { version = "0.1", features = ["genawaiter"] }
//! ```
//!
//! With no feature the crate depends on nothing: a body is written by hand,
//! as the state machine a compiler would make (the last section). Each
//! feature adds an adapter, a module named after it, so that a body is
//! written with `yield` in that library and wrapped in the module's `Body`:
//!
//! | feature | module | a body is | `yield from` | toolchain |
//! |---|---|---|---|---|
//! | `genawaiter` | [`genawaiter`](mod@genawaiter) | `Body(Gen::new(\|co\| async move { .. }))`, `co.yield_(v).await?` | [`yield_from(&co, sub)`](genawaiter::yield_from) | stable |
//! | `async-stream` | [`async_stream`](mod@async_stream) | `Body::new(\|co\| stream! { .. })`, `yield v; resumed!(co)` | the loop around [`Generator::delegate`], written out | stable |
//! | `nightly` | [`nightly`](mod@nightly) | `Body(#[coroutine] \|_first\| { .. })`, `(yield v)?` | [`yield_from!(sub)`](nightly::yield_from) | nightly (`#![feature(coroutines)]`) |
//!
//! The examples below are run as tests with the features on (they show as
//! `ignore`d where the documentation was built without a feature).
//!
//! ## A generator with each feature
//!
//! Python's running sum, whose `x = yield total` receives what `send` sends:
//!
//! ```python
//! def running_sum():
//!     total = 0
//!     while True:
//!         x = yield total
//!         if x is None:
//!             return total
//!         total += x
//! ```
//!
//! With `genawaiter`: the body is an `async` block, and `co.yield_(v).await`
//! is the `yield` expression. It evaluates to a [`Resume<S>`]: `Ok(Some(v))`
//! for `send(v)`, `Ok(None)` for `next()`, `Err(e)` for `throw(e)` and
//! `close()`, so `?` is Python's "not caught here, so it propagates".
#![cfg_attr(feature = "genawaiter", doc = "```")]
#![cfg_attr(not(feature = "genawaiter"), doc = "```ignore")]
//! use pygen_protocol::genawaiter::{Body, Co, Gen};
//! use pygen_protocol::{Coroutine, Exception, Generator, Raised, Resume};
//!
//! fn running_sum() -> impl Coroutine<Resume<i64>, Yield = i64, Return = Result<i64, Exception>> {
//!     Body(Gen::new(|co: Co<i64, Resume<i64>>| async move {
//!         let mut total = 0;
//!         loop {
//!             match co.yield_(total).await? {
//!                 Some(x) => total += x,
//!                 None => return Ok(total),
//!             }
//!         }
//!     }))
//! }
//!
//! let mut g = Generator::new(running_sum());
//! assert_eq!(g.next(), Ok(0));
//! assert_eq!(g.send(2), Ok(2));
//! assert_eq!(g.send(3), Ok(5));
//! assert_eq!(g.next(), Err(Raised::StopIteration(Some(5))));
//! ```
//! With `async-stream`: `stream!` only yields out, so the value sent in is
//! read from the slot `co` right after the `yield` ([`resumed!`] is
//! `(yield v)?`), and the return value leaves through it ([`finish!`] is
//! `return`).
#![cfg_attr(feature = "async-stream", doc = "```")]
#![cfg_attr(not(feature = "async-stream"), doc = "```ignore")]
//! use pygen_protocol::async_stream::{Body, Co, finish, resumed, stream};
//! use pygen_protocol::{Coroutine, Exception, Generator, Raised, Resume};
//!
//! fn running_sum() -> impl Coroutine<Resume<i64>, Yield = i64, Return = Result<i64, Exception>> {
//!     Body::new(|co: Co<Resume<i64>, i64>| {
//!         stream! {
//!             let mut total = 0;
//!             loop {
//!                 yield total;
//!                 match resumed!(co) {
//!                     Some(x) => total += x,
//!                     None => finish!(co, Ok(total)),
//!                 }
//!             }
//!         }
//!     })
//! }
//!
//! let mut g = Generator::new(running_sum());
//! assert_eq!(g.next(), Ok(0));
//! assert_eq!(g.send(2), Ok(2));
//! assert_eq!(g.send(3), Ok(5));
//! assert_eq!(g.next(), Err(Raised::StopIteration(Some(5))));
//! ```
//! With `nightly`: a `#[coroutine]` closure, where `yield` is an expression
//! as in Python; the first resume value is the closure's parameter.
#![cfg_attr(feature = "nightly", doc = "```")]
#![cfg_attr(not(feature = "nightly"), doc = "```ignore")]
//! #![feature(coroutines)]
//! use pygen_protocol::nightly::Body;
//! use pygen_protocol::{Coroutine, Exception, Generator, Raised, Resume};
//!
//! fn running_sum() -> impl Coroutine<Resume<i64>, Yield = i64, Return = Result<i64, Exception>> {
//!     Body(
//!         #[coroutine]
//!         |_first: Resume<i64>| {
//!             let mut total = 0;
//!             loop {
//!                 match (yield total)? {
//!                     Some(x) => total += x,
//!                     None => return Ok(total),
//!                 }
//!             }
//!         },
//!     )
//! }
//!
//! let mut g = Generator::new(running_sum());
//! assert_eq!(g.next(), Ok(0));
//! assert_eq!(g.send(2), Ok(2));
//! assert_eq!(g.send(3), Ok(5));
//! assert_eq!(g.next(), Err(Raised::StopIteration(Some(5))));
//! ```
//! ## Driving it: `next`, `send`, `throw`, `close`
//!
//! [`Generator`] answers each call as CPython does: the first `send` must be
//! `None` (`TypeError`), an exception thrown in that the body catches lets it
//! yield again, one it does not catch comes back out, `close()` raises
//! `GeneratorExit` at the paused `yield` and runs the body's cleanup (here a
//! [`finally`] guard, Python's `finally:`), and every call after the end is a
//! bare `StopIteration`.
//!
//! ```python
//! def guarded():
//!     try:
//!         while True:
//!             try:
//!                 yield 'waiting'
//!             except ValueError:
//!                 yield 'recovered'
//!     finally:
//!         print('cleanup')
//! ```
#![cfg_attr(feature = "genawaiter", doc = "```")]
#![cfg_attr(not(feature = "genawaiter"), doc = "```ignore")]
//! use std::cell::Cell;
//! use std::rc::Rc;
//!
//! use pygen_protocol::genawaiter::{Body, Co, Gen};
//! use pygen_protocol::{Class, Exception, Generator, GeneratorState, Raised, Resume, finally};
//!
//! let cleaned = Rc::new(Cell::new(false));
//! let flag = cleaned.clone();
//! let mut g = Generator::new(Body(Gen::new(|co: Co<&str, Resume<()>>| async move {
//!     let _cleanup = finally(move || flag.set(true));
//!     loop {
//!         if let Err(e) = co.yield_("waiting").await {
//!             if !e.is_instance(&Class::VALUE_ERROR) {
//!                 return Err::<(), _>(e);
//!             }
//!             co.yield_("recovered").await?;
//!         }
//!     }
//! })));
//!
//! let Err(Raised::Exception(e)) = g.send(()) else { panic!("TypeError") };
//! assert_eq!(e.to_string(), "TypeError: can't send non-None value to a just-started generator");
//! assert_eq!(g.state(), GeneratorState::Created);
//! assert_eq!(g.next(), Ok("waiting"));
//! assert_eq!(g.throw(Exception::ValueError), Ok("recovered"));
//! assert_eq!(g.next(), Ok("waiting"));
//! assert_eq!(g.close(), Ok(()));
//! assert!(cleaned.get());
//! assert_eq!(g.next(), Err(Raised::StopIteration(None)));
//! assert_eq!(g.state(), GeneratorState::Closed);
//! ```
//! ## A consumer: `primed`
//!
//! A generator that only receives is primed, run to its first `yield`, so
//! that it is ready for `send` (Beazley's `@coroutine` decorator):
//! [`Generator::primed`].
#![cfg_attr(feature = "async-stream", doc = "```")]
#![cfg_attr(not(feature = "async-stream"), doc = "```ignore")]
//! use std::cell::RefCell;
//! use std::rc::Rc;
//!
//! use pygen_protocol::async_stream::{Body, Co, resumed, stream};
//! use pygen_protocol::{Generator, Resume};
//!
//! // @coroutine
//! // def collect(into):
//! //     while True:
//! //         into.append((yield))
//! let seen = Rc::new(RefCell::new(Vec::new()));
//! let into = seen.clone();
//! let mut sink = Generator::primed(Body::new(|co: Co<Resume<i32>, ()>| {
//!     stream! {
//!         loop {
//!             yield ();
//!             if let Some(x) = resumed!(co) {
//!                 into.borrow_mut().push(x);
//!             }
//!         }
//!     }
//! }))
//! .unwrap();
//! sink.send(1).unwrap();
//! sink.send(2).unwrap();
//! sink.close().unwrap();
//! assert_eq!(*seen.borrow(), [1, 2]);
//! ```
//! ## An exception class of your own
//!
//! `class Overdrawn(Exception)` is a type that implements
//! [`UserException`] (`Display` is its message); `raise Overdrawn(...)` is
//! [`Exception::new`], and `except Overdrawn as o` is
//! [`Exception::downcast_ref`], which gives the payload back.
#![cfg_attr(feature = "genawaiter", doc = "```")]
#![cfg_attr(not(feature = "genawaiter"), doc = "```ignore")]
//! use std::fmt;
//!
//! use pygen_protocol::genawaiter::{Body, Co, Gen};
//! use pygen_protocol::{Exception, Generator, Raised, Resume, UserException};
//!
//! #[derive(Debug)]
//! struct Overdrawn {
//!     balance: i64,
//!     asked: i64,
//! }
//!
//! impl fmt::Display for Overdrawn {
//!     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
//!         write!(f, "balance {}, asked {}", self.balance, self.asked)
//!     }
//! }
//!
//! impl UserException for Overdrawn {
//!     fn class_name(&self) -> &'static str {
//!         "Overdrawn"
//!     }
//! }
//!
//! // def account(balance):
//! //     while True:
//! //         amount = yield balance
//! //         if amount is not None:
//! //             if balance + amount < 0:
//! //                 raise Overdrawn(f'balance {balance}, asked {amount}')
//! //             balance += amount
//! let mut g = Generator::new(Body(Gen::new(|co: Co<i64, Resume<i64>>| async move {
//!     let mut balance = 10;
//!     loop {
//!         if let Some(amount) = co.yield_(balance).await? {
//!             if balance + amount < 0 {
//!                 return Err::<(), _>(Exception::new(Overdrawn { balance, asked: amount }));
//!             }
//!             balance += amount;
//!         }
//!     }
//! })));
//! assert_eq!(g.next(), Ok(10));
//! let Err(Raised::Exception(e)) = g.send(-20) else { panic!("not raised") };
//! assert_eq!(e.to_string(), "Overdrawn: balance 10, asked -20");
//! assert_eq!(e.downcast_ref::<Overdrawn>().map(|o| o.asked), Some(-20));
//! ```
//! ## `yield from`
//!
//! `total = yield from sub()` passes `send`, `throw` and `close` on to the
//! sub-generator and evaluates to what it returns: [`nightly::yield_from!`]
//! (a macro, since only the body itself can `yield`), or
//! [`genawaiter::yield_from`] (an `async fn`, `.await`ed). In async-stream it
//! is the loop around [`Generator::delegate`], written out (see that module).
#![cfg_attr(feature = "nightly", doc = "```")]
#![cfg_attr(not(feature = "nightly"), doc = "```ignore")]
//! #![feature(coroutines)]
//! use pygen_protocol::nightly::{Body, yield_from};
//! use pygen_protocol::{Coroutine, Exception, Generator, Raised, Resume};
//!
//! // def countdown():
//! //     yield 2
//! //     yield 1
//! //     return 'liftoff'
//! fn countdown() -> impl Coroutine<Resume<()>, Yield = u32, Return = Result<&'static str, Exception>> {
//!     Body(
//!         #[coroutine]
//!         |_first: Resume<()>| {
//!             (yield 2)?;
//!             (yield 1)?;
//!             Ok("liftoff")
//!         },
//!     )
//! }
//!
//! // def launch():
//! //     status = yield from countdown()
//! //     yield 0
//! //     return status
//! fn launch() -> impl Coroutine<Resume<()>, Yield = u32, Return = Result<&'static str, Exception>> {
//!     Body(
//!         #[coroutine]
//!         |_first: Resume<()>| {
//!             let status = yield_from!(Generator::new(countdown()))?;
//!             (yield 0)?;
//!             Ok(status.unwrap_or("scrubbed"))
//!         },
//!     )
//! }
//!
//! let mut g = Generator::new(launch());
//! assert_eq!(g.next(), Ok(2));
//! assert_eq!(g.next(), Ok(1));
//! assert_eq!(g.next(), Ok(0));
//! assert_eq!(g.next(), Err(Raised::StopIteration(Some("liftoff"))));
//! ```
//! ## Borrowing across `yield`: `pin!`
//!
//! A body that borrows its own local across a `yield` (`for word in
//! text.split()` over its own `text`) must not move once it has started. In
//! nightly it is a `static` coroutine, `!Unpin`, and it is pinned where it
//! lives before [`Generator::new`] takes it, with no allocation (forgetting
//! is refused with a note naming `pin!`). genawaiter and async-stream box
//! every body already, so there the same Rust needs nothing more.
#![cfg_attr(feature = "nightly", doc = "```")]
#![cfg_attr(not(feature = "nightly"), doc = "```ignore")]
//! #![feature(coroutines)]
//! use std::pin::pin;
//!
//! use pygen_protocol::nightly::Body;
//! use pygen_protocol::{Coroutine, Exception, Generator, Resume};
//!
//! // def words():
//! //     text = 'the quick brown fox'
//! //     for word in text.split():
//! //         yield word
//! fn words() -> impl Coroutine<Resume<()>, Yield = String, Return = Result<(), Exception>> {
//!     Body(
//!         #[coroutine]
//!         static |_first: Resume<()>| {
//!             let text = String::from("the quick brown fox");
//!             for word in text.split_whitespace() {
//!                 (yield word.to_owned())?;
//!             }
//!             Ok(())
//!         },
//!     )
//! }
//!
//! let body = pin!(words());
//! let mut g = Generator::new(body);
//! let all: Result<Vec<String>, Exception> = g.iter().collect();
//! assert_eq!(all.unwrap(), ["the", "quick", "brown", "fox"]);
//! ```
//! A body can also borrow from its caller, here a `&str`, across every
//! `yield`: a tokenizer.
#![cfg_attr(feature = "nightly", doc = "```")]
#![cfg_attr(not(feature = "nightly"), doc = "```ignore")]
//! #![feature(coroutines)]
//! use pygen_protocol::nightly::Body;
//! use pygen_protocol::{Coroutine, Exception, Generator, Resume};
//!
//! fn tokens(text: &str) -> impl Coroutine<Resume<()>, Yield = &str, Return = Result<(), Exception>> {
//!     Body(
//!         #[coroutine]
//!         move |_first: Resume<()>| {
//!             for token in text.split(',') {
//!                 (yield token.trim())?;
//!             }
//!             Ok(())
//!         },
//!     )
//! }
//!
//! let line = String::from("a, b ,c");
//! let all: Result<Vec<&str>, Exception> = Generator::new(tokens(&line)).into_iter().collect();
//! assert_eq!(all.unwrap(), ["a", "b", "c"]);
//! ```
//! ## Keeping a generator in a struct
//!
//! A body's type cannot be written (it is a closure's or an `async` block's),
//! so a generator kept in a field is a [`BoxGenerator`]: boxed, pinned, and
//! known only by what it yields, is sent and returns. [`Generator::boxed`]
//! makes one from any body, pinned or not.
#![cfg_attr(feature = "genawaiter", doc = "```")]
#![cfg_attr(not(feature = "genawaiter"), doc = "```ignore")]
//! use pygen_protocol::genawaiter::{Body, Co, Gen};
//! use pygen_protocol::{BoxGenerator, Exception, Generator, Resume};
//!
//! struct Ticker {
//!     ticks: BoxGenerator<'static, u32, (), ()>,
//! }
//!
//! impl Ticker {
//!     fn new() -> Ticker {
//!         let ticks = Generator::boxed(Body(Gen::new(|co: Co<u32, Resume<()>>| async move {
//!             let mut n = 0;
//!             loop {
//!                 co.yield_(n).await?;
//!                 n += 1;
//!             }
//!         })));
//!         Ticker { ticks }
//!     }
//!
//!     fn tick(&mut self) -> u32 {
//!         self.ticks.next().unwrap()
//!     }
//! }
//!
//! let mut t = Ticker::new();
//! assert_eq!((t.tick(), t.tick(), t.tick()), (0, 1, 2));
//! ```
//! ## A `yield` whose value is not used
//!
//! `yield v` as a statement must not swallow a `throw` or a `close`:
//!
//! * In `nightly` and `genawaiter` the `yield` evaluates to a [`Resume`], a
//!   `Result`, so dropping it is the `unused_must_use` warning (deny it, or
//!   `-D warnings`). Write `(yield v)?;` or `co.yield_(v).await?;`; never
//!   `let _ = yield v;`, which swallows the exception as Python's bare
//!   `except: pass` would.
//! * In `async-stream` the `yield` evaluates to `()`, so nothing can warn:
//!   the adapter raises an exception the body never looked at (no
//!   [`resumed!`] or [`raise_thrown!`] after the `yield`) at the body's next
//!   `yield`, or at its end, as if it had propagated from the `yield` it was
//!   thrown at. Write `yield v; raise_thrown!(co);` to have it raised where
//!   Python raises it.
//!
//! ## A body by hand
//!
//! With no feature: `running_sum` as the state machine a compiler would make.
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
//! let Err(Raised::Exception(e)) = g.send(5) else { panic!("TypeError") };
//! assert_eq!(e.to_string(), "TypeError: can't send non-None value to a just-started generator");
//! assert_eq!(g.next(), Ok(0));
//! assert_eq!(g.send(2), Ok(2));
//! assert_eq!(g.send(3), Ok(5));
//! assert_eq!(g.next(), Err(Raised::StopIteration(Some(5))));
//! assert_eq!(g.next(), Err(Raised::StopIteration(None)));
//! ```
//!
//! ## Async generators (PEP 525): `.await` is a `yield`
//!
//! [`AsyncGenerator`] is [`Generator`]'s sibling: Python's async generator
//! object, with [`anext`](AsyncGenerator::anext),
//! [`asend`](AsyncGenerator::asend), [`athrow`](AsyncGenerator::athrow)
//! and [`aclose`](AsyncGenerator::aclose) each returning a future, and
//! (feature `stream`, which `async-stream` turns on) `futures_core::Stream`
//! for `async for`. CPython 3.11's rules, quirks included, are applied in
//! it once: see its module's table.
//!
//! The body is a [`Coroutine`] like any other, resumed with an
//! [`AsyncResume`] (the caller's `Context` as a [`TaskContext`], rustc's
//! `ResumeTy`, and the value sent in, if the resume starts an operation)
//! and yielding an [`AsyncYield`]: a value, or `Pending` from inside an
//! `await`. Each adapter makes one:
//!
//! | feature | a body is | `await` on a foreign future |
//! |---|---|---|
//! | `genawaiter` | `genawaiter::AsyncBody::new(\|co\| async move { .. })`, `co.yield_(v).await?` | `co.await_(future).await`: polled with the caller's `Context`, `Pending` out through genawaiter's own yield |
//! | `async-stream` | `async_stream::AsyncBody::new(\|co\| stream! { .. })`, `yield v; resumed!(co)` | `future.await`, Rust's own: the stream is polled with the caller's `Context` |
//! | `nightly` | `nightly::Body(#[coroutine] static \|first: AsyncResume<S>\| { .. })`, `async_yield!(cx, v)?` | `await_!(cx, future)`: the loop rustc writes for `.await` |
//!
//! Python's `async def ticker(): ... await asyncio.sleep(0); yield n`:
#![cfg_attr(feature = "genawaiter", doc = "```")]
#![cfg_attr(not(feature = "genawaiter"), doc = "```ignore")]
//! use pygen_protocol::genawaiter::{AsyncBody, AsyncCo};
//! use pygen_protocol::{AsyncGenerator, Exception};
//!
//! let body = AsyncBody::new(|co: AsyncCo<u32, ()>| async move {
//!     let mut n = 0;
//!     loop {
//!         co.await_(std::future::ready(())).await; // await asyncio.sleep(0)
//!         co.yield_(n).await?;                      // yield n
//!         n += 1;
//!     }
//! });
//! let mut g = AsyncGenerator::new(body);
//! futures::executor::block_on(async {
//!     assert_eq!(g.anext().await, Ok(0));
//!     assert_eq!(g.anext().await, Ok(1));
//!     assert_eq!(g.aclose().await, Ok(()));
//!     assert_eq!(g.anext().await, Err(Exception::StopAsyncIteration));
//! });
//! ```
//!
//! Two operations in flight at once, `RuntimeError` in Python, do not
//! compile: each method takes `&mut self`, and its future keeps the borrow.
//!
//! What Python checks at run time and Rust checks at compile time:
//! `ValueError: generator already executing` cannot happen to a
//! [`Generator`], because resuming takes `&mut self` (or `Pin<&mut
//! Self>`), so a generator cannot be resumed while it runs; and a body that
//! borrows its own locals across a `yield` cannot be moved once started,
//! because it must be pinned first. The root package's `tests/ui` shows the
//! compiler refusing both. Share a generator among several owners, as
//! every Python generator is shared, and the check moves back to run time:
//! [`SharedGenerator`] is `Rc<RefCell<Generator>>` with Python's methods on
//! `&self`, and a call on it while it runs is `ValueError`, as in CPython.
//!
//! ## When a generator is dropped
//!
//! Dropping a suspended generator closes it, as CPython's finaliser does
//! when the last reference goes (`del g`): `except GeneratorExit:` and
//! cleanup run. A close that fails there has nobody to raise to, and goes
//! to the [unraisable hook](set_unraisable_hook) (by default one line on
//! stderr), as CPython's goes to `sys.unraisablehook`:
//!
//! ```
//! use std::cell::RefCell;
//! use std::rc::Rc;
//! use std::pin::Pin;
//! use pygen_protocol::{
//!     Coroutine, CoroutineState, Exception, Generator, Resume, Unraisable, set_unraisable_hook,
//! };
//!
//! // def stubborn():
//! //     while True:
//! //         try:
//! //             yield 'still here'
//! //         except GeneratorExit:
//! //             pass
//! struct Stubborn;
//! impl Coroutine<Resume<()>> for Stubborn {
//!     type Yield = &'static str;
//!     type Return = Result<(), Exception>;
//!     fn resume(self: Pin<&mut Self>, _: Resume<()>) -> CoroutineState<&'static str, Self::Return> {
//!         CoroutineState::Yielded("still here") // whatever comes in, GeneratorExit too
//!     }
//! }
//!
//! let seen = Rc::new(RefCell::new(Vec::new()));
//! let record = seen.clone();
//! let before = set_unraisable_hook(Some(Box::new(move |what: &Unraisable| {
//!     record.borrow_mut().push(what.clone())
//! })));
//! let mut g = Generator::new(Stubborn);
//! g.next().unwrap();
//! drop(g); // del g: Exception ignored ... RuntimeError: generator ignored GeneratorExit
//! set_unraisable_hook(before);
//! let ignored = Exception::RuntimeError.with_message("generator ignored GeneratorExit");
//! assert_eq!(*seen.borrow(), [Unraisable::Raised(ignored)]);
//! ```
//!
//! The crate is tested against CPython, transcript by transcript, in the
//! pygen workspace, whose demos, op scripts and conformance suite live
//! outside it: this crate is only the protocol and its adapters.

#![cfg_attr(feature = "nightly", feature(coroutine_trait))]
// The guide links into every adapter's module; without all the features
// some of them are compiled out, and those links have nowhere to go.
#![cfg_attr(
    not(all(feature = "nightly", feature = "genawaiter", feature = "async-stream")),
    allow(rustdoc::broken_intra_doc_links)
)]

mod async_generator;
mod coroutine;
mod exception;
mod finally;
mod generator;
mod iter;
mod shared;
mod unraisable;

#[cfg(feature = "async-stream")]
pub mod async_stream;
#[cfg(feature = "genawaiter")]
pub mod genawaiter;
#[cfg(feature = "nightly")]
pub mod nightly;

pub use async_generator::{
    AClose, ASend, AThrow, AsyncGenerator, AsyncGeneratorState, AsyncResume, AsyncYield,
    TaskContext,
};
pub use coroutine::{Coroutine, CoroutineState, UnpinBody};
pub use exception::{Class, Exception, UserException};
pub use finally::{Finally, finally};
pub use generator::{
    BoxGenerator, Delegated, Generator, GeneratorState, Raised, Resume, SubGenerator, delegate_iter,
};
pub use iter::{IntoIter, Iter};
pub use shared::SharedGenerator;
pub use unraisable::{Unraisable, UnraisableHook, set_unraisable_hook};
