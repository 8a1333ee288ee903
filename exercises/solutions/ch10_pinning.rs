//! Chapter 10, borrowing across `yield`, and pinning. (Worked solution.)

use std::pin::pin;

use pygen_nightly::Body;
use pygen_protocol::{Coroutine, Exception, Generator, Raised, Resume};

/// `pairs(numbers)`, as a nightly `static` coroutine.
///
/// ```python
/// def pairs(numbers):
///     for a, b in zip(numbers, numbers[1:]):
///         yield (a, b)
///     return len(numbers)
/// ```
pub fn pairs(
    numbers: Vec<i64>,
) -> impl Coroutine<Resume<()>, Yield = (i64, i64), Return = Result<usize, Exception>> {
    Body(
        #[coroutine]
        static move |_first: Resume<()>| {
            // for a, b in zip(numbers, numbers[1:]):
            //
            // `windows(2)` borrows `numbers`, which lives in this
            // coroutine, across the `yield`: hence `static`.
            for pair in numbers.windows(2) {
                // yield (a, b)
                (yield (pair[0], pair[1]))?;
            }
            // return len(numbers)
            Ok(numbers.len())
        },
    )
}

/// `sum_of_pairs(numbers)`: drive [`pairs`], pinned on the stack.
///
/// ```python
/// def sum_of_pairs(numbers):
///     g = pairs(numbers)
///     total = 0
///     try:
///         while True:
///             a, b = next(g)
///             total += a + b
///     except StopIteration as stop:
///         return total, stop.value
/// ```
pub fn sum_of_pairs(numbers: Vec<i64>) -> (i64, usize) {
    // g = pairs(numbers), pinned where it lives: `pin!` in a `let` of
    // its own, so that the pinned body lives to the end of the function
    let body = pin!(pairs(numbers));
    let mut g = Generator::new(body);
    // total = 0
    let mut total = 0;
    loop {
        match g.next() {
            // a, b = next(g); total += a + b
            Ok((a, b)) => total += a + b,
            // except StopIteration as stop: return total, stop.value
            Err(Raised::StopIteration(count)) => {
                return (total, count.expect("pairs() returns its length"));
            }
            Err(Raised::Exception(e)) => unreachable!("pairs() raises nothing: {e}"),
        }
    }
}
