//! The system calls a task yields, what it is sent back, and the
//! exception an I/O error is thrown in as.
//!
//! ```python
//! class Accept:  ...   # conn = yield Accept(listener)
//! class Recv:    ...   # data = yield Recv(conn, deadline, idle)
//! class Send:    ...   # yield Send(conn, data)
//! class Spawn:   ...   # yield Spawn(task)
//! class Close:   ...   # yield Close(conn)
//! ```

use std::fmt;
use std::io;
use std::time::Instant;

use pygen_protocol::{Coroutine, Exception, Resume, UserException};

/// The listening socket of one scheduler: what `Accept` waits on. Only the
/// scheduler makes one, and hands it to the task it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listener(pub(crate) ());

/// A connected socket, as a task holds it: a handle (a file descriptor, in
/// the operating system this scheduler plays), not the socket itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Conn(pub(crate) usize);

/// A system call: what a task yields to ask the scheduler for I/O.
///
/// `C` is the type of the tasks `Spawn` starts. A task that spawns none
/// yields `Syscall<Infallible>`.
pub enum Syscall<C> {
    /// `conn = yield Accept(listener)`: the next connection.
    Accept(Listener),
    /// `data = yield Recv(conn, deadline, idle)`: the bytes that have
    /// arrived, at least one; empty at the end of the connection. Past
    /// `deadline`, `TimeoutError` is thrown in instead. `idle` says the
    /// task is between requests, so a graceful shutdown may close it here.
    Recv {
        /// The socket to read.
        conn: Conn,
        /// When to give up with `TimeoutError`.
        deadline: Instant,
        /// Between requests: nothing in flight would be cut short.
        idle: bool,
    },
    /// `yield Send(conn, data)`: `data` taken, to be written after what
    /// was sent before. As with asyncio's `transport.write`, small sends
    /// are only buffered and the task goes on at once; they are written
    /// before its next `Recv` on `conn` reads, or when `conn` is closed.
    /// A `Send` that brings the buffer to a batch (16 KiB: a stream, a
    /// long pipeline) waits until all of it is written, so what a slow
    /// reader leaves unsent stays bounded. An error met writing buffered
    /// bytes is thrown in at the call that waits for them, as a kernel
    /// reports a failed send at a later call. The socket's sends since its
    /// last `Recv` must keep to [`Config::min_transfer_rate`](crate::Config::min_transfer_rate):
    /// the write deadline moves on a `write_timeout` each time they have
    /// moved that much, and past it `TimeoutError` is thrown in.
    Send(Conn, Vec<u8>),
    /// `yield Spawn(task)`: start another task; it runs next.
    Spawn(C),
    /// `yield Close(conn)`: close the socket politely (shut the write
    /// side, let the client read what was sent). A task's sockets are
    /// closed when it ends anyway, as a process's files are at exit.
    Close(Conn),
}

impl<C> fmt::Debug for Syscall<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Syscall::Accept(_) => f.write_str("Accept"),
            Syscall::Recv { conn, idle, .. } => write!(f, "Recv({}, idle={idle})", conn.0),
            Syscall::Send(conn, data) => write!(f, "Send({}, {} bytes)", conn.0, data.len()),
            Syscall::Spawn(_) => f.write_str("Spawn"),
            Syscall::Close(conn) => write!(f, "Close({})", conn.0),
        }
    }
}

/// What a system call evaluates to, sent back in at the task's `yield`.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// `Accept`: the new connection.
    Accepted(Conn),
    /// `Recv`: the bytes read; empty at the end of the connection.
    Data(Vec<u8>),
    /// `Send`, `Spawn`, `Close`: done.
    Done,
}

impl Reply {
    /// What a `yield` evaluated to, as the reply it must be: the scheduler
    /// never resumes a started task with `next()`.
    pub fn of(sent: Option<Reply>) -> Result<Reply, Exception> {
        sent.ok_or(Exception::TypeError)
    }

    /// `conn = yield Accept(listener)`.
    pub fn conn(sent: Option<Reply>) -> Result<Conn, Exception> {
        match Reply::of(sent)? {
            Reply::Accepted(conn) => Ok(conn),
            _ => Err(Exception::TypeError),
        }
    }

    /// `data = yield Recv(conn, ...)`.
    pub fn data(sent: Option<Reply>) -> Result<Vec<u8>, Exception> {
        match Reply::of(sent)? {
            Reply::Data(data) => Ok(data),
            _ => Err(Exception::TypeError),
        }
    }
}

/// Python's `OSError` family: an I/O error, thrown in at the `yield` of
/// the system call that met it. The [`io::ErrorKind`] is the payload, and
/// picks the class name Python would use (`TimeoutError`,
/// `ConnectionResetError`, `BrokenPipeError`, ...).
///
/// ```
/// use std::io::ErrorKind;
/// use pygen_http::tasks::OsError;
/// use pygen_protocol::Exception;
///
/// let e = Exception::new(OsError(ErrorKind::TimedOut));
/// assert_eq!(e.name(), "TimeoutError");
/// assert_eq!(e.downcast_ref::<OsError>(), Some(&OsError(ErrorKind::TimedOut)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OsError(pub io::ErrorKind);

impl OsError {
    /// The exception to throw in for `error`.
    pub fn exception(error: &io::Error) -> Exception {
        Exception::new(OsError(error.kind()))
    }

    /// `except TimeoutError:`.
    pub fn is_timeout(exception: &Exception) -> bool {
        exception
            .downcast_ref::<OsError>()
            .is_some_and(|e| e.0 == io::ErrorKind::TimedOut)
    }
}

impl fmt::Display for OsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", io::Error::from(self.0))
    }
}

impl UserException for OsError {
    fn class_name(&self) -> &'static str {
        match self.0 {
            io::ErrorKind::TimedOut => "TimeoutError",
            io::ErrorKind::ConnectionReset => "ConnectionResetError",
            io::ErrorKind::ConnectionAborted => "ConnectionAbortedError",
            io::ErrorKind::ConnectionRefused => "ConnectionRefusedError",
            io::ErrorKind::BrokenPipe => "BrokenPipeError",
            _ => "OSError",
        }
    }
}

/// A task: a coroutine resumed with [`Resume<Reply>`] that yields
/// [`Syscall<C>`]s and returns `Result<(), Exception>`. `C` is the type of
/// the tasks it spawns. Implemented for every coroutine of that shape.
pub trait Task<C>:
    Coroutine<Resume<Reply>, Yield = Syscall<C>, Return = Result<(), Exception>> + Unpin
{
}

impl<C, T> Task<C> for T where
    T: Coroutine<Resume<Reply>, Yield = Syscall<C>, Return = Result<(), Exception>> + Unpin
{
}
