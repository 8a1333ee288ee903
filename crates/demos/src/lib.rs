//! # pygen-demos
//!
//! Everything pygen needs to check its three backends against CPython,
//! kept out of `pygen-protocol` so that the protocol crate is only the
//! protocol:
//!
//! * [`Demo`]: the eleven demo generators by name, and the vocabulary they
//!   share across backends: [`Log`] (the demos' `log()`), [`Batch`] (what
//!   `batches` yields), [`Overdrawn`] (the exception class `account`
//!   defines), [`builtins`] (Python's `d[key]` and `next(it)`, which
//!   `inventory` catches the exceptions of) and [`backend_demos!`], which
//!   declares a backend crate's demo modules and its `demo()` lookup.
//! * [`AsyncDemo`]: the three async demo generators (PEP 525) by name,
//!   [`sleep0`] (Python's `asyncio.sleep(0)`), and [`block_on`], the one
//!   executor their ops are awaited on; [`async_transcript`](mod@async_transcript):
//!   async op scripts (`anext`, `asend 5`, `athrow ValueError`, `aclose`)
//!   and their transcripts.
//! * [`Repr`]: values written the way Python's `repr` writes them.
//! * [`transcript`](mod@transcript): op scripts (`next`, `send 5`,
//!   `throw ValueError`, `close`) and the one-line-per-op transcripts
//!   pygen and CPython are compared in.
//! * [`ROWS`]: the protocol table as data, each row an op script with
//!   CPython's transcript, and `behaviour_suite!`, the conformance suite
//!   every backend runs, one test per row: test support, behind the
//!   feature `testing`, which only the backend crates' dev-dependencies
//!   turn on.
//!
//! ## Adding a demo
//!
//! Five files, all written by hand; nothing else lists the demos:
//!
//! 1. `tests/oracle.py` (in the root package): the demo in Python, added to
//!    `DEMOS`. This is the reference every backend is compared with.
//! 2. `crates/demos/src/demo.rs`: a [`Demo`] variant, its name, and one
//!    line in [`backend_demos!`] saying how a backend's function is called.
//! 3. to 5. `crates/{nightly,genawaiter,async-stream}/src/NAME.rs`: the
//!    demo in each backend, a function named `NAME`, every line beside
//!    the Python it mirrors.
//!
//! Then `python3 tests/oracle.py --golden tests/golden` writes the golden
//! transcript file for it, and `cargo test --workspace` runs it through
//! the random-script comparison with CPython in all three backends.

mod async_demo;
pub mod async_transcript;
pub mod builtins;
pub mod conformance;
mod demo;
mod executor;
mod overdrawn;
mod repr;
pub mod transcript;

pub use async_demo::{AsyncDemo, Sleep0, sleep0};
pub use async_transcript::{AsyncOp, PyAsyncGenerator, async_transcript, parse_async_ops};
pub use conformance::{ASYNC_ROWS, AsyncRow, ROWS, Row};
pub use demo::{Batch, Demo, Log, Summable, UnknownDemo};
pub use executor::block_on;
pub use overdrawn::Overdrawn;
pub use repr::Repr;
pub use transcript::{
    BadOp, MAX_INT_DIGITS, Op, Outcome, PyGenerator, Transcribed, check_del_is_last, parse_ops,
    transcript,
};

#[doc(hidden)]
pub mod __private {
    pub use num_bigint::BigInt;
    pub use pygen_protocol::{
        AsyncGenerator, AsyncResume, Coroutine, Exception, Generator, Resume,
    };
}
