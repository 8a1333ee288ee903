//! `await` is a `yield`. (Worked solution.)

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// `Countdown { left: n }`: pending `n` times, then `"liftoff"`.
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
pub struct Countdown {
    /// How many more polls answer `Pending`.
    pub left: u32,
}

impl Future for Countdown {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        let this = self.get_mut();
        // while self.left > 0:
        if this.left > 0 {
            // self.left -= 1
            this.left -= 1;
            // yield: pending, and ask to be polled again
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        // return 'liftoff'
        Poll::Ready("liftoff")
    }
}
