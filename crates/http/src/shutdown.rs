//! [`Shutdown`]: a handle that stops a running server, from any thread.
//!
//! A server's event loops spend their time blocked in `epoll_wait`, so
//! setting a flag is not enough: each loop also registers a
//! [`mio::Waker`] here, and triggering the shutdown wakes them all. A
//! loop that wakes up and sees the flag stops accepting, lets its
//! in-flight responses finish, and returns.
//!
//! `pygen serve` triggers it from SIGINT and SIGTERM (see [`run`](crate::run));
//! tests trigger it by hand when they are done with a server.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use mio::Waker;
use tracing::debug;

/// How far a shutdown has gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    /// Serving.
    Running,
    /// Stop accepting; finish in-flight responses; then return.
    Graceful,
    /// Drop every connection now and return.
    Immediate,
}

/// A cloneable handle that stops the server it was taken from.
///
/// ```
/// use pygen_http::Shutdown;
///
/// let shutdown = Shutdown::new();
/// assert!(!shutdown.is_triggered());
/// shutdown.clone().trigger();
/// assert!(shutdown.is_triggered());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Shutdown {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// A [`Level`], as a number so it can be shared without a lock.
    level: AtomicU8,
    /// One per event loop, to wake it from `poll`.
    wakers: Mutex<Vec<Arc<Waker>>>,
}

impl Shutdown {
    /// A handle for a server that has not been asked to stop.
    pub fn new() -> Shutdown {
        Shutdown::default()
    }

    /// Ask the server to stop: gracefully the first time (no new
    /// connections; responses in flight are finished, within
    /// [`Config::shutdown_timeout`](crate::Config::shutdown_timeout)), and
    /// at once the second time (every connection dropped).
    pub fn trigger(&self) {
        let step = |level: u8| Some((level + 1).min(Level::Immediate as u8));
        // `step` always returns Some, so this cannot fail.
        let _ = self
            .inner
            .level
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, step);
        let wakers = self
            .inner
            .wakers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for waker in wakers.iter() {
            if let Err(error) = waker.wake() {
                debug!(%error, "could not wake an event loop");
            }
        }
    }

    /// Whether [`trigger`](Shutdown::trigger) has been called.
    pub fn is_triggered(&self) -> bool {
        self.level() != Level::Running
    }

    /// How far the shutdown has gone.
    pub(crate) fn level(&self) -> Level {
        match self.inner.level.load(Ordering::SeqCst) {
            0 => Level::Running,
            1 => Level::Graceful,
            _ => Level::Immediate,
        }
    }

    /// Have `waker` woken when the shutdown is triggered. The loop checks
    /// the level after registering, so a trigger that came first is not
    /// missed.
    pub(crate) fn register(&self, waker: Arc<Waker>) {
        self.inner
            .wakers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(waker);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_trigger_escalates() {
        let shutdown = Shutdown::new();
        assert_eq!(shutdown.level(), Level::Running);
        shutdown.trigger();
        assert_eq!(shutdown.level(), Level::Graceful);
        shutdown.trigger();
        shutdown.trigger();
        assert_eq!(shutdown.level(), Level::Immediate);
    }
}
