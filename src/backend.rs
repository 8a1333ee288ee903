//! [`Backend`]: the three ways, chosen at run time.

use std::fmt;

use num_bigint::{BigInt, BigUint};
use pygen_demos::{AsyncDemo, Demo, Log, PyAsyncGenerator, PyGenerator};
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

/// One of the three implementations of the generator protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Backend {
    /// The `genawaiter` crate: `co.yield_(value).await`.
    Genawaiter,
    /// `async-stream`'s `stream!`, polled by hand, with a slot for `send`.
    AsyncStream,
    /// Nightly Rust: `#[coroutine]` closures and `Coroutine::resume`.
    Nightly,
}

impl Backend {
    /// The three backends, in the order pygen always lists them.
    pub const ALL: [Backend; 3] = [Backend::Genawaiter, Backend::AsyncStream, Backend::Nightly];

    /// The name the command line uses: `async-stream`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Genawaiter => "genawaiter",
            Backend::AsyncStream => "async-stream",
            Backend::Nightly => "nightly",
        }
    }

    /// The demo generator `demo`, as this backend writes it, ready for a
    /// transcript. `log` receives what the body logs.
    pub fn demo(self, demo: Demo, log: &Log) -> Box<dyn PyGenerator> {
        match self {
            Backend::Genawaiter => pygen_genawaiter::demo(demo, log),
            Backend::AsyncStream => pygen_async_stream::demo(demo, log),
            Backend::Nightly => pygen_nightly::demo(demo, log),
        }
    }

    /// The async demo generator `demo`, as this backend writes it, ready
    /// for an async transcript. `log` receives what the body logs.
    pub fn async_demo(self, demo: AsyncDemo, log: &Log) -> Box<dyn PyAsyncGenerator> {
        match self {
            Backend::Genawaiter => pygen_genawaiter::async_demo(demo, log),
            Backend::AsyncStream => pygen_async_stream::async_demo(demo, log),
            Backend::Nightly => pygen_nightly::async_demo(demo, log),
        }
    }

    /// This backend's `fibonacci()`, as a Rust iterator: Python's
    /// `for n in fibonacci()`.
    pub fn fibonacci(self) -> Box<dyn Iterator<Item = BigUint>> {
        match self {
            Backend::Genawaiter => iter(pygen_genawaiter::fibonacci::<BigInt>()),
            Backend::AsyncStream => iter(pygen_async_stream::fibonacci::<BigInt>()),
            Backend::Nightly => iter(pygen_nightly::fibonacci::<BigInt>()),
        }
    }

    /// This backend's `u64` Fibonacci, which ends after F(93).
    pub fn fibonacci_u64(self) -> Box<dyn Iterator<Item = u64>> {
        match self {
            Backend::Genawaiter => iter(pygen_genawaiter::fibonacci_u64::<BigInt>()),
            Backend::AsyncStream => iter(pygen_async_stream::fibonacci_u64::<BigInt>()),
            Backend::Nightly => iter(pygen_nightly::fibonacci_u64::<BigInt>()),
        }
    }
}

/// A generator as a boxed iterator of its values. Boxing costs one
/// allocation here and an indirect call per item; the benchmarks drive the
/// generators without it. The Fibonacci generators never raise, so the
/// iterator ends only where the generator returns (`map_while` would stop
/// at an exception rather than hide it).
fn iter<G, Y, R>(body: G) -> Box<dyn Iterator<Item = Y>>
where
    G: Coroutine<Resume<BigInt>, Yield = Y, Return = Result<R, Exception>> + Unpin + 'static,
    Y: 'static,
    R: 'static,
{
    Box::new(
        Generator::<G, BigInt>::new(body)
            .into_iter()
            .map_while(Result::ok),
    )
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
