//! Chapter 3: laziness. Each expectation is what CPython 3.11 does (see
//! `exercises/python/expected.py`).

use pygen_demos::Log;
use pygen_exercises::ch03_next::{squares, take, triangular};
use pygen_protocol::{Generator, GeneratorState};

// g = squares()          # LOG == []
// next(g) == 0           # LOG == ['computing 0']
// next(g) == 1           # LOG == ['computing 1']
// take(g, 3) == [4, 9, 16]
//                        # LOG == ['computing 2', 'computing 3', 'computing 4']
#[test]
fn squares_computes_only_when_asked() {
    let log = Log::new();
    let mut g: Generator<_, ()> = Generator::new(squares(log.clone()));
    assert!(log.take().is_empty(), "calling squares() runs none of it");
    assert_eq!(g.next(), Ok(0));
    assert_eq!(log.take(), ["computing 0"]);
    assert_eq!(g.next(), Ok(1));
    assert_eq!(log.take(), ["computing 1"]);
    assert_eq!(take(&mut g, 3), Ok(vec![4, 9, 16]));
    assert_eq!(log.take(), ["computing 2", "computing 3", "computing 4"]);
    assert_eq!(g.state(), GeneratorState::Suspended);
}

// g = squares(); take(g, 0) == []
// inspect.getgeneratorstate(g) == 'GEN_CREATED'; LOG == []
#[test]
fn taking_none_starts_nothing() {
    let log = Log::new();
    let mut g: Generator<_, ()> = Generator::new(squares(log.clone()));
    assert_eq!(take(&mut g, 0), Ok(vec![]));
    assert_eq!(g.state(), GeneratorState::Created);
    assert!(log.take().is_empty());
}

// g = countdown(); take(g, 5) == [3, 2, 1]   (islice stops at StopIteration)
#[test]
fn take_stops_quietly_at_the_end() {
    let mut g: Generator<_, ()> = Generator::new(pygen_nightly::countdown());
    assert_eq!(take(&mut g, 5), Ok(vec![3, 2, 1]));
    assert_eq!(g.state(), GeneratorState::Closed);
}

// take(triangular(), 6) == [1, 3, 6, 10, 15, 21]
#[test]
fn triangular_numbers_from_a_gen_block() {
    let first: Vec<u64> = triangular().take(6).collect();
    assert_eq!(first, [1, 3, 6, 10, 15, 21]);
}
