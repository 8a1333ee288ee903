//! Chapter 6: `throw`. Each expectation is what CPython 3.11 does (see
//! `exercises/python/expected.py`).

use pygen_exercises::ch06_throw::{Retry, fetcher, tolerant};
use pygen_protocol::{Exception, Generator, GeneratorState, Raised};

fn raised<R>(exception: Exception) -> Result<&'static str, Raised<R>> {
    Err(Raised::Exception(exception))
}

// g = tolerant(); next(g) == 'ready'
// g.throw(ValueError) == 'recovered'; next(g) == 'ready'
// g.throw(ValueError) == 'recovered'
// g.throw(ValueError)  -> ValueError   (at 'recovered', outside the try)
// next(g)  -> StopIteration
#[test]
fn a_caught_value_error_yields_recovered() {
    let mut g = Generator::new(tolerant());
    assert_eq!(g.next(), Ok("ready"));
    assert_eq!(g.throw(Exception::ValueError), Ok("recovered"));
    assert_eq!(g.next(), Ok("ready"));
    assert_eq!(g.throw(Exception::ValueError), Ok("recovered"));
    assert_eq!(
        g.throw(Exception::ValueError),
        raised(Exception::ValueError)
    );
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}

// g = tolerant(); next(g); g.throw(KeyError)  -> KeyError, finished
#[test]
fn other_exceptions_propagate() {
    let mut g = Generator::new(tolerant());
    assert_eq!(g.next(), Ok("ready"));
    assert_eq!(g.throw(Exception::KeyError), raised(Exception::KeyError));
    assert_eq!(g.state(), GeneratorState::Closed);
}

// g = tolerant(); next(g); g.throw(Retry(7))  -> Retry, with e.after == 7
#[test]
fn a_user_exception_propagates_with_its_payload() {
    let mut g = Generator::new(tolerant());
    assert_eq!(g.next(), Ok("ready"));
    let Err(Raised::Exception(e)) = g.throw(Exception::new(Retry { after: 7 })) else {
        panic!("Retry should propagate out of tolerant()");
    };
    assert_eq!(e.downcast_ref::<Retry>().map(|r| r.after), Some(7));
}

// f'{type(e).__name__}: {e}' == 'Retry: retry after 2s'
#[test]
fn retry_prints_as_python_does() {
    let e = Exception::new(Retry { after: 2 });
    assert_eq!(e.name(), "Retry");
    assert_eq!(e.to_string(), "Retry: retry after 2s");
    assert_eq!(e.traceback_line(), "Retry: retry after 2s");
    assert!(e.is::<Retry>());
}

// g = fetcher(); next(g) == 'attempt 1'
// g.throw(Retry(2)) == 'attempt 2'; g.throw(Retry(3)) == 'attempt 3'
// next(g)  -> StopIteration('fetched after 5s')
#[test]
fn each_retry_is_another_attempt() {
    let mut g = Generator::new(fetcher());
    assert_eq!(g.next(), Ok("attempt 1".to_string()));
    assert_eq!(
        g.throw(Exception::new(Retry { after: 2 })),
        Ok("attempt 2".to_string())
    );
    assert_eq!(
        g.throw(Exception::new(Retry { after: 3 })),
        Ok("attempt 3".to_string())
    );
    assert_eq!(
        g.next(),
        Err(Raised::StopIteration(Some("fetched after 5s".to_string())))
    );
}

// g = fetcher(); next(g); g.throw(KeyError)  -> KeyError
#[test]
fn fetcher_lets_other_exceptions_through() {
    let mut g = Generator::new(fetcher());
    assert_eq!(g.next(), Ok("attempt 1".to_string()));
    assert_eq!(
        g.throw(Exception::KeyError),
        Err(Raised::Exception(Exception::KeyError))
    );
}

// g = tolerant(); next(g) == 'ready'; g.close() is None: GeneratorExit is
// not a ValueError, so the except does not catch it
// g = fetcher(); next(g) == 'attempt 1'; g.close() is None
#[test]
fn close_is_not_caught() {
    let mut g = Generator::new(tolerant());
    assert_eq!(g.next(), Ok("ready"));
    assert_eq!(g.close(), Ok(()));
    assert_eq!(g.state(), GeneratorState::Closed);
    let mut g = Generator::new(fetcher());
    assert_eq!(g.next(), Ok("attempt 1".to_string()));
    assert_eq!(g.close(), Ok(()));
    assert_eq!(g.state(), GeneratorState::Closed);
}
