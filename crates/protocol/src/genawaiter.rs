//! The genawaiter adapter (feature `genawaiter`): [`Body`], a genawaiter
//! generator seen through pygen's stable [`Coroutine`]
//! trait, and Python's `yield from` as the `async fn`s [`yield_from()`] and
//! [`yield_from_iter()`]. The [`genawaiter`](mod@genawaiter) crate itself is
//! re-exported, with the two names a body uses, [`Gen`] and [`Co`].
//!
//! genawaiter's `rc::Gen` already has the right shape: `resume_with(arg)`
//! runs the body to its next `co.yield_(value).await` and answers
//! `GeneratorState::Yielded(value)`, or runs it to its end and answers
//! `GeneratorState::Complete(result)`. The adapter only renames
//! `genawaiter::GeneratorState` to `pygen_protocol::CoroutineState`.
//!
//! What happens underneath: the body is an `async` block, boxed and pinned
//! when the generator is created. Each `resume_with` puts `arg` in a slot
//! shared with the body (genawaiter calls it the airlock, an
//! `Rc<Cell<…>>`) and polls the future once with a waker that does
//! nothing. `co.yield_(value)` swaps `value` into the slot and returns a
//! future that is pending until the slot holds a resume argument again;
//! when it does, `.await` takes the argument out and evaluates to it.

use std::cell::Cell;
use std::future::{Future, IntoFuture};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::Poll;

use ::genawaiter::GeneratorState as GenawaiterState;

use crate::{
    AsyncResume, AsyncYield, Coroutine, CoroutineState, Delegated, Exception, Generator, Resume,
    TaskContext, delegate_iter,
};

pub use ::genawaiter;
pub use ::genawaiter::rc::{Co, Gen};

/// A genawaiter `rc::Gen`, driven by `resume_with`.
///
/// `Y` is what the body yields, `A` what it is resumed with (the type of
/// `co.yield_(..).await`), and `F` the `async` block, whose output is what
/// the body returns. A `Body` is always `Unpin`, whatever the body holds
/// across a yield: `rc::Gen` keeps the future behind a `Pin<Box<…>>`, so
/// moving the `Body` never moves the future.
///
/// The body may await nothing but `co.yield_(..)`: a generator cannot wait.
/// One that awaits a pending future of another kind makes genawaiter
/// panic inside `resume_with` (it finds no value yielded); the adapter
/// catches that panic and ends the body with `RuntimeError` saying so, so
/// the caller gets an exception and the generator is finished. The panic
/// hook has printed genawaiter's own line by then. An async generator's
/// body ([`AsyncBody`]) awaits other futures through [`AsyncCo::await_`].
pub struct Body<Y, A, F: Future>(pub Gen<Y, A, F>);

impl<Y, A, F, R> Coroutine<A> for Body<Y, A, F>
where
    F: Future<Output = Result<R, Exception>>,
{
    type Yield = Y;
    type Return = F::Output;

    #[inline(always)]
    fn resume(self: Pin<&mut Self>, arg: A) -> CoroutineState<Y, F::Output> {
        let generator = &mut self.get_mut().0;
        match catch_unwind(AssertUnwindSafe(|| generator.resume_with(arg))) {
            Ok(GenawaiterState::Yielded(value)) => CoroutineState::Yielded(value),
            Ok(GenawaiterState::Complete(value)) => CoroutineState::Complete(value),
            Err(panic) => {
                CoroutineState::Complete(Err(foreign_await(panic, crate::generator::FOREIGN_AWAIT)))
            }
        }
    }
}

/// The `RuntimeError` of an [`AsyncBody`] that awaited a foreign future
/// with a bare `.await`, which genawaiter cannot carry out.
const BARE_AWAIT: &str = "an async generator's body awaited a future with a bare .await; \
     genawaiter can only carry it out through AsyncCo::await_";

/// What a panic out of genawaiter's `resume_with` was: genawaiter's own,
/// for a body that returned `Pending` with no value yielded (a future
/// awaited that was not `co.yield_`), is that body's `RuntimeError`; any
/// other panic (the body's own) goes on unwinding.
#[cold]
fn foreign_await(panic: Box<dyn std::any::Any + Send>, message: &'static str) -> Exception {
    let text = match panic.downcast_ref::<&str>() {
        Some(text) => *text,
        None => panic.downcast_ref::<String>().map_or("", String::as_str),
    };
    // genawaiter 0.99's messages for a `Pending` with nothing yielded: an
    // empty slot (`unreachable!()`), or the resume value still in it, in a
    // debug and a release build.
    let genawaiters = [
        "internal error: entered unreachable code",
        "misused async generator",
        "An async generator was resumed via a non-async method",
    ];
    if genawaiters.iter().any(|message| text.starts_with(message)) {
        Exception::RuntimeError.with_message(message)
    } else {
        resume_unwind(panic)
    }
}

// `yield from`, as `async fn`s.
//
// In genawaiter a `yield` is `co.yield_(value).await`: a call on the `co`
// handle, awaited. Any `async fn` that is given `co` can therefore yield
// on the body's behalf, and `.await`ing it from the body runs it as part
// of the body's own state machine. So `yield from` is a plain function
// here, where nightly needs a macro and async-stream cannot have either.

/// `yield from sub`, for a sub-generator: pass what the body is resumed
/// with on to `sub` (PEP 380's rules, applied by [`Generator::delegate`]),
/// yield what it yields through `co`, and return what it returns.
///
/// Resolves to `Ok` with the sub-generator's return value (`None` only if
/// it had finished before), or `Err` with an exception that came out of
/// it, which `?` lets propagate as Python does. Each value `sub` yields is
/// converted with `Into` to what the body yields.
///
/// ```
/// use pygen_protocol::genawaiter::{Body, Co, Gen, yield_from};
/// use pygen_protocol::{Exception, Generator, Raised, Resume};
///
/// // def running_sum():
/// //     total = 0
/// //     while True:
/// //         x = yield total
/// //         if x is None:
/// //             return total
/// //         total += x
/// let running_sum = || Body(Gen::new(|co: Co<i64, Resume<i64>>| async move {
///     let mut total = 0;
///     loop {
///         match co.yield_(total).await? {
///             Some(x) => total += x,
///             None => return Ok::<_, Exception>(total),
///         }
///     }
/// }));
///
/// // def twice():
/// //     first = yield from running_sum()
/// //     second = yield from running_sum()
/// //     return (first, second)
/// let body = Body(Gen::new(|co: Co<i64, Resume<i64>>| async move {
///     let first = yield_from(&co, Generator::new(running_sum())).await?;
///     let second = yield_from(&co, Generator::new(running_sum())).await?;
///     Ok((first, second))
/// }));
/// let mut g = Generator::new(body);
/// assert_eq!(g.next(), Ok(0));
/// assert_eq!(g.send(4), Ok(4));
/// assert_eq!(g.next(), Ok(0)); // the first returned 4; the second starts
/// assert_eq!(g.send(1), Ok(1));
/// assert_eq!(g.next(), Err(Raised::StopIteration(Some((Some(4), Some(1))))));
/// ```
// ANCHOR: helper
pub async fn yield_from<Y, S, G, R>(
    co: &Co<Y, Resume<S>>,
    mut sub: Generator<G, S>,
) -> Result<Option<R>, Exception>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
    G::Yield: Into<Y>,
{
    let mut arg = Ok(None);
    loop {
        // The `await` stands outside the `match`, so the step's whole
        // result is not kept, in the future's saved state, across it.
        let value = match sub.delegate(arg) {
            Delegated::Yield(value) => value,
            Delegated::Return(value) => return Ok(value),
            Delegated::Raise(exception) => return Err(exception),
        };
        arg = co.yield_(value.into()).await;
    }
}
// ANCHOR_END: helper

/// `yield from iterable`, for a plain iterator: yield each item through
/// `co`, and resolve to `Ok(())` (Python's `None`) when it is used up.
///
/// An iterator has no `send`, `throw` or `close`, so, as in CPython, a value
/// sent in is `AttributeError`, and a thrown exception (`GeneratorExit`
/// included) is raised at the `yield from`: it resolves to
/// `Err(exception)`. See [`delegate_iter`].
///
/// ```
/// use pygen_protocol::genawaiter::{Body, Co, Gen, yield_from_iter};
/// use pygen_protocol::{Exception, Generator, Raised, Resume};
///
/// // def letters():
/// //     yield from 'ab'
/// //     return 'done'
/// let letters = || Body(Gen::new(|co: Co<char, Resume<i64>>| async move {
///     yield_from_iter(&co, "ab".chars()).await?;
///     Ok("done")
/// }));
/// let all: Vec<_> = Generator::new(letters()).into_iter().collect();
/// assert_eq!(all, [Ok('a'), Ok('b')]);
///
/// let mut g = Generator::new(letters());
/// assert_eq!(g.next(), Ok('a'));
/// let no_send = Exception::AttributeError.with_message("'Chars' object has no attribute 'send'");
/// assert_eq!(g.send(1), Err(Raised::Exception(no_send)));
/// ```
pub async fn yield_from_iter<Y, S, I>(co: &Co<Y, Resume<S>>, iterable: I) -> Result<(), Exception>
where
    I: IntoIterator,
    I::Item: Into<Y>,
{
    let mut iter = iterable.into_iter();
    let mut arg = Ok(None);
    loop {
        let value = match delegate_iter(&mut iter, arg) {
            Delegated::Yield(value) => value,
            Delegated::Return(_) => return Ok(()),
            Delegated::Raise(exception) => return Err(exception),
        };
        arg = co.yield_(value.into()).await;
    }
}

// Async generators (PEP 525).
//
// genawaiter's body is already an `async` block, but genawaiter polls it
// with a waker that does nothing and expects every `Pending` to come from
// its own `co.yield_`: a body that awaits a foreign future, one that is
// pending because it waits on something, makes `resume_with` panic. So the
// body never awaits a foreign future directly. It polls it by hand with
// the caller's `Context` ([`AsyncCo::poll`]), and when that answers
// `Pending`, it yields `AsyncYield::Pending` through genawaiter's own
// `co.yield_` ([`AsyncCo::pending`]): genawaiter sees an ordinary yield,
// the caller's poll sees `Pending`, and the next poll resumes the body
// with a new `Context`, which polls the future again. That loop is what
// rustc writes for every `.await`; [`AsyncCo::await_`] is it, as a
// function.
//
// The caller's `Context` cannot travel as genawaiter's resume argument:
// genawaiter drops the first one (nothing is waiting for it yet), and the
// body needs a `Context` before its first `yield`. It goes in a slot
// beside the generator instead, filled just before each `resume_with` and
// emptied just after, so a `Context` found there is always the one of the
// poll running the body now.

/// An async generator's body written with genawaiter: an `async` block
/// given an [`AsyncCo`], seen through pygen's [`Coroutine`] as
/// [`AsyncGenerator`](crate::AsyncGenerator) wants it.
///
/// ```
/// use pygen_protocol::genawaiter::{AsyncBody, AsyncCo};
/// use pygen_protocol::{AsyncGenerator, Exception};
///
/// // async def countdown():
/// //     n = 2
/// //     while n > 0:
/// //         await asyncio.sleep(0)
/// //         yield n
/// //         n -= 1
/// let body = AsyncBody::new(|co: AsyncCo<i32, ()>| async move {
///     let mut n = 2;
///     while n > 0 {
///         co.await_(std::future::ready(())).await;
///         co.yield_(n).await?;
///         n -= 1;
///     }
///     Ok(())
/// });
/// let mut g = AsyncGenerator::new(body);
/// futures::executor::block_on(async {
///     assert_eq!(g.anext().await, Ok(2));
///     assert_eq!(g.anext().await, Ok(1));
///     assert_eq!(g.anext().await, Err(Exception::StopAsyncIteration));
/// });
/// ```
pub struct AsyncBody<Y, S, F: Future> {
    generator: Gen<AsyncYield<Y>, Option<Resume<S>>, F>,
    /// The caller's `Context`, while a resume runs; shared with [`AsyncCo`].
    cx: Rc<Cell<Option<TaskContext>>>,
}

impl<Y, S, F: Future<Output = Result<(), Exception>>> AsyncBody<Y, S, F> {
    /// Make a body from a function that gets the [`AsyncCo`] and builds the
    /// `async` block. Like calling an `async def` generator function, this
    /// runs none of it.
    pub fn new(producer: impl FnOnce(AsyncCo<Y, S>) -> F) -> Self {
        let cx = Rc::new(Cell::new(None));
        let shared = Rc::clone(&cx);
        let generator = Gen::new(move |co| producer(AsyncCo { co, cx: shared }));
        AsyncBody { generator, cx }
    }
}

impl<Y, S, F: Future<Output = Result<(), Exception>>> Coroutine<AsyncResume<S>>
    for AsyncBody<Y, S, F>
{
    type Yield = AsyncYield<Y>;
    type Return = F::Output;

    fn resume(
        self: Pin<&mut Self>,
        arg: AsyncResume<S>,
    ) -> CoroutineState<AsyncYield<Y>, F::Output> {
        let this = self.get_mut();
        this.cx.set(Some(arg.cx));
        let generator = &mut this.generator;
        let outcome = catch_unwind(AssertUnwindSafe(|| generator.resume_with(arg.sent)));
        this.cx.set(None);
        match outcome {
            Ok(GenawaiterState::Yielded(value)) => CoroutineState::Yielded(value),
            Ok(GenawaiterState::Complete(value)) => CoroutineState::Complete(value),
            Err(panic) => CoroutineState::Complete(Err(foreign_await(panic, BARE_AWAIT))),
        }
    }
}

/// What an [`AsyncBody`] yields and awaits through: genawaiter's `Co`, and
/// the caller's `Context` while the body runs.
pub struct AsyncCo<Y, S> {
    co: Co<AsyncYield<Y>, Option<Resume<S>>>,
    cx: Rc<Cell<Option<TaskContext>>>,
}

impl<Y, S> AsyncCo<Y, S> {
    /// Python's `x = yield value` in an async generator: hand `value` to
    /// the operation in flight, and evaluate to what the next one sends
    /// (`Err` for `athrow` and `aclose`, so `?` lets it propagate).
    pub async fn yield_(&self, value: Y) -> Resume<S> {
        let sent = self.co.yield_(AsyncYield::Value(value)).await;
        sent.unwrap_or_else(|| {
            Err(Exception::RuntimeError
                .with_message("an async generator's body yielded a value from inside an await"))
        })
    }

    /// Poll `future` once, with the `Context` of the poll that is running
    /// this body.
    ///
    /// # Panics
    ///
    /// If called from outside the body's own resume (an `AsyncCo` moved out
    /// of its body), where there is no `Context` to poll with.
    pub fn poll<F: Future + ?Sized>(&self, future: Pin<&mut F>) -> Poll<F::Output> {
        let cx = self
            .cx
            .get()
            .expect("AsyncCo::poll is called only from its own body, while it runs");
        // SAFETY: `AsyncBody::resume` puts the `TaskContext` of its caller's
        // poll in the slot just before it resumes the body and takes it
        // out as soon as the body stops, and only the body's own code runs
        // in between: the `Context` behind it is alive and lent to nobody
        // else for as long as this call lasts.
        future.poll(unsafe { cx.get() })
    }

    /// Hand `Pending` out through genawaiter's own yield, and come back
    /// when the caller polls again (with a new `Context` in the slot).
    pub async fn pending(&self) {
        let _poll_again = self.co.yield_(AsyncYield::Pending).await;
    }

    /// `.await` on a foreign future, desugared: poll it with the caller's
    /// `Context`; while it is pending, yield `Pending` out and poll again
    /// when resumed.
    pub async fn await_<F: IntoFuture>(&self, future: F) -> F::Output {
        let mut future = pin!(future.into_future());
        loop {
            match self.poll(future.as_mut()) {
                Poll::Ready(output) => return output,
                Poll::Pending => self.pending().await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! What genawaiter itself does, without pygen's wrapper: the facts the
    //! crate's documentation relies on.

    use ::genawaiter::GeneratorState;
    use ::genawaiter::rc::{Co, Gen};

    /// The first `resume_with` argument is put in the slot, and the body's
    /// first `co.yield_` overwrites it: nothing was awaiting it, so it is
    /// dropped. Python instead raises `TypeError` for a first `send` that
    /// is not `None`; pygen's wrapper does that before genawaiter is called.
    #[test]
    fn the_first_resume_argument_is_dropped() {
        let mut g = Gen::new(|co: Co<&str, i32>| async move {
            let x = co.yield_("ready").await;
            x + 1
        });
        assert_eq!(g.resume_with(100), GeneratorState::Yielded("ready"));
        assert_eq!(g.resume_with(1), GeneratorState::Complete(2));
    }

    /// Creating a generator calls the producer closure, which makes the
    /// `async` block but does not poll it: none of the block runs.
    #[test]
    fn creating_runs_none_of_the_async_block() {
        let ran = std::cell::Cell::new(false);
        let flag = &ran;
        let g = Gen::new(|co: Co<(), ()>| async move {
            flag.set(true);
            co.yield_(()).await;
        });
        drop(g);
        assert!(!ran.get());
    }

    use std::panic::{AssertUnwindSafe, catch_unwind};

    use super::{AsyncBody, AsyncCo, BARE_AWAIT, Body};
    use crate::{AsyncGenerator, Exception, Generator, Raised, Resume};

    /// A generator's body that awaits a future other than its own yield,
    /// before its first yield or after one: genawaiter would panic, and
    /// the generator raises `RuntimeError` saying why, and is finished.
    #[test]
    fn a_body_that_awaits_a_foreign_future_is_runtime_error() {
        let foreign = Exception::RuntimeError.with_message(crate::generator::FOREIGN_AWAIT);
        let mut g = Generator::new(Body(Gen::new(|_co: Co<i32, Resume<()>>| async move {
            std::future::pending::<()>().await;
            Ok::<(), Exception>(())
        })));
        assert_eq!(g.next(), Err(Raised::Exception(foreign.clone())));
        assert_eq!(g.state(), crate::GeneratorState::Closed);

        let mut g = Generator::new(Body(Gen::new(|co: Co<i32, Resume<()>>| async move {
            co.yield_(1).await?;
            std::future::pending::<()>().await;
            Ok::<(), Exception>(())
        })));
        assert_eq!(g.next(), Ok(1));
        assert_eq!(g.next(), Err(Raised::Exception(foreign)));
        assert_eq!(g.next(), Err(Raised::StopIteration(None)));
    }

    /// A panic of the body's own is not taken for one: it unwinds on.
    #[test]
    fn a_body_that_panics_still_panics() {
        let mut g = Generator::new(Body(Gen::new(|_co: Co<i32, Resume<()>>| async move {
            panic!("the body's own");
            #[allow(unreachable_code)]
            Ok::<(), Exception>(())
        })));
        let unwound = catch_unwind(AssertUnwindSafe(|| g.next()));
        let payload = unwound.expect_err("the panic goes on");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"the body's own"));
    }

    /// An async generator's body that awaits a pending future with a bare
    /// `.await` instead of `co.await_`: `RuntimeError`, saying which.
    #[test]
    fn an_async_body_with_a_bare_await_is_runtime_error() {
        let mut g = AsyncGenerator::new(AsyncBody::new(|co: AsyncCo<i32, ()>| async move {
            co.yield_(1).await?;
            std::future::pending::<()>().await;
            Ok(())
        }));
        futures::executor::block_on(async {
            assert_eq!(g.anext().await, Ok(1));
            let bare = Exception::RuntimeError.with_message(BARE_AWAIT);
            assert_eq!(g.anext().await, Err(bare));
            assert_eq!(g.anext().await, Err(Exception::StopAsyncIteration));
        });
    }

    /// Resuming a generator whose body has returned polls a finished
    /// `async` block, which panics. `rc::Gen` does not guard against it;
    /// pygen's wrapper never gets that far, and answers `StopIteration`.
    #[test]
    #[should_panic(expected = "resumed after completion")]
    fn resuming_after_completion_panics() {
        let mut g = Gen::new(|_co: Co<(), ()>| async { 7 });
        assert_eq!(g.resume_with(()), GeneratorState::Complete(7));
        let _ = g.resume_with(());
    }
}
