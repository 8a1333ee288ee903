//! `yield v` as a statement, whose value the body does not use, must not
//! swallow a `throw` or a `close`. In nightly a `yield` evaluates to the
//! `Resume`, a `Result`: dropping it is the `unused_must_use` warning, which
//! CI denies (`tests/ui/ignored_resume_value.rs` shows it), and the
//! statement is written `(yield v)?;`, which lets the exception propagate.

#![feature(coroutines)]

use pygen_protocol::nightly::Body;
use pygen_protocol::{Coroutine, Exception, Generator, GeneratorState, Raised, Resume};

// def ticks():
//     yield 1
//     yield 2
fn ticks() -> impl Coroutine<Resume<()>, Yield = u32, Return = Result<(), Exception>> {
    Body(
        #[coroutine]
        |_first: Resume<()>| {
            (yield 1)?;
            (yield 2)?;
            Ok(())
        },
    )
}

#[test]
fn throw_at_a_yield_statement_propagates() {
    let mut g = Generator::new(ticks());
    assert_eq!(g.next(), Ok(1));
    assert_eq!(
        g.throw(Exception::KeyError),
        Err(Raised::Exception(Exception::KeyError))
    );
    assert_eq!(g.state(), GeneratorState::Closed);
}

#[test]
fn close_at_a_yield_statement_closes() {
    let mut g = Generator::new(ticks());
    assert_eq!(g.next(), Ok(1));
    assert_eq!(g.close(), Ok(()));
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}
