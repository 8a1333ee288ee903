//! `pygen compare`: a short tour of the three backends, in a second or
//! two.
//!
//! First what they do: every rule of the protocol table, in words, with
//! the Python that checks it, run live against each backend and compared
//! with CPython's answers. Then what they cost: nanoseconds per item and
//! per send, each the median of many rounds with its spread and its ratio
//! to a hand-written baseline timed in the same rounds; object size; heap
//! allocations counted by the global allocator.

use std::fmt::{self, Write as _};
use std::process::Command;

use pygen_demos::{
    ASYNC_ROWS, AsyncOp, AsyncRow, Demo, Log, Op, Outcome, ROWS, Row, async_transcript,
    parse_async_ops, parse_ops, transcript,
};

use crate::Backend;
use crate::measure::{self, Allocations, Footprint, Samples};

/// How many stretches of rounds are timed, and how many rounds each: the
/// figures come from the quietest stretch (see
/// [`measure::quietest_stretch`]), each the median of its rounds. Odd, so
/// the median is a sample; 41 makes the quartiles, and so the spread,
/// meaningful. The whole takes about a second.
pub const STRETCHES: usize = 5;
/// Rounds per stretch, unless `pygen compare --rounds` says otherwise.
pub const ROUNDS: usize = 41;
/// Sends per probe: about half a millisecond for the slowest backend,
/// long enough that the clock's resolution is noise.
const SENDS: u64 = 100_000;
/// Where lines are wrapped: a terminal's usual width.
const WIDTH: usize = 80;

/// One rule of the protocol, as the tour shows it.
#[derive(Clone, Debug)]
pub struct Check {
    /// The rule, in words: `next(g) runs to the next yield`.
    pub rule: String,
    /// The Python that checks it, each call followed by CPython's answer:
    /// `g = countdown()`, `next(g) → yield 3`, ...
    pub python: Vec<String>,
    /// Whether each backend, in [`Backend::ALL`]'s order, answers as
    /// CPython does.
    pub passed: Vec<bool>,
}

/// A call as Python spells it, on a generator called `g`.
fn python_call(op: &Op) -> String {
    match op {
        Op::Next => "next(g)".to_owned(),
        Op::Send(n) => format!("g.send({n})"),
        Op::SendNone => "g.send(None)".to_owned(),
        Op::Throw(e) => format!("g.throw({})", e.name()),
        Op::Close => "g.close()".to_owned(),
        Op::Del => "del g".to_owned(),
    }
}

/// The Python of a row: the demo made, then each call with CPython's
/// answer (a transcript line without its op, and with `,` for the `;`
/// between logs, since `;` separates the calls here).
fn python_of(row: &Row, ops: &[Op]) -> Vec<String> {
    python_lines(row, ops, python_call)
}

/// A row's demo made, then each op as `call` spells it, with CPython's
/// answer: [`python_of`] and [`python_of_async`].
fn python_lines<D: fmt::Display, O: fmt::Display>(
    row: &Row<D>,
    ops: &[O],
    call: fn(&O) -> String,
) -> Vec<String> {
    let mut python = vec![format!("g = {}()", row.demo)];
    for (op, line) in ops.iter().zip(row.transcript) {
        let prefix = format!("{op}: ");
        let answer = line.strip_prefix(&prefix).unwrap_or(line);
        python.push(format!("{} → {}", call(op), answer.replace("; ", ", ")));
    }
    python
}

/// An async call as Python spells it, awaited, on an async generator
/// called `g`.
fn python_async_call(op: &AsyncOp) -> String {
    match op {
        AsyncOp::Anext => "await anext(g)".to_owned(),
        AsyncOp::Asend(n) => format!("await g.asend({n})"),
        AsyncOp::AsendNone => "await g.asend(None)".to_owned(),
        AsyncOp::Athrow(e) => format!("await g.athrow({})", e.name()),
        AsyncOp::Aclose => "await g.aclose()".to_owned(),
    }
}

/// The Python of an async row, as [`python_of`] for a row.
fn python_of_async(row: &AsyncRow, ops: &[AsyncOp]) -> Vec<String> {
    python_lines(row, ops, python_async_call)
}

/// Whether `backend` passes the async `row`.
fn passes_async(backend: Backend, row: &AsyncRow, ops: &[AsyncOp]) -> bool {
    let log = Log::new();
    let mut generator = backend.async_demo(row.demo, &log);
    async_transcript(&mut *generator, &log, ops) == row.transcript
}

/// Whether `backend` passes `row`: its transcript equals CPython's.
fn passes(backend: Backend, row: &Row, ops: &[Op]) -> bool {
    let log = Log::new();
    let mut generator = backend.demo(row.demo, &log);
    transcript(&mut *generator, &log, ops) == row.transcript
}

/// The `finally` rule, which a transcript cannot show: a suspended
/// `guarded()` that is dropped logs `'cleanup'`.
fn finally_runs_on_drop(backend: Backend) -> bool {
    let log = Log::new();
    let mut generator = backend.demo(Demo::Guarded, &log);
    let started = generator.apply(&Op::Next);
    drop(generator);
    started == Outcome::Yield("'waiting'".into()) && log.take() == ["cleanup"]
}

/// F(999), the thousandth value, as Python's ints give it.
fn fibonacci_is_unbounded(backend: Backend) -> bool {
    backend
        .fibonacci()
        .nth(999)
        .is_some_and(|n| n.to_string() == pygen_demos::conformance::FIBONACCI_999)
}

/// Every rule: the rows of [`ROWS`] and of [`ASYNC_ROWS`], then two that
/// need more than a transcript.
pub fn checks() -> Vec<Check> {
    let mut checks: Vec<Check> = ROWS
        .iter()
        .map(|row| match parse_ops(row.ops) {
            Ok(ops) => Check {
                rule: row.python.to_owned(),
                python: python_of(row, &ops),
                passed: Backend::ALL
                    .iter()
                    .map(|&backend| passes(backend, row, &ops))
                    .collect(),
            },
            // A row the protocol crate cannot parse fails everywhere
            // rather than stopping the tour.
            Err(bad) => Check {
                rule: row.python.to_owned(),
                python: vec![bad.to_string()],
                passed: vec![false; Backend::ALL.len()],
            },
        })
        .collect();
    checks.extend(ASYNC_ROWS.iter().map(|row| {
        match parse_async_ops(row.ops) {
            Ok(ops) => Check {
                rule: format!("async: {}", row.python),
                python: python_of_async(row, &ops),
                passed: Backend::ALL
                    .iter()
                    .map(|&backend| passes_async(backend, row, &ops))
                    .collect(),
            },
            Err(bad) => Check {
                rule: format!("async: {}", row.python),
                python: vec![bad.to_string()],
                passed: vec![false; Backend::ALL.len()],
            },
        }
    }));
    checks.push(Check {
        rule: "a suspended generator that is dropped runs its finally: block".to_owned(),
        python: vec![
            "g = guarded()".to_owned(),
            "next(g) → yield 'waiting'".to_owned(),
            "del g → log 'cleanup'".to_owned(),
        ],
        passed: Backend::ALL
            .iter()
            .map(|&b| finally_runs_on_drop(b))
            .collect(),
    });
    let f999 = pygen_demos::conformance::FIBONACCI_999;
    checks.push(Check {
        rule: "ints never overflow: fibonacci() goes on past 64 bits".to_owned(),
        python: vec![format!(
            "next(islice(fibonacci(), 999, None)) → {}...{} ({} digits)",
            &f999[..6],
            &f999[f999.len() - 6..],
            f999.len()
        )],
        passed: Backend::ALL
            .iter()
            .map(|&b| fibonacci_is_unbounded(b))
            .collect(),
    });
    checks
}

/// `pieces` joined with `separator` into lines of at most [`WIDTH`]
/// columns (a piece longer than that gets a line of its own), the first
/// line after `first` and the others after `indent`.
fn wrap(pieces: &[String], separator: &str, first: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for (i, piece) in pieces.iter().enumerate() {
        let piece = if i + 1 < pieces.len() {
            format!("{piece}{}", separator.trim_end())
        } else {
            piece.clone()
        };
        let gap = if empty { "" } else { " " };
        if !empty && line.chars().count() + gap.len() + piece.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = format!("{indent}{piece}");
        } else {
            line.push_str(gap);
            line.push_str(&piece);
        }
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// `text` reflowed into lines of at most [`WIDTH`] columns.
fn paragraph(text: &str) -> String {
    let words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    wrap(&words, "", "", "")
}

/// The first part of the tour: every rule in words, with its Python and
/// each backend's verdict. Also whether every backend passed every rule.
pub fn conformance() -> (String, bool) {
    let checks = checks();
    let all = checks.iter().all(|c| c.passed.iter().all(|&ok| ok));
    let names: Vec<&str> = Backend::ALL.iter().map(|b| b.name()).collect();
    let mut out = String::new();
    let _ = writeln!(out, "1. What the backends do\n");
    out.push_str(&paragraph(&format!(
        "Each rule of Python's generator protocol below is checked live. \
         Under it is the Python that checks it: a demo generator from \
         tests/oracle.py, the calls made, and after each → what CPython 3.11 \
         answers. Each backend makes the same calls and must get the same \
         answers: ok or FAIL, for {} in that order.",
        names.join(", ")
    )));
    out.push('\n');
    // The verdicts as a column, then the rule, then its Python indented
    // under the rule.
    let verdicts: Vec<String> = checks
        .iter()
        .map(|check| {
            let words: Vec<&str> = check
                .passed
                .iter()
                .map(|&ok| if ok { "ok" } else { "FAIL" })
                .collect();
            words.join(" ")
        })
        .collect();
    let verdicts_width = verdicts.iter().map(String::len).max().unwrap_or(0);
    let indent = " ".repeat(2 + verdicts_width + 2);
    for (check, verdict) in checks.iter().zip(&verdicts) {
        let head = format!("  {verdict:verdicts_width$}  ");
        let words: Vec<String> = check.rule.split(' ').map(str::to_owned).collect();
        out.push_str(&wrap(&words, "", &head, &indent));
        out.push_str(&wrap(&check.python, "; ", &indent, &format!("{indent}  ")));
    }
    (out, all)
}

/// One backend's figures.
struct Costs {
    per_item: Samples,
    per_send: Samples,
    footprint: Footprint,
}

/// One backend's timing probes, and its footprint.
struct Probes {
    per_item: Box<dyn FnMut() -> f64>,
    per_send: Box<dyn FnMut() -> f64>,
    footprint: Footprint,
}

/// The same programs through each backend crate: `fibonacci_u64` per
/// item, `running_sum` per send and for its footprint.
fn probes(backend: Backend) -> Probes {
    macro_rules! probes {
        ($krate:ident) => {
            Probes {
                per_item: Box::new(measure::item_probe($krate::fibonacci_u64::<i64>)),
                per_send: Box::new(measure::send_probe($krate::running_sum::<i64>, SENDS)),
                footprint: measure::footprint($krate::running_sum::<i64>),
            }
        };
    }
    match backend {
        Backend::Genawaiter => probes!(pygen_genawaiter),
        Backend::AsyncStream => probes!(pygen_async_stream),
        Backend::Nightly => probes!(pygen_nightly),
    }
}

/// CPython's nanoseconds per `send` into `running_sum()`, one sample per
/// repeat, and its version, if python3 is here. Its own process, so not
/// interleaved with the backends' rounds: the ratios to it are of medians.
pub fn cpython_per_send() -> Option<(String, Samples)> {
    // Timed in thread CPU time, as the backends are.
    let script = "import platform, time, timeit\n\
def running_sum():\n    total = 0\n    while True:\n        x = yield total\n        if x is None:\n            return total\n        total += x\n\
g = running_sum(); next(g); send = g.send\n\
n = 100000\n\
print(platform.python_version())\n\
for t in timeit.repeat(lambda: [send(1) for _ in range(n)], number=1, repeat=9, timer=time.thread_time):\n    print(t / n * 1e9)";
    let output = Command::new("python3").args(["-c", script]).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let mut lines = text.lines();
    let version = lines.next()?.trim().to_owned();
    let samples: Vec<f64> = lines
        .map(|l| l.trim().parse().ok())
        .collect::<Option<_>>()?;
    (!samples.is_empty()).then_some((version, Samples(samples)))
}

/// The second part of the tour: what each backend costs, beside the
/// hand-written baseline, and CPython's cost per send; `rounds` per
/// stretch.
pub fn costs_table(rounds: usize) -> String {
    let mut item_base = measure::baseline_item_probe();
    let mut send_base = measure::baseline_send_probe(SENDS);
    let mut backends: Vec<Probes> = Backend::ALL.iter().map(|&b| probes(b)).collect();
    // The baseline first, then each backend's: per item, then per send.
    let mut list: Vec<&mut dyn FnMut() -> f64> = vec![&mut item_base, &mut send_base];
    for probes in &mut backends {
        list.push(&mut *probes.per_item);
        list.push(&mut *probes.per_send);
    }
    let all = measure::interleaved(STRETCHES * rounds, &mut list);
    let mut samples = measure::quietest_stretch(&all, STRETCHES).into_iter();
    let mut next = || samples.next().unwrap_or_else(|| Samples(Vec::new()));
    let base_item = next();
    let base_send = next();
    let costs: Vec<(Backend, Costs)> = Backend::ALL
        .iter()
        .zip(&backends)
        .map(|(&backend, probes)| {
            let per_item = next();
            let per_send = next();
            (
                backend,
                Costs {
                    per_item,
                    per_send,
                    footprint: probes.footprint,
                },
            )
        })
        .collect();
    let baseline = measure::baseline_footprint();
    let counting = Allocations::counting();

    let mut out = String::new();
    let _ = writeln!(out, "2. What the backends cost\n");
    out.push_str(&paragraph(&format!(
        "Times are nanoseconds (ns) of CPU time for one call. Each round times \
         every column in turn; the rounds run in {STRETCHES} stretches of {rounds}, \
         and the figures come from the quietest stretch, where everything ran \
         fastest, since a busy neighbour on the machine can slow a whole \
         stretch. Each time is the median of that stretch's {rounds} rounds, ± \
         half the spread of their middle half. Under it is its ratio to the \
         hand-written column, round by round: the same generator as a state \
         machine written out by hand, with no coroutine (src/baseline.rs). \
         Under 1x is faster than by hand."
    )));
    out.push('\n');
    let mut row = |label: &str, cells: Vec<String>| {
        let mut line = format!("  {label:22}");
        for cell in cells {
            let _ = write!(line, "  {cell:14}");
        }
        let _ = writeln!(out, "{}", line.trim_end());
    };
    let time = |s: &Samples| format!("{:.2} ns ±{:.0}%", s.median(), s.spread() * 100.0);
    let ratio = |s: &Samples, base: &Samples| format!("{:.1}x", s.ratio_to(base));
    let column = |cell: &dyn Fn(&Costs) -> String| -> Vec<String> {
        costs.iter().map(|(_, c)| cell(c)).collect()
    };
    let with_base = |base: String, rest: Vec<String>| [vec![base], rest].concat();

    row(
        "",
        with_base(
            "hand-written".into(),
            costs.iter().map(|(b, _)| b.name().to_owned()).collect(),
        ),
    );
    row(
        "next(g), fibonacci_u64",
        with_base(time(&base_item), column(&|c| time(&c.per_item))),
    );
    row(
        "  vs hand-written",
        with_base("1x".into(), column(&|c| ratio(&c.per_item, &base_item))),
    );
    row(
        "g.send(1), running_sum",
        with_base(time(&base_send), column(&|c| time(&c.per_send))),
    );
    row(
        "  vs hand-written",
        with_base("1x".into(), column(&|c| ratio(&c.per_send, &base_send))),
    );
    let size = |f: &Footprint| {
        if counting && f.heap_bytes > 0 {
            format!("{} + {} heap", f.inline_bytes, f.heap_bytes)
        } else {
            f.inline_bytes.to_string()
        }
    };
    row(
        "size of g, bytes",
        with_base(size(&baseline), column(&|c| size(&c.footprint))),
    );
    if counting {
        row(
            "allocations to make g",
            with_base(
                baseline.allocations.to_string(),
                column(&|c| c.footprint.allocations.to_string()),
            ),
        );
        row(
            "allocations per send",
            with_base(
                baseline.allocations_per_resume.to_string(),
                column(&|c| c.footprint.allocations_per_resume.to_string()),
            ),
        );
    }
    out.push('\n');
    out.push_str(&paragraph(&format!(
        "next(g) drains {} fresh fibonacci_u64() generators per round (making \
         them is not timed); g.send(1) is {SENDS} sends per round into one \
         running_sum(). From run to run the figures agree within a few \
         percent, though a backend that allocates can move by up to a tenth \
         with where the system happens to place the program in memory. A \
         time near or under 1 ns is a handful of instructions, the generator \
         folded into the loop that drives it; how the compiler lays out that \
         loop can move such a figure by up to 2x from one build to the next, \
         so compare it within a run, not across builds or machines.",
        measure::FIB_BATCH
    )));
    if let Some((version, python)) = cpython_per_send() {
        let faster: Vec<String> = costs
            .iter()
            .map(|(b, c)| format!("{b} {:.0}x", python.median() / c.per_send.median()))
            .collect();
        out.push('\n');
        out.push_str(&paragraph(&format!(
            "CPython {version} takes {:.1} ns ±{:.0}% per g.send(1) into the same \
             running_sum() (the median of {} repeats); each backend is faster, by \
             its median: {}.",
            python.median(),
            python.spread() * 100.0,
            python.0.len(),
            faster.join(", ")
        )));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_as_python() {
        let row = ROWS
            .iter()
            .find(|r| r.name == "close_raises_generator_exit_and_runs_cleanup")
            .expect("the row");
        let ops = parse_ops(row.ops).expect("ops");
        assert_eq!(
            python_of(row, &ops),
            [
                "g = guarded()",
                "next(g) → yield 'waiting'",
                "g.close() → log 'cleanup', closed",
                "next(g) → raise StopIteration"
            ]
        );
    }

    #[test]
    fn long_lines_wrap_between_pieces() {
        let pieces: Vec<String> = (0..30).map(|i| format!("call{i}")).collect();
        let text = wrap(&pieces, "; ", "> ", "  ");
        assert!(text.lines().count() > 1);
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
        assert!(text.starts_with("> call0; call1;"), "{text}");
        assert!(text.ends_with("call29\n"), "{text}");
    }
}
