//! `.await` is a `yield`: one future written three ways, by hand, as a
//! nightly coroutine resumed with the caller's `Context`, and as an
//! `async fn`, each polled to the end on the same executor.
//!
//! ```text
//! cargo run --example await_is_a_yield
//! ```
//!
//! The Python it mirrors:
//!
//! ```python
//! async def answer():
//!     await asyncio.sleep(0)
//!     return 42
//! ```
//!
//! `asyncio.sleep(0)` is `pygen_demos::sleep0()`: pending once, after
//! waking its task. Each version is pending once and then ready with 42,
//! which `main` checks by counting polls.

#![feature(coroutines, coroutine_trait)]

use std::cell::Cell;
use std::future::Future;
use std::ops::{Coroutine, CoroutineState};
use std::pin::{Pin, pin};
use std::task::{Context, Poll};

use pygen_demos::{Sleep0, block_on, sleep0};
use pygen_protocol::TaskContext;

// ANCHOR: by_hand
/// `answer()` by hand: the state machine the compiler makes of an `async`
/// body, one variant per place it can be paused, each holding what is
/// alive there.
enum Answer {
    /// Not polled yet.
    Start,
    /// Paused in `await asyncio.sleep(0)`, holding the future it awaits.
    Sleeping(Sleep0),
    /// Returned.
    Done,
}

impl Future for Answer {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        loop {
            match &mut *self {
                Answer::Start => *self = Answer::Sleeping(sleep0()),
                // `Sleep0` is `Unpin`, so it can be polled through a plain
                // `&mut`; a future that is not would need pinning here.
                Answer::Sleeping(sleep) => match Pin::new(sleep).poll(cx) {
                    // The await is over: go on to `return 42`.
                    Poll::Ready(()) => {
                        *self = Answer::Done;
                        return Poll::Ready(42);
                    }
                    // Not yet: the whole future is not ready either. The
                    // next poll comes back to this same state.
                    Poll::Pending => return Poll::Pending,
                },
                Answer::Done => panic!("polled after it returned"),
            }
        }
    }
}
// ANCHOR_END: by_hand

// ANCHOR: coroutine
/// `answer()` as a coroutine whose resume argument is the caller's
/// `Context` (as a `TaskContext`, rustc's `ResumeTy`): the `.await` is a
/// loop that polls and, while the future is pending, `yield`s.
fn answer_coroutine() -> impl Coroutine<TaskContext, Yield = (), Return = u32> {
    #[coroutine]
    static |mut cx: TaskContext| {
        // await asyncio.sleep(0)
        let mut sleep = pin!(sleep0());
        loop {
            // SAFETY: `cx` is the argument of the resume running now (the
            // first, or the one the last `yield` returned), and that resume
            // is called from inside a poll whose `&mut Context` lives until
            // it returns.
            match sleep.as_mut().poll(unsafe { cx.get() }) {
                Poll::Ready(()) => break,
                Poll::Pending => cx = yield,
            }
        }
        // return 42
        42
    }
}

/// Any such coroutine is a future: each poll is one resume with the poll's
/// `Context`; a `yield` is `Pending`, the return is `Ready`.
struct CoroutineFuture<C>(C);

impl<C: Coroutine<TaskContext, Yield = ()>> Future for CoroutineFuture<C> {
    type Output = C::Return;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<C::Return> {
        // SAFETY: structural pinning of the one field; nothing moves it.
        let coroutine = unsafe { self.map_unchecked_mut(|future| &mut future.0) };
        match coroutine.resume(TaskContext::new(cx)) {
            CoroutineState::Yielded(()) => Poll::Pending,
            CoroutineState::Complete(output) => Poll::Ready(output),
        }
    }
}
// ANCHOR_END: coroutine

// ANCHOR: async_fn
/// `answer()` as the compiler writes the other two: the same coroutine,
/// `.await` being its loop.
async fn answer_async() -> u32 {
    sleep0().await;
    42
}
// ANCHOR_END: async_fn

/// Poll `future` to the end on the executor, counting the polls.
fn run(future: impl Future<Output = u32>) -> (u32, u32) {
    let polls = Cell::new(0);
    let mut future = pin!(future);
    let output = block_on(std::future::poll_fn(|cx| {
        polls.set(polls.get() + 1);
        future.as_mut().poll(cx)
    }));
    (output, polls.get())
}

fn main() {
    for (name, (output, polls)) in [
        ("by hand", run(Answer::Start)),
        ("coroutine", run(CoroutineFuture(answer_coroutine()))),
        ("async fn", run(answer_async())),
    ] {
        println!("{name}: {output} after {polls} polls");
        assert_eq!((output, polls), (42, 2), "{name}");
    }
}
