//! One generator variant driven N times, for counting instructions with
//! callgrind: a measure that, unlike time, does not move with the load of
//! a shared machine.
//!
//! ```text
//! scripts/instructions.sh          # every variant, instructions per op
//! ```
//!
//! The script runs this binary under `valgrind --tool=callgrind` twice per
//! variant, with N and 11·N operations, and divides the difference in
//! instructions by 10·N, so that start-up and set-up cancel out. By hand:
//! `target/release/deps/instructions-* send nightly/pygen 100000`.

#![feature(coroutines, coroutine_trait)]

mod raw;

use std::cell::Cell;
use std::hint::black_box;
use std::ops::{Coroutine as StdCoroutine, CoroutineState as StdState};
use std::pin::Pin;
use std::rc::Rc;

use pygen::baseline::{FibonacciU64, RunningSum};
use pygen_protocol::Generator;
use raw::*;

/// The variants, by operation.
const SEND: &[&str] = &[
    "baseline",
    "nightly/raw",
    "nightly/pygen",
    "genawaiter/raw",
    "genawaiter/raw+resume",
    "genawaiter/pygen",
    "async-stream/raw",
    "async-stream/pygen",
];
const ITEM: &[&str] = &[
    "baseline",
    "nightly/raw",
    "nightly/pygen",
    "genawaiter/raw",
    "genawaiter/pygen",
    "async-stream/raw",
    "async-stream/pygen",
];

/// `n` sends of 1 into `running_sum`, as `variant` writes it.
#[inline(never)]
fn sends(variant: &str, n: u64) -> i64 {
    let mut acc = 0i64;
    macro_rules! run {
        ($send:expr) => {
            for _ in 0..n {
                acc ^= $send(black_box(1));
            }
        };
    }
    match variant {
        "baseline" => {
            let mut g = RunningSum::default();
            run!(|x| g.send(Some(x)).unwrap_or(0));
        }
        "nightly/raw" => {
            let mut co = raw_nightly_running_sum();
            let _ = Pin::new(&mut co).resume(None);
            run!(|x| match Pin::new(&mut co).resume(Some(x)) {
                StdState::Yielded(total) => total,
                StdState::Complete(_) => 0,
            });
        }
        "nightly/pygen" => {
            let mut g = Generator::new(pygen_nightly::running_sum::<i64>());
            let _ = g.next();
            run!(|x| g.send(x).unwrap_or(0));
        }
        "genawaiter/raw" => {
            let mut g = genawaiter::rc::Gen::new(raw_genawaiter_running_sum);
            let _ = g.resume_with(None);
            run!(|x| match g.resume_with(Some(x)) {
                genawaiter::GeneratorState::Yielded(total) => total,
                genawaiter::GeneratorState::Complete(_) => 0,
            });
        }
        "genawaiter/raw+resume" => {
            let mut g = genawaiter::rc::Gen::new(raw_genawaiter_running_sum_resume);
            let _ = g.resume_with(Ok(None));
            run!(|x| match g.resume_with(Ok(Some(x))) {
                genawaiter::GeneratorState::Yielded(total) => total,
                genawaiter::GeneratorState::Complete(_) => 0,
            });
        }
        "genawaiter/pygen" => {
            let mut g = Generator::new(pygen_genawaiter::running_sum::<i64>());
            let _ = g.next();
            run!(|x| g.send(x).unwrap_or(0));
        }
        "async-stream/raw" => {
            let slot = Rc::new(Cell::new(None));
            let mut s = Box::pin(raw_async_stream_running_sum(slot.clone()));
            let _ = poll_once(s.as_mut());
            run!(|x| {
                slot.set(Some(x));
                poll_once(s.as_mut()).unwrap_or(0)
            });
        }
        "async-stream/pygen" => {
            let mut g = Generator::new(pygen_async_stream::running_sum::<i64>());
            let _ = g.next();
            run!(|x| g.send(x).unwrap_or(0));
        }
        _ => {}
    }
    acc
}

/// `n` items of `fibonacci_u64`, as `variant` writes it: runs of F(0) to
/// F(93), a new generator each run.
#[inline(never)]
fn items(variant: &str, n: u64) -> u64 {
    let mut sum = 0u64;
    let mut left = n;
    macro_rules! runs {
        ($make:expr, |$g:ident| $next:expr) => {
            while left > 0 {
                let mut $g = $make;
                while left > 0 {
                    let next = $next;
                    let Some(value) = next else { break };
                    sum = sum.wrapping_add(value);
                    left -= 1;
                }
            }
        };
    }
    match variant {
        "baseline" => runs!(FibonacciU64::new(), |g| g.next()),
        "nightly/raw" => runs!(
            raw_nightly_fibonacci(),
            |g| match Pin::new(&mut g).resume(()) {
                StdState::Yielded(n) => Some(n),
                StdState::Complete(()) => None,
            }
        ),
        "nightly/pygen" => runs!(
            Generator::<_, ()>::new(pygen_nightly::fibonacci_u64()),
            |g| g.next().ok()
        ),
        "genawaiter/raw" => runs!(genawaiter::rc::Gen::new(raw_genawaiter_fibonacci), |g| {
            match g.resume() {
                genawaiter::GeneratorState::Yielded(n) => Some(n),
                genawaiter::GeneratorState::Complete(()) => None,
            }
        }),
        "genawaiter/pygen" => runs!(
            Generator::<_, ()>::new(pygen_genawaiter::fibonacci_u64()),
            |g| g.next().ok()
        ),
        "async-stream/raw" => runs!(Box::pin(raw_async_stream_fibonacci()), |g| poll_once(
            g.as_mut()
        )),
        "async-stream/pygen" => runs!(
            Generator::<_, ()>::new(pygen_async_stream::fibonacci_u64()),
            |g| g.next().ok()
        ),
        _ => {}
    }
    sum
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [op, variant, n] if op == "send" && SEND.contains(&variant.as_str()) => {
            let n = n.parse().unwrap_or(0);
            println!("{}", sends(variant, n));
        }
        [op, variant, n] if op == "item" && ITEM.contains(&variant.as_str()) => {
            let n = n.parse().unwrap_or(0);
            println!("{}", items(variant, n));
        }
        [op] if op == "list" => {
            SEND.iter().for_each(|v| println!("send {v}"));
            ITEM.iter().for_each(|v| println!("item {v}"));
        }
        _ => {
            // `cargo bench` runs every bench binary with --bench: say what
            // this one is for instead of timing anything.
            println!("instructions: run scripts/instructions.sh for instruction counts per op");
        }
    }
}
