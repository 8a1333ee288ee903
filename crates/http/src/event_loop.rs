//! [`serve`]: one event loop on one thread — accept, read, parse, send
//! into the handler, write — for thousands of connections at once.
//!
//! The loop is the classic readiness loop over `mio` (epoll on Linux):
//!
//! ```text
//! loop:
//!     wait for events (or the next timer tick)
//!     the listener is readable      -> accept every waiting connection
//!     a connection is ready         -> drive it (connection.rs)
//!     a timer tick                  -> time out connections past their deadline
//!     a shutdown was triggered      -> stop accepting, drain, return
//! ```
//!
//! Nothing in it blocks: every socket is non-blocking, and a connection
//! that cannot go on (no bytes yet, socket full) returns to the loop until
//! its next event. That is how one thread serves many thousands of
//! clients: an idle connection costs memory, not a thread.
//!
//! The loop is generic over the handler type `H`, so each connection's
//! [`Generator<H, _>`](pygen_protocol::Generator) is stored inline and
//! resumed with a direct call: no `Box<dyn>` and no virtual call per
//! request.
//!
//! Timeouts are checked by a sweep over all connections at each tick (a
//! quarter of the shortest timeout): simpler than a timer wheel, and at ten
//! thousand connections a sweep takes microseconds.

use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token, Waker};
use slab::Slab;
use tracing::{debug, error, info, trace, warn};

use crate::connection::{Connection, Context, Drive};
use crate::date::HttpDate;
use crate::input::Input;
use crate::output::panic_message;
use crate::shutdown::Level;
use crate::{Config, Handler, Shutdown};

/// The listener's token; connections use their slab index.
const LISTENER: Token = Token(usize::MAX);
/// The token of the waker that [`Shutdown`] uses.
const WAKER: Token = Token(usize::MAX - 1);

/// What a connection gets when the loop already holds
/// [`Config::max_connections`].
const FULL: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// Serve `listener` on this thread until `shutdown` is triggered, with one
/// handler per connection made by `make_handler`.
///
/// This is one event loop; [`Server`](crate::Server) runs one per worker
/// thread. Tests use it directly:
///
/// ```
/// use std::io::{Read, Write};
/// use std::net::{TcpListener, TcpStream};
/// use pygen_http::{BaselineHandler, Config, Shutdown, serve};
///
/// let listener = TcpListener::bind("127.0.0.1:0")?;
/// let address = listener.local_addr()?;
/// let shutdown = Shutdown::new();
/// let stop = shutdown.clone();
/// let server = std::thread::spawn(move || {
///     serve(listener, &Config::default(), &stop, BaselineHandler::new)
/// });
///
/// let mut client = TcpStream::connect(address)?;
/// client.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
/// let mut response = String::new();
/// client.read_to_string(&mut response)?;
/// assert!(response.starts_with("HTTP/1.1 200 OK\r\n"));
/// assert!(response.ends_with("\r\n\r\nHello, World!"));
///
/// shutdown.trigger();
/// server.join().expect("the server thread panicked")?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn serve<H, F>(
    listener: std::net::TcpListener,
    config: &Config,
    shutdown: &Shutdown,
    make_handler: F,
) -> io::Result<()>
where
    H: Handler,
    F: Fn() -> H,
{
    listener.set_nonblocking(true)?;
    let mut listener = TcpListener::from_std(listener);
    let poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
    shutdown.register(waker);
    debug!(address = ?listener.local_addr().ok(), "event loop started");
    EventLoop {
        poll,
        listener: Some(listener),
        connections: Slab::new(),
        again: Vec::new(),
        expired: Vec::new(),
        input: Input::new(config),
        date: HttpDate::now(),
        config,
        shutdown,
        make_handler,
        accept_paused: false,
        drain_deadline: None,
    }
    .run()
}

/// The state of one event loop.
struct EventLoop<'a, H, F> {
    poll: Poll,
    /// `None` once shutting down: no more connections are accepted.
    listener: Option<TcpListener>,
    connections: Slab<Connection<H>>,
    /// Connections to drive again without waiting for an event.
    again: Vec<usize>,
    /// Scratch list for the timeout sweep.
    expired: Vec<usize>,
    input: Input,
    date: HttpDate,
    config: &'a Config,
    shutdown: &'a Shutdown,
    make_handler: F,
    /// `accept` failed (out of file descriptors, say): retry at the next
    /// tick rather than spin.
    accept_paused: bool,
    /// When a graceful shutdown gives up on in-flight responses.
    drain_deadline: Option<Instant>,
}

impl<H, F> EventLoop<'_, H, F>
where
    H: Handler,
    F: Fn() -> H,
{
    fn run(mut self) -> io::Result<()> {
        let mut events = Events::with_capacity(1024);
        let tick = self.config.tick();
        let mut next_sweep = Instant::now() + tick;
        loop {
            let timeout = if self.again.is_empty() {
                next_sweep.saturating_duration_since(Instant::now())
            } else {
                Duration::ZERO
            };
            if let Err(error) = self.poll.poll(&mut events, Some(timeout)) {
                if error.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(error);
            }
            let now = Instant::now();
            self.date.update(SystemTime::now());

            match self.shutdown.level() {
                Level::Running => {}
                Level::Graceful => self.begin_shutdown(now),
                Level::Immediate => {
                    info!(
                        connections = self.connections.len(),
                        "stopping now: dropping every connection"
                    );
                    self.close_all();
                    return Ok(());
                }
            }

            let again = std::mem::take(&mut self.again);
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept(now),
                    WAKER => {}
                    Token(key) => self.drive(key, now),
                }
            }
            for key in again {
                self.drive(key, now);
            }

            if now >= next_sweep {
                self.sweep(now);
                next_sweep = now + tick;
            }

            if let Some(deadline) = self.drain_deadline {
                if self.connections.is_empty() {
                    info!("shut down: every response finished");
                    return Ok(());
                }
                if now >= deadline {
                    warn!(
                        connections = self.connections.len(),
                        "shutdown timeout: dropping the connections still open"
                    );
                    self.close_all();
                    return Ok(());
                }
            }
        }
    }

    /// Accept every connection waiting in the backlog.
    fn accept(&mut self, now: Instant) {
        let Some(listener) = &self.listener else {
            return;
        };
        loop {
            let (mut socket, peer) = match listener.accept() {
                Ok(accepted) => accepted,
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.accept_paused = false;
                    return;
                }
                Err(error)
                    if matches!(
                        error.kind(),
                        io::ErrorKind::Interrupted | io::ErrorKind::ConnectionAborted
                    ) =>
                {
                    continue;
                }
                Err(error) => {
                    // Typically EMFILE. The backlog keeps the waiting
                    // clients; try again at the next tick.
                    warn!(%error, "accept failed; retrying at the next tick");
                    self.accept_paused = true;
                    return;
                }
            };
            if self.connections.len() >= self.config.max_connections {
                debug!(%peer, "connection limit reached: answering 503");
                let _ = socket.write(FULL);
                continue;
            }
            // Responses are written whole, so Nagle's algorithm would only
            // delay the tail of each one.
            let _ = socket.set_nodelay(true);
            let handler = match catch_unwind(AssertUnwindSafe(&self.make_handler)) {
                Ok(handler) => handler,
                Err(payload) => {
                    error!(
                        panic = panic_message(payload.as_ref()),
                        "making a handler panicked; dropping the connection"
                    );
                    continue;
                }
            };
            let entry = self.connections.vacant_entry();
            let token = Token(entry.key());
            let interest = Interest::READABLE | Interest::WRITABLE;
            if let Err(error) = self.poll.registry().register(&mut socket, token, interest) {
                warn!(%error, "could not register a connection");
                continue;
            }
            trace!(%peer, key = token.0, "accepted");
            entry.insert(Connection::new(socket, handler, now, self.config));
        }
    }

    /// Drive connection `key`, if it is still open.
    fn drive(&mut self, key: usize, now: Instant) {
        let shutting_down = self.listener.is_none();
        let Some(connection) = self.connections.get_mut(key) else {
            return;
        };
        let mut cx = Context {
            config: self.config,
            input: &mut self.input,
            date: &self.date,
            now,
            shutting_down,
        };
        let outcome = connection.drive(&mut cx);
        self.settle(key, outcome);
    }

    /// Time out every connection past its deadline; when shutting down,
    /// close the idle ones too. Retry a paused `accept`.
    fn sweep(&mut self, now: Instant) {
        let shutting_down = self.listener.is_none();
        self.expired.clear();
        self.expired.extend(
            self.connections
                .iter()
                .filter(|(_, c)| c.deadline() <= now || (shutting_down && c.is_idle()))
                .map(|(key, _)| key),
        );
        for index in 0..self.expired.len() {
            let key = self.expired[index];
            let Some(connection) = self.connections.get_mut(key) else {
                continue;
            };
            let outcome = if shutting_down && connection.is_idle() {
                Drive::Close
            } else {
                let mut cx = Context {
                    config: self.config,
                    input: &mut self.input,
                    date: &self.date,
                    now,
                    shutting_down,
                };
                connection.on_deadline(&mut cx)
            };
            self.settle(key, outcome);
        }
        if self.accept_paused {
            self.accept(now);
        }
    }

    /// Act on what a drive of connection `key` said: wait for its next
    /// event, drive it again soon, or close it.
    fn settle(&mut self, key: usize, outcome: Drive) {
        match outcome {
            Drive::Open => {}
            Drive::Again => self.again.push(key),
            Drive::Close => self.close(key),
        }
    }

    /// Close connection `key`: run its handler's cleanup, forget its socket.
    fn close(&mut self, key: usize) {
        if let Some(mut connection) = self.connections.try_remove(key) {
            let _ = self.poll.registry().deregister(connection.socket_mut());
            connection.finish();
            trace!(key, "closed");
        }
    }

    fn close_all(&mut self) {
        let keys: Vec<usize> = self.connections.iter().map(|(key, _)| key).collect();
        for key in keys {
            self.close(key);
        }
    }

    /// A graceful shutdown starts: close the listener, so the kernel
    /// refuses new connections, and close the connections that have
    /// nothing in flight. The rest close after their current response.
    fn begin_shutdown(&mut self, now: Instant) {
        let Some(mut listener) = self.listener.take() else {
            return;
        };
        let _ = self.poll.registry().deregister(&mut listener);
        drop(listener);
        info!(
            connections = self.connections.len(),
            "shutting down: no new connections; finishing responses in flight"
        );
        self.drain_deadline = Some(now + self.config.shutdown_timeout);
        self.sweep(now);
    }
}
