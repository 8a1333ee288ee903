//! Chapter 16: which way to pick. Each expectation is what CPython 3.11
//! does (see `exercises/python/expected.py`).

use pygen_exercises::ch16_which_way::{countdown_from, tally};
use pygen_protocol::{Exception, Generator, GeneratorState, Raised};

// list(countdown_from(3)) == [3, 2, 1]; list(countdown_from(0)) == []
#[test]
fn countdown_from_is_only_pulled() {
    assert_eq!(countdown_from(3).collect::<Vec<_>>(), [3, 2, 1]);
    assert_eq!(countdown_from(0).count(), 0);
}

// g = countdown_from(10**18); next(g) == 10**18: lazy
#[test]
fn countdown_from_is_lazy() {
    let mut g = countdown_from(1_000_000_000_000_000_000);
    assert_eq!(g.next(), Some(1_000_000_000_000_000_000));
    assert_eq!(g.next(), Some(999_999_999_999_999_999));
}

// g = tally(); next(g) == 0; g.send('a') == 1; g.send(None) == 1;
// g.send('b') == 2
#[test]
fn tally_counts_what_it_is_sent() {
    let mut g = Generator::new(tally());
    assert_eq!(g.next(), Ok(0));
    assert_eq!(g.send("a".to_owned()), Ok(1));
    assert_eq!(g.next(), Ok(1));
    assert_eq!(g.send("b".to_owned()), Ok(2));
}

// g = tally(); next(g); g.throw(KeyError)  -> KeyError, and g is finished
#[test]
fn a_thrown_exception_propagates_and_finishes_it() {
    let mut g = Generator::new(tally());
    g.next().unwrap();
    assert_eq!(
        g.throw(Exception::KeyError),
        Err(Raised::Exception(Exception::KeyError))
    );
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}

// g = tally(); next(g); g.close() is None; state GEN_CLOSED
#[test]
fn close_ends_it_quietly() {
    let mut g = Generator::new(tally());
    g.next().unwrap();
    assert_eq!(g.close(), Ok(()));
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.send("c".to_owned()), Err(Raised::StopIteration(None)));
}
