//! Each library used directly, the way its documentation shows, with no
//! pygen code: the `raw` rows of the benchmarks. Shared by
//! `benches/protocol.rs` and `benches/instructions.rs`.

#![allow(dead_code)]

use std::cell::Cell;
use std::ops::Coroutine as StdCoroutine;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::Stream;
use pygen_protocol::Exception;

pub fn raw_nightly_fibonacci() -> impl StdCoroutine<(), Yield = u64, Return = ()> + Unpin {
    #[coroutine]
    || {
        let (mut a, mut b) = (0u64, Some(1u64));
        loop {
            yield a;
            let Some(next) = b else { return };
            b = a.checked_add(next);
            a = next;
        }
    }
}

pub fn raw_nightly_running_sum() -> impl StdCoroutine<Option<i64>, Yield = i64, Return = i64> + Unpin
{
    #[coroutine]
    |_first: Option<i64>| {
        let mut total = 0i64;
        loop {
            let Some(x) = yield total else {
                return total;
            };
            total += x;
        }
    }
}

pub async fn raw_genawaiter_fibonacci(co: genawaiter::rc::Co<u64>) {
    let (mut a, mut b) = (0u64, Some(1u64));
    loop {
        co.yield_(a).await;
        let Some(next) = b else { return };
        b = a.checked_add(next);
        a = next;
    }
}

pub async fn raw_genawaiter_running_sum(co: genawaiter::rc::Co<i64, Option<i64>>) -> i64 {
    let mut total = 0i64;
    loop {
        let Some(x) = co.yield_(total).await else {
            return total;
        };
        total += x;
    }
}

/// The same body, resumed with pygen's resume value instead of a bare
/// `Option`: what genawaiter costs with `throw` in the protocol, and no
/// pygen code.
pub async fn raw_genawaiter_running_sum_resume(
    co: genawaiter::rc::Co<i64, pygen_protocol::Resume<i64>>,
) -> Result<i64, Exception> {
    let mut total = 0i64;
    loop {
        let Some(x) = co.yield_(total).await? else {
            return Ok(total);
        };
        total += x;
    }
}

/// `raw_genawaiter_fibonacci`, resumed with pygen's resume value instead of
/// `()`: what genawaiter costs per item with `throw` in the protocol, and no
/// pygen code.
pub async fn raw_genawaiter_fibonacci_resume(
    co: genawaiter::rc::Co<u64, pygen_protocol::Resume<()>>,
) -> Result<(), Exception> {
    let (mut a, mut b) = (0u64, Some(1u64));
    loop {
        co.yield_(a).await?;
        let Some(next) = b else { return Ok(()) };
        b = a.checked_add(next);
        a = next;
    }
}

pub fn raw_async_stream_fibonacci() -> impl Stream<Item = u64> {
    async_stream::stream! {
        let (mut a, mut b) = (0u64, Some(1u64));
        loop {
            yield a;
            let Some(next) = b else { break };
            b = a.checked_add(next);
            a = next;
        }
    }
}

/// `async-stream` has no `send`: the value goes through a shared cell that
/// the body reads after each `yield`.
pub fn raw_async_stream_running_sum(slot: Rc<Cell<Option<i64>>>) -> impl Stream<Item = i64> {
    async_stream::stream! {
        let mut total = 0i64;
        loop {
            yield total;
            let Some(x) = slot.take() else { break };
            total += x;
        }
    }
}

/// Poll a stream once with a waker that does nothing: these bodies never
/// wait on anything, so every poll is `Ready`.
#[inline]
pub fn poll_once<S: Stream>(stream: Pin<&mut S>) -> Option<S::Item> {
    let mut cx = Context::from_waker(Waker::noop());
    match stream.poll_next(&mut cx) {
        Poll::Ready(item) => item,
        Poll::Pending => None,
    }
}
