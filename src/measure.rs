//! Measuring the backends: a counting allocator, object sizes, and a
//! small timer for `pygen compare`.
//!
//! The criterion benches in `benches/` are the careful measurements; this
//! module gives the quick side-by-side that `pygen compare` prints in a few
//! seconds, with the same programs and the same baselines.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use pygen_protocol::{Coroutine, Exception, Generator, Resume};

use crate::baseline;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counting every allocation and the bytes asked
/// for. A binary opts in with
/// `#[global_allocator] static A: CountingAllocator = CountingAllocator;`.
///
/// One relaxed atomic add per allocation: cheap, and allocation counts are
/// exact, not sampled.
pub struct CountingAllocator;

// SAFETY: every method forwards to `System` unchanged; the counters do not
// touch the memory handed out.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations so far, and the bytes they asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allocations {
    /// How many calls to `alloc`, `alloc_zeroed` and `realloc`.
    pub count: u64,
    /// How many bytes they asked for.
    pub bytes: u64,
}

impl Allocations {
    /// The counters now.
    pub fn now() -> Allocations {
        Allocations {
            count: ALLOCATIONS.load(Ordering::Relaxed),
            bytes: ALLOCATED_BYTES.load(Ordering::Relaxed),
        }
    }

    /// What was allocated since `self`.
    pub fn since(self) -> Allocations {
        let now = Allocations::now();
        Allocations {
            count: now.count - self.count,
            bytes: now.bytes - self.bytes,
        }
    }

    /// Whether this process counts allocations at all: true only where
    /// [`CountingAllocator`] is the global allocator.
    pub fn counting() -> bool {
        let before = Allocations::now();
        drop(black_box(Box::new(0u64)));
        before.since().count > 0
    }
}

/// What one generator costs in memory.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Footprint {
    /// `size_of` the generator object itself.
    pub inline_bytes: usize,
    /// Heap allocations made by creating it.
    pub allocations: u64,
    /// Heap bytes those allocations asked for.
    pub heap_bytes: u64,
    /// Heap allocations per `send`, over many sends.
    pub allocations_per_resume: f64,
}

/// The footprint of `running_sum::<i64>()` as `make` builds it, wrapped in
/// pygen's `Generator`. Allocation figures are zero unless the process
/// counts allocations.
pub fn footprint<G>(make: impl Fn() -> G) -> Footprint
where
    G: Coroutine<Resume<i64>, Yield = i64, Return = Result<i64, Exception>> + Unpin,
{
    const SENDS: u64 = 1000;
    let before = Allocations::now();
    let mut g = black_box(Generator::new(make()));
    let created = before.since();
    let _ = g.next();
    let before = Allocations::now();
    for _ in 0..SENDS {
        let _ = black_box(g.send(black_box(1)));
    }
    let resumed = before.since();
    Footprint {
        inline_bytes: std::mem::size_of_val(&g),
        allocations: created.count,
        heap_bytes: created.bytes,
        allocations_per_resume: resumed.count as f64 / SENDS as f64,
    }
}

/// The same figures for the hand-written baseline.
pub fn baseline_footprint() -> Footprint {
    let before = Allocations::now();
    let mut g = black_box(baseline::RunningSum::default());
    let created = before.since();
    let before = Allocations::now();
    for _ in 0..1000 {
        let _ = black_box(g.send(Some(black_box(1))));
    }
    Footprint {
        inline_bytes: std::mem::size_of_val(&g),
        allocations: created.count,
        heap_bytes: created.bytes,
        allocations_per_resume: before.since().count as f64 / 1000.0,
    }
}

/// Median nanoseconds per operation: `run(n)` performs `n` operations;
/// it is timed `rounds` times.
pub fn median_ns(rounds: usize, ops: u64, mut run: impl FnMut(u64)) -> f64 {
    run(ops / 10 + 1); // warm up caches and branch predictors
    let mut samples: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            run(ops);
            start.elapsed().as_nanos() as f64 / ops as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Nanoseconds per `send` into `running_sum::<i64>()` through pygen.
pub fn ns_per_send<G>(make: impl Fn() -> G, rounds: usize, ops: u64) -> f64
where
    G: Coroutine<Resume<i64>, Yield = i64, Return = Result<i64, Exception>> + Unpin,
{
    let mut g = Generator::new(make());
    let _ = g.next();
    median_ns(rounds, ops, |n| {
        let mut acc = 0i64;
        for _ in 0..n {
            acc ^= g.send(black_box(1)).unwrap_or(0);
        }
        black_box(acc);
    })
}

/// Nanoseconds per `send` into the hand-written `RunningSum`.
pub fn baseline_ns_per_send(rounds: usize, ops: u64) -> f64 {
    let mut g = baseline::RunningSum::default();
    median_ns(rounds, ops, |n| {
        let mut acc = 0i64;
        for _ in 0..n {
            acc ^= g.send(Some(black_box(1))).unwrap_or(0);
        }
        black_box(acc);
    })
}

/// Generators made ahead of each timed run, so that creating them is not
/// timed; each yields 94 items.
const FIB_BATCH: usize = 4096;
const FIB_ITEMS: u64 = 94;

/// Nanoseconds per item of `fibonacci_u64()` through pygen, creation not
/// counted.
pub fn ns_per_item<G>(make: impl Fn() -> G, rounds: usize) -> f64
where
    G: Coroutine<Resume<i64>, Yield = u64, Return = Result<(), Exception>> + Unpin,
{
    per_item_median(rounds, || {
        let mut batch: Vec<_> = (0..FIB_BATCH).map(|_| Generator::new(make())).collect();
        let start = Instant::now();
        let mut sum = 0u64;
        for g in &mut batch {
            while let Ok(n) = g.next() {
                sum = sum.wrapping_add(n);
            }
        }
        let elapsed = start.elapsed();
        black_box(sum);
        drop(batch);
        elapsed
    })
}

/// Nanoseconds per item of the hand-written `FibonacciU64`.
pub fn baseline_ns_per_item(rounds: usize) -> f64 {
    per_item_median(rounds, || {
        let mut batch: Vec<_> = (0..FIB_BATCH)
            .map(|_| baseline::FibonacciU64::new())
            .collect();
        let start = Instant::now();
        let mut sum = 0u64;
        for it in &mut batch {
            for n in it.by_ref() {
                sum = sum.wrapping_add(n);
            }
        }
        let elapsed = start.elapsed();
        black_box(sum);
        elapsed
    })
}

fn per_item_median(rounds: usize, mut run: impl FnMut() -> std::time::Duration) -> f64 {
    run();
    let items = (FIB_BATCH as u64 * FIB_ITEMS) as f64;
    let mut samples: Vec<f64> = (0..rounds)
        .map(|_| run().as_nanos() as f64 / items)
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}
