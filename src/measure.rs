//! Measuring the backends: a counting allocator, object sizes, and a
//! small timer for `pygen compare`.
//!
//! The criterion benches in `benches/` are the careful measurements; this
//! module gives the quick side-by-side that `pygen compare` prints in a few
//! seconds, with the same programs and the same baselines.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use pygen_protocol::{Coroutine, Exception, Generator, Resume};

use crate::baseline;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Whether this thread's allocations are counted.
    static COUNTED_HERE: Cell<bool> = const { Cell::new(false) };
}

/// The system allocator, counting the allocations of the threads that ask
/// for it ([`count_this_thread`]) and the bytes they asked for. A binary
/// opts in with
/// `#[global_allocator] static A: CountingAllocator = CountingAllocator;`.
///
/// A thread that has not asked pays a thread-local read per allocation and
/// nothing else: `pygen serve`, which never asks, runs with the system
/// allocator's own costs (and a warm server allocates nothing per request
/// anyway). A counted allocation is one relaxed atomic add: cheap, and the
/// counts are exact, not sampled.
pub struct CountingAllocator;

/// Count this thread's allocations from now on, for as long as it lives.
pub fn count_this_thread() {
    COUNTED_HERE.set(true);
}

/// Whether this allocation is counted. A thread being torn down no longer
/// has its flag, and is not counted.
#[inline]
fn counted(size: usize) -> bool {
    let counted = COUNTED_HERE.try_with(Cell::get).unwrap_or(false);
    if counted {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(size as u64, Ordering::Relaxed);
    }
    counted
}

// SAFETY: every method forwards to `System` unchanged; the counters do not
// touch the memory handed out.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        counted(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        counted(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        counted(new_size);
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

    /// Whether this thread's allocations are counted: true only where
    /// [`CountingAllocator`] is the global allocator and the thread called
    /// [`count_this_thread`].
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

/// A stopwatch on this thread's CPU time, not the wall clock.
///
/// On a shared machine the thread is taken off the CPU now and then for
/// another process; wall-clock time would charge those milliseconds to
/// whatever was being timed, and one such pause can double a sample.
/// CPU time stops while the thread waits, so what remains is the cost of
/// the code (and of the caches it finds cold afterwards).
pub struct CpuTimer(Duration);

impl CpuTimer {
    /// Start timing.
    pub fn start() -> CpuTimer {
        CpuTimer(thread_cpu_time())
    }

    /// CPU time this thread has used since [`CpuTimer::start`].
    pub fn elapsed(&self) -> Duration {
        thread_cpu_time().saturating_sub(self.0)
    }
}

/// This thread's CPU time so far.
#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the call's duration.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    if status != 0 {
        return fallback_time();
    }
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

/// Without a thread CPU clock, the wall clock: noisier on a busy machine,
/// never wrong about what it measures.
#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    fallback_time()
}

fn fallback_time() -> Duration {
    use std::sync::OnceLock;
    use std::time::Instant;
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed()
}

/// One figure's samples, one per round, in nanoseconds per operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Samples(pub Vec<f64>);

impl Samples {
    /// The value a fraction `q` of the way through the sorted samples
    /// (0.5 is the median), interpolated between neighbours.
    pub fn quantile(&self, q: f64) -> f64 {
        let mut sorted = self.0.clone();
        sorted.sort_by(f64::total_cmp);
        let Some(last) = sorted.len().checked_sub(1) else {
            return f64::NAN;
        };
        let position = q.clamp(0.0, 1.0) * last as f64;
        let below = position.floor() as usize;
        let above = position.ceil() as usize;
        let weight = position - below as f64;
        sorted[below] * (1.0 - weight) + sorted[above] * weight
    }

    /// The median: half the rounds were faster, half slower.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// The spread: half the interquartile range (the width of the middle
    /// half of the rounds), as a fraction of the median. Unlike the full
    /// range, one round slowed by another process barely moves it.
    pub fn spread(&self) -> f64 {
        (self.quantile(0.75) - self.quantile(0.25)) / 2.0 / self.median()
    }

    /// How many times `base` this is: the median of the ratios round by
    /// round. The two were timed moments apart in each round, so a slow
    /// stretch of the machine slows both and cancels out of the ratio,
    /// where a ratio of two medians would keep it.
    pub fn ratio_to(&self, base: &Samples) -> f64 {
        Samples(self.0.iter().zip(&base.0).map(|(a, b)| a / b).collect()).median()
    }
}

/// Time every probe once per round, `rounds` times, and return each
/// probe's samples. A probe runs a fixed amount of work and answers
/// nanoseconds per operation.
///
/// The probes are interleaved, not run one after another: on a shared
/// machine the speed drifts over seconds (another process, the CPU's
/// clock), and timing each figure in its own second would put the drift
/// between them. Each round also starts from a different probe, so none is
/// always the one timed right after a particular other.
pub fn interleaved(rounds: usize, probes: &mut [&mut dyn FnMut() -> f64]) -> Vec<Samples> {
    // One untimed run each: caches, branch predictors, the allocator.
    for probe in probes.iter_mut() {
        probe();
    }
    let count = probes.len();
    let mut samples = vec![Vec::with_capacity(rounds); count];
    for round in 0..rounds {
        for k in 0..count {
            let i = (round + k) % count;
            samples[i].push(probes[i]());
        }
    }
    samples.into_iter().map(Samples).collect()
}

/// The samples of the quietest of `stretches` stretches of consecutive
/// rounds, for every probe: the stretch where the probes ran fastest
/// (the least geometric mean of each probe's median there over its median
/// overall).
///
/// On a shared machine a neighbour can slow down a whole stretch of
/// rounds, and it slows code that touches more memory more than a tight
/// loop, so interleaving alone leaves the ratios depending on how much of
/// the run was disturbed. Taken from the quietest stretch, the figures
/// describe the code rather than the neighbours, and they agree from run
/// to run as long as one stretch was quiet.
pub fn quietest_stretch(samples: &[Samples], stretches: usize) -> Vec<Samples> {
    let rounds = samples.iter().map(|s| s.0.len()).min().unwrap_or(0);
    let length = rounds / stretches.max(1);
    if length == 0 {
        return samples.to_vec();
    }
    let stretch =
        |probe: &Samples, k: usize| Samples(probe.0[k * length..(k + 1) * length].to_vec());
    let overall: Vec<f64> = samples.iter().map(Samples::median).collect();
    let slowness = |k: usize| -> f64 {
        samples
            .iter()
            .zip(&overall)
            .map(|(probe, all)| (stretch(probe, k).median() / all).ln())
            .sum()
    };
    let quietest = (0..rounds / length)
        .min_by(|&a, &b| slowness(a).total_cmp(&slowness(b)))
        .unwrap_or(0);
    samples
        .iter()
        .map(|probe| stretch(probe, quietest))
        .collect()
}

/// A probe: nanoseconds per `send` into `running_sum::<i64>()` through
/// pygen, `sends` of them into one generator.
pub fn send_probe<G>(make: impl Fn() -> G, sends: u64) -> impl FnMut() -> f64
where
    G: Coroutine<Resume<i64>, Yield = i64, Return = Result<i64, Exception>> + Unpin,
{
    let mut g = Generator::new(make());
    let _ = g.next();
    move || {
        let start = CpuTimer::start();
        let mut acc = 0i64;
        for _ in 0..sends {
            acc ^= g.send(black_box(1)).unwrap_or(0);
        }
        black_box(acc);
        start.elapsed().as_nanos() as f64 / sends as f64
    }
}

/// The same probe for the hand-written `RunningSum`.
pub fn baseline_send_probe(sends: u64) -> impl FnMut() -> f64 {
    let mut g = baseline::RunningSum::default();
    move || {
        let start = CpuTimer::start();
        let mut acc = 0i64;
        for _ in 0..sends {
            acc ^= g.send(Some(black_box(1))).unwrap_or(0);
        }
        black_box(acc);
        start.elapsed().as_nanos() as f64 / sends as f64
    }
}

/// Generators made ahead of each timed run, so that creating them is not
/// timed; each yields 94 items.
pub const FIB_BATCH: usize = 1024;
const FIB_ITEMS: u64 = 94;

/// A probe: nanoseconds per item of `fibonacci_u64()` through pygen,
/// drained from [`FIB_BATCH`] fresh generators; creating them is not
/// timed.
pub fn item_probe<G>(make: impl Fn() -> G) -> impl FnMut() -> f64
where
    G: Coroutine<Resume<i64>, Yield = u64, Return = Result<(), Exception>> + Unpin,
{
    move || {
        let mut batch: Vec<_> = (0..FIB_BATCH).map(|_| Generator::new(make())).collect();
        let start = CpuTimer::start();
        let mut sum = 0u64;
        for g in &mut batch {
            while let Ok(n) = g.next() {
                sum = sum.wrapping_add(n);
            }
        }
        let elapsed = start.elapsed();
        black_box(sum);
        drop(batch);
        per_item(elapsed)
    }
}

/// The same probe for the hand-written `FibonacciU64`.
pub fn baseline_item_probe() -> impl FnMut() -> f64 {
    || {
        let mut batch: Vec<_> = (0..FIB_BATCH)
            .map(|_| baseline::FibonacciU64::new())
            .collect();
        let start = CpuTimer::start();
        let mut sum = 0u64;
        for it in &mut batch {
            for n in it.by_ref() {
                sum = sum.wrapping_add(n);
            }
        }
        let elapsed = start.elapsed();
        black_box(sum);
        per_item(elapsed)
    }
}

fn per_item(elapsed: Duration) -> f64 {
    elapsed.as_nanos() as f64 / (FIB_BATCH as u64 * FIB_ITEMS) as f64
}

#[cfg(test)]
mod tests {
    use super::Samples;

    #[test]
    fn median_spread_and_paired_ratio() {
        let a = Samples(vec![4.0, 1.0, 3.0, 2.0, 5.0]);
        assert_eq!(a.median(), 3.0);
        assert_eq!(a.quantile(0.25), 2.0);
        assert_eq!(a.spread(), (4.0 - 2.0) / 2.0 / 3.0);
        // Round by round b is twice a, however the rounds vary.
        let b = Samples(a.0.iter().map(|x| x * 2.0).collect());
        assert_eq!(b.ratio_to(&a), 2.0);
        assert!(Samples(Vec::new()).median().is_nan());
    }

    #[test]
    fn the_quietest_stretch_is_where_every_probe_ran_fastest() {
        // Two probes over six rounds; the second stretch of two rounds is
        // slow for both, the third is the fastest.
        let a = Samples(vec![2.0, 2.0, 3.0, 3.0, 1.9, 1.9]);
        let b = Samples(vec![5.0, 5.0, 9.0, 9.0, 4.8, 4.8]);
        let quiet = super::quietest_stretch(&[a, b], 3);
        assert_eq!(quiet, [Samples(vec![1.9, 1.9]), Samples(vec![4.8, 4.8])]);
    }
}
