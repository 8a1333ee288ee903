//! Chapter 3, `next` and laziness. (Worked solution.)

use std::convert::Infallible;

use genawaiter::rc::{Co, Gen};
use pygen_demos::Log;
use pygen_genawaiter::Body;
use pygen_protocol::{Coroutine, Exception, Generator, Raised, Resume};

/// `squares()`, with genawaiter, logging each step.
///
/// ```python
/// def squares():
///     n = 0
///     while True:
///         log(f'computing {n}')
///         yield n * n
///         n += 1
/// ```
pub fn squares<S>(
    log: Log,
) -> impl Coroutine<Resume<S>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    Body(Gen::new(move |co: Co<u64, Resume<S>>| async move {
        // n = 0
        let mut n = 0;
        // while True:
        loop {
            // log(f'computing {n}')
            log.write(&format!("computing {n}"));
            // yield n * n
            co.yield_(n * n).await?;
            // n += 1
            n += 1;
        }
    }))
}

/// `triangular()`, as a nightly `gen` block.
///
/// ```python
/// def triangular():
///     total, n = 0, 0
///     while True:
///         n += 1
///         total += n
///         yield total
/// ```
pub fn triangular() -> impl Iterator<Item = u64> {
    gen {
        // total, n = 0, 0
        let (mut total, mut n) = (0, 0);
        // while True:
        loop {
            // n += 1
            n += 1;
            // total += n
            total += n;
            // yield total
            yield total;
        }
    }
}

/// `take(g, n)`: `list(itertools.islice(g, n))`.
///
/// ```python
/// def take(g, n):
///     return list(islice(g, n))
/// ```
pub fn take<G, S, R>(g: &mut Generator<G, S>, n: usize) -> Result<Vec<G::Yield>, Exception>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    let mut values = Vec::with_capacity(n);
    for _ in 0..n {
        match g.next() {
            Ok(value) => values.push(value),
            // the generator ended: islice stops quietly
            Err(Raised::StopIteration(_)) => break,
            // anything else propagates out of list(...)
            Err(Raised::Exception(exception)) => return Err(exception),
        }
    }
    Ok(values)
}
