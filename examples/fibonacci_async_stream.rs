//! The seed's Fibonacci program, written with `async-stream` and `futures`.
//!
//! ```text
//! cargo run --example fibonacci_async_stream
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
//! `stream!` turns a block with `yield` into a `Stream`, the async cousin
//! of `Iterator`. This body never waits on anything, so
//! `futures::executor::block_on_stream` can drive it as a plain iterator:
//! each `next()` polls the stream once and gets the next `yield`.

use async_stream::stream;
use futures::executor::block_on_stream;
use futures::stream::Stream;

// ANCHOR: fibonacci
// def fibonacci():
fn fibonacci() -> impl Stream<Item = u64> {
    stream! {
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
    // for n in itertools.islice(fibonacci(), 10): print(n)
    let stream = Box::pin(fibonacci());
    for n in block_on_stream(stream).take(10) {
        println!("{n}");
    }
}
// ANCHOR_END: fibonacci
