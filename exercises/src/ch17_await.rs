//! `await` is a `yield`: a future written by hand.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// `Countdown { left: n }`: a future that is pending `n` times, then
/// ready with `"liftoff"`. In Python, an awaitable whose `__await__` is a
/// generator, because `await` is `yield from` underneath:
///
/// ```python
/// class Countdown:
///     def __init__(self, n):
///         self.left = n
///
///     def __await__(self):
///         while self.left > 0:
///             self.left -= 1
///             yield                # pending: back to the event loop
///         return 'liftoff'
/// ```
///
/// Write `poll`: while `left` is above zero, take one off, wake the task
/// (`cx.waker().wake_by_ref()`, so that an executor polls again rather
/// than sleeping for ever) and answer `Poll::Pending`, Python's bare
/// `yield`; then `Poll::Ready("liftoff")`, Python's `return`. `Countdown`
/// is `Unpin` (it holds only a number), so `self.get_mut()` gives the
/// `&mut Countdown` to change.
pub struct Countdown {
    /// How many more polls answer `Pending`.
    pub left: u32,
}

impl Future for Countdown {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        let _ = (self, cx);
        todo!("chapter 17: Countdown::poll")
    }
}
