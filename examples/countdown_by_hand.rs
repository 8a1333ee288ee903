//! `countdown()` by hand: the state machine a compiler makes from a
//! generator, written out as an enum, and driven through pygen's
//! `Generator` like any backend's body.
//!
//! ```text
//! cargo run --example countdown_by_hand
//! ```
//!
//! The Python it mirrors:
//!
//! ```python
//! def countdown():
//!     n = 3
//!     while n > 0:
//!         yield n
//!         n -= 1
//!     return 'liftoff'
//! ```

use std::mem::size_of_val;
use std::pin::Pin;

use num_bigint::BigInt;
use pygen_demos::{Log, Op, transcript};
use pygen_protocol::{Coroutine, CoroutineState, Exception, Generator, Resume};

// ANCHOR: machine
/// One variant per place the body can be: before its first line, paused
/// at its one `yield` (holding `n`, the only local alive across it), or
/// finished. This is the shape the compiler gives a `#[coroutine]`
/// closure or an `async` block: an enum whose variants are the suspension
/// points, each holding the locals that live across it.
enum Countdown {
    /// `GEN_CREATED`: none of the body has run.
    Start,
    /// `GEN_SUSPENDED` at `yield n`.
    Suspend0 { n: u32 },
    /// `GEN_CLOSED`: returned or raised.
    Done,
}

/// Values sent in are ignored, as `countdown()` ignores them: any type `S`.
impl<S> Coroutine<Resume<S>> for Countdown {
    type Yield = u32;
    type Return = Result<&'static str, Exception>;

    /// Run from where the body is to its next `yield` (or its end).
    fn resume(mut self: Pin<&mut Self>, arg: Resume<S>) -> CoroutineState<u32, Self::Return> {
        let n = match (&*self, arg) {
            // n = 3, then into the loop's test
            (Countdown::Start, _) => 3,
            // an exception thrown in at `yield n`: nothing catches it
            (Countdown::Suspend0 { .. }, Err(exception)) => {
                *self = Countdown::Done;
                return CoroutineState::Complete(Err(exception));
            }
            // back from `yield n`: n -= 1
            (Countdown::Suspend0 { n }, Ok(_)) => n - 1,
            (Countdown::Done, _) => unreachable!("Generator never resumes a finished body"),
        };
        // while n > 0: yield n
        if n > 0 {
            *self = Countdown::Suspend0 { n };
            CoroutineState::Yielded(n)
        } else {
            // return 'liftoff'
            *self = Countdown::Done;
            CoroutineState::Complete(Ok("liftoff"))
        }
    }
}
// ANCHOR_END: machine

fn main() {
    // ANCHOR: drive
    let mut g: Generator<Countdown, ()> = Generator::new(Countdown::Start);
    println!("{:?}", g.state());
    while let Ok(n) = g.next() {
        println!("yield {n}: {:?}", g.state());
    }
    println!("{:?}", g.state());
    // ANCHOR_END: drive

    // The same ops through the transcript printer the tests use.
    let ops: Vec<Op> = ["next", "throw ValueError", "next"]
        .iter()
        .map(|op| op.parse().expect("a valid op"))
        .collect();
    let mut g: Generator<Countdown, BigInt> = Generator::new(Countdown::Start);
    for line in transcript(&mut g, &Log::new(), &ops) {
        println!("{line}");
    }

    // ANCHOR: sizes
    // What each way keeps for a suspended countdown(), in bytes.
    let sizes = [
        ("by hand (enum)", size_of_val(&Countdown::Start)),
        (
            "nightly #[coroutine]",
            size_of_val(&pygen_nightly::countdown::<()>()),
        ),
        (
            "genawaiter (rc)",
            size_of_val(&pygen_genawaiter::countdown::<()>()),
        ),
        (
            "async-stream",
            size_of_val(&pygen_async_stream::countdown::<()>()),
        ),
    ];
    for (way, bytes) in sizes {
        println!("{way:<21} {bytes:>2} bytes");
    }
    // ANCHOR_END: sizes
}
