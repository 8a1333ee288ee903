//! [`finally`]: Python's `finally:` block as a Rust guard.

/// Python's `finally:` block, as a Rust guard: the closure runs when the
/// guard is dropped, whichever way the body ends — by returning, by an
/// exception propagating out with `?`, or by the suspended body being
/// dropped.
///
/// ```
/// use pygen_protocol::finally;
/// use std::cell::Cell;
///
/// let cleaned = Cell::new(false);
/// {
///     let _finally = finally(|| cleaned.set(true));
/// }
/// assert!(cleaned.get());
/// ```
// ANCHOR: finally
pub fn finally<F: FnOnce()>(block: F) -> Finally<F> {
    Finally(Some(block))
}

/// The guard made by [`finally`].
#[must_use = "the block runs when the guard is dropped: bind it to a named variable"]
pub struct Finally<F: FnOnce()>(Option<F>);

impl<F: FnOnce()> Drop for Finally<F> {
    fn drop(&mut self) {
        if let Some(block) = self.0.take() {
            block();
        }
    }
}
// ANCHOR_END: finally

impl<F: FnOnce()> std::fmt::Debug for Finally<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finally")
            .field("pending", &self.0.is_some())
            .finish()
    }
}
