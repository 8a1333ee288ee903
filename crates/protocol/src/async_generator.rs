//! [`AsyncGenerator`]: Python's async generator object (PEP 525), its
//! methods and its rules, over any [`Coroutine`] that can also say "not
//! yet".
//!
//! # `.await` is a `yield`
//!
//! An `async def` body that reaches `await sleep(0)` does not block: it
//! hands "pending" out to whoever polled it, and is resumed when it is
//! polled again. Rust's `async fn` is compiled the same way, into a
//! coroutine whose resume argument is the caller's [`Context`]: each
//! `.await` polls the inner future with that `Context` and, while the
//! future is pending, yields "pending" and waits for the next `Context`.
//!
//! An async generator's body therefore yields one of two things, a value
//! for the caller ([`AsyncYield::Value`], Python's `yield v`) or "not yet"
//! ([`AsyncYield::Pending`], inside an `await`), and is resumed with one of
//! two things: a value sent in, with the `Context` of the poll that sent it
//! ([`AsyncResume`] with `sent: Some(..)`), or "poll again" with a new
//! `Context` (`sent: None`). [`AsyncGenerator`] turns that into Python's
//! four methods, each a future: [`anext`](AsyncGenerator::anext),
//! [`asend`](AsyncGenerator::asend), [`athrow`](AsyncGenerator::athrow) and
//! [`aclose`](AsyncGenerator::aclose); with the feature `stream` it is a
//! `futures_core::Stream` too, which is Python's `async for`.
//!
//! # CPython 3.11's rules, quirks included
//!
//! | Python | here |
//! |---|---|
//! | `await g.asend(v)`, `v` not None, before the start | `Err(TypeError)`, still created |
//! | the body ends (it has no return value) | `Err(StopAsyncIteration)`, and for every `anext`/`asend` after |
//! | `await g.athrow(E)` before the start | `Err(E)`, finished, none of the body run |
//! | `await g.athrow(E)` after the end | `Ok(None)`: 3.11 returns `None` without raising |
//! | `await g.aclose()` before the start or after the end | `Ok(())` |
//! | `aclose()` of a body that yields again | `Err(RuntimeError)`, still suspended |
//! | `aclose()` or `athrow(E)` after an `aclose()` that failed | `Err(StopAsyncIteration)` (3.11 marks the generator closed though its frame lives on); `anext` and `asend` still run it |
//! | two operations in flight at once: `RuntimeError` | the borrow checker refuses it: each method takes `&mut self` and its future keeps the borrow |
//! | an operation started while an abandoned one is still in the body | `Err(RuntimeError)`, as 3.11's "asynchronous generator is already running" |
//! | an operation's future polled again after it finished | `Err(RuntimeError)`, as 3.11's "cannot reuse already awaited `__anext__()`/`asend()`" |
//!
//! [`Context`]: std::task::Context

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{Context, Poll};

use crate::{Class, Coroutine, CoroutineState, Exception, Resume};

/// What an async body hands out at each stop: a value, or "not yet".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AsyncYield<Y> {
    /// Python's `yield value`: the operation in flight resolves to it.
    Value(Y),
    /// Inside an `await`, the awaited future answered `Poll::Pending`: the
    /// operation in flight answers `Pending` too, and the body waits to be
    /// polled again.
    Pending,
}

/// The caller's [`Context`], as an async body is resumed with it: rustc's
/// own `ResumeTy`, a pointer with its lifetime erased.
///
/// Why a pointer: a coroutine has one resume type, but every poll lends a
/// `&mut Context<'_>` of its own, shorter lifetime. A resume type general
/// over that lifetime (`for<'a> Coroutine<&'a mut Context<'_>>`) is refused
/// by today's compilers ("implementation of `Coroutine` is not general
/// enough"), so rustc's `async fn` lowering passes the `Context` as a raw
/// pointer and turns it back into a reference just before each poll of an
/// awaited future (`get_context`). pygen does the same.
///
/// [`Context`]: std::task::Context
#[derive(Clone, Copy, Debug)]
pub struct TaskContext(NonNull<Context<'static>>);

impl TaskContext {
    /// Erase the lifetime of the `Context` a poll was given.
    pub fn new(cx: &mut Context<'_>) -> TaskContext {
        TaskContext(NonNull::from(cx).cast())
    }

    /// The `Context` back, to poll an awaited future with.
    ///
    /// # Safety
    ///
    /// Only while the resume that was handed this `TaskContext` is still
    /// running: that resume is called from inside one `poll`, whose
    /// `&mut Context` outlives the call, and nobody else uses it meanwhile
    /// (the poll is blocked in the resume). After the body's next `yield`
    /// the poll may have returned and its `Context` be gone, so a body
    /// takes the `TaskContext` each resume brings and uses no older one,
    /// which is what the adapters' `await` helpers do for it.
    pub unsafe fn get<'a>(self) -> &'a mut Context<'a> {
        // SAFETY: the caller's contract above: the pointer came from a
        // `&mut Context` that is still borrowed by the running poll, and
        // only the body uses it until the resume returns.
        unsafe { &mut *self.0.cast::<Context<'a>>().as_ptr() }
    }
}

/// What an async body is resumed with.
#[derive(Debug)]
pub struct AsyncResume<S> {
    /// The `Context` of the poll that resumes the body: what an awaited
    /// future is polled with.
    pub cx: TaskContext,
    /// `Some` on the first resume of an operation: what the paused `yield`
    /// evaluates to (`Ok(None)` for `anext`, `Ok(Some(v))` for `asend(v)`,
    /// `Err(e)` for `athrow(e)` and `aclose()`). `None` when the body
    /// answered [`AsyncYield::Pending`] and is polled again.
    pub sent: Option<Resume<S>>,
}

impl<S> AsyncResume<S> {
    /// What the paused `yield` evaluates to. A body resumed at a `yield`
    /// always gets `Some`; if it does not (it yielded a value from inside
    /// an `await`), that is `Err(RuntimeError)`, saying so.
    pub fn into_sent(self) -> Resume<S> {
        self.sent.unwrap_or_else(|| {
            Err(Exception::RuntimeError
                .with_message("an async generator's body yielded a value from inside an await"))
        })
    }
}

/// Python's `inspect.getasyncgenstate` (3.12; 3.11 has the same four
/// states in `ag_running`, `ag_frame`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AsyncGeneratorState {
    /// `AGEN_CREATED`: none of the body has run yet.
    Created,
    /// `AGEN_RUNNING`: an operation is in flight, its body paused inside an
    /// `await` (it answered `Pending`). Seen from outside only once that
    /// operation's future has been dropped before it finished.
    Running,
    /// `AGEN_SUSPENDED`: paused at a `yield`.
    Suspended,
    /// `AGEN_CLOSED`: ended, raised, or closed.
    Closed,
}

impl AsyncGeneratorState {
    /// The name `inspect.getasyncgenstate` returns: `AGEN_SUSPENDED`.
    pub fn name(self) -> &'static str {
        match self {
            AsyncGeneratorState::Created => "AGEN_CREATED",
            AsyncGeneratorState::Running => "AGEN_RUNNING",
            AsyncGeneratorState::Suspended => "AGEN_SUSPENDED",
            AsyncGeneratorState::Closed => "AGEN_CLOSED",
        }
    }
}

/// Python's async generator object: a body plus PEP 525's rules.
///
/// `G` is a [`Coroutine`] resumed with [`AsyncResume<S>`] that yields
/// [`AsyncYield<Y>`] and returns `Result<(), Exception>`: an async
/// generator has no return value. Each backend's adapter makes one from a
/// body written with `yield` and `.await`.
///
/// ```
/// use std::pin::Pin;
/// use pygen_protocol::{AsyncGenerator, AsyncResume, AsyncYield, Coroutine, CoroutineState, Exception};
///
/// // async def once():
/// //     yield 'ready'
/// #[derive(Default)]
/// struct Once(bool);
/// impl Coroutine<AsyncResume<i32>> for Once {
///     type Yield = AsyncYield<&'static str>;
///     type Return = Result<(), Exception>;
///     fn resume(mut self: Pin<&mut Self>, arg: AsyncResume<i32>) -> CoroutineState<Self::Yield, Self::Return> {
///         if std::mem::replace(&mut self.0, true) {
///             CoroutineState::Complete(arg.into_sent().map(drop))
///         } else {
///             CoroutineState::Yielded(AsyncYield::Value("ready"))
///         }
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let mut g = AsyncGenerator::new(Once::default());
/// let just_started = Exception::TypeError
///     .with_message("can't send non-None value to a just-started async generator");
/// assert_eq!(g.asend(7).await, Err(just_started));
/// assert_eq!(g.anext().await, Ok("ready"));
/// assert_eq!(g.anext().await, Err(Exception::StopAsyncIteration));
/// # });
/// ```
#[must_use = "an async generator runs none of its body until an operation is awaited"]
pub struct AsyncGenerator<G, S> {
    body: G,
    state: AsyncGeneratorState,
    /// CPython's `ag_closed`, set by the first `aclose()` of a suspended
    /// generator: once that close has failed (the body yielded again), the
    /// frame lives on but `aclose` and `athrow` raise `StopAsyncIteration`.
    close_failed: bool,
    /// Whether the operation paused inside the body (state `Running`) is
    /// the `Stream`'s own `poll_next`, which may go on with it.
    #[cfg(feature = "stream")]
    streaming: bool,
    sends: PhantomData<fn(S)>,
}

impl<G, S> AsyncGenerator<G, S> {
    /// Wrap a body. Like calling an `async def` generator function, this
    /// runs none of it.
    pub fn new(body: G) -> Self
    where
        G: Coroutine<AsyncResume<S>> + crate::UnpinBody,
    {
        AsyncGenerator {
            body,
            state: AsyncGeneratorState::Created,
            close_failed: false,
            #[cfg(feature = "stream")]
            streaming: false,
            sends: PhantomData,
        }
    }

    /// `inspect.getasyncgenstate(g)`.
    pub fn state(&self) -> AsyncGeneratorState {
        self.state
    }
}

impl<G, S> fmt::Debug for AsyncGenerator<G, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncGenerator")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// How one operation ended, before each method gives it its own type.
enum Stop<Y> {
    Yielded(Y),
    Ended,
    Raised(Exception),
}

impl<G, S, Y> AsyncGenerator<G, S>
where
    G: Coroutine<AsyncResume<S>, Yield = AsyncYield<Y>, Return = Result<(), Exception>> + Unpin,
{
    /// `await anext(g)`, that is `await g.asend(None)`: run to the next
    /// `yield`. `Err(StopAsyncIteration)` at the end.
    pub fn anext(&mut self) -> ASend<'_, G, S> {
        ASend {
            generator: self,
            value: None,
            started: false,
        }
    }

    /// `await g.asend(value)`: resume with `value` as the value of the
    /// paused `yield`. Before the start this is `Err(TypeError)` and the
    /// generator stays created, as in Python.
    pub fn asend(&mut self, value: S) -> ASend<'_, G, S> {
        ASend {
            generator: self,
            value: Some(value),
            started: false,
        }
    }

    /// `await g.athrow(exception)`: raise it at the paused `yield`.
    ///
    /// `Ok(Some(v))` if the body caught it and yielded `v`; `Err` with what
    /// came out of the body otherwise (`StopAsyncIteration` if it ended).
    /// Before the start it comes straight back and the generator is
    /// finished; after the end CPython 3.11 returns `None`, which is
    /// `Ok(None)` here.
    pub fn athrow(&mut self, exception: Exception) -> AThrow<'_, G, S> {
        AThrow {
            generator: self,
            exception: Some(exception),
        }
    }

    /// `await g.aclose()`: raise `GeneratorExit` at the paused `yield` and
    /// let the body clean up (it may `await` while it does).
    ///
    /// `Ok(())` if `GeneratorExit` came out or the body ended; a body that
    /// yields again makes it `Err(RuntimeError)` and stays suspended.
    pub fn aclose(&mut self) -> AClose<'_, G, S> {
        AClose {
            generator: self,
            started: false,
        }
    }

    /// Resume the body once, with the caller's `Context`: `Pending` while
    /// it is inside an `await`, or how the operation ended.
    fn poll_body(&mut self, cx: &mut Context<'_>, sent: Option<Resume<S>>) -> Poll<Stop<Y>> {
        self.state = AsyncGeneratorState::Running;
        let arg = AsyncResume {
            cx: TaskContext::new(cx),
            sent,
        };
        // A body that panics leaves a finished generator behind, as in
        // `Generator`: the guard is forgotten on the normal path.
        let poison = ClosedOnUnwind(&mut self.state);
        let outcome = Pin::new(&mut self.body).resume(arg);
        std::mem::forget(poison);
        match outcome {
            CoroutineState::Yielded(AsyncYield::Pending) => Poll::Pending,
            CoroutineState::Yielded(AsyncYield::Value(value)) => {
                self.state = AsyncGeneratorState::Suspended;
                Poll::Ready(Stop::Yielded(value))
            }
            CoroutineState::Complete(result) => {
                self.state = AsyncGeneratorState::Closed;
                Poll::Ready(match result {
                    Ok(()) => Stop::Ended,
                    Err(exception) => Stop::Raised(escaped(exception)),
                })
            }
        }
    }

    /// Poll an operation again after it answered `Pending`: the body is
    /// inside an `await` (state `Running`). A future polled again after it
    /// finished finds no operation in flight: `RuntimeError`, as CPython's
    /// "cannot reuse already awaited __anext__()/asend()" (`op` names the
    /// operation).
    fn poll_again(&mut self, cx: &mut Context<'_>, op: Op) -> Poll<Stop<Y>> {
        if self.state != AsyncGeneratorState::Running {
            let message = match op {
                Op::Send => "cannot reuse already awaited __anext__()/asend()",
                Op::Throw | Op::Close => "cannot reuse already awaited aclose()/athrow()",
            };
            return Poll::Ready(Stop::Raised(Exception::RuntimeError.with_message(message)));
        }
        self.poll_body(cx, None)
    }

    /// Start `anext`/`asend(value)`: Python's checks first, then the body.
    fn start_send(&mut self, cx: &mut Context<'_>, value: Option<S>) -> Poll<Stop<Y>> {
        match self.state {
            AsyncGeneratorState::Running => Poll::Ready(Stop::Raised(already_running(Op::Send))),
            AsyncGeneratorState::Closed => Poll::Ready(Stop::Ended),
            AsyncGeneratorState::Created if value.is_some() => Poll::Ready(Stop::Raised(
                Exception::TypeError
                    .with_message("can't send non-None value to a just-started async generator"),
            )),
            _ => self.poll_body(cx, Some(Ok(value))),
        }
    }
}

/// Which operation is in flight, for CPython's messages.
#[derive(Clone, Copy)]
enum Op {
    Send,
    Throw,
    Close,
}

/// CPython's `RuntimeError` for an operation started while another is
/// still inside the body. 3.11 names `anext()` for `asend` too.
#[cold]
fn already_running(op: Op) -> Exception {
    Exception::RuntimeError.with_message(match op {
        Op::Send => "anext(): asynchronous generator is already running",
        Op::Throw => "athrow(): asynchronous generator is already running",
        Op::Close => "aclose(): asynchronous generator is already running",
    })
}

/// PEP 479 and PEP 525: a `StopAsyncIteration` or `StopIteration` that
/// escaped the body is a `RuntimeError` saying which, raised from it; the
/// generator's own conversion, once for each class (the `RuntimeError`
/// the first makes is neither).
#[cold]
fn escaped(exception: Exception) -> Exception {
    let exception = crate::generator::escaped(
        exception,
        &Class::STOP_ASYNC_ITERATION,
        "async generator raised StopAsyncIteration",
    );
    crate::generator::escaped(
        exception,
        &Class::STOP_ITERATION,
        "async generator raised StopIteration",
    )
}

/// Marks an async generator closed when dropped: dropped only while a panic
/// unwinds out of its body.
struct ClosedOnUnwind<'a>(&'a mut AsyncGeneratorState);

impl Drop for ClosedOnUnwind<'_> {
    fn drop(&mut self) {
        *self.0 = AsyncGeneratorState::Closed;
    }
}

/// The future of [`AsyncGenerator::anext`] and [`AsyncGenerator::asend`]:
/// resolves to the next yielded value, or the exception that ended the
/// body (`StopAsyncIteration` for its end).
///
/// It holds the generator's `&mut` borrow until it is dropped, so a second
/// operation cannot start while this one is in flight.
#[must_use = "an operation does nothing unless awaited"]
pub struct ASend<'g, G, S> {
    generator: &'g mut AsyncGenerator<G, S>,
    value: Option<S>,
    started: bool,
}

/// The value waiting to be sent is never pinned: the future only moves it
/// into the body's resume argument.
impl<G, S> Unpin for ASend<'_, G, S> {}

impl<G, S, Y> Future for ASend<'_, G, S>
where
    G: Coroutine<AsyncResume<S>, Yield = AsyncYield<Y>, Return = Result<(), Exception>> + Unpin,
{
    type Output = Result<Y, Exception>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = Pin::into_inner(self);
        let stop = if this.started {
            this.generator.poll_again(cx, Op::Send)
        } else {
            this.started = true;
            this.generator.start_send(cx, this.value.take())
        };
        stop.map(|stop| match stop {
            Stop::Yielded(value) => Ok(value),
            Stop::Ended => Err(Exception::StopAsyncIteration),
            Stop::Raised(exception) => Err(exception),
        })
    }
}

/// The future of [`AsyncGenerator::athrow`].
#[must_use = "an operation does nothing unless awaited"]
pub struct AThrow<'g, G, S> {
    generator: &'g mut AsyncGenerator<G, S>,
    /// The exception until the first poll delivers it.
    exception: Option<Exception>,
}

impl<G, S, Y> Future for AThrow<'_, G, S>
where
    G: Coroutine<AsyncResume<S>, Yield = AsyncYield<Y>, Return = Result<(), Exception>> + Unpin,
{
    type Output = Result<Option<Y>, Exception>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = Pin::into_inner(self);
        let generator = &mut *this.generator;
        let stop = match this.exception.take() {
            None => generator.poll_again(cx, Op::Throw),
            Some(exception) => match generator.state {
                AsyncGeneratorState::Running => {
                    Poll::Ready(Stop::Raised(already_running(Op::Throw)))
                }
                // 3.11: the frame has finished, so `athrow` returns None.
                AsyncGeneratorState::Closed => return Poll::Ready(Ok(None)),
                _ if generator.close_failed => Poll::Ready(Stop::Ended),
                AsyncGeneratorState::Created => {
                    generator.state = AsyncGeneratorState::Closed;
                    Poll::Ready(Stop::Raised(exception))
                }
                AsyncGeneratorState::Suspended => generator.poll_body(cx, Some(Err(exception))),
            },
        };
        stop.map(|stop| match stop {
            Stop::Yielded(value) => Ok(Some(value)),
            Stop::Ended => Err(Exception::StopAsyncIteration),
            Stop::Raised(exception) => Err(exception),
        })
    }
}

/// The future of [`AsyncGenerator::aclose`].
#[must_use = "an operation does nothing unless awaited"]
pub struct AClose<'g, G, S> {
    generator: &'g mut AsyncGenerator<G, S>,
    started: bool,
}

impl<G, S, Y> Future for AClose<'_, G, S>
where
    G: Coroutine<AsyncResume<S>, Yield = AsyncYield<Y>, Return = Result<(), Exception>> + Unpin,
{
    type Output = Result<(), Exception>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = Pin::into_inner(self);
        let generator = &mut *this.generator;
        if this.started {
            return generator.poll_again(cx, Op::Close).map(closed);
        }
        this.started = true;
        match generator.state {
            AsyncGeneratorState::Running => Poll::Ready(Err(already_running(Op::Close))),
            AsyncGeneratorState::Closed => Poll::Ready(Ok(())),
            _ if generator.close_failed => Poll::Ready(Err(Exception::StopAsyncIteration)),
            AsyncGeneratorState::Created => {
                generator.state = AsyncGeneratorState::Closed;
                Poll::Ready(Ok(()))
            }
            AsyncGeneratorState::Suspended => {
                generator.close_failed = true;
                generator
                    .poll_body(cx, Some(Err(Exception::GeneratorExit)))
                    .map(closed)
            }
        }
    }
}

/// What `aclose` makes of how the body answered `GeneratorExit`.
fn closed<Y>(stop: Stop<Y>) -> Result<(), Exception> {
    match stop {
        // The body yielded again: the value is dropped, the generator
        // stays suspended.
        Stop::Yielded(_) => {
            Err(Exception::RuntimeError.with_message("async generator ignored GeneratorExit"))
        }
        Stop::Ended => Ok(()),
        Stop::Raised(exit) if exit.is_generator_exit() => Ok(()),
        Stop::Raised(other) => Err(other),
    }
}

/// `async for value in g:`: an async generator is a `Stream` of
/// `Result<Y, Exception>`, the way [`Generator::iter`](crate::Generator::iter)
/// is an iterator: `Ok` for each yielded value, then `Err` once for an
/// exception that escaped the body, then the end. `StopAsyncIteration` is
/// the end itself, `None`.
///
/// ```
/// # use std::pin::Pin;
/// # use pygen_protocol::{AsyncGenerator, AsyncResume, AsyncYield, Coroutine, CoroutineState, Exception};
/// # struct Count(u32);
/// # impl Coroutine<AsyncResume<()>> for Count {
/// #     type Yield = AsyncYield<u32>;
/// #     type Return = Result<(), Exception>;
/// #     fn resume(mut self: Pin<&mut Self>, _: AsyncResume<()>) -> CoroutineState<Self::Yield, Self::Return> {
/// #         self.0 += 1;
/// #         if self.0 <= 3 { CoroutineState::Yielded(AsyncYield::Value(self.0)) } else { CoroutineState::Complete(Ok(())) }
/// #     }
/// # }
/// use futures::StreamExt;
///
/// # futures::executor::block_on(async {
/// // async for n in count(): seen.append(n)
/// let mut g: AsyncGenerator<_, ()> = AsyncGenerator::new(Count(0));
/// let mut seen = Vec::new();
/// while let Some(n) = g.next().await {
///     seen.push(n);
/// }
/// assert_eq!(seen, [Ok(1), Ok(2), Ok(3)]);
/// # });
/// ```
#[cfg(feature = "stream")]
impl<G, S, Y> futures_core::Stream for AsyncGenerator<G, S>
where
    G: Coroutine<AsyncResume<S>, Yield = AsyncYield<Y>, Return = Result<(), Exception>> + Unpin,
{
    type Item = Result<Y, Exception>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = Pin::into_inner(self);
        let stop = if this.state == AsyncGeneratorState::Running && this.streaming {
            this.poll_body(cx, None)
        } else {
            this.start_send(cx, None)
        };
        this.streaming = stop.is_pending();
        stop.map(|stop| match stop {
            Stop::Yielded(value) => Some(Ok(value)),
            Stop::Ended => None,
            Stop::Raised(exception) => Some(Err(exception)),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::pin::{Pin, pin};
    use std::task::{Context, Poll, Waker};

    use super::*;

    /// async def two():
    ///     try:
    ///         x = yield 1     # an `await` that is pending once comes first
    ///         yield x
    ///     except ValueError:
    ///         yield 'caught'  (as -1)
    /// Written as the state machine a compiler would make.
    #[derive(Default)]
    enum Two {
        #[default]
        Start,
        Awaiting,
        First,
        Second,
        Done,
    }

    impl Coroutine<AsyncResume<i32>> for Two {
        type Yield = AsyncYield<i32>;
        type Return = Result<(), Exception>;

        fn resume(
            mut self: Pin<&mut Self>,
            arg: AsyncResume<i32>,
        ) -> CoroutineState<AsyncYield<i32>, Result<(), Exception>> {
            let this = &mut *self;
            match std::mem::replace(this, Two::Done) {
                Two::Start => {
                    *this = Two::Awaiting;
                    CoroutineState::Yielded(AsyncYield::Pending)
                }
                Two::Awaiting => {
                    *this = Two::First;
                    CoroutineState::Yielded(AsyncYield::Value(1))
                }
                Two::First => match arg.into_sent() {
                    Ok(x) => {
                        *this = Two::Second;
                        CoroutineState::Yielded(AsyncYield::Value(x.unwrap_or(0)))
                    }
                    Err(e) if e.is_instance(&Class::VALUE_ERROR) => {
                        *this = Two::Second;
                        CoroutineState::Yielded(AsyncYield::Value(-1))
                    }
                    Err(other) => CoroutineState::Complete(Err(other)),
                },
                Two::Second => CoroutineState::Complete(arg.into_sent().map(drop)),
                Two::Done => panic!("resumed after the end"),
            }
        }
    }

    /// async def leaks(stop): yield 1; raise stop
    struct Leaks(u8, Exception);

    impl Coroutine<AsyncResume<()>> for Leaks {
        type Yield = AsyncYield<i32>;
        type Return = Result<(), Exception>;

        fn resume(
            mut self: Pin<&mut Self>,
            _: AsyncResume<()>,
        ) -> CoroutineState<AsyncYield<i32>, Result<(), Exception>> {
            self.0 += 1;
            match self.0 {
                1 => CoroutineState::Yielded(AsyncYield::Value(1)),
                _ => CoroutineState::Complete(Err(self.1.clone())),
            }
        }
    }

    // PEP 479 and 525: StopAsyncIteration or StopIteration escaping the body
    #[test]
    fn a_stop_escaping_the_body_is_runtime_error_from_it() {
        for (stop, message) in [
            (
                Exception::StopAsyncIteration,
                "RuntimeError: async generator raised StopAsyncIteration",
            ),
            (
                Exception::StopIteration,
                "RuntimeError: async generator raised StopIteration",
            ),
        ] {
            let mut g = AsyncGenerator::new(Leaks(0, stop.clone()));
            assert_eq!(poll_once(&mut g.anext()), Poll::Ready(Ok(1)));
            let Poll::Ready(Err(e)) = poll_once(&mut g.anext()) else {
                panic!("{stop} escaped");
            };
            assert_eq!(e.to_string(), message);
            assert_eq!(e.cause(), Some(stop));
        }
        let mut g = AsyncGenerator::new(Leaks(0, Exception::KeyError));
        assert_eq!(poll_once(&mut g.anext()), Poll::Ready(Ok(1)));
        assert_eq!(
            poll_once(&mut g.anext()),
            Poll::Ready(Err(Exception::KeyError))
        );
    }

    fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
        Pin::new(future).poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn an_operation_is_pending_while_the_body_awaits() {
        let mut g = AsyncGenerator::new(Two::default());
        let mut op = g.anext();
        assert_eq!(poll_once(&mut op), Poll::Pending);
        assert_eq!(poll_once(&mut op), Poll::Ready(Ok(1)));
        assert_eq!(g.state(), AsyncGeneratorState::Suspended);
        let mut op = g.asend(7);
        assert_eq!(poll_once(&mut op), Poll::Ready(Ok(7)));
        let mut op = g.anext();
        assert_eq!(
            poll_once(&mut op),
            Poll::Ready(Err(Exception::StopAsyncIteration))
        );
        assert_eq!(g.state(), AsyncGeneratorState::Closed);
    }

    #[test]
    fn an_abandoned_operation_leaves_the_generator_running() {
        let mut g = AsyncGenerator::new(Two::default());
        let mut op = g.anext();
        assert_eq!(poll_once(&mut op), Poll::Pending);
        drop(op);
        assert_eq!(g.state(), AsyncGeneratorState::Running);
        for (result, op) in [
            (poll_once(&mut g.anext()), "anext"),
            (
                poll_once(&mut g.athrow(Exception::KeyError)).map(|r| r.map(|_| 0)),
                "athrow",
            ),
            (poll_once(&mut g.aclose()).map(|r| r.map(|()| 0)), "aclose"),
        ] {
            let running = format!("{op}(): asynchronous generator is already running");
            let expected = Exception::RuntimeError.with_message(running);
            assert_eq!(result, Poll::Ready(Err(expected)));
        }
    }

    #[test]
    fn athrow_before_the_start_and_after_the_end() {
        let mut g = AsyncGenerator::new(Two::default());
        assert_eq!(
            poll_once(&mut pin!(g.athrow(Exception::KeyError))),
            Poll::Ready(Err(Exception::KeyError))
        );
        assert_eq!(g.state(), AsyncGeneratorState::Closed);
        assert_eq!(
            poll_once(&mut pin!(g.athrow(Exception::KeyError))),
            Poll::Ready(Ok(None))
        );
        assert_eq!(poll_once(&mut g.aclose()), Poll::Ready(Ok(())));
    }

    #[test]
    fn an_operation_polled_again_after_it_finished_is_runtime_error() {
        let mut g = AsyncGenerator::new(Two::default());
        let mut op = g.anext();
        assert_eq!(poll_once(&mut op), Poll::Pending);
        assert_eq!(poll_once(&mut op), Poll::Ready(Ok(1)));
        assert_eq!(
            poll_once(&mut op),
            Poll::Ready(Err(Exception::RuntimeError
                .with_message("cannot reuse already awaited __anext__()/asend()")))
        );
        assert_eq!(g.state(), AsyncGeneratorState::Suspended);
        assert_eq!(poll_once(&mut g.asend(3)), Poll::Ready(Ok(3)));
    }

    #[test]
    fn debug_shows_the_state() {
        let g: AsyncGenerator<_, i32> = AsyncGenerator::new(Two::default());
        assert_eq!(format!("{g:?}"), "AsyncGenerator { state: Created, .. }");
    }
}
