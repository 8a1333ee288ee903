//! Chapter 2: `PingPong`, the hand-written state machine, driven by
//! Python's rules. Every expectation is what CPython 3.11 does with
//! `ping_pong` (see `exercises/python/expected.py`).

use pygen_exercises::ch02_by_hand::PingPong;
use pygen_protocol::{Exception, Generator, GeneratorState, Raised};

// g = ping_pong(2)
// [next(g) for _ in range(4)] == ['ping', 'pong', 'ping', 'pong']
// next(g)  -> StopIteration(2);  next(g) -> StopIteration
#[test]
fn two_rounds_then_return_the_count() {
    let mut g: Generator<_, ()> = Generator::new(PingPong::new(2));
    assert_eq!(g.state(), GeneratorState::Created);
    for expected in ["ping", "pong", "ping", "pong"] {
        assert_eq!(g.next(), Ok(expected));
    }
    assert_eq!(g.state(), GeneratorState::Suspended);
    assert_eq!(g.next(), Err(Raised::StopIteration(Some(2))));
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}

// next(ping_pong(0))  -> StopIteration(0): the loop never runs
#[test]
fn zero_rounds_return_at_once() {
    let mut g: Generator<_, ()> = Generator::new(PingPong::new(0));
    assert_eq!(g.next(), Err(Raised::StopIteration(Some(0))));
}

// g = ping_pong(3); next(g) == 'ping'; g.send('ignored') == 'pong'
// g.throw(ValueError) -> ValueError; next(g) -> StopIteration
#[test]
fn sent_values_are_ignored_and_a_throw_finishes_it() {
    let mut g: Generator<_, &str> = Generator::new(PingPong::new(3));
    assert_eq!(g.next(), Ok("ping"));
    assert_eq!(g.send("ignored"), Ok("pong"));
    assert_eq!(
        g.throw(Exception::ValueError),
        Err(Raised::Exception(Exception::ValueError))
    );
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}

// for word in ping_pong(3): ...   (six words, and the return value kept)
#[test]
fn a_for_loop_sees_every_word() {
    let mut g: Generator<_, ()> = Generator::new(PingPong::new(3));
    let mut words = g.iter();
    let all: Result<Vec<&str>, Exception> = words.by_ref().collect();
    assert_eq!(
        all,
        Ok(vec!["ping", "pong", "ping", "pong", "ping", "pong"])
    );
    assert_eq!(words.return_value(), Some(3));
}
