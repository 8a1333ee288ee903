//! PEP 479: a `StopIteration` that escapes a generator's body becomes
//! `RuntimeError`. (Worked solution.)

use std::convert::Infallible;

use pygen_nightly::Body;
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

/// `countdown_pairs()`: `yield (next(g), next(g))` over `countdown()`.
pub fn countdown_pairs()
-> impl Coroutine<Resume<()>, Yield = (i64, i64), Return = Result<Infallible, Exception>> + Unpin {
    Body(
        #[coroutine]
        |_first: Resume<()>| {
            // g = countdown()
            let mut g: Generator<_, ()> = Generator::new(pygen_nightly::countdown());
            // while True:
            loop {
                // yield (next(g), next(g)): `?` lets the StopIteration of
                // a finished `g` escape, which is RuntimeError (PEP 479)
                let first = g.next()?;
                let second = g.next()?;
                (yield (first, second))?;
            }
        },
    )
}
