//! Chapter 7: `close`, `finally` and the ignored close. Each expectation
//! is what CPython 3.11 does (see `exercises/python/expected.py`).

use pygen_demos::Log;
use pygen_exercises::ch07_close::{defiant, opened};
use pygen_protocol::{Class, Exception, Generator, GeneratorState, Raised};

// g = opened('notes'); del g           # LOG == []: never started, no finally
// g = opened('notes'); next(g) == 0    # LOG == ['open notes']
// g.send('hello') == 1; next(g) == 1; g.send('world') == 2
//                                      # LOG == ['notes: hello', 'notes: world']
// g.close() is None                    # LOG == ['close notes']
// next(g)  -> StopIteration; g.close() is None   # LOG == []
#[test]
fn close_runs_the_finally_block() {
    let log = Log::new();
    let unstarted: Generator<_, String> = Generator::new(opened("notes".to_string(), log.clone()));
    drop(unstarted);
    assert!(
        log.take().is_empty(),
        "an unstarted generator runs no finally"
    );

    let mut g = Generator::new(opened("notes".to_string(), log.clone()));
    assert_eq!(g.next(), Ok(0));
    assert_eq!(log.take(), ["open notes"]);
    assert_eq!(g.send("hello".to_string()), Ok(1));
    assert_eq!(g.next(), Ok(1));
    assert_eq!(g.send("world".to_string()), Ok(2));
    assert_eq!(log.take(), ["notes: hello", "notes: world"]);
    assert_eq!(g.close(), Ok(()));
    assert_eq!(log.take(), ["close notes"]);
    assert_eq!(g.state(), GeneratorState::Closed);
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
    assert_eq!(g.close(), Ok(()));
    assert!(log.take().is_empty());
}

// g = opened('scratch'); next(g); del g      # LOG == ['close scratch']
#[test]
fn dropping_a_suspended_generator_runs_the_finally_block() {
    let log = Log::new();
    let mut g = Generator::new(opened("scratch".to_string(), log.clone()));
    assert_eq!(g.next(), Ok(0));
    log.take();
    drop(g);
    assert_eq!(log.take(), ["close scratch"]);
}

// g = opened('data'); next(g); g.throw(KeyError)  -> KeyError
//                                            # LOG == ['close data']
#[test]
fn an_exception_runs_the_finally_block_on_its_way_out() {
    let log = Log::new();
    let mut g = Generator::new(opened("data".to_string(), log.clone()));
    assert_eq!(g.next(), Ok(0));
    log.take();
    assert_eq!(
        g.throw(Exception::KeyError),
        Err(Raised::Exception(Exception::KeyError))
    );
    assert_eq!(log.take(), ["close data"]);
}

// g = defiant(); next(g) == 'first'
// g.close()  -> RuntimeError: generator ignored GeneratorExit
//                                            # LOG == ['not yet']
// inspect.getgeneratorstate(g) == 'GEN_SUSPENDED'
// next(g)  -> StopIteration                  # LOG == ['done']
#[test]
fn yielding_after_close_is_runtime_error() {
    let log = Log::new();
    let mut g = Generator::new(defiant(log.clone()));
    assert_eq!(g.next(), Ok("first"));
    let Err(e) = g.close() else {
        panic!("close() of a body that yields again must fail");
    };
    assert!(e.is_instance(&Class::RUNTIME_ERROR));
    assert_eq!(
        e.to_string(),
        "RuntimeError: generator ignored GeneratorExit"
    );
    assert_eq!(log.take(), ["not yet"]);
    assert_eq!(g.state(), GeneratorState::Suspended);
    // a bare StopIteration: the body returned None, which is () in Rust
    assert_eq!(g.next(), Err(Raised::StopIteration(Some(()))));
    assert_eq!(log.take(), ["done"]);
}

// g = defiant(); next(g); g.throw(GeneratorExit) == 'last word'
// (throw, unlike close, hands the yielded value back)
#[test]
fn throwing_generator_exit_is_not_closing() {
    let log = Log::new();
    let mut g = Generator::new(defiant(log.clone()));
    assert_eq!(g.next(), Ok("first"));
    assert_eq!(g.throw(Exception::GeneratorExit), Ok("last word"));
    assert_eq!(log.take(), ["not yet"]);
    assert_eq!(g.next(), Err(Raised::StopIteration(Some(()))));
    assert_eq!(log.take(), ["done"]);
}

// g = defiant(); g.close() is None          # never started: nothing runs
#[test]
fn closing_an_unstarted_defiant_is_quiet() {
    let log = Log::new();
    let mut g = Generator::new(defiant(log.clone()));
    assert_eq!(g.close(), Ok(()));
    assert_eq!(g.state(), GeneratorState::Closed);
    assert!(log.take().is_empty());
}
