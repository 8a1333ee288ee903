//! The async-stream adapter (feature `async-stream`): [`Body`], an
//! `async-stream` stream seen through pygen's stable
//! [`Coroutine`] trait, [`Co`], the slot that carries the
//! two things a stream cannot, and the macros [`resumed!`], [`raise_thrown!`]
//! and [`finish!`]. The [`async_stream`](mod@async_stream) crate itself is
//! re-exported, and its [`stream!`] macro beside the adapter's.
//!
//! # What `stream!` gives, and what it does not
//!
//! `stream! { ... }` turns a block containing `yield` into an
//! `async move` block wrapped in a `Stream`. Reading async-stream 0.3.6
//! shows how: each `yield v` is rewritten into
//! `__yield_tx.send(v).await`. The first poll of that `send` future
//! writes `v`, through a thread-local pointer, into a local variable of the
//! stream's `poll_next`, and answers `Pending`; `poll_next` finds the value
//! there and returns `Ready(Some(v))`. The next poll of the same future
//! answers `Ready(())`, so the body runs on from its `yield`. When the
//! async block ends, `poll_next` returns `Ready(None)`, and keeps doing so.
//! Nothing runs when the stream is made: the first poll runs the body from
//! its top to its first `yield`, which is Python's first `next(g)`.
//!
//! That is half a generator. A `yield` expression evaluates to `()`, so a
//! value sent in has nowhere to arrive; the async block's value is `()`, so
//! a `return value` has nowhere to go.
//!
//! # The slot
//!
//! [`Co`] is a shared slot (an `Rc` of four `Cell`s) that the adapter and
//! the body both hold:
//!
//! * in: [`Body`]'s `resume(arg)` puts `arg` in the slot, then polls the
//!   stream once. The body, just after each `yield`, takes it out with
//!   [`Co::resumed`]: that is the value of the paused `yield` expression.
//!   `throw(E)` and `close()` arrive the same way, as `Err(E)` and
//!   `Err(GeneratorExit)`, because the protocol's resume value is a
//!   [`Resume<S>`](crate::Resume), `Result<Option<S>, Exception>`.
//!   The slot keeps the two sides in two cells, the value sent in one and
//!   the exception thrown in the other, so that `next` and `send`, which
//!   never carry an exception, never have to look for one to drop either.
//!   A `yield` whose value the body does not use, Python's `yield v` as a
//!   statement, only has to know whether an exception was thrown in:
//!   [`Co::raised`] answers that from a flag beside the exception's cell,
//!   and leaves the value sent for the next resume to replace.
//! * out: before its stream ends, the body leaves its return value,
//!   `Result<R, Exception>`, in the slot with [`Co::finish`]; when the
//!   stream answers `Ready(None)`, the adapter takes it out and answers
//!   `Complete` with it.
//!
//! Three macros spell the control flow, because Rust's `?` cannot do it here:
//! the async block returns `()`, and inside `stream!` a `?` is rewritten by
//! the macro into "yield the error as an item and end the stream", which is
//! `try_stream!`'s meaning, not Python's. [`resumed!`](crate::resumed) is
//! `(yield v)?` — take the resume value and, if an exception was thrown in,
//! leave it as the return value and end the body, which is Python's "not
//! caught here, so it propagates". [`raise_thrown!`](crate::raise_thrown)
//! is the same for a `yield` used as a statement, whose value is dropped.
//! [`finish!`](crate::finish) is Python's `return value`.
//!
//! # What cannot happen, and what is done if it does anyway
//!
//! Nothing here panics. The three ways a body could break the slot's
//! protocol each end the body with `RuntimeError`, the exception Python
//! raises when a generator breaks the protocol (PEP 479):
//!
//! * The stream answers `Pending` without a value. The only future a
//!   pygen body awaits is `yield`'s own, so that cannot happen; a body that
//!   awaited some other future would never be woken (the waker is a no-op),
//!   so the adapter reports `Complete(Err(RuntimeError))` instead of
//!   spinning.
//! * The stream ends without leaving a return value: a body that fell off
//!   its end instead of calling [`finish!`](crate::finish). Every body in
//!   this crate ends only through `finish!` or `resumed!`.
//! * The body takes the resume value twice after one `yield`, so the
//!   second [`Co::resumed`] finds the slot empty.
//!
//! And a `yield` the body comes back from with neither `resumed!` nor
//! `raise_thrown!` (a plain `yield v;`, which nothing can flag: inside
//! `stream!` it is an expression of type `()`) does not swallow a `throw`
//! or a `close`: the exception waits in the slot, and if the body reaches
//! its next `yield`, or its end, without having looked at it, the adapter
//! raises it there instead, as if it had propagated from the `yield` it was
//! thrown at. The body has run on in between, which Python's would not
//! have; a body that means to let exceptions through writes
//! `raise_thrown!(co)` after the `yield`.
//!
//! # Cost
//!
//! Making a `Body` allocates twice: the stream is `!Unpin` (an async block
//! may borrow its own locals across an `.await`), so it is pinned in a
//! `Box`, and the slot is an `Rc`, shared with the body. Each resume then
//! costs one `Cell` write, one poll of the stream through the box (async
//! -stream's thread-local bookkeeping included), one `Cell` take in the
//! body (a load of the flag and a branch, for a `yield` whose value is not
//! used), and no dynamic dispatch: `Body` is generic over the stream type.

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures_core::Stream;

use crate::{AsyncResume, AsyncYield, Coroutine, CoroutineState, Exception, Resume};

pub use crate::{finish, raise_thrown, resumed};
pub use ::async_stream;
pub use ::async_stream::stream;

/// A `stream!` block, driven by polling it once per resume, with [`Co`] as
/// the way in for resume values and the way out for the return value.
///
/// `A` is the resume type (a [`Resume<S>`](crate::Resume) for
/// every pygen body), and the body returns `Result<R, Exception>`.
///
/// ```
/// use pygen_protocol::async_stream::{Body, Co, finish, resumed, stream};
/// use pygen_protocol::{Generator, Raised, Resume};
///
/// // def once():
/// //     x = yield 'ready'
/// //     return x
/// let body = Body::new(|co: Co<Resume<i32>, Option<i32>>| {
///     stream! {
///         yield "ready";
///         let x = resumed!(co);
///         finish!(co, Ok(x));
///     }
/// });
/// let mut g = Generator::new(body);
/// assert_eq!(g.next(), Ok("ready"));
/// assert_eq!(g.send(7), Err(Raised::StopIteration(Some(Some(7)))));
/// ```
pub struct Body<St, A: ResumeValue, R> {
    /// The `stream!` block. Pinned in a box because it is `!Unpin`; the box
    /// makes `Body` itself `Unpin`, as the protocol's `Generator` wants.
    stream: Pin<Box<St>>,
    /// The adapter's handle to the slot; the body holds a clone.
    co: Co<A, R>,
}

impl<St, A: ResumeValue, R> Body<St, A, R> {
    /// Make a body from a function that gets the slot and builds the
    /// stream, typically `|co| stream! { ... }`. Like calling a Python
    /// generator function, this runs none of the body: async blocks do
    /// nothing until polled.
    pub fn new<F>(body: F) -> Body<St, A, R>
    where
        F: FnOnce(Co<A, R>) -> St,
    {
        let co = Co::new();
        Body {
            stream: Box::pin(body(co.clone())),
            co,
        }
    }
}

impl<St, A: ResumeValue, R> Coroutine<A> for Body<St, A, R>
where
    St: Stream,
{
    type Yield = St::Item;
    type Return = Result<R, Exception>;

    // Always inlined, like `Generator`'s own methods: the caller's loop
    // then fills the slot and calls the stream's `poll_next` itself, as it
    // would with `stream!` used directly, instead of handing the resume
    // value through memory to a function that does both.
    #[inline(always)]
    fn resume(self: Pin<&mut Self>, arg: A) -> CoroutineState<St::Item, Result<R, Exception>> {
        let this = self.get_mut();
        // The value of the `yield` the body is paused at. Before the first
        // poll nothing reads it: the body starts at its top, where no
        // `yield` is waiting, so Python's priming `next(g)` (the only way
        // the `Generator` wrapper starts a body) is overwritten unread.
        let threw = this.co.put_resume(arg);
        // Nothing ever waits on a waker here: the body only awaits its own
        // `yield`s, which are ready on the next poll. `Waker::noop` is in
        // std since Rust 1.85; `futures::task::noop_waker_ref` is the same
        // thing for older compilers.
        let mut cx = Context::from_waker(Waker::noop());
        match this.stream.as_mut().poll_next(&mut cx) {
            // An exception thrown in and never looked at, because the body
            // came back from its `yield` with neither `resumed!` nor
            // `raise_thrown!`, is raised now, at the next `yield`: uncaught,
            // it propagates, rather than being lost.
            Poll::Ready(Some(_)) if threw && this.co.0.is_thrown.get() => {
                CoroutineState::Complete(Err(this.co.take_thrown()))
            }
            Poll::Ready(Some(value)) => CoroutineState::Yielded(value),
            other => CoroutineState::Complete(this.co.ended(other.is_ready())),
        }
    }
}

/// An async generator's body written with `stream!`: the same slot as
/// [`Body`] for the values sent in, and the stream polled with the
/// caller's own `Context`, so that `.await` inside `stream!` is an
/// ordinary `.await`.
///
/// `stream!` is already an async generator in all but `asend`: it yields
/// out, and it awaits any future, because its `poll_next` hands the
/// `Context` it is given on to the async block. A future that answers
/// `Pending` makes `poll_next` answer `Pending`; the next poll goes on
/// where it stopped. What it lacks is the way in, the slot.
///
/// ```
/// use pygen_protocol::async_stream::{AsyncBody, Co, finish, resumed, stream};
/// use pygen_protocol::{AsyncGenerator, Exception, Resume};
///
/// // async def last_sent():
/// //     x = None
/// //     while x != 0:
/// //         await asyncio.sleep(0)
/// //         x = yield x
/// let body = AsyncBody::new(|co: Co<Resume<i32>, ()>| {
///     stream! {
///         let mut x = None;
///         while x != Some(0) {
///             std::future::ready(()).await;
///             yield x;
///             x = resumed!(co);
///         }
///         finish!(co, Ok(()));
///     }
/// });
/// let mut g = AsyncGenerator::new(body);
/// futures::executor::block_on(async {
///     assert_eq!(g.anext().await, Ok(None));
///     assert_eq!(g.asend(3).await, Ok(Some(3)));
///     assert_eq!(g.asend(0).await, Err(Exception::StopAsyncIteration));
/// });
/// ```
pub struct AsyncBody<St, S> {
    /// The `stream!` block, pinned in a box as in [`Body`].
    stream: Pin<Box<St>>,
    /// The adapter's handle to the slot; the body holds a clone. The body
    /// returns nothing, so its return value is `()`.
    co: Co<Resume<S>, ()>,
}

impl<St, S> AsyncBody<St, S> {
    /// Make a body from a function that gets the slot and builds the
    /// stream, `|co| stream! { ... }`. This runs none of the body.
    pub fn new<F>(body: F) -> AsyncBody<St, S>
    where
        F: FnOnce(Co<Resume<S>, ()>) -> St,
    {
        let co = Co::new();
        AsyncBody {
            stream: Box::pin(body(co.clone())),
            co,
        }
    }
}

impl<St, S> Coroutine<AsyncResume<S>> for AsyncBody<St, S>
where
    St: Stream,
{
    type Yield = AsyncYield<St::Item>;
    type Return = Result<(), Exception>;

    fn resume(
        self: Pin<&mut Self>,
        arg: AsyncResume<S>,
    ) -> CoroutineState<AsyncYield<St::Item>, Result<(), Exception>> {
        let this = self.get_mut();
        // The first resume of an operation brings what the paused `yield`
        // evaluates to; a poll again after `Pending` brings nothing, and
        // the body is still inside its `.await`.
        if let Some(sent) = arg.sent {
            this.co.put_resume(sent);
        }
        // SAFETY: `arg.cx` was made from the `&mut Context` of the poll that
        // called this resume, which is blocked in this call until it
        // returns: the `Context` is alive and used by nobody else. It is
        // lent to `poll_next` for no longer than this call.
        let cx = unsafe { arg.cx.get() };
        match this.stream.as_mut().poll_next(cx) {
            Poll::Ready(Some(_)) if this.co.0.is_thrown.get() => {
                CoroutineState::Complete(Err(this.co.take_thrown()))
            }
            Poll::Ready(Some(value)) => CoroutineState::Yielded(AsyncYield::Value(value)),
            Poll::Pending => CoroutineState::Yielded(AsyncYield::Pending),
            Poll::Ready(None) => CoroutineState::Complete(this.co.ended(true)),
        }
    }
}

/// What a body can be resumed with: `Result<T, Exception>`, which pygen's
/// [`Resume<S>`](crate::Resume) is.
///
/// The slot keeps the two sides apart: a value sent in goes in one cell
/// and an exception thrown in goes in another, so the cell that every
/// `next` and `send` writes holds no [`Exception`], and putting a value in
/// it never has to check for an exception to drop. Sealed: `Result` is the
/// only implementation.
pub trait ResumeValue: sealed::Sealed {
    /// The `Ok` side: what `send` delivers.
    type Sent;
    /// The value as the `Result` it is.
    fn into_result(self) -> Result<Self::Sent, Exception>;
}

impl<T> ResumeValue for Result<T, Exception> {
    type Sent = T;

    #[inline(always)]
    fn into_result(self) -> Result<T, Exception> {
        self
    }
}

mod sealed {
    pub trait Sealed {}
    impl<T> Sealed for Result<T, crate::Exception> {}
}

/// The slot shared by a [`Body`] and its `stream!` block: the resume value
/// goes in through it, and the return value comes out.
///
/// Cloning a `Co` gives another handle to the same slot. It is an `Rc` of
/// four `Cell`s — no lock, no borrow flag — so a body using it is not
/// `Send`: a generator made here stays on the thread that made it.
pub struct Co<A: ResumeValue, R>(Rc<Slot<A, R>>);

/// What a [`Co`] holds.
struct Slot<A: ResumeValue, R> {
    /// The value the latest `resume` sent in (`Ok(None)` for `next`), until
    /// the body takes it.
    sent: Cell<Option<A::Sent>>,
    /// The exception the latest `resume` threw in, until the body takes it.
    thrown: Cell<Option<Exception>>,
    /// Whether `thrown` holds an exception. A `Cell` can only look at a
    /// value that is not `Copy` by taking it out and putting something
    /// back, a load and a store; this `bool` is read with one load, which
    /// is all a `yield` whose value is not used needs on every resume.
    is_thrown: Cell<bool>,
    /// The body's return value, from [`Co::finish`] until the adapter takes
    /// it.
    returned: Cell<Option<Result<R, Exception>>>,
}

impl<A: ResumeValue, R> Co<A, R> {
    fn new() -> Co<A, R> {
        Co(Rc::new(Slot {
            sent: Cell::new(None),
            thrown: Cell::new(None),
            is_thrown: Cell::new(false),
            returned: Cell::new(None),
        }))
    }

    /// Leave `value` as the body's return value: `Ok(r)` is Python's
    /// `return r`, `Err(e)` an exception propagating out. The body must end
    /// straight after, which [`finish!`](crate::finish) does.
    #[cold]
    pub fn finish(&self, value: Result<R, Exception>) {
        self.0.returned.set(Some(value));
    }

    /// The adapter's side: the value the paused `yield` will evaluate to.
    /// Whether it is an exception thrown in: only then can the body leave
    /// one unlooked-at, and `next` and `send`, where the caller's `Ok` makes
    /// this a constant `false`, skip the check for it.
    #[inline(always)]
    fn put_resume(&self, arg: A) -> bool {
        match arg.into_result() {
            Ok(sent) => {
                self.0.sent.set(Some(sent));
                false
            }
            Err(exception) => {
                self.put_thrown(exception);
                true
            }
        }
    }

    /// `throw` and `close`: the exception goes in its own cell, and a value
    /// sent earlier and never read is dropped, so that the body sees the
    /// exception.
    #[cold]
    fn put_thrown(&self, exception: Exception) {
        self.0.sent.set(None);
        self.0.thrown.set(Some(exception));
        self.0.is_thrown.set(true);
    }

    /// The exception thrown in, or `RuntimeError` if there is none.
    #[cold]
    fn take_thrown(&self) -> Exception {
        self.0.is_thrown.set(false);
        self.0.thrown.take().unwrap_or_else(|| {
            Exception::RuntimeError.with_message(
                "the body read what its yield evaluates to twice (resumed! after resumed!)",
            )
        })
    }

    /// The adapter's side, when the stream did not yield: what the body
    /// left with [`Co::finish`] if it ended (`ready`), or `RuntimeError`.
    /// An exception thrown in and never looked at is raised in place of
    /// what the body returned.
    #[cold]
    fn ended(&self, ready: bool) -> Result<R, Exception> {
        match self.0.returned.take() {
            Some(_) if ready && self.0.is_thrown.get() => Err(self.take_thrown()),
            Some(returned) if ready => returned,
            // Unreachable for a body that awaits nothing but `yield` and
            // ends through `finish!`: see the module docs. Ending is safer
            // than being resumed again.
            _ if ready => Err(Exception::RuntimeError.with_message(FELL_OFF)),
            _ => Err(Exception::RuntimeError.with_message(crate::generator::FOREIGN_AWAIT)),
        }
    }
}

/// The `RuntimeError` of a body that ended without `finish!`.
const FELL_OFF: &str = "the body ended without finish!, so it has no return value";

impl<T, R> Co<Result<T, Exception>, R> {
    /// What the `yield` the body just came back from evaluates to: `Ok`
    /// with the value sent in (`Ok(None)` for `next`), or `Err` with the
    /// exception `throw` or `close` raised there. Call it once after each
    /// `yield`; a second call finds the slot empty and answers
    /// `Err(RuntimeError)`.
    #[inline(always)]
    pub fn resumed(&self) -> Result<T, Exception> {
        match self.0.sent.take() {
            Some(sent) => Ok(sent),
            None => Err(self.take_thrown()),
        }
    }

    /// What the `yield` the body just came back from raised, for a `yield`
    /// whose value the body does not use (Python's `yield v` as a
    /// statement): `Err` with the exception `throw` or `close` raised
    /// there, or `Ok(())` after `next` or `send`. A value sent in is left in
    /// the slot, unread, and the next resume replaces it; so this is the
    /// cheaper of the two ways to come back from a `yield`, one load and a
    /// branch against [`Co::resumed`]'s load, store and compare.
    #[inline(always)]
    pub fn raised(&self) -> Result<(), Exception> {
        if self.0.is_thrown.get() {
            Err(self.take_thrown())
        } else {
            Ok(())
        }
    }
}

impl<A: ResumeValue, R> Clone for Co<A, R> {
    fn clone(&self) -> Co<A, R> {
        Co(Rc::clone(&self.0))
    }
}

/// `(yield v)?` after a `yield` inside `stream!`: the value the `yield`
/// evaluates to, or, if an exception was thrown in, that exception left as
/// the body's return value and the body ended — Python's "not caught here,
/// so it propagates".
///
/// Write `yield v;` and then `resumed!(co)`: `stream!` only rewrites the
/// `yield`s it can see in its own tokens, so a macro cannot hide one.
/// Like `?`, it ends the innermost body, so it belongs directly in the
/// `stream!` block, not in a closure inside it.
///
/// ```
/// use pygen_protocol::async_stream::{Body, Co, resumed, stream};
/// use pygen_protocol::{Exception, Generator, Raised, Resume};
///
/// // def last_sent():
/// //     x = None
/// //     while True:
/// //         x = yield x
/// let body = Body::new(|co: Co<Resume<i32>, ()>| {
///     stream! {
///         let mut x = None;
///         loop {
///             yield x;
///             x = resumed!(co);
///         }
///     }
/// });
/// let mut g = Generator::new(body);
/// assert_eq!(g.next(), Ok(None));
/// assert_eq!(g.send(3), Ok(Some(3)));
/// assert_eq!(g.throw(Exception::KeyError), Err(Raised::Exception(Exception::KeyError)));
/// ```
#[macro_export]
macro_rules! resumed {
    ($co:expr) => {
        match $co.resumed() {
            ::core::result::Result::Ok(value) => value,
            ::core::result::Result::Err(exception) => {
                $crate::finish!($co, ::core::result::Result::Err(exception))
            }
        }
    };
}

/// `yield v` as a statement, after a `yield` inside `stream!`: the value
/// sent in is not wanted, but if an exception was thrown in, it is left as
/// the body's return value and the body ends, as with [`resumed!`].
///
/// Write `yield v;` and then `raise_thrown!(co);` where Python's body does
/// nothing with the value of its `yield`. It reads only whether an
/// exception is waiting ([`Co::raised`]), not the value sent, which is
/// what makes it cheaper than `resumed!(co);`.
///
/// ```
/// use pygen_protocol::async_stream::{Body, Co, raise_thrown, stream};
/// use pygen_protocol::{Exception, Generator, Raised, Resume};
///
/// // def forever():
/// //     while True:
/// //         yield 1
/// let body = Body::new(|co: Co<Resume<i32>, ()>| {
///     stream! {
///         loop {
///             yield 1;
///             raise_thrown!(co);
///         }
///     }
/// });
/// let mut g = Generator::new(body);
/// assert_eq!(g.next(), Ok(1));
/// assert_eq!(g.send(5), Ok(1));
/// assert_eq!(g.throw(Exception::KeyError), Err(Raised::Exception(Exception::KeyError)));
/// ```
#[macro_export]
macro_rules! raise_thrown {
    ($co:expr) => {
        if let ::core::result::Result::Err(exception) = $co.raised() {
            $crate::finish!($co, ::core::result::Result::Err(exception))
        }
    };
}

/// Python's `return value` inside `stream!`: leave `value`, a
/// `Result<R, Exception>`, as the body's return value and end the body.
///
/// The stream then answers `Ready(None)`, and [`Body`] answers `Complete`
/// with `value`. Its type is `!`, so it can end a `let ... else`.
///
/// ```
/// use pygen_protocol::async_stream::{Body, Co, finish, resumed, stream};
/// use pygen_protocol::{Generator, Raised, Resume};
///
/// // def until_none():
/// //     while True:
/// //         x = yield 'more'
/// //         if x is None:
/// //             return 'done'
/// let body = Body::new(|co: Co<Resume<i32>, &str>| {
///     stream! {
///         loop {
///             yield "more";
///             let Some(_x) = resumed!(co) else {
///                 finish!(co, Ok("done"))
///             };
///         }
///     }
/// });
/// let mut g = Generator::new(body);
/// assert_eq!(g.next(), Ok("more"));
/// assert_eq!(g.send(1), Ok("more"));
/// assert_eq!(g.next(), Err(Raised::StopIteration(Some("done"))));
/// ```
#[macro_export]
macro_rules! finish {
    ($co:expr, $value:expr) => {{
        $co.finish($value);
        return;
    }};
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use crate::{Class, Coroutine, CoroutineState, Exception, Resume};

    use super::{Body, Co, FELL_OFF, stream};

    fn resume<C: Coroutine<Resume<i32>> + Unpin>(
        body: &mut C,
        arg: Resume<i32>,
    ) -> CoroutineState<C::Yield, C::Return> {
        std::pin::Pin::new(body).resume(arg)
    }

    #[test]
    fn the_first_resume_value_is_overwritten_unread() {
        let mut body = Body::new(|co: Co<Resume<i32>, Option<i32>>| {
            stream! {
                yield 1;
                let x = resumed!(co);
                finish!(co, Ok(x));
            }
        });
        assert_eq!(resume(&mut body, Ok(Some(9))), CoroutineState::Yielded(1));
        assert_eq!(
            resume(&mut body, Ok(Some(2))),
            CoroutineState::Complete(Ok(Some(2)))
        );
    }

    #[test]
    fn a_body_that_falls_off_its_end_is_runtime_error() {
        let mut body = Body::new(|co: Co<Resume<i32>, ()>| {
            stream! {
                yield 1;
                resumed!(co);
            }
        });
        assert_eq!(resume(&mut body, Ok(None)), CoroutineState::Yielded(1));
        let fell_off = Exception::RuntimeError.with_message(FELL_OFF);
        assert_eq!(
            resume(&mut body, Ok(None)),
            CoroutineState::Complete(Err(fell_off.clone()))
        );
        // Resuming after the end does not panic either: the stream keeps
        // answering `Ready(None)` and the slot stays empty.
        assert_eq!(
            resume(&mut body, Ok(None)),
            CoroutineState::Complete(Err(fell_off))
        );
    }

    #[test]
    fn a_body_that_awaits_something_else_is_runtime_error() {
        let mut body = Body::new(|_co: Co<Resume<i32>, Infallible>| {
            stream! {
                std::future::pending::<()>().await;
                yield 1;
            }
        });
        let foreign = Exception::RuntimeError.with_message(crate::generator::FOREIGN_AWAIT);
        assert_eq!(
            resume(&mut body, Ok(None)),
            CoroutineState::Complete(Err(foreign))
        );
    }

    #[test]
    fn a_throw_replaces_a_value_sent_and_never_read() {
        let mut body = Body::new(|co: Co<Resume<i32>, Option<i32>>| {
            stream! {
                yield 1;
                yield 2;
                let x = resumed!(co);
                finish!(co, Ok(x));
            }
        });
        assert_eq!(resume(&mut body, Ok(None)), CoroutineState::Yielded(1));
        assert_eq!(resume(&mut body, Ok(Some(5))), CoroutineState::Yielded(2));
        assert_eq!(
            resume(&mut body, Err(Exception::KeyError)),
            CoroutineState::Complete(Err(Exception::KeyError))
        );
    }

    #[test]
    fn a_value_sent_to_a_yield_whose_value_is_unused_is_replaced_unread() {
        let mut body = Body::new(|co: Co<Resume<i32>, Option<i32>>| {
            stream! {
                yield 1;
                raise_thrown!(co);
                yield 2;
                let x = resumed!(co);
                finish!(co, Ok(x));
            }
        });
        assert_eq!(resume(&mut body, Ok(None)), CoroutineState::Yielded(1));
        assert_eq!(resume(&mut body, Ok(Some(5))), CoroutineState::Yielded(2));
        // `next` at the second `yield`: the 5 sent to the first is gone.
        assert_eq!(
            resume(&mut body, Ok(None)),
            CoroutineState::Complete(Ok(None))
        );
    }

    #[test]
    fn an_exception_caught_is_not_raised_again_at_the_next_yield() {
        let mut body = Body::new(|co: Co<Resume<i32>, ()>| {
            stream! {
                yield 1;
                if co.resumed().is_err() {
                    yield 2;
                    raise_thrown!(co);
                }
                finish!(co, Ok(()));
            }
        });
        assert_eq!(resume(&mut body, Ok(None)), CoroutineState::Yielded(1));
        assert_eq!(
            resume(&mut body, Err(Exception::ValueError)),
            CoroutineState::Yielded(2)
        );
        assert_eq!(
            resume(&mut body, Ok(None)),
            CoroutineState::Complete(Ok(()))
        );
    }

    #[test]
    fn an_exception_never_looked_at_is_raised_at_the_next_yield() {
        let mut body = Body::new(|co: Co<Resume<i32>, ()>| {
            stream! {
                yield 1;
                yield 2;
                finish!(co, Ok(()));
            }
        });
        assert_eq!(resume(&mut body, Ok(None)), CoroutineState::Yielded(1));
        assert_eq!(
            resume(&mut body, Err(Exception::KeyError)),
            CoroutineState::Complete(Err(Exception::KeyError))
        );
    }

    #[test]
    fn an_exception_never_looked_at_is_raised_at_the_end() {
        let mut body = Body::new(|co: Co<Resume<i32>, i32>| {
            stream! {
                yield 1;
                finish!(co, Ok(7));
            }
        });
        assert_eq!(resume(&mut body, Ok(None)), CoroutineState::Yielded(1));
        assert_eq!(
            resume(&mut body, Err(Exception::GeneratorExit)),
            CoroutineState::Complete(Err(Exception::GeneratorExit))
        );
    }

    #[test]
    fn reading_the_slot_twice_is_runtime_error() {
        let mut body = Body::new(|co: Co<Resume<i32>, Infallible>| {
            stream! {
                yield 1;
                resumed!(co);
                resumed!(co);
            }
        });
        assert_eq!(resume(&mut body, Ok(None)), CoroutineState::Yielded(1));
        let twice = resume(&mut body, Ok(None));
        let CoroutineState::Complete(Err(e)) = twice else {
            panic!("the body ends: {twice:?}");
        };
        assert!(e.is_instance(&Class::RUNTIME_ERROR));
        assert!(e.message().contains("twice"), "{e}");
    }
}
