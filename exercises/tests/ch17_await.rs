//! Chapter 17: `await` is a `yield`. Each expectation is what CPython 3.11
//! does (see `exercises/python/expected.py`).

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use pygen_exercises::ch17_await::Countdown;

/// A waker that counts its wake-ups.
struct Counted(AtomicUsize);

impl Wake for Counted {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

// c = Countdown(2).__await__(); next(c) is None; next(c) is None;
// next(c)  -> StopIteration('liftoff')
#[test]
fn it_is_pending_n_times_then_ready() {
    let woken = Arc::new(Counted(AtomicUsize::new(0)));
    let waker = Waker::from(woken.clone());
    let mut cx = Context::from_waker(&waker);
    let mut countdown = pin!(Countdown { left: 2 });
    assert_eq!(countdown.as_mut().poll(&mut cx), Poll::Pending);
    assert_eq!(countdown.as_mut().poll(&mut cx), Poll::Pending);
    assert_eq!(countdown.as_mut().poll(&mut cx), Poll::Ready("liftoff"));
    // Each Pending asked to be polled again.
    assert_eq!(woken.0.load(Ordering::Relaxed), 2);
}

// asyncio.run(main()) where main() awaits Countdown(3): 'liftoff', after
// the loop has run it 4 times
#[test]
fn an_executor_drives_it_to_the_end() {
    let waker = Waker::noop();
    let mut cx = Context::from_waker(waker);
    let mut countdown = pin!(Countdown { left: 3 });
    let mut polls = 0;
    let output = loop {
        polls += 1;
        if let Poll::Ready(output) = countdown.as_mut().poll(&mut cx) {
            break output;
        }
    };
    assert_eq!((output, polls), ("liftoff", 4));
}

// Countdown(0): ready at once, as `await` of an awaitable that never yields
#[test]
fn with_nothing_left_it_is_ready_at_once() {
    let mut cx = Context::from_waker(Waker::noop());
    assert_eq!(
        pin!(Countdown { left: 0 }).poll(&mut cx),
        Poll::Ready("liftoff")
    );
}
