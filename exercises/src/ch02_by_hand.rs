//! Chapter 2, a generator by hand: the state machine behind `yield`,
//! written out as an enum.
//!
//! In the chapter, `countdown()` had one `yield`, so its enum had one
//! "paused" variant. This exercise has two `yield`s in its loop, so the
//! machine needs two: one for each place the body can be paused.

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
///
/// Python keeps a paused generator's frame alive: its locals (`rounds`,
/// `i`) and where it stopped. In Rust you keep the same two things in an
/// enum, one variant per place the body can be:
///
/// * [`PingPong::Start`]: created, none of the body has run (Python's
///   `GEN_CREATED`). It only knows its argument.
/// * [`PingPong::Pinged`]: paused at `yield 'ping'`, in round `i`.
/// * [`PingPong::Ponged`]: paused at `yield 'pong'`, in round `i`.
/// * [`PingPong::Done`]: returned or raised (`GEN_CLOSED`).
///
/// Each variant holds exactly the locals that are alive across its
/// `yield`. The variants are given; your job is
/// [`resume`](Coroutine::resume) below.
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
    /// `ping_pong(rounds)`: like calling a generator function, this runs
    /// nothing; it only makes the machine in its `Start` state.
    pub fn new(rounds: u32) -> PingPong {
        PingPong::Start { rounds }
    }
}

/// Values sent in are ignored, as `ping_pong` ignores them (it never looks
/// at what `yield` evaluates to), so any type `S` may be sent.
impl<S> Coroutine<Resume<S>> for PingPong {
    type Yield = &'static str;
    type Return = Result<u32, Exception>;

    /// Run from where the body is paused to its next `yield`, or to its end.
    ///
    /// `arg` is what the paused `yield` evaluates to: `Ok(None)` for
    /// `next(g)`, `Ok(Some(v))` for `g.send(v)`, and `Err(e)` for
    /// `g.throw(e)`. Nothing in `ping_pong` catches exceptions, so an `Err`
    /// means "finish now, raising `e`": answer
    /// `CoroutineState::Complete(Err(e))`.
    ///
    /// What to do, step by step:
    ///
    /// 1. `match` on where you are (`&*self`) and what came in (`arg`).
    /// 2. Work out the next place: from `Start`, round 0 begins (if
    ///    `rounds > 0`); after `'ping'` comes `'pong'` in the same round;
    ///    after `'pong'` comes the loop test for round `i + 1`.
    /// 3. Store the new state with `*self = ...` (write the parameter as
    ///    `mut self: Pin<&mut Self>` to be allowed to; `PingPong` is
    ///    `Unpin`, so `Pin` does not get in the way), and answer
    ///    `CoroutineState::Yielded("ping")` or `Yielded("pong")`, or
    ///    `CoroutineState::Complete(Ok(rounds))` when the loop is over.
    ///
    /// `pygen_protocol::Generator` never resumes a finished body, so the
    /// `Done` case can be `unreachable!()`.
    fn resume(self: Pin<&mut Self>, arg: Resume<S>) -> CoroutineState<&'static str, Self::Return> {
        let _ = (self, arg);
        todo!("chapter 2: PingPong::resume")
    }
}
