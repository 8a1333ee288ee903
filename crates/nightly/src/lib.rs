//! # pygen-nightly
//!
//! Every pygen program written with nightly Rust's own coroutines:
//! `#[coroutine]` closures containing `yield`, driven by
//! `std::ops::Coroutine::resume`.
//!
//! This is the closest Rust gets to Python's generators. A `yield`
//! expression evaluates to the value the next `resume` passes in, exactly
//! like `x = yield total`; the first `resume` value becomes the closure's
//! parameter (Python's priming `next(g)`); the closure's `return` is the
//! coroutine's result. The compiler turns the closure into a state machine
//! with no allocation, so a generator here costs what a hand-written
//! iterator costs.
//!
//! What the language does not give, the [`Generator`](pygen_protocol::Generator)
//! wrapper in `pygen-protocol` adds: `throw` and `close` arrive as the
//! `Err` side of the resume value and propagate with `?`; resuming a
//! finished coroutine, which panics here, is stopped by the wrapper and
//! answered with `StopIteration`.
//!
//! Layout, the same in all three backend crates:
//!
//! | file | Python |
//! |---|---|
//! | `body.rs` | [`Body`]: how the library is adapted to `pygen_protocol::Coroutine` |
//! | `fibonacci.rs` | `fibonacci()`, and a `u64` flavour |
//! | `echo.rs` | `echo()` |
//! | `running_sum.rs` | `running_sum()` |
//! | `countdown.rs` | `countdown()` |
//! | `guarded.rs` | `guarded()` |
//! | `stubborn.rs` | `stubborn()` |
//! | `batches.rs` | `batches()`: `yield from` |
//! | `demo.rs` | [`demo()`]: a demo picked by name |
//! | `handler.rs` | [`handler()`]: the HTTP server's `request = yield response` |
//!
//! This is the only pygen crate that uses `#![feature]`.
//!
//! ```
//! use pygen_nightly::running_sum;
//! use pygen_protocol::{Generator, Raised};
//!
//! let mut g = Generator::new(running_sum::<i64>());
//! assert_eq!(g.next(), Ok(0));
//! assert_eq!(g.send(2), Ok(2));
//! assert_eq!(g.send(3), Ok(5));
//! assert_eq!(g.next(), Err(Raised::StopIteration(Some(5))));
//! ```

#![feature(coroutines, coroutine_trait)]

mod batches;
mod body;
mod countdown;
mod demo;
mod echo;
mod fibonacci;
mod guarded;
mod handler;
mod running_sum;
mod stubborn;

pub use batches::batches;
pub use body::Body;
pub use countdown::countdown;
pub use demo::demo;
pub use echo::echo;
pub use fibonacci::{fibonacci, fibonacci_u64};
pub use guarded::guarded;
pub use handler::handler;
pub use running_sum::running_sum;
pub use stubborn::stubborn;
