//! [`Connection`]: one client, its handler coroutine, and the state
//! machine that reads requests, sends them in and writes what comes out.
//!
//! This is where the seed's idea happens. Each connection owns a
//! [`Generator`] around its [`Handler`]; each parsed request goes in with
//! `send(request)`, and the `Some(response)` the handler yields is written
//! back:
//!
//! ```python
//! handler = make_handler()
//! next(handler)                          # run to `request = yield None`
//! for request in requests(connection):   # parsed as bytes arrive
//!     response = handler.send(request)
//!     connection.write(response)
//! handler.close()                        # GeneratorExit at the yield
//! ```
//!
//! Everything else in this file is making that loop work for a socket
//! that delivers bytes in arbitrary pieces and accepts them back at its
//! own pace, without ever blocking the thread that serves thousands of
//! other connections:
//!
//! * **Driving.** [`Connection::drive`] runs whenever the socket may have
//!   changed (readable, writable) and goes as far as it can: write what is
//!   pending; then parse a request from bytes already read and answer it;
//!   then read more. It stops when the socket would block, so with
//!   edge-triggered readiness no event is ever missed.
//! * **Order and back-pressure.** A new request is parsed only once the
//!   previous response is fully written, so pipelined responses leave in
//!   request order, and a client that sends requests without reading
//!   responses stops being read: TCP flow control pushes back on it.
//! * **Timeouts.** Each connection has one deadline, set from what it is
//!   waiting for ([`Waiting`]); the event loop calls
//!   [`Connection::on_deadline`] when it passes. A head's deadline is
//!   hard: bytes arriving never move it. A body or a response moves it on
//!   only when the transfer has gone at least [`Config::min_transfer_rate`]
//!   over its window, and a body has a hard deadline as well. A response
//!   whose window ends with output left is judged on what the client has
//!   *taken* from the socket's queue, not on what the socket took
//!   (`uptake.rs`): a slow but legal reader is never cut off.
//! * **Memory.** What the connection buffers (unparsed bytes, a body
//!   arriving, unsent output) is charged to the loop's [`Budget`] by the
//!   capacity it holds, a body by its whole declared length from its head
//!   on; a body that would overdraw it is answered `503`.
//! * **Turns.** One drive does a bounded amount of work (reads, pulls of a
//!   stream, answers batched), then returns [`Drive::Again`], so the loop
//!   can serve others.
//! * **Failures stay local.** A handler that panics, raises, returns or
//!   yields no response gets this connection a `500` and a close; the
//!   panic is caught here and goes no further.
//! * **Closing politely.** After the last response the socket's write side
//!   is shut and what the client still sends is read and thrown away for a
//!   moment ("lingering close"), so the client gets to read the response
//!   instead of a connection reset.

use std::io;
use std::net::Shutdown;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use mio::net::TcpStream;
use pygen_protocol::{Generator, GeneratorState, Raised};
use tracing::{debug, error, trace, warn};

use crate::budget::{self, Budget, Charge};
use crate::date::HttpDate;
use crate::input::{Input, ReadOutcome};
use crate::later::Woken;
use crate::output::{Flush, Output, ResponseMeta, panic_message};
use crate::uptake::Uptake;
use crate::{Config, Handler, Method, ParseError, Parser, Request, Response, Status};

/// How many reads one drive may do before letting other connections run.
/// A client that sends faster than it can be served would otherwise keep
/// the loop to itself.
const READ_BUDGET: usize = 16;

/// The interim response that tells a client sending `Expect: 100-continue`
/// to go ahead with its body.
const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

/// What a connection is waiting for, which decides its timeout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waiting {
    /// Its first request; nothing has arrived yet.
    NewConnection,
    /// The rest of a request head (some of it has arrived).
    Head,
    /// More of a request body.
    Body,
    /// Its next request, on a kept-alive connection.
    NextRequest,
    /// The socket to take more of a response.
    Output,
    /// The client to close, after the last response.
    Lingering,
}

/// What the event loop should do with a connection after driving it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Drive {
    /// Wait for its next event.
    Open,
    /// It has more to do but used up its budget: drive it again soon,
    /// without waiting for an event (none may come).
    Again,
    /// It is finished: close it.
    Close,
}

/// What the event loop lends a connection while driving it.
pub struct Context<'a> {
    /// The limits and timeouts.
    pub config: &'a Config,
    /// The shared read buffer.
    pub input: &'a mut Input,
    /// The `Date` header's text.
    pub date: &'a HttpDate,
    /// The time the current batch of events arrived.
    pub now: Instant,
    /// The server is shutting down: finish the current response, then
    /// close.
    pub shutting_down: bool,
    /// The loop's memory budget and stream limit.
    pub budget: &'a Rc<Budget>,
    /// Bytes the drive wrote, for the loop's count of work this turn.
    pub written: usize,
    /// The loop's list of connections whose later responses have come,
    /// and this connection's key in it: what a waker for it is made of.
    pub woken: &'a Arc<Woken>,
    /// This connection's key in the loop's table.
    pub key: usize,
}

/// What happened during one drive, for the deadline.
#[derive(Default)]
struct Progress {
    read: usize,
    wrote: usize,
    answered: bool,
    /// The socket refused a write: its send buffer is full.
    blocked: bool,
}

/// One client connection.
pub struct Connection<H> {
    socket: TcpStream,
    handler: Generator<H, Request>,
    parser: Parser,
    /// Bytes read but not parsed yet: usually none.
    leftover: Vec<u8>,
    output: Output,
    /// What it buffers, and itself, charged to the loop's budget.
    charge: Charge,
    waiting: Waiting,
    deadline: Instant,
    /// When the current body must be whole, whatever its rate.
    body_deadline: Instant,
    /// Bytes moved in the current window of a body or a response (a
    /// window's worth fits: it is reset once it has one).
    moved: u32,
    /// Bytes written, and what the client had taken when a write was
    /// first refused: how a response's window is judged when it ends.
    uptake: Uptake,
    /// In the loop's queue of connections to drive again.
    queued: bool,
    /// The response being written is the last: close after it.
    last_response: bool,
    /// The write side is shut; waiting for the client to close.
    lingering: bool,
    /// At least one request has been answered.
    answered_any: bool,
    /// An event said the client closed its side: read until the end is
    /// seen, even after a read that emptied the socket.
    client_closed: bool,
}

impl<H: Handler> Connection<H> {
    /// A new connection, whose handler has not run yet. Its head's
    /// deadline starts now.
    pub fn new(
        socket: TcpStream,
        handler: H,
        now: Instant,
        config: &Config,
        budget: &Rc<Budget>,
    ) -> Connection<H> {
        Connection {
            socket,
            handler: Generator::new(handler),
            parser: Parser::new(),
            leftover: Vec::new(),
            output: Output::new(),
            charge: Charge::new(budget.clone()),
            waiting: Waiting::NewConnection,
            deadline: now + config.header_timeout,
            body_deadline: now,
            moved: 0,
            uptake: Uptake::default(),
            queued: false,
            last_response: false,
            lingering: false,
            answered_any: false,
            client_closed: false,
        }
    }

    /// An event said the client has closed its side (its FIN arrived).
    pub fn client_closed(&mut self) {
        self.client_closed = true;
    }

    /// The socket, to register and deregister with the poller.
    pub fn socket_mut(&mut self) -> &mut TcpStream {
        &mut self.socket
    }

    /// When the current wait times out.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Whether the connection is between requests with nothing in flight:
    /// one that a shutting-down server can close without cutting anything
    /// short.
    pub fn is_idle(&self) -> bool {
        matches!(self.waiting, Waiting::NewConnection | Waiting::NextRequest)
    }

    /// Whether a response is going out (a stream, or bytes the socket has
    /// not taken): the loop drives such a connection in its turn, after
    /// the connections with requests to read.
    pub fn is_busy(&self) -> bool {
        !self.output.is_empty()
    }

    /// Mark the connection as queued to be driven again; `false` if it
    /// already was.
    pub fn enqueue(&mut self) -> bool {
        !std::mem::replace(&mut self.queued, true)
    }

    /// Taken off the loop's queue.
    pub fn dequeue(&mut self) {
        self.queued = false;
    }

    /// Make as much progress as the socket allows, within a turn's
    /// budget. See the module docs.
    pub fn drive(&mut self, cx: &mut Context<'_>) -> Drive {
        cx.input.load(&mut self.leftover);
        let mut progress = Progress::default();
        let outcome = self.run(cx, &mut progress);
        cx.input.save(&mut self.leftover);
        self.output.release();
        cx.written += progress.wrote;
        self.uptake.wrote(progress.wrote);
        if outcome != Drive::Close {
            self.update_deadline(cx, &progress);
            if progress.blocked {
                // After the deadline's update, which forgets the mark
                // when a new response began in this drive.
                self.uptake.blocked(&self.socket, cx.now);
            }
            let held = budget::PER_CONNECTION
                + self.leftover.capacity()
                + self.parser.body_charge()
                + self.output.held();
            self.charge.set(held);
        }
        outcome
    }

    /// The deadline has passed. A client in the middle of a request gets
    /// `408`; any other wait just ends.
    pub fn on_deadline(&mut self, cx: &mut Context<'_>) -> Drive {
        match self.waiting {
            Waiting::Head | Waiting::Body => {
                debug!(waiting = ?self.waiting, "request timeout");
                self.parser = Parser::new();
                self.leftover = Vec::new();
                let message = "request timeout\n";
                self.output
                    .push_error(Status::REQUEST_TIMEOUT, message, cx.date);
                self.last_response = true;
                self.drive(cx)
            }
            Waiting::Output
                if self
                    .uptake
                    .kept_up(&self.socket, cx.now, cx.config.min_transfer_rate) =>
            {
                // The socket took nothing in the window, but the client
                // took from its queue at the minimum rate: not its fault.
                trace!("slow reader kept up: another window");
                self.moved = 0;
                self.deadline = cx.now + cx.config.write_timeout;
                Drive::Open
            }
            waiting => {
                trace!(?waiting, "connection timed out");
                Drive::Close
            }
        }
    }

    /// Python's `handler.close()`: `GeneratorExit` at the paused `yield`,
    /// so the handler's cleanup runs. Called when the connection ends.
    pub fn finish(&mut self) {
        let handler = &mut self.handler;
        match catch_unwind(AssertUnwindSafe(|| handler.close())) {
            Ok(Ok(())) => {}
            Ok(Err(exception)) => debug!(%exception, "handler raised while closing"),
            Err(payload) => warn!(
                panic = panic_message(payload.as_ref()),
                "handler panicked while closing"
            ),
        }
    }

    /// The drive loop: write, parse and answer, read; until blocked.
    fn run(&mut self, cx: &mut Context<'_>, progress: &mut Progress) -> Drive {
        let mut reads = 0;
        // The last read emptied the socket: the next would only say
        // `WouldBlock`, so it is not made (one system call saved per
        // request on a kept-alive connection).
        let mut drained = false;
        loop {
            match self.output.write_to(&mut self.socket, &mut progress.wrote) {
                Ok(Flush::Done) => {}
                Ok(Flush::Blocked) => {
                    progress.blocked = true;
                    return Drive::Open;
                }
                Ok(Flush::Waiting) => {
                    // A response not ready yet (`later.rs`): queue it if
                    // it has come, else wait to be woken for it.
                    let (woken, key) = (cx.woken, cx.key);
                    let waker = || woken.waker_for(key);
                    match self.output.poll_later(waker, cx.date, cx.budget) {
                        None => return Drive::Open,
                        Some(keep_alive) => self.last_response |= !keep_alive,
                    }
                    continue;
                }
                Ok(Flush::Paused) => return Drive::Again,
                Ok(Flush::StreamPanicked(message)) => {
                    error!(
                        panic = message,
                        "response body panicked; closing the connection"
                    );
                    return Drive::Close;
                }
                Err(error) => {
                    debug!(%error, "write failed");
                    return Drive::Close;
                }
            }

            if self.last_response {
                return self.linger(cx);
            }
            if cx.shutting_down
                && self.parser.is_between_requests()
                && cx.input.unparsed().is_empty()
            {
                return Drive::Close;
            }

            // Answer every complete request already read before writing,
            // so the answers to pipelined requests leave in one write.
            let mut answered = false;
            let mut continue_owed = false;
            loop {
                match self.parser.parse(cx.input.unparsed(), cx.config) {
                    Ok(parsed) => {
                        cx.input.consume(parsed.consumed);
                        continue_owed = self.parser.take_continue();
                        let Some(request) = parsed.request else {
                            break;
                        };
                        progress.answered = true;
                        answered = true;
                        self.respond(request, cx);
                        if self.last_response || !self.output.can_batch() {
                            break;
                        }
                    }
                    Err(error) => {
                        debug!(%error, "bad request");
                        let message = format!("{error}\n");
                        self.output.push_error(error.status(), &message, cx.date);
                        self.last_response = true;
                        cx.input.clear();
                        break;
                    }
                }
            }
            if self.parser.is_in_body() && !self.last_response {
                // A body is charged all of its declared length as soon as
                // its head is read; one that cannot fit is refused at once,
                // whoever else is holding the memory. (A chunked body is
                // charged its capacity as it grows.)
                let held = budget::PER_CONNECTION
                    + cx.input.unparsed().len()
                    + self.parser.body_charge()
                    + self.output.held();
                if !self.charge.try_set(held) {
                    let used = cx.budget.memory();
                    debug!(held, used, "memory budget spent: refusing a request body");
                    let error = ParseError::Overloaded;
                    let message = format!("{error}\n");
                    self.output.push_error(error.status(), &message, cx.date);
                    self.last_response = true;
                    self.parser = Parser::new();
                    cx.input.clear();
                    continue;
                }
            }
            if continue_owed {
                // Only for a body the budget has room for.
                self.output.push_raw(CONTINUE);
            }
            if answered || self.last_response || !self.output.is_empty() {
                // Responses, an error, or a `100 Continue` to send before
                // reading on.
                continue;
            }

            // Read until the socket says `WouldBlock` or a read comes back
            // short. After a short read, new bytes raise a new
            // edge-triggered event; a FIN that came with the last bytes
            // does not, but its event said so (`client_closed`), and then
            // reading goes on until the end is seen.
            if drained {
                return Drive::Open;
            }
            if reads == READ_BUDGET {
                return Drive::Again;
            }
            reads += 1;
            match cx.input.read_from(&mut self.socket) {
                Ok(ReadOutcome::Data(count)) => progress.read += count,
                Ok(ReadOutcome::Drained(count)) => {
                    progress.read += count;
                    drained = !self.client_closed;
                }
                Ok(ReadOutcome::Eof) => {
                    // Whatever was complete has been answered; a request
                    // cut short has nobody left to answer.
                    trace!("client closed the connection");
                    return Drive::Close;
                }
                Ok(ReadOutcome::Full) => {
                    let status = Status::REQUEST_HEADER_FIELDS_TOO_LARGE;
                    let message = "request too large\n";
                    self.output.push_error(status, message, cx.date);
                    self.last_response = true;
                    cx.input.clear();
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => return Drive::Open,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => {
                    debug!(%error, "read failed");
                    return Drive::Close;
                }
            }
        }
    }

    /// Send `request` into the handler and queue what it yields.
    fn respond(&mut self, request: Request, cx: &mut Context<'_>) {
        self.answered_any = true;
        let meta = ResponseMeta {
            head_only: request.method == Method::Head,
            version: request.version,
            keep_alive: request.keep_alive && !cx.shutting_down,
        };
        trace!(
            method = request.method.as_str(),
            path = request.path(),
            "request"
        );
        let (response, healthy) = self.call_handler(request);
        let meta = ResponseMeta {
            keep_alive: meta.keep_alive && healthy,
            ..meta
        };
        if !self
            .output
            .push_response(response, meta, cx.date, cx.budget)
        {
            self.last_response = true;
        }
    }

    /// `handler.send(request)`, priming the handler first if this is its
    /// first request. Anything but a yielded response — a panic, an
    /// exception, a return, a yielded `None` — is answered `500`, and the
    /// `false` says the connection must close: the handler cannot be
    /// trusted with another request.
    fn call_handler(&mut self, request: Request) -> (Response, bool) {
        let handler = &mut self.handler;
        let outcome = catch_unwind(AssertUnwindSafe(move || {
            if handler.state() == GeneratorState::Created {
                // next(handler): runs to `request = yield None`.
                handler.next()?;
            }
            handler.send(request)
        }));
        let failure = match outcome {
            Ok(Ok(Some(response))) => return (response, true),
            Ok(Ok(None)) => "handler yielded no response".to_owned(),
            Ok(Err(Raised::StopIteration(_))) => "handler returned".to_owned(),
            Ok(Err(Raised::Exception(exception))) => format!("handler raised {exception}"),
            Err(payload) => format!("handler panicked: {}", panic_message(payload.as_ref())),
        };
        error!("{failure}; answering 500 and closing the connection");
        let response = Response::text(Status::INTERNAL_SERVER_ERROR, "internal server error\n");
        (response, false)
    }

    /// The last response is written: shut the write side and read (and
    /// drop) whatever the client still sends, until it closes.
    fn linger(&mut self, cx: &mut Context<'_>) -> Drive {
        if !self.lingering {
            self.lingering = true;
            // The FIN tells the client the response is complete (it is the
            // end of an HTTP/1.0 streamed body).
            let _ = self.socket.shutdown(Shutdown::Write);
        }
        for _ in 0..READ_BUDGET {
            cx.input.clear();
            match cx.input.read_from(&mut self.socket) {
                Ok(ReadOutcome::Data(_) | ReadOutcome::Drained(_) | ReadOutcome::Full) => {}
                Ok(ReadOutcome::Eof) => return Drive::Close,
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => return Drive::Open,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Drive::Close,
            }
        }
        cx.input.clear();
        Drive::Again
    }

    /// Work out what the connection now waits for. A new wait gets its
    /// deadline, except that a head keeps the one it had from connecting:
    /// bytes arriving never move a head's deadline. Within a body or a
    /// response, the deadline moves on one window each time the transfer
    /// has moved [`Config::min_transfer_rate`] times the window, and a
    /// body's never past its hard deadline.
    fn update_deadline(&mut self, cx: &Context<'_>, progress: &Progress) {
        let waiting = if self.lingering {
            Waiting::Lingering
        } else if !self.output.is_empty() {
            Waiting::Output
        } else if self.parser.is_in_body() {
            Waiting::Body
        } else if !self.leftover.is_empty() {
            Waiting::Head
        } else if self.answered_any {
            Waiting::NextRequest
        } else {
            Waiting::NewConnection
        };
        let config = cx.config;
        if waiting != self.waiting || progress.answered {
            let continues_head = waiting == Waiting::Head
                && self.waiting == Waiting::NewConnection
                && !progress.answered;
            self.waiting = waiting;
            self.moved = 0;
            self.uptake.forget();
            self.deadline = match waiting {
                Waiting::Head if continues_head => self.deadline,
                Waiting::NewConnection | Waiting::Head => cx.now + config.header_timeout,
                Waiting::Body => {
                    self.body_deadline = cx.now + config.body_deadline;
                    (cx.now + config.body_timeout).min(self.body_deadline)
                }
                Waiting::NextRequest => cx.now + config.keep_alive_timeout,
                Waiting::Output => cx.now + config.write_timeout,
                Waiting::Lingering => cx.now + config.linger_timeout,
            };
            return;
        }
        let (moved, window) = match waiting {
            Waiting::Body => (progress.read, config.body_timeout),
            Waiting::Output => (progress.wrote, config.write_timeout),
            _ => return,
        };
        let moved = u32::try_from(moved).unwrap_or(u32::MAX);
        self.moved = self.moved.saturating_add(moved);
        if moved > 0 && self.moved as usize >= config.bytes_per(window) {
            self.moved = 0;
            self.deadline = cx.now + window;
            if waiting == Waiting::Body {
                self.deadline = self.deadline.min(self.body_deadline);
            }
        }
    }
}
