//! The messages pygen raises itself are CPython's, word for word.
//!
//! A transcript prints a built-in exception by its class alone, so the
//! messages are checked here: each case is run through CPython, which
//! prints the last line of its traceback (`RuntimeError: generator raised
//! StopIteration`), and through every backend, which prints the
//! exception's `Display`. Where CPython names a Python type (`yield from`
//! over a list's iterator, `'list_iterator'`), pygen names the Rust type it
//! was given; the rest of the sentence must still be the same.

use std::collections::BTreeMap;
use std::pin::pin;
use std::process::Command;
use std::task::{Context, Poll, Waker};

use num_bigint::BigInt;
use pygen_demos::{Log, block_on};
use pygen_protocol::{AsyncGenerator, Exception, Generator, Raised};

/// Each case in Python, printing `name|last line of the traceback`, and
/// the exception's cause the same way (`name.cause|...`) where there is
/// one.
const CPYTHON: &str = r#"
import asyncio, traceback

def line(e):
    return traceback.format_exception_only(type(e), e)[-1].strip()

def report(name, call):
    try:
        call()
    except BaseException as e:
        print(f'{name}|{line(e)}')
        if e.__cause__ is not None:
            print(f'{name}.cause|{line(e.__cause__)}')

def running_sum():
    total = 0
    while True:
        x = yield total
        if x is None:
            return total
        total += x

def stubborn():
    while True:
        try:
            yield 'still here'
        except GeneratorExit:
            pass

def inventory():
    stock = {1: 'apple', 2: 'pear'}
    spares = iter(['fig'])
    reply = None
    while True:
        try:
            key = yield reply
            reply = stock[key]
        except LookupError as e:
            reply = next(spares)
        except Exception as e:
            reply = type(e).__name__

def delegating():
    yield from [1, 2]

report('send_before_start', lambda: running_sum().send(5))
g = stubborn(); next(g)
report('close_ignored', g.close)
g = inventory(); next(g); g.send(7)
report('pep479', lambda: g.throw(KeyError))
g = delegating(); next(g)
report('yield_from_iter_send', lambda: g.send(5))
report('key_error', lambda: {1: 'apple'}[7])
report('thrown_keeps_its_message', lambda: running_sum().throw(RuntimeError('boom')))

async def running_mean():
    yield None

async def stubborn_async():
    while True:
        try:
            yield 'still here'
        except GeneratorExit:
            pass

async def main():
    async def run(name, awaitable):
        try:
            await awaitable
        except BaseException as e:
            print(f'{name}|{line(e)}')
    await run('asend_before_start', running_mean().asend(5))
    g = stubborn_async(); await g.__anext__()
    await run('aclose_ignored', g.aclose())

asyncio.run(main())
"#;

/// CPython's lines, by case name.
fn cpython() -> BTreeMap<String, String> {
    let out = Command::new("python3")
        .args(["-I", "-c", CPYTHON])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .filter_map(|line| line.split_once('|'))
        .map(|(name, text)| (name.to_owned(), text.to_owned()))
        .collect()
}

/// What an op raised, as an exception.
fn raised<Y: std::fmt::Debug, R: std::fmt::Debug>(outcome: Result<Y, Raised<R>>) -> Exception {
    match outcome {
        Err(Raised::Exception(e)) => e,
        other => panic!("expected an exception, got {other:?}"),
    }
}

/// The same cases in one backend, by name.
macro_rules! cases {
    ($backend:ident) => {{
        use $backend as backend;
        let mut lines = BTreeMap::new();
        let mut put = |name: &str, e: Exception| {
            if let Some(cause) = e.cause() {
                lines.insert(format!("{name}.cause"), cause.to_string());
            }
            lines.insert(name.to_owned(), e.to_string());
        };
        let log = Log::new();

        let mut g = Generator::new(backend::running_sum());
        put("send_before_start", raised(g.send(BigInt::from(5))));

        let mut g: Generator<_, BigInt> = Generator::new(backend::stubborn(log.clone()));
        g.next().unwrap();
        put("close_ignored", g.close().unwrap_err());

        let mut g = Generator::new(backend::inventory(log.clone()));
        g.next().unwrap();
        g.send(BigInt::from(7)).unwrap();
        put("pep479", raised(g.throw(Exception::KeyError)));

        let mut items = [1, 2].into_iter();
        let _ = pygen_protocol::delegate_iter(&mut items, Ok(None::<i64>));
        match pygen_protocol::delegate_iter(&mut items, Ok(Some(5))) {
            pygen_protocol::Delegated::Raise(e) => put("yield_from_iter_send", e),
            other => panic!("send into yield from a list: {other:?}"),
        }

        let stock = std::collections::HashMap::from([(BigInt::from(1), "apple")]);
        put(
            "key_error",
            pygen_demos::builtins::getitem(&stock, &BigInt::from(7)).unwrap_err(),
        );

        let mut g: Generator<_, BigInt> = Generator::new(backend::running_sum());
        let boom = Exception::RuntimeError.with_message("boom");
        put("thrown_keeps_its_message", raised(g.throw(boom)));

        let mut g = AsyncGenerator::new(Box::pin(backend::running_mean(log.clone())));
        put(
            "asend_before_start",
            block_on(g.asend(BigInt::from(5))).unwrap_err(),
        );
        let mut g = AsyncGenerator::new(Box::pin(backend::stubborn_async::<BigInt>(log.clone())));
        block_on(g.anext()).unwrap();
        put("aclose_ignored", block_on(g.aclose()).unwrap_err());

        // An operation started while an abandoned one is mid-await; 3.11's
        // words for it (CPython needs a hand-driven coroutine to show it:
        // the protocol's unit tests hold its text).
        let mut g = AsyncGenerator::new(Box::pin(backend::ticker::<BigInt>(log.clone())));
        {
            let mut op = pin!(g.anext());
            let mut cx = Context::from_waker(Waker::noop());
            assert!(matches!(op.as_mut().poll(&mut cx), Poll::Pending));
        }
        assert_eq!(
            block_on(g.anext()).unwrap_err().to_string(),
            "RuntimeError: anext(): asynchronous generator is already running"
        );
        lines
    }};
}

/// `'list_iterator' object has ...` and `'IntoIter' object has ...` are the
/// same sentence about different types.
fn without_type_names(text: &str) -> String {
    match text.split_once(": '") {
        Some((class, rest)) => match rest.split_once('\'') {
            Some((_type_name, tail)) => format!("{class}: '<type>'{tail}"),
            None => text.to_owned(),
        },
        None => text.to_owned(),
    }
}

#[test]
fn the_messages_pygen_raises_are_cpythons() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 is not here: the messages are checked by the behaviour suite alone");
        return;
    }
    let expected = cpython();
    assert_eq!(expected.len(), 9, "every case printed: {expected:?}");
    for (backend, got) in [
        ("nightly", cases!(pygen_nightly)),
        ("genawaiter", cases!(pygen_genawaiter)),
        ("async-stream", cases!(pygen_async_stream)),
    ] {
        for (name, text) in &expected {
            let ours = got
                .get(name)
                .unwrap_or_else(|| panic!("{backend}: no case {name}"));
            if name == "yield_from_iter_send" {
                assert_eq!(
                    without_type_names(ours),
                    without_type_names(text),
                    "{backend}: {name}"
                );
                assert_eq!(
                    ours,
                    "AttributeError: 'IntoIter' object has no attribute 'send'"
                );
            } else {
                assert_eq!(ours, text, "{backend}: {name}");
            }
        }
        assert_eq!(got.len(), expected.len(), "{backend}: {got:?}");
    }
}
