//! The nightly adapter (feature `nightly`): [`Body`], a nightly
//! coroutine seen through pygen's stable [`Coroutine`]
//! trait, and Python's `yield from` as the macros [`yield_from!`] and
//! [`yield_from_iter!`].
//!
//! The two traits have the same shape, so the adapter only renames
//! `std::ops::CoroutineState` to `pygen_protocol::CoroutineState`. The
//! compiler inlines it away: a `#[coroutine]` closure driven through
//! [`Body`] compiles to the same code as one driven directly.

use std::ops::Coroutine as StdCoroutine;
use std::ops::CoroutineState as StdState;
use std::pin::Pin;

use crate::{Coroutine, CoroutineState};

pub use crate::{async_yield, await_, yield_from, yield_from_iter};

/// A `#[coroutine]` closure, driven by `Coroutine::resume`.
///
/// A coroutine that is not declared `static` cannot hold a borrow of its
/// own locals across a `yield` (the compiler refuses it), so it can be
/// moved between resumes and is `Unpin`; so is its `Body`. A `static`
/// coroutine can hold such a borrow (`for word in text.split_whitespace()`
/// over its own `text`), so it must stay where it was first resumed: it is
/// `!Unpin`, and so is its `Body`, which is then pinned before use:
/// `let body = pin!(body); Generator::new(body)` on the stack (bound to a
/// name first, so that it lives as long as the generator), or
/// `Generator::new(Box::pin(body))`.
pub struct Body<C>(pub C);

impl<A, C> Coroutine<A> for Body<C>
where
    C: StdCoroutine<A>,
{
    type Yield = C::Yield;
    type Return = C::Return;

    #[inline(always)]
    fn resume(self: Pin<&mut Self>, arg: A) -> CoroutineState<C::Yield, C::Return> {
        // SAFETY: structural pinning of the one field. `Body` has no `Drop`
        // of its own, is `Unpin` only when `C` is (the auto trait), and
        // never hands out `&mut C` from a pinned `Body`, so a pinned `Body`
        // keeps its coroutine pinned too.
        let coroutine = unsafe { self.map_unchecked_mut(|body| &mut body.0) };
        match coroutine.resume(arg) {
            StdState::Yielded(value) => CoroutineState::Yielded(value),
            StdState::Complete(value) => CoroutineState::Complete(value),
        }
    }
}

// `yield from`, as macros.
//
// `yield from sub` is a loop that yields, and only the body of a
// `#[coroutine]` closure can `yield`: a function called from it cannot
// yield on its behalf. A macro can, because it is expanded into the body
// before the compiler turns the body into a state machine, so its `yield`
// is the body's own.

/// `yield from sub`, for a sub-generator: pass what this body is resumed
/// with on to `sub` (PEP 380's rules, applied by
/// [`Generator::delegate`](crate::Generator::delegate)), yield
/// what it yields, and evaluate to what it returns.
///
/// `sub` is a [`Generator`](crate::Generator), Python's
/// generator object. The macro evaluates to
/// `Result<Option<R>, Exception>`: `Ok` with the sub-generator's return
/// value (`None` only if it had finished before), or `Err` with an
/// exception that came out of it, which `?` lets propagate as Python
/// does. Each value `sub` yields is converted with `Into` to what this body
/// yields.
///
/// ```
/// #![feature(coroutines, stmt_expr_attributes)]
/// use pygen_protocol::nightly::{Body, yield_from};
/// use pygen_protocol::{Coroutine, Exception, Generator, Raised, Resume};
///
/// // def running_sum():
/// //     total = 0
/// //     while True:
/// //         x = yield total
/// //         if x is None:
/// //             return total
/// //         total += x
/// fn running_sum() -> impl Coroutine<Resume<i64>, Yield = i64, Return = Result<i64, Exception>> {
///     Body(
///         #[coroutine]
///         |_first: Resume<i64>| {
///             let mut total = 0;
///             loop {
///                 match (yield total)? {
///                     Some(x) => total += x,
///                     None => return Ok(total),
///                 }
///             }
///         },
///     )
/// }
///
/// // def twice():
/// //     first = yield from running_sum()
/// //     second = yield from running_sum()
/// //     return (first, second)
/// type Totals = (Option<i64>, Option<i64>);
///
/// fn twice() -> impl Coroutine<Resume<i64>, Yield = i64, Return = Result<Totals, Exception>> {
///     Body(
///         #[coroutine]
///         |_first: Resume<i64>| {
///             let first = yield_from!(Generator::new(running_sum()))?;
///             let second = yield_from!(Generator::new(running_sum()))?;
///             Ok((first, second))
///         },
///     )
/// }
///
/// let mut g = Generator::new(twice());
/// assert_eq!(g.next(), Ok(0));
/// assert_eq!(g.send(4), Ok(4));
/// assert_eq!(g.next(), Ok(0)); // the first returned 4; the second starts
/// assert_eq!(g.send(1), Ok(1));
/// assert_eq!(g.next(), Err(Raised::StopIteration(Some((Some(4), Some(1))))));
/// ```
// ANCHOR: macro
#[macro_export]
macro_rules! yield_from {
    () => {
        ::core::compile_error!(
            "yield_from! takes one sub-generator: `yield_from!(Generator::new(sub()))?`; for a plain iterator, use yield_from_iter!"
        )
    };
    ($sub:expr) => {{
        let mut sub = $sub;
        let mut arg = ::core::result::Result::Ok(::core::option::Option::None);
        loop {
            // The `yield` stands outside the `match`, so the step's whole
            // result is not kept, in the body's saved state, across it.
            let value = match $crate::SubGenerator::delegate(&mut sub, arg) {
                $crate::Delegated::Yield(value) => value,
                $crate::Delegated::Return(value) => {
                    break ::core::result::Result::Ok(value);
                }
                $crate::Delegated::Raise(exception) => {
                    break ::core::result::Result::Err(exception);
                }
            };
            arg = yield ::core::convert::Into::into(value);
        }
    }};
    ($($other:tt)*) => {
        ::core::compile_error!(
            "yield_from! takes one sub-generator, a pygen_protocol::Generator: `yield_from!(Generator::new(sub()))?`"
        )
    };
}
// ANCHOR_END: macro

/// `yield from iterable`, for a plain iterator: yield each item, and
/// evaluate to `Ok(())` (Python's `None`) when it is used up.
///
/// An iterator has no `send`, `throw` or `close`, so, as in CPython, a value
/// sent in is `AttributeError`, and a thrown exception (`GeneratorExit`
/// included) is raised at the `yield from`: the macro evaluates to
/// `Err(exception)`. See [`delegate_iter`](crate::delegate_iter).
///
/// ```
/// #![feature(coroutines, stmt_expr_attributes)]
/// use pygen_protocol::nightly::{Body, yield_from_iter};
/// use pygen_protocol::{Exception, Generator, Raised, Resume};
///
/// // def letters():
/// //     yield from 'ab'
/// //     return 'done'
/// let letters = || Body(
///     #[coroutine]
///     |_first: Resume<i64>| {
///         yield_from_iter!("ab".chars())?;
///         Ok("done")
///     },
/// );
/// let all: Vec<_> = Generator::new(letters()).into_iter().collect();
/// assert_eq!(all, [Ok('a'), Ok('b')]);
///
/// let mut g = Generator::new(letters());
/// assert_eq!(g.next(), Ok('a'));
/// let no_send = Exception::AttributeError.with_message("'Chars' object has no attribute 'send'");
/// assert_eq!(g.send(1), Err(Raised::Exception(no_send)));
/// ```
#[macro_export]
macro_rules! yield_from_iter {
    ($iterable:expr) => {{
        let mut iter = ::core::iter::IntoIterator::into_iter($iterable);
        let mut arg = ::core::result::Result::Ok(::core::option::Option::None);
        loop {
            let value = match $crate::delegate_iter(&mut iter, arg) {
                $crate::Delegated::Yield(value) => value,
                $crate::Delegated::Return(_) => break ::core::result::Result::Ok(()),
                $crate::Delegated::Raise(exception) => {
                    break ::core::result::Result::Err(exception);
                }
            };
            arg = yield ::core::convert::Into::into(value);
        }
    }};
}

// Async generators (PEP 525), as macros.
//
// rustc compiles `async fn` into a `static` coroutine resumed with the
// caller's `Context` (as `ResumeTy`, a pointer: see `TaskContext`), and
// every `.await` inside it into a loop: poll the future with the
// `Context`; if it is ready, that is the value of the `.await`; if not,
// `yield` (which makes the caller's `poll` answer `Pending`) and take the
// next `Context` from what the `yield` evaluates to. Nightly coroutines
// do not allow `.await` (E0728: only `async` bodies may), so `await_!`
// writes that loop out, and `async_yield!` is Python's `yield` in an
// async generator: it hands a value out and also takes the next
// `Context`. The body keeps the `Context` in a variable that both macros
// update, as rustc's lowering does with its `_task_context`.

/// `.await` inside a `#[coroutine]` that is an async generator's body:
/// `await_!(cx, future)` polls `future` with the `Context` in `cx`,
/// yielding [`AsyncYield::Pending`](crate::AsyncYield) while it is
/// pending, and evaluates to its output.
///
/// `cx` is a `let mut` variable of the body holding a
/// [`TaskContext`](crate::TaskContext): set from the body's first resume
/// argument (`first.cx`) and kept current by this macro and
/// [`async_yield!`]. The coroutine must be `static`: the future is pinned
/// in the body's own frame, as an `async fn`'s futures are.
///
/// ```
/// #![feature(coroutines, stmt_expr_attributes)]
/// use pygen_protocol::nightly::{Body, async_yield, await_};
/// use pygen_protocol::{AsyncGenerator, AsyncResume, Exception};
///
/// // async def one():
/// //     await asyncio.sleep(0)
/// //     yield 1
/// let body = Body(
///     #[coroutine]
///     static |first: AsyncResume<()>| {
///         let mut cx = first.cx;
///         await_!(cx, std::future::ready(()));
///         async_yield!(cx, 1)?;
///         Ok::<(), Exception>(())
///     },
/// );
/// let mut g = AsyncGenerator::new(Box::pin(body));
/// futures::executor::block_on(async {
///     assert_eq!(g.anext().await, Ok(1));
///     assert_eq!(g.anext().await, Err(Exception::StopAsyncIteration));
/// });
/// ```
// ANCHOR: await_macro
#[macro_export]
macro_rules! await_ {
    ($cx:ident, $future:expr) => {{
        let mut future = ::core::pin::pin!(::core::future::IntoFuture::into_future($future));
        loop {
            let task_context: $crate::TaskContext = $cx;
            // SAFETY: `task_context` is the `TaskContext` of the resume running the
            // body now: the body's first resume argument, or what the
            // last `yield` of this macro or `async_yield!` evaluated to.
            // That resume is called from inside one `poll`, whose
            // `&mut Context` is alive, and lent to nobody else, until the
            // resume returns, which is not before the next `yield`.
            let cx = unsafe { task_context.get() };
            match ::core::future::Future::poll(future.as_mut(), cx) {
                ::core::task::Poll::Ready(output) => break output,
                ::core::task::Poll::Pending => {
                    $cx = (yield $crate::AsyncYield::Pending).cx;
                }
            }
        }
    }};
}
// ANCHOR_END: await_macro

/// Python's `x = yield value` in an async generator's `#[coroutine]`
/// body: yield [`AsyncYield::Value`](crate::AsyncYield), keep the next
/// `Context` in `cx`, and evaluate to what the next operation sent, a
/// [`Resume<S>`](crate::Resume) (`Err` for `athrow` and `aclose`, so `?`
/// lets it propagate). See [`await_!`].
#[macro_export]
macro_rules! async_yield {
    ($cx:ident, $value:expr) => {{
        let resumed = yield $crate::AsyncYield::Value($value);
        $cx = resumed.cx;
        resumed.into_sent()
    }};
}
