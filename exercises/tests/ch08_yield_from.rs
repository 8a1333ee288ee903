//! Chapter 8: `yield from`, in both spellings. Each expectation is what
//! CPython 3.11 does (see `exercises/python/expected.py`).

use pygen_exercises::ch08_yield_from::{mission, mission_genawaiter};
use pygen_protocol::{Coroutine, Exception, Generator, GeneratorState, Raised, Resume};

/// The same checks for both spellings of `mission()`.
trait Mission: Coroutine<Resume<i64>, Yield = i64, Return = Result<String, Exception>> + Unpin {}

impl<C> Mission for C where
    C: Coroutine<Resume<i64>, Yield = i64, Return = Result<String, Exception>> + Unpin
{
}

// g = mission()
// next(g) == 3; next(g) == 2; g.send(9) == 1     (countdown ignores sends)
// next(g) == 0          # countdown returned 'liftoff'; running_sum starts
// g.send(5) == 5; g.send(7) == 12
// next(g)  -> StopIteration('liftoff with 12 fuel'); next(g) -> StopIteration
fn sends_pass_through_and_returns_come_back(body: impl Mission) {
    let mut g = Generator::new(body);
    assert_eq!(g.next(), Ok(3));
    assert_eq!(g.next(), Ok(2));
    assert_eq!(g.send(9), Ok(1));
    assert_eq!(g.next(), Ok(0));
    assert_eq!(g.send(5), Ok(5));
    assert_eq!(g.send(7), Ok(12));
    assert_eq!(
        g.next(),
        Err(Raised::StopIteration(Some(
            "liftoff with 12 fuel".to_string()
        )))
    );
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}

// g = mission(); next(g) == 3; g.throw(KeyError)  -> KeyError, finished
fn a_throw_reaches_the_sub_generator(body: impl Mission) {
    let mut g = Generator::new(body);
    assert_eq!(g.next(), Ok(3));
    assert_eq!(
        g.throw(Exception::KeyError),
        Err(Raised::Exception(Exception::KeyError))
    );
    assert_eq!(g.state(), GeneratorState::Closed);
}

// g = mission(); next(g) four times (into running_sum); g.send(1) == 1
// g.close() is None; finished
fn close_reaches_the_sub_generator(body: impl Mission) {
    let mut g = Generator::new(body);
    for expected in [3, 2, 1, 0] {
        assert_eq!(g.next(), Ok(expected));
    }
    assert_eq!(g.send(1), Ok(1));
    assert_eq!(g.close(), Ok(()));
    assert_eq!(g.state(), GeneratorState::Closed);
}

#[test]
fn nightly_sends_pass_through_and_returns_come_back() {
    sends_pass_through_and_returns_come_back(mission());
}

#[test]
fn nightly_a_throw_reaches_the_sub_generator() {
    a_throw_reaches_the_sub_generator(mission());
}

#[test]
fn nightly_close_reaches_the_sub_generator() {
    close_reaches_the_sub_generator(mission());
}

#[test]
fn genawaiter_sends_pass_through_and_returns_come_back() {
    sends_pass_through_and_returns_come_back(mission_genawaiter());
}

#[test]
fn genawaiter_a_throw_reaches_the_sub_generator() {
    a_throw_reaches_the_sub_generator(mission_genawaiter());
}

#[test]
fn genawaiter_close_reaches_the_sub_generator() {
    close_reaches_the_sub_generator(mission_genawaiter());
}
