//! Chapter 7, `close`, `finally`, and the ignored close.

use std::convert::Infallible;

use pygen_demos::Log;
use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Unsolved;

/// `opened(name)`: a generator that holds something open, and a
/// `finally:` that closes it however the generator ends.
///
/// ```python
/// def opened(name):
///     log(f'open {name}')
///     try:
///         lines = 0
///         while True:
///             line = yield lines
///             if line is not None:
///                 lines += 1
///                 log(f'{name}: {line}')
///     finally:
///         log(f'close {name}')
/// ```
///
/// Python runs the `finally:` block when the body returns, when an
/// exception propagates out, when `close()` raises `GeneratorExit` at the
/// `yield`, and when a suspended generator is garbage-collected. Rust's
/// version of "whatever happens, on the way out" is a destructor, and
/// `pygen_protocol::finally` makes one from a closure:
///
/// ```ignore
/// let _finally = finally(move || log.write(...));
/// ```
///
/// The guard runs its closure when it is dropped: when the body returns,
/// when `?` propagates an exception (that is a return too), and when the
/// whole suspended body is dropped. Name it `_finally`, not `_`: `let _ =`
/// would drop it at once.
///
/// Two details to get right:
///
/// * Make the guard *inside* the body, after `log('open ...')`. A
///   generator that was never started runs no `finally:` in Python; a
///   guard made before the body starts would.
/// * The body needs the log twice (for each line and for the guard), so
///   clone it: `let log2 = log.clone();` before the guard takes one.
///
/// Either backend works; `crates/nightly/src/guarded.rs` and
/// `crates/genawaiter/src/guarded.rs` are close relatives.
pub fn opened(
    name: String,
    log: Log,
) -> impl Coroutine<Resume<String>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    let _ = (name, log);
    todo!("chapter 7: opened()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `defiant()`: a generator that catches `GeneratorExit` and yields
/// anyway.
///
/// ```python
/// def defiant():
///     try:
///         yield 'first'
///     except GeneratorExit:
///         log('not yet')
///         yield 'last word'
///     log('done')
/// ```
///
/// `close()` raises `GeneratorExit` at the paused `yield` and expects the
/// body to finish. A body that yields again instead breaks that promise,
/// and Python's `close()` raises `RuntimeError: generator ignored
/// GeneratorExit`, leaving the generator suspended at its new `yield`.
/// `pygen_protocol::Generator::close` does the same; all your body has to
/// do is behave like the Python.
///
/// In pygen, `close()` arrives as `Err(Exception::GeneratorExit)` out of
/// the `yield`. Match it as you matched `ValueError` in chapter 6. The
/// body returns nothing, which in Rust is `Ok(())`; it ends up as
/// `StopIteration(Some(()))`, pygen's spelling of a bare `StopIteration`
/// from a generator that returned `None`.
pub fn defiant(
    log: Log,
) -> impl Coroutine<Resume<()>, Yield = &'static str, Return = Result<(), Exception>> + Unpin {
    let _ = log;
    todo!("chapter 7: defiant()");
    #[allow(unreachable_code)]
    Unsolved::body()
}
