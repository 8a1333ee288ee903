//! The three Rust panes: each backend's demo file, its yield sites, and a
//! run of an op script that says after every op where that generator is
//! paused.
//!
//! # How a Rust pane finds its paused line
//!
//! A Rust generator has no `gi_frame`: the compiler's state machine keeps
//! its resume point to itself. So the line is found in two honest halves.
//!
//! 1. **Where the yield sites are** is read from the backend's own source
//!    file, the one the pane shows ([`source`], embedded with
//!    `include_str!`). A yield site is a line of code that suspends the
//!    body: `yield`, `yield_from!(` or `async_yield!(` in nightly,
//!    `.yield_(` or `yield_from(&co` in genawaiter (`co.yield_` in an
//!    async demo too), a statement starting `yield ` in async-stream's
//!    `stream!`. An async demo's `await` also suspends its body, but never
//!    between two ops: each op is awaited to completion, so an async
//!    generator looked at between ops is paused at a `yield`, as
//!    CPython's is. Every site sits under a comment block
//!    that mirrors the Python it implements and mentions `yield`; the
//!    tests check that, and check how many sites each file has.
//! 2. **Which site the generator is paused at** comes from the demo's
//!    structure and that backend's own outcome, never from CPython's:
//!    [`site_of`] maps the value the backend just yielded to the index of
//!    the site that yields it (in `guarded`, `'recovered'` comes from the
//!    second site; in `batches` an int from the `yield from` and a string
//!    from the summary; `pipeline`'s outer generator is `evens`, the
//!    second of its three stages in the file). When an op leaves the
//!    generator suspended without handing back a value (`close()` on
//!    `stubborn`, which yields again and so raises `RuntimeError`), it is
//!    paused where it was.
//!
//!
//! The async demos ([`run_async`]) are found the same way: their files
//! each have one yield site a run can pause at (nightly's `ticker.rs` has
//! the compiler's own `async gen` flavour after it, which is no demo's).
//!
//! The state is the backend's own [`Generator::state`] or
//! [`AsyncGenerator::state`].

use num_bigint::BigInt;
use pygen_demos::{
    AsyncDemo, AsyncOp, Demo, Log, Op, PyAsyncGenerator, PyGenerator, Transcribed,
    async_transcript, transcript,
};
use pygen_protocol::{AsyncGenerator, AsyncGeneratorState, Generator, GeneratorState};

use crate::Backend;

/// Each demo's file in one backend crate, in [`Demo::ALL`]'s order (file
/// names must be literals here; the arrays' length is `Demo::ALL.len()`,
/// and [`source`] checks each file is its demo's).
macro_rules! demo_files {
    ($krate:literal) => {
        [
            include_str!(concat!("../../crates/", $krate, "/src/fibonacci.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/echo.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/running_sum.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/countdown.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/guarded.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/stubborn.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/batches.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/words.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/account.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/pipeline.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/inventory.rs")),
        ]
    };
}

const NIGHTLY: [&str; Demo::ALL.len()] = demo_files!("nightly");
const GENAWAITER: [&str; Demo::ALL.len()] = demo_files!("genawaiter");
const ASYNC_STREAM: [&str; Demo::ALL.len()] = demo_files!("async-stream");

/// Each async demo's file in one backend crate, in [`AsyncDemo::ALL`]'s
/// order.
macro_rules! async_demo_files {
    ($krate:literal) => {
        [
            include_str!(concat!("../../crates/", $krate, "/src/ticker.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/running_mean.rs")),
            include_str!(concat!("../../crates/", $krate, "/src/stubborn_async.rs")),
        ]
    };
}

const ASYNC_NIGHTLY: [&str; AsyncDemo::ALL.len()] = async_demo_files!("nightly");
const ASYNC_GENAWAITER: [&str; AsyncDemo::ALL.len()] = async_demo_files!("genawaiter");
const ASYNC_ASYNC_STREAM: [&str; AsyncDemo::ALL.len()] = async_demo_files!("async-stream");

/// The position of `demo` in [`Demo::ALL`].
fn index(demo: Demo) -> usize {
    Demo::ALL
        .iter()
        .position(|&d| d == demo)
        .expect("every demo is in Demo::ALL")
}

/// The backend's file for `demo`, as the pane shows it: the whole file.
pub fn source(backend: Backend, demo: Demo) -> &'static str {
    let files = match backend {
        Backend::Genawaiter => &GENAWAITER,
        Backend::AsyncStream => &ASYNC_STREAM,
        Backend::Nightly => &NIGHTLY,
    };
    let file = files[index(demo)];
    debug_assert!(
        file.starts_with(&format!("//! `{}()`", demo.name())),
        "{backend}'s file for {} is not in Demo::ALL's order",
        demo.name()
    );
    file
}

/// The backend's file for the async demo `demo`: the whole file.
pub fn async_source(backend: Backend, demo: AsyncDemo) -> &'static str {
    let files = match backend {
        Backend::Genawaiter => &ASYNC_GENAWAITER,
        Backend::AsyncStream => &ASYNC_ASYNC_STREAM,
        Backend::Nightly => &ASYNC_NIGHTLY,
    };
    let index = AsyncDemo::ALL
        .iter()
        .position(|&d| d == demo)
        .expect("every async demo is in AsyncDemo::ALL");
    let file = files[index];
    debug_assert!(
        file.starts_with(&format!("//! `{}()`", demo.name())),
        "{backend}'s file for {} is not in AsyncDemo::ALL's order",
        demo.name()
    );
    file
}

/// Whether `code` (a line with no comment on it) contains `word` as a
/// whole identifier.
fn has_word(code: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

/// Whether a line of `backend`'s code suspends the body.
fn suspends(backend: Backend, line: &str) -> bool {
    let code = line.trim_start();
    if code.starts_with("//") {
        return false;
    }
    match backend {
        Backend::Nightly => {
            has_word(code, "yield")
                || code.contains("yield_from!(")
                || code.contains("async_yield!(")
        }
        Backend::Genawaiter => code.contains(".yield_(") || code.contains("yield_from(&co"),
        Backend::AsyncStream => code.starts_with("yield "),
    }
}

/// The 1-based lines of `text` at which `backend`'s body can be paused, in
/// file order.
pub fn yield_sites(backend: Backend, text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| suspends(backend, line))
        .map(|(i, _)| i + 1)
        .collect()
}

/// The Python-mirror comment block nearest above line `site` (1-based) of
/// `text`: the contiguous `//` lines first met going up, code between
/// them and the site skipped.
pub fn mirror_comment(text: &str, site: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let is_comment = |line: &str| {
        let line = line.trim_start();
        line.starts_with("//") && !line.starts_with("///") && !line.starts_with("//!")
    };
    let mut end = site - 1;
    while end > 0 && !is_comment(lines[end - 1]) {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && is_comment(lines[start - 1]) {
        start -= 1;
    }
    lines[start..end].join("\n")
}

// ANCHOR: site_of
/// Which of a demo's yield sites (an index into [`yield_sites`]) yields
/// `value` (a Python `repr`); `None` when the generator is suspended with
/// no value seen, as `pipeline` is when it is made.
pub fn site_of(demo: Demo, value: Option<&str>) -> usize {
    match demo {
        // try: yield 'waiting' / except ValueError: yield 'recovered'
        Demo::Guarded => usize::from(value == Some("'recovered'")),
        // total = yield from running_sum() passes ints through;
        // yield f'batch {count}: {total}' yields a string.
        Demo::Batches => usize::from(value.is_some_and(|v| v.starts_with('\''))),
        // The file's stages in order are sink, evens, broadcast; the
        // generator pipeline() returns is evens, primed.
        Demo::Pipeline => 1,
        // fibonacci()'s file has the u64 flavour after it; the rest have
        // one site.
        _ => 0,
    }
}
// ANCHOR_END: site_of

/// Where a generator is after an op, or before any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// `GEN_CREATED`, `GEN_SUSPENDED` or `GEN_CLOSED`; `AGEN_...` for an
    /// async generator.
    pub state: &'static str,
    /// The 1-based line of the source it is paused at, if suspended.
    pub line: Option<usize>,
}

/// One op and what it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The op as `pygen transcript` spells it: `throw ValueError`.
    pub op: String,
    /// What follows `op: ` in the op's transcript line.
    pub outcome: String,
    /// Where the generator is after it.
    pub view: View,
}

/// A pane: a source and the run of a script over it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pane {
    /// The text shown, whose lines [`View::line`] counts.
    pub source: String,
    /// Before any op.
    pub start: View,
    /// One per op.
    pub steps: Vec<Step>,
}

/// A demo generator that can also say its state.
pub trait Stepped: PyGenerator {
    /// `inspect.getgeneratorstate(g)`.
    fn state(&self) -> GeneratorState;
}

impl<G> Stepped for Transcribed<Generator<G, BigInt>>
where
    Generator<G, BigInt>: PyGenerator,
{
    fn state(&self) -> GeneratorState {
        self.0.state()
    }
}

fn boxed<G, R>(body: G) -> Box<dyn Stepped>
where
    G: pygen_protocol::Coroutine<
            pygen_protocol::Resume<BigInt>,
            Return = Result<R, pygen_protocol::Exception>,
        > + 'static,
    Generator<std::pin::Pin<Box<G>>, BigInt>: PyGenerator,
{
    Box::new(Transcribed(Generator::<_, BigInt>::new(Box::pin(body))))
}

/// The demo generator, as `backend_demos!` makes it, but keeping its
/// state in sight.
macro_rules! stepped {
    ($krate:ident, $demo:expr, $log:expr) => {
        match $demo {
            Demo::Fibonacci => boxed($krate::fibonacci()),
            Demo::Echo => boxed($krate::echo()),
            Demo::RunningSum => boxed($krate::running_sum()),
            Demo::Countdown => boxed($krate::countdown()),
            Demo::Guarded => boxed($krate::guarded($log)),
            Demo::Stubborn => boxed($krate::stubborn($log)),
            Demo::Batches => boxed($krate::batches()),
            Demo::Words => boxed($krate::words($log)),
            Demo::Account => boxed($krate::account()),
            Demo::Pipeline => Box::new(Transcribed($krate::pipeline($log))),
            Demo::Inventory => boxed($krate::inventory($log)),
        }
    };
}

/// `backend`'s `demo`, writing to `log`, able to say its state.
pub fn make(backend: Backend, demo: Demo, log: &Log) -> Box<dyn Stepped> {
    let log = log.clone();
    match backend {
        Backend::Genawaiter => stepped!(pygen_genawaiter, demo, log),
        Backend::AsyncStream => stepped!(pygen_async_stream, demo, log),
        Backend::Nightly => stepped!(pygen_nightly, demo, log),
    }
}

/// Run `ops` on `backend`'s `demo`, noting after each op the outcome, the
/// state and the paused line.
pub fn run(backend: Backend, demo: Demo, ops: &[Op]) -> Pane {
    let text = source(backend, demo);
    let sites = yield_sites(backend, text);
    let line_of = |site: usize| sites.get(site).copied();
    let log = Log::new();
    let mut generator = make(backend, demo, &log);
    let mut site = site_of(demo, None);
    let view = |generator: &dyn Stepped, site: usize| {
        let state = generator.state();
        View {
            state: state.name(),
            line: (state == GeneratorState::Suspended)
                .then(|| line_of(site))
                .flatten(),
        }
    };
    let start = view(&*generator, site);
    let steps = ops
        .iter()
        .map(|op| {
            let line = transcript(&mut *generator, &log, std::slice::from_ref(op))
                .pop()
                .unwrap_or_default();
            let op = op.to_string();
            let outcome = outcome_of(&op, &line);
            // The value is the last thing on the line, after any logs.
            let last = outcome.rsplit("; ").next().unwrap_or(&outcome);
            if let Some(value) = last.strip_prefix("yield ") {
                site = site_of(demo, Some(value));
            }
            Step {
                op,
                outcome,
                view: view(&*generator, site),
            }
        })
        .collect();
    Pane {
        source: text.to_owned(),
        start,
        steps,
    }
}

/// What follows `op: ` on `op`'s transcript line.
fn outcome_of(op: &str, line: &str) -> String {
    line.strip_prefix(&format!("{op}: "))
        .unwrap_or(line)
        .to_owned()
}

/// An async demo generator that can also say its state.
pub trait AsyncStepped: PyAsyncGenerator {
    /// `inspect.getasyncgenstate(g)`.
    fn state(&self) -> AsyncGeneratorState;
}

impl<G> AsyncStepped for AsyncGenerator<G, BigInt>
where
    AsyncGenerator<G, BigInt>: PyAsyncGenerator,
{
    fn state(&self) -> AsyncGeneratorState {
        AsyncGenerator::state(self)
    }
}

fn async_boxed<G>(body: G) -> Box<dyn AsyncStepped>
where
    G: pygen_protocol::Coroutine<pygen_protocol::AsyncResume<BigInt>> + 'static,
    AsyncGenerator<std::pin::Pin<Box<G>>, BigInt>: PyAsyncGenerator,
{
    Box::new(AsyncGenerator::<_, BigInt>::new(Box::pin(body)))
}

/// The async demo generator, as `backend_demos!`'s `async_demo` makes it,
/// but keeping its state in sight.
macro_rules! async_stepped {
    ($krate:ident, $demo:expr, $log:expr) => {
        match $demo {
            AsyncDemo::Ticker => async_boxed($krate::ticker($log)),
            AsyncDemo::RunningMean => async_boxed($krate::running_mean($log)),
            AsyncDemo::StubbornAsync => async_boxed($krate::stubborn_async($log)),
        }
    };
}

/// `backend`'s async `demo`, writing to `log`, able to say its state.
pub fn make_async(backend: Backend, demo: AsyncDemo, log: &Log) -> Box<dyn AsyncStepped> {
    let log = log.clone();
    match backend {
        Backend::Genawaiter => async_stepped!(pygen_genawaiter, demo, log),
        Backend::AsyncStream => async_stepped!(pygen_async_stream, demo, log),
        Backend::Nightly => async_stepped!(pygen_nightly, demo, log),
    }
}

/// [`run`] for an async demo: each op awaited to completion, then the
/// outcome, the state and the paused line. Each async demo has one yield
/// site a run pauses at, the first in its file.
pub fn run_async(backend: Backend, demo: AsyncDemo, ops: &[AsyncOp]) -> Pane {
    let text = async_source(backend, demo);
    let site = yield_sites(backend, text).first().copied();
    let log = Log::new();
    let mut generator = make_async(backend, demo, &log);
    let view = |generator: &dyn AsyncStepped| {
        let state = generator.state();
        View {
            state: state.name(),
            line: site.filter(|_| state == AsyncGeneratorState::Suspended),
        }
    };
    let start = view(&*generator);
    let steps = ops
        .iter()
        .map(|op| {
            let line = async_transcript(&mut *generator, &log, std::slice::from_ref(op))
                .pop()
                .unwrap_or_default();
            let op = op.to_string();
            let outcome = outcome_of(&op, &line);
            Step {
                op,
                outcome,
                view: view(&*generator),
            }
        })
        .collect();
    Pane {
        source: text.to_owned(),
        start,
        steps,
    }
}
