//! Chapter 15: PEP 479. Each expectation is what CPython 3.11 does (see
//! `exercises/python/expected.py`).

use pygen_exercises::ch15_pep479::countdown_pairs;
use pygen_protocol::{Exception, Generator, GeneratorState, Raised};

// g = countdown_pairs(); next(g) == (3, 2)
// next(g)  -> RuntimeError: generator raised StopIteration
// next(g)  -> StopIteration: the generator is finished
#[test]
fn an_escaping_stop_iteration_is_runtime_error() {
    let mut g = Generator::new(countdown_pairs());
    assert_eq!(g.next(), Ok((3, 2)));
    let Err(Raised::Exception(e)) = g.next() else {
        panic!("RuntimeError");
    };
    assert_eq!(
        e.to_string(),
        "RuntimeError: generator raised StopIteration"
    );
    // raise RuntimeError(...) from StopIteration(): the cause is kept
    assert_eq!(e.cause(), Some(Exception::StopIteration));
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}

// g = countdown_pairs(); next(g) == (3, 2); g.throw(ValueError) -> ValueError
#[test]
fn a_thrown_exception_propagates() {
    let mut g = Generator::new(countdown_pairs());
    assert_eq!(g.next(), Ok((3, 2)));
    assert_eq!(
        g.throw(Exception::ValueError),
        Err(Raised::Exception(Exception::ValueError))
    );
    assert_eq!(g.state(), GeneratorState::Closed);
}

// g = countdown_pairs(); next(g) == (3, 2); g.close() is None
#[test]
fn close_ends_it() {
    let mut g = Generator::new(countdown_pairs());
    assert_eq!(g.next(), Ok((3, 2)));
    assert_eq!(g.close(), Ok(()));
    assert_eq!(g.state(), GeneratorState::Closed);
}
