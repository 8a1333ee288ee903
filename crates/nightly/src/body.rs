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
/// The closure must be `Unpin`, which every coroutine that is not declared
/// `static` is: none of pygen's bodies borrow their own locals across a
/// `yield`, so none needs to be pinned in place.
pub struct Body<C>(pub C);

impl<A, C> Coroutine<A> for Body<C>
where
    C: StdCoroutine<A> + Unpin,
{
    type Yield = C::Yield;
    type Return = C::Return;

    #[inline]
    fn resume(self: Pin<&mut Self>, arg: A) -> CoroutineState<C::Yield, C::Return> {
        match Pin::new(&mut self.get_mut().0).resume(arg) {
            StdState::Yielded(value) => CoroutineState::Yielded(value),
            StdState::Complete(value) => CoroutineState::Complete(value),
        }
    }
}
