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
//! `python3 -I -c ORACLE --tutor DEMO OP...`. For an async demo it reads
//! `ag_frame` instead, and names the state as 3.12's
//! `inspect.getasyncgenstate` does, which 3.11 lacks: from `ag_frame`,
//! `ag_running`, and whether the body has reached a `yield` yet.
//!
//! # Running python3 safely from a server
//!
//! * **Isolated.** `-I` is Python's isolated mode: neither the working
//!   directory nor the script's is put on `sys.path`, `PYTHON*`
//!   environment variables are ignored, and there is no user
//!   `site-packages`. Plain `python3 -c` puts the working directory first
//!   on `sys.path`, so a `json.py` there would run, with the tutor's
//!   rights, at the oracle's `import json`.
//! * **A deadline.** A run gets [`Python::deadline`] (5 s unless told);
//!   past it python3 is killed with its whole process group (it runs in a
//!   group of its own, so a wrapper script's children go too), reaped,
//!   and the pane falls back to the recording with a note saying why.
//!   A tutor that is shutting down stops its runs the same way at once.
//! * **Off the event loop.** This module blocks while python3 runs; the
//!   tutor calls it on a thread of its own (`app.rs`), never on the event
//!   loop's.
//!
//! Where python3 is missing (or fails), the pane comes from
//! `src/tutor/recorded.json`, which the same oracle wrote
//! (`python3 tests/oracle.py --tutor-recorded src/tutor/recorded.json`;
//! a test checks it is current) for a fixed set of scripts: any script
//! that is a prefix of one of them is shown, and the pane says it is a
//! recording.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use std::fmt::Display;

use pygen_http::Shutdown;
use serde_json::Value;

use crate::side_by_side::ORACLE;

/// CPython's runs of the oracle's `TUTOR_SCRIPTS`, for when python3 is
/// missing.
pub const RECORDED: &str = include_str!("recorded.json");

/// The demo's source as the Python pane shows it: the lines of
/// `tests/oracle.py` between `# ANCHOR: NAME` and `# ANCHOR_END: NAME`.
/// `demo` is a [`Demo`](pygen_demos::Demo) or an
/// [`AsyncDemo`](pygen_demos::AsyncDemo), which print as their names.
pub fn source(demo: impl Display) -> String {
    let start = format!("# ANCHOR: {demo}");
    let end = format!("# ANCHOR_END: {demo}");
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

/// How long a python3 run may take by default before it is killed.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(5);

/// The longest deadline `--python-deadline` takes: well within the 30 s
/// pygen-http gives a response that is not ready yet
/// ([`Config::write_timeout`](pygen_http::Config::write_timeout)) before
/// it closes the connection, so a run is always answered.
pub const MAX_DEADLINE: Duration = Duration::from_secs(20);

/// The most of python3's stdout (and of its stderr) that is kept: far
/// more than the oracle writes for [`MAX_OPS`](crate::tutor::api::MAX_OPS)
/// ops, and a bound on what a broken python3 can make the tutor hold.
const MAX_OUTPUT: u64 = 16 * 1024 * 1024;

/// How often a waiting run looks at its child and the clock.
const POLL: Duration = Duration::from_millis(10);

/// Which python3 the tutor runs, and how long it may take.
#[derive(Clone, Debug)]
pub struct Python {
    /// The program: `python3`, or `$PYGEN_TUTOR_PYTHON` (a name that does
    /// not exist shows the recordings, as on a machine with no Python).
    pub program: String,
    /// How long a run may take before it is killed.
    pub deadline: Duration,
    /// The server's shutdown: once it is triggered, runs are killed at
    /// once, so that a hung python3 does not hold the tutor open.
    pub stop: Shutdown,
}

impl Default for Python {
    fn default() -> Python {
        Python {
            program: std::env::var("PYGEN_TUTOR_PYTHON").unwrap_or_else(|_| "python3".to_owned()),
            deadline: DEFAULT_DEADLINE,
            stop: Shutdown::new(),
        }
    }
}

/// Run `ops` on `demo` in CPython, or find the recording. Blocks for as
/// long as python3 runs, at most `python.deadline`. `demo` and `ops` are
/// a [`Demo`](pygen_demos::Demo) and its [`Op`](pygen_demos::Op)s, or an
/// [`AsyncDemo`](pygen_demos::AsyncDemo) and its
/// [`AsyncOp`](pygen_demos::AsyncOp)s: the oracle takes them as words.
pub fn run(demo: impl Display, ops: &[impl Display], python: &Python) -> Run {
    let demo = demo.to_string();
    let ops: Vec<String> = ops.iter().map(ToString::to_string).collect();
    match live(&demo, &ops, python) {
        Ok(run) => run,
        Err(why) => recorded(&demo, &ops, why),
    }
}

fn live(demo: &str, ops: &[String], python: &Python) -> Result<Run, String> {
    let program = &python.program;
    let mut child = Command::new(program)
        .arg("-I")
        .arg("-c")
        .arg(ORACLE)
        .arg("--tutor")
        .arg(demo)
        .args(ops)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A group of its own, so that at the deadline everything it
        // started is killed with it.
        .process_group(0)
        .spawn()
        .map_err(|error| format!("{program} cannot be run ({error})"))?;
    let stdout = collect(child.stdout.take());
    let stderr = collect(child.stderr.take());
    let status = wait(&mut child, python).map_err(|why| format!("{program} {why}"))?;
    // The pipes close when python3 exits, unless something it started
    // still holds them: that is waited for no longer than the deadline.
    let stdout = stdout
        .recv_timeout(python.deadline)
        .map_err(|error| match error {
            mpsc::RecvTimeoutError::Timeout => format!("{program} exited but left its output open"),
            mpsc::RecvTimeoutError::Disconnected => format!("{program}'s output could not be read"),
        })?;
    if !status.success() {
        let stderr = stderr.recv_timeout(python.deadline).unwrap_or_default();
        let stderr = String::from_utf8_lossy(&stderr);
        let last = stderr.lines().rev().find(|line| !line.trim().is_empty());
        return Err(format!(
            "{program} failed ({})",
            last.unwrap_or("no message").trim()
        ));
    }
    let value: Value = serde_json::from_slice(&stdout)
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

/// Read all of `pipe` (up to [`MAX_OUTPUT`]) on a thread of its own, so
/// that python3 never blocks on a full pipe; the bytes come through the
/// channel when it closes.
fn collect(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (sender, receiver) = mpsc::channel();
    if let Some(pipe) = pipe {
        let spawned = thread::Builder::new()
            .name("pygen-tutor-pipe".to_owned())
            .spawn(move || {
                let mut bytes = Vec::new();
                // A read error ends the output where it is: the JSON is
                // then unreadable, and the pane says so.
                let _ = pipe.take(MAX_OUTPUT).read_to_end(&mut bytes);
                let _ = sender.send(bytes);
            });
        if spawned.is_err() {
            // No thread, no output: the pane says the JSON is unreadable.
            return receiver;
        }
    }
    receiver
}

/// Wait for `child` to exit, at most `python.deadline`, and less if the
/// server stops meanwhile; past it, kill the child's process group and
/// reap the child. Errors finish the sentence "python3 ...".
fn wait(child: &mut Child, python: &Python) -> Result<ExitStatus, String> {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) => {}
            Err(error) => {
                kill_group(child);
                return Err(format!("could not be waited for ({error})"));
            }
        }
        let why = if start.elapsed() >= python.deadline {
            format!(
                "gave no answer within {:.1} s and was stopped",
                python.deadline.as_secs_f64()
            )
        } else if python.stop.is_triggered() {
            "was stopped: the tutor is shutting down".to_owned()
        } else {
            thread::sleep(POLL);
            continue;
        };
        kill_group(child);
        return Err(why);
    }
}

/// SIGKILL to `child`'s process group (its id: it leads a group of its
/// own), then reap it. Called only before the child has been reaped,
/// while its id cannot belong to anyone else.
fn kill_group(child: &mut Child) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill() takes two integers and touches no memory of
        // ours; a negative id names a process group.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    // In case the group could not be named: the child itself.
    let _ = child.kill();
    let _ = child.wait();
}

fn parts(run: &Value) -> Option<(Value, Vec<Value>)> {
    Some((
        run.get("start")?.clone(),
        run.get("steps")?.as_array()?.clone(),
    ))
}

/// The recording of a script that starts with `ops`, cut to `ops`.
fn recorded(demo: &str, wanted: &[String], why: String) -> Run {
    let all: Value = serde_json::from_str(RECORDED).expect("recorded.json is JSON");
    let found = all
        .get(demo)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(parts)
        .find(|(_, steps)| {
            steps.len() >= wanted.len()
                && steps
                    .iter()
                    .zip(wanted)
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
