//! The stable mirror of `std::ops::Coroutine`.
//!
//! Nightly Rust has a trait for "a computation you can resume with a value
//! and that answers with either a yielded value or its final result":
//!
//! ```text
//! pub trait Coroutine<R = ()> {
//!     type Yield;
//!     type Return;
//!     fn resume(self: Pin<&mut Self>, arg: R) -> CoroutineState<Self::Yield, Self::Return>;
//! }
//! ```
//!
//! That trait is unstable, so pygen copies its shape here, on stable Rust.
//! Each backend crate adapts its library to this trait (genawaiter's
//! `resume_with`, an `async-stream` stream polled by hand, and the real
//! `std::ops::Coroutine`), and everything above it — the Python-rules
//! [`Generator`](crate::Generator) wrapper, transcripts, the HTTP server —
//! is written once, against this trait only.

use std::pin::Pin;

/// What one resume produced: Python's `yield value` or `return value`.
///
/// The same two cases as `std::ops::CoroutineState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoroutineState<Y, R> {
    /// The body stopped at a `yield` and handed out this value.
    Yielded(Y),
    /// The body ran to its end and returned this value.
    Complete(R),
}

/// A resumable computation: the role Python's generator object plays.
///
/// `A` is the type of the value passed in at each resume (what `send`
/// delivers); the body answers with [`CoroutineState::Yielded`] at each
/// `yield` and [`CoroutineState::Complete`] when it returns.
///
/// Contract, the same as `std::ops::Coroutine`: once `resume` has returned
/// `Complete`, calling it again may panic. The [`Generator`](crate::Generator)
/// wrapper never does that, which is how pygen keeps Python's rule that
/// every call on a finished generator raises `StopIteration`.
///
/// `resume` takes `Pin<&mut Self>`, so a body may hold borrows of its own
/// locals across a `yield`. It also means one coroutine can never be resumed
/// twice at once: Python's `ValueError: generator already executing` cannot
/// happen in Rust, because the borrow checker refuses the program that would
/// raise it.
///
/// A body written with `yield` is a closure or a block of its library's,
/// which implements this trait only through its backend's adapter: wrap it
/// in `Body(...)` (`nightly`, `genawaiter`) or make it with `Body::new`
/// (`async-stream`). The compiler's message says so when it is forgotten.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a pygen_protocol::Coroutine: wrap the body in its backend's `Body`",
    label = "not a pygen_protocol::Coroutine<{A}>; wrap it in `Body(...)`",
    note = "a body written with `yield` becomes a Coroutine through its backend's adapter: `pygen_protocol::nightly::Body(#[coroutine] |_first| ...)`, `pygen_protocol::genawaiter::Body(Gen::new(|co| async move ...))`, or `pygen_protocol::async_stream::Body::new(|co| stream! ...)`"
)]
pub trait Coroutine<A = ()> {
    /// The type of the values the body yields.
    type Yield;
    /// The type of the value the body returns at its end.
    type Return;

    /// Run the body until its next `yield` or its end, with `arg` as the
    /// value of the `yield` expression it is paused at.
    fn resume(self: Pin<&mut Self>, arg: A) -> CoroutineState<Self::Yield, Self::Return>;
}

/// A boxed, pinned coroutine is a coroutine: `Pin<Box<C>>` lets a `!Unpin`
/// body be used where an `Unpin` one is required, as in `std`.
impl<C, A> Coroutine<A> for Pin<Box<C>>
where
    C: Coroutine<A> + ?Sized,
{
    type Yield = C::Yield;
    type Return = C::Return;

    fn resume(mut self: Pin<&mut Self>, arg: A) -> CoroutineState<Self::Yield, Self::Return> {
        C::resume((*self).as_mut(), arg)
    }
}

/// A mutable borrow of an `Unpin` coroutine is a coroutine, so a body can be
/// driven without giving it away.
impl<C, A> Coroutine<A> for &mut C
where
    C: Coroutine<A> + Unpin + ?Sized,
{
    type Yield = C::Yield;
    type Return = C::Return;

    fn resume(mut self: Pin<&mut Self>, arg: A) -> CoroutineState<Self::Yield, Self::Return> {
        C::resume(Pin::new(&mut **self), arg)
    }
}

/// A coroutine pinned in place is a coroutine: `Pin<&mut C>` is `Unpin`
/// whatever `C` is, so a body that borrows its own locals across a `yield`
/// can be pinned where it lives (`std::pin::pin!`) and driven through the
/// borrow, with no heap allocation. `std` has the same impl.
impl<C, A> Coroutine<A> for Pin<&mut C>
where
    C: Coroutine<A> + ?Sized,
{
    type Yield = C::Yield;
    type Return = C::Return;

    fn resume(mut self: Pin<&mut Self>, arg: A) -> CoroutineState<Self::Yield, Self::Return> {
        C::resume((*self).as_mut(), arg)
    }
}

/// A body that a [`Generator`](crate::Generator) can own and resume in
/// place: any `Unpin` one, which is every body except one that borrows its
/// own locals across a `yield` (nightly's `static` coroutines).
///
/// [`Generator::new`](crate::Generator::new) asks for it, so that an
/// unpinned body is refused where the generator is made, with a note that
/// names `pin!` (this trait's own, or, for a body whose type only contains
/// the unpinnable part, `Unpin`'s), rather than at its first `next` with a
/// list of unsatisfied bounds.
#[diagnostic::on_unimplemented(
    message = "`{Self}` borrows across `yield`, so it must be pinned before a Generator can resume it",
    label = "not `Unpin`: pin this body first",
    note = "pin it where it lives, `let body = std::pin::pin!(body);` and then `Generator::new(body)`, or on the heap, `Generator::new(Box::pin(body))`"
)]
pub trait UnpinBody: Unpin {}

impl<T: Unpin + ?Sized> UnpinBody for T {}
