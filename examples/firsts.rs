//! `firsts(lists)`: the first item of each list, skipping the empty ones,
//! as a `gen` block. The Rust side of the book's chapter on PEP 479: where
//! Python's `next(it)` raises `StopIteration` for an empty list, Rust's
//! `next()` returns `None`, and the compiler makes the body decide what
//! that means.
//!
//! ```text
//! cargo run --example firsts
//! ```

#![feature(gen_blocks)]

// ANCHOR: firsts
fn firsts(lists: Vec<Vec<i32>>) -> impl Iterator<Item = i32> {
    gen move {
        for items in lists {
            // first = next(iter(items)): `Some(first)`, or `None` for an
            // empty list, which cannot escape as an exception.
            let Some(first) = items.into_iter().next() else {
                continue;
            };
            yield first;
        }
    }
}
// ANCHOR_END: firsts

fn main() {
    println!(
        "{:?}",
        firsts(vec![vec![1, 2], vec![], vec![3]]).collect::<Vec<_>>()
    );
}
