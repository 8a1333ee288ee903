//! `yield v` as a statement, whose value the body does not use, must not
//! swallow a `throw` or a `close`. Inside `stream!` a `yield` evaluates to
//! `()`, so nothing can warn about it; instead the adapter raises an
//! exception the body never looked at (no `resumed!` or `raise_thrown!`
//! after the `yield`) at the body's next `yield`, or at its end.

use pygen_protocol::async_stream::{Body, Co, finish, stream};
use pygen_protocol::{Coroutine, Exception, Generator, GeneratorState, Raised, Resume};

// def ticks():
//     yield 1
//     yield 2
fn ticks() -> impl Coroutine<Resume<()>, Yield = u32, Return = Result<(), Exception>> {
    Body::new(|co: Co<Resume<()>, ()>| {
        stream! {
            yield 1;
            yield 2;
            finish!(co, Ok(()));
        }
    })
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
fn throw_at_the_last_yield_statement_propagates_at_the_end() {
    let mut g = Generator::new(ticks());
    assert_eq!(g.next(), Ok(1));
    assert_eq!(g.next(), Ok(2));
    assert_eq!(
        g.throw(Exception::ValueError),
        Err(Raised::Exception(Exception::ValueError))
    );
}

#[test]
fn close_at_a_yield_statement_closes() {
    let mut g = Generator::new(ticks());
    assert_eq!(g.next(), Ok(1));
    assert_eq!(g.close(), Ok(()));
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}
