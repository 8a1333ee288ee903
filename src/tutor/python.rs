//! The Python pane: CPython itself, run live, or its recorded runs.
//!
//! # How the Python pane finds its paused line
//!
//! CPython knows: after every op, `tests/oracle.py --tutor` reads the
//! generator's `gi_frame.f_lineno` and `inspect.getgeneratorstate`, and
//! its `f_locals` as `repr`s. The line is counted from the demo's
//! `# ANCHOR: NAME` comment, so line 1 is the first line of the source
//! this pane shows ([`source`]: the demo's anchored region of
//! `oracle.py`). The oracle is built into the binary and run as
//! `python3 -c ORACLE --tutor DEMO OP...`, as `pygen transcript --impl all`
//! runs it.
//!
//! Where python3 is missing (or fails), the pane comes from
//! `src/tutor/recorded.json`, which the same oracle wrote
//! (`python3 tests/oracle.py --tutor-recorded src/tutor/recorded.json`;
//! a test checks it is current) for a fixed set of scripts: any script
//! that is a prefix of one of them is shown, and the pane says it is a
//! recording.

use std::process::{Command, Stdio};

use pygen_demos::{Demo, Op};
use serde_json::Value;

use crate::side_by_side::ORACLE;

/// CPython's runs of the oracle's `TUTOR_SCRIPTS`, for when python3 is
/// missing.
pub const RECORDED: &str = include_str!("recorded.json");

/// The demo's source as the Python pane shows it: the lines of
/// `tests/oracle.py` between `# ANCHOR: NAME` and `# ANCHOR_END: NAME`.
pub fn source(demo: Demo) -> String {
    let start = format!("# ANCHOR: {}", demo.name());
    let end = format!("# ANCHOR_END: {}", demo.name());
    ORACLE
        .lines()
        .skip_while(|line| line.trim_end() != start)
        .skip(1)
        .take_while(|line| line.trim_end() != end)
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Where the Python pane's run came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `python3` ran it just now.
    Live,
    /// python3 could not; this is a recording. The text says why.
    Recorded(String),
    /// python3 could not, and no recording covers this script.
    Missing(String),
}

/// The oracle's JSON for one script: `{"start": VIEW, "steps": [...]}`,
/// each view `{"state", "line", "locals"}` and each step a view with its
/// `op` and `outcome`; or [`Origin::Missing`]'s empty run.
#[derive(Clone, Debug)]
pub struct Run {
    /// Where it came from.
    pub origin: Origin,
    /// `{"state": ..., "line": ..., "locals": {...}}` before any op.
    pub start: Value,
    /// One object per op.
    pub steps: Vec<Value>,
}

/// Run `ops` on `demo` in CPython, or find the recording.
pub fn run(demo: Demo, ops: &[Op]) -> Run {
    match live(demo, ops) {
        Ok(run) => run,
        Err(why) => recorded(demo, ops, why),
    }
}

/// The Python the tutor runs: `python3`, or `$PYGEN_TUTOR_PYTHON` (a
/// name that does not exist shows the recordings, as on a machine with no
/// Python).
fn python() -> String {
    std::env::var("PYGEN_TUTOR_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn live(demo: Demo, ops: &[Op]) -> Result<Run, String> {
    let python = python();
    let output = Command::new(&python)
        .arg("-c")
        .arg(ORACLE)
        .arg("--tutor")
        .arg(demo.name())
        .args(ops.iter().map(Op::to_string))
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("{python} cannot be run ({error})"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|line| !line.trim().is_empty());
        return Err(format!(
            "{python} failed ({})",
            last.unwrap_or("no message").trim()
        ));
    }
    let value: Value = serde_json::from_slice(&output.stdout)
        .map_err(|error| format!("the oracle's JSON is unreadable ({error})"))?;
    let (start, steps) = parts(&value).ok_or("the oracle's JSON has no steps")?;
    if steps.len() != ops.len() {
        return Err(format!(
            "the oracle gave {} steps for {} ops",
            steps.len(),
            ops.len()
        ));
    }
    Ok(Run {
        origin: Origin::Live,
        start,
        steps,
    })
}

fn parts(run: &Value) -> Option<(Value, Vec<Value>)> {
    Some((
        run.get("start")?.clone(),
        run.get("steps")?.as_array()?.clone(),
    ))
}

/// The recording of a script that starts with `ops`, cut to `ops`.
fn recorded(demo: Demo, ops: &[Op], why: String) -> Run {
    let all: Value = serde_json::from_str(RECORDED).expect("recorded.json is JSON");
    let wanted: Vec<String> = ops.iter().map(Op::to_string).collect();
    let found = all
        .get(demo.name())
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(parts)
        .find(|(_, steps)| {
            steps.len() >= wanted.len()
                && steps
                    .iter()
                    .zip(&wanted)
                    .all(|(step, op)| step.get("op").and_then(Value::as_str) == Some(op))
        });
    match found {
        Some((start, mut steps)) => {
            steps.truncate(wanted.len());
            Run {
                origin: Origin::Recorded(format!(
                    "{why}: CPython's recorded run of this script is shown"
                )),
                start,
                steps,
            }
        }
        None => Run {
            origin: Origin::Missing(format!(
                "{why}, and no recorded run of CPython covers this script"
            )),
            start: Value::Null,
            steps: Vec::new(),
        },
    }
}
