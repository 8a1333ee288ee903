//! [`serve`]: one event loop on one thread — accept, read, parse, send
//! into the handler, write — for thousands of connections at once.
//!
//! The loop is the classic readiness loop over `mio` (epoll on Linux):
//!
//! ```text
//! loop:
//!     wait for events (or the next timer tick)
//!     the listener is readable      -> accept waiting connections (a batch)
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
//! Fairness: a connection with a response going out (a stream, or bytes
//! the socket has not taken) is *busy*. Its events do not drive it at
//! once: it joins a queue, and each turn the loop drives the queue in
//! order until the busy connections have written [`TURN_BYTES`], then
//! looks for events again. Connections with requests to read are driven as
//! their events come, so a plain `GET /` is answered within a turn however
//! many streams are running, and each stream gets its turn in order. One
//! drive is bounded too (reads, pulls of a stream, pipelined answers), so
//! no connection holds the loop for long.
//!
//! Memory: every connection charges what it buffers to the loop's
//! [`Budget`], its share of [`Config::memory_budget`] and
//! [`Config::max_streams`].
//!
//! Timeouts are checked by a sweep over all connections at each tick (a
//! quarter of the shortest timeout): simpler than a timer wheel, and at ten
//! thousand connections a sweep takes microseconds.
//!
//! Past its connection limit, or out of file descriptors, the loop still
//! accepts: it answers `503` and closes at once (see `fd_limit.rs`), so a
//! client is never left waiting in the kernel's backlog. Warnings about
//! that come at most once a second, with a count, however hard the flood.

use std::collections::VecDeque;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token, Waker};
use slab::Slab;
use tracing::{debug, error, info, trace, warn};

use crate::accept::{ACCEPT_BUDGET, Accepted, Acceptor};
use crate::budget::{self, Budget, Charge};
use crate::connection::{Connection, Context, Drive};
use crate::date::HttpDate;
use crate::fd_limit;
use crate::input::Input;
use crate::later::Woken;
use crate::output::panic_message;
use crate::shutdown::Level;
use crate::{Config, Handler, Shutdown};

/// The listener's token; connections use their slab index.
const LISTENER: Token = Token(usize::MAX);
/// The token of the waker that [`Shutdown`] uses.
const WAKER: Token = Token(usize::MAX - 1);

/// How many bytes the busy connections (responses going out) may write in
/// one turn before the loop looks for events again: four drives at their
/// pull budget. At `GET /fib?n=100000`'s far end that is about 6 ms of
/// CPU, so a request that arrives meanwhile waits about that long, however
/// many streams there are.
pub const TURN_BYTES: usize = 256 * 1024;

/// Serve `listener` on this thread until `shutdown` is triggered, with one
/// handler per connection made by `make_handler`.
///
/// This is one event loop; [`Server`](crate::Server) runs one per worker
/// thread. It raises the file-descriptor limit and sizes its connection
/// limit from it (at most [`Config::max_connections`]). Tests use it
/// directly:
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
    let max_connections = fd_limit::connections_per_loop(config.max_connections, 1);
    serve_loop(listener, config, max_connections, 1, shutdown, make_handler)
}

/// [`serve`], with the connection limit already worked out: what each of
/// [`Server`](crate::Server)'s `loops` loops runs.
pub(crate) fn serve_loop<H, F>(
    listener: std::net::TcpListener,
    config: &Config,
    max_connections: usize,
    loops: usize,
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
    let address = listener.local_addr().ok();
    let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
    shutdown.register(waker.clone());
    // The same waker wakes the loop for a later response that has come.
    let woken = Woken::new(waker);
    debug!(?address, max_connections, "event loop started");
    let budget = Budget::for_loop(config, loops);
    EventLoop {
        poll,
        acceptor: Acceptor::new(listener, max_connections),
        connections: Slab::new(),
        queue: VecDeque::new(),
        tables: Charge::new(budget.clone()),
        budget,
        expired: Vec::new(),
        woken,
        woken_keys: Vec::new(),
        input: Input::new(config),
        date: HttpDate::now(),
        config,
        shutdown,
        make_handler,
        accept_pending: false,
        drain_deadline: None,
    }
    .run()
}

/// The state of one event loop.
struct EventLoop<'a, H, F> {
    poll: Poll,
    /// The listener, closed once shutting down, and the connection limit.
    acceptor: Acceptor,
    connections: Slab<Connection<H>>,
    /// Connections to drive again without waiting for an event, in turn:
    /// busy ones with an event, and any that used up a drive's budget.
    queue: VecDeque<usize>,
    /// This loop's share of the memory budget and the stream limit.
    budget: Rc<Budget>,
    /// Scratch list for the timeout sweep.
    expired: Vec<usize>,
    /// Connections whose later responses have come (`later.rs`).
    woken: Arc<Woken>,
    /// Scratch list for them.
    woken_keys: Vec<usize>,
    /// The connections' table's room beyond its live connections (each
    /// live one charges its own), charged to the budget.
    tables: Charge,
    input: Input,
    date: HttpDate,
    config: &'a Config,
    shutdown: &'a Shutdown,
    make_handler: F,
    /// `accept` stopped at its budget with clients still waiting: accept
    /// again without waiting for an event (none may come).
    accept_pending: bool,
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
            let timeout = if self.queue.is_empty() && !self.accept_pending {
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

            let mut accept = std::mem::take(&mut self.accept_pending);
            for event in events.iter() {
                match event.token() {
                    LISTENER => accept = true,
                    WAKER => self.wake_replied(),
                    Token(key) => self.ready(key, event.is_read_closed(), now),
                }
            }
            self.take_turns(now);
            if accept {
                self.accept(now);
            }
            self.tables.set(budget::vacant_bytes(&self.connections));

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

    /// Accept the connections waiting in the backlog, up to
    /// [`ACCEPT_BUDGET`]. Past the connection limit, or out of file
    /// descriptors, each is answered `503` and closed at once
    /// ([`Acceptor::next`]).
    fn accept(&mut self, now: Instant) {
        for _ in 0..ACCEPT_BUDGET {
            let (mut socket, peer) = match self.acceptor.next(now, self.connections.len()) {
                Accepted::One(socket, peer) => (socket, peer),
                Accepted::TurnedAway => continue,
                Accepted::Drained | Accepted::Paused => return,
            };
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
            entry.insert(Connection::new(
                socket,
                handler,
                now,
                self.config,
                &self.budget,
            ));
        }
        // The budget is spent and more may be waiting.
        self.accept_pending = true;
    }

    /// Connection `key` had an event: drive it now, or queue it if it is
    /// busy with a response going out. `read_closed`: the event says the
    /// client has closed its side (its FIN has arrived).
    fn ready(&mut self, key: usize, read_closed: bool, now: Instant) {
        let Some(connection) = self.connections.get_mut(key) else {
            return;
        };
        if read_closed {
            connection.client_closed();
        }
        if connection.is_busy() {
            self.enqueue(key);
        } else {
            self.drive(key, now);
        }
    }

    /// The waker fired (a shutdown, or a later response's reply): queue
    /// the connections whose replies have come.
    fn wake_replied(&mut self) {
        let mut keys = std::mem::take(&mut self.woken_keys);
        self.woken.drain(&mut keys);
        for key in keys.drain(..) {
            self.enqueue(key);
        }
        self.woken_keys = keys;
    }

    /// Queue connection `key` to be driven in its turn, once.
    fn enqueue(&mut self, key: usize) {
        if let Some(connection) = self.connections.get_mut(key)
            && connection.enqueue()
        {
            self.queue.push_back(key);
        }
    }

    /// Drive the queued connections in order, until they have written
    /// [`TURN_BYTES`] or each has had a turn. The rest wait for the next
    /// turn, after the loop has looked for events.
    fn take_turns(&mut self, now: Instant) {
        let mut written = 0;
        for _ in 0..self.queue.len() {
            if written >= TURN_BYTES {
                break;
            }
            let Some(key) = self.queue.pop_front() else {
                break;
            };
            let Some(connection) = self.connections.get_mut(key) else {
                continue;
            };
            connection.dequeue();
            written += self.drive(key, now);
        }
    }

    /// Drive connection `key`, if it is still open; the bytes it wrote.
    fn drive(&mut self, key: usize, now: Instant) -> usize {
        let shutting_down = !self.acceptor.is_open();
        let Some(connection) = self.connections.get_mut(key) else {
            return 0;
        };
        let mut cx = Context {
            config: self.config,
            input: &mut self.input,
            date: &self.date,
            now,
            shutting_down,
            budget: &self.budget,
            written: 0,
            woken: &self.woken,
            key,
        };
        let outcome = connection.drive(&mut cx);
        let written = cx.written;
        self.settle(key, outcome);
        written
    }

    /// Time out every connection past its deadline; when shutting down,
    /// close the idle ones too. Retry a paused `accept`.
    fn sweep(&mut self, now: Instant) {
        budget::trim_heap();
        let shutting_down = !self.acceptor.is_open();
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
                    budget: &self.budget,
                    written: 0,
                    woken: &self.woken,
                    key,
                };
                connection.on_deadline(&mut cx)
            };
            self.settle(key, outcome);
        }
        self.acceptor.flush_warnings(now);
        if self.acceptor.is_paused() {
            self.accept(now);
        }
    }

    /// Act on what a drive of connection `key` said: wait for its next
    /// event, drive it again soon, or close it.
    fn settle(&mut self, key: usize, outcome: Drive) {
        match outcome {
            Drive::Open => {}
            Drive::Again => self.enqueue(key),
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
        let Some(mut listener) = self.acceptor.close() else {
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
