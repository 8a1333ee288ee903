//! [`serve_tasks`]: the operating system of the task model. Tasks trap
//! into it by yielding a [`Syscall`]; it carries the call out when the
//! socket is ready and `send`s the result back in, or `throw`s the I/O
//! error in at the `yield`.
//!
//! ```text
//! loop:
//!     resume every task that has a result waiting (send, or throw)
//!         it yields its next system call: try it now; if the socket
//!         would block, park the task on that socket; a Send that is
//!         only buffered is done, and the task goes on
//!     wait for events (or the next timer tick)
//!     a socket is ready       -> retry the call parked on it
//!     a timer tick            -> throw TimeoutError into calls past their deadline
//!     a shutdown was asked    -> close the listener and the idle tasks; drain
//! ```
//!
//! The scheduler knows nothing of HTTP: it moves bytes, and times out and
//! closes sockets.
//!
//! It keeps the handler model's limits on what it does know. Fairness: a
//! task whose `Send` finished on a socket that has sent more than a batch
//! since its last `Recv` (a stream going out) is *busy* and waits in a
//! second queue, which each turn runs only until its `Send`s have handed
//! over [`TURN_BYTES`]; tasks woken by a connection, a request's bytes or
//! an error run first, so a plain `GET /` is answered within a turn
//! however many streams are running. A socket's sends must go at
//! [`Config::min_transfer_rate`]: the write deadline moves on one
//! `write_timeout` each time that much has been taken, not at every byte,
//! and a window that ends with bytes unsent is judged on what the client
//! took from the socket's queue (`uptake.rs`), as in the handler model.
//! Bytes waiting to be sent are charged to the loop's [`Budget`], which
//! it installs for its thread so that the tasks' `Incoming` and
//! `Outgoing` charge bodies and count streams against it.
//!
//! Generic over the server task `S` and the connection task `C` it
//! spawns, so both are stored inline and resumed with a direct call.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::io::{self, Read, Write};
use std::net::{Shutdown as Half, TcpListener as StdListener};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token, Waker};
use pygen_protocol::{Delegated, Exception, Generator, Resume};
use slab::Slab;
use tracing::{debug, error, info, trace, warn};

use super::{Conn, Listener, OsError, Reply, Syscall, Task, wire};
use crate::accept::{ACCEPT_BUDGET, Accepted, Acceptor};
use crate::budget::{self, Budget, Charge};
use crate::event_loop::TURN_BYTES;
use crate::fd_limit;
use crate::output::{BATCH_BYTES, panic_message};
use crate::recycle;
use crate::shutdown::Level;
use crate::signals::SignalListener;
use crate::uptake::Uptake;
use crate::{Config, Server, Shutdown};

const LISTENER: Token = Token(usize::MAX);
const WAKER: Token = Token(usize::MAX - 1);

/// How many rounds of the ready tasks (and those they wake) one turn
/// runs before the busy ones: enough for accept, spawn, `Recv` and `Send`.
const READY_ROUNDS: usize = 4;

/// The size of the one read buffer a scheduler owns; `Recv` hands out a
/// copy of what one read put in it, made just before the task runs.
/// 16 KiB, not more: each copy is a heap allocation of its own, and with
/// thousands of connections reading, larger copies left the heap
/// fragmented by several MiB (1,000 slow bodies: 11 MiB of heap with
/// 64 KiB reads, 3 MiB with 16 KiB).
const READ_BUFFER: usize = 16 * 1024;

/// Serve `listener` on this thread until `shutdown`, with the task
/// `make_server` makes: it is handed the listener to `Accept` on and the
/// limits, and `Spawn`s a task per connection.
pub fn serve_tasks<S, C, F>(
    listener: StdListener,
    config: &Config,
    shutdown: &Shutdown,
    make_server: F,
) -> io::Result<()>
where
    S: Task<C>,
    C: Task<Infallible>,
    F: FnOnce(Listener, Rc<Config>) -> S,
{
    let max_connections = fd_limit::connections_per_loop(config.max_connections, 1);
    schedule(listener, config, max_connections, 1, shutdown, make_server)
}

/// [`serve_tasks`] as one of `loops` schedulers, with its share of the
/// server's budget.
fn schedule<S, C, F>(
    listener: StdListener,
    config: &Config,
    max_connections: usize,
    loops: usize,
    shutdown: &Shutdown,
    make_server: F,
) -> io::Result<()>
where
    S: Task<C>,
    C: Task<Infallible>,
    F: FnOnce(Listener, Rc<Config>) -> S,
{
    let budget = Budget::for_loop(config, loops);
    let _installed = budget::install(budget.clone());
    let _date = wire::keep_date();
    listener.set_nonblocking(true)?;
    let mut listener = TcpListener::from_std(listener);
    let poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
    shutdown.register(waker);
    let mut tasks = Slab::new();
    let server = Generator::new(make_server(Listener(()), Rc::new(config.clone())));
    let key = tasks.insert(Slot {
        body: Body::Server(server),
        blocked: Blocked::Ready(None),
        owned: Owned::NONE,
    });
    Scheduler {
        poll,
        acceptor: Acceptor::new(listener, max_connections),
        accept_pending: false,
        tasks,
        sockets: Slab::new(),
        ready: VecDeque::from([key]),
        later: VecDeque::new(),
        turn_sent: 0,
        tables: Charge::new(budget.clone()),
        unsent: Charge::new(budget.clone()),
        unsent_bytes: 0,
        buffer: vec![0; READ_BUFFER].into_boxed_slice(),
        config,
        shutdown,
        now: Instant::now(),
        drain_deadline: None,
        accept_task: None,
    }
    .run()
}

impl Server {
    /// [`Server::run`] in the task model: serve until SIGINT or SIGTERM,
    /// logging the address once listening.
    pub fn run_tasks<S, C, F>(self, make_server: F) -> io::Result<()>
    where
        S: Task<C>,
        C: Task<Infallible>,
        F: Fn(Listener, Rc<Config>) -> S + Sync,
    {
        let signals = SignalListener::start(self.shutdown_handle())?;
        info!(
            address = %self.local_addr()?,
            workers = self.workers(),
            model = "tasks",
            "listening"
        );
        let result = self.for_the_process().serve_tasks(make_server);
        drop(signals);
        result
    }

    /// [`Server::serve`] in the task model: one scheduler per listener,
    /// each running the server task `make_server` makes.
    pub fn serve_tasks<S, C, F>(self, make_server: F) -> io::Result<()>
    where
        S: Task<C>,
        C: Task<Infallible>,
        F: Fn(Listener, Rc<Config>) -> S + Sync,
    {
        self.on_workers("pygen-tasks-worker", "scheduler", |listener, share| {
            schedule(
                listener,
                share.config,
                share.max_connections,
                share.loops,
                share.shutdown,
                &make_server,
            )
        })
    }
}

/// [`run_with_config`](crate::run_with_config) in the task model: bind,
/// serve with `workers` schedulers until SIGINT or SIGTERM.
pub fn run_tasks<S, C, F>(
    address: std::net::SocketAddr,
    workers: usize,
    config: Config,
    make_server: F,
) -> io::Result<()>
where
    S: Task<C>,
    C: Task<Infallible>,
    F: Fn(Listener, Rc<Config>) -> S + Sync,
{
    Server::bind(address, workers)?
        .with_config(config)
        .run_tasks(make_server)
}

/// The server task, or a connection task.
enum Body<S, C> {
    Server(Generator<S, Reply>),
    Conn(Generator<C, Reply>),
}

/// What a task is waiting for.
enum Blocked {
    /// Nothing: resume it with this (`None` is its first `next()`).
    Ready(Option<Reply>),
    /// Nothing: throw this in.
    Throw(Exception),
    /// A connection to accept.
    Accept,
    /// Bytes on `conn`.
    Recv {
        conn: usize,
        deadline: Instant,
        idle: bool,
    },
    /// Room on `conn` for the rest of its unsent bytes, and then `then`.
    Send {
        conn: usize,
        deadline: Instant,
        then: Then,
    },
}

/// What a task waiting for its socket's unsent bytes to go asked for.
enum Then {
    /// `Send`: the bytes are taken; resume it with `Done`.
    Done,
    /// `Recv`, whose read waits until all that was sent before it is out.
    Recv { deadline: Instant, idle: bool },
}

struct Slot<S, C> {
    body: Body<S, C>,
    blocked: Blocked,
    /// The sockets this task holds, closed when it ends.
    owned: Owned,
}

/// The sockets a task holds: a connection task holds one, and the server
/// task one for the moment between `Accept` and its child's first call,
/// so one is kept in place; a list is made only for a task holding more.
/// (A list for the one socket was a heap block per idle connection.)
enum Owned {
    /// None (an empty list holds no memory), or more than one.
    List(Vec<usize>),
    /// Just this one.
    One(usize),
}

impl Owned {
    const NONE: Owned = Owned::List(Vec::new());

    fn push(&mut self, socket: usize) {
        match self {
            Owned::List(list) if list.is_empty() => *self = Owned::One(socket),
            Owned::List(list) => list.push(socket),
            Owned::One(first) => *self = Owned::List(vec![*first, socket]),
        }
    }

    fn remove(&mut self, socket: usize) {
        match self {
            Owned::List(list) => list.retain(|&held| held != socket),
            Owned::One(held) if *held == socket => *self = Owned::NONE,
            Owned::One(_) => {}
        }
    }

    fn as_slice(&self) -> &[usize] {
        match self {
            Owned::List(list) => list,
            Owned::One(held) => std::slice::from_ref(held),
        }
    }
}

struct Socket {
    stream: TcpStream,
    owner: Option<usize>,
    /// Closed by its task: the write side is shut, and what the client
    /// still sends is dropped until it closes or this passes.
    linger: Option<Instant>,
    /// The sends since the last `Recv`, for the minimum rate and to tell
    /// a stream from an answer.
    sending: Option<Sending>,
    /// Bytes written, and what the client had taken when a write was
    /// first refused in this run of sends: how a window that ends with
    /// bytes unsent is judged (`uptake.rs`).
    uptake: Uptake,
    /// What `Send` has taken and the socket not yet: written at the next
    /// `Recv`, at [`BATCH_BYTES`], or when the socket is closed. Empty,
    /// and holding no capacity, while the task waits for a request.
    unsent: Vec<u8>,
    /// How much of `unsent` has been written.
    written: usize,
    /// The last read came back short (or would have blocked), and no
    /// readable event has come since: a `Recv` waits for one instead of
    /// reading again to be told `WouldBlock`. New bytes raise a new
    /// edge-triggered event, as the handler model relies on too.
    drained: bool,
    /// The client has shut its side: its last bytes may have come with
    /// the event that said so, and no other event will follow, so reads
    /// go on until they see the end.
    read_closed: bool,
}

impl Socket {
    /// Write what is unsent until all of it is out or the socket would
    /// block: the bytes written, and the error that stopped it, if any.
    fn write_unsent(&mut self, now: Instant) -> (usize, Option<io::Error>) {
        let mut wrote = 0;
        while self.written < self.unsent.len() {
            match self.stream.write(&self.unsent[self.written..]) {
                Ok(0) => return (wrote, Some(io::Error::from(io::ErrorKind::WriteZero))),
                Ok(count) => {
                    self.written += count;
                    self.uptake.wrote(count);
                    wrote += count;
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.uptake.blocked(&self.stream, now);
                    break;
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return (wrote, Some(error)),
            }
        }
        (wrote, None)
    }

    fn all_sent(&self) -> bool {
        self.written == self.unsent.len()
    }
}

/// A run of sends on one socket.
struct Sending {
    /// When the current window ends: the write deadline.
    deadline: Instant,
    /// Bytes taken in the current window.
    moved: usize,
    /// Bytes taken since the run began.
    total: usize,
}

struct Scheduler<'a, S, C> {
    poll: Poll,
    /// The listener, closed once shutting down, and the connection limit.
    acceptor: Acceptor,
    /// `accept` stopped at its budget, with clients still waiting (turned
    /// away): accept again without waiting for an event.
    accept_pending: bool,
    tasks: Slab<Slot<S, C>>,
    sockets: Slab<Socket>,
    /// Tasks with a result waiting, in the order they get it.
    ready: VecDeque<usize>,
    /// Busy tasks (a stream going out) with a result waiting: they run
    /// after `ready`, until their sends this turn reach [`TURN_BYTES`].
    later: VecDeque<usize>,
    /// Bytes handed to `Send` this turn.
    turn_sent: usize,
    /// The tables' room beyond their live tasks and sockets (each live
    /// connection charges its own), charged to the budget.
    tables: Charge,
    /// The sockets' unsent bytes (their buffers' capacity), charged to the
    /// budget.
    unsent: Charge,
    unsent_bytes: usize,
    buffer: Box<[u8]>,
    config: &'a Config,
    shutdown: &'a Shutdown,
    now: Instant,
    drain_deadline: Option<Instant>,
    /// The task that last yielded `Accept`.
    accept_task: Option<usize>,
}

impl<S, C> Scheduler<'_, S, C>
where
    S: Task<C>,
    C: Task<Infallible>,
{
    fn run(mut self) -> io::Result<()> {
        let mut events = Events::with_capacity(1024);
        let tick = self.config.tick();
        let mut next_sweep = Instant::now() + tick;
        loop {
            // The tasks ready now, and those they wake, for a few rounds:
            // a connection goes from accepted to spawned to its request
            // read and answered within one turn. Bounded, so that tasks
            // that are always ready cannot keep the sockets from a look
            // in. Then the busy ones take turns within a budget of bytes.
            self.turn_sent = 0;
            for _ in 0..READY_ROUNDS {
                if self.ready.is_empty() {
                    break;
                }
                for _ in 0..self.ready.len() {
                    let Some(key) = self.ready.pop_front() else {
                        break;
                    };
                    self.step(key);
                }
            }
            for _ in 0..self.later.len() {
                if self.turn_sent >= TURN_BYTES {
                    break;
                }
                let Some(key) = self.later.pop_front() else {
                    break;
                };
                self.step(key);
            }

            if let Some(deadline) = self.drain_deadline {
                if self.tasks.is_empty() && self.sockets.is_empty() {
                    info!("shut down: every task finished");
                    return Ok(());
                }
                if self.now >= deadline {
                    warn!(
                        tasks = self.tasks.len(),
                        "shutdown timeout: dropping the tasks still running"
                    );
                    return Ok(());
                }
            }

            let timeout = if self.ready.is_empty() && self.later.is_empty() && !self.accept_pending
            {
                next_sweep.saturating_duration_since(Instant::now())
            } else {
                Duration::ZERO
            };
            if let Err(error) = self.poll.poll(&mut events, Some(timeout))
                && error.kind() != io::ErrorKind::Interrupted
            {
                return Err(error);
            }
            self.now = Instant::now();
            wire::refresh_date();
            match self.shutdown.level() {
                Level::Running => {}
                Level::Graceful => self.begin_shutdown(),
                Level::Immediate => {
                    info!(
                        tasks = self.tasks.len(),
                        "stopping now: dropping every task"
                    );
                    return Ok(());
                }
            }
            if std::mem::take(&mut self.accept_pending)
                && let Some(key) = self.accepting_task()
            {
                self.try_accept(key);
            }
            for event in events.iter() {
                match event.token() {
                    LISTENER => {
                        if let Some(key) = self.accepting_task() {
                            self.try_accept(key);
                        }
                    }
                    WAKER => {}
                    Token(socket) => {
                        let readable =
                            event.is_readable() || event.is_read_closed() || event.is_error();
                        self.socket_ready(socket, readable, event.is_read_closed());
                    }
                }
            }
            let vacant = budget::vacant_bytes(&self.tasks) + budget::vacant_bytes(&self.sockets);
            self.tables.set(vacant);
            if self.now >= next_sweep {
                self.sweep();
                next_sweep = self.now + tick;
            }
        }
    }

    /// Resume task `key` with what it is waiting for, and carry out the
    /// system call it yields next.
    fn step(&mut self, key: usize) {
        if matches!(
            self.tasks.get(key).map(|slot| &slot.blocked),
            Some(Blocked::Recv { .. })
        ) {
            // Its socket became readable: read now, as it runs, so that
            // one read's copy is alive at a time, not one per socket that
            // an event reported.
            match self.read_now(key) {
                Some(blocked) => self.block(key, blocked),
                None => return,
            }
        }
        let Some(slot) = self.tasks.get_mut(key) else {
            return;
        };
        let mut arg: Resume<Reply> = match std::mem::replace(&mut slot.blocked, Blocked::Accept) {
            Blocked::Ready(reply) => Ok(reply),
            Blocked::Throw(exception) => Err(exception),
            other => {
                slot.blocked = other;
                return;
            }
        };
        // A `Send` that only buffers is done at once, and the task goes
        // on without a trip through the queue, or through its slot: the
        // answers to a batch of pipelined requests are made in one run,
        // and leave in one write. The run ends at a call that must wait,
        // or at `BATCH_BYTES`.
        while let Some(done) = self.resume(key, arg) {
            arg = done;
        }
    }

    // ANCHOR: resume
    /// Resume task `key` once with `arg`, and carry out the call it
    /// yields; if that call is done already, what the task may go on
    /// with at once.
    fn resume(&mut self, key: usize, arg: Resume<Reply>) -> Option<Resume<Reply>> {
        let slot = self.tasks.get_mut(key)?;
        let body = &mut slot.body;
        // A spawned task is set aside here rather than passed back with
        // the other calls: it is the size of a whole connection task, and
        // every call a connection makes would be moved about at that size.
        let mut spawned = None;
        let outcome = catch_unwind(AssertUnwindSafe(|| match body {
            // PEP 380's one step does exactly what a scheduler does:
            // next(), send(value), throw(e), or close() for GeneratorExit.
            Body::Server(task) => match task.delegate(arg) {
                Delegated::Yield(call) => match narrow(call) {
                    Ok(call) => Stepped::Call(call),
                    Err(child) => {
                        spawned = Some(child);
                        Stepped::Spawn
                    }
                },
                Delegated::Return(_) => Stepped::Return,
                Delegated::Raise(exception) => Stepped::Raise(exception),
            },
            Body::Conn(task) => match task.delegate(arg) {
                Delegated::Yield(call) => Stepped::Call(call),
                Delegated::Return(_) => Stepped::Return,
                Delegated::Raise(exception) => Stepped::Raise(exception),
            },
        }));
        match outcome {
            Ok(Stepped::Call(call)) => return self.syscall(key, call),
            Ok(Stepped::Spawn) => {
                if let Some(child) = spawned {
                    self.spawn(key, child);
                }
            }
            Ok(Stepped::Return) => self.exit(key),
            Ok(Stepped::Raise(exception)) => {
                if exception.is_generator_exit() {
                    trace!(key, "task closed");
                } else {
                    debug!(key, %exception, "task raised");
                }
                self.exit(key);
            }
            Err(payload) => {
                error!(
                    key,
                    panic = panic_message(payload.as_ref()),
                    "task panicked; closing its sockets"
                );
                self.exit(key);
            }
        }
        None
    }
    // ANCHOR_END: resume

    /// Carry out `call` for task `key`, now if the socket allows; if it
    /// is done already (a `Send` that was only buffered), its result.
    fn syscall(&mut self, key: usize, call: Syscall<Infallible>) -> Option<Resume<Reply>> {
        trace!(key, ?call, "syscall");
        match call {
            Syscall::Accept(Listener(())) => {
                self.accept_task = Some(key);
                self.block(key, Blocked::Accept);
                if !self.acceptor.is_open() {
                    // Shutting down: no more connections.
                    self.wake(key, Blocked::Throw(Exception::GeneratorExit));
                } else if !self.acceptor.is_paused() {
                    self.try_accept(key);
                }
            }
            Syscall::Recv {
                conn,
                deadline,
                idle,
            } => {
                if !self.take_ownership(key, conn) {
                    return None;
                }
                if self.sockets[conn.0].all_sent() {
                    self.recv(key, conn.0, deadline, idle);
                } else {
                    // What was sent before goes out before the read, as
                    // a client waits for the answers before it asks more.
                    let write_deadline = self.sockets[conn.0]
                        .sending
                        .as_ref()
                        .map_or(deadline, |sending| sending.deadline);
                    self.block(
                        key,
                        Blocked::Send {
                            conn: conn.0,
                            deadline: write_deadline,
                            then: Then::Recv { deadline, idle },
                        },
                    );
                    self.try_send(key);
                }
            }
            Syscall::Send(conn, data) => {
                if !self.take_ownership(key, conn) {
                    return None;
                }
                self.turn_sent += data.len();
                let window = self.config.write_timeout;
                let now = self.now;
                let socket = &mut self.sockets[conn.0];
                // The clock is read once for a run of sends, not for each.
                let sending = socket.sending.get_or_insert_with(|| Sending {
                    deadline: now.max(Instant::now()) + window,
                    moved: 0,
                    total: 0,
                });
                let deadline = sending.deadline;
                let buffered = !data.is_empty();
                self.buffer(conn.0, data);
                // Like asyncio's `transport.write`: bytes are taken into
                // the socket's buffer and the task goes on; they are
                // written when it waits for a request, or now, if they
                // are a batch's worth (a stream, or a long pipeline), so
                // that what a slow reader leaves unsent stays bounded.
                let unsent = &self.sockets[conn.0];
                if buffered && unsent.unsent.len() - unsent.written < BATCH_BYTES {
                    return Some(Ok(Some(Reply::Done)));
                }
                self.block(
                    key,
                    Blocked::Send {
                        conn: conn.0,
                        deadline,
                        then: Then::Done,
                    },
                );
                self.try_send(key);
            }
            Syscall::Spawn(never) => match never {},
            Syscall::Close(conn) => {
                if !self.take_ownership(key, conn) {
                    return None;
                }
                if let Some(slot) = self.tasks.get_mut(key) {
                    slot.owned.remove(conn.0);
                }
                self.close_socket(conn.0);
                self.wake(key, Blocked::Ready(Some(Reply::Done)));
            }
        }
        None
    }

    /// `Spawn(task)` for task `key`.
    fn spawn(&mut self, key: usize, task: C) {
        let child = self.tasks.insert(Slot {
            body: Body::Conn(Generator::new(task)),
            blocked: Blocked::Ready(None),
            owned: Owned::NONE,
        });
        // The child runs first, so it takes its socket before the
        // parent can end.
        self.ready.push_back(child);
        self.wake(key, Blocked::Ready(Some(Reply::Done)));
    }

    /// `Recv` on `conn` for task `key`, with nothing left unsent on it.
    fn recv(&mut self, key: usize, conn: usize, deadline: Instant, idle: bool) {
        if idle && !self.acceptor.is_open() {
            self.wake(key, Blocked::Throw(Exception::GeneratorExit));
            return;
        }
        // A `Recv` ends a run of sends: the next answer is a new one.
        self.sockets[conn].sending = None;
        self.sockets[conn].uptake.forget();
        self.block(
            key,
            Blocked::Recv {
                conn,
                deadline,
                idle,
            },
        );
        // Read when it runs (see `step`), not now: a read now would hold
        // its copy while the task waits in the queue, and with many
        // connections sending at once, that is a copy for each of them.
        if !self.sockets[conn].drained {
            self.ready.push_back(key);
        }
    }

    /// Add `data` to what `socket` has to send, charged to the budget.
    fn buffer(&mut self, socket: usize, data: Vec<u8>) {
        let unsent = &mut self.sockets[socket].unsent;
        let before = unsent.capacity();
        if unsent.is_empty() {
            // The first bytes become the buffer as they are: no copy.
            recycle::give_bytes(std::mem::replace(unsent, data));
        } else {
            unsent.extend_from_slice(&data);
            recycle::give_bytes(data);
        }
        let after = unsent.capacity();
        if after != before {
            self.unsent_bytes = self.unsent_bytes - before + after;
            self.unsent.set(self.unsent_bytes);
        }
    }

    /// `socket`'s unsent bytes are written, or will never be: give their
    /// buffer back for the next reads and sends, and their charge.
    fn forget_unsent(&mut self, socket: usize) {
        if let Some(entry) = self.sockets.get_mut(socket) {
            let unsent = std::mem::take(&mut entry.unsent);
            entry.written = 0;
            self.unsent_bytes -= unsent.capacity();
            self.unsent.set(self.unsent_bytes);
            recycle::give_bytes(unsent);
        }
    }

    /// Task `key` now holds `conn`. A handle to no open socket (or to
    /// another task's) is `OSError` at the `yield`, as `EBADF` would be.
    #[inline]
    fn take_ownership(&mut self, key: usize, conn: Conn) -> bool {
        // The usual case, at every call but a connection's first: an open
        // socket the task holds already.
        let held = self
            .sockets
            .get(conn.0)
            .is_some_and(|socket| socket.owner == Some(key) && socket.linger.is_none());
        held || self.change_ownership(key, conn)
    }

    /// [`take_ownership`](Self::take_ownership) of a socket the task does
    /// not hold yet.
    #[cold]
    #[inline(never)]
    fn change_ownership(&mut self, key: usize, conn: Conn) -> bool {
        let valid = self
            .sockets
            .get(conn.0)
            .is_some_and(|socket| socket.linger.is_none());
        if !valid {
            let bad = io::Error::from(io::ErrorKind::InvalidInput);
            self.wake(key, Blocked::Throw(OsError::exception(&bad)));
            return false;
        }
        let previous = self.sockets[conn.0].owner.replace(key);
        if previous != Some(key) {
            if let Some(slot) = previous.and_then(|owner| self.tasks.get_mut(owner)) {
                slot.owned.remove(conn.0);
            }
            if let Some(slot) = self.tasks.get_mut(key) {
                slot.owned.push(conn.0);
            }
        }
        true
    }

    fn block(&mut self, key: usize, blocked: Blocked) {
        if let Some(slot) = self.tasks.get_mut(key) {
            slot.blocked = blocked;
        }
    }

    /// Give task `key` its result and queue it.
    fn wake(&mut self, key: usize, blocked: Blocked) {
        if let Some(slot) = self.tasks.get_mut(key) {
            slot.blocked = blocked;
            self.ready.push_back(key);
        }
    }

    /// The task parked on `Accept`, if any.
    fn accepting_task(&self) -> Option<usize> {
        self.accept_task.filter(|&key| {
            self.tasks
                .get(key)
                .is_some_and(|slot| matches!(slot.blocked, Blocked::Accept))
        })
    }

    /// Give task `key`, parked on `Accept`, the next connection to serve.
    /// Past the connection limit, or out of file descriptors, clients are
    /// answered `503` and closed at once ([`Acceptor::next`]), up to
    /// [`ACCEPT_BUDGET`] of them before the other tasks get a turn.
    fn try_accept(&mut self, key: usize) {
        for _ in 0..ACCEPT_BUDGET {
            let (mut stream, peer) = match self.acceptor.next(self.now, self.sockets.len()) {
                Accepted::One(stream, peer) => (stream, peer),
                Accepted::TurnedAway => continue,
                Accepted::Drained | Accepted::Paused => return,
            };
            let entry = self.sockets.vacant_entry();
            let socket = entry.key();
            let interest = Interest::READABLE | Interest::WRITABLE;
            if let Err(error) = self
                .poll
                .registry()
                .register(&mut stream, Token(socket), interest)
            {
                warn!(%error, "could not register a connection");
                continue;
            }
            trace!(%peer, socket, "accepted");
            entry.insert(Socket {
                stream,
                owner: Some(key),
                linger: None,
                sending: None,
                uptake: Uptake::default(),
                unsent: Vec::new(),
                written: 0,
                drained: false,
                read_closed: false,
            });
            if let Some(slot) = self.tasks.get_mut(key) {
                slot.owned.push(socket);
            }
            self.wake(key, Blocked::Ready(Some(Reply::Accepted(Conn(socket)))));
            return;
        }
        // The budget went on clients turned away, and more may be waiting.
        self.accept_pending = true;
    }

    /// Socket `socket` is readable or writable: retry what waits on it.
    fn socket_ready(&mut self, socket: usize, readable: bool, read_closed: bool) {
        let Some(entry) = self.sockets.get_mut(socket) else {
            return;
        };
        if readable {
            entry.drained = false;
        }
        entry.read_closed |= read_closed;
        if entry.linger.is_some() {
            self.drain(socket);
            return;
        }
        let Some(key) = entry.owner else {
            return;
        };
        match self.tasks.get(key).map(|slot| &slot.blocked) {
            // Read when the task runs (see `step`).
            Some(Blocked::Recv { conn, .. }) if *conn == socket && readable => {
                self.ready.push_back(key);
            }
            Some(Blocked::Send { conn, .. }) if *conn == socket => self.try_send(key),
            _ => {}
        }
    }

    /// One read for task `key`'s `Recv`: what to resume it with, or `None`
    /// if the socket has nothing yet.
    fn read_now(&mut self, key: usize) -> Option<Blocked> {
        let Some(Slot {
            blocked: Blocked::Recv { conn, .. },
            ..
        }) = self.tasks.get(key)
        else {
            return None;
        };
        let socket = &mut self.sockets[*conn];
        loop {
            match socket.stream.read(&mut self.buffer) {
                Ok(count) => {
                    socket.drained = count < self.buffer.len() && !socket.read_closed;
                    // Copied into a spare buffer of this thread's, which
                    // the connection gives back once it has parsed it.
                    let mut data = recycle::take_bytes();
                    data.extend_from_slice(&self.buffer[..count]);
                    return Some(Blocked::Ready(Some(Reply::Data(data))));
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    socket.drained = true;
                    return None;
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Some(Blocked::Throw(OsError::exception(&error))),
            }
        }
    }

    /// Write what task `key`'s socket still has to send, and carry on
    /// with what the task waits for. Each time the socket's run of sends
    /// has moved the minimum rate's worth, its write deadline moves on a
    /// window.
    fn try_send(&mut self, key: usize) {
        let window = self.config.write_timeout;
        let enough = self.config.bytes_per(window);
        let now = self.now;
        let Some(Slot {
            blocked: Blocked::Send { conn, deadline, .. },
            ..
        }) = self.tasks.get_mut(key)
        else {
            return;
        };
        let conn = *conn;
        let socket = &mut self.sockets[conn];
        let (wrote, failure) = socket.write_unsent(now);
        let mut busy = false;
        if let Some(sending) = &mut socket.sending {
            sending.moved += wrote;
            sending.total += wrote;
            if wrote > 0 && sending.moved >= enough {
                sending.moved = 0;
                sending.deadline = now.max(Instant::now()) + window;
            }
            *deadline = sending.deadline;
            busy = sending.total > BATCH_BYTES;
        }
        let all_sent = socket.all_sent();
        if let Some(error) = failure {
            self.forget_unsent(conn);
            self.wake(key, Blocked::Throw(OsError::exception(&error)));
            return;
        }
        if !all_sent {
            return;
        }
        self.forget_unsent(conn);
        let Some(slot) = self.tasks.get_mut(key) else {
            return;
        };
        let Blocked::Send { then, .. } = std::mem::replace(&mut slot.blocked, Blocked::Accept)
        else {
            return;
        };
        match then {
            Then::Done if busy => {
                // A stream going out: its next piece waits its turn.
                slot.blocked = Blocked::Ready(Some(Reply::Done));
                self.later.push_back(key);
            }
            Then::Done => self.wake(key, Blocked::Ready(Some(Reply::Done))),
            Then::Recv { deadline, idle } => self.recv(key, conn, deadline, idle),
        }
    }

    /// Task `key` has ended: close what it held.
    fn exit(&mut self, key: usize) {
        let Some(slot) = self.tasks.try_remove(key) else {
            return;
        };
        for &socket in slot.owned.as_slice() {
            if self
                .sockets
                .get(socket)
                .is_some_and(|s| s.owner == Some(key))
            {
                self.close_socket(socket);
            }
        }
    }

    /// Shut the write side of `socket` once what it has to send is out,
    /// and linger: drop what the client still sends until it closes, so it
    /// reads the last response rather than a reset.
    fn close_socket(&mut self, socket: usize) {
        let linger = self.now.max(Instant::now()) + self.config.linger_timeout;
        if let Some(entry) = self.sockets.get_mut(socket) {
            entry.owner = None;
            entry.linger = Some(linger);
            if entry.all_sent() {
                let _ = entry.stream.shutdown(Half::Write);
            }
            self.drain(socket);
        }
    }

    /// Write what a lingering socket has still to send (its task's last
    /// `Send`s, taken but not yet written) and then shut its write side;
    /// read and drop what it receives; forget it at its end.
    fn drain(&mut self, socket: usize) {
        let Some(entry) = self.sockets.get_mut(socket) else {
            return;
        };
        if !entry.all_sent() {
            let (_, failure) = entry.write_unsent(self.now);
            if failure.is_some() {
                self.forget(socket);
                return;
            }
            if entry.all_sent() {
                let _ = entry.stream.shutdown(Half::Write);
                self.forget_unsent(socket);
            }
        }
        let Some(entry) = self.sockets.get_mut(socket) else {
            return;
        };
        loop {
            match entry.stream.read(&mut self.buffer) {
                // A client that has shut its side may still read ours.
                Ok(0) if !entry.all_sent() => return,
                Ok(0) => break,
                Ok(_) => {}
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => return,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        self.forget(socket);
    }

    fn forget(&mut self, socket: usize) {
        self.forget_unsent(socket);
        if let Some(mut entry) = self.sockets.try_remove(socket) {
            let _ = self.poll.registry().deregister(&mut entry.stream);
            trace!(socket, "closed");
        }
    }

    /// Throw `TimeoutError` into calls past their deadline; forget
    /// lingering sockets past theirs; when shutting down, close the tasks
    /// waiting between requests. Retry a paused `accept`.
    fn sweep(&mut self) {
        budget::trim_heap();
        let now = self.now;
        let shutting_down = !self.acceptor.is_open();
        let rate = self.config.min_transfer_rate;
        let window = self.config.write_timeout;
        let timed_out = || OsError::exception(&io::Error::from(io::ErrorKind::TimedOut));
        let mut woken = Vec::new();
        for (key, slot) in &mut self.tasks {
            match &mut slot.blocked {
                Blocked::Recv { idle: true, .. } if shutting_down => {
                    woken.push((key, Exception::GeneratorExit));
                }
                Blocked::Send { conn, deadline, .. } if *deadline <= now => {
                    // The socket took too little in the window; judge the
                    // client on what it took from the socket's queue.
                    if let Some(socket) = self.sockets.get_mut(*conn)
                        && socket.uptake.kept_up(&socket.stream, now, rate)
                    {
                        trace!(socket = *conn, "slow reader kept up: another window");
                        *deadline = now + window;
                        if let Some(sending) = &mut socket.sending {
                            sending.deadline = *deadline;
                            sending.moved = 0;
                        }
                        continue;
                    }
                    woken.push((key, timed_out()));
                }
                Blocked::Recv { deadline, .. } if *deadline <= now => {
                    woken.push((key, timed_out()));
                }
                _ => {}
            }
        }
        for (key, exception) in woken {
            if let Some(Blocked::Send { conn, .. }) = self.tasks.get(key).map(|slot| &slot.blocked)
            {
                // Past its deadline, the rest is not going to be sent.
                let conn = *conn;
                self.forget_unsent(conn);
            }
            self.wake(key, Blocked::Throw(exception));
        }
        let expired: Vec<usize> = self
            .sockets
            .iter()
            .filter(|(_, socket)| socket.linger.is_some_and(|linger| linger <= now))
            .map(|(key, _)| key)
            .collect();
        for socket in expired {
            self.forget(socket);
        }
        self.acceptor.flush_warnings(now);
        if self.acceptor.is_paused()
            && let Some(key) = self.accepting_task()
        {
            self.try_accept(key);
        }
    }

    /// A graceful shutdown starts: close the listener, so the kernel
    /// refuses new connections; `close()` the task parked on `Accept` and
    /// the tasks between requests. The rest finish their responses.
    fn begin_shutdown(&mut self) {
        let Some(mut listener) = self.acceptor.close() else {
            return;
        };
        let _ = self.poll.registry().deregister(&mut listener);
        drop(listener);
        info!(
            tasks = self.tasks.len(),
            "shutting down: no new connections; finishing responses in flight"
        );
        self.drain_deadline = Some(self.now + self.config.shutdown_timeout);
        if let Some(key) = self.accepting_task() {
            self.wake(key, Blocked::Throw(Exception::GeneratorExit));
        }
        self.sweep();
    }
}

/// What one step of a task came to.
enum Stepped {
    /// It yielded a call (`Spawn`'s task is passed on its own).
    Call(Syscall<Infallible>),
    /// It yielded `Spawn`.
    Spawn,
    /// It returned.
    Return,
    /// It raised.
    Raise(Exception),
}

/// The server task's call, or the task it spawns.
fn narrow<C>(call: Syscall<C>) -> Result<Syscall<Infallible>, C> {
    Ok(match call {
        Syscall::Accept(listener) => Syscall::Accept(listener),
        Syscall::Recv {
            conn,
            deadline,
            idle,
        } => Syscall::Recv {
            conn,
            deadline,
            idle,
        },
        Syscall::Send(conn, data) => Syscall::Send(conn, data),
        Syscall::Spawn(task) => return Err(task),
        Syscall::Close(conn) => Syscall::Close(conn),
    })
}
