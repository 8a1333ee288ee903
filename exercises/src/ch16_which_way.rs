//! Which way to pick: the same protocol, and the way each generator needs.
//!
//! A generator that is only pulled needs none of `send`, `throw` or a
//! return value: on nightly a `gen` block is the shortest way to write it,
//! and it is an `Iterator` already. A generator that is sent values needs
//! a way that can resume with one: a `#[coroutine]` closure in pygen's
//! `Body` (or genawaiter on stable).

use std::convert::Infallible;

use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Unsolved;

/// `countdown_from(n)`: only pulled, so a `gen` block.
///
/// ```python
/// def countdown_from(n):
///     while n > 0:
///         yield n
///         n -= 1
/// ```
///
/// `gen { ... }` with `yield n;` inside makes an `impl Iterator`; `move`
/// it, so that the block owns its `n`. It cannot be sent anything (its
/// `yield` is `()`), and that is all this generator needs.
pub fn countdown_from(n: u64) -> impl Iterator<Item = u64> {
    let _ = n;
    todo!("chapter 16: countdown_from()");
    #[allow(unreachable_code)]
    std::iter::empty()
}

/// `tally()`: sent values, so a way that can resume with one, a nightly
/// `#[coroutine]` in `pygen_nightly::Body`.
///
/// ```python
/// def tally():
///     seen = 0
///     while True:
///         word = yield seen
///         if word is not None:
///             seen += 1
/// ```
///
/// `let word = (yield seen)?;`: `?` lets a thrown exception (and
/// `close()`'s `GeneratorExit`) out, as Python does when nothing catches
/// it. The words are `String`s.
pub fn tally()
-> impl Coroutine<Resume<String>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    todo!("chapter 16: tally()");
    #[allow(unreachable_code)]
    Unsolved::body()
}
