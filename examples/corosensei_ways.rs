//! The seed's `fibonacci()` and the book's `running_sum()` as stackful
//! coroutines, with the corosensei crate, on stable Rust. The book's
//! chapter "Which way to pick" shows these listings beside the three ways
//! pygen uses.
//!
//! ```text
//! cargo run --example corosensei_ways
//! ```
//!
//! A stackful coroutine runs on a call stack of its own, so any function
//! it calls may suspend it: `yield` is a method on a handle (`Yielder`)
//! that can be passed down, not a keyword that only the coroutine's own
//! body can use.

use corosensei::{Coroutine, CoroutineResult, Yielder};

// ANCHOR: fibonacci
// def fibonacci():
fn fibonacci() -> Coroutine<(), u64, ()> {
    Coroutine::new(|yielder: &Yielder<(), u64>, ()| {
        // a, b = 0, 1
        let (mut a, mut b) = (0u64, 1u64);
        // while True:
        loop {
            // yield a
            yielder.suspend(a);
            // a, b = b, a + b
            (a, b) = (b, a + b);
        }
    })
}
// ANCHOR_END: fibonacci

// ANCHOR: running_sum
// def running_sum():
fn running_sum() -> Coroutine<Option<i64>, i64, i64> {
    // The first resume's value arrives as the closure's second argument,
    // as a nightly coroutine's does; Python's priming `next` sends None.
    Coroutine::new(|yielder: &Yielder<Option<i64>, i64>, _first| {
        // total = 0
        let mut total = 0;
        // while True:
        loop {
            // x = yield total
            // if x is None: return total
            let Some(x) = yielder.suspend(total) else {
                return total;
            };
            // total += x
            total += x;
        }
    })
}
// ANCHOR_END: running_sum

// ANCHOR: nested
/// A helper that yields on behalf of the coroutine that called it: what
/// Python needs `yield from` for, and what no stackless way can do.
fn yield_twice(yielder: &Yielder<(), u64>, n: u64) {
    yielder.suspend(n);
    yielder.suspend(n);
}

fn doubled() -> Coroutine<(), u64, &'static str> {
    Coroutine::new(|yielder: &Yielder<(), u64>, ()| {
        for n in 1..=2 {
            yield_twice(yielder, n);
        }
        "done"
    })
}
// ANCHOR_END: nested

fn main() {
    // ANCHOR: drive
    // for n in itertools.islice(fibonacci(), 10): print(n)
    let mut fib = fibonacci();
    for _ in 0..10 {
        if let CoroutineResult::Yield(n) = fib.resume(()) {
            println!("{n}");
        }
    }

    // g = running_sum(); next(g); g.send(1); g.send(2); g.send(None)
    let mut g = running_sum();
    for value in [None, Some(1), Some(2), None] {
        match g.resume(value) {
            CoroutineResult::Yield(total) => println!("yield {total}"),
            CoroutineResult::Return(total) => println!("return {total}"),
        }
    }
    // ANCHOR_END: drive

    let mut d = doubled();
    let mut seen = Vec::new();
    let end = loop {
        match d.resume(()) {
            CoroutineResult::Yield(n) => seen.push(n),
            CoroutineResult::Return(end) => break end,
        }
    };
    println!("{seen:?} {end}");
}
