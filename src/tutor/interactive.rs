//! `pygen transcript --impl X DEMO` at a terminal: a prompt, and each op
//! answered as soon as it is typed; for an async demo, each op awaited to
//! completion first.
//!
//! Only a terminal gets this: with ops on the command line, or read from
//! a pipe or a file, the command prints exactly what it always has. The
//! prompt and the notes go to stderr and the transcript lines to stdout,
//! so `> file` keeps only the transcript even here.

use std::fmt::Display;
use std::io::{self, BufRead, Write};
use std::str::FromStr;

use pygen_demos::{AsyncDemo, AsyncOp, Demo, Log, Op, async_transcript, transcript};

use crate::Backend;
use crate::tutor::panes;

/// Read ops from `input` one a line, and after each write its transcript
/// line to `out` and, before each, a prompt naming the state to `prompt`.
/// A line that is not an op is refused on `prompt` and the session goes
/// on. Ends at end of input.
pub fn step(
    backend: Backend,
    demo: Demo,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    prompt: &mut dyn Write,
) -> io::Result<()> {
    let log = Log::new();
    let mut generator = panes::make(backend, demo, &log);
    writeln!(
        prompt,
        "{demo}() on {backend}: type next, send N, send None, throw E, close or del; \
         del or Ctrl-D ends"
    )?;
    answer_each(
        demo,
        &mut *generator,
        |generator| generator.state().name(),
        |generator, op: Op| {
            let lines = transcript(generator, &log, std::slice::from_ref(&op));
            // `del g`: there is no generator left to step.
            (lines, op == Op::Del)
        },
        input,
        out,
        prompt,
    )
}

/// [`step`] for an async generator: each op is awaited to completion
/// before the next is read, as `loop.run_until_complete` does, and the
/// prompt names the state as `AGEN_*`.
pub fn step_async(
    backend: Backend,
    demo: AsyncDemo,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    prompt: &mut dyn Write,
) -> io::Result<()> {
    let log = Log::new();
    let mut generator = panes::make_async(backend, demo, &log);
    writeln!(
        prompt,
        "{demo}() on {backend}: type anext, asend N, asend None, athrow E or aclose; \
         Ctrl-D ends"
    )?;
    answer_each(
        demo,
        &mut *generator,
        |generator| generator.state().name(),
        |generator, op: AsyncOp| {
            let lines = async_transcript(generator, &log, std::slice::from_ref(&op));
            (lines, false)
        },
        input,
        out,
        prompt,
    )
}

/// The loop both steppers share: prompt with `generator`'s `state`, read
/// a line, parse it as an op of type `O`, `run` it and print its lines;
/// until the end of input, or an op after which `run` says nothing is
/// left to step.
fn answer_each<G: ?Sized, O>(
    name: impl Display,
    generator: &mut G,
    state: impl Fn(&G) -> &'static str,
    mut run: impl FnMut(&mut G, O) -> (Vec<String>, bool),
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    prompt: &mut dyn Write,
) -> io::Result<()>
where
    O: FromStr,
    O::Err: Display,
{
    let mut line = String::new();
    loop {
        write!(prompt, "{name} [{}]> ", state(generator))?;
        prompt.flush()?;
        line.clear();
        if input.read_line(&mut line)? == 0 {
            writeln!(prompt)?;
            return Ok(());
        }
        if line.trim().is_empty() {
            continue;
        }
        match line.parse::<O>() {
            Ok(op) => {
                let (lines, ends) = run(generator, op);
                for text in lines {
                    writeln!(out, "{text}")?;
                }
                out.flush()?;
                if ends {
                    return Ok(());
                }
            }
            Err(bad) => writeln!(prompt, "{bad}")?,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_op_is_answered_and_bad_ones_refused() {
        let mut input = "next\n\nthrow ValueError\nfly\nclose\n".as_bytes();
        let (mut out, mut prompt) = (Vec::new(), Vec::new());
        step(
            Backend::Nightly,
            Demo::Guarded,
            &mut input,
            &mut out,
            &mut prompt,
        )
        .expect("runs");
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "next: yield 'waiting'\nthrow ValueError: yield 'recovered'\n\
             close: log 'cleanup'; closed\n"
        );
        let prompt = String::from_utf8(prompt).expect("UTF-8");
        assert!(prompt.contains("guarded [GEN_CREATED]> "), "{prompt}");
        assert!(prompt.contains("guarded [GEN_CLOSED]> "), "{prompt}");
        assert!(prompt.contains("bad op 'fly'"), "{prompt}");
    }

    #[test]
    fn an_async_generator_is_stepped_with_its_own_ops() {
        let mut input = "anext\nasend 3\nnext\nathrow ValueError\naclose\nanext\n".as_bytes();
        let (mut out, mut prompt) = (Vec::new(), Vec::new());
        step_async(
            Backend::Genawaiter,
            AsyncDemo::Ticker,
            &mut input,
            &mut out,
            &mut prompt,
        )
        .expect("runs");
        // python3 tests/oracle.py ticker anext "asend 3" "athrow ValueError" aclose anext
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "anext: yield 0\nasend 3: yield 1\n\
             athrow ValueError: log 'ticker closed'; raise ValueError\n\
             aclose: closed\nanext: raise StopAsyncIteration\n"
        );
        let prompt = String::from_utf8(prompt).expect("UTF-8");
        assert!(prompt.contains("ticker [AGEN_CREATED]> "), "{prompt}");
        assert!(prompt.contains("ticker [AGEN_SUSPENDED]> "), "{prompt}");
        assert!(prompt.contains("ticker [AGEN_CLOSED]> "), "{prompt}");
        assert!(prompt.contains("bad op 'next'"), "{prompt}");
    }
}
