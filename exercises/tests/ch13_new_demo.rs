//! Chapter 13: the new demo `maximum()`, against the transcripts CPython
//! 3.11 prints for it (`exercises/python/expected.py` prints the same
//! lines from the Python).

use num_bigint::BigInt;
use pygen_demos::{Log, parse_ops, transcript};
use pygen_exercises::ch13_new_demo::maximum;
use pygen_protocol::Generator;

/// Run `ops` on a fresh `maximum()` and compare with CPython's lines.
fn check(ops: &[&str], cpython: &[&str]) {
    let log = Log::new();
    let mut g: Generator<_, BigInt> = Generator::new(maximum(log.clone()));
    let ops = parse_ops(ops).expect("valid ops");
    assert_eq!(transcript(&mut g, &log, &ops), cpython);
}

#[test]
fn send_keeps_the_largest_and_none_returns_it() {
    check(
        &[
            "send 5",
            "next",
            "send 3",
            "send 8",
            "send -2",
            "send None",
            "next",
        ],
        &[
            "send 5: raise TypeError",
            "next: yield None",
            "send 3: yield 3",
            "send 8: yield 8",
            "send -2: yield 8",
            "send None: log 'best was 8'; return 8",
            "next: raise StopIteration",
        ],
    );
}

#[test]
fn returning_none_is_a_bare_stop_iteration() {
    check(
        &["next", "send None", "close"],
        &[
            "next: yield None",
            "send None: log 'best was None'; raise StopIteration",
            "close: closed",
        ],
    );
}

#[test]
fn a_throw_runs_the_finally_block() {
    check(
        &["next", "send 4", "throw ValueError", "next"],
        &[
            "next: yield None",
            "send 4: yield 4",
            "throw ValueError: log 'best was 4'; raise ValueError",
            "next: raise StopIteration",
        ],
    );
}

#[test]
fn close_runs_the_finally_block_once() {
    check(
        &[
            "next",
            "send 4",
            "send 100000000000000000000",
            "close",
            "close",
        ],
        &[
            "next: yield None",
            "send 4: yield 4",
            "send 100000000000000000000: yield 100000000000000000000",
            "close: log 'best was 100000000000000000000'; closed",
            "close: closed",
        ],
    );
}

#[test]
fn a_throw_before_the_start_runs_nothing() {
    check(
        &["throw KeyError", "next"],
        &[
            "throw KeyError: raise KeyError",
            "next: raise StopIteration",
        ],
    );
}
