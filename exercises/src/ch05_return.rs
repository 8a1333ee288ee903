//! Chapter 5, `return` and `StopIteration`: how a generator hands back a
//! result when it is done.

use pygen_protocol::{Coroutine, Exception, Generator, Resume};

use crate::Unsolved;

/// `collector()`: sent strings, it yields how many it holds; sent `None`,
/// it returns them all.
///
/// ```python
/// def collector():
///     items = []
///     while True:
///         item = yield len(items)
///         if item is None:
///             return items
///         items.append(item)
/// ```
///
/// In Python, `return items` inside a generator does not hand `items` to
/// whoever called `next` or `send`: it raises `StopIteration`, with `items`
/// as its `value`. `pygen_protocol::Generator` answers the same way:
/// `Err(Raised::StopIteration(Some(items)))`. Your body only has to return
/// `Ok(items)`; the wrapper turns that into the `StopIteration`.
///
/// Write it with either backend. With genawaiter (stable Rust), the body
/// is `Body(Gen::new(|co: Co<usize, Resume<String>>| async move { ... }))`
/// and `item = yield len(items)` is
/// `let item = co.yield_(items.len()).await?;`. With nightly, it is a
/// `#[coroutine]` closure and `(yield items.len())?`. Either way, `item`
/// is an `Option<String>`, and `let Some(item) = item else { return Ok(items) };`
/// reads like the Python.
pub fn collector()
-> impl Coroutine<Resume<String>, Yield = usize, Return = Result<Vec<String>, Exception>> + Unpin {
    todo!("chapter 5: collector()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `drain(g)`: run any generator to its end, keeping what it yields *and*
/// what it returns.
///
/// ```python
/// def drain(g):
///     values = []
///     try:
///         while True:
///             values.append(next(g))
///     except StopIteration as stop:
///         return values, stop.value
/// ```
///
/// A Python `for` loop swallows the `StopIteration`, and its value with
/// it; here you catch it yourself. `g.next()` answers one of three things:
///
/// * `Ok(value)`: keep it and go round again;
/// * `Err(Raised::StopIteration(value))`: done; `value` is the return value
///   (`None` when the generator had finished before this call: a bare
///   `StopIteration`, as Python gives for every call after the end);
/// * `Err(Raised::Exception(e))`: the body raised; pass `e` on.
///
/// `loop` plus `match` is the whole function.
#[allow(clippy::type_complexity)]
pub fn drain<G, S, R>(g: &mut Generator<G, S>) -> Result<(Vec<G::Yield>, Option<R>), Exception>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    let _ = g;
    todo!("chapter 5: drain()")
}
