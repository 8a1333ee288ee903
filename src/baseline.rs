//! Hand-written baselines: what a Rust programmer writes without any
//! generator library, so that every backend's cost can be quoted as a
//! ratio to it.
//!
//! Each is the state machine a compiler makes from the Python generator,
//! written out by hand: the fields are the generator's live locals, and
//! each method runs from one `yield` to the next.

use pygen_protocol::Exception;

// ANCHOR: fibonacci
/// `fibonacci()` over `u64`, ending after F(93), as an `Iterator`.
#[derive(Clone, Debug)]
pub struct FibonacciU64 {
    a: u64,
    b: u64,
    state: FibonacciState,
}

/// Where a [`FibonacciU64`] is in its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FibonacciState {
    /// `a` and `b` both hold values.
    Running,
    /// `a + b` no longer fits: `a` is the last value.
    Last,
    /// Every value has been handed out.
    Done,
}

impl FibonacciU64 {
    /// A new run from F(0).
    pub fn new() -> FibonacciU64 {
        FibonacciU64 {
            a: 0,
            b: 1,
            state: FibonacciState::Running,
        }
    }
}

impl Default for FibonacciU64 {
    fn default() -> Self {
        FibonacciU64::new()
    }
}

impl Iterator for FibonacciU64 {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        let value = self.a;
        match self.state {
            // yield a; a, b = b, a + b
            FibonacciState::Running => {
                match self.a.checked_add(self.b) {
                    Some(sum) => (self.a, self.b) = (self.b, sum),
                    None => (self.a, self.state) = (self.b, FibonacciState::Last),
                }
                Some(value)
            }
            FibonacciState::Last => {
                self.state = FibonacciState::Done;
                Some(value)
            }
            FibonacciState::Done => None,
        }
    }
}
// ANCHOR_END: fibonacci

/// `running_sum()` by hand, as a generator object: `send(Some(x))` adds
/// `x` and answers the total; `send(None)` answers the total as the return
/// value and finishes it; after that, or after `close`, every send answers
/// `Err(None)`, Python's bare `StopIteration`.
#[derive(Clone, Debug, Default)]
pub struct RunningSum {
    total: i64,
    finished: bool,
}

impl RunningSum {
    /// `g.send(x)`: `Ok(total)` for a yield, `Err(Some(total))` for the
    /// return, `Err(None)` once finished.
    #[inline]
    pub fn send(&mut self, x: Option<i64>) -> Result<i64, Option<i64>> {
        if self.finished {
            return Err(None);
        }
        match x {
            Some(x) => {
                self.total += x;
                Ok(self.total)
            }
            None => {
                self.finished = true;
                Err(Some(self.total))
            }
        }
    }

    /// `g.close()`: nothing to clean up, so only the state changes.
    #[inline]
    pub fn close(&mut self) {
        self.finished = true;
    }

    /// Whether it has returned or been closed.
    pub fn is_finished(&self) -> bool {
        self.finished
    }
}

/// `guarded()` by hand: two states, `'waiting'` and `'recovered'`, and the
/// cleanup counted instead of logged.
#[derive(Clone, Debug, Default)]
pub struct Guarded {
    recovered: bool,
    finished: bool,
    /// How many times the `finally` block ran.
    pub cleanups: u64,
}

impl Guarded {
    /// `next(g)`; Python's name, as on `pygen_protocol::Generator`.
    #[inline]
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<&'static str> {
        if self.finished {
            return None;
        }
        self.recovered = false;
        Some("waiting")
    }

    /// `g.throw(e)`: a `ValueError` at `'waiting'` is caught; anything
    /// else ends the generator with its cleanup.
    #[inline]
    pub fn throw(&mut self, e: Exception) -> Result<&'static str, Exception> {
        if !self.finished && !self.recovered && e == Exception::ValueError {
            self.recovered = true;
            return Ok("recovered");
        }
        self.close_with(e)
    }

    /// `g.close()`.
    #[inline]
    pub fn close(&mut self) {
        let _ = self.close_with(Exception::GeneratorExit);
    }

    fn close_with(&mut self, e: Exception) -> Result<&'static str, Exception> {
        if !self.finished {
            self.finished = true;
            self.cleanups += 1;
        }
        Err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fibonacci_u64_ends_after_f93() {
        let values: Vec<u64> = FibonacciU64::new().collect();
        assert_eq!(values.len(), 94);
        assert_eq!(values[..6], [0, 1, 1, 2, 3, 5]);
        assert_eq!(values[93], 12_200_160_415_121_876_738);
    }

    #[test]
    fn running_sum_adds_and_returns() {
        let mut g = RunningSum::default();
        assert_eq!(g.send(Some(2)), Ok(2));
        assert_eq!(g.send(Some(3)), Ok(5));
        assert_eq!(g.send(None), Err(Some(5)));
        assert_eq!(g.send(Some(1)), Err(None));
    }

    #[test]
    fn guarded_recovers_once_then_propagates() {
        let mut g = Guarded::default();
        assert_eq!(g.next(), Some("waiting"));
        assert_eq!(g.throw(Exception::ValueError), Ok("recovered"));
        assert_eq!(g.throw(Exception::ValueError), Err(Exception::ValueError));
        assert_eq!(g.cleanups, 1);
        assert_eq!(g.next(), None);
    }
}
