//! # pygen-exercises
//!
//! The exercises of the pygen book, one module per chapter. Each exercise
//! is a function or a type whose body is `todo!()`, with the Python it must
//! mirror in its doc comment. Replace the `todo!()` with your Rust, then
//! run that chapter's tests:
//!
//! ```text
//! cargo test --manifest-path exercises/Cargo.toml --test ch04_send
//! ```
//!
//! The tests drive your code through `pygen_protocol::Generator`, exactly
//! as CPython 3.11 would drive the Python: the values, the exceptions and
//! the log lines they expect are what `python3` prints for the same
//! program (`exercises/python/expected.py` checks that).
//!
//! Worked solutions are in `exercises/solutions/`, one file per chapter,
//! with the same public items. The `solutions` feature compiles them in
//! place of the files in `src/`:
//!
//! ```text
//! cargo test --manifest-path exercises/Cargo.toml --features solutions
//! ```

// The nightly features the answers need (`#[coroutine]` closures for most
// chapters, a `gen` block in chapter 3) are on from the start, so that you
// never have to edit this file. Until you use them, the compiler would
// call them unused; that is expected, hence the `allow`.
#![feature(coroutines, gen_blocks)]
#![allow(unused_features)]

mod unsolved;

pub use unsolved::Unsolved;

#[cfg_attr(feature = "solutions", path = "../solutions/ch01_seed.rs")]
pub mod ch01_seed;
#[cfg_attr(feature = "solutions", path = "../solutions/ch02_by_hand.rs")]
pub mod ch02_by_hand;
#[cfg_attr(feature = "solutions", path = "../solutions/ch03_next.rs")]
pub mod ch03_next;
#[cfg_attr(feature = "solutions", path = "../solutions/ch04_send.rs")]
pub mod ch04_send;
#[cfg_attr(feature = "solutions", path = "../solutions/ch05_return.rs")]
pub mod ch05_return;
#[cfg_attr(feature = "solutions", path = "../solutions/ch06_throw.rs")]
pub mod ch06_throw;
#[cfg_attr(feature = "solutions", path = "../solutions/ch07_close.rs")]
pub mod ch07_close;
#[cfg_attr(feature = "solutions", path = "../solutions/ch08_yield_from.rs")]
pub mod ch08_yield_from;
#[cfg_attr(feature = "solutions", path = "../solutions/ch09_pipelines.rs")]
pub mod ch09_pipelines;
#[cfg_attr(feature = "solutions", path = "../solutions/ch10_pinning.rs")]
pub mod ch10_pinning;
#[cfg_attr(feature = "solutions", path = "../solutions/ch11_server.rs")]
pub mod ch11_server;
#[cfg_attr(feature = "solutions", path = "../solutions/ch12_costs.rs")]
pub mod ch12_costs;
#[cfg_attr(feature = "solutions", path = "../solutions/ch13_new_demo.rs")]
pub mod ch13_new_demo;
#[cfg_attr(feature = "solutions", path = "../solutions/ch14_iterators.rs")]
pub mod ch14_iterators;
#[cfg_attr(feature = "solutions", path = "../solutions/ch15_pep479.rs")]
pub mod ch15_pep479;
#[cfg_attr(feature = "solutions", path = "../solutions/ch16_which_way.rs")]
pub mod ch16_which_way;
#[cfg_attr(feature = "solutions", path = "../solutions/ch17_await.rs")]
pub mod ch17_await;
