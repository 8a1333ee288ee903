//! Op scripts and transcripts: the format pygen and CPython are compared in.
//!
//! An op script is a list of calls on one demo generator (`next`,
//! `send 5`, `send None`, `throw ValueError`, `close`). Running it gives one
//! line per op, `<op>: <logs><outcome>`:
//!
//! ```text
//! next: yield 'waiting'
//! throw ValueError: yield 'recovered'
//! close: log 'cleanup'; closed
//! next: raise StopIteration
//! ```
//!
//! The root package's `tests/oracle.py` writes the same lines by running the same script
//! through CPython.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::str::FromStr;

use num_bigint::BigInt;

use pygen_protocol::{
    Coroutine, Exception, Generator, Raised, Resume, Unraisable, set_unraisable_hook,
};

use crate::{Log, Repr};

/// One call on a generator.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `next(g)`.
    Next,
    /// `g.send(n)`, with a Python int.
    Send(BigInt),
    /// `g.send(None)`: the same as `next(g)`, spelled as Python allows.
    SendNone,
    /// `g.throw(E)`.
    Throw(Exception),
    /// `g.close()`.
    Close,
    /// `del g`, the last reference gone: the generator is finalised
    /// (closed, if suspended; see [`Generator::finalize`]). Only as a
    /// script's last op.
    Del,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Next => f.write_str("next"),
            Op::Send(n) => write!(f, "send {n}"),
            Op::SendNone => f.write_str("send None"),
            Op::Throw(e) => write!(f, "throw {}", e.name()),
            Op::Close => f.write_str("close"),
            Op::Del => f.write_str("del"),
        }
    }
}

/// The most decimal digits an int sent by an op script may have: what
/// CPython converts from text by default (`sys.get_int_max_str_digits()`,
/// 3.11 and later, and the 3.10.7, 3.9.14, 3.8.14 and 3.7.14 security
/// releases). A longer literal makes CPython raise `ValueError` before
/// the generator sees it, so the Rust panes and CPython would disagree
/// about the script rather than about a generator: it is refused as bad
/// input instead, here, where every op is read.
pub const MAX_INT_DIGITS: usize = 4300;

/// An op that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadOp {
    /// Not an op: the text, trimmed.
    Unknown(String),
    /// Not an async op (`anext`, `asend`, `athrow`, `aclose`): the text,
    /// trimmed.
    UnknownAsync(String),
    /// `send N` with more than [`MAX_INT_DIGITS`] digits: how many.
    TooManyDigits(usize),
    /// `del` with ops after it: there is no generator left to call.
    DelNotLast,
}

impl fmt::Display for BadOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadOp::Unknown(text) => {
                let exceptions: Vec<_> = Exception::ALL.iter().map(|e| e.name()).collect();
                write!(
                    f,
                    "bad op '{text}' (expected next, send <int>, send None, throw <{}>, close, or del)",
                    exceptions.join("|")
                )
            }
            BadOp::DelNotLast => f.write_str(
                "bad op script: del must be the last op (there is no generator left after it)",
            ),
            BadOp::UnknownAsync(text) => {
                let exceptions: Vec<_> = Exception::ALL.iter().map(|e| e.name()).collect();
                write!(
                    f,
                    "bad op '{text}' (expected anext, asend <int>, asend None, athrow <{}>, or aclose)",
                    exceptions.join("|")
                )
            }
            BadOp::TooManyDigits(digits) => write!(
                f,
                "bad op 'send' with a {digits}-digit int: Python converts at most \
                 {MAX_INT_DIGITS} digits from text (sys.get_int_max_str_digits())"
            ),
        }
    }
}

impl std::error::Error for BadOp {}

impl FromStr for Op {
    type Err = BadOp;

    /// Read one op: `next`, `send -3`, `send None`, `throw KeyError`,
    /// `close`. Words may be separated by any run of spaces.
    fn from_str(text: &str) -> Result<Op, BadOp> {
        let bad = || BadOp::Unknown(text.trim().to_owned());
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["next"] => Ok(Op::Next),
            ["close"] => Ok(Op::Close),
            ["del"] => Ok(Op::Del),
            ["send", "None"] => Ok(Op::SendNone),
            ["send", n] => sent_int(n, bad).map(Op::Send),
            ["throw", name] => Exception::from_name(name).map(Op::Throw).ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

/// The int of `send N` or `asend N`: a Python int literal within
/// [`MAX_INT_DIGITS`], else `bad()` (or the digit limit's own refusal).
pub(crate) fn sent_int(text: &str, bad: impl FnOnce() -> BadOp) -> Result<BigInt, BadOp> {
    match digit_count(text) {
        Some(digits) if digits > MAX_INT_DIGITS => Err(BadOp::TooManyDigits(digits)),
        _ => parse_int(text).ok_or_else(bad),
    }
}

/// How many digits `text` has, if it is all digits, `_` and an optional
/// sign: Python counts digits alone, neither the sign nor the
/// underscores, against its limit.
fn digit_count(text: &str) -> Option<usize> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'_')
        .then(|| digits.bytes().filter(u8::is_ascii_digit).count())
}

/// A Python int literal as the op scripts write them: an optional sign and
/// decimal digits, `_` allowed between digits.
fn parse_int(text: &str) -> Option<BigInt> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let well_formed = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.ends_with(|c: char| c.is_ascii_digit())
        && !digits.contains("__")
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
    if !well_formed {
        return None;
    }
    text.replace('_', "").parse().ok()
}

/// Read a whole op script from words, as a command line gives them: both
/// `["send 5", "close"]` and `["send", "5", "close"]` are two ops.
pub fn parse_ops<I, T>(words: I) -> Result<Vec<Op>, BadOp>
where
    I: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    let ops = read_script(words, &["send", "throw"])?;
    check_del_is_last(&ops)?;
    Ok(ops)
}

/// Split words into ops and read each: a word in `with_argument` takes
/// the word after it (`send 5`), any other stands alone; both
/// `["send 5", "close"]` and `["send", "5", "close"]` are two ops.
pub(crate) fn read_script<O, I, T>(words: I, with_argument: &[&str]) -> Result<Vec<O>, BadOp>
where
    O: FromStr<Err = BadOp>,
    I: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    let text: Vec<String> = words.into_iter().map(|w| w.as_ref().to_owned()).collect();
    let words: Vec<&str> = text.iter().flat_map(|w| w.split_whitespace()).collect();
    let mut ops = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let width = if with_argument.contains(&words[i]) {
            2
        } else {
            1
        };
        let end = (i + width).min(words.len());
        ops.push(words[i..end].join(" ").parse()?);
        i = end;
    }
    Ok(ops)
}

/// `del` may only end a script: after it there is no generator.
pub fn check_del_is_last(ops: &[Op]) -> Result<(), BadOp> {
    match ops.iter().position(|op| *op == Op::Del) {
        Some(at) if at + 1 != ops.len() => Err(BadOp::DelNotLast),
        _ => Ok(()),
    }
}

/// What one op produced.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The call returned a yielded value, written as Python's `repr`.
    Yield(String),
    /// `StopIteration` carrying a value other than `None`.
    Return(String),
    /// An exception, as the last line of Python's traceback: the class
    /// name of a built-in one (`KeyError`, `StopIteration` for a bare
    /// one), name and message for a program's own class
    /// (`Overdrawn: balance 10, asked -20`).
    Raise(String),
    /// `close()` returned normally.
    Closed,
    /// `del g`: finalised, nothing reported.
    Collected,
    /// `del g`: the close that finalised it raised this (named as
    /// [`Outcome::Raise`] names one), and the unraisable hook got it.
    Ignored(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Yield(value) => write!(f, "yield {value}"),
            Outcome::Return(value) => write!(f, "return {value}"),
            Outcome::Raise(name) => write!(f, "raise {name}"),
            Outcome::Closed => f.write_str("closed"),
            Outcome::Collected => f.write_str("collected"),
            Outcome::Ignored(name) => write!(f, "ignored {name}"),
        }
    }
}

impl<Y: Repr, R: Repr> From<Result<Y, Raised<R>>> for Outcome {
    fn from(result: Result<Y, Raised<R>>) -> Outcome {
        match result {
            Ok(value) => Outcome::Yield(value.repr()),
            Err(Raised::StopIteration(Some(value))) if !value.is_py_none() => {
                Outcome::Return(value.repr())
            }
            Err(Raised::StopIteration(_)) => Outcome::Raise("StopIteration".to_owned()),
            Err(Raised::Exception(e)) => Outcome::Raise(e.traceback_line()),
        }
    }
}

/// A generator seen from a transcript: Python values in, `repr`s out.
///
/// This is the one place pygen erases types, because the CLI picks a demo
/// and a backend at run time. Every [`Generator`] whose body takes Python
/// ints and yields and returns values with a [`Repr`] is one.
pub trait PyGenerator {
    /// Apply one op and say what happened.
    fn apply(&mut self, op: &Op) -> Outcome;

    /// What dropping it does ([`Generator::finalize`]), done now, with
    /// the unraisable hook silenced: see [`Transcribed`].
    fn finalize_quietly(&mut self);
}

/// A demo generator driven by a transcript. Dropped after its script, it
/// is finalised as any generator is, but with this thread's unraisable
/// hook silenced: what that close reports (a `stubborn()` left suspended)
/// belongs to no op, and CPython's side, `tests/oracle.py`, silences
/// `sys.unraisablehook` for it the same way. A script's own `del` still
/// reports, through the hook it records with.
pub struct Transcribed<G: PyGenerator>(pub G);

impl<G: PyGenerator> PyGenerator for Transcribed<G> {
    fn apply(&mut self, op: &Op) -> Outcome {
        self.0.apply(op)
    }

    fn finalize_quietly(&mut self) {
        self.0.finalize_quietly();
    }
}

impl<G: PyGenerator> Drop for Transcribed<G> {
    fn drop(&mut self) {
        self.0.finalize_quietly();
    }
}

impl<G, R> PyGenerator for Generator<G, BigInt>
where
    G: Coroutine<Resume<BigInt>, Return = Result<R, Exception>> + Unpin,
    G::Yield: Repr,
    R: Repr,
{
    fn apply(&mut self, op: &Op) -> Outcome {
        match op {
            Op::Next | Op::SendNone => self.next().into(),
            Op::Send(n) => self.send(n.clone()).into(),
            Op::Throw(e) => self.throw(e.clone()).into(),
            Op::Close => match self.close() {
                Ok(()) => Outcome::Closed,
                Err(e) => Outcome::Raise(e.traceback_line()),
            },
            Op::Del => del(self),
        }
    }

    fn finalize_quietly(&mut self) {
        // What it reports is recorded and let go.
        unraisable_during(|| self.finalize());
    }
}

/// `del g`, with a hook that records what the finaliser reports, as the
/// oracle's `sys.unraisablehook` does on CPython's side.
fn del<G, S>(generator: &mut Generator<G, S>) -> Outcome {
    match unraisable_during(|| generator.finalize())
        .into_iter()
        .next()
    {
        None => Outcome::Collected,
        Some(Unraisable::Raised(exception)) => Outcome::Ignored(exception.traceback_line()),
        Some(Unraisable::Panicked(message)) => Outcome::Ignored(format!("panic: {message}")),
    }
}

/// What the generators finalised during `f` reported to this thread's
/// unraisable hook (Python's `sys.unraisablehook`), in order; the hook
/// that was set before is set again after.
pub(crate) fn unraisable_during(f: impl FnOnce()) -> Vec<Unraisable> {
    let seen: Rc<RefCell<Vec<Unraisable>>> = Rc::default();
    let record = seen.clone();
    let before = set_unraisable_hook(Some(Box::new(move |what: &Unraisable| {
        record.borrow_mut().push(what.clone());
    })));
    f();
    set_unraisable_hook(before);
    seen.take()
}

/// Run an op script and return the transcript lines. `log` is the log the
/// generator's body writes to; what it writes during an op is printed on
/// that op's line.
pub fn transcript(generator: &mut dyn PyGenerator, log: &Log, ops: &[Op]) -> Vec<String> {
    transcript_lines(log, ops, |op| generator.apply(op))
}

/// One line per op, `op: logs outcome`, with `apply` running each op:
/// the format of every transcript, a generator's or an async generator's.
pub(crate) fn transcript_lines<O: fmt::Display>(
    log: &Log,
    ops: &[O],
    mut apply: impl FnMut(&O) -> Outcome,
) -> Vec<String> {
    log.take();
    ops.iter()
        .map(|op| {
            let outcome = apply(op);
            let logs: String = log
                .take()
                .iter()
                .map(|text| format!("log {}; ", text.repr()))
                .collect();
            format!("{op}: {logs}{outcome}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_read_from_quoted_or_split_words() {
        let joined = parse_ops(["send 5", "throw ValueError", "close"]).unwrap();
        let split = parse_ops(["send", "5", "throw", "ValueError", "close"]).unwrap();
        assert_eq!(joined, split);
        assert_eq!(
            joined,
            [
                Op::Send(5.into()),
                Op::Throw(Exception::ValueError),
                Op::Close
            ]
        );
    }

    #[test]
    fn ops_print_as_they_are_read() {
        for text in ["next", "send -3", "send None", "throw KeyError", "close"] {
            assert_eq!(text.parse::<Op>().unwrap().to_string(), text);
        }
        let big = "send 123456789012345678901234567890";
        assert_eq!(big.parse::<Op>().unwrap().to_string(), big);
        assert_eq!("send 1_000".parse::<Op>().unwrap(), Op::Send(1000.into()));
    }

    #[test]
    fn bad_ops_are_refused() {
        for text in [
            "",
            "nxt",
            "send",
            "send x",
            "send 1.5",
            "send _1",
            "send 1__0",
            "send 1_",
            "throw",
            "throw Foo",
            "close now",
            "send 1 2",
        ] {
            assert!(text.parse::<Op>().is_err(), "{text:?} was accepted");
        }
        assert_eq!(
            parse_ops(["next", "send"]),
            Err(BadOp::Unknown("send".to_owned()))
        );
    }

    #[test]
    fn ints_past_pythons_limit_are_refused_by_name() {
        let most = "9".repeat(MAX_INT_DIGITS);
        assert!(format!("send -{most}").parse::<Op>().is_ok());
        let too_many = format!("send 1{most}");
        let refused = too_many.parse::<Op>().expect_err("too many digits");
        assert_eq!(refused, BadOp::TooManyDigits(MAX_INT_DIGITS + 1));
        let message = refused.to_string();
        assert!(
            message.contains("4301-digit") && message.contains("4300"),
            "{message}"
        );
        assert!(!message.contains('\n'));
    }
}
