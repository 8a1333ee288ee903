//! Chapter 9, consumers and pipelines: generators that are *sent* their
//! input, chained together.

use std::convert::Infallible;

use pygen_demos::Log;
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

use crate::Unsolved;

/// `printer()`: the end of a pipeline. It logs each line it is sent.
///
/// ```python
/// @coroutine
/// def printer():
///     try:
///         while True:
///             line = yield
///             if line is not None:
///                 log(line)
///     finally:
///         log('printer closed')
/// ```
///
/// A consumer yields nothing (`yield` alone is `yield None`, which is
/// `()` in Rust); it only receives. The `finally:` is a
/// `pygen_protocol::finally` guard, as in chapter 7. Leave the priming to
/// whoever builds the pipeline (see [`python_lines`]): this function
/// returns the body, unprimed.
pub fn printer(
    log: Log,
) -> impl Coroutine<Resume<String>, Yield = (), Return = Result<Infallible, Exception>> + Unpin {
    let _ = log;
    todo!("chapter 9: printer()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `grep(pattern, target)`: a filter stage. It passes on the lines that
/// contain `pattern` to `target`, another generator, with `send`.
///
/// ```python
/// @coroutine
/// def grep(pattern, target):
///     try:
///         while True:
///             line = yield
///             if line is not None and pattern in line:
///                 target.send(line)
///     finally:
///         target.close()
/// ```
///
/// `target` is a `Generator` your body owns (moved into the closure with
/// `move`), already primed, so `target.send(line)` works from the first
/// line. `pattern in line` is `line.contains(&pattern)`.
///
/// The `finally: target.close()` is the interesting part. `close()` and
/// `throw()` on `grep` must reach the printer too: that is how closing
/// the head of a pipeline shuts down every stage. A guard closure cannot
/// do it here, because the loop needs `target` (mutably) the whole time.
/// So shape the body like `evens` in `crates/nightly/src/pipeline.rs`:
///
/// ```ignore
/// let raised: Exception = loop {
///     let line = match yield () {
///         Ok(line) => line,
///         Err(exception) => break exception,   // throw or close: leave the loop
///     };
///     // ... target.send(line); on Err(raised), break raised.into()
/// };
/// target.close()?;    // finally: target.close()
/// Err(raised)         // and the exception goes on out
/// ```
///
/// (`raised.into()` turns a `Raised` from `send` into an `Exception`; a
/// `StopIteration` out of a finished target becomes `RuntimeError`, as
/// PEP 479 says.)
pub fn grep<G, R>(
    pattern: String,
    target: Generator<G, String>,
) -> impl Coroutine<Resume<String>, Yield = (), Return = Result<Infallible, Exception>> + Unpin
where
    G: Coroutine<Resume<String>, Return = Result<R, Exception>> + Unpin,
{
    let _ = (pattern, target);
    todo!("chapter 9: grep()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `python_lines()`: the pipeline `grep('python', printer())`, every stage
/// primed.
///
/// ```python
/// def coroutine(func):          # the priming decorator
///     def start(*args):
///         cr = func(*args)
///         next(cr)
///         return cr
///     return start
///
/// def python_lines():
///     return grep('python', printer())
/// ```
///
/// In Python the `@coroutine` decorator primes each stage when it is
/// called. In Rust, priming is `Generator::primed(body)`: it runs the body
/// to its first `yield` and gives back the generator, ready for `send`.
/// Build from the end: prime the printer, hand it to `grep`, prime that.
/// `primed` answers a `Result` (a body could raise before its first
/// `yield`); these two cannot, so `.expect("...")` says why.
pub fn python_lines(
    log: Log,
) -> Generator<
    impl Coroutine<Resume<String>, Yield = (), Return = Result<Infallible, Exception>> + Unpin,
    String,
> {
    let _ = log;
    todo!("chapter 9: python_lines()");
    #[allow(unreachable_code)]
    Generator::new(Unsolved::body())
}
