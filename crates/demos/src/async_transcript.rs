//! Async op scripts and their transcripts: `anext`, `asend 5`,
//! `asend None`, `athrow ValueError`, `aclose`, each awaited to completion
//! on one executor ([`block_on`]), as CPython's
//! `loop.run_until_complete(...)` does on one event loop.
//!
//! ```text
//! anext: yield 0
//! aclose: log 'ticker closed'; closed
//! anext: raise StopAsyncIteration
//! ```

use std::fmt;
use std::str::FromStr;

use num_bigint::BigInt;

use pygen_protocol::{AsyncGenerator, AsyncResume, AsyncYield, Coroutine, Exception};

use crate::transcript::{read_script, sent_int, transcript_lines};
use crate::{BadOp, Log, Outcome, Repr, block_on};

/// One call on an async generator, awaited.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AsyncOp {
    /// `await anext(g)`.
    Anext,
    /// `await g.asend(n)`, with a Python int.
    Asend(BigInt),
    /// `await g.asend(None)`: the same as `anext`.
    AsendNone,
    /// `await g.athrow(E)`.
    Athrow(Exception),
    /// `await g.aclose()`.
    Aclose,
}

impl AsyncOp {
    /// Whether `word` starts an async op: what tells a script written for
    /// an async generator from one written for a generator.
    pub fn is_async_word(word: &str) -> bool {
        matches!(word, "anext" | "asend" | "athrow" | "aclose")
    }
}

impl fmt::Display for AsyncOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsyncOp::Anext => f.write_str("anext"),
            AsyncOp::Asend(n) => write!(f, "asend {n}"),
            AsyncOp::AsendNone => f.write_str("asend None"),
            AsyncOp::Athrow(e) => write!(f, "athrow {}", e.name()),
            AsyncOp::Aclose => f.write_str("aclose"),
        }
    }
}

impl FromStr for AsyncOp {
    type Err = BadOp;

    /// Read one async op: `anext`, `asend -3`, `asend None`,
    /// `athrow KeyError`, `aclose`.
    fn from_str(text: &str) -> Result<AsyncOp, BadOp> {
        let bad = || BadOp::UnknownAsync(text.trim().to_owned());
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["anext"] => Ok(AsyncOp::Anext),
            ["aclose"] => Ok(AsyncOp::Aclose),
            ["asend", "None"] => Ok(AsyncOp::AsendNone),
            ["asend", n] => sent_int(n, bad).map(AsyncOp::Asend),
            ["athrow", name] => Exception::from_name(name)
                .map(AsyncOp::Athrow)
                .ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

/// Read a whole async op script from words, as a command line gives them.
pub fn parse_async_ops<I, T>(words: I) -> Result<Vec<AsyncOp>, BadOp>
where
    I: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    read_script(words, &["asend", "athrow"])
}

/// An async generator seen from a transcript: Python values in, `repr`s
/// out, each op awaited to completion before it answers.
pub trait PyAsyncGenerator {
    /// Apply one op, awaited on [`block_on`], and say what happened.
    fn apply(&mut self, op: &AsyncOp) -> Outcome;
}

impl<G, Y> PyAsyncGenerator for AsyncGenerator<G, BigInt>
where
    G: Coroutine<AsyncResume<BigInt>, Yield = AsyncYield<Y>, Return = Result<(), Exception>>
        + Unpin,
    Y: Repr,
{
    fn apply(&mut self, op: &AsyncOp) -> Outcome {
        let raise = |e: Exception| Outcome::Raise(e.traceback_line());
        match op {
            AsyncOp::Anext | AsyncOp::AsendNone => match block_on(self.anext()) {
                Ok(value) => Outcome::Yield(value.repr()),
                Err(e) => raise(e),
            },
            AsyncOp::Asend(n) => match block_on(self.asend(n.clone())) {
                Ok(value) => Outcome::Yield(value.repr()),
                Err(e) => raise(e),
            },
            // `Ok(None)`: 3.11's `athrow` of a finished generator, `None`.
            AsyncOp::Athrow(e) => match block_on(self.athrow(e.clone())) {
                Ok(value) => Outcome::Yield(value.repr()),
                Err(e) => raise(e),
            },
            AsyncOp::Aclose => match block_on(self.aclose()) {
                Ok(()) => Outcome::Closed,
                Err(e) => raise(e),
            },
        }
    }
}

/// Run an async op script and return the transcript lines, as
/// [`transcript`](crate::transcript()) does for a generator.
pub fn async_transcript(
    generator: &mut dyn PyAsyncGenerator,
    log: &Log,
    ops: &[AsyncOp],
) -> Vec<String> {
    transcript_lines(log, ops, |op| generator.apply(op))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn async_ops_print_as_they_are_read() {
        for text in [
            "anext",
            "asend -3",
            "asend None",
            "athrow KeyError",
            "aclose",
        ] {
            assert_eq!(text.parse::<AsyncOp>().unwrap().to_string(), text);
        }
        assert_eq!(
            parse_async_ops(["asend", "5", "athrow ValueError", "aclose"]).unwrap(),
            [
                AsyncOp::Asend(5.into()),
                AsyncOp::Athrow(Exception::ValueError),
                AsyncOp::Aclose
            ]
        );
    }

    #[test]
    fn sync_ops_are_not_async_ops() {
        for text in [
            "next",
            "send 5",
            "throw KeyError",
            "close",
            "asend",
            "athrow Foo",
        ] {
            assert!(text.parse::<AsyncOp>().is_err(), "{text:?} was accepted");
        }
    }
}
