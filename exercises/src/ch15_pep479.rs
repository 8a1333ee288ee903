//! PEP 479: a `StopIteration` that escapes a generator's body becomes
//! `RuntimeError`.

use std::convert::Infallible;

use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Unsolved;

/// `countdown_pairs()`: pairs of `countdown()`'s values, made with two
/// bare `next` calls.
///
/// ```python
/// def countdown_pairs():
///     g = countdown()          # 3, 2, 1, then return 'liftoff'
///     while True:
///         yield (next(g), next(g))
/// ```
///
/// The first `next` of `countdown_pairs()` yields `(3, 2)`. The second
/// gets `1`, then `countdown()` ends and the second `next(g)` raises
/// `StopIteration` inside the body. Since PEP 479, CPython turns it into
/// `RuntimeError`, and the generator is finished.
///
/// How to write it: a nightly body (`pygen_nightly::Body(#[coroutine]
/// |_first: Resume<()>| { ... })`) that makes
/// `Generator::new(pygen_nightly::countdown())` (a
/// `pygen_protocol::Generator<_, ()>`) and calls its `next()` twice per
/// turn of a `loop`, each with `?`. Look at what `?` does with the
/// `Raised::StopIteration` of a finished `countdown()`: the `From`
/// conversion the chapter shows makes it `Exception::StopIteration`, and
/// when that escapes the body the `Generator` turns it into
/// `RuntimeError`, so you write nothing for PEP 479 but the `?`.
pub fn countdown_pairs()
-> impl Coroutine<Resume<()>, Yield = (i64, i64), Return = Result<Infallible, Exception>> + Unpin {
    todo!("chapter 15: countdown_pairs()");
    #[allow(unreachable_code)]
    Unsolved::body()
}
