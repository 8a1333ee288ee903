//! Every generator variant driven the way a real caller drives one, for
//! counting instructions with callgrind: a measure that, unlike time, does
//! not move with the load of a shared machine.
//!
//! ```text
//! scripts/instructions.sh          # every variant, instructions per op
//! ```
//!
//! # The shape measured
//!
//! A real program does not resume a generator in the function that made
//! it. It keeps the generator in a struct ([`Consumer`]) built in one place
//! and resumes it from a loop somewhere else, through `&mut`. So every
//! variant here is:
//!
//! * built by [`build`], a function that is never inlined, which returns
//!   the struct by value (and, for `send`, primes the generator with its
//!   first `next`);
//! * driven by [`drain`] (per item) or [`sends`] (per send), loops that
//!   are never inlined either and see the struct only through `&mut`.
//!
//! Inputs and outputs go through `black_box`, so nothing is constant-folded
//! and the generator's state lives in memory between resumes, as it does
//! in a caller that does anything else between them. The same two loops
//! drive every variant: the hand-written baseline, each library used
//! directly (`raw`, the way its documentation shows), and each pygen
//! backend through `Generator::new(body)` with `next` and `send`. Only the
//! few lines of [`Items`] and [`Sends`] differ, which say how to ask each
//! one for an item or send it a value.
//!
//! # How a figure is made
//!
//! The script runs this binary under `valgrind --tool=callgrind` twice per
//! variant and takes the difference, so that start-up and set-up cancel
//! out:
//!
//! * `send <variant> <n>`: one consumer, `n` sends of 1 into `running_sum`.
//!   Runs with N and 11·N sends; (Ir(11N) - Ir(N)) / 10N.
//! * `item <variant> <runs> <items>`: `runs` consumers in turn, each built,
//!   drained of `items` values of `fibonacci_u64` and dropped. Runs with 8
//!   and 88 items per consumer (F(93), the last `u64`, is item 94); the
//!   difference divided by 80·runs is the cost of one item in the middle of
//!   a run, with creation, priming and drop cancelled out.
//!
//! * `anext <variant> <n>`: one consumer, `n` awaited `anext`s of the
//!   async generator `ticker`, each `await asyncio.sleep(0)` (pending once)
//!   and a `yield`, polled to completion by a loop with a waker that does
//!   nothing. Runs with N and 11·N; (Ir(11N) - Ir(N)) / 10N. The baseline
//!   is a hand-written `Stream`, the state machine of the same body.
//!
//! By hand: `target/release/deps/instructions-* send nightly/pygen 100000`.

#![feature(coroutines, coroutine_trait)]

mod raw;

use std::cell::Cell;
use std::future::Future;
use std::hint::black_box;
use std::ops::{Coroutine as StdCoroutine, CoroutineState as StdState};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::Stream;
use pygen::baseline::{FibonacciU64, RunningSum};
use pygen_demos::{Log, Sleep0, sleep0};
use pygen_protocol::{
    AsyncGenerator, AsyncResume, AsyncYield, Coroutine, Exception, Generator, Resume,
};
use raw::*;

// --- the caller ------------------------------------------------------------

/// What a real caller holds: a generator, and what it has made of the
/// values so far.
struct Consumer<G> {
    generator: G,
    seen: u64,
}

/// Ask a generator for its next item: `None` once it has finished.
trait Items {
    fn item(&mut self) -> Option<u64>;
}

/// Send a generator a value and get what it yields back: `None` once it
/// has finished.
trait Sends {
    /// Python's priming `next(g)`, before the first send.
    fn prime(&mut self);
    fn send_value(&mut self, x: i64) -> Option<i64>;
}

/// Make a consumer: never inlined, so the loops below know nothing of the
/// generator but its type.
#[inline(never)]
fn build<G>(make: impl FnOnce() -> G) -> Consumer<G> {
    Consumer {
        generator: make(),
        seen: 0,
    }
}

/// Take up to `items` values from the consumer's generator.
#[inline(never)]
fn drain<G: Items>(consumer: &mut Consumer<G>, items: u64) {
    for _ in 0..items {
        let Some(value) = consumer.generator.item() else {
            break;
        };
        consumer.seen = consumer.seen.wrapping_add(black_box(value));
    }
}

/// Send 1 to the consumer's generator `n` times.
#[inline(never)]
fn sends<G: Sends>(consumer: &mut Consumer<G>, n: u64) {
    for _ in 0..n {
        let Some(total) = consumer.generator.send_value(black_box(1)) else {
            break;
        };
        consumer.seen ^= black_box(total) as u64;
    }
}

// --- how each variant hands out an item --------------------------------------

/// corosensei's stackful coroutine, used directly, as its documentation
/// shows: the same programs on a stack of their own, `yielder.suspend` for
/// `yield`. There is no pygen wrapper for it; it is here to put the
/// stackful way in the same table (the book's "Which way to pick").
struct Stackful<I, Y, R>(corosensei::Coroutine<I, Y, R>);

fn corosensei_fibonacci() -> Stackful<(), u64, ()> {
    Stackful(corosensei::Coroutine::new(
        |yielder: &corosensei::Yielder<(), u64>, ()| {
            let (mut a, mut b) = (0u64, 1u64);
            loop {
                yielder.suspend(a);
                // Ends after the last value that fits, as fibonacci_u64 does.
                let Some(next) = a.checked_add(b) else {
                    return;
                };
                (a, b) = (b, next);
            }
        },
    ))
}

fn corosensei_running_sum() -> Stackful<Option<i64>, i64, i64> {
    Stackful(corosensei::Coroutine::new(
        |yielder: &corosensei::Yielder<Option<i64>, i64>, _first| {
            let mut total = 0;
            loop {
                let Some(x) = yielder.suspend(total) else {
                    return total;
                };
                total += x;
            }
        },
    ))
}

impl Items for Stackful<(), u64, ()> {
    #[inline]
    fn item(&mut self) -> Option<u64> {
        match self.0.resume(()) {
            corosensei::CoroutineResult::Yield(value) => Some(value),
            corosensei::CoroutineResult::Return(()) => None,
        }
    }
}

impl Sends for Stackful<Option<i64>, i64, i64> {
    #[inline]
    fn prime(&mut self) {
        let _ = self.0.resume(None);
    }

    #[inline]
    fn send_value(&mut self, x: i64) -> Option<i64> {
        match self.0.resume(Some(x)) {
            corosensei::CoroutineResult::Yield(total) => Some(total),
            corosensei::CoroutineResult::Return(_) => None,
        }
    }
}

impl Items for FibonacciU64 {
    #[inline]
    fn item(&mut self) -> Option<u64> {
        self.next()
    }
}

/// A `#[coroutine]` closure, resumed with `()`.
struct Nightly<C>(C);

impl<C: StdCoroutine<(), Yield = u64, Return = ()> + Unpin> Items for Nightly<C> {
    #[inline]
    fn item(&mut self) -> Option<u64> {
        match Pin::new(&mut self.0).resume(()) {
            StdState::Yielded(value) => Some(value),
            StdState::Complete(()) => None,
        }
    }
}

impl<F: Future<Output = ()>> Items for genawaiter::rc::Gen<u64, (), F> {
    #[inline]
    fn item(&mut self) -> Option<u64> {
        match self.resume() {
            genawaiter::GeneratorState::Yielded(value) => Some(value),
            genawaiter::GeneratorState::Complete(()) => None,
        }
    }
}

impl<F: Future<Output = Result<(), Exception>>> Items
    for WithResume<genawaiter::rc::Gen<u64, Resume<()>, F>>
{
    #[inline]
    fn item(&mut self) -> Option<u64> {
        match self.0.resume_with(Ok(None)) {
            genawaiter::GeneratorState::Yielded(value) => Some(value),
            genawaiter::GeneratorState::Complete(_) => None,
        }
    }
}

/// A `stream!` block, polled by hand with a waker that does nothing.
struct Polled<S>(Pin<Box<S>>);

impl<S: Stream<Item = u64>> Items for Polled<S> {
    #[inline]
    fn item(&mut self) -> Option<u64> {
        poll_once(self.0.as_mut())
    }
}

/// pygen's `Generator`: `next(g)` until `StopIteration`.
impl<G> Items for Generator<G, ()>
where
    G: Coroutine<Resume<()>, Yield = u64, Return = Result<(), Exception>> + Unpin,
{
    #[inline]
    fn item(&mut self) -> Option<u64> {
        self.next().ok()
    }
}

// --- how each variant takes a send -------------------------------------------

impl Sends for RunningSum {
    #[inline]
    fn prime(&mut self) {}

    #[inline]
    fn send_value(&mut self, x: i64) -> Option<i64> {
        self.send(Some(x)).ok()
    }
}

impl<C: StdCoroutine<Option<i64>, Yield = i64, Return = i64> + Unpin> Sends for Nightly<C> {
    #[inline]
    fn prime(&mut self) {
        let _ = Pin::new(&mut self.0).resume(None);
    }

    #[inline]
    fn send_value(&mut self, x: i64) -> Option<i64> {
        match Pin::new(&mut self.0).resume(Some(x)) {
            StdState::Yielded(total) => Some(total),
            StdState::Complete(_) => None,
        }
    }
}

impl<F: Future<Output = i64>> Sends for genawaiter::rc::Gen<i64, Option<i64>, F> {
    #[inline]
    fn prime(&mut self) {
        let _ = self.resume_with(None);
    }

    #[inline]
    fn send_value(&mut self, x: i64) -> Option<i64> {
        match self.resume_with(Some(x)) {
            genawaiter::GeneratorState::Yielded(total) => Some(total),
            genawaiter::GeneratorState::Complete(_) => None,
        }
    }
}

/// Raw genawaiter resumed with pygen's resume value, which can carry a
/// thrown exception: what that value costs, with no pygen code.
struct WithResume<G>(G);

impl<F: Future<Output = Result<i64, Exception>>> Sends
    for WithResume<genawaiter::rc::Gen<i64, Resume<i64>, F>>
{
    #[inline]
    fn prime(&mut self) {
        let _ = self.0.resume_with(Ok(None));
    }

    #[inline]
    fn send_value(&mut self, x: i64) -> Option<i64> {
        match self.0.resume_with(Ok(Some(x))) {
            genawaiter::GeneratorState::Yielded(total) => Some(total),
            genawaiter::GeneratorState::Complete(_) => None,
        }
    }
}

/// `async-stream` has no `send`: the value goes in through a shared slot
/// that the body reads after each `yield`.
struct Slotted<S> {
    stream: Pin<Box<S>>,
    slot: Rc<Cell<Option<i64>>>,
}

impl<S: Stream<Item = i64>> Sends for Slotted<S> {
    #[inline]
    fn prime(&mut self) {
        let _ = poll_once(self.stream.as_mut());
    }

    #[inline]
    fn send_value(&mut self, x: i64) -> Option<i64> {
        self.slot.set(Some(x));
        poll_once(self.stream.as_mut())
    }
}

/// pygen's `Generator`: `g.send(x)` until `StopIteration`.
impl<G> Sends for Generator<G, i64>
where
    G: Coroutine<Resume<i64>, Yield = i64, Return = Result<i64, Exception>> + Unpin,
{
    #[inline]
    fn prime(&mut self) {
        let _ = self.next();
    }

    #[inline]
    fn send_value(&mut self, x: i64) -> Option<i64> {
        self.send(x).ok()
    }
}

// --- async generators: one awaited anext ------------------------------------

/// Await the next item of an async generator: poll until it is ready.
trait Anext {
    fn anext(&mut self) -> Option<u64>;
}

/// Poll `future` until it is ready, with a waker that does nothing:
/// `sleep0` wakes its task and is ready at the next poll, so this is what
/// an executor does for it, with the executor's own cost left out.
#[inline(always)]
fn complete<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// `ticker()` by hand, as the `Stream` a compiler would make of its body:
/// `Start` before the `await` (holding `n`), `Sleeping` inside it.
enum TickerStream {
    Start(u64),
    Sleeping(Sleep0, u64),
}

impl Stream for TickerStream {
    type Item = u64;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        loop {
            match &mut *self {
                TickerStream::Start(n) => *self = TickerStream::Sleeping(sleep0(), *n),
                TickerStream::Sleeping(sleep, n) => {
                    let n = *n;
                    if Pin::new(sleep).poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    *self = TickerStream::Start(n + 1);
                    return Poll::Ready(Some(n));
                }
            }
        }
    }
}

impl Anext for TickerStream {
    #[inline]
    fn anext(&mut self) -> Option<u64> {
        complete(std::future::poll_fn(|cx| {
            Pin::new(&mut *self).poll_next(cx)
        }))
    }
}

impl<G> Anext for AsyncGenerator<G, ()>
where
    G: Coroutine<AsyncResume<()>, Yield = AsyncYield<u64>, Return = Result<(), Exception>> + Unpin,
{
    #[inline]
    fn anext(&mut self) -> Option<u64> {
        complete(AsyncGenerator::anext(self)).ok()
    }
}

/// Await `n` items of the consumer's async generator.
#[inline(never)]
fn anexts<G: Anext>(consumer: &mut Consumer<G>, n: u64) {
    for _ in 0..n {
        let Some(value) = consumer.generator.anext() else {
            break;
        };
        consumer.seen = consumer.seen.wrapping_add(black_box(value));
    }
}

/// One consumer of `ticker`, awaited `n` times.
fn anext_run<G: Anext>(make: impl FnOnce() -> G, n: u64) -> u64 {
    let mut consumer = build(make);
    anexts(black_box(&mut consumer), black_box(n));
    consumer.seen
}

const ANEXT: &[&str] = &[
    "baseline",
    "nightly/pygen",
    "genawaiter/pygen",
    "async-stream/pygen",
];

fn anext(variant: &str, n: u64) -> u64 {
    // Each body is boxed and pinned, as `AsyncGenerator::new` needs an
    // `Unpin` body and nightly's is a `static` coroutine.
    match variant {
        "baseline" => anext_run(|| TickerStream::Start(0), n),
        "nightly/pygen" => anext_run(
            || AsyncGenerator::new(Box::pin(pygen_nightly::ticker::<()>(Log::new()))),
            n,
        ),
        "genawaiter/pygen" => anext_run(
            || AsyncGenerator::new(Box::pin(pygen_genawaiter::ticker::<()>(Log::new()))),
            n,
        ),
        "async-stream/pygen" => anext_run(
            || AsyncGenerator::new(Box::pin(pygen_async_stream::ticker::<()>(Log::new()))),
            n,
        ),
        _ => 0,
    }
}

// --- the variants ------------------------------------------------------------

/// `runs` consumers of `fibonacci_u64`, each drained of `items` values.
fn item_runs<G: Items>(make: impl Fn() -> G, runs: u64, items: u64) -> u64 {
    let mut seen = 0;
    for _ in 0..runs {
        let mut consumer = build(&make);
        drain(black_box(&mut consumer), black_box(items));
        seen ^= consumer.seen;
    }
    seen
}

/// One primed consumer of `running_sum`, sent 1 `n` times.
fn send_run<G: Sends>(make: impl FnOnce() -> G, n: u64) -> u64 {
    let mut consumer = build(|| {
        let mut generator = make();
        generator.prime();
        generator
    });
    sends(black_box(&mut consumer), black_box(n));
    consumer.seen
}

/// The variants, by operation: `baseline`, then `<library>/raw` (the
/// library used directly) and `<library>/pygen` (the backend crate's body
/// in pygen's `Generator`) for each library. `genawaiter/raw+resume` is raw
/// genawaiter resumed with pygen's resume value, which can carry `throw`:
/// the same library and body as `raw`, with no pygen code, to tell what
/// that value costs from what the wrapper costs.
const ITEM: &[&str] = &[
    "baseline",
    "nightly/raw",
    "nightly/pygen",
    "genawaiter/raw",
    "genawaiter/raw+resume",
    "genawaiter/pygen",
    "async-stream/raw",
    "async-stream/pygen",
    "corosensei/raw",
];
const SEND: &[&str] = &[
    "baseline",
    "nightly/raw",
    "nightly/pygen",
    "genawaiter/raw",
    "genawaiter/raw+resume",
    "genawaiter/pygen",
    "async-stream/raw",
    "async-stream/pygen",
    "corosensei/raw",
];

fn items(variant: &str, runs: u64, items: u64) -> u64 {
    match variant {
        "baseline" => item_runs(FibonacciU64::new, runs, items),
        "nightly/raw" => item_runs(|| Nightly(raw_nightly_fibonacci()), runs, items),
        "nightly/pygen" => item_runs(
            || Generator::new(pygen_nightly::fibonacci_u64()),
            runs,
            items,
        ),
        "genawaiter/raw" => item_runs(
            || genawaiter::rc::Gen::new(raw_genawaiter_fibonacci),
            runs,
            items,
        ),
        "genawaiter/raw+resume" => item_runs(
            || WithResume(genawaiter::rc::Gen::new(raw_genawaiter_fibonacci_resume)),
            runs,
            items,
        ),
        "genawaiter/pygen" => item_runs(
            || Generator::new(pygen_genawaiter::fibonacci_u64()),
            runs,
            items,
        ),
        "async-stream/raw" => item_runs(
            || Polled(Box::pin(raw_async_stream_fibonacci())),
            runs,
            items,
        ),
        "async-stream/pygen" => item_runs(
            || Generator::new(pygen_async_stream::fibonacci_u64()),
            runs,
            items,
        ),
        "corosensei/raw" => item_runs(corosensei_fibonacci, runs, items),
        _ => 0,
    }
}

fn send(variant: &str, n: u64) -> u64 {
    match variant {
        "baseline" => send_run(RunningSum::default, n),
        "nightly/raw" => send_run(|| Nightly(raw_nightly_running_sum()), n),
        "nightly/pygen" => send_run(|| Generator::new(pygen_nightly::running_sum::<i64>()), n),
        "genawaiter/raw" => send_run(|| genawaiter::rc::Gen::new(raw_genawaiter_running_sum), n),
        "genawaiter/raw+resume" => send_run(
            || WithResume(genawaiter::rc::Gen::new(raw_genawaiter_running_sum_resume)),
            n,
        ),
        "genawaiter/pygen" => {
            send_run(|| Generator::new(pygen_genawaiter::running_sum::<i64>()), n)
        }
        "async-stream/raw" => send_run(
            || {
                let slot = Rc::new(Cell::new(None));
                Slotted {
                    stream: Box::pin(raw_async_stream_running_sum(slot.clone())),
                    slot,
                }
            },
            n,
        ),
        "async-stream/pygen" => send_run(
            || Generator::new(pygen_async_stream::running_sum::<i64>()),
            n,
        ),
        "corosensei/raw" => send_run(corosensei_running_sum, n),
        _ => 0,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |s: &String| s.parse::<u64>().unwrap_or(0);
    match args.as_slice() {
        [op, variant, n] if op == "send" && SEND.contains(&variant.as_str()) => {
            println!("{}", send(variant, number(n)));
        }
        [op, variant, runs, n] if op == "item" && ITEM.contains(&variant.as_str()) => {
            println!("{}", items(variant, number(runs), number(n)));
        }
        [op, variant, n] if op == "anext" && ANEXT.contains(&variant.as_str()) => {
            println!("{}", anext(variant, number(n)));
        }
        [op] if op == "list" => {
            ITEM.iter().for_each(|v| println!("item {v}"));
            SEND.iter().for_each(|v| println!("send {v}"));
            ANEXT.iter().for_each(|v| println!("anext {v}"));
        }
        _ => {
            // `cargo bench` runs every bench binary with --bench: say what
            // this one is for instead of timing anything.
            println!("instructions: run scripts/instructions.sh for instruction counts per op");
        }
    }
}
