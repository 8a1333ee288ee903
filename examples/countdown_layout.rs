//! `countdown()` as a bare nightly coroutine, to look at the state machine
//! the compiler makes from it:
//!
//! ```text
//! cargo run --example countdown_layout
//! rustc --edition 2024 -Zprint-type-sizes -o /tmp/countdown_layout examples/countdown_layout.rs
//! ```
//!
//! The second command prints the layout of every type the program uses;
//! the coroutine's shows one variant per place the body can be
//! (`Unresumed`, `Suspend0` at its one `yield`, `Returned`, `Panicked`),
//! each holding the locals alive there.

#![feature(coroutines, coroutine_trait)]

use std::ops::{Coroutine, CoroutineState};
use std::pin::Pin;

// ANCHOR: countdown
// def countdown():
fn countdown() -> impl Coroutine<Yield = u32, Return = &'static str> + Unpin {
    #[coroutine]
    || {
        // n = 3
        let mut n = 3u32;
        // while n > 0:
        while n > 0 {
            // yield n
            yield n;
            // n -= 1
            n -= 1;
        }
        // return 'liftoff'
        "liftoff"
    }
}
// ANCHOR_END: countdown

fn main() {
    let mut g = countdown();
    println!("{} bytes", std::mem::size_of_val(&g));
    while let CoroutineState::Yielded(n) = Pin::new(&mut g).resume(()) {
        println!("yield {n}");
    }
}
