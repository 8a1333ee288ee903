//! Chapter 3, `next` and laziness: a generator runs only when asked, and
//! only as far as its next `yield`.

use std::convert::Infallible;

use pygen_demos::Log;
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

use crate::Unsolved;

/// `squares()`, with the genawaiter crate, logging each step so that you
/// can watch how lazy it is.
///
/// ```python
/// def squares():
///     n = 0
///     while True:
///         log(f'computing {n}')
///         yield n * n
///         n += 1
/// ```
///
/// Calling `squares()` in Python runs none of the body: nothing is logged
/// until the first `next`, and each `next` logs exactly one line. Your
/// Rust must behave the same, and the tests read the log to check.
///
/// How to write it (look at `crates/genawaiter/src/countdown.rs` for the
/// pattern):
///
/// * Return `pygen_genawaiter::Body(Gen::new(move |co: Co<u64, Resume<S>>| async move { ... }))`,
///   with `genawaiter::rc::{Co, Gen}`. The `async move` block is the body.
/// * `log(f'computing {n}')` is `log.write(&format!("computing {n}"))`.
/// * `yield n * n` is `co.yield_(n * n).await?`: the `.await` pauses the
///   body, and the `?` lets an exception thrown in propagate, which is
///   what Python does when nothing catches it.
/// * `while True:` is `loop { ... }`. The body never returns, so its
///   return type is `Result<Infallible, Exception>`: only an exception can
///   end it.
pub fn squares<S>(
    log: Log,
) -> impl Coroutine<Resume<S>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    let _ = log;
    todo!("chapter 3: squares()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `triangular()`, as a nightly `gen` block: an `Iterator` written with
/// `yield`.
///
/// ```python
/// def triangular():
///     total, n = 0, 0
///     while True:
///         n += 1
///         total += n
///         yield total
/// ```
///
/// A `gen { ... }` block (see `examples/fibonacci_gen_block.rs` in the
/// main workspace) is the Fibonacci chapter's fourth way: it can only be
/// iterated, not sent to, but for a `for` loop it is all you need. Write
/// the loop inside `gen { }`; `yield total;` hands out one item, and the
/// caller's `.take(6)` stops asking after six, just as
/// `itertools.islice(triangular(), 6)` does.
pub fn triangular() -> impl Iterator<Item = u64> {
    todo!("chapter 3: triangular()");
    #[allow(unreachable_code)]
    std::iter::empty()
}

/// `take(g, n)`: `list(itertools.islice(g, n))`, for any generator.
///
/// ```python
/// def take(g, n):
///     return list(islice(g, n))
/// ```
///
/// Call `g.next()` at most `n` times, collecting the values. Stop early
/// (without an error) when the generator finishes: `next` then answers
/// `Err(Raised::StopIteration(_))`. Any other exception, `Err(Raised::Exception(e))`,
/// is passed on as `Err(e)`, as `list(...)` would let it propagate.
///
/// Laziness matters here: `take(g, 0)` must not call `next` at all (so
/// a fresh generator stays unstarted), and `take(g, 3)` must not ask for
/// a fourth value. A `for _ in 0..n` loop with a `match` inside is all it
/// takes; `g.iter().take(n)` is a shorter way if you like iterators.
///
/// The signature says: `G` is any body `Generator` accepts (an `Unpin`
/// coroutine resumed with `Resume<S>`, returning `Result<R, Exception>`),
/// and the answer is a `Vec` of whatever it yields.
pub fn take<G, S, R>(g: &mut Generator<G, S>, n: usize) -> Result<Vec<G::Yield>, Exception>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    let _ = (g, n);
    todo!("chapter 3: take()")
}
