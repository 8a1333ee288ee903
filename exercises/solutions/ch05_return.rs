//! Chapter 5, `return` and `StopIteration`. (Worked solution.)

use genawaiter::rc::{Co, Gen};
use pygen_genawaiter::Body;
use pygen_protocol::{Coroutine, Exception, Generator, Raised, Resume};

/// `collector()`, with genawaiter.
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
pub fn collector()
-> impl Coroutine<Resume<String>, Yield = usize, Return = Result<Vec<String>, Exception>> + Unpin {
    Body(Gen::new(|co: Co<usize, Resume<String>>| async move {
        // items = []
        let mut items = Vec::new();
        // while True:
        loop {
            // item = yield len(items)
            // if item is None:
            //     return items
            let Some(item) = co.yield_(items.len()).await? else {
                return Ok(items);
            };
            // items.append(item)
            items.push(item);
        }
    }))
}

/// `drain(g)`: run any generator to its end.
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
#[allow(clippy::type_complexity)]
pub fn drain<G, S, R>(g: &mut Generator<G, S>) -> Result<(Vec<G::Yield>, Option<R>), Exception>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    // values = []
    let mut values = Vec::new();
    // while True:
    loop {
        match g.next() {
            // values.append(next(g))
            Ok(value) => values.push(value),
            // except StopIteration as stop:
            //     return values, stop.value
            Err(Raised::StopIteration(returned)) => return Ok((values, returned)),
            // any other exception propagates
            Err(Raised::Exception(exception)) => return Err(exception),
        }
    }
}
