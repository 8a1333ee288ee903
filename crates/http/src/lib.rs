//! # pygen-http
//!
//! HTTP/1.1 parsing and the send-driven event loop: the seed program's
//! idea, made to work.
//!
//! The idea is that a web application can be a generator. Each connection
//! gets its own; the server *sends* it each request and writes back the
//! response it *yields*:
//!
//! ```python
//! def handler():
//!     response = None
//!     while True:
//!         request = yield response
//!         response = route(request)
//! ```
//!
//! Because the handler is paused at `yield` between requests, anything it
//! keeps in a local — a counter, a session, a half-finished conversation —
//! lasts exactly as long as the connection, with no lookup table keyed by
//! connection. The three backend crates each write this handler with their
//! own generator library; this crate is everything around it, and knows
//! none of them: it drives any [`Handler`] through
//! [`pygen_protocol::Generator`], with Python's `next` and `send`.
//!
//! Around that sits a real HTTP/1.1 server, small enough to read in one
//! sitting: keep-alive and pipelining, `Content-Length` and chunked
//! bodies, chunked streaming responses pulled lazily from a generator,
//! the RFC 9112 rules that stop request smuggling, limits answered with
//! the right status (`400`, `408`, `413`, `414`, `417`, `431`, `501`, `503`, `505`),
//! limits in total as well as per connection (a memory budget, streams in
//! flight), hard deadlines and minimum transfer rates, turns so that
//! streams cannot starve a plain request, timeouts,
//! thousands of connections on one thread with `mio`, `SO_REUSEPORT`
//! workers, graceful shutdown on Ctrl-C, and a panicking handler costing
//! one connection a `500`, never the server.
//!
//! ## Layout
//!
//! | file | what |
//! |---|---|
//! | `request.rs` | [`Request`], [`Method`], [`Version`]: what a handler is sent |
//! | `response.rs` | [`Response`], [`ResponseBody`]: what a handler yields |
//! | `status.rs` | [`Status`]: codes and reason phrases |
//! | `parser.rs` | [`Parser`]: bytes to requests, incrementally, with RFC 9112's framing rules |
//! | `chunked.rs` | [`ChunkedDecoder`]: chunked request bodies |
//! | `parse_error.rs` | [`ParseError`]: every refusal and its status |
//! | `route.rs` | [`route`]: the application the three handlers share |
//! | `handler.rs` | [`Handler`]: the shape of `request = yield response` |
//! | `baseline_handler.rs` | [`BaselineHandler`]: the handler as a hand-written state machine |
//! | `connection.rs` | one connection: drive, send into the handler, time out, close |
//! | `input.rs`, `output.rs` | the read buffer lent to a connection; responses going out, streams pulled |
//! | `later.rs` | [`Reply`]: a response another thread finishes, the loop woken when it comes |
//! | `date.rs` | the `Date` header, once a second |
//! | `event_loop.rs` | [`serve`]: one `mio` loop for many connections |
//! | `accept.rs` | the accept loop both models share: `503` past the connection limit or out of descriptors, warnings throttled |
//! | `fd_limit.rs` | the file-descriptor limit: raised at start, connections sized from it, `503` when out |
//! | `server.rs` | [`Server`], [`run`]: listeners, workers, signals |
//! | `shutdown.rs`, `signals.rs` | [`Shutdown`]: stopping, by hand or by SIGINT/SIGTERM |
//! | `config.rs` | [`Config`]: limits and timeouts |
//! | `budget.rs` | what one event loop holds in total: bytes buffered, streams in flight |
//! | `uptake.rs` | what a client has taken of a response, as the kernel counts it: the write windows' judge |
//! | `tasks/` | [`tasks`]: the task model, generators that do their own I/O by yielding system calls |
//!
//! ## Serving
//!
//! `pygen serve` calls [`run`], which blocks until SIGINT or SIGTERM.
//! Tests bind `127.0.0.1:0` themselves and use [`Server`] or [`serve`]
//! with a [`Shutdown`] handle:
//!
//! ```
//! use std::io::{Read, Write};
//! use std::net::{TcpListener, TcpStream};
//! use pygen_http::{BaselineHandler, Server};
//!
//! let server = Server::from_listener(TcpListener::bind("127.0.0.1:0")?);
//! let address = server.local_addr()?;
//! let shutdown = server.shutdown_handle();
//! let thread = std::thread::spawn(move || server.serve(BaselineHandler::new));
//!
//! let mut client = TcpStream::connect(address)?;
//! client.write_all(b"GET /fib?n=5 HTTP/1.0\r\n\r\n")?;
//! let mut response = String::new();
//! client.read_to_string(&mut response)?;
//! assert!(response.ends_with("\r\n\r\n0\n1\n1\n2\n3\n"));
//!
//! shutdown.trigger();
//! thread.join().expect("the server thread panicked")?;
//! # Ok::<(), std::io::Error>(())
//! ```

mod accept;
mod baseline_handler;
mod budget;
mod chunked;
mod config;
mod connection;
mod date;
// Written when the workspace declared `rust-version = "1.86"`, before let
// chains: its nested `if let`s are left for a change of their own.
mod event_loop;
mod fd_limit;
mod handler;
mod input;
mod later;
mod output;
mod parse_error;
mod parser;
mod recycle;
mod request;
mod response;
mod route;
mod server;
mod shutdown;
mod signals;
mod status;
pub mod tasks;
mod uptake;

pub use baseline_handler::BaselineHandler;
pub use chunked::{ChunkedDecoder, MAX_CHUNK_LINE};
pub use config::{Config, MAX_HEADERS};
pub use event_loop::{TURN_BYTES, serve};
pub use handler::Handler;
pub use later::{Later, MakeResponse, Reply};
pub use output::{PULL_BUDGET, RETRY_AFTER, STREAM_CHUNK};
pub use parse_error::ParseError;
pub use parser::{Parsed, Parser};
pub use recycle::{MAX_KEPT, SPARES};
pub use request::{Method, Request, Version};
pub use response::{HeaderValue, Response, ResponseBody, TEXT_PLAIN};
pub use route::{KNOWN_METHODS, MAX_FIB_COUNT, ROUTES, route};
pub use server::{Server, run, run_with_config};
pub use shutdown::Shutdown;
pub use status::Status;
