//! [`Runs`]: how many python3 runs the tutor has going at once.
//!
//! Each `/api/run` runs python3 on a thread of its own, for up to its
//! deadline. Without a bound, a page (or anyone) asking faster than runs
//! finish would pile up threads and processes; so at most [`MAX_RUNS`]
//! go at once, and a request past that is answered `503 Service
//! Unavailable` with `Retry-After: 1` at once, rather than queued: a
//! queue would need a deadline of its own, and the page simply asks
//! again. A counting semaphore, taken with a compare-and-swap so that no
//! request ever waits for a lock on the event loop's thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most python3 runs at once: a learner's page makes one at a time,
/// and four hung runs still leave the machine's cores to the rest.
pub const MAX_RUNS: usize = 4;

/// The count of runs going, shared by every connection.
#[derive(Debug, Default)]
pub struct Runs {
    going: AtomicUsize,
}

/// One run's place; given back when dropped, however the run ends.
#[derive(Debug)]
pub struct RunPermit {
    runs: Arc<Runs>,
}

impl Runs {
    /// A place for one more run, or `None` if [`MAX_RUNS`] are going.
    pub fn try_start(self: &Arc<Runs>) -> Option<RunPermit> {
        self.going
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |going| {
                (going < MAX_RUNS).then_some(going + 1)
            })
            .ok()?;
        Some(RunPermit { runs: self.clone() })
    }

    /// How many runs are going.
    pub fn going(&self) -> usize {
        self.going.load(Ordering::Acquire)
    }
}

impl Drop for RunPermit {
    fn drop(&mut self) {
        self.runs.going.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_limit_there_is_no_place_until_one_is_given_back() {
        let runs = Arc::new(Runs::default());
        let mut permits: Vec<RunPermit> = (0..MAX_RUNS)
            .map(|_| runs.try_start().expect("a place"))
            .collect();
        assert!(runs.try_start().is_none());
        permits.pop();
        assert_eq!(runs.going(), MAX_RUNS - 1);
        assert!(runs.try_start().is_some());
    }
}
