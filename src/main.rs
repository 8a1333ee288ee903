//! `pygen`: run the demo generators, print transcripts, serve HTTP, and
//! compare the three backends.
//!
//! ```text
//! pygen                      # the same as `pygen compare`
//! pygen fib --count 10 --impl all
//! pygen transcript --impl nightly guarded next "throw ValueError" close
//! pygen serve --impl genawaiter --addr 127.0.0.1:8080 --workers 2
//! ```

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use pygen::Backend;
use pygen::cli_error::{USAGE, one_line};
use pygen::measure::CountingAllocator;
use pygen_demos::{Demo, Log, Op, parse_ops, transcript};

/// Every allocation is counted, so that `pygen compare` can report
/// allocations per generator and per resume as counted, not guessed.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Python's generator protocol three ways: genawaiter, async-stream,
/// nightly coroutines.
#[derive(Parser, Debug)]
#[command(name = "pygen", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The three backends side by side: the protocol table run live, then
    /// time per item and per send, object size and allocations. What
    /// `pygen` with no arguments runs.
    Compare,
    /// Print the first N Fibonacci numbers from a backend's generator, as
    /// Python prints them.
    Fib {
        /// How many numbers to print.
        #[arg(long, default_value_t = 10)]
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
    /// CPython would print.
    Transcript {
        /// Which backend runs the demo.
        #[arg(long = "impl", value_name = "IMPL", value_enum)]
        implementation: Backend,
        /// The demo generator: fibonacci, echo, running_sum, countdown,
        /// guarded, stubborn or batches.
        demo: Demo,
        /// The ops: next, "send N", "send None", "throw ValueError",
        /// "throw KeyError", close. Read from stdin, one a line, when none
        /// are given.
        #[arg(allow_hyphen_values = true)]
        ops: Vec<String>,
    },
    /// Serve HTTP/1.1: each connection's requests are sent into a handler
    /// coroutine, which yields the responses. Ctrl-C or SIGTERM stops it
    /// after in-flight responses finish.
    Serve {
        /// Which backend's handler coroutine answers.
        #[arg(long = "impl", value_name = "IMPL", value_enum, default_value_t = ServeImpl::Nightly)]
        implementation: ServeImpl,
        /// The address to listen on.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Event loops, one per thread, each with its own SO_REUSEPORT
        /// listener on the same address.
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1024))]
        workers: u16,
        /// handler: the event loop sends each request into the
        /// connection's handler; tasks: each connection is a task that
        /// does its own I/O by yielding system calls to a scheduler.
        #[arg(long, value_name = "MODEL", value_enum, default_value_t = Model::Handler)]
        model: Model,
    },
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ServeImpl {
    Genawaiter,
    AsyncStream,
    Nightly,
    /// No coroutine: a hand-written state machine on the same event loop.
    Baseline,
}

/// `--impl` for commands that can run every backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Choice {
    Genawaiter,
    AsyncStream,
    Nightly,
    All,
}

impl Choice {
    fn backends(self) -> Vec<Backend> {
        match self {
            Choice::Genawaiter => vec![Backend::Genawaiter],
            Choice::AsyncStream => vec![Backend::AsyncStream],
            Choice::Nightly => vec![Backend::Nightly],
            Choice::All => Backend::ALL.to_vec(),
        }
    }
}

/// Why a command stopped early.
enum Failure {
    /// Bad input from the user: one line on stderr, exit code 2.
    Usage(String),
    /// Writing the output failed (other than a closed pipe).
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
            eprintln!("pygen: {}", one_line(&error.render().to_string()));
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
        }) => run_transcript(implementation, demo, &ops),
        Some(Command::Serve {
            implementation,
            addr,
            workers,
            model,
        }) => serve(implementation, model, addr, usize::from(workers)),
        Some(Command::Compare) | None => compare(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `pygen fib --count 1000000 | head` closes the pipe early: that is
        // the reader's choice, not an error.
        Err(Failure::Io(error)) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(error)) => {
            eprintln!("pygen: {error}");
            ExitCode::FAILURE
        }
        Err(Failure::Usage(message)) => {
            eprintln!("pygen: {message}");
            ExitCode::from(USAGE as u8)
        }
    }
}

/// `pygen compare`: conformance first (it is quick and decides whether
/// the timings mean anything), then the costs.
fn compare() -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    writeln!(
        out,
        "pygen compare: each protocol row run live against each backend's demos,\n\
         compared with CPython's transcript\n"
    )?;
    let (table, all_pass) = pygen::compare::conformance();
    write!(out, "{table}")?;
    writeln!(
        out,
        "\ncosts: medians; ratios to the hand-written baseline timed in this run\n"
    )?;
    out.flush()?;
    write!(out, "{}", pygen::compare::costs_table())?;
    out.flush()?;
    if all_pass {
        Ok(())
    } else {
        Err(Failure::Io(io::Error::other(
            "a backend failed a protocol row",
        )))
    }
}

/// `pygen serve`: log through `tracing` (`RUST_LOG` filters, `info` by
/// default) and run the event loops until a signal stops them.
fn serve(
    implementation: ServeImpl,
    model: Model,
    addr: std::net::SocketAddr,
    workers: usize,
) -> Result<(), Failure> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .init();
    use pygen_http::{Config, tasks::run_tasks};
    tracing::info!(implementation = ?implementation, model = ?model, "pygen serve");
    let result = match (model, implementation) {
        (Model::Handler, ServeImpl::Genawaiter) => {
            pygen_http::run(addr, workers, pygen_genawaiter::handler)
        }
        (Model::Handler, ServeImpl::AsyncStream) => {
            pygen_http::run(addr, workers, pygen_async_stream::handler)
        }
        (Model::Handler, ServeImpl::Nightly) => {
            pygen_http::run(addr, workers, pygen_nightly::handler)
        }
        (Model::Handler, ServeImpl::Baseline) => {
            pygen_http::run(addr, workers, pygen_http::BaselineHandler::new)
        }
        (Model::Tasks, ServeImpl::Genawaiter) => run_tasks(
            addr,
            workers,
            Config::default(),
            pygen_genawaiter::tasks::server,
        ),
        (Model::Tasks, ServeImpl::AsyncStream) => run_tasks(
            addr,
            workers,
            Config::default(),
            pygen_async_stream::tasks::server,
        ),
        (Model::Tasks, ServeImpl::Nightly) => run_tasks(
            addr,
            workers,
            Config::default(),
            pygen_nightly::tasks::server,
        ),
        (Model::Tasks, ServeImpl::Baseline) => {
            return Err(Failure::Usage(
                "--impl baseline is a handler; use it with --model handler".to_owned(),
            ));
        }
    };
    // For scripts/load.py: allocations per request, over the whole run.
    let allocations = pygen::measure::Allocations::now();
    tracing::info!(allocations = allocations.count, "served");
    result.map_err(|error| {
        Failure::Io(io::Error::new(
            error.kind(),
            format!("cannot serve on {addr}: {error}"),
        ))
    })
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

/// `pygen transcript`: run an op script and print one line per op.
fn run_transcript(backend: Backend, demo: Demo, words: &[String]) -> Result<(), Failure> {
    let ops: Vec<Op> = if words.is_empty() {
        let lines: Vec<String> = io::stdin().lock().lines().collect::<Result<_, _>>()?;
        parse_lines(&lines)?
    } else {
        parse_ops(words).map_err(|bad| Failure::Usage(bad.to_string()))?
    };
    let log = Log::new();
    let mut generator = backend.demo(demo, &log);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for line in transcript(&mut *generator, &log, &ops) {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
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
