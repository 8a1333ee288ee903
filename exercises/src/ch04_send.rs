//! Chapter 4, `send` and priming: values going *into* a generator.

use std::convert::Infallible;

use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Unsolved;

/// `averager()`, as a nightly `#[coroutine]` closure: sent numbers, it
/// yields the running mean.
///
/// ```python
/// def averager():
///     total = 0.0
///     count = 0
///     average = None
///     while True:
///         value = yield average
///         total += value
///         count += 1
///         average = total / count
/// ```
///
/// `value = yield average` is the whole point of `send`: the `yield`
/// *expression* evaluates to what the caller sends. In a nightly coroutine
/// it is the same: `let value = (yield average)?;` gives you the
/// [`Resume<f64>`] the caller resumed with, after the `?` has let a
/// thrown exception propagate. What is left is an `Option<f64>`:
/// `Some(v)` for `send(v)`, `None` for `next()` (that is, `send(None)`).
///
/// Python cannot add `None` to a float: `g.send(None)` after the start
/// raises `TypeError` out of `total += value`, and the generator is
/// finished. Do the same: for `None`, `return Err(Exception::TypeError)`.
///
/// The shape, as in `crates/nightly/src/running_sum.rs`:
///
/// ```ignore
/// pygen_nightly::Body(
///     #[coroutine]
///     |_first: Resume<f64>| {
///         // your locals, then loop { ... }
///     },
/// )
/// ```
///
/// `_first` receives the value of the very first resume, which is always
/// `None`: `Generator` refuses a first `send(v)` with `TypeError` before
/// your body ever sees it ("can't send non-None value to a just-started
/// generator"). That is why a consumer like this must be *primed* with
/// one `next()` first.
pub fn averager()
-> impl Coroutine<Resume<f64>, Yield = Option<f64>, Return = Result<Infallible, Exception>> + Unpin
{
    todo!("chapter 4: averager()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `averaged(values)`: drive [`averager`] with `send`, and answer the last
/// average.
///
/// ```python
/// def averaged(values):
///     g = averager()
///     next(g)
///     average = None
///     for value in values:
///         average = g.send(value)
///     return average
/// ```
///
/// Prime it (either `let mut g = Generator::new(averager()); g.next()`, or
/// `Generator::primed(averager())`, which is Beazley's `@coroutine`
/// decorator), then `send` each value. `averager` never fails for a
/// number, so `.expect("...")` on each `send` is honest here; say in the
/// message why it cannot fail.
pub fn averaged(values: &[f64]) -> Option<f64> {
    let _ = values;
    todo!("chapter 4: averaged()")
}
