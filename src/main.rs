//! `pygen`: run the demo generators, print transcripts, serve HTTP, and
//! compare the three backends.
//!
//! ```text
//! pygen                      # the same as `pygen compare`
//! pygen fib --count 10 --impl all
//! pygen transcript --impl nightly guarded next "throw ValueError" close
//! pygen transcript guarded next close   # every backend beside CPython
//! pygen serve --impl genawaiter --addr localhost:8080 --workers 2
//! pygen tutor --addr 127.0.0.1:8000   # step a generator in a browser
//! ```

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use pygen::Backend;
use pygen::cli_error::{self, DISAGREE, ENVIRONMENT, EXIT_CODES_HELP, USAGE};
use pygen::listen::ListenAddr;
use pygen::measure::CountingAllocator;
use pygen::side_by_side;
use pygen_demos::{
    AsyncDemo, AsyncOp, Demo, Log, Op, async_transcript, parse_async_ops, parse_ops, transcript,
};

/// `pygen compare` counts its allocations, so that it reports allocations
/// per generator and per resume as counted, not guessed. No other
/// subcommand asks to be counted, and so none is.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Python's generator protocol three ways: genawaiter, async-stream,
/// nightly coroutines.
#[derive(Parser, Debug)]
#[command(name = "pygen", version, after_help = EXIT_CODES_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// A short tour of the three backends, what `pygen` with no arguments
    /// runs: each rule of the protocol in words, with the Python that
    /// checks it, run live; then time per item and per send beside a
    /// hand-written baseline, object size and allocations.
    Compare {
        /// Rounds in each stretch of timing, a whole number from 1 to 1000.
        /// The default takes about a second; more rounds, steadier figures.
        #[arg(long, value_name = "N", default_value_t = pygen::compare::ROUNDS, value_parser = rounds, allow_negative_numbers = true)]
        rounds: usize,
    },
    /// Print the first N Fibonacci numbers from a backend's generator, as
    /// Python prints them.
    Fib {
        /// How many numbers to print, a non-negative whole number.
        #[arg(long, default_value_t = 10, value_parser = count, allow_negative_numbers = true)]
        count: u64,
        /// Which backend runs the generator; `all` runs each in turn.
        #[arg(long = "impl", value_name = "IMPL", value_enum, default_value_t = Choice::All)]
        implementation: Choice,
        /// Use the u64 flavour, which ends after F(93) instead of
        /// overflowing.
        #[arg(long)]
        u64: bool,
    },
    /// Drive a demo generator with an op script and print the transcript
    /// CPython would print: by default the three backends and CPython side
    /// by side.
    Transcript {
        /// Which backend runs the demo. `all` runs each of them, and CPython
        /// when python3 is on the PATH, and shows their transcripts side by
        /// side, marking with ! any line where they differ; a single
        /// backend prints its transcript lines and nothing else.
        #[arg(long = "impl", value_name = "IMPL", value_enum, default_value_t = Choice::All)]
        implementation: Choice,
        /// The demo generator to drive: a generator, or an async generator
        /// (ticker, running_mean, stubborn_async).
        #[arg(value_parser = demo_parser())]
        demo: AnyDemo,
        /// The ops: next, "send N", "send None", "throw ValueError",
        /// "throw KeyError", close; for an async generator anext,
        /// "asend N", "asend None", "athrow ValueError", aclose, each
        /// awaited to completion. Read from stdin, one a line, when none
        /// are given.
        #[arg(allow_hyphen_values = true)]
        ops: Vec<String>,
    },
    /// Serve HTTP/1.1: each connection's requests are sent into a handler
    /// coroutine, which yields the responses. Ctrl-C or SIGTERM stops it
    /// after in-flight responses finish.
    #[command(after_help = SERVE_HELP)]
    Serve {
        /// Which backend's handler coroutine answers.
        #[arg(long = "impl", value_name = "IMPL", value_enum, default_value_t = ServeImpl::Backend(Backend::Nightly))]
        implementation: ServeImpl,
        /// The address to listen on: HOST:PORT, with HOST an IP address or
        /// a name such as localhost. A name that resolves to several
        /// addresses is served on the first the resolver gives; the
        /// "listening" log line says which.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080", value_parser = listen_addr)]
        addr: ListenAddr,
        /// How many event loops to run, one per thread: a whole number from
        /// 1 to 1024. Each has its own SO_REUSEPORT listener on the same
        /// address.
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = workers, allow_negative_numbers = true)]
        workers: u16,
        /// handler: the event loop sends each request into the
        /// connection's handler; tasks: each connection is a task that
        /// does its own I/O by yielding system calls to a scheduler.
        #[arg(long, value_name = "MODEL", value_enum, default_value_t = Model::Handler)]
        model: Model,
    },
    /// Serve the tutor: a page on which a demo generator is stepped (next,
    /// send, throw, close) and CPython and the three Rust ways are shown
    /// side by side, each paused at its own line. The page is served by a
    /// generator handler on pygen's own HTTP server.
    #[command(after_help = TUTOR_HELP)]
    Tutor {
        /// The address to listen on: HOST:PORT, as for `serve`.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8000", value_parser = listen_addr)]
        addr: ListenAddr,
        /// How long one python3 run may take, in seconds (0.1 to 20),
        /// before it is killed and CPython's recorded run is shown
        /// instead.
        #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = python_deadline)]
        python_deadline: Duration,
    },
}

/// `--python-deadline`: seconds, a fraction allowed, from 0.1 to
/// [`MAX_DEADLINE`](pygen::tutor::python::MAX_DEADLINE).
fn python_deadline(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    let most = pygen::tutor::python::MAX_DEADLINE.as_secs_f64();
    if !(0.1..=most).contains(&seconds) {
        return Err(format!("{text} s is not between 0.1 and {most}"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// The end of `pygen tutor --help`.
const TUTOR_HELP: &str = "\
Routes:
  GET /                                  the page
  GET /api/run?demo=NAME&op=OP&op=OP...  the four panes as JSON (each op
                                         URL-encoded: op=send%205)
  GET /api/demos                         the demos and the exceptions
The Python pane runs python3 -I (isolated: not the working directory's
modules) when it is on the PATH, at most 4 runs at once and each for at
most --python-deadline; it shows CPython's recorded runs when python3 is
missing, fails or is too slow. Only requests whose Host is this address,
localhost, 127.0.0.1 or [::1] (with the port) are answered; others get
421 Misdirected Request.";

/// The end of `pygen serve --help`: the routes, and the one difference in
/// their bodies that surprises a reader of `curl` output.
const SERVE_HELP: &str = "\
Routes:
  GET /             Hello, World!  (13 bytes, no newline at the end: the
                    seed's body exactly, so curl's prompt follows it)
  GET /fib?n=K      the first K Fibonacci numbers, one a line, streamed
  POST /echo        the request's body back
Error bodies (400, 404, 405, ...) are one line of text ending in a newline.
The handler's answers carry X-Request-Count, its count of requests on that
connection. Header names are capitalised throughout: Content-Type.";

/// `<DEMO>`: one of [`Demo::ALL`], so that `--help` and a refusal list
/// every demo there is, however many.
fn demo_parser() -> impl TypedValueParser<Value = AnyDemo> {
    let names = Demo::ALL
        .iter()
        .map(|demo| demo.name())
        .chain(AsyncDemo::ALL.iter().map(|demo| demo.name()));
    clap::builder::PossibleValuesParser::new(names).try_map(|name| match name.parse::<Demo>() {
        Ok(demo) => Ok(AnyDemo::Generator(demo)),
        Err(unknown) => name
            .parse::<AsyncDemo>()
            .map(AnyDemo::AsyncGenerator)
            .map_err(|_| unknown),
    })
}

/// `<DEMO>` for `pygen transcript`: a generator ([`Demo::ALL`]) or an
/// async generator ([`AsyncDemo::ALL`]), which take different ops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AnyDemo {
    Generator(Demo),
    AsyncGenerator(AsyncDemo),
}

/// `--addr`: clap calls this with the text after `--addr`.
fn listen_addr(text: &str) -> Result<ListenAddr, String> {
    text.parse()
}

/// `--model` for `pygen serve`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Model {
    /// `request = yield response`, driven by the event loop.
    Handler,
    /// `data = yield Recv(conn)`: tasks trapping into a scheduler.
    Tasks,
}

/// `--impl` for `pygen serve`: a backend's handler coroutine, or the
/// hand-written baseline that runs the same routes with no coroutine.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ServeImpl {
    Backend(Backend),
    /// No coroutine: a hand-written state machine on the same event loop.
    Baseline,
}

/// `--impl` for commands that can run every backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    One(Backend),
    All,
}

/// Each of [`Backend::ALL`], in its order, as `wrap` makes it, then `last`:
/// the values of an `--impl`, so that the backends are listed once.
fn backends_then<T>(wrap: fn(Backend) -> T, last: T) -> Vec<T> {
    Backend::ALL.map(wrap).into_iter().chain([last]).collect()
}

/// `--impl` values as the command line spells them: a backend's name.
fn backend_value(backend: Backend) -> PossibleValue {
    PossibleValue::new(backend.name())
}

impl ValueEnum for Choice {
    fn value_variants<'a>() -> &'a [Choice] {
        static CHOICES: LazyLock<Vec<Choice>> =
            LazyLock::new(|| backends_then(Choice::One, Choice::All));
        &CHOICES
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Choice::One(backend) => backend_value(*backend),
            Choice::All => PossibleValue::new("all"),
        })
    }
}

impl ValueEnum for ServeImpl {
    fn value_variants<'a>() -> &'a [ServeImpl] {
        static IMPLS: LazyLock<Vec<ServeImpl>> =
            LazyLock::new(|| backends_then(ServeImpl::Backend, ServeImpl::Baseline));
        &IMPLS
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            ServeImpl::Backend(backend) => backend_value(*backend),
            ServeImpl::Baseline => PossibleValue::new("baseline")
                .help("No coroutine: a hand-written state machine on the same event loop"),
        })
    }
}

/// As the log line has always named it: `Nightly`, `Baseline`.
impl std::fmt::Debug for ServeImpl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeImpl::Backend(backend) => std::fmt::Debug::fmt(backend, f),
            ServeImpl::Baseline => f.write_str("Baseline"),
        }
    }
}

impl Choice {
    /// The one backend chosen, unless `all` was.
    fn single(self) -> Option<Backend> {
        match self {
            Choice::One(backend) => Some(backend),
            Choice::All => None,
        }
    }

    fn backends(self) -> Vec<Backend> {
        match self {
            Choice::One(backend) => vec![backend],
            Choice::All => Backend::ALL.to_vec(),
        }
    }
}

/// `--count`: clap's own `u64` parser would answer `-1` with "invalid
/// digit found in string", which names neither the rule nor the fix.
fn count(text: &str) -> Result<u64, String> {
    whole_number(text, 0, u64::MAX).map_err(|_| "must be a non-negative whole number".to_owned())
}

/// `--rounds`: at least one, and a bound that keeps a typo from running
/// for minutes.
fn rounds(text: &str) -> Result<usize, String> {
    const MAX: u64 = 1000;
    let n = whole_number(text, 1, MAX)
        .map_err(|_| format!("must be a whole number from 1 to {MAX}"))?;
    usize::try_from(n).map_err(|_| format!("must be a whole number from 1 to {MAX}"))
}

/// `--workers`: a thread per event loop, so at least one, and a bound that
/// catches a typo before it starts a thousand threads.
fn workers(text: &str) -> Result<u16, String> {
    const MAX: u64 = 1024;
    let n = whole_number(text, 1, MAX)
        .map_err(|_| format!("must be a whole number from 1 to {MAX}"))?;
    u16::try_from(n).map_err(|_| format!("must be a whole number from 1 to {MAX}"))
}

/// `text` as a whole number from `min` to `max`.
fn whole_number(text: &str, min: u64, max: u64) -> Result<u64, ()> {
    match text.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(()),
    }
}

/// Why a command stopped early; each has its own exit code (see
/// [`EXIT_CODES_HELP`]).
enum Failure {
    /// Bad input from the user: exit code 2.
    Usage(String),
    /// A backend's answer differs from CPython's: exit code 1.
    Disagree(String),
    /// The environment refused (an address, a name, a permission): exit
    /// code 3.
    Environment(String),
    /// Writing the output failed: exit code 3, unless the reader closed
    /// the pipe.
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Failure {
        Failure::Io(error)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help and --version: clap's own output, exit 0.
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("pygen: {}", cli_error::explain(&error, &Cli::command()));
            return ExitCode::from(USAGE as u8);
        }
    };
    let result = match cli.command {
        Some(Command::Fib {
            count,
            implementation,
            u64,
        }) => fib(count, implementation, u64),
        Some(Command::Transcript {
            implementation,
            demo,
            ops,
        }) => match demo {
            AnyDemo::Generator(demo) => run_transcript(implementation, demo, &ops),
            AnyDemo::AsyncGenerator(demo) => run_async_transcript(implementation, demo, &ops),
        },
        Some(Command::Serve {
            implementation,
            addr,
            workers,
            model,
        }) => serve(implementation, model, &addr, usize::from(workers)),
        Some(Command::Tutor {
            addr,
            python_deadline,
        }) => tutor(&addr, python_deadline),
        Some(Command::Compare { rounds }) => compare(rounds),
        None => compare(pygen::compare::ROUNDS),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `pygen fib --count 1000000 | head` closes the pipe early: that is
        // the reader's choice, not an error.
        Err(Failure::Io(error)) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(error)) => {
            eprintln!("pygen: cannot write the output: {}", os_error(&error));
            ExitCode::from(ENVIRONMENT as u8)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("pygen: {message}");
            ExitCode::from(USAGE as u8)
        }
        Err(Failure::Disagree(message)) => {
            eprintln!("pygen: {message}");
            ExitCode::from(DISAGREE as u8)
        }
        Err(Failure::Environment(message)) => {
            eprintln!("pygen: {message}");
            ExitCode::from(ENVIRONMENT as u8)
        }
    }
}

/// `pygen compare`: what the backends do first (it is quick, and decides
/// whether the timings mean anything), then what they cost. The first part
/// is flushed before the second is measured, so it can be read meanwhile.
fn compare(rounds: usize) -> Result<(), Failure> {
    pygen::measure::count_this_thread();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    writeln!(
        out,
        "pygen compare: Python's generator protocol three ways, side by side\n"
    )?;
    let (behaviour, all_pass) = pygen::compare::conformance();
    writeln!(out, "{behaviour}")?;
    out.flush()?;
    write!(out, "{}", pygen::compare::costs_table(rounds))?;
    out.flush()?;
    if all_pass {
        Ok(())
    } else {
        Err(Failure::Disagree(
            "a backend failed a protocol rule (marked FAIL above)".to_owned(),
        ))
    }
}

/// `pygen tutor`: the tutor's generator handler on one event loop. It
/// says where to point a browser, then logs as `serve` does; bound beyond
/// the loopback interface, it warns that others can reach it.
fn tutor(addr: &ListenAddr, python_deadline: Duration) -> Result<(), Failure> {
    let cannot = |error: io::Error| {
        let hint = match error.kind() {
            io::ErrorKind::AddrInUse => "; choose another port with --addr",
            _ => "",
        };
        Failure::Environment(format!(
            "cannot listen on {addr}: {}{hint}",
            os_error(&error)
        ))
    };
    let server = pygen_http::Server::bind(addr.resolve().map_err(cannot)?, 1).map_err(cannot)?;
    let local = server.local_addr().map_err(cannot)?;
    eprintln!("pygen tutor: open http://{local}/ in a browser (Ctrl-C stops it)");
    start_logging();
    let python = pygen::tutor::python::Python {
        deadline: python_deadline,
        stop: server.shutdown_handle(),
        ..Default::default()
    };
    let tutor = Arc::new(pygen::tutor::app::Tutor::new(local).with_python(python));
    if !local.ip().is_loopback() {
        let warning = format!(
            "listening on {local}, beyond the loopback interface: other machines can \
             reach the tutor and make it run python3 (it answers only requests whose \
             Host is {})",
            tutor.hosts.names().join(", ")
        );
        eprintln!("pygen tutor: warning: {warning}");
        tracing::warn!("{warning}");
    }
    let handler = move || pygen::tutor::app::handler(tutor.clone());
    server.run(handler).map_err(|error| {
        Failure::Environment(format!("serving on {addr} failed: {}", os_error(&error)))
    })
}

/// `pygen serve`: resolve and bind first, so that an address in use or
/// not permitted is the only line printed; then log through `tracing`
/// (`RUST_LOG` filters, `info` by default) and run the event loops until a
/// signal stops them.
fn serve(
    implementation: ServeImpl,
    model: Model,
    addr: &ListenAddr,
    workers: usize,
) -> Result<(), Failure> {
    if model == Model::Tasks && implementation == ServeImpl::Baseline {
        return Err(Failure::Usage(
            "--impl baseline is a handler, not a task; use it with --model handler".to_owned(),
        ));
    }
    let socket_addr = addr.resolve().map_err(|error| {
        Failure::Environment(format!(
            "cannot listen on {addr}: the host name does not resolve ({})",
            os_error(&error)
        ))
    })?;
    let server = pygen_http::Server::bind(socket_addr, workers).map_err(|error| {
        let hint = match error.kind() {
            io::ErrorKind::AddrInUse => {
                "; another process listens there: stop it, or choose another port with --addr"
            }
            io::ErrorKind::PermissionDenied if socket_addr.port() < 1024 => {
                "; ports below 1024 need root or CAP_NET_BIND_SERVICE"
            }
            io::ErrorKind::AddrNotAvailable => "; that address is not one of this machine's",
            _ => "",
        };
        Failure::Environment(format!(
            "cannot listen on {addr}{}: {}{hint}",
            match addr {
                ListenAddr::Ip(_) => String::new(),
                ListenAddr::Host { .. } => format!(" ({socket_addr})"),
            },
            os_error(&error)
        ))
    })?;
    start_logging();
    tracing::info!(implementation = ?implementation, model = ?model, addr = %addr, "pygen serve");
    let result = match (model, implementation) {
        (Model::Handler, ServeImpl::Backend(Backend::Genawaiter)) => {
            server.run(pygen_genawaiter::handler)
        }
        (Model::Handler, ServeImpl::Backend(Backend::AsyncStream)) => {
            server.run(pygen_async_stream::handler)
        }
        (Model::Handler, ServeImpl::Backend(Backend::Nightly)) => {
            server.run(pygen_nightly::handler)
        }
        (Model::Handler, ServeImpl::Baseline) => server.run(pygen_http::BaselineHandler::new),
        (Model::Tasks, ServeImpl::Backend(Backend::Genawaiter)) => {
            server.run_tasks(pygen_genawaiter::tasks::server)
        }
        (Model::Tasks, ServeImpl::Backend(Backend::AsyncStream)) => {
            server.run_tasks(pygen_async_stream::tasks::server)
        }
        (Model::Tasks, ServeImpl::Backend(Backend::Nightly)) => {
            server.run_tasks(pygen_nightly::tasks::server)
        }
        (Model::Tasks, ServeImpl::Baseline) => unreachable!("refused before binding"),
    };
    result.map_err(|error| {
        Failure::Environment(format!("serving on {addr} failed: {}", os_error(&error)))
    })
}

/// An OS error as pygen's messages are written: lowercase, as in
/// `address already in use (os error 98)`.
fn os_error(error: &io::Error) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// `pygen fib`: the seed's program, `for n in fibonacci(): print(n)`, for
/// the first `count` values.
fn fib(count: u64, choice: Choice, u64: bool) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let backends = choice.backends();
    for backend in &backends {
        if backends.len() > 1 {
            writeln!(out, "# {backend}")?;
        }
        let limit = usize::try_from(count).unwrap_or(usize::MAX);
        if u64 {
            for n in backend.fibonacci_u64().take(limit) {
                writeln!(out, "{n}")?;
            }
        } else {
            for n in backend.fibonacci().take(limit) {
                writeln!(out, "{n}")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// `pygen transcript`: run an op script and print one line per op, or,
/// for `--impl all`, every backend's and CPython's side by side.
fn run_transcript(choice: Choice, demo: Demo, words: &[String]) -> Result<(), Failure> {
    if let Some(word) = words
        .iter()
        .flat_map(|w| w.split_whitespace())
        .find(|w| AsyncOp::is_async_word(w))
    {
        return Err(Failure::Usage(format!(
            "bad op '{word}': {demo} is a generator, and '{word}' is an async generator's op \
             (a generator takes next, send <int>, send None, throw <exception>, close)"
        )));
    }
    if let Some(backend) = stepping(choice, words) {
        // At a terminal: step, each op answered as it is typed.
        return pygen::tutor::interactive::step(
            backend,
            demo,
            &mut io::stdin().lock(),
            &mut io::stdout().lock(),
            &mut io::stderr().lock(),
        )
        .map_err(Failure::Io);
    }
    let ops: Vec<Op> = if words.is_empty() {
        parse_lines(&stdin_lines()?)?
    } else {
        parse_ops(words).map_err(|bad| Failure::Usage(bad.to_string()))?
    };
    let Some(backend) = choice.single() else {
        let columns = side_by_side::backend_columns(demo, &ops);
        return print_beside_cpython(demo, &ops, columns);
    };
    let log = Log::new();
    let mut generator = backend.demo(demo, &log);
    print_lines(transcript(&mut *generator, &log, &ops))
}

/// The backend to step at a terminal (`pygen transcript` with no ops,
/// stdin a terminal, one backend chosen), or `None` to run a script.
fn stepping(choice: Choice, words: &[String]) -> Option<Backend> {
    choice
        .single()
        .filter(|_| words.is_empty() && io::stdin().is_terminal())
}

/// The lines of stdin, where a transcript's ops come from when none are
/// given on the command line.
fn stdin_lines() -> Result<Vec<String>, Failure> {
    io::stdin()
        .lock()
        .lines()
        .collect::<Result<_, _>>()
        .map_err(|error| match error.kind() {
            io::ErrorKind::InvalidData => {
                Failure::Usage("the ops on stdin are not UTF-8 text".to_owned())
            }
            _ => Failure::Environment(format!("cannot read stdin: {}", os_error(&error))),
        })
}

/// A transcript's lines on stdout.
fn print_lines(lines: Vec<String>) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for line in lines {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

/// `pygen transcript` for an async generator: each op awaited to
/// completion on one executor, as CPython's `loop.run_until_complete`.
fn run_async_transcript(choice: Choice, demo: AsyncDemo, words: &[String]) -> Result<(), Failure> {
    if let Some(backend) = stepping(choice, words) {
        // At a terminal: step, each op awaited and answered as it is typed.
        return pygen::tutor::interactive::step_async(
            backend,
            demo,
            &mut io::stdin().lock(),
            &mut io::stdout().lock(),
            &mut io::stderr().lock(),
        )
        .map_err(Failure::Io);
    }
    let words: Vec<String> = if words.is_empty() {
        stdin_lines()?
    } else {
        words.to_vec()
    };
    if let Some(word) = words
        .iter()
        .flat_map(|w| w.split_whitespace())
        .find(|w| matches!(*w, "next" | "send" | "throw" | "close"))
    {
        return Err(Failure::Usage(format!(
            "bad op '{word}': {demo} is an async generator, and '{word}' is a generator's op \
             (an async generator takes anext, asend <int>, asend None, athrow <exception>, aclose)"
        )));
    }
    let ops = parse_async_ops(&words).map_err(|bad| Failure::Usage(bad.to_string()))?;
    let Some(backend) = choice.single() else {
        let columns = side_by_side::async_backend_columns(demo, &ops);
        return print_beside_cpython(demo, &ops, columns);
    };
    let log = Log::new();
    let mut generator = backend.async_demo(demo, &log);
    print_lines(async_transcript(&mut *generator, &log, &ops))
}

/// `pygen transcript --impl all`: the backends' transcripts (`columns`)
/// and CPython's, side by side. Without python3 the backends are still
/// compared with each other, and one line on stderr says CPython is
/// missing.
fn print_beside_cpython<O: std::fmt::Display>(
    demo: impl std::fmt::Display,
    ops: &[O],
    mut columns: Vec<side_by_side::Column>,
) -> Result<(), Failure> {
    match side_by_side::cpython_column(demo, ops) {
        Ok(cpython) => columns.push(cpython),
        Err(why) => eprintln!("pygen: {why}"),
    }
    print_side_by_side(ops, &columns)
}

/// Print the columns side by side; fail if they differ.
fn print_side_by_side<O: std::fmt::Display>(
    ops: &[O],
    columns: &[side_by_side::Column],
) -> Result<(), Failure> {
    let table = side_by_side::side_by_side(ops, columns);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    out.write_all(table.text.as_bytes())?;
    out.flush()?;
    match table.differing {
        0 => Ok(()),
        n => Err(Failure::Disagree(format!(
            "the transcripts differ on {n} of {} lines (marked {})",
            ops.len(),
            side_by_side::MARK
        ))),
    }
}

/// Ops from stdin: one a line, blank lines skipped, a bad line named by its
/// number.
fn parse_lines(lines: &[String]) -> Result<Vec<Op>, Failure> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            line.parse()
                .map_err(|bad| Failure::Usage(format!("line {}: {bad}", i + 1)))
        })
        .collect()
}

/// Log through `tracing` to stderr, `RUST_LOG` filtering (`info` by
/// default): what `serve` and `tutor` do once they listen.
fn start_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| LossyStderr)
        .with_ansi(io::stderr().is_terminal())
        .init();
}

/// Where the server's log lines go: stderr, but a log line that cannot be
/// written (stderr is a pipe whose reader has gone) is dropped instead of
/// failing. A server must not stop serving because nobody reads its log;
/// `tracing-subscriber` would otherwise report the failed write on stderr
/// itself, and that second failure panics.
struct LossyStderr;

impl Write for LossyStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _ = io::stderr().write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _ = io::stderr().flush();
        Ok(())
    }
}
