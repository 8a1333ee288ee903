//! `pygen transcript --impl X DEMO` at a terminal: a prompt, and each op
//! answered as soon as it is typed.
//!
//! Only a terminal gets this: with ops on the command line, or read from
//! a pipe or a file, the command prints exactly what it always has. The
//! prompt and the notes go to stderr and the transcript lines to stdout,
//! so `> file` keeps only the transcript even here.

use std::io::{self, BufRead, Write};

use pygen_demos::{Demo, Log, Op, transcript};

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
    let mut line = String::new();
    loop {
        write!(prompt, "{demo} [{}]> ", generator.state().name())?;
        prompt.flush()?;
        line.clear();
        if input.read_line(&mut line)? == 0 {
            writeln!(prompt)?;
            return Ok(());
        }
        if line.trim().is_empty() {
            continue;
        }
        match line.parse::<Op>() {
            Ok(op) => {
                for text in transcript(&mut *generator, &log, std::slice::from_ref(&op)) {
                    writeln!(out, "{text}")?;
                }
                out.flush()?;
                if op == Op::Del {
                    // `del g`: there is no generator left to step.
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
}
