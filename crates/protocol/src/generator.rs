//! [`Generator`]: Python's generator object, its methods and its rules, over
//! any [`Coroutine`].
//!
//! A backend only has to produce a body that can be resumed. Everything
//! Python adds on top — `send(None)` to start, the `TypeError` for a value
//! sent too early, `StopIteration` for every call after the end, `throw`
//! and `close` before the start or after the end, the `RuntimeError` for a
//! body that ignores `GeneratorExit` — lives here, once, so the three
//! backends cannot disagree about it.

use std::fmt;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;

use crate::unraisable::{self, Unraisable};
use crate::{Class, Coroutine, CoroutineState, Exception, Iter};

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
    /// `GEN_RUNNING`: the body is executing. A [`Generator`] never shows
    /// it: resuming takes `&mut self`, so nobody else can look while it
    /// runs. A [`SharedGenerator`](crate::SharedGenerator) can, since its
    /// owners share it; a call on it then is `ValueError`, as in CPython.
    Running,
    /// `GEN_SUSPENDED`: paused at a `yield`.
    Suspended,
    /// `GEN_CLOSED`: returned, raised, or closed; every call now raises
    /// `StopIteration`.
    Closed,
}

impl GeneratorState {
    /// The name `inspect.getgeneratorstate` returns: `GEN_SUSPENDED`.
    pub fn name(self) -> &'static str {
        match self {
            GeneratorState::Created => "GEN_CREATED",
            GeneratorState::Running => "GEN_RUNNING",
            GeneratorState::Suspended => "GEN_SUSPENDED",
            GeneratorState::Closed => "GEN_CLOSED",
        }
    }
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

// ANCHOR: pep479
/// Inside a body, what a call on another generator raised is an exception
/// like any other: `StopIteration` (the value left out) or the exception
/// itself. So a body can write `target.send(n)?` and let it propagate, or
/// catch `StopIteration` as Python's `except StopIteration:` does. If it
/// lets a `StopIteration` out of the body, the generator turns it into
/// `RuntimeError: generator raised StopIteration` (PEP 479).
impl<R> From<Raised<R>> for Exception {
    fn from(raised: Raised<R>) -> Exception {
        match raised {
            Raised::StopIteration(_) => Exception::StopIteration,
            Raised::Exception(exception) => exception,
        }
    }
}
// ANCHOR_END: pep479

/// CPython's message for a value sent into a generator that has not
/// started.
pub(crate) const JUST_STARTED: &str = "can't send non-None value to a just-started generator";

/// The `RuntimeError` of a generator's body that awaited a future other
/// than its own `yield` (the genawaiter and async-stream adapters write
/// bodies as `async` code): a generator cannot wait, and nothing would
/// wake it, so the body ends with this.
#[cfg_attr(
    not(any(feature = "genawaiter", feature = "async-stream")),
    allow(dead_code)
)]
pub(crate) const FOREIGN_AWAIT: &str = "a generator's body awaited a future that is not its own \
     yield; only an async generator's body can await other futures";

/// PEP 479: an exception of class `class` (or a subclass) that escaped a
/// body is `RuntimeError` with `message`, raised from the original; any
/// other exception stays what it is.
#[cold]
#[inline(never)]
pub(crate) fn escaped(exception: Exception, class: &Class, message: &'static str) -> Exception {
    if exception.is_instance(class) {
        Exception::RuntimeError
            .with_message(message)
            .with_cause(exception)
    } else {
        exception
    }
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
/// let just_started = Exception::TypeError
///     .with_message("can't send non-None value to a just-started generator");
/// assert_eq!(g.send(7), Err(Raised::Exception(just_started)));
/// assert_eq!(g.next(), Ok("ready"));
/// assert_eq!(g.send(7), Err(Raised::StopIteration(Some(Some(7)))));
/// assert_eq!(g.next(), Err(Raised::StopIteration(None)));
/// ```
///
/// `S` is the type of the values `send` takes; it is part of the type
/// because one body could accept more than one kind of resume value.
///
/// The body must be `Unpin` for these methods, which take `&mut self`. A
/// body that borrows its own locals across a `yield` is not (nightly's
/// `static` coroutines); pin it where it lives and wrap the pinned
/// reference, with no heap allocation: `let body = pin!(body);` and then
/// `Generator::new(body)` (the pinned body must be bound to a name, so that
/// it outlives the generator), or
/// `Generator::new(Box::pin(body))` to move it around.
#[must_use = "a generator runs none of its body until it is resumed"]
pub struct Generator<G, S> {
    body: G,
    state: GeneratorState,
    /// What dropping it while suspended does: [`finalize`], made for this
    /// body's type by [`Generator::new`], the one place that knows the
    /// body can be resumed (a `Drop` impl cannot ask for more bounds than
    /// the struct has).
    finalizer: fn(&mut Generator<G, S>),
    sends: PhantomData<fn(S)>,
}

impl<G, S> Generator<G, S> {
    /// Wrap a body. Like calling a Python generator function, this runs
    /// none of it.
    ///
    /// The body is a [`Coroutine`] resumed with [`Resume<S>`], and
    /// [`UnpinBody`](crate::UnpinBody), that is `Unpin`: a body that borrows
    /// its own locals across a `yield` is pinned first, and the pinned
    /// reference (or box) is the body.
    pub fn new<R>(body: G) -> Self
    where
        G: Coroutine<Resume<S>, Return = Result<R, Exception>> + crate::UnpinBody,
    {
        Generator {
            body,
            state: GeneratorState::Created,
            finalizer: finalize::<G, S, R>,
            sends: PhantomData,
        }
    }

    /// Python's `inspect.getgeneratorstate(g)`.
    pub fn state(&self) -> GeneratorState {
        self.state
    }

    /// What dropping the generator does, done now: Python's finaliser,
    /// which runs when the last reference to a generator goes (`del g`).
    ///
    /// A suspended generator is closed: `GeneratorExit` is raised at its
    /// paused `yield`, so its `except GeneratorExit:` and its cleanup run
    /// (a `yield from` closes its sub-generator first, as
    /// [`delegate`](Generator::delegate) does). If that close fails (the
    /// body yields again, or raises something else, or panics) there is
    /// nobody to raise it to, so it goes to the unraisable hook
    /// ([`set_unraisable_hook`](crate::set_unraisable_hook); by default one
    /// line on stderr, as CPython prints it). A generator that never
    /// started, or has finished, runs nothing. Afterwards the generator is
    /// closed, and dropping it does nothing more.
    pub fn finalize(&mut self) {
        match self.state {
            GeneratorState::Suspended => (self.finalizer)(self),
            _ => self.state = GeneratorState::Closed,
        }
    }
}

/// A generator whose body is boxed, pinned and known only by what it
/// yields (`Y`), is sent (`S`) and returns (`R`): the type to write where a
/// generator is kept (a struct's field, a `Vec`, a function's return type
/// that `impl Trait` cannot name), and any body fits, `Unpin` or not.
///
/// By hand it would be
/// `Generator<Pin<Box<dyn Coroutine<Resume<S>, Yield = Y, Return = Result<R, Exception>> + 'a>>, S>`;
/// [`Generator::boxed`] makes one. The price is one allocation for the box
/// and a dynamic call on each resume.
pub type BoxGenerator<'a, Y, S, R> =
    Generator<Pin<Box<dyn Coroutine<Resume<S>, Yield = Y, Return = Result<R, Exception>> + 'a>>, S>;

impl<'a, Y, S, R> BoxGenerator<'a, Y, S, R> {
    /// Wrap a body in a [`BoxGenerator`]: box it, pin it, and forget its
    /// type. Like [`Generator::new`], this runs none of it.
    pub fn boxed<C>(body: C) -> Self
    where
        C: Coroutine<Resume<S>, Yield = Y, Return = Result<R, Exception>> + 'a,
    {
        Generator::new(Box::pin(body))
    }
}

/// Shows the state, not the body: a body is a compiler-made state machine
/// with no `Debug` of its own.
impl<G, S> fmt::Debug for Generator<G, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generator")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<G, S, R> Generator<G, S>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    /// Make a generator and run it to its first `yield`, dropping what that
    /// yields: Beazley's `@coroutine` priming decorator, for consumers that
    /// are ready for `send` as soon as they exist.
    ///
    /// ```python
    /// def coroutine(func):
    ///     def start(*args):
    ///         cr = func(*args)
    ///         next(cr)
    ///         return cr
    ///     return start
    /// ```
    ///
    /// If the body returns or raises before its first `yield`, that comes
    /// back instead, as it would out of `next(cr)`.
    // ANCHOR: primed
    pub fn primed(body: G) -> Result<Self, Raised<R>> {
        let mut generator = Generator::new(body);
        generator.next()?;
        Ok(generator)
    }
    // ANCHOR_END: primed

    /// `next(g)`, which is `g.send(None)`: run to the next `yield`.
    ///
    /// Named after Python's `next`, not `Iterator::next`: it answers a
    /// `Result`, because a generator can end with a value or an exception.
    /// `for value in generator` goes through [`Generator::iter`] or
    /// [`IntoIterator`].
    #[inline(always)]
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
    #[inline(always)]
    pub fn send(&mut self, value: S) -> Result<G::Yield, Raised<R>> {
        match self.state {
            GeneratorState::Suspended => self.resume_suspended(Ok(Some(value))),
            GeneratorState::Created => Err(Raised::Exception(just_started())),
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
            GeneratorState::Suspended => self.resume_suspended(Err(exception)),
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
    /// suspended and this is `RuntimeError: generator ignored
    /// GeneratorExit`, as in Python. Any other
    /// exception the body raises while closing comes back as it is. Before
    /// the start or after the end, this only marks the generator closed.
    pub fn close(&mut self) -> Result<(), Exception> {
        if self.state != GeneratorState::Suspended {
            self.state = GeneratorState::Closed;
            return Ok(());
        }
        match self.resume_suspended(Err(Exception::GeneratorExit)) {
            Ok(_ignored) => Err(ignored_generator_exit()),
            Err(Raised::StopIteration(_)) => Ok(()),
            Err(Raised::Exception(e)) if e.is_generator_exit() => Ok(()),
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
            Err(exit) if exit.is_generator_exit() => {
                let raised = self.close().err().unwrap_or(exit);
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

    /// `send(value)` where `value` may be `None`: Python's `g.send(x)` for
    /// an `x` that is sometimes `None`, as in a stage that passes on what
    /// it was sent.
    #[inline]
    pub fn send_option(&mut self, value: Option<S>) -> Result<G::Yield, Raised<R>> {
        match value {
            Some(value) => self.send(value),
            None => self.next(),
        }
    }

    /// `for value in g:` without giving `g` away: iterate, `break` when
    /// you like, and go on with `send` or `close` after the loop.
    ///
    /// Each item is `Ok(value)` for a yielded value, or `Err(exception)`
    /// once, for an exception that escaped the body: Python's `for`
    /// re-raises it, and `?` on the item does the same. What the body
    /// returned is [`Iter::return_value`] after the loop.
    ///
    /// ```
    /// # use pygen_protocol::{Coroutine, CoroutineState, Exception, Generator, Resume};
    /// # use std::pin::Pin;
    /// # struct Count(u32);
    /// # impl Coroutine<Resume<()>> for Count {
    /// #     type Yield = u32;
    /// #     type Return = Result<&'static str, Exception>;
    /// #     fn resume(mut self: Pin<&mut Self>, _: Resume<()>) -> CoroutineState<u32, Self::Return> {
    /// #         self.0 += 1;
    /// #         if self.0 <= 3 { CoroutineState::Yielded(self.0) } else { CoroutineState::Complete(Ok("done")) }
    /// #     }
    /// # }
    /// // def count(): yield 1; yield 2; yield 3; return 'done'
    /// let mut g: Generator<_, ()> = Generator::new(Count(0));
    /// let mut values = g.iter();
    /// let all: Result<Vec<u32>, Exception> = values.by_ref().collect();
    /// assert_eq!(all, Ok(vec![1, 2, 3]));
    /// assert_eq!(values.return_value(), Some("done"));
    /// ```
    pub fn iter(&mut self) -> Iter<'_, G, S, R> {
        Iter::new(self)
    }

    /// Resume the body, unless it has finished: that is the one place the
    /// backends' "resuming a completed coroutine panics" is kept out of
    /// reach.
    #[inline(always)]
    fn resume(&mut self, arg: Resume<S>) -> Result<G::Yield, Raised<R>> {
        match self.state {
            GeneratorState::Suspended => {}
            GeneratorState::Created => self.state = GeneratorState::Suspended,
            GeneratorState::Closed | GeneratorState::Running => {
                return Err(Raised::StopIteration(None));
            }
        }
        self.resume_suspended(arg)
    }

    /// Resume a body that is marked suspended: paused at a `yield`, or
    /// about to run from its top.
    ///
    /// A yield leaves the state as it is, so the hot path of `next` and
    /// `send` (suspended, and suspended again after the resume) stores
    /// nothing: only the end of the body writes the state. `resume` marks
    /// a created generator suspended before its first resume, which no one
    /// can see, since the body runs under `&mut self`.
    #[inline(always)]
    fn resume_suspended(&mut self, arg: Resume<S>) -> Result<G::Yield, Raised<R>> {
        // If the body panics, the unwinding passes through this guard,
        // which marks the generator closed: a panic leaves a finished
        // generator behind, never one that would be resumed again in an
        // unknown state. On the normal path the guard is forgotten, so it
        // costs nothing there.
        let poison = ClosedOnUnwind(&mut self.state);
        let outcome = Pin::new(&mut self.body).resume(arg);
        std::mem::forget(poison);
        match outcome {
            CoroutineState::Yielded(value) => Ok(value),
            CoroutineState::Complete(result) => {
                self.state = GeneratorState::Closed;
                match result {
                    Ok(value) => Err(Raised::StopIteration(Some(value))),
                    Err(exception) => Err(Raised::Exception(escaped(
                        exception,
                        &Class::STOP_ITERATION,
                        "generator raised StopIteration",
                    ))),
                }
            }
        }
    }
}

/// CPython's `TypeError` for a value sent before the first `yield`. Out
/// of line, as every exception the protocol makes: `send` is on the path
/// of every request a server answers, and its rare branch should not make
/// it bigger.
#[cold]
#[inline(never)]
fn just_started() -> Exception {
    Exception::TypeError.with_message(JUST_STARTED)
}

/// CPython's `RuntimeError` for a body that yielded when it was closed.
#[cold]
#[inline(never)]
fn ignored_generator_exit() -> Exception {
    Exception::RuntimeError.with_message("generator ignored GeneratorExit")
}

/// What `yield from sub` can delegate to: a [`Generator`], whose
/// [`delegate`](Generator::delegate) is one step of PEP 380's loop.
/// `yield_from!` goes through this trait, so that a body passed to it
/// bare (not wrapped in `Generator::new`) is refused with a message that
/// says so, not with "no method named `delegate`".
#[diagnostic::on_unimplemented(
    message = "`yield from` takes a pygen_protocol::Generator, and `{Self}` is not one",
    label = "not a Generator",
    note = "wrap the sub-generator's body: `yield_from!(Generator::new(sub()))?`; for a plain iterator, use `yield_from_iter!`"
)]
pub trait SubGenerator<S> {
    /// What the sub-generator yields.
    type Yield;
    /// What it returns: the value of the `yield from` expression.
    type Return;
    /// One step of `yield from`: [`Generator::delegate`].
    fn delegate(&mut self, arg: Resume<S>) -> Delegated<Self::Yield, Self::Return>;
}

impl<G, S, R> SubGenerator<S> for Generator<G, S>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    type Yield = G::Yield;
    type Return = R;

    #[inline(always)]
    fn delegate(&mut self, arg: Resume<S>) -> Delegated<G::Yield, R> {
        Generator::delegate(self, arg)
    }
}

/// One step of `yield from iterable` over a plain iterator, which has no
/// `send`, `throw` or `close`: PEP 380's rules for that case.
///
/// `Ok(None)` takes the next item: [`Delegated::Yield`] with it, or
/// [`Delegated::Return`] with `None` (the value of the expression) when
/// the iterator is used up. A value sent in is `AttributeError`, named
/// after the iterator's type as CPython names it ("'list_iterator' object
/// has no attribute 'send'"; here, Rust's type: "'Chars' object has no
/// attribute 'send'"), and a thrown
/// exception, `GeneratorExit` included, is raised at the `yield from`
/// without touching the iterator.
pub fn delegate_iter<I: Iterator, S>(iter: &mut I, arg: Resume<S>) -> Delegated<I::Item, ()> {
    match arg {
        Ok(None) => match iter.next() {
            Some(item) => Delegated::Yield(item),
            None => Delegated::Return(None),
        },
        Ok(Some(_)) => Delegated::Raise(no_send::<I>()),
        Err(exception) => Delegated::Raise(exception),
    }
}

/// `AttributeError: 'Chars' object has no attribute 'send'`: the type's
/// name without its path or its generic arguments, as Python names a type.
#[cold]
fn no_send<I>() -> Exception {
    let full = std::any::type_name::<I>();
    let name = full.split('<').next().unwrap_or(full);
    let name = name.rsplit("::").next().unwrap_or(name);
    Exception::AttributeError.with_message(format!("'{name}' object has no attribute 'send'"))
}

/// Python's generator finaliser: see [`Generator::finalize`]. Never
/// panics, even while a panic unwinds (when a panic escaping a `Drop`
/// aborts the process): the body's panic and the hook's are caught.
fn finalize<G, S, R>(generator: &mut Generator<G, S>)
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + crate::UnpinBody,
{
    let closed = catch_unwind(AssertUnwindSafe(|| generator.close()));
    let unraisable = match closed {
        Ok(Ok(())) => return,
        Ok(Err(exception)) => Unraisable::Raised(exception),
        Err(payload) => Unraisable::Panicked(panic_text(payload.as_ref())),
    };
    // A body that ignored GeneratorExit is still suspended: it will not be
    // resumed again, and what it holds is dropped with it.
    generator.state = GeneratorState::Closed;
    let _ = catch_unwind(AssertUnwindSafe(|| unraisable::report(unraisable)));
}

/// The text of a panic's payload, as the default panic hook prints it.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic with no message".to_owned()
    }
}

/// Dropping a suspended generator closes it, as CPython's finaliser does:
/// see [`Generator::finalize`]. Dropping a finished one costs a compare.
impl<G, S> Drop for Generator<G, S> {
    fn drop(&mut self) {
        self.finalize();
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

#[cfg(test)]
mod tests {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::pin::Pin;

    use crate::{
        Coroutine, CoroutineState, Delegated, Exception, Generator, GeneratorState, Raised, Resume,
        delegate_iter,
    };

    /// def raises_after(n):
    ///     for i in range(n):
    ///         yield i
    ///     raise KeyError
    /// (or, with `n` negative, returns `'done'` after yielding 0, 1, 2)
    struct Counts {
        seen: i64,
        raise_at: Option<i64>,
    }

    impl Coroutine<Resume<i64>> for Counts {
        type Yield = i64;
        type Return = Result<&'static str, Exception>;

        fn resume(mut self: Pin<&mut Self>, arg: Resume<i64>) -> CoroutineState<i64, Self::Return> {
            if let Err(exception) = arg {
                return CoroutineState::Complete(Err(exception));
            }
            let i = self.seen;
            self.seen += 1;
            match self.raise_at {
                Some(n) if i == n => CoroutineState::Complete(Err(Exception::KeyError)),
                None if i == 3 => CoroutineState::Complete(Ok("done")),
                _ => CoroutineState::Yielded(i),
            }
        }
    }

    // for i in raises_after(2): ...  -> 0, 1, then KeyError escapes the loop
    #[test]
    fn for_surfaces_an_exception_raised_in_the_body() {
        let mut g = Generator::new(Counts {
            seen: 0,
            raise_at: Some(2),
        });
        let items: Vec<_> = g.iter().collect();
        assert_eq!(items, [Ok(0), Ok(1), Err(Exception::KeyError)]);
        assert_eq!(g.state(), GeneratorState::Closed);
        let all: Result<Vec<i64>, Exception> = Generator::new(Counts {
            seen: 0,
            raise_at: Some(1),
        })
        .into_iter()
        .collect();
        assert_eq!(all, Err(Exception::KeyError));
    }

    // for i in g: break; then g.send / g.close still work; the return value is kept
    #[test]
    fn for_can_break_and_the_generator_goes_on() {
        let mut g = Generator::new(Counts {
            seen: 0,
            raise_at: None,
        });
        if let Some(first) = g.iter().next() {
            assert_eq!(first, Ok(0));
        }
        assert_eq!(g.state(), GeneratorState::Suspended);
        assert_eq!(g.send(9), Ok(1));
        let mut rest = g.iter();
        assert_eq!(rest.by_ref().collect::<Vec<_>>(), [Ok(2)]);
        assert_eq!(rest.return_value(), Some("done"));
        assert_eq!(rest.return_value(), None, "taken once");
        assert_eq!(g.close(), Ok(()));

        let mut owned = Generator::new(Counts {
            seen: 0,
            raise_at: None,
        })
        .into_iter();
        assert_eq!(owned.by_ref().count(), 3);
        assert_eq!(owned.return_value(), Some("done"));
        assert_eq!(owned.into_inner().state(), GeneratorState::Closed);
    }

    // @coroutine: primed, so the first call can be a send
    #[test]
    fn primed_runs_to_the_first_yield() {
        let mut g = Generator::primed(Counts {
            seen: 0,
            raise_at: None,
        })
        .unwrap();
        assert_eq!(g.state(), GeneratorState::Suspended);
        assert_eq!(g.send(5), Ok(1));
        let failed = Generator::primed(Counts {
            seen: 0,
            raise_at: Some(0),
        });
        assert_eq!(failed.err(), Some(Raised::Exception(Exception::KeyError)));
    }

    // Inside a body, StopIteration is an exception like any other...
    #[test]
    fn a_stop_iteration_in_a_body_is_an_exception_it_can_catch() {
        assert_eq!(
            Exception::from(Raised::StopIteration(Some(3))),
            Exception::StopIteration
        );
        assert_eq!(
            Exception::from(Raised::<()>::Exception(Exception::KeyError)),
            Exception::KeyError
        );
    }

    /// def leaks(): yield 1; next(iter([]))
    struct Leaks(u8);

    impl Coroutine<Resume<i64>> for Leaks {
        type Yield = i64;
        type Return = Result<(), Exception>;

        fn resume(mut self: Pin<&mut Self>, _: Resume<i64>) -> CoroutineState<i64, Self::Return> {
            self.0 += 1;
            match self.0 {
                1 => CoroutineState::Yielded(1),
                _ => CoroutineState::Complete(Err(Raised::<()>::StopIteration(None).into())),
            }
        }
    }

    // ...and PEP 479 turns one that escapes into RuntimeError, from it
    #[test]
    fn a_stop_iteration_escaping_a_body_is_runtime_error() {
        let mut g = Generator::new(Leaks(0));
        assert_eq!(g.next(), Ok(1));
        let Err(Raised::Exception(e)) = g.next() else {
            panic!("RuntimeError");
        };
        assert_eq!(
            e.to_string(),
            "RuntimeError: generator raised StopIteration"
        );
        assert_eq!(e.cause(), Some(Exception::StopIteration));
        assert_eq!(g.state(), GeneratorState::Closed);
    }

    // def g(): yield from [1, 2]; then send(5) -> AttributeError; throw -> raised
    #[test]
    fn yield_from_a_plain_iterable() {
        let mut items = [1, 2].into_iter();
        assert_eq!(
            delegate_iter(&mut items, Ok(None::<i64>)),
            Delegated::Yield(1)
        );
        assert_eq!(
            delegate_iter(&mut items, Ok(Some(5))),
            Delegated::Raise(
                Exception::AttributeError.with_message("'IntoIter' object has no attribute 'send'")
            )
        );
        assert_eq!(
            delegate_iter::<_, i64>(&mut items, Err(Exception::GeneratorExit)),
            Delegated::Raise(Exception::GeneratorExit)
        );
        assert_eq!(
            delegate_iter::<_, i64>(&mut items, Ok(None)),
            Delegated::Yield(2)
        );
        assert_eq!(
            delegate_iter::<_, i64>(&mut items, Ok(None)),
            Delegated::Return(None)
        );
    }

    #[test]
    fn debug_shows_the_state() {
        let g: Generator<_, i64> = Generator::new(Counts {
            seen: 0,
            raise_at: None,
        });
        assert_eq!(format!("{g:?}"), "Generator { state: Created, .. }");
    }

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
