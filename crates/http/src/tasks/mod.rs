//! The task model: the seed's server as it was written, generators that
//! do their own I/O, made to work the classic way — the scheduler is the
//! operating system and `yield` is the trap.
//!
//! ```python
//! def server(listener):
//!     while True:
//!         conn = yield Accept(listener)
//!         yield Spawn(connection(conn))
//!
//! def connection(conn):
//!     while True:
//!         request = yield from read_request(conn)   # Recv until whole
//!         if request is None:
//!             return
//!         yield Send(conn, serialise(route(request)))
//! ```
//!
//! A task yields a [`Syscall`]; the [scheduler](serve_tasks) carries it
//! out when the socket is ready and sends the result back in as a
//! [`Reply`], or throws the I/O error in at the `yield` as an [`OsError`]
//! (`TimeoutError` past a deadline), so the task's `except` and `finally`
//! run where the call was made. Each backend crate's `tasks.rs` writes the
//! two tasks with its own generators; this module is the scheduler and the
//! HTTP pieces they share with the handler model: [`Incoming`] (the
//! [`Parser`](crate::Parser)) and [`Outgoing`] (response serialisation and
//! streaming).
//!
//! Compared with the handler model, where the event loop parses and the
//! handler only routes, here the task owns the whole conversation: its
//! buffer, its parser, its timeouts, its writes. The price is a suspended
//! task per connection that holds all of that, and a trip through the
//! scheduler for every read and every batch of writes.

// Written when the workspace declared `rust-version = "1.86"`, before let
// chains: its nested `if let`s are left for a change of their own.
mod scheduler;
mod syscall;
mod wire;

pub use scheduler::{run_tasks, serve_tasks};
pub use syscall::{Conn, Listener, OsError, Reply, Syscall, Task};
pub use wire::{Answering, CONTINUE, Incoming, Outgoing, Received};
