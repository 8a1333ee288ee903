//! [`Unsolved`]: the stand-in an unsolved exercise returns.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;

use pygen_protocol::{Coroutine, CoroutineState};

/// The placeholder behind the `todo!()` of an exercise that returns a
/// generator body (`-> impl Coroutine<...>`).
///
/// Why it is needed: a function that returns `impl Trait` must return one
/// concrete type, and the compiler has to see which. `todo!()` alone never
/// returns, so it gives the compiler no type to pick, and it refuses the
/// function ("the trait `Coroutine` is not implemented for `!`"). So an
/// unsolved exercise says
///
/// ```ignore
/// todo!("...");
/// #[allow(unreachable_code)]
/// Unsolved::body()
/// ```
///
/// The `todo!()` panics as soon as the function is called, so the
/// `Unsolved` body is never made and never resumed; it is only there for
/// the type checker. When you solve the exercise, delete both lines and
/// return your own body.
pub struct Unsolved<Y, R>(PhantomData<fn() -> (Y, R)>);

impl<Y, R> Unsolved<Y, R> {
    /// A body that yields `Y` and returns `R`, for the type checker only.
    pub fn body() -> Self {
        Unsolved(PhantomData)
    }
}

impl<A, Y, R> Coroutine<A> for Unsolved<Y, R> {
    type Yield = Y;
    type Return = R;

    fn resume(self: Pin<&mut Self>, _arg: A) -> CoroutineState<Y, R> {
        unreachable!("an unsolved exercise panics at its todo!() before its body is made")
    }
}

impl<Y, R> fmt::Debug for Unsolved<Y, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Unsolved")
    }
}
