//! The seed's Fibonacci program as a `gen` block, nightly Rust's newest
//! way to write an iterator with `yield`.
//!
//! ```text
//! cargo run --example fibonacci_gen_block
//! ```
//!
//! A `gen` block is the closest thing Rust has to Python's generator
//! *for iteration*: it is an `Iterator`, written with `yield`. It is not a
//! generator object in Python's sense: `yield` evaluates to `()`, so
//! nothing can be sent in, thrown in, or returned. Beside the three pygen
//! backends it shows how much of Python's protocol is about more than
//! `for`.

#![feature(gen_blocks)]

// ANCHOR: fibonacci
// def fibonacci():
fn fibonacci() -> impl Iterator<Item = u64> {
    gen {
        // a, b = 0, 1
        let (mut a, mut b) = (0u64, 1u64);
        // while True:
        loop {
            // yield a
            yield a;
            // a, b = b, a + b
            (a, b) = (b, a + b);
        }
    }
}

fn main() {
    // for n in itertools.islice(fibonacci(), 10):
    //     print(n)
    for n in fibonacci().take(10) {
        println!("{n}");
    }
}
// ANCHOR_END: fibonacci
