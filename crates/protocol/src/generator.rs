//! [`Generator`]: Python's generator object, its methods and its rules, over
//! any [`Coroutine`].
//!
//! A backend only has to produce a body that can be resumed. Everything
//! Python adds on top — `send(None)` to start, the `TypeError` for a value
//! sent too early, `StopIteration` for every call after the end, `throw`
//! and `close` before the start or after the end, the `RuntimeError` for a
//! body that ignores `GeneratorExit` — lives here, once, so the three
//! backends cannot disagree about it.

use std::marker::PhantomData;
use std::pin::Pin;

use crate::{Coroutine, CoroutineState, Exception};

/// The value a body is resumed with: what its paused `yield` evaluates to.
///
/// `Ok(Some(v))` is `send(v)`, `Ok(None)` is `next()` (that is,
/// `send(None)`), and `Err(e)` is `throw(e)`. A body turns it into Python's
/// behaviour with `?`: `let x = (yield total)?;` reads
/// "`x = yield total`, and if an exception was thrown in, let it propagate".
pub type Resume<S> = Result<Option<S>, Exception>;

/// Python's `inspect.getgeneratorstate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GeneratorState {
    /// `GEN_CREATED`: none of the body has run yet.
    Created,
    /// `GEN_RUNNING`: the body is executing. Never seen from outside:
    /// resuming takes `&mut self`, so nobody else can look while it runs.
    Running,
    /// `GEN_SUSPENDED`: paused at a `yield`.
    Suspended,
    /// `GEN_CLOSED`: returned, raised, or closed; every call now raises
    /// `StopIteration`.
    Closed,
}

/// What a call raises instead of handing back a yielded value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Raised<R> {
    /// `StopIteration`: the body returned `Some(value)`; a call on a
    /// generator that had already finished gets `None` (a bare
    /// `StopIteration`, as in Python).
    StopIteration(Option<R>),
    /// Any other exception propagated out of the body, or was raised by the
    /// protocol itself.
    Exception(Exception),
}

/// One step of `yield from sub`, as PEP 380 defines it: see
/// [`Generator::delegate`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Delegated<Y, R> {
    /// The sub-generator yielded: the delegating body yields the same value.
    Yield(Y),
    /// The sub-generator finished: this is the value of the `yield from`
    /// expression (`None` only if it had already finished before).
    Return(Option<R>),
    /// An exception came out of the sub-generator: the delegating body
    /// raises it at its `yield from`.
    Raise(Exception),
}

/// Python's generator object: a body plus the rules of the protocol.
///
/// `G` is any [`Coroutine`] resumed with a [`Resume<S>`] that returns a
/// `Result<R, Exception>` — the `Err` side being an exception that escaped
/// the body. The methods are Python's: [`next`](Generator::next),
/// [`send`](Generator::send), [`throw`](Generator::throw) and
/// [`close`](Generator::close), plus [`state`](Generator::state) for
/// `inspect.getgeneratorstate`.
///
/// ```
/// use pygen_protocol::{Coroutine, CoroutineState, Exception, Generator, Raised, Resume};
/// use std::pin::Pin;
///
/// // def once():
/// //     x = yield 'ready'
/// //     return x
/// #[derive(Default)]
/// struct Once(u8);
/// impl Coroutine<Resume<i32>> for Once {
///     type Yield = &'static str;
///     type Return = Result<Option<i32>, Exception>;
///     fn resume(mut self: Pin<&mut Self>, arg: Resume<i32>) -> CoroutineState<&'static str, Self::Return> {
///         self.0 += 1;
///         match self.0 {
///             1 => CoroutineState::Yielded("ready"),
///             _ => CoroutineState::Complete(arg),
///         }
///     }
/// }
///
/// let mut g = Generator::new(Once::default());
/// assert_eq!(g.send(7), Err(Raised::Exception(Exception::TypeError)));
/// assert_eq!(g.next(), Ok("ready"));
/// assert_eq!(g.send(7), Err(Raised::StopIteration(Some(Some(7)))));
/// assert_eq!(g.next(), Err(Raised::StopIteration(None)));
/// ```
///
/// `S` is the type of the values `send` takes; it is part of the type
/// because one body could accept more than one kind of resume value.
pub struct Generator<G, S> {
    body: G,
    state: GeneratorState,
    sends: PhantomData<fn(S)>,
}

impl<G, S> Generator<G, S> {
    /// Wrap a body. Like calling a Python generator function, this runs
    /// none of it.
    pub fn new(body: G) -> Self {
        Generator {
            body,
            state: GeneratorState::Created,
            sends: PhantomData,
        }
    }

    /// Python's `inspect.getgeneratorstate(g)`.
    pub fn state(&self) -> GeneratorState {
        self.state
    }
}

impl<G, S, R> Generator<G, S>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    /// `next(g)`, which is `g.send(None)`: run to the next `yield`.
    ///
    /// Named after Python's `next`, not `Iterator::next`: it answers a
    /// `Result`, because a generator can end with a value or an exception.
    /// `for value in generator` goes through [`Iter`].
    #[inline]
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<G::Yield, Raised<R>> {
        self.resume(Ok(None))
    }

    /// `g.send(value)`: resume with `value` as the value of the paused
    /// `yield`.
    ///
    /// Before the first `yield` there is no expression to receive it, so,
    /// as in Python, this raises `TypeError` and the generator stays
    /// unstarted.
    #[inline]
    pub fn send(&mut self, value: S) -> Result<G::Yield, Raised<R>> {
        match self.state {
            GeneratorState::Suspended => self.resume_started(Ok(Some(value))),
            GeneratorState::Created => Err(Raised::Exception(Exception::TypeError)),
            _ => Err(Raised::StopIteration(None)),
        }
    }

    /// `g.throw(exception)`: raise `exception` at the paused `yield`.
    ///
    /// If the body catches it and yields, that value is returned; if it
    /// propagates out, it comes back here and the generator is finished.
    /// Before the start or after the end the exception comes straight back
    /// and the generator is finished, with none of the body run.
    pub fn throw(&mut self, exception: Exception) -> Result<G::Yield, Raised<R>> {
        match self.state {
            GeneratorState::Suspended => self.resume(Err(exception)),
            _ => {
                self.state = GeneratorState::Closed;
                Err(Raised::Exception(exception))
            }
        }
    }

    /// `g.close()`: raise `GeneratorExit` at the paused `yield` and let the
    /// body clean up.
    ///
    /// Returns `Ok(())` if the body let `GeneratorExit` out or returned.
    /// If the body yields again, the value is dropped, the generator stays
    /// suspended and this is `RuntimeError`, as in Python. Any other
    /// exception the body raises while closing comes back as it is. Before
    /// the start or after the end, this only marks the generator closed.
    pub fn close(&mut self) -> Result<(), Exception> {
        if self.state != GeneratorState::Suspended {
            self.state = GeneratorState::Closed;
            return Ok(());
        }
        match self.resume(Err(Exception::GeneratorExit)) {
            Ok(_ignored) => Err(Exception::RuntimeError),
            Err(Raised::StopIteration(_)) | Err(Raised::Exception(Exception::GeneratorExit)) => {
                Ok(())
            }
            Err(Raised::Exception(other)) => Err(other),
        }
    }

    /// One step of `yield from` with `self` as the sub-generator: pass on
    /// what the delegating body was resumed with, as PEP 380 says.
    ///
    /// `Ok(None)` becomes `next(sub)`, `Ok(Some(v))` becomes `sub.send(v)`,
    /// `Err(GeneratorExit)` becomes `sub.close()` followed by raising
    /// `GeneratorExit` (or what `close` raised), and any other `Err(e)`
    /// becomes `sub.throw(e)`. Each backend writes `yield from` as the same
    /// loop around this call; only the spelling of `yield` differs.
    pub fn delegate(&mut self, arg: Resume<S>) -> Delegated<G::Yield, R> {
        let outcome = match arg {
            Ok(None) => self.next(),
            Ok(Some(value)) => self.send(value),
            Err(Exception::GeneratorExit) => {
                let raised = self.close().err().unwrap_or(Exception::GeneratorExit);
                return Delegated::Raise(raised);
            }
            Err(exception) => self.throw(exception),
        };
        match outcome {
            Ok(value) => Delegated::Yield(value),
            Err(Raised::StopIteration(value)) => Delegated::Return(value),
            Err(Raised::Exception(exception)) => Delegated::Raise(exception),
        }
    }

    /// Resume the body, unless it has finished: that is the one place the
    /// backends' "resuming a completed coroutine panics" is kept out of
    /// reach.
    #[inline]
    fn resume(&mut self, arg: Resume<S>) -> Result<G::Yield, Raised<R>> {
        match self.state {
            GeneratorState::Closed | GeneratorState::Running => Err(Raised::StopIteration(None)),
            _ => self.resume_started(arg),
        }
    }

    /// Resume a body that is created or suspended.
    #[inline]
    fn resume_started(&mut self, arg: Resume<S>) -> Result<G::Yield, Raised<R>> {
        // If the body panics, the unwinding passes through this guard,
        // which marks the generator closed: a panic leaves a finished
        // generator behind, never one that would be resumed again in an
        // unknown state. On the normal path the guard is forgotten, so it
        // costs nothing there.
        let poison = ClosedOnUnwind(&mut self.state);
        let outcome = Pin::new(&mut self.body).resume(arg);
        std::mem::forget(poison);
        match outcome {
            CoroutineState::Yielded(value) => {
                self.state = GeneratorState::Suspended;
                Ok(value)
            }
            CoroutineState::Complete(result) => {
                self.state = GeneratorState::Closed;
                match result {
                    Ok(value) => Err(Raised::StopIteration(Some(value))),
                    Err(exception) => Err(Raised::Exception(exception)),
                }
            }
        }
    }
}

/// Marks a generator closed when dropped: dropped only while a panic
/// unwinds out of its body, since [`Generator::resume`] forgets it on the
/// way out otherwise.
struct ClosedOnUnwind<'a>(&'a mut GeneratorState);

impl Drop for ClosedOnUnwind<'_> {
    fn drop(&mut self) {
        *self.0 = GeneratorState::Closed;
    }
}

/// Iterating a generator is calling `next` until it raises: the `for` loop
/// of Python. A return value or an exception ends the loop and is dropped,
/// as a `for` loop drops them.
impl<G, S, R> Iterator for Iter<G, S>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    type Item = G::Yield;

    #[inline]
    fn next(&mut self) -> Option<G::Yield> {
        self.0.next().ok()
    }
}

/// The iterator made by [`Generator::into_iter`]: `for value in g`.
pub struct Iter<G, S>(Generator<G, S>);

impl<G, S, R> IntoIterator for Generator<G, S>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    type Item = G::Yield;
    type IntoIter = Iter<G, S>;

    fn into_iter(self) -> Iter<G, S> {
        Iter(self)
    }
}

#[cfg(test)]
mod tests {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::pin::Pin;

    use crate::{Coroutine, CoroutineState, Exception, Generator, GeneratorState, Raised, Resume};

    /// Yields once, then panics on the next resume; resuming it again
    /// after that would panic once more ("resumed after panicking").
    #[derive(Default)]
    struct PanicsOnSecondResume(u8);

    impl Coroutine<Resume<i32>> for PanicsOnSecondResume {
        type Yield = i32;
        type Return = Result<(), Exception>;

        fn resume(mut self: Pin<&mut Self>, _: Resume<i32>) -> CoroutineState<i32, Self::Return> {
            self.0 += 1;
            match self.0 {
                1 => CoroutineState::Yielded(1),
                2 => panic!("the body panicked"),
                _ => panic!("resumed after panicking"),
            }
        }
    }

    #[test]
    fn a_panicking_body_leaves_a_finished_generator() {
        let mut g = Generator::new(PanicsOnSecondResume::default());
        assert_eq!(g.next(), Ok(1));
        let panicked = catch_unwind(AssertUnwindSafe(|| g.send(2)));
        assert!(panicked.is_err());
        assert_eq!(g.state(), GeneratorState::Closed);
        assert_eq!(g.next(), Err(Raised::StopIteration(None)));
        assert_eq!(
            g.throw(Exception::KeyError),
            Err(Raised::Exception(Exception::KeyError))
        );
        assert_eq!(g.close(), Ok(()));
    }
}
