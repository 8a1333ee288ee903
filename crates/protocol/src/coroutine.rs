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
