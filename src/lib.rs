//! # pygen
//!
//! The root package: the `pygen` command line, and the one place that
//! knows all three backends, so that they can be chosen at run time and
//! compared.
//!
//! The backends themselves live in their own crates and never depend on
//! each other:
//!
//! * `pygen-genawaiter`: the `genawaiter` crate (`co.yield_(v).await`);
//! * `pygen-async-stream`: `async-stream`'s `stream!` plus `futures`, with
//!   `send` and `throw` passed through a shared slot;
//! * `pygen-nightly`: nightly Rust's `#[coroutine]` closures and
//!   `Coroutine::resume`.
//!
//! All three adapt to `pygen_protocol::Coroutine`, and every Python rule is
//! applied once, by `pygen_protocol::Generator`.

pub mod backend;
pub mod baseline;
pub mod cli_error;
pub mod compare;
pub mod listen;
pub mod measure;
pub mod side_by_side;
pub mod tutor;

pub use backend::Backend;
