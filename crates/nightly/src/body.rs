//! [`Body`]: a nightly coroutine seen through pygen's stable
//! [`Coroutine`](pygen_protocol::Coroutine) trait.
//!
//! The two traits have the same shape, so the adapter only renames
//! `std::ops::CoroutineState` to `pygen_protocol::CoroutineState`. The
//! compiler inlines it away: a `#[coroutine]` closure driven through
//! [`Body`] compiles to the same code as one driven directly.

use std::ops::Coroutine as StdCoroutine;
use std::ops::CoroutineState as StdState;
use std::pin::Pin;

use pygen_protocol::{Coroutine, CoroutineState};

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
