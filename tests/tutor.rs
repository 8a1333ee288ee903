//! `pygen tutor`: the JSON contract of `/api/run` over real HTTP, the
//! recorded CPython runs checked current, and every Rust pane's paused
//! line checked against CPython's, yield site by yield site; and what
//! makes the tutor safe to leave running: python3 off the event loop,
//! with a deadline, a bound on runs at once and isolation; the `Host`
//! check; `HEAD`; SIGTERM with a hung python3.
//!
//! Fake pythons are shell scripts the tests write, pointed at with
//! `Python::program` (in process) or `PYGEN_TUTOR_PYTHON` (the binary).
//! No test measures time: a hung run is made to wait for a file the test
//! creates, so "a GET is answered while a run is pending" is an order of
//! events, and the waits below are only guards against hanging for ever.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use pygen::Backend;
use pygen::tutor::app::Tutor;
use pygen::tutor::python::Python;
use pygen::tutor::{panes, python};
use pygen_demos::{AsyncDemo, Demo, parse_async_ops, parse_ops};
use serde_json::Value;

/// Not a timing threshold: how long to wait for something that must
/// happen before calling it a failure rather than hanging the test run.
const HUNG: Duration = Duration::from_secs(20);

fn python3_available() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// A tutor server on a free port, on a thread of its own for the rest of
/// the test run.
fn server() -> String {
    server_with(Python::default())
}

/// A tutor server running `python` for the Python pane.
fn server_with(python: Python) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let local = listener.local_addr().expect("an address");
    let tutor = Arc::new(Tutor::new(local).with_python(python));
    let server = pygen_http::Server::from_listener(listener);
    thread::spawn(move || server.serve(move || pygen::tutor::app::handler(tutor.clone())));
    local.to_string()
}

/// Send `request` on a new connection and read until the server closes
/// it: the head and the body.
fn exchange(addr: &str, request: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(HUNG)).expect("a timeout");
    stream.write_all(request.as_bytes()).expect("writes");
    read_response(&mut stream)
}

/// Read a response that ends with the connection.
fn read_response(stream: &mut TcpStream) -> (String, String) {
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("reads");
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    (head.to_owned(), body.to_owned())
}

fn status_of(head: &str) -> u16 {
    head[9..12].parse().expect("a status")
}

/// GET `target`: the status and the body.
fn get(addr: &str, target: &str) -> (u16, String) {
    let (head, body) = exchange(
        addr,
        &format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    (status_of(&head), body)
}

/// A directory of the test's own, made empty.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pygen-tutor-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// A fake python3 in `dir`: a shell script that notes its process id and
/// its child's in `dir/started-N`, then waits (in a child `sleep`, of its
/// own process group) until `dir/go` exists, and prints nothing.
fn hanging_python(dir: &Path) -> String {
    let script = dir.join("python3");
    let text = format!(
        "#!/bin/sh\n\
         dir='{dir}'\n\
         (while [ ! -e \"$dir/go\" ]; do sleep 0.05; done) &\n\
         echo \"$$ $!\" > \"$dir/started-$$.tmp\"\n\
         mv \"$dir/started-$$.tmp\" \"$dir/started-$$\"\n\
         wait\n",
        dir = dir.display()
    );
    std::fs::write(&script, text).expect("the script is written");
    let chmod = Command::new("chmod").arg("+x").arg(&script).status();
    assert!(chmod.is_ok_and(|status| status.success()));
    script.display().to_string()
}

/// The process ids the fake pythons in `dir` noted, once `count` have
/// started.
fn started(dir: &Path, count: usize) -> Vec<u32> {
    let begun = Instant::now();
    loop {
        let mut pids = Vec::new();
        for entry in std::fs::read_dir(dir).expect("the scratch directory") {
            let name = entry.expect("an entry").file_name();
            let name = name.to_string_lossy();
            if name.starts_with("started-") && !name.ends_with(".tmp") {
                let text = std::fs::read_to_string(dir.join(&*name)).expect("readable");
                pids.extend(
                    text.split_whitespace()
                        .filter_map(|pid| pid.parse::<u32>().ok()),
                );
            }
        }
        if pids.len() >= 2 * count {
            return pids;
        }
        assert!(begun.elapsed() < HUNG, "{count} fake pythons never started");
        thread::sleep(Duration::from_millis(10));
    }
}

/// Whether process `pid` is gone (or a zombie no one has reaped yet,
/// which runs no more).
fn gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z')),
    }
}

/// Wait for every process in `pids` to be gone.
fn all_gone(pids: &[u32]) -> bool {
    let begun = Instant::now();
    while !pids.iter().all(|&pid| gone(pid)) {
        if begun.elapsed() > HUNG {
            return false;
        }
        thread::sleep(Duration::from_millis(10));
    }
    true
}

/// A request for `target` sent on a connection of its own, not read yet.
fn send_get(addr: &str, target: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(HUNG)).expect("a timeout");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("writes");
    stream
}

/// Whether `stream` has nothing to read yet: its answer is pending.
fn nothing_yet(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).expect("non-blocking");
    let mut byte = [0u8; 1];
    let pending = matches!(
        stream.peek(&mut byte),
        Err(error) if error.kind() == ErrorKind::WouldBlock
    );
    stream.set_nonblocking(false).expect("blocking again");
    pending
}

#[test]
fn api_run_answers_the_contract() {
    let addr = server();
    let (status, body) = get(
        &addr,
        "/api/run?demo=guarded&op=next&op=throw%20ValueError&op=close",
    );
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer["demo"], "guarded");
    for pane in ["python", "nightly", "genawaiter", "async-stream"] {
        let steps = answer["panes"][pane]["steps"].as_array().expect(pane);
        let source = answer["panes"][pane]["source"].as_str().expect(pane);
        let got = op_outcome_state(steps);
        assert_eq!(
            got,
            [
                ("next", "yield 'waiting'", "GEN_SUSPENDED"),
                ("throw ValueError", "yield 'recovered'", "GEN_SUSPENDED"),
                ("close", "log 'cleanup'; closed", "GEN_CLOSED"),
            ],
            "{pane}"
        );
        let line = |i: usize| {
            let n = steps[i]["line"].as_u64().expect("a line") as usize;
            source.lines().nth(n - 1).expect("in the source").to_owned()
        };
        assert!(
            line(0).contains("waiting") && line(0).contains("yield"),
            "{pane}: {}",
            line(0)
        );
        assert!(
            line(1).contains("recovered") && line(1).contains("yield"),
            "{pane}: {}",
            line(1)
        );
        assert!(steps[2]["line"].is_null(), "{pane}");
    }
}

/// Each step of a pane as (op, outcome, state).
fn op_outcome_state(steps: &[Value]) -> Vec<(&str, &str, &str)> {
    steps
        .iter()
        .map(|s| {
            (
                s["op"].as_str().unwrap(),
                s["outcome"].as_str().unwrap(),
                s["state"].as_str().unwrap(),
            )
        })
        .collect()
}

/// An async demo through the API: the same shape, async states, and in
/// every pane each op's outcome and state CPython's (live, or recorded:
/// this script is one of the recordings), paused at the `yield` line.
#[test]
fn api_run_steps_an_async_demo_as_cpython_does() {
    let addr = server();
    let (status, body) = get(
        &addr,
        "/api/run?demo=ticker&op=anext&op=asend+3&op=athrow+ValueError&op=aclose",
    );
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer["demo"], "ticker");
    assert_ne!(answer["cpython"], "missing", "{body}");
    for pane in ["python", "nightly", "genawaiter", "async-stream"] {
        assert_eq!(answer["panes"][pane]["start"]["state"], "AGEN_CREATED");
        let steps = answer["panes"][pane]["steps"].as_array().expect(pane);
        let source = answer["panes"][pane]["source"].as_str().expect(pane);
        let got = op_outcome_state(steps);
        assert_eq!(
            got,
            [
                ("anext", "yield 0", "AGEN_SUSPENDED"),
                ("asend 3", "yield 1", "AGEN_SUSPENDED"),
                (
                    "athrow ValueError",
                    "log 'ticker closed'; raise ValueError",
                    "AGEN_CLOSED"
                ),
                ("aclose", "closed", "AGEN_CLOSED"),
            ],
            "{pane}"
        );
        for step in &steps[..2] {
            let n = step["line"].as_u64().expect("a line") as usize;
            let line = source.lines().nth(n - 1).expect("in the source");
            assert!(
                line.contains("yield") && line.contains('n'),
                "{pane}: {line}"
            );
            assert_ne!(step.get("differs"), Some(&Value::Bool(true)), "{pane}");
        }
        assert!(steps[2]["line"].is_null() && steps[3]["line"].is_null());
    }
}

/// A generator's op on an async demo, and an async op on a generator,
/// are refused in one line naming the op.
#[test]
fn mixed_ops_are_a_400() {
    let addr = server();
    for (target, word) in [
        ("/api/run?demo=ticker&op=anext&op=next", "'next'"),
        ("/api/run?demo=running_mean&op=send+3", "'send'"),
        ("/api/run?demo=stubborn_async&op=anext&op=del", "'del'"),
        ("/api/run?demo=echo&op=next&op=asend+3", "'asend'"),
        ("/api/run?demo=guarded&op=aclose", "'aclose'"),
    ] {
        let (status, body) = get(&addr, target);
        assert_eq!(status, 400, "{target}");
        assert_eq!(body.lines().count(), 1, "{target}: {body}");
        assert!(body.contains(word), "{target}: {body}");
    }
}

#[test]
fn bad_requests_get_one_line_reasons() {
    let addr = server();
    for target in [
        "/api/run?demo=nope&op=next",
        "/api/run?demo=echo&op=send%20x",
        "/api/run?op=next",
    ] {
        let (status, body) = get(&addr, target);
        assert_eq!(status, 400, "{target}");
        assert_eq!(body.lines().count(), 1, "{target}: {body}");
    }
    assert_eq!(get(&addr, "/nowhere").0, 404);
    let (status, page) = get(&addr, "/");
    assert_eq!(status, 200);
    assert!(page.contains("/tutor.js"));
    assert_eq!(get(&addr, "/tutor.js").0, 200);
    assert_eq!(get(&addr, "/tutor.css").0, 200);
}

#[test]
fn recorded_runs_are_current() {
    if !python3_available() {
        eprintln!("python3 missing: recorded.json is not re-checked here");
        return;
    }
    let out = std::env::temp_dir().join(format!("pygen-recorded-{}.json", std::process::id()));
    let status = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle.py"))
        .arg("--tutor-recorded")
        .arg(&out)
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let fresh = std::fs::read_to_string(&out).expect("written");
    let _ = std::fs::remove_file(&out);
    assert!(
        fresh == python::RECORDED,
        "src/tutor/recorded.json is stale: run \
         python3 tests/oracle.py --tutor-recorded src/tutor/recorded.json"
    );
}

/// The index of `line` among a source's yield sites.
fn site_index(sites: &[usize], line: Option<u64>) -> Option<usize> {
    let line = usize::try_from(line?).ok()?;
    sites.iter().position(|&site| site == line)
}

/// CPython's yield lines in the demo's source: lines with `yield` on them.
fn python_sites(source: &str) -> Vec<usize> {
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            let code = line.split('#').next().unwrap_or("");
            code.split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|word| word == "yield")
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// CPython's recorded `steps` and a backend's `ours`, op by op: the same
/// outcome and state, paused at the same yield site (by its place among
/// `sites`, Python's and the backend's), and a line only while
/// `suspended`.
fn same_steps(
    steps: &[Value],
    ours: &[panes::Step],
    (py_sites, sites): (&[usize], &[usize]),
    suspended: &str,
    at: &str,
) {
    for (i, (theirs, ours)) in steps.iter().zip(ours).enumerate() {
        let at = format!("{at} op {i}");
        assert_eq!(
            theirs["outcome"].as_str(),
            Some(ours.outcome.as_str()),
            "{at}"
        );
        assert_eq!(theirs["state"].as_str(), Some(ours.view.state), "{at}");
        let py = site_index(py_sites, theirs["line"].as_u64());
        let rs = site_index(sites, ours.view.line.map(|l| l as u64));
        assert_eq!(rs, py, "{at}: yield site");
        assert_eq!(
            ours.view.line.is_some(),
            ours.view.state == suspended,
            "{at}"
        );
    }
}

/// Every recorded CPython run, replayed in each backend: the same
/// outcomes and states, and each paused at the same yield site (the n-th
/// in its own file as CPython is at the n-th in Python's), found without
/// looking at CPython's line.
#[test]
fn every_backend_pauses_at_cpythons_yield_site() {
    let recorded: Value = serde_json::from_str(python::RECORDED).expect("JSON");
    for demo in Demo::ALL {
        let py_source = python::source(demo);
        let py_sites = python_sites(&py_source);
        for run in recorded[demo.name()].as_array().expect("runs") {
            let steps = run["steps"].as_array().expect("steps");
            let words: Vec<&str> = steps.iter().map(|s| s["op"].as_str().unwrap()).collect();
            let ops = parse_ops(&words).expect("ops");
            for backend in Backend::ALL {
                let pane = panes::run(backend, demo, &ops);
                let sites = panes::yield_sites(backend, &pane.source);
                let py_start = site_index(&py_sites, run["start"]["line"].as_u64());
                let rs_start = site_index(&sites, pane.start.line.map(|l| l as u64));
                assert_eq!(rs_start, py_start, "{backend} {demo} before any op");
                let at = format!("{backend} {demo} {words:?}");
                same_steps(
                    steps,
                    &pane.steps,
                    (&py_sites, &sites),
                    "GEN_SUSPENDED",
                    &at,
                );
            }
        }
    }
}

/// The same for the async demos' recorded runs: each backend's outcomes
/// and states are CPython's, and it is paused at the same yield site.
#[test]
fn every_backend_pauses_at_cpythons_async_yield_site() {
    let recorded: Value = serde_json::from_str(python::RECORDED).expect("JSON");
    for demo in AsyncDemo::ALL {
        let py_sites = python_sites(&python::source(demo));
        let runs = recorded[demo.name()].as_array().expect("runs");
        assert!(!runs.is_empty(), "{demo}: no recorded runs");
        for run in runs {
            let steps = run["steps"].as_array().expect("steps");
            let words: Vec<&str> = steps.iter().map(|s| s["op"].as_str().unwrap()).collect();
            let ops = parse_async_ops(&words).expect("async ops");
            for backend in Backend::ALL {
                let pane = panes::run_async(backend, demo, &ops);
                let sites = panes::yield_sites(backend, &pane.source);
                assert_eq!(pane.start.state, run["start"]["state"], "{backend} {demo}");
                assert_eq!(pane.start.line, None, "{backend} {demo}");
                let at = format!("{backend} {demo} {words:?}");
                same_steps(
                    steps,
                    &pane.steps,
                    (&py_sites, &sites),
                    "AGEN_SUSPENDED",
                    &at,
                );
            }
        }
    }
}

/// Each async demo's Rust files: the yield site a run pauses at (the
/// first) sits under a comment mirroring Python's `yield`.
#[test]
fn async_yield_sites_sit_under_their_python_mirror() {
    for demo in AsyncDemo::ALL {
        for backend in Backend::ALL {
            let source = panes::async_source(backend, demo);
            let sites = panes::yield_sites(backend, source);
            // nightly's ticker.rs has the compiler's `async gen` ticker
            // after the demo: Rust's alone, never a demo's pause.
            let expected =
                usize::from(backend == Backend::Nightly && demo == AsyncDemo::Ticker) + 1;
            assert_eq!(sites.len(), expected, "{backend} {demo}: {sites:?}");
            let mirror = panes::mirror_comment(source, sites[0]);
            assert!(
                mirror.contains("yield"),
                "{backend} {demo} line {}: no yield in the comment above: {mirror}",
                sites[0]
            );
        }
    }
}

/// Each Rust file's yield sites: how many there are, and each under a
/// comment that mirrors a Python `yield`.
#[test]
fn yield_sites_sit_under_their_python_mirror() {
    for demo in Demo::ALL {
        let expected = match demo {
            // fibonacci() and its u64 flavour; guarded's two; batches'
            // yield from and summary; pipeline's three stages.
            Demo::Fibonacci | Demo::Guarded | Demo::Batches => 2,
            Demo::Pipeline => 3,
            _ => 1,
        };
        for backend in Backend::ALL {
            let source = panes::source(backend, demo);
            let sites = panes::yield_sites(backend, source);
            assert_eq!(sites.len(), expected, "{backend} {demo}: {sites:?}");
            // fibonacci_u64, after fibonacci() in the same file, is Rust's
            // alone: no Python to mirror, and never a demo's pause.
            let reachable = if demo == Demo::Fibonacci { 1 } else { expected };
            for &site in &sites[..reachable] {
                let mirror = panes::mirror_comment(source, site);
                assert!(
                    mirror.contains("yield"),
                    "{backend} {demo} line {site}: no yield in the comment above: {mirror}"
                );
            }
        }
    }
}

/// `pygen tutor` itself, with no Python to run: the Python pane is
/// CPython's recording, and says so; a script no recording covers says
/// that instead.
#[test]
fn without_python3_the_recordings_are_shown_and_said_to_be() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pygen"))
        .args(["tutor", "--addr", "127.0.0.1:0"])
        .env("PYGEN_TUTOR_PYTHON", "/nonexistent/python3")
        .stderr(Stdio::piped())
        .spawn()
        .expect("pygen tutor starts");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut first = String::new();
    stderr.read_line(&mut first).expect("a first line");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the address in the first line")
        .to_owned();
    thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let (status, body) = get(&addr, "/api/run?demo=countdown&op=next&op=next");
    let (status2, body2) = get(&addr, "/api/run?demo=countdown&op=send%2042&op=send%2043");
    let (status3, body3) = get(&addr, "/api/run?demo=running_mean&op=anext&op=asend+3");
    child.kill().expect("stops");
    child.wait().expect("waited for");
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer["cpython"], "recorded");
    assert!(answer["note"].as_str().unwrap().contains("recorded"));
    let steps = answer["panes"]["python"]["steps"]
        .as_array()
        .expect("steps");
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[1]["outcome"], "yield 2");
    assert_eq!(steps[1]["line"], steps[0]["line"]);
    assert_eq!(status2, 200, "{body2}");
    let answer: Value = serde_json::from_str(&body2).expect("JSON");
    assert_eq!(answer["cpython"], "missing");
    assert_eq!(
        answer["panes"]["nightly"]["steps"][1]["outcome"],
        "raise TypeError"
    );
    // An async demo's scripts are recorded too.
    assert_eq!(status3, 200, "{body3}");
    let answer: Value = serde_json::from_str(&body3).expect("JSON");
    assert_eq!(answer["cpython"], "recorded");
    let steps = &answer["panes"]["python"]["steps"];
    assert_eq!(steps[1]["outcome"], "yield 3");
    assert_eq!(steps[1]["state"], "AGEN_SUSPENDED");
    assert_eq!(steps[1]["locals"]["mean"], "3");
}

/// A run whose python3 has not answered does not hold up anyone else:
/// the page and the demos are served while it is pending (its
/// connection has nothing to read), and it is answered once python3
/// ends (here with no output: the pane falls back to the recording).
#[test]
fn a_pending_run_does_not_hold_up_other_requests() {
    let dir = scratch("pending");
    let server = server_with(Python {
        program: hanging_python(&dir),
        deadline: python::MAX_DEADLINE,
        ..Python::default()
    });
    let run = send_get(&server, "/api/run?demo=countdown&op=next&op=next");
    started(&dir, 1);
    assert_eq!(get(&server, "/").0, 200);
    assert_eq!(get(&server, "/api/demos").0, 200);
    assert!(
        nothing_yet(&run),
        "the run answered before its python3 ended"
    );
    std::fs::write(dir.join("go"), "").expect("go");
    let (head, body) = read_response(&mut { run });
    assert_eq!(status_of(&head), 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer["cpython"], "recorded", "{answer}");
    assert!(answer["note"].as_str().unwrap().contains("unreadable"));
}

/// A python3 that never answers is killed at the deadline, with what it
/// started (its process group), and the run answers with the recording
/// and a note saying why.
#[test]
fn a_hung_python_is_killed_at_the_deadline_and_the_recording_shown() {
    let dir = scratch("hung");
    let server = server_with(Python {
        program: hanging_python(&dir),
        deadline: Duration::from_millis(200),
        ..Python::default()
    });
    let mut run = send_get(&server, "/api/run?demo=countdown&op=next&op=next");
    let pids = started(&dir, 1);
    let (head, body) = read_response(&mut run);
    assert_eq!(status_of(&head), 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer["cpython"], "recorded");
    let note = answer["note"].as_str().expect("a note");
    assert!(note.contains("no answer within 0.2 s"), "{note}");
    assert_eq!(answer["panes"]["python"]["steps"][1]["outcome"], "yield 2");
    assert_eq!(answer["panes"]["nightly"]["steps"][1]["differs"], false);
    assert!(
        all_gone(&pids),
        "python3 and its child outlived the deadline: {pids:?}"
    );
}

/// At most `MAX_RUNS` runs go at once; the next is `503` with
/// `Retry-After` at once, while the page is still served; once the runs
/// end there is room again.
#[test]
fn runs_past_the_limit_are_503_with_retry_after() {
    let dir = scratch("limit");
    let server = server_with(Python {
        program: hanging_python(&dir),
        deadline: python::MAX_DEADLINE,
        ..Python::default()
    });
    let target = "/api/run?demo=echo&op=next";
    let runs: Vec<TcpStream> = (0..pygen::tutor::runs::MAX_RUNS)
        .map(|_| send_get(&server, target))
        .collect();
    started(&dir, pygen::tutor::runs::MAX_RUNS);
    let (head, body) = exchange(
        &server,
        &format!("GET {target} HTTP/1.1\r\nHost: {server}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status_of(&head), 503, "{body}");
    assert!(head.contains("\r\nRetry-After: 1"), "{head}");
    assert_eq!(get(&server, "/").0, 200);
    std::fs::write(dir.join("go"), "").expect("go");
    for mut run in runs {
        assert_eq!(status_of(&read_response(&mut run).0), 200);
    }
    assert_eq!(get(&server, target).0, 200);
}

/// `pygen tutor` itself, started in `dir` with `python` for python3 and
/// `args` added: the child and the address from its first line.
fn spawn_tutor(dir: &Path, python: Option<&str>, args: &[&str]) -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pygen"));
    command
        .args(["tutor", "--addr", "127.0.0.1:0"])
        .args(args)
        .current_dir(dir)
        .stderr(Stdio::piped());
    if let Some(python) = python {
        command.env("PYGEN_TUTOR_PYTHON", python);
    }
    let mut child = command.spawn().expect("pygen tutor starts");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut first = String::new();
    stderr.read_line(&mut first).expect("a first line");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the address in the first line")
        .to_owned();
    thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    (child, addr)
}

/// Wait for `child` to exit, for at most [`HUNG`].
fn exits(child: &mut Child) -> Option<std::process::ExitStatus> {
    let begun = Instant::now();
    while begun.elapsed() < HUNG {
        if let Some(status) = child.try_wait().expect("waitable") {
            return Some(status);
        }
        thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// SIGTERM stops the tutor even while a python3 run hangs (with the
/// longest deadline, 20 s, far from passing): the run is killed and
/// answered with the recording and a note, and the tutor exits cleanly.
#[test]
fn sigterm_stops_the_tutor_with_a_python3_hung() {
    let dir = scratch("sigterm");
    let python = hanging_python(&dir);
    let (mut child, addr) = spawn_tutor(&dir, Some(&python), &["--python-deadline", "20"]);
    let mut run = send_get(&addr, "/api/run?demo=countdown&op=next");
    let pids = started(&dir, 1);
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    // SAFETY: kill() takes two integers; the child is ours and unreaped.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = exits(&mut child).expect("the tutor exits after SIGTERM");
    assert!(status.success(), "{status}");
    let (head, body) = read_response(&mut run);
    assert_eq!(status_of(&head), 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert!(
        answer["note"].as_str().unwrap().contains("shutting down"),
        "{answer}"
    );
    assert!(all_gone(&pids), "python3 outlived the tutor: {pids:?}");
}

/// python3 runs isolated (`-I`): a `json.py` in the tutor's working
/// directory, which plain `python3 -c` would import in place of the
/// standard library's, is not imported.
#[test]
fn python3_runs_isolated_from_the_working_directory() {
    if !python3_available() {
        eprintln!("python3 missing: isolation is not tested here");
        return;
    }
    let dir = scratch("isolated");
    let marker = dir.join("imported");
    let json_py = format!(
        "open({:?}, 'w').close()\nraise SystemExit('the working directory json.py ran')\n",
        marker.display().to_string()
    );
    std::fs::write(dir.join("json.py"), json_py).expect("json.py written");
    // The trap works: without -I, python3 -c imports it.
    let plain = Command::new("python3")
        .args(["-c", "import json"])
        .current_dir(&dir)
        .output()
        .expect("python3 runs");
    assert!(!plain.status.success() && marker.exists());
    std::fs::remove_file(&marker).expect("removed");

    let (mut child, addr) = spawn_tutor(&dir, None, &[]);
    let (status, body) = get(&addr, "/api/run?demo=echo&op=next&op=send%205");
    child.kill().expect("stops");
    child.wait().expect("waited for");
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer["cpython"], "live", "{answer}");
    assert!(
        !marker.exists(),
        "the working directory's json.py was imported"
    );
}

/// Only a `Host` naming the tutor (its address, or localhost,
/// 127.0.0.1 or [::1], with its port) is answered; others, and none at
/// all, get `421 Misdirected Request` saying which names are answered.
#[test]
fn only_requests_naming_the_tutor_are_answered() {
    let addr = server();
    let port = addr.rsplit(':').next().expect("a port");
    let ask = |host: Option<&str>| {
        let host = host.map_or(String::new(), |host| format!("Host: {host}\r\n"));
        let (head, body) = exchange(
            &addr,
            &format!("GET /api/demos HTTP/1.0\r\n{host}Connection: close\r\n\r\n"),
        );
        (status_of(&head), body)
    };
    for good in [
        addr.clone(),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(ask(Some(&good)).0, 200, "{good}");
    }
    for bad in [
        Some(format!("evil.example:{port}")),
        Some("localhost".to_owned()),
        Some(format!("localhost:{}", port.parse::<u16>().unwrap() ^ 1)),
        None,
    ] {
        let (status, body) = ask(bad.as_deref());
        assert_eq!(status, 421, "{bad:?}: {body}");
        assert!(body.contains(&format!("localhost:{port}")), "{body}");
        assert_eq!(body.lines().count(), 1);
    }
}

/// `HEAD` on every route `GET` answers: the same status and headers
/// (`Content-Length` included), no body; other methods are `405` with
/// `Allow: GET, HEAD`.
#[test]
fn head_is_answered_wherever_get_is() {
    let addr = server();
    let length = |head: &str| {
        head.lines()
            .find_map(|line| line.strip_prefix("Content-Length: "))
            .map(str::to_owned)
    };
    for target in [
        "/",
        "/tutor.css",
        "/tutor.js",
        "/api/demos",
        "/api/run?demo=echo&op=next&op=send%205",
    ] {
        let request = |method: &str| {
            format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
        };
        let (get_head, get_body) = exchange(&addr, &request("GET"));
        let (head_head, head_body) = exchange(&addr, &request("HEAD"));
        assert_eq!(status_of(&head_head), 200, "{target}");
        assert!(head_body.is_empty(), "{target}: {head_body}");
        assert_eq!(length(&head_head), length(&get_head), "{target}");
        assert_eq!(length(&get_head), Some(get_body.len().to_string()));
    }
    let (head, _) = exchange(
        &addr,
        &format!(
            "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status_of(&head), 405);
    assert!(head.contains("\r\nAllow: GET, HEAD"), "{head}");
}

/// A `send` value of 4,301 digits, which CPython refuses to read, is a
/// `400` naming the limit, not a difference between the panes; 4,300
/// digits are a run like any other.
#[test]
fn an_int_past_pythons_digit_limit_is_a_400_naming_it() {
    let addr = server();
    let most = "9".repeat(pygen_demos::MAX_INT_DIGITS);
    let (status, body) = get(
        &addr,
        &format!("/api/run?demo=echo&op=next&op=send+1{most}"),
    );
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("4301-digit") && body.contains("4300 digits"),
        "{body}"
    );
    assert_eq!(body.lines().count(), 1);
    let (status, body) = get(&addr, &format!("/api/run?demo=echo&op=next&op=send+{most}"));
    assert_eq!(status, 200, "{body}");
    if python3_available() {
        let answer: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(answer["cpython"], "live", "{}", answer["note"]);
        for backend in Backend::ALL {
            let steps = answer["panes"][backend.name()]["steps"]
                .as_array()
                .expect("steps");
            assert!(
                steps.iter().all(|step| step["differs"] == false),
                "{backend}"
            );
        }
    }
}
