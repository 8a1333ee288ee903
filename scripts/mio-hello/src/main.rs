//! mio-hello: a comparison server for `scripts/load.py`, the "how fast can
//! a loop be" yardstick.
//!
//! One thread, one mio event loop (epoll, edge-triggered), httparse, and a
//! fixed response: `GET /` answers `200 Hello, World!`, any other path
//! `404 Not Found`, `HEAD` the same without the body. The response carries
//! what pygen's does, byte for byte but for the date: `Date` (remade once a
//! second), `Content-Type: text/plain; charset=utf-8`, `Content-Length`.
//! Each connection has its own read buffer (4 KiB from its first read, kept
//! while it lives: most of what an idle connection costs here); every
//! complete request in it is answered at once, so the responses to
//! pipelined requests leave in one write. Connections are kept alive until
//! the client closes them.
//!
//! ```text
//! mio-hello [--addr 127.0.0.1:8081]
//! ```
//!
//! What it leaves out, on purpose, since it measures a loop and nothing
//! else: no timeouts (an idle or slow client is kept forever), no limits
//! (on connections, on a request's size, on the responses waiting for a
//! client that does not read), no request bodies (a request is its head
//! only), no `Connection: close` and no HTTP/1.0 handling, no `400` (a
//! request httparse refuses closes the connection), no graceful shutdown
//! (SIGTERM ends the process). It is not a server to expose to anything.

use std::io::{self, ErrorKind, Read, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use mio::event::Event;
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use slab::Slab;

const USAGE: &str = "usage: mio-hello [--addr 127.0.0.1:8081]";

/// The listener's token; connections use their slab index.
const LISTENER: Token = Token(usize::MAX);

/// A connection's read buffer starts at this size and doubles when full.
const READ_BUFFER: usize = 4096;

/// The `Date: ...\r\n` header line, remade when the second changes.
struct Date {
    second: u64,
    line: Vec<u8>,
}

impl Date {
    fn new() -> Date {
        let mut date = Date {
            second: u64::MAX,
            line: Vec::new(),
        };
        date.refresh();
        date
    }

    /// One clock read per wake-up of the loop; a new line once a second.
    fn refresh(&mut self) {
        let now = SystemTime::now();
        let second = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if second != self.second {
            self.second = second;
            self.line = format!("Date: {}\r\n", httpdate::fmt_http_date(now)).into_bytes();
        }
    }
}

/// Append the response to one request to `out`.
fn respond(out: &mut Vec<u8>, method: Option<&str>, path: Option<&str>, date: &Date) {
    let (status, length, body): (&[u8], &[u8], &[u8]) = if path == Some("/") {
        (
            b"HTTP/1.1 200 OK\r\n",
            b"Content-Length: 13\r\n\r\n",
            b"Hello, World!",
        )
    } else {
        (
            b"HTTP/1.1 404 Not Found\r\n",
            b"Content-Length: 9\r\n\r\n",
            b"Not Found",
        )
    };
    out.extend_from_slice(status);
    out.extend_from_slice(&date.line);
    out.extend_from_slice(b"Content-Type: text/plain; charset=utf-8\r\n");
    out.extend_from_slice(length);
    if method != Some("HEAD") {
        out.extend_from_slice(body);
    }
}

struct Connection {
    stream: TcpStream,
    /// Bytes read; `input[..filled]` holds at most one partial request
    /// between wake-ups. Never shrunk, never zeroed again after it grows.
    input: Vec<u8>,
    filled: usize,
    /// Responses not yet written (the socket's send buffer was full).
    output: Vec<u8>,
}

impl Connection {
    /// Handle one readiness event; false when the connection is done.
    fn ready(&mut self, event: &Event, date: &Date) -> bool {
        if event.is_error() {
            return false;
        }
        if event.is_readable() && !self.read_and_answer(date) {
            return false;
        }
        // Writable, or new responses from the read: write what is waiting.
        self.flush()
    }

    /// Read what the kernel has, answer every complete request in it.
    fn read_and_answer(&mut self, date: &Date) -> bool {
        loop {
            if self.filled == self.input.len() {
                let size = (self.input.len() * 2).max(READ_BUFFER);
                self.input.resize(size, 0);
            }
            match self.stream.read(&mut self.input[self.filled..]) {
                Ok(0) => return false, // the client closed
                Ok(n) => {
                    self.filled += n;
                    // A short read drained the socket: with edge-triggered
                    // epoll, data arriving later raises a new event, so the
                    // read that would only say WouldBlock is skipped.
                    if self.filled < self.input.len() {
                        break;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return false,
            }
        }
        // Parse as many pipelined requests as are complete.
        let mut start = 0;
        while start < self.filled {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut request = httparse::Request::new(&mut headers);
            match request.parse(&self.input[start..self.filled]) {
                Ok(httparse::Status::Complete(length)) => {
                    respond(&mut self.output, request.method, request.path, date);
                    start += length;
                }
                Ok(httparse::Status::Partial) => break,
                Err(_) => return false,
            }
        }
        // Keep the partial request, if any, at the front of the buffer.
        self.input.copy_within(start..self.filled, 0);
        self.filled -= start;
        true
    }

    /// Write as much of `output` as the socket takes; the rest waits for
    /// the next writable event.
    fn flush(&mut self) -> bool {
        let mut written = 0;
        while written < self.output.len() {
            match self.stream.write(&self.output[written..]) {
                Ok(0) => return false,
                Ok(n) => written += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return false,
            }
        }
        self.output.drain(..written);
        true
    }
}

fn serve(addr: SocketAddr) -> io::Result<()> {
    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(1024);
    let mut listener = TcpListener::bind(addr)?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    let mut connections: Slab<Connection> = Slab::new();
    let mut date = Date::new();
    loop {
        match poll.poll(&mut events, None) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        date.refresh();
        for event in events.iter() {
            if event.token() == LISTENER {
                // Edge-triggered: accept until the backlog is empty.
                loop {
                    let mut stream = match listener.accept() {
                        Ok((stream, _)) => stream,
                        // WouldBlock, or EMFILE and friends: wait for the
                        // next connection to try again.
                        Err(_) => break,
                    };
                    let _ = stream.set_nodelay(true);
                    let entry = connections.vacant_entry();
                    // Readable and writable once and for all: no
                    // re-registration when a write has to wait.
                    let interest = Interest::READABLE | Interest::WRITABLE;
                    if poll
                        .registry()
                        .register(&mut stream, Token(entry.key()), interest)
                        .is_ok()
                    {
                        entry.insert(Connection {
                            stream,
                            input: Vec::new(),
                            filled: 0,
                            output: Vec::new(),
                        });
                    }
                }
                continue;
            }
            let key = event.token().0;
            let open = match connections.get_mut(key) {
                Some(connection) => connection.ready(event, &date),
                None => continue,
            };
            if !open {
                // Closing the socket takes it out of the epoll set.
                connections.remove(key);
            }
        }
    }
}

fn main() -> ExitCode {
    let mut addr: SocketAddr = "127.0.0.1:8081".parse().expect("a valid default address");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => match args.next().map(|a| a.parse()) {
                Some(Ok(parsed)) => addr = parsed,
                _ => {
                    eprintln!("mio-hello: --addr needs an address like 127.0.0.1:8081\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("mio-hello: unknown argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match serve(addr) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mio-hello: {error}");
            ExitCode::FAILURE
        }
    }
}
