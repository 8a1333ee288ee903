//! The seed's Fibonacci program, written with the `genawaiter` crate.
//!
//! ```text
//! cargo run --example fibonacci_genawaiter
//! ```
//!
//! The Python it mirrors:
//!
//! ```python
//! def fibonacci():
//!     a, b = 0, 1
//!     while True:
//!         yield a
//!         a, b = b, a + b
//!
//! for n in itertools.islice(fibonacci(), 10):
//!     print(n)
//! ```
//!
//! genawaiter turns an `async` block into a generator: `co.yield_(a).await`
//! hands `a` out and suspends. A generator that is resumed with `()` and
//! returns `()` is an `Iterator`, so Python's `for` loop is Rust's.

use genawaiter::rc::{Co, Gen};

// ANCHOR: fibonacci
// def fibonacci():
async fn fibonacci(co: Co<u64>) {
    // a, b = 0, 1
    let (mut a, mut b) = (0u64, 1u64);
    // while True:
    loop {
        // yield a
        co.yield_(a).await;
        // a, b = b, a + b
        (a, b) = (b, a + b);
    }
}

fn main() {
    // for n in itertools.islice(fibonacci(), 10): print(n)
    for n in Gen::new(fibonacci).into_iter().take(10) {
        println!("{n}");
    }
}
// ANCHOR_END: fibonacci
