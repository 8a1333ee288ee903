//! The cost of the generator protocol for each backend, beside a
//! hand-written baseline measured in the same run: per item
//! (`fibonacci_u64`), per send (`running_sum`), creation plus first
//! resume, a caught `throw`, and `close`.
//!
//! ```text
//! cargo bench --bench protocol
//! ```
//!
//! The hand-written baselines are `pygen::baseline`'s. For per item and
//! per send there are three rows per backend:
//!
//! * `baseline`: a hand-written state machine, what a Rust programmer would
//!   write without any generator;
//! * `<backend>/raw`: the library used directly, the way its documentation
//!   shows, with no pygen code;
//! * `<backend>/pygen`: the same program through pygen: the backend crate's
//!   body, its adapter, and the Python-rules `Generator` wrapper.
//!
//! `raw` against `baseline` is the library's own cost; `pygen` against `raw`
//! is pygen's. `genawaiter/raw+resume` is the raw library resumed with
//! pygen's resume value (which can carry a thrown exception), to tell the
//! cost of that value from the cost of the wrapper.
//!
//! Everything is statically dispatched, and every variant hands back the same thing per send, the running total as an `i64`, so
//! that no row pays for returning a bigger value than another.

#![feature(coroutines, coroutine_trait)]

mod raw;

use std::cell::Cell;
use std::hint::black_box;
use std::ops::{Coroutine as StdCoroutine, CoroutineState as StdState};
use std::pin::Pin;
use std::rc::Rc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use pygen::baseline::{FibonacciU64, Guarded, RunningSum};
use pygen_demos::Log;
use pygen_protocol::{Exception, Generator};
use raw::*;

/// F(0) to F(93): the u64 flavour's whole run.
const FIB_ITEMS: u64 = 94;

// --- the benchmarks ---------------------------------------------------------

/// Drain a pygen generator, summing what it yields so nothing is optimised
/// away.
macro_rules! drain_pygen {
    ($g:expr) => {{
        let mut g = $g;
        let mut sum = 0u64;
        while let Ok(n) = g.next() {
            sum = sum.wrapping_add(n);
        }
        (g, sum)
    }};
}

fn per_item(c: &mut Criterion) {
    let mut group = c.benchmark_group("fibonacci_u64 per item");
    group.throughput(Throughput::Elements(FIB_ITEMS));
    // Each routine runs F(0)..F(93) on a generator made outside the timed
    // region, so creation is not counted here; the generator is returned,
    // so its drop is not counted either.
    group.bench_function("baseline", |b| {
        b.iter_batched(
            FibonacciU64::new,
            |mut it| {
                let mut sum = 0u64;
                for n in it.by_ref() {
                    sum = sum.wrapping_add(n);
                }
                (it, black_box(sum))
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("nightly/raw", |b| {
        b.iter_batched(
            raw_nightly_fibonacci,
            |mut co| {
                let mut sum = 0u64;
                while let StdState::Yielded(n) = Pin::new(&mut co).resume(()) {
                    sum = sum.wrapping_add(n);
                }
                (co, black_box(sum))
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("nightly/pygen", |b| {
        b.iter_batched(
            || Generator::<_, ()>::new(pygen_nightly::fibonacci_u64()),
            |g| drain_pygen!(g),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("genawaiter/raw", |b| {
        b.iter_batched(
            || genawaiter::rc::Gen::new(raw_genawaiter_fibonacci),
            |mut g| {
                let mut sum = 0u64;
                while let genawaiter::GeneratorState::Yielded(n) = g.resume() {
                    sum = sum.wrapping_add(n);
                }
                (g, black_box(sum))
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("genawaiter/pygen", |b| {
        b.iter_batched(
            || Generator::<_, ()>::new(pygen_genawaiter::fibonacci_u64()),
            |g| drain_pygen!(g),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("async-stream/raw", |b| {
        b.iter_batched(
            || Box::pin(raw_async_stream_fibonacci()),
            |mut s| {
                let mut sum = 0u64;
                while let Some(n) = poll_once(s.as_mut()) {
                    sum = sum.wrapping_add(n);
                }
                (s, black_box(sum))
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("async-stream/pygen", |b| {
        b.iter_batched(
            || Generator::<_, ()>::new(pygen_async_stream::fibonacci_u64()),
            |g| drain_pygen!(g),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// Sends per timed iteration: the per-send figure is a loop of sends, as a
/// program that drives a generator runs one, with the harness's own
/// per-iteration cost spread thin.
const SENDS: u64 = 1000;

/// Time `SENDS` sends of `1` through `send`, folding what comes back so
/// that nothing is optimised away.
macro_rules! send_loop {
    ($b:expr, $send:expr) => {
        $b.iter(|| {
            let mut acc = 0i64;
            for _ in 0..SENDS {
                acc ^= $send(black_box(1));
            }
            acc
        })
    };
}

fn per_send(c: &mut Criterion) {
    let mut group = c.benchmark_group("running_sum per send");
    group.throughput(Throughput::Elements(SENDS));
    group.bench_function("baseline", |b| {
        let mut sum = RunningSum::default();
        send_loop!(b, |x| sum.send(Some(x)).unwrap_or(0))
    });
    group.bench_function("nightly/raw", |b| {
        let mut co = raw_nightly_running_sum();
        let _ = Pin::new(&mut co).resume(None);
        send_loop!(b, |x| match Pin::new(&mut co).resume(Some(x)) {
            StdState::Yielded(total) => total,
            StdState::Complete(_) => 0,
        })
    });
    group.bench_function("nightly/pygen", |b| {
        let mut g = Generator::new(pygen_nightly::running_sum::<i64>());
        let _ = g.next();
        send_loop!(b, |x| g.send(x).unwrap_or(0))
    });
    group.bench_function("genawaiter/raw", |b| {
        let mut g = genawaiter::rc::Gen::new(raw_genawaiter_running_sum);
        let _ = g.resume_with(None);
        send_loop!(b, |x| match g.resume_with(Some(x)) {
            genawaiter::GeneratorState::Yielded(total) => total,
            genawaiter::GeneratorState::Complete(_) => 0,
        })
    });
    group.bench_function("genawaiter/raw+resume", |b| {
        let mut g = genawaiter::rc::Gen::new(raw_genawaiter_running_sum_resume);
        let _ = g.resume_with(Ok(None));
        send_loop!(b, |x| match g.resume_with(Ok(Some(x))) {
            genawaiter::GeneratorState::Yielded(total) => total,
            genawaiter::GeneratorState::Complete(_) => 0,
        })
    });
    group.bench_function("genawaiter/pygen", |b| {
        let mut g = Generator::new(pygen_genawaiter::running_sum::<i64>());
        let _ = g.next();
        send_loop!(b, |x| g.send(x).unwrap_or(0))
    });
    group.bench_function("async-stream/raw", |b| {
        let slot = Rc::new(Cell::new(None));
        let mut s = Box::pin(raw_async_stream_running_sum(slot.clone()));
        let _ = poll_once(s.as_mut());
        send_loop!(b, |x| {
            slot.set(Some(x));
            poll_once(s.as_mut()).unwrap_or(0)
        })
    });
    group.bench_function("async-stream/pygen", |b| {
        let mut g = Generator::new(pygen_async_stream::running_sum::<i64>());
        let _ = g.next();
        send_loop!(b, |x| g.send(x).unwrap_or(0))
    });
    group.finish();
}

fn create_and_first_resume(c: &mut Criterion) {
    let mut group = c.benchmark_group("running_sum create + first resume + drop");
    group.bench_function("baseline", |b| {
        b.iter(|| {
            let mut g = black_box(RunningSum::default());
            g.send(Some(0)).unwrap_or(0)
        })
    });
    macro_rules! pygen {
        ($name:literal, $krate:ident) => {
            group.bench_function($name, |b| {
                b.iter(|| {
                    let mut g = Generator::new($krate::running_sum::<i64>());
                    g.next().unwrap_or(0)
                })
            });
        };
    }
    pygen!("nightly/pygen", pygen_nightly);
    pygen!("genawaiter/pygen", pygen_genawaiter);
    pygen!("async-stream/pygen", pygen_async_stream);
    group.finish();
}

fn throw(c: &mut Criterion) {
    // g.throw(ValueError) is caught ('recovered'); next(g) goes back to
    // 'waiting'. One iteration is that pair.
    let mut group = c.benchmark_group("guarded throw caught + next");
    group.bench_function("baseline", |b| {
        let mut g = Guarded::default();
        let _ = g.next();
        b.iter(|| {
            let recovered = g.throw(black_box(Exception::ValueError));
            (recovered, g.next())
        })
    });
    macro_rules! pygen {
        ($name:literal, $krate:ident) => {
            group.bench_function($name, |b| {
                let mut g = Generator::<_, i64>::new($krate::guarded(Log::new()));
                let _ = g.next();
                b.iter(|| {
                    let recovered = g.throw(black_box(Exception::ValueError));
                    (recovered, g.next())
                })
            });
        };
    }
    pygen!("nightly/pygen", pygen_nightly);
    pygen!("genawaiter/pygen", pygen_genawaiter);
    pygen!("async-stream/pygen", pygen_async_stream);
    group.finish();
}

fn close(c: &mut Criterion) {
    // close() on a started running_sum: GeneratorExit at its yield, which
    // it lets out. Creating and priming the generator is not timed.
    let mut group = c.benchmark_group("running_sum close");
    group.bench_function("baseline", |b| {
        b.iter_batched(
            || {
                let mut g = RunningSum::default();
                let _ = g.send(Some(0));
                g
            },
            |mut g| {
                g.close();
                g
            },
            BatchSize::SmallInput,
        )
    });
    macro_rules! pygen {
        ($name:literal, $krate:ident) => {
            group.bench_function($name, |b| {
                b.iter_batched(
                    || {
                        let mut g = Generator::new($krate::running_sum::<i64>());
                        let _ = g.next();
                        g
                    },
                    |mut g| {
                        let closed = g.close();
                        (g, closed)
                    },
                    BatchSize::SmallInput,
                )
            });
        };
    }
    pygen!("nightly/pygen", pygen_nightly);
    pygen!("genawaiter/pygen", pygen_genawaiter);
    pygen!("async-stream/pygen", pygen_async_stream);
    group.finish();
}

criterion_group!(
    benches,
    per_item,
    per_send,
    create_and_first_resume,
    throw,
    close
);
criterion_main!(benches);
