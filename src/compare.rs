//! `pygen compare`: the three backends side by side, in a few seconds.
//!
//! First the protocol table, every row run live against each backend's
//! demos and compared with CPython's transcript; then what each costs:
//! nanoseconds per item and per send (medians, and ratios to a
//! hand-written baseline timed in the same run), object size, and heap
//! allocations counted by the global allocator.

use std::fmt::Write as _;
use std::process::Command;

use pygen_demos::{Log, ROWS, parse_ops, transcript};

use crate::Backend;
use crate::measure::{self, Allocations, Footprint};

/// How long the timing runs are: rounds per figure, sends per round.
const ROUNDS: usize = 15;
const SENDS: u64 = 1_000_000;

/// Whether `backend` passes `row`: its transcript equals CPython's.
fn passes(backend: Backend, row: &pygen_demos::Row) -> bool {
    let Ok(ops) = parse_ops(row.ops) else {
        return false;
    };
    let log = Log::new();
    let mut generator = backend.demo(row.demo, &log);
    transcript(&mut *generator, &log, &ops) == row.transcript
}

/// The `finally` row, which a transcript cannot show: a suspended
/// `guarded()` that is dropped logs `'cleanup'`.
fn finally_runs_on_drop(backend: Backend) -> bool {
    let log = Log::new();
    let mut generator = backend.demo(pygen_demos::Demo::Guarded, &log);
    let started = generator.apply(&pygen_demos::Op::Next);
    drop(generator);
    started == pygen_demos::Outcome::Yield("'waiting'".into()) && log.take() == ["cleanup"]
}

/// F(999), the thousandth value, as Python's ints give it.
fn fibonacci_is_unbounded(backend: Backend) -> bool {
    backend
        .fibonacci()
        .nth(999)
        .is_some_and(|n| n.to_string() == pygen_demos::conformance::FIBONACCI_999)
}

/// The conformance table, one line per row.
pub fn conformance() -> (String, bool) {
    let mut out = String::new();
    let mut all = true;
    let width = ROWS.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let _ = write!(out, "{:width$}", "protocol row");
    for backend in Backend::ALL {
        let _ = write!(out, "  {:>12}", backend.name());
    }
    out.push('\n');
    let mut line = |name: &str, check: &dyn Fn(Backend) -> bool| {
        let _ = write!(out, "{name:width$}");
        for backend in Backend::ALL {
            let ok = check(backend);
            all &= ok;
            let _ = write!(out, "  {:>12}", if ok { "ok" } else { "FAIL" });
        }
        out.push('\n');
    };
    for row in ROWS {
        line(row.name, &|backend| passes(backend, row));
    }
    line(
        "finally_runs_on_drop_of_a_suspended_generator",
        &finally_runs_on_drop,
    );
    line("fibonacci_is_unbounded", &fibonacci_is_unbounded);
    (out, all)
}

/// One backend's figures.
struct Costs {
    ns_per_item: f64,
    ns_per_send: f64,
    footprint: Footprint,
}

fn costs(backend: Backend) -> Costs {
    macro_rules! measure {
        ($krate:ident) => {
            Costs {
                ns_per_item: measure::ns_per_item($krate::fibonacci_u64::<i64>, ROUNDS),
                ns_per_send: measure::ns_per_send($krate::running_sum::<i64>, ROUNDS, SENDS),
                footprint: measure::footprint($krate::running_sum::<i64>),
            }
        };
    }
    match backend {
        Backend::Genawaiter => measure!(pygen_genawaiter),
        Backend::AsyncStream => measure!(pygen_async_stream),
        Backend::Nightly => measure!(pygen_nightly),
    }
}

/// CPython's nanoseconds per `send` into `running_sum()`, if python3 is
/// here.
pub fn cpython_ns_per_send() -> Option<f64> {
    let script = "import timeit\n\
def running_sum():\n    total = 0\n    while True:\n        x = yield total\n        if x is None:\n            return total\n        total += x\n\
g = running_sum(); next(g); send = g.send\n\
n = 200000\n\
print(min(timeit.repeat(lambda: [send(1) for _ in range(n)], number=1, repeat=5)) / n * 1e9)";
    let output = Command::new("python3").args(["-c", script]).output().ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()?.trim().parse().ok()
}

/// The cost table.
pub fn costs_table() -> String {
    let baseline_item = measure::baseline_ns_per_item(ROUNDS);
    let baseline_send = measure::baseline_ns_per_send(ROUNDS, SENDS);
    let baseline = measure::baseline_footprint();
    let costs: Vec<(Backend, Costs)> = Backend::ALL.iter().map(|&b| (b, costs(b))).collect();
    let counting = Allocations::counting();

    let mut out = String::new();
    // One line of the table: a label, the baseline's figure, each
    // backend's.
    let mut row = |label: &str, baseline: String, cells: Vec<String>| {
        let _ = write!(out, "{label:34}  {baseline:>12}");
        for cell in cells {
            let _ = write!(out, "  {cell:>16}");
        }
        out.push('\n');
    };
    let each = |cell: &dyn Fn(&Costs) -> String| costs.iter().map(|(_, c)| cell(c)).collect();
    let ratio = |value: f64, base: f64| format!("{value:.2} ({:.1}x)", value / base);

    row(
        "cost",
        "hand-written".into(),
        costs.iter().map(|(b, _)| b.name().to_owned()).collect(),
    );
    row(
        "ns per item (fibonacci_u64)",
        format!("{baseline_item:.2}"),
        each(&|c| ratio(c.ns_per_item, baseline_item)),
    );
    row(
        "ns per send (running_sum)",
        format!("{baseline_send:.2}"),
        each(&|c| ratio(c.ns_per_send, baseline_send)),
    );
    row(
        "generator size, bytes",
        baseline.inline_bytes.to_string(),
        each(&|c| {
            if counting {
                format!(
                    "{} + {} heap",
                    c.footprint.inline_bytes, c.footprint.heap_bytes
                )
            } else {
                c.footprint.inline_bytes.to_string()
            }
        }),
    );
    if counting {
        row(
            "allocations per generator",
            baseline.allocations.to_string(),
            each(&|c| c.footprint.allocations.to_string()),
        );
        row(
            "allocations per send",
            baseline.allocations_per_resume.to_string(),
            each(&|c| c.footprint.allocations_per_resume.to_string()),
        );
    }
    if let Some(python) = cpython_ns_per_send() {
        let _ = writeln!(
            out,
            "\nCPython {python:.1} ns per send: {}",
            costs
                .iter()
                .map(|(b, c)| format!("{b} {:.0}x faster", python / c.ns_per_send))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}
