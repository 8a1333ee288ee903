//! [`Body`]: a genawaiter generator seen through pygen's stable
//! [`Coroutine`](pygen_protocol::Coroutine) trait.
//!
//! genawaiter's `rc::Gen` already has the right shape: `resume_with(arg)`
//! runs the body to its next `co.yield_(value).await` and answers
//! `GeneratorState::Yielded(value)`, or runs it to its end and answers
//! `GeneratorState::Complete(result)`. The adapter only renames
//! `genawaiter::GeneratorState` to `pygen_protocol::CoroutineState`.
//!
//! What happens underneath: the body is an `async` block, boxed and pinned
//! when the generator is created. Each `resume_with` puts `arg` in a slot
//! shared with the body (genawaiter calls it the airlock, an
//! `Rc<Cell<…>>`) and polls the future once with a waker that does
//! nothing. `co.yield_(value)` swaps `value` into the slot and returns a
//! future that is pending until the slot holds a resume argument again;
//! when it does, `.await` takes the argument out and evaluates to it.

use std::future::Future;
use std::pin::Pin;

use genawaiter::GeneratorState as GenawaiterState;
use genawaiter::rc::Gen;
use pygen_protocol::{Coroutine, CoroutineState};

/// A genawaiter `rc::Gen`, driven by `resume_with`.
///
/// `Y` is what the body yields, `A` what it is resumed with (the type of
/// `co.yield_(..).await`), and `F` the `async` block, whose output is what
/// the body returns. A `Body` is always `Unpin`, whatever the body holds
/// across a yield: `rc::Gen` keeps the future behind a `Pin<Box<…>>`, so
/// moving the `Body` never moves the future.
pub struct Body<Y, A, F: Future>(pub Gen<Y, A, F>);

impl<Y, A, F: Future> Coroutine<A> for Body<Y, A, F> {
    type Yield = Y;
    type Return = F::Output;

    #[inline(always)]
    fn resume(self: Pin<&mut Self>, arg: A) -> CoroutineState<Y, F::Output> {
        match self.get_mut().0.resume_with(arg) {
            GenawaiterState::Yielded(value) => CoroutineState::Yielded(value),
            GenawaiterState::Complete(value) => CoroutineState::Complete(value),
        }
    }
}

#[cfg(test)]
mod tests {
    //! What genawaiter itself does, without pygen's wrapper: the facts the
    //! crate's documentation relies on.

    use genawaiter::GeneratorState;
    use genawaiter::rc::{Co, Gen};

    /// The first `resume_with` argument is put in the slot, and the body's
    /// first `co.yield_` overwrites it: nothing was awaiting it, so it is
    /// dropped. Python instead raises `TypeError` for a first `send` that
    /// is not `None`; pygen's wrapper does that before genawaiter is called.
    #[test]
    fn the_first_resume_argument_is_dropped() {
        let mut g = Gen::new(|co: Co<&str, i32>| async move {
            let x = co.yield_("ready").await;
            x + 1
        });
        assert_eq!(g.resume_with(100), GeneratorState::Yielded("ready"));
        assert_eq!(g.resume_with(1), GeneratorState::Complete(2));
    }

    /// Creating a generator calls the producer closure, which makes the
    /// `async` block but does not poll it: none of the block runs.
    #[test]
    fn creating_runs_none_of_the_async_block() {
        let ran = std::cell::Cell::new(false);
        let flag = &ran;
        let g = Gen::new(|co: Co<(), ()>| async move {
            flag.set(true);
            co.yield_(()).await;
        });
        drop(g);
        assert!(!ran.get());
    }

    /// Resuming a generator whose body has returned polls a finished
    /// `async` block, which panics. `rc::Gen` does not guard against it;
    /// pygen's wrapper never gets that far, and answers `StopIteration`.
    #[test]
    #[should_panic(expected = "resumed after completion")]
    fn resuming_after_completion_panics() {
        let mut g = Gen::new(|_co: Co<(), ()>| async { 7 });
        assert_eq!(g.resume_with(()), GeneratorState::Complete(7));
        let _ = g.resume_with(());
    }
}
