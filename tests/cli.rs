//! The `pygen` command line, run as a user runs it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn pygen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pygen"))
        .args(args)
        .output()
        .expect("pygen runs")
}

fn pygen_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pygen"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pygen starts");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(stdin.as_bytes())
        .expect("pygen reads stdin");
    child.wait_with_output().expect("pygen runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

/// What Python prints for `for n in islice(fibonacci(), count): print(n)`.
fn python_fibonacci(count: usize) -> String {
    let (mut a, mut b) = (num_bigint::BigUint::ZERO, num_bigint::BigUint::from(1u8));
    let mut out = String::new();
    for _ in 0..count {
        out.push_str(&format!("{a}\n"));
        let sum = &a + &b;
        a = std::mem::replace(&mut b, sum);
    }
    out
}

#[test]
fn fib_all_prints_the_seed_output_for_each_backend() {
    let output = pygen(&["fib", "--count", "10", "--impl", "all"]);
    assert!(output.status.success());
    let seed = "0\n1\n1\n2\n3\n5\n8\n13\n21\n34\n";
    let expected = format!("# genawaiter\n{seed}# async-stream\n{seed}# nightly\n{seed}");
    assert_eq!(stdout(&output), expected);
}

#[test]
fn fib_thousand_is_what_python_prints() {
    let expected = python_fibonacci(1000);
    for backend in ["genawaiter", "async-stream", "nightly"] {
        let output = pygen(&["fib", "--count", "1000", "--impl", backend]);
        assert!(output.status.success());
        assert_eq!(stdout(&output), expected, "{backend}");
    }
}

#[test]
fn fib_thousand_matches_python3_itself() {
    let python = Command::new("python3")
        .args([
            "-c",
            "import itertools,sys\nsys.path.insert(0,'tests')\nimport oracle\n\
             for n in itertools.islice(oracle.fibonacci(), 1000): print(n)",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    let Ok(python) = python else {
        eprintln!("python3 not found: compared with the Rust reference only");
        return;
    };
    assert!(python.status.success());
    let output = pygen(&["fib", "--count", "1000", "--impl", "nightly"]);
    assert_eq!(output.stdout, python.stdout);
}

#[test]
fn fib_u64_ends_after_f93() {
    for backend in ["genawaiter", "async-stream", "nightly"] {
        let output = pygen(&["fib", "--count", "200", "--impl", backend, "--u64"]);
        assert!(output.status.success());
        let text = stdout(&output);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 94, "{backend}");
        assert_eq!(lines[93], "12200160415121876738");
        assert_eq!(text, python_fibonacci(94));
    }
}

#[test]
fn transcript_ops_from_arguments() {
    for backend in ["genawaiter", "async-stream", "nightly"] {
        let output = pygen(&[
            "transcript",
            "--impl",
            backend,
            "guarded",
            "send 5",
            "next",
            "throw",
            "ValueError",
            "close",
            "next",
        ]);
        assert!(output.status.success(), "{backend}");
        assert_eq!(
            stdout(&output),
            "send 5: raise TypeError\n\
             next: yield 'waiting'\n\
             throw ValueError: yield 'recovered'\n\
             close: log 'cleanup'; closed\n\
             next: raise StopIteration\n"
        );
    }
}

#[test]
fn transcript_ops_from_stdin() {
    let output = pygen_with_stdin(
        &["transcript", "--impl", "nightly", "running_sum"],
        "next\nsend -3\n\nsend 10\nsend None\nnext\n",
    );
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "next: yield 0\nsend -3: yield -3\nsend 10: yield 7\nsend None: return 7\nnext: raise StopIteration\n"
    );
}

#[test]
fn transcript_of_an_async_generator_awaits_each_op() {
    for backend in ["genawaiter", "async-stream", "nightly"] {
        let output = pygen(&[
            "transcript",
            "--impl",
            backend,
            "running_mean",
            "asend 5",
            "anext",
            "asend 4",
            "asend",
            "7",
            "athrow ValueError",
            "asend None",
            "aclose",
        ]);
        assert!(output.status.success(), "{backend}");
        assert_eq!(
            stdout(&output),
            "asend 5: raise TypeError\n\
             anext: yield None\n\
             asend 4: yield 4\n\
             asend 7: yield 5\n\
             athrow ValueError: log 'reset'; yield None\n\
             asend None: raise StopAsyncIteration\n\
             aclose: closed\n"
        );
    }
    let output = pygen_with_stdin(
        &["transcript", "--impl", "nightly", "stubborn_async"],
        "anext\naclose\naclose\n",
    );
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "anext: yield 'still here'\n\
         aclose: log 'ignoring aclose'; raise RuntimeError\n\
         aclose: raise StopAsyncIteration\n"
    );
}

#[test]
fn sync_ops_on_an_async_generator_and_async_ops_on_a_generator_are_refused() {
    for backend in ["genawaiter", "async-stream", "nightly", "all"] {
        let output = pygen(&["transcript", "--impl", backend, "ticker", "anext", "next"]);
        assert_refused(&output, "ticker is an async generator");
        let output = pygen(&["transcript", "--impl", backend, "guarded", "next", "aclose"]);
        assert_refused(&output, "guarded is a generator");
        let output = pygen(&["transcript", "--impl", backend, "ticker", "athrow", "Foo"]);
        assert_refused(&output, "bad op 'athrow Foo'");
    }
    let output = pygen_with_stdin(&["transcript", "--impl", "nightly", "ticker"], "send 5\n");
    assert_refused(&output, "'send' is a generator's op");
}

/// Bad input: nothing on stdout, one line on stderr, exit code 2.
fn assert_refused(output: &Output, mentions: &str) {
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr.clone()).expect("UTF-8");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(stderr.starts_with("pygen: "), "{stderr:?}");
    assert!(
        stderr.contains(mentions),
        "{stderr:?} should mention {mentions}"
    );
}

/// A refusal of the environment: one line on stderr, exit code 3.
fn assert_environment_refused(output: &Output, starts: &str) {
    let stderr = String::from_utf8(output.stderr.clone()).expect("UTF-8");
    assert_eq!(output.status.code(), Some(3), "{stderr:?}");
    assert!(output.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.starts_with(starts),
        "{stderr:?} should start {starts:?}"
    );
}

#[test]
fn serve_on_an_address_in_use_is_a_one_line_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("address").to_string();
    let output = pygen(&["serve", "--addr", &addr]);
    assert_environment_refused(
        &output,
        &format!("pygen: cannot listen on {addr}: address already in use"),
    );
}

#[test]
fn serve_on_a_port_that_needs_privileges_is_a_one_line_error() {
    // Where the tests run as root (or low ports are open to all), the bind
    // succeeds and there is nothing to refuse.
    if std::net::TcpListener::bind("127.0.0.1:1").is_ok() {
        eprintln!("port 1 can be bound here: nothing to refuse");
        return;
    }
    assert_environment_refused(
        &pygen(&["serve", "--addr", "127.0.0.1:1"]),
        "pygen: cannot listen on 127.0.0.1:1: permission denied",
    );
}

/// `pygen serve` running, and where it listens, from its log.
struct Serving {
    child: std::process::Child,
    address: String,
}

impl Serving {
    fn start(args: &[&str]) -> Serving {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_pygen"))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("pygen starts");
        let stderr = child.stderr.take().expect("piped");
        let mut address = None;
        for line in std::io::BufReader::new(stderr).lines() {
            let line = line.expect("a log line");
            if let Some((_, rest)) = line.split_once("listening address=") {
                address = rest.split_whitespace().next().map(str::to_owned);
                break;
            }
        }
        let Some(address) = address else {
            let _ = child.kill();
            panic!("pygen serve did not log where it listens");
        };
        Serving { child, address }
    }

    /// One request on a new connection, and everything the server sends
    /// back before it closes.
    fn fetch(&self, target: &str) -> String {
        use std::io::Read;
        let mut stream = std::net::TcpStream::connect(&self.address).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .expect("timeout");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut reply = String::new();
        stream.read_to_string(&mut reply).expect("a reply");
        reply
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_resolves_a_host_name_and_writes_capitalised_headers() {
    let server = Serving::start(&["serve", "--addr", "localhost:0"]);
    let hello = server.fetch("/");
    assert!(hello.starts_with("HTTP/1.1 200 OK\r\n"), "{hello:?}");
    assert!(
        hello.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"),
        "{hello:?}"
    );
    assert!(hello.contains("\r\nX-Request-Count: 1\r\n"), "{hello:?}");
    assert!(hello.contains("\r\nContent-Length: 13\r\n"), "{hello:?}");
    // The seed's body has no newline at the end; error bodies have one.
    assert!(hello.ends_with("\r\n\r\nHello, World!"), "{hello:?}");
    let missing = server.fetch("/nowhere");
    assert!(missing.starts_with("HTTP/1.1 404 "), "{missing:?}");
    assert!(missing.ends_with("\r\n\r\nnot found\n"), "{missing:?}");
}

#[test]
fn serve_help_says_where_a_body_ends_in_a_newline() {
    let output = pygen(&["serve", "--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    assert!(help.contains("no newline at the end"), "{help}");
    assert!(help.contains("ending in a newline"), "{help}");
    assert!(help.contains("HOST an IP address or a name"), "{help}");
    assert!(help.contains("first the resolver gives"), "{help}");
}

#[test]
fn unknown_impl_demo_or_op_is_a_one_line_error() {
    assert_refused(
        &pygen(&["transcript", "--impl", "cpython", "echo", "next"]),
        "cpython",
    );
    assert_refused(
        &pygen(&["transcript", "--impl", "nightly", "ekko", "next"]),
        "ekko",
    );
    assert_refused(
        &pygen(&["transcript", "--impl", "nightly", "echo", "next", "jump"]),
        "jump",
    );
    assert_refused(
        &pygen(&["transcript", "--impl", "nightly", "echo", "send", "1.5"]),
        "send 1.5",
    );
    assert_refused(
        &pygen(&[
            "transcript",
            "--impl",
            "nightly",
            "echo",
            "throw",
            "OSError",
        ]),
        "OSError",
    );
    assert_refused(&pygen(&["fib", "--impl", "python"]), "python");
    assert_refused(&pygen(&["fib", "--count", "-1"]), "-1");
    assert_refused(&pygen(&["frobnicate"]), "frobnicate");
    assert_refused(&pygen(&["serve", "--impl", "tokio"]), "tokio");
    assert_refused(
        &pygen(&["serve", "--addr", "localhost:http"]),
        "localhost:http",
    );
    assert_refused(
        &pygen(&["serve", "--addr", "localhost"]),
        "expected HOST:PORT with PORT from 0 to 65535, such as 127.0.0.1:8080",
    );
    assert_refused(&pygen(&["serve", "--workers", "0"]), "0");
    assert_refused(
        &pygen(&["compare", "--rounds", "0"]),
        "must be a whole number from 1 to 1000",
    );
    assert_refused(
        &pygen_with_stdin(&["transcript", "--impl", "nightly", "echo"], "next\nnope\n"),
        "line 2",
    );
}

/// The refusal, for tests that check its exact words.
fn stderr_line(output: &Output) -> String {
    String::from_utf8(output.stderr.clone())
        .expect("UTF-8")
        .trim_end()
        .to_owned()
}

#[test]
fn a_wrong_subcommand_lists_the_subcommands_and_points_to_help() {
    let output = pygen(&["frobnicate"]);
    assert_refused(&output, "frobnicate");
    assert_eq!(
        stderr_line(&output),
        "pygen: unrecognized subcommand 'frobnicate'; \
         the subcommands are compare, fib, transcript, serve, tutor; see 'pygen --help'"
    );
    let output = pygen(&["fibb"]);
    assert_refused(&output, "(did you mean 'fib'?)");
    assert_refused(&output, "see 'pygen --help'");
}

#[test]
fn a_negative_count_is_refused_with_the_rule() {
    for args in [
        &["fib", "--count", "-1"][..],
        &["fib", "--count=-1"],
        &["fib", "--count", "ten"],
        &["fib", "--count", "99999999999999999999999"],
    ] {
        let output = pygen(args);
        assert_refused(
            &output,
            "for '--count <COUNT>': must be a non-negative whole number",
        );
    }
    let output = pygen(&["fib", "--count"]);
    assert_refused(
        &output,
        "--count <COUNT> is how many numbers to print, a non-negative whole number",
    );
}

#[test]
fn every_refusal_says_what_would_be_right() {
    // A missing or unexpected argument: the usage line.
    assert_refused(
        &pygen(&["transcript", "--impl", "nightly"]),
        "<DEMO>; usage: pygen transcript",
    );
    assert_refused(&pygen(&["fib", "--bogus"]), "usage: pygen fib [OPTIONS]");
    assert_refused(&pygen(&["fib", "--cont", "3"]), "(did you mean '--count'?)");
    // A wrong choice: the choices.
    assert_refused(
        &pygen(&["fib", "--impl", "python"]),
        "[possible values: genawaiter, async-stream, nightly, all]",
    );
    assert_refused(
        &pygen(&["transcript", "--impl", "nightly", "ekko", "next"]),
        "[possible values: fibonacci, echo,",
    );
    assert_refused(
        &pygen(&["transcript", "--impl", "nightly", "echo", "jump"]),
        "expected next, send <int>",
    );
    assert_refused(
        &pygen(&["serve", "--workers", "0"]),
        "must be a whole number from 1 to 1024",
    );
    assert_refused(
        &pygen(&["serve", "--workers", "-2"]),
        "must be a whole number from 1 to 1024",
    );
}

#[test]
fn help_documents_the_exit_codes() {
    let output = pygen(&["--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    for line in [
        "Exit codes:",
        "0  done",
        "1  a backend disagreed with CPython",
        "2  the command line was wrong",
        "3  the environment refused",
    ] {
        assert!(help.contains(line), "{line:?} in {help}");
    }
}

/// Whether python3 runs here; tests of CPython's column check the other
/// case instead where it does not.
fn python3_present() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

#[test]
fn transcript_of_one_backend_is_the_lines_and_nothing_else() {
    let expected = "next: yield 'waiting'\n\
                    throw ValueError: yield 'recovered'\n\
                    close: log 'cleanup'; closed\n\
                    next: raise StopIteration\n";
    for backend in ["genawaiter", "async-stream", "nightly"] {
        let args = ["transcript", "--impl", backend, "guarded"];
        let output = pygen(&[&args[..], &["next", "throw ValueError", "close", "next"]].concat());
        assert_eq!(output.status.code(), Some(0), "{backend}");
        assert_eq!(stdout(&output), expected, "{backend}");
        assert!(output.stderr.is_empty(), "{backend}");
        let output = pygen_with_stdin(&args, "next\nthrow ValueError\nclose\nnext\n");
        assert_eq!(output.status.code(), Some(0), "{backend}");
        assert_eq!(stdout(&output), expected, "{backend}");
        assert!(output.stderr.is_empty(), "{backend}");
    }
}

#[test]
fn transcript_all_is_the_default_and_shows_every_backend_beside_cpython() {
    let ops = ["next", "throw ValueError", "close", "next"];
    let default = pygen(&[&["transcript", "guarded"][..], &ops].concat());
    let all = pygen(&[&["transcript", "--impl", "all", "guarded"][..], &ops].concat());
    assert_eq!(default.stdout, all.stdout);
    assert_eq!(default.status.code(), Some(0));
    let text = stdout(&default);
    let lines: Vec<&str> = text.lines().collect();
    let (columns, agree) = if python3_present() {
        assert!(default.stderr.is_empty(), "{:?}", default.stderr);
        (4, "all 4 transcripts agree on every line")
    } else {
        (3, "all 3 transcripts agree on every line")
    };
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    let names = ["op", "genawaiter", "async-stream", "nightly", "CPython"];
    assert_eq!(header, names[..columns + 1]);
    // One row per op, each outcome once per column.
    assert_eq!(lines.len(), ops.len() + 2, "{text}");
    assert!(lines[1].starts_with("  next "), "{text}");
    assert_eq!(
        lines[2].matches("yield 'recovered'").count(),
        columns,
        "{text}"
    );
    assert_eq!(
        lines[3].matches("log 'cleanup'; closed").count(),
        columns,
        "{text}"
    );
    assert_eq!(lines[5], agree);
}

#[test]
fn transcript_all_without_python3_says_so_in_one_line() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pygen"));
    command
        .args([
            "transcript",
            "countdown",
            "next",
            "next",
            "next",
            "next",
            "next",
        ])
        .env("PATH", "/nonexistent");
    let output = command.output().expect("pygen runs");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stderr.clone()).expect("UTF-8"),
        "pygen: python3 not found: the three backends are shown without CPython\n"
    );
    let text = stdout(&output);
    assert!(text.starts_with("  op     genawaiter"), "{text}");
    assert!(!text.contains("CPython"), "{text}");
    assert!(text.contains("return 'liftoff'"), "{text}");
    assert!(
        text.ends_with("all 3 transcripts agree on every line\n"),
        "{text}"
    );
}

#[test]
fn transcript_all_runs_the_built_in_oracle_from_any_directory() {
    if !python3_present() {
        eprintln!("python3 not found: CPython's column cannot be checked");
        return;
    }
    // Every demo there is, from a directory with no tests/oracle.py in it.
    for demo in pygen_demos::Demo::ALL {
        let output = Command::new(env!("CARGO_BIN_EXE_pygen"))
            .args([
                "transcript",
                demo.name(),
                "next",
                "send 2",
                "throw ValueError",
                "close",
                "next",
            ])
            .current_dir(std::env::temp_dir())
            .output()
            .expect("pygen runs");
        let text = stdout(&output);
        assert_eq!(output.status.code(), Some(0), "{demo}: {text}");
        assert!(output.stderr.is_empty(), "{demo}: {:?}", output.stderr);
        assert!(
            text.lines().next().is_some_and(|l| l.ends_with("CPython")),
            "{text}"
        );
        assert!(
            text.ends_with("all 4 transcripts agree on every line\n"),
            "{demo}: {text}"
        );
    }
}

#[test]
fn compare_is_a_tour_in_words_with_units() {
    // One round per stretch: the debug build is slow, and the figures are
    // not what this test checks.
    let output = pygen(&["compare", "--rounds", "1"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    for words in [
        "1. What the backends do",
        "calling a generator function runs none of its body",
        "g = guarded(); g.close() → closed; next(g) → raise StopIteration",
        "ok or FAIL, for genawaiter, async-stream, nightly in that order",
        "2. What the backends cost",
        "nanoseconds (ns) of CPU time for one call",
        "the rounds run in 5 stretches of 1",
        "the median of that stretch's 1 rounds",
        "Under 1x is faster than by hand",
    ] {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(words), "{words:?} in {text}");
    }
    // No row is named by its test name any more.
    assert!(!text.contains("creating_runs_none_of_the_body"), "{text}");
    let rows: Vec<&str> = text
        .lines()
        .filter(|line| {
            line.starts_with("  next(g), fibonacci_u64")
                || line.starts_with("  g.send(1), running_sum")
        })
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    for row in rows {
        // Four times (the baseline and each backend), each with its unit
        // and its spread.
        assert_eq!(row.matches(" ns ±").count(), 4, "{row}");
    }
    assert_eq!(
        text.matches("  vs hand-written       1x").count(),
        2,
        "{text}"
    );
}

#[test]
fn pygen_alone_starts_the_same_tour() {
    use std::io::BufRead;
    let tour = stdout(&pygen(&["compare", "--rounds", "1"]));
    let behaviour: Vec<&str> = tour.lines().take_while(|l| !l.starts_with("2. ")).collect();
    // The first part is written before the timing starts: read it, then
    // stop the run rather than wait for the timings.
    let mut child = Command::new(env!("CARGO_BIN_EXE_pygen"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("pygen starts");
    let out = child.stdout.take().expect("piped");
    let lines: Vec<String> = std::io::BufReader::new(out)
        .lines()
        .take(behaviour.len())
        .collect::<Result<_, _>>()
        .expect("the tour");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(lines, behaviour);
}

/// An int CPython would refuse to read (more than 4,300 digits) is bad
/// input, from the command line and from stdin, refused with the limit
/// named; 4,300 digits are fine.
#[test]
fn transcript_refuses_ints_past_pythons_digit_limit() {
    let most = "9".repeat(pygen_demos::MAX_INT_DIGITS);
    let too_many = format!("send 1{most}");
    assert_refused(
        &pygen(&["transcript", "--impl", "nightly", "echo", "next", &too_many]),
        "4300 digits",
    );
    assert_refused(
        &pygen_with_stdin(
            &["transcript", "--impl", "nightly", "echo"],
            &format!("next\n{too_many}\n"),
        ),
        "4300 digits",
    );
    let fine = pygen(&[
        "transcript",
        "--impl",
        "nightly",
        "echo",
        "next",
        &format!("send {most}"),
    ]);
    assert!(fine.status.success());
}
