//! Chapter 2, a generator by hand: the state machine behind `yield`,
//! written out as an enum. (Worked solution.)

use std::pin::Pin;

use pygen_protocol::{Coroutine, CoroutineState, Exception, Resume};

/// `ping_pong(rounds)`, written by hand as the compiler would write it.
///
/// ```python
/// def ping_pong(rounds):
///     for i in range(rounds):
///         yield 'ping'
///         yield 'pong'
///     return rounds
/// ```
#[derive(Debug)]
pub enum PingPong {
    /// Not started: only the argument exists.
    Start {
        /// `rounds`, the argument.
        rounds: u32,
    },
    /// Paused at `yield 'ping'` in round `i` (counting from 0).
    Pinged {
        /// The loop variable.
        i: u32,
        /// The argument, still needed for the loop test and the return.
        rounds: u32,
    },
    /// Paused at `yield 'pong'` in round `i`.
    Ponged {
        /// The loop variable.
        i: u32,
        /// The argument.
        rounds: u32,
    },
    /// Finished.
    Done,
}

impl PingPong {
    /// `ping_pong(rounds)`: runs nothing, only makes the machine.
    pub fn new(rounds: u32) -> PingPong {
        PingPong::Start { rounds }
    }
}

impl<S> Coroutine<Resume<S>> for PingPong {
    type Yield = &'static str;
    type Return = Result<u32, Exception>;

    fn resume(
        mut self: Pin<&mut Self>,
        arg: Resume<S>,
    ) -> CoroutineState<&'static str, Self::Return> {
        // Where the body goes next: the loop test of round `i`, or the
        // `yield 'pong'` of round `i`.
        let (i, rounds, at_pong) = match (&*self, arg) {
            // An exception thrown in at either `yield`: nothing catches it.
            (PingPong::Pinged { .. } | PingPong::Ponged { .. }, Err(exception)) => {
                *self = PingPong::Done;
                return CoroutineState::Complete(Err(exception));
            }
            // for i in range(rounds):   (the first test, i = 0)
            (&PingPong::Start { rounds }, _) => (0, rounds, false),
            // back from yield 'ping': on to yield 'pong'
            (&PingPong::Pinged { i, rounds }, Ok(_)) => (i, rounds, true),
            // back from yield 'pong': the loop test for the next round
            (&PingPong::Ponged { i, rounds }, Ok(_)) => (i + 1, rounds, false),
            (PingPong::Done, _) => unreachable!("Generator never resumes a finished body"),
        };
        if at_pong {
            // yield 'pong'
            *self = PingPong::Ponged { i, rounds };
            CoroutineState::Yielded("pong")
        } else if i < rounds {
            // yield 'ping'
            *self = PingPong::Pinged { i, rounds };
            CoroutineState::Yielded("ping")
        } else {
            // return rounds
            *self = PingPong::Done;
            CoroutineState::Complete(Ok(rounds))
        }
    }
}
