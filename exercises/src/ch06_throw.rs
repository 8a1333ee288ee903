//! Chapter 6, `throw`: raising an exception *inside* a paused generator.

use std::convert::Infallible;
use std::fmt;

use pygen_protocol::{Coroutine, Exception, Resume, UserException};

use crate::Unsolved;

/// `tolerant()`, as a nightly `#[coroutine]`: it recovers from a
/// `ValueError` thrown in at `'ready'`.
///
/// ```python
/// def tolerant():
///     while True:
///         try:
///             yield 'ready'
///         except ValueError:
///             yield 'recovered'
/// ```
///
/// `g.throw(ValueError)` makes the paused `yield 'ready'` raise instead of
/// evaluating to a value. In pygen that arrives as the `Err` side of what
/// the `yield` evaluates to, so *catching* is a `match` instead of `?`:
///
/// ```ignore
/// match yield "ready" {
///     Ok(_) => {}                          // next() or send(): go round
///     Err(e) if e.is_instance(&Class::VALUE_ERROR) => { ... } // except ValueError: (use pygen_protocol::Class)
///     Err(other) => return Err(other),     // not caught: propagate
/// }
/// ```
///
/// Inside the `except` block, `yield 'recovered'` is no longer inside the
/// `try`: a second `ValueError` thrown there propagates. `(yield "recovered")?`
/// says exactly that.
pub fn tolerant()
-> impl Coroutine<Resume<()>, Yield = &'static str, Return = Result<Infallible, Exception>> + Unpin
{
    todo!("chapter 6: tolerant()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `class Retry(Exception)`: an exception class of your own, carrying how
/// long to wait.
///
/// ```python
/// class Retry(Exception):
///     def __init__(self, after):
///         super().__init__(f'retry after {after}s')
///         self.after = after
/// ```
///
/// pygen's `Exception` has the built-in classes as variants, and takes
/// any class of yours through `Exception::new(Retry { after: 2 })`, as
/// long as your type implements [`UserException`]. That needs two things:
///
/// * `fmt::Display`, which is Python's `str(e)`: write
///   `retry after {after}s` (below);
/// * [`UserException::class_name`], which is `type(e).__name__`: `"Retry"`.
///
/// `#[derive(Debug)]` is given. Then `Exception::new(Retry { after: 2 })`
/// prints as `Retry: retry after 2s`, like the last line of Python's
/// traceback, and `e.downcast_ref::<Retry>()` gives the payload back, which
/// is Python's `except Retry as e: ... e.after`.
#[derive(Debug)]
pub struct Retry {
    /// Seconds to wait before the next attempt.
    pub after: u64,
}

impl fmt::Display for Retry {
    /// `str(e)`: `retry after 2s`. Use `write!(f, ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!("chapter 6: str(Retry)")
    }
}

impl UserException for Retry {
    /// `type(e).__name__`.
    fn class_name(&self) -> &'static str {
        todo!("chapter 6: Retry's class name")
    }
}

/// `fetcher()`: each [`Retry`] thrown in is another attempt; a plain
/// `next()` means the fetch worked.
///
/// ```python
/// def fetcher():
///     attempt = 1
///     waited = 0
///     while True:
///         try:
///             yield f'attempt {attempt}'
///             return f'fetched after {waited}s'
///         except Retry as e:
///             attempt += 1
///             waited += e.after
/// ```
///
/// Use any backend. `except Retry as e:` is a `match` arm with a guard, or
/// an `if let`: `Err(e) if e.is::<Retry>()`, and then
/// `e.downcast_ref::<Retry>()` to read `after`. Any other exception
/// propagates, as always.
pub fn fetcher()
-> impl Coroutine<Resume<()>, Yield = String, Return = Result<String, Exception>> + Unpin {
    todo!("chapter 6: fetcher()");
    #[allow(unreachable_code)]
    Unsolved::body()
}
