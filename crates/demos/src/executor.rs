//! [`block_on`]: the one executor async transcripts run on, Python's
//! `loop.run_until_complete(...)` on one event loop.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// Run `future` to completion on this thread: poll it; while it is
/// pending, sleep until its waker is called, then poll it again.
///
/// The smallest executor that is a real one: a future that answers
/// `Pending` without arranging a wake-up is not polled again (it would
/// wait forever, as it would under asyncio), so a body cannot pass for
/// async by spinning.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let task = Arc::new(Task {
        thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(Arc::clone(&task));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        while !task.woken.swap(false, Ordering::Acquire) {
            thread::park();
        }
    }
}

/// The one task's waker: a flag, and the thread to unpark.
struct Task {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.thread.unpark();
    }
}
