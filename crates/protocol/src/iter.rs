//! `for value in g`: iteration that loses nothing.
//!
//! Python's `for` calls `next` until the generator raises. `StopIteration`
//! ends the loop quietly; any other exception escapes the loop. A Rust
//! `Iterator` can only answer `Some` or `None`, so the items here are
//! `Result`s: `Ok(value)` for each yielded value, then, if the body raised,
//! one `Err(exception)`, after which the iterator is done. `?` on an item
//! is Python's re-raise, and `collect::<Result<Vec<_>, _>>()` stops at the
//! first exception. The value the body returned, which Python's `for`
//! drops, is kept and can be taken after the loop.

use std::fmt;

use crate::{Coroutine, Exception, Generator, Raised, Resume};

/// `for value in g`, borrowing `g`: made by [`Generator::iter`].
///
/// Because it only borrows, the loop can `break`, and the generator is
/// still there afterwards, suspended, for `send`, `throw` or `close`.
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Iter<'g, G, S, R> {
    generator: &'g mut Generator<G, S>,
    returned: Option<R>,
}

impl<'g, G, S, R> Iter<'g, G, S, R> {
    pub(crate) fn new(generator: &'g mut Generator<G, S>) -> Self {
        Iter {
            generator,
            returned: None,
        }
    }

    /// What the body returned (`StopIteration.value`), once the loop has
    /// run it to its end; `None` before that, after an exception, or when
    /// taken already.
    pub fn return_value(&mut self) -> Option<R> {
        self.returned.take()
    }
}

impl<G, S, R> Iterator for Iter<'_, G, S, R>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    type Item = Result<G::Yield, Exception>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        step(self.generator, &mut self.returned)
    }
}

impl<G, S, R> fmt::Debug for Iter<'_, G, S, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter")
            .field("generator", &self.generator)
            .finish_non_exhaustive()
    }
}

/// `for value in g`, owning `g`: made by `g.into_iter()`.
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct IntoIter<G, S, R> {
    generator: Generator<G, S>,
    returned: Option<R>,
}

impl<G, S, R> IntoIter<G, S, R> {
    /// What the body returned, as [`Iter::return_value`].
    pub fn return_value(&mut self) -> Option<R> {
        self.returned.take()
    }

    /// The generator back, in whatever state the loop left it.
    pub fn into_inner(self) -> Generator<G, S> {
        self.generator
    }
}

impl<G, S, R> Iterator for IntoIter<G, S, R>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    type Item = Result<G::Yield, Exception>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        step(&mut self.generator, &mut self.returned)
    }
}

impl<G, S, R> IntoIterator for Generator<G, S>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    type Item = Result<G::Yield, Exception>;
    type IntoIter = IntoIter<G, S, R>;

    fn into_iter(self) -> IntoIter<G, S, R> {
        IntoIter {
            generator: self,
            returned: None,
        }
    }
}

impl<'g, G, S, R> IntoIterator for &'g mut Generator<G, S>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    type Item = Result<G::Yield, Exception>;
    type IntoIter = Iter<'g, G, S, R>;

    fn into_iter(self) -> Iter<'g, G, S, R> {
        Iter::new(self)
    }
}

impl<G, S, R> fmt::Debug for IntoIter<G, S, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntoIter")
            .field("generator", &self.generator)
            .finish_non_exhaustive()
    }
}

/// One turn of Python's `for`: `next(g)`, with `StopIteration` ending the
/// loop (its value kept) and any other exception handed out once.
#[inline]
fn step<G, S, R>(
    generator: &mut Generator<G, S>,
    returned: &mut Option<R>,
) -> Option<Result<G::Yield, Exception>>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    match generator.next() {
        Ok(value) => Some(Ok(value)),
        Err(Raised::StopIteration(value)) => {
            if value.is_some() {
                *returned = value;
            }
            None
        }
        Err(Raised::Exception(exception)) => Some(Err(exception)),
    }
}
