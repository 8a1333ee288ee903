//! [`yield_from`] and [`yield_from_iter`]: Python's `yield from`, as
//! `async fn`s.
//!
//! In genawaiter a `yield` is `co.yield_(value).await`: a call on the `co`
//! handle, awaited. Any `async fn` that is given `co` can therefore yield
//! on the body's behalf, and `.await`ing it from the body runs it as part
//! of the body's own state machine. So `yield from` is a plain function
//! here, where nightly needs a macro and async-stream cannot have either.

use genawaiter::rc::Co;
use pygen_protocol::{Coroutine, Delegated, Exception, Generator, Resume, delegate_iter};

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
/// use genawaiter::rc::{Co, Gen};
/// use pygen_genawaiter::{Body, running_sum, yield_from};
/// use pygen_protocol::{Generator, Raised, Resume};
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
/// use genawaiter::rc::{Co, Gen};
/// use pygen_genawaiter::{Body, yield_from_iter};
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
