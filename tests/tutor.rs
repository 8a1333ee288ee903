//! `pygen tutor`: the JSON contract of `/api/run` over real HTTP, the
//! recorded CPython runs checked current, and every Rust pane's paused
//! line checked against CPython's, yield site by yield site.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::thread;

use pygen::Backend;
use pygen::tutor::{panes, python};
use pygen_demos::{Demo, parse_ops};
use serde_json::Value;

fn python3_available() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// A tutor server on a free port, on a thread of its own for the rest of
/// the test run.
fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().expect("an address").to_string();
    let server = pygen_http::Server::from_listener(listener);
    thread::spawn(move || server.serve(pygen::tutor::app::handler));
    addr
}

/// GET `target`: the status and the body.
fn get(addr: &str, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connects");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("writes");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("reads");
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let status = head[9..12].parse().expect("a status");
    (status, body.to_owned())
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
        let got: Vec<(&str, &str, &str)> = steps
            .iter()
            .map(|s| {
                (
                    s["op"].as_str().unwrap(),
                    s["outcome"].as_str().unwrap(),
                    s["state"].as_str().unwrap(),
                )
            })
            .collect();
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
                for (i, (theirs, ours)) in steps.iter().zip(&pane.steps).enumerate() {
                    let at = format!("{backend} {demo} {words:?} op {i}");
                    assert_eq!(
                        theirs["outcome"].as_str(),
                        Some(ours.outcome.as_str()),
                        "{at}"
                    );
                    assert_eq!(theirs["state"].as_str(), Some(ours.view.state), "{at}");
                    let py = site_index(&py_sites, theirs["line"].as_u64());
                    let rs = site_index(&sites, ours.view.line.map(|l| l as u64));
                    assert_eq!(rs, py, "{at}: yield site");
                    assert_eq!(ours.view.line.is_some(), ours.view.state == "GEN_SUSPENDED");
                }
            }
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
}
