//! Every backend against CPython, transcript for transcript.
//!
//! Two sources of truth, both CPython's:
//!
//! * live: random op scripts are run through `python3 tests/oracle.py
//!   --batch` and through each backend, and the transcripts must be equal,
//!   line for line;
//! * committed: `tests/golden/*.txt`, written by the same oracle, which
//!   keep this suite meaningful on a machine without python3 and are
//!   checked to be current where python3 is present.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use pygen::Backend;
use pygen_demos::{AsyncDemo, AsyncOp, Demo, Log, Op, async_transcript, transcript};

/// A small, seedable random generator (xorshift64*), so a failing script
/// can be replayed from the seed printed with it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A random op script: mostly next and send, with every kind of throw and
/// close mixed in, and sometimes a send of an int too big for a machine
/// word.
fn random_script(rng: &mut Rng) -> Vec<String> {
    let length = 1 + rng.below(14);
    let mut script: Vec<String> = (0..length)
        .map(|_| match rng.below(16) {
            0..=3 => "next".to_owned(),
            4 => "send None".to_owned(),
            5..=8 => format!("send {}", rng.below(101) as i64 - 50),
            9 => format!("send {}{:019}", 1 + rng.below(9), rng.below(10u64.pow(19))),
            10 | 11 => "throw ValueError".to_owned(),
            12 => "throw KeyError".to_owned(),
            13 => "throw GeneratorExit".to_owned(),
            14 => "throw TypeError".to_owned(),
            _ => "close".to_owned(),
        })
        .collect();
    // A third of the scripts end by dropping the generator: `del g`,
    // where CPython's finaliser closes a suspended one.
    if rng.below(3) == 0 {
        script.push("del".to_owned());
    }
    script
}

/// The transcript `backend` gives for `ops` on `demo`.
fn rust_transcript(backend: Backend, demo: Demo, ops: &[String]) -> Vec<String> {
    let ops: Vec<Op> = ops
        .iter()
        .map(|op| op.parse().expect("the test writes valid ops"))
        .collect();
    let log = Log::new();
    let mut generator = backend.demo(demo, &log);
    transcript(&mut *generator, &log, &ops)
}

fn oracle() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle.py")
}

/// Whether python3 can be run here.
fn python3_available() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// A random async op script: the async ops, in the same proportions.
fn random_async_script(rng: &mut Rng) -> Vec<String> {
    random_script(rng)
        .into_iter()
        // `del` is for generators: an async generator is finalised through
        // its event loop, which these scripts do not show.
        .filter(|op| op != "del")
        .map(|op| match op.as_str() {
            "next" => "anext".to_owned(),
            "close" => "aclose".to_owned(),
            _ => format!("a{op}"),
        })
        .collect()
}

/// The transcript `backend` gives for the async `ops` on `demo`.
fn rust_async_transcript(backend: Backend, demo: AsyncDemo, ops: &[String]) -> Vec<String> {
    let ops: Vec<AsyncOp> = ops
        .iter()
        .map(|op| op.parse().expect("the test writes valid ops"))
        .collect();
    let log = Log::new();
    let mut generator = backend.async_demo(demo, &log);
    async_transcript(&mut *generator, &log, &ops)
}

/// Run many scripts through CPython in one process.
fn cpython_transcripts<D: std::fmt::Display>(scripts: &[(D, Vec<String>)]) -> Vec<Vec<String>> {
    let mut child = Command::new("python3")
        .arg(oracle())
        .arg("--batch")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    let mut input = String::new();
    for (demo, ops) in scripts {
        input.push_str(&demo.to_string());
        for op in ops {
            input.push('|');
            input.push_str(op);
        }
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("python3 runs");
    writer
        .join()
        .expect("writer thread")
        .expect("oracle reads its input");
    assert!(output.status.success(), "the oracle failed");
    let text = String::from_utf8(output.stdout).expect("the oracle prints UTF-8");
    let transcripts: Vec<Vec<String>> = text
        .split("\n\n")
        .filter(|block| !block.trim().is_empty())
        .map(|block| block.lines().map(str::to_owned).collect())
        .collect();
    assert_eq!(
        transcripts.len(),
        scripts.len(),
        "one transcript per script"
    );
    transcripts
}

#[test]
fn random_op_scripts_match_cpython() {
    random_scripts_match_cpython(&Demo::ALL, 0x5EED_1CAD_38D3, random_script, rust_transcript);
}

#[test]
fn random_async_op_scripts_match_cpython() {
    random_scripts_match_cpython(
        &AsyncDemo::ALL,
        0x0A5E_ED25,
        random_async_script,
        rust_async_transcript,
    );
}

/// 300 random scripts for each of `demos`, from `$PYGEN_SEED` or
/// `default_seed`, run through CPython and through every backend: the
/// transcripts must be the same.
fn random_scripts_match_cpython<D: Copy + std::fmt::Display>(
    demos: &[D],
    default_seed: u64,
    script: fn(&mut Rng) -> Vec<String>,
    rust: fn(Backend, D, &[String]) -> Vec<String>,
) {
    if !python3_available() {
        eprintln!("python3 not found: only the golden transcripts are checked");
        return;
    }
    let seed = std::env::var("PYGEN_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default_seed);
    let mut rng = Rng(seed | 1);
    let scripts: Vec<(D, Vec<String>)> = demos
        .iter()
        .flat_map(|&demo| (0..300).map(move |_| demo))
        .map(|demo| (demo, script(&mut rng)))
        .collect();
    let expected = cpython_transcripts(&scripts);
    for ((demo, ops), python) in scripts.iter().zip(&expected) {
        for backend in Backend::ALL {
            let rust = rust(backend, *demo, ops);
            assert_eq!(
                &rust, python,
                "{backend} differs from CPython on {demo} {ops:?} (PYGEN_SEED={seed})"
            );
        }
    }
}

#[test]
fn the_protocol_table_is_what_cpython_prints() {
    if !python3_available() {
        eprintln!("python3 not found: the table is checked against the backends only");
        return;
    }
    rows_are_what_cpython_prints(pygen_demos::ROWS);
    rows_are_what_cpython_prints(pygen_demos::ASYNC_ROWS);
}

/// Each row's script run through CPython prints the row's transcript.
fn rows_are_what_cpython_prints<D: Copy + std::fmt::Display>(rows: &[pygen_demos::Row<D>]) {
    let scripts: Vec<(D, Vec<String>)> = rows
        .iter()
        .map(|row| (row.demo, row.ops.iter().map(|op| op.to_string()).collect()))
        .collect();
    let expected = cpython_transcripts(&scripts);
    for (row, python) in rows.iter().zip(&expected) {
        assert_eq!(row.transcript, python.as_slice(), "row {}", row.name);
    }
}

/// One block of a golden file: the ops and CPython's transcript.
struct Golden<D> {
    demo: D,
    ops: Vec<String>,
    lines: Vec<String>,
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn read_golden<D: Copy + std::fmt::Display>(dir: &Path, demos: &[D]) -> Vec<Golden<D>> {
    let mut cases = Vec::new();
    for &demo in demos {
        let path = dir.join(format!("{demo}.txt"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for block in text.split("\n\n") {
            let mut lines = block.lines().filter(|l| !l.starts_with('#'));
            let Some(header) = lines.next() else { continue };
            let ops = header
                .strip_prefix("> ")
                .unwrap_or_else(|| panic!("{}: bad header {header:?}", path.display()))
                .split(" | ")
                .map(str::to_owned)
                .collect();
            cases.push(Golden {
                demo,
                ops,
                lines: lines.map(str::to_owned).collect(),
            });
        }
    }
    cases
}

#[test]
fn golden_transcripts_match_every_backend() {
    let cases = read_golden(&golden_dir(), &Demo::ALL);
    assert!(
        cases.len() >= Demo::ALL.len() * 30,
        "the golden files hold every demo's scripts"
    );
    for case in &cases {
        assert_eq!(case.ops.len(), case.lines.len(), "one line per op");
        for backend in Backend::ALL {
            assert_eq!(
                rust_transcript(backend, case.demo, &case.ops),
                case.lines,
                "{backend} differs from the golden transcript of {} {:?}",
                case.demo,
                case.ops
            );
        }
    }
}

#[test]
fn golden_async_transcripts_match_every_backend() {
    let cases = read_golden(&golden_dir(), &AsyncDemo::ALL);
    assert!(
        cases.len() >= AsyncDemo::ALL.len() * 30,
        "the golden files hold every async demo's scripts"
    );
    for case in &cases {
        assert_eq!(case.ops.len(), case.lines.len(), "one line per op");
        for backend in Backend::ALL {
            assert_eq!(
                rust_async_transcript(backend, case.demo, &case.ops),
                case.lines,
                "{backend} differs from the golden transcript of {} {:?}",
                case.demo,
                case.ops
            );
        }
    }
}

#[test]
fn golden_files_are_what_the_oracle_writes() {
    if !python3_available() {
        eprintln!("python3 not found: the golden files are taken as they are");
        return;
    }
    let fresh = std::env::temp_dir().join(format!("pygen-golden-{}", std::process::id()));
    let status = Command::new("python3")
        .arg(oracle())
        .arg("--golden")
        .arg(&fresh)
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let names = Demo::ALL
        .iter()
        .map(|demo| demo.name())
        .chain(AsyncDemo::ALL.iter().map(|demo| demo.name()));
    for demo in names {
        let name = format!("{demo}.txt");
        let committed = std::fs::read_to_string(golden_dir().join(&name)).expect("committed");
        let regenerated = std::fs::read_to_string(fresh.join(&name)).expect("regenerated");
        assert_eq!(
            committed, regenerated,
            "tests/golden/{name} is stale: run python3 tests/oracle.py --golden tests/golden"
        );
    }
    let _ = std::fs::remove_dir_all(&fresh);
}
