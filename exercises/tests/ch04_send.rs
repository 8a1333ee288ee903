//! Chapter 4: `send` and priming. Each expectation is what CPython 3.11
//! does (see `exercises/python/expected.py`).

use pygen_exercises::ch04_send::{averaged, averager};
use pygen_protocol::{Exception, Generator, GeneratorState, Raised};

// g = averager()
// g.send(10.0)  -> TypeError: can't send non-None value to a just-started generator
// next(g) is None
// g.send(10.0) == 10.0; g.send(20.0) == 15.0; g.send(30.0) == 20.0
#[test]
fn each_send_yields_the_running_mean() {
    let mut g = Generator::new(averager());
    let Err(Raised::Exception(e)) = g.send(10.0) else {
        panic!("TypeError");
    };
    assert_eq!(
        e.to_string(),
        "TypeError: can't send non-None value to a just-started generator"
    );
    assert_eq!(g.state(), GeneratorState::Created, "still unstarted");
    assert_eq!(g.next(), Ok(None));
    assert_eq!(g.send(10.0), Ok(Some(10.0)));
    assert_eq!(g.send(20.0), Ok(Some(15.0)));
    assert_eq!(g.send(30.0), Ok(Some(20.0)));
}

// ... g.send(None)  -> TypeError (total += None), and g is finished
// next(g)  -> StopIteration
#[test]
fn sending_none_is_a_type_error_that_finishes_it() {
    let mut g = Generator::new(averager());
    assert_eq!(g.next(), Ok(None));
    assert_eq!(g.send(1.0), Ok(Some(1.0)));
    assert_eq!(g.next(), Err(Raised::Exception(Exception::TypeError)));
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}

// g = coroutine(averager)()    # primed by the decorator
// g.send(4.0) == 4.0; g.send(5.0) == 4.5
#[test]
fn a_primed_averager_takes_a_send_first() {
    let mut g = Generator::primed(averager()).expect("averager() starts by yielding");
    assert_eq!(g.state(), GeneratorState::Suspended);
    assert_eq!(g.send(4.0), Ok(Some(4.0)));
    assert_eq!(g.send(5.0), Ok(Some(4.5)));
}

// averaged([1.0, 2.0, 3.0, 4.0]) == 2.5; averaged([]) is None
#[test]
fn averaged_drives_it_with_send() {
    assert_eq!(averaged(&[1.0, 2.0, 3.0, 4.0]), Some(2.5));
    assert_eq!(averaged(&[]), None);
}

// g = averager(); next(g); g.send(10.0) == 10.0
// g.throw(ValueError)  -> ValueError (nothing catches it), and g is finished
// next(g)  -> StopIteration
#[test]
fn a_thrown_exception_propagates_and_finishes_it() {
    let mut g = Generator::new(averager());
    assert_eq!(g.next(), Ok(None));
    assert_eq!(g.send(10.0), Ok(Some(10.0)));
    assert_eq!(
        g.throw(Exception::ValueError),
        Err(Raised::Exception(Exception::ValueError))
    );
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}

// g = averager(); next(g); g.send(10.0) == 10.0
// g.close() is None; state GEN_CLOSED; g.send(1.0)  -> StopIteration
#[test]
fn close_ends_it_quietly() {
    let mut g = Generator::new(averager());
    assert_eq!(g.next(), Ok(None));
    assert_eq!(g.send(10.0), Ok(Some(10.0)));
    assert_eq!(g.close(), Ok(()));
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.send(1.0), Err(Raised::StopIteration(None)));
}
