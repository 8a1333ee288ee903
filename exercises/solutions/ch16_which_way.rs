//! Which way to pick. (Worked solution.)

use std::convert::Infallible;

use pygen_nightly::Body;
use pygen_protocol::{Coroutine, Exception, Resume};

/// `countdown_from(n)`, as a `gen` block.
///
/// ```python
/// def countdown_from(n):
///     while n > 0:
///         yield n
///         n -= 1
/// ```
pub fn countdown_from(n: u64) -> impl Iterator<Item = u64> {
    gen move {
        let mut n = n;
        // while n > 0:
        while n > 0 {
            // yield n
            yield n;
            // n -= 1
            n -= 1;
        }
    }
}

/// `tally()`, as a nightly `#[coroutine]` closure.
///
/// ```python
/// def tally():
///     seen = 0
///     while True:
///         word = yield seen
///         if word is not None:
///             seen += 1
/// ```
pub fn tally()
-> impl Coroutine<Resume<String>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    Body(
        #[coroutine]
        |_first: Resume<String>| {
            // seen = 0
            let mut seen = 0;
            // while True:
            loop {
                // word = yield seen
                let word = (yield seen)?;
                // if word is not None: seen += 1
                if word.is_some() {
                    seen += 1;
                }
            }
        },
    )
}
