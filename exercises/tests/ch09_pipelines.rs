//! Chapter 9: a primed pipeline, `grep('python', printer())`. Each
//! expectation is what CPython 3.11 does (see
//! `exercises/python/expected.py`).

use pygen_demos::Log;
use pygen_exercises::ch09_pipelines::{grep, printer, python_lines};
use pygen_protocol::{Exception, Generator, GeneratorState, Raised};

fn line(text: &str) -> String {
    text.to_string()
}

// p = python_lines()                       # LOG == []
// p.send('python generators') is None      # LOG == ['python generators']
// p.send('rust coroutines') is None; next(p) is None     # LOG == []
// p.send('python and rust') is None        # LOG == ['python and rust']
// p.close() is None                        # LOG == ['printer closed']
#[test]
fn matching_lines_reach_the_printer_and_close_cascades() {
    let log = Log::new();
    let mut p = python_lines(log.clone());
    assert_eq!(p.state(), GeneratorState::Suspended, "primed");
    assert!(log.take().is_empty());
    assert_eq!(p.send(line("python generators")), Ok(()));
    assert_eq!(log.take(), ["python generators"]);
    assert_eq!(p.send(line("rust coroutines")), Ok(()));
    assert_eq!(p.next(), Ok(()));
    assert!(log.take().is_empty());
    assert_eq!(p.send(line("python and rust")), Ok(()));
    assert_eq!(log.take(), ["python and rust"]);
    assert_eq!(p.close(), Ok(()));
    assert_eq!(log.take(), ["printer closed"]);
    assert_eq!(p.state(), GeneratorState::Closed);
}

// p = python_lines(); p.throw(KeyError)  -> KeyError
//                                          # LOG == ['printer closed']
#[test]
fn a_throw_closes_the_printer_on_its_way_out() {
    let log = Log::new();
    let mut p = python_lines(log.clone());
    assert_eq!(
        p.throw(Exception::KeyError),
        Err(Raised::Exception(Exception::KeyError))
    );
    assert_eq!(log.take(), ["printer closed"]);
    assert_eq!(p.state(), GeneratorState::Closed);
}

// grep without the decorator: its first send comes too early
// raw = <grep undecorated>('x', printer()); raw.send('x')  -> TypeError
// next(raw) is None; raw.send('xyz') is None   # LOG == ['xyz']
#[test]
fn an_unprimed_stage_refuses_a_send() {
    let log = Log::new();
    let target = Generator::primed(printer(log.clone())).expect("printer starts by yielding");
    let mut raw = Generator::new(grep(line("x"), target));
    let Err(Raised::Exception(e)) = raw.send(line("x")) else {
        panic!("TypeError");
    };
    assert_eq!(
        e.to_string(),
        "TypeError: can't send non-None value to a just-started generator"
    );
    assert_eq!(raw.next(), Ok(()), "after next(), it is primed");
    assert_eq!(raw.send(line("xyz")), Ok(()));
    assert_eq!(log.take(), ["xyz"]);
}
