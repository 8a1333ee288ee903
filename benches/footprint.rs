//! What each backend's generator costs in memory: the size of the object,
//! and heap allocations per generator and per resume, counted by a
//! counting global allocator rather than guessed.
//!
//! ```text
//! cargo bench --bench footprint
//! ```
//!
//! Not a timing benchmark: every figure here is exact and the same on
//! every run.

use std::hint::black_box;

use num_bigint::BigInt;
use pygen::measure::{Allocations, CountingAllocator, Footprint, baseline_footprint, footprint};
use pygen_demos::Log;
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Allocations per `next()` over the first `items` values of a generator.
fn allocations_per_next<G, Y, R>(make: impl Fn() -> G, items: u64) -> f64
where
    G: Coroutine<Resume<BigInt>, Yield = Y, Return = Result<R, Exception>> + Unpin,
{
    let mut g = Generator::new(make());
    let _ = g.next();
    let before = Allocations::now();
    for _ in 0..items {
        let _ = black_box(g.next());
    }
    before.since().count as f64 / items as f64
}

/// Allocations per `send` into `batches()`, whose `yield from` makes a new
/// `running_sum()` every batch: one batch is three sends here.
fn allocations_per_batch_send<G>(make: impl Fn() -> G) -> f64
where
    G: Coroutine<Resume<BigInt>, Return = Result<std::convert::Infallible, Exception>> + Unpin,
{
    let mut g = Generator::new(make());
    let _ = g.next();
    let before = Allocations::now();
    let sends = 3000;
    for i in 0..sends {
        if i % 3 == 2 {
            let _ = black_box(g.next());
        } else {
            let _ = black_box(g.send(BigInt::from(0)));
        }
    }
    before.since().count as f64 / f64::from(sends)
}

fn row(name: &str, f: Footprint) {
    println!(
        "{name:14} {:>8} {:>10} {:>12} {:>16.2}",
        f.inline_bytes, f.heap_bytes, f.allocations, f.allocations_per_resume
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs it too.
    pygen::measure::count_this_thread();
    assert!(
        Allocations::counting(),
        "the counting allocator is installed"
    );
    println!("running_sum::<i64>() through pygen's Generator\n");
    println!(
        "{:14} {:>8} {:>10} {:>12} {:>16}",
        "backend", "bytes", "heap bytes", "allocations", "allocs per send"
    );
    row("hand-written", baseline_footprint());
    row(
        "genawaiter",
        footprint(pygen_genawaiter::running_sum::<i64>),
    );
    row(
        "async-stream",
        footprint(pygen_async_stream::running_sum::<i64>),
    );
    row("nightly", footprint(pygen_nightly::running_sum::<i64>));

    println!("\nallocations per resume in other demos (BigInt values)\n");
    println!(
        "{:14} {:>22} {:>22} {:>22}",
        "backend", "guarded, per next", "fibonacci, per next", "batches, per resume"
    );
    macro_rules! others {
        ($name:literal, $krate:ident) => {
            println!(
                "{:14} {:>22.2} {:>22.2} {:>22.2}",
                $name,
                allocations_per_next(|| $krate::guarded::<BigInt>(Log::new()), 1000),
                allocations_per_next($krate::fibonacci::<BigInt>, 1000),
                allocations_per_batch_send($krate::batches::<BigInt>),
            );
        };
    }
    others!("genawaiter", pygen_genawaiter);
    others!("async-stream", pygen_async_stream);
    others!("nightly", pygen_nightly);
}
