//! `words()`, whose body borrows its own `text` across every `yield`,
//! pinned where it lives with `pin!` and driven like any other generator.
//!
//! ```text
//! cargo run --example words_pinned
//! ```
//!
//! The Python it mirrors:
//!
//! ```python
//! g = words()
//! print(next(g))          # the
//! print(g.send(7))        # quick, and 'the: 7' is logged
//! for word in g:
//!     print(word)         # brown, fox
//! ```

use std::pin::pin;

use num_bigint::BigInt;
use pygen_demos::Log;
use pygen_nightly::words;
use pygen_protocol::{Exception, Generator};

fn main() -> Result<(), Exception> {
    let log = Log::default();
    // ANCHOR: pinned
    // `words` is a `static` coroutine, so it is not `Unpin`: pin it first,
    // on the stack. `body` is a `Pin<&mut ...>`, which is `Unpin`, and
    // `Generator` drives it like any other body.
    let body = pin!(words(log.clone()));
    let mut g: Generator<_, BigInt> = Generator::new(body);
    println!("{:?}", g.next());
    println!("{:?}", g.send(BigInt::from(7)));
    for word in g.iter() {
        println!("{}", word?);
    }
    // ANCHOR_END: pinned
    println!("logged {:?}", log.take());
    Ok(())
}
