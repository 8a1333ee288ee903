//! Chapter 5: `return` and `StopIteration`. Each expectation is what
//! CPython 3.11 does (see `exercises/python/expected.py`).

use pygen_exercises::ch05_return::{collector, drain};
use pygen_protocol::{Exception, Generator, GeneratorState, Raised};

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// g = collector(); next(g) == 0; g.send('a') == 1; g.send('b') == 2
// next(g)  -> StopIteration(['a', 'b'])
// next(g)  -> StopIteration          (bare: value None)
// g.send('c')  -> StopIteration
#[test]
fn the_return_value_rides_on_stop_iteration() {
    let mut g = Generator::new(collector());
    assert_eq!(g.next(), Ok(0));
    assert_eq!(g.send("a".to_string()), Ok(1));
    assert_eq!(g.send("b".to_string()), Ok(2));
    assert_eq!(
        g.next(),
        Err(Raised::StopIteration(Some(strings(&["a", "b"]))))
    );
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
    assert_eq!(g.send("c".to_string()), Err(Raised::StopIteration(None)));
}

// g = collector(); next(g) == 0; g.send(None)  -> StopIteration([])
#[test]
fn send_none_is_next_and_returns_at_once() {
    let mut g = Generator::new(collector());
    assert_eq!(g.next(), Ok(0));
    assert_eq!(
        g.send_option(None),
        Err(Raised::StopIteration(Some(vec![])))
    );
}

// g = countdown(); drain(g) == ([3, 2, 1], 'liftoff'); drain(g) == ([], None)
#[test]
fn drain_keeps_the_values_and_the_return_value() {
    let mut g: Generator<_, ()> = Generator::new(pygen_nightly::countdown());
    assert_eq!(drain(&mut g), Ok((vec![3, 2, 1], Some("liftoff"))));
    assert_eq!(drain(&mut g), Ok((vec![], None)));
}

// g = countdown(); next(g) == 3; drain(g) == ([2, 1], 'liftoff')
#[test]
fn drain_goes_on_from_where_the_generator_is() {
    let mut g: Generator<_, ()> = Generator::new(pygen_nightly::countdown());
    assert_eq!(g.next(), Ok(3));
    assert_eq!(drain(&mut g), Ok((vec![2, 1], Some("liftoff"))));
}

// g = collector(); drain(g)  -> ([0], [])   (next() is send(None))
#[test]
fn drain_of_a_collector() {
    let mut g = Generator::new(collector());
    assert_eq!(drain(&mut g), Ok((vec![0], Some(vec![]))));
}

// g = collector(); next(g) == 0; g.send('a') == 1
// g.throw(KeyError)  -> KeyError, not StopIteration: the items are lost
// next(g)  -> StopIteration
#[test]
fn a_thrown_exception_propagates_instead_of_a_return() {
    let mut g = Generator::new(collector());
    assert_eq!(g.next(), Ok(0));
    assert_eq!(g.send("a".to_string()), Ok(1));
    assert_eq!(
        g.throw(Exception::KeyError),
        Err(Raised::Exception(Exception::KeyError))
    );
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}

// g = collector(); next(g) == 0; g.send('a') == 1
// g.close() is None; state GEN_CLOSED
#[test]
fn close_ends_it_without_a_return_value() {
    let mut g = Generator::new(collector());
    assert_eq!(g.next(), Ok(0));
    assert_eq!(g.send("a".to_string()), Ok(1));
    assert_eq!(g.close(), Ok(()));
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.send("b".to_string()), Err(Raised::StopIteration(None)));
}
