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

use std::future::Future;
use std::pin::Pin;

use ::genawaiter::GeneratorState as GenawaiterState;

use crate::{Coroutine, CoroutineState, Delegated, Exception, Generator, Resume, delegate_iter};

pub use ::genawaiter;
pub use ::genawaiter::rc::{Co, Gen};

/// A genawaiter `rc::Gen`, driven by `resume_with`.
///
/// `Y` is what the body yields, `A` what it is resumed with (the type of
/// `co.yield_(..).await`), and `F` the `async` block, whose output is what
/// the body returns. A `Body` is always `Unpin`, whatever the body holds
/// across a yield: `rc::Gen` keeps the future behind a `Pin<Box<…>>`, so
/// moving the `Body` never moves the future.
pub struct Body<Y, A, F: Future>(pub Gen<Y, A, F>);

impl<Y, A, F: Future> Coroutine<A> for Body<Y, A, F> {
    type Yield = Y;
    type Return = F::Output;

    #[inline(always)]
    fn resume(self: Pin<&mut Self>, arg: A) -> CoroutineState<Y, F::Output> {
        match self.get_mut().0.resume_with(arg) {
            GenawaiterState::Yielded(value) => CoroutineState::Yielded(value),
            GenawaiterState::Complete(value) => CoroutineState::Complete(value),
        }
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
/// assert_eq!(g.send(1), Err(Raised::Exception(Exception::AttributeError)));
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
