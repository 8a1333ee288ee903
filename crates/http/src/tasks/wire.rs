//! The handler model's HTTP/1.1, packaged for a task that does its own
//! I/O: [`Incoming`] is the [`Parser`] with the bytes it has not used yet,
//! [`Outgoing`] is the response serialisation (framing, `HEAD`, HTTP/1.0,
//! streamed bodies pulled a chunk at a time). Neither touches a socket:
//! the task moves the bytes with `Recv` and `Send`.
//!
//! Both keep the handler model's limits: the deadlines of [`Incoming::wait`]
//! are its timeouts (a hard one for a head, a minimum rate and a hard one
//! for a body), a body is charged to the scheduler's memory budget as it
//! arrives and refused with `503` past it, and a streamed response takes
//! one of the scheduler's streams or is answered `503`.

use std::rc::Rc;
use std::time::{Instant, SystemTime};

use tracing::error;

use crate::budget::{self, Budget, Charge};
use crate::date::HttpDate;
use crate::output::{Flush, Output, ResponseMeta};
use crate::recycle;
use crate::{Config, Method, ParseError, Parser, Request, Response, ResponseBody, Status};

/// The interim response owed to a client that sent `Expect: 100-continue`.
pub const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

/// What [`read_request`](Incoming) ends with: a request, the end of the
/// connection, or a refusal to answer with its status and close.
#[derive(Debug)]
pub enum Received {
    /// A whole request.
    Request(Request),
    /// The client closed the connection between requests (or mid-request,
    /// when there is nobody left to answer).
    End,
    /// A request that must be refused: `400`, `408`, `413`, `431`, `501`,
    /// `505`, with the message for the body.
    Refused(Status, String),
}

/// What a connection is waiting for, which decides its timeout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wait {
    NewConnection,
    NextRequest,
    Head,
    Body,
}

/// A connection's incoming side: its parser and the bytes not parsed yet.
///
/// Boxed: a task hands it to `read_request` and gets it back for every
/// request, through each layer of the generator that returns it, and a
/// pointer is moved in an instruction where the whole state took a copy
/// of a hundred-odd bytes at every one of them.
#[derive(Debug)]
pub struct Incoming(Box<IncomingState>);

#[derive(Debug)]
struct IncomingState {
    parser: Parser,
    /// Usually empty, and then holding no capacity.
    buffer: Vec<u8>,
    /// Where the unparsed bytes in `buffer` start: pipelined requests are
    /// parsed one after another from where the last one ended, and the
    /// rest is moved to the front only when more bytes arrive.
    start: usize,
    /// At least one request has been read.
    answered_any: bool,
    /// What the current deadline is for, and when it passes.
    waiting: Option<(Wait, Instant)>,
    /// When the current body must be whole, whatever its rate.
    body_deadline: Instant,
    /// Bytes received in the current window of a body.
    moved: usize,
    /// The buffer and the body, charged to the scheduler's budget.
    charge: Charge,
}

impl Default for Incoming {
    fn default() -> Incoming {
        Incoming::new()
    }
}

impl Incoming {
    /// Nothing received yet; what arrives is charged to the memory budget
    /// of the scheduler running this thread (none outside one).
    pub fn new() -> Incoming {
        Incoming(Box::new(IncomingState {
            parser: Parser::new(),
            buffer: Vec::new(),
            start: 0,
            answered_any: false,
            waiting: None,
            body_deadline: Instant::now(),
            moved: 0,
            charge: Charge::current(),
        }))
    }

    /// Bytes that arrived, as `Recv` handed them over: with nothing left
    /// unparsed they become the buffer as they are, not copied.
    pub fn feed(&mut self, data: Vec<u8>) {
        let state = &mut *self.0;
        state.moved = state.moved.saturating_add(data.len());
        if state.buffer.is_empty() {
            recycle::give_bytes(std::mem::replace(&mut state.buffer, data));
        } else {
            state.buffer.drain(..state.start);
            state.start = 0;
            state.buffer.extend_from_slice(&data);
            recycle::give_bytes(data);
        }
    }

    /// The next whole request, if it has arrived; an error means answer
    /// with its status and close. A body that would overdraw the memory
    /// budget is [`ParseError::Overloaded`], as soon as its head is read:
    /// it is charged its whole declared length then (see
    /// [`Parser::body_charge`]), and the buffer its capacity.
    pub fn next_request(&mut self, config: &Config) -> Result<Option<Request>, ParseError> {
        let state = &mut *self.0;
        let parsed = match state.parser.parse(&state.buffer[state.start..], config) {
            Ok(parsed) => parsed,
            Err(error) => {
                recycle::give_bytes(std::mem::take(&mut state.buffer));
                state.start = 0;
                state.charge.set(0);
                return Err(error);
            }
        };
        state.start += parsed.consumed;
        if state.start == state.buffer.len() {
            // Given back for the next read, on any connection.
            recycle::give_bytes(std::mem::take(&mut state.buffer));
            state.start = 0;
        }
        let held = budget::PER_CONNECTION + state.buffer.capacity() + state.parser.body_charge();
        if state.parser.is_in_body() && !state.charge.try_set(held) {
            state.parser = Parser::new();
            state.buffer = Vec::new();
            state.start = 0;
            state.charge.set(0);
            return Err(ParseError::Overloaded);
        }
        state.charge.set(held);
        if parsed.request.is_some() {
            state.answered_any = true;
            state.waiting = None;
        }
        Ok(parsed.request)
    }

    /// The deadline and idleness of the next `Recv`: the handler model's
    /// timeouts. A head has `header_timeout` from connecting (the first
    /// request) or from its first byte (later ones), and bytes arriving
    /// never move it. A body has `body_timeout`, moved on each time that
    /// much has arrived at `min_transfer_rate`, and never past
    /// `body_deadline` from its start. A kept-alive connection has
    /// `keep_alive_timeout` between requests, and is idle then (a graceful
    /// shutdown closes it there).
    pub fn wait(&mut self, config: &Config) -> (Instant, bool) {
        let state = &mut *self.0;
        let wait = if state.parser.is_in_body() {
            Wait::Body
        } else if !state.buffer.is_empty() {
            Wait::Head
        } else if state.answered_any {
            Wait::NextRequest
        } else {
            Wait::NewConnection
        };
        let deadline = match state.waiting {
            Some((Wait::Body, deadline)) if wait == Wait::Body => {
                if state.moved >= config.bytes_per(config.body_timeout) {
                    state.moved = 0;
                    (Instant::now() + config.body_timeout).min(state.body_deadline)
                } else {
                    deadline
                }
            }
            Some((waiting, deadline)) if waiting == wait => deadline,
            // The first request's head has had its time since connecting.
            Some((Wait::NewConnection, deadline)) if wait == Wait::Head => deadline,
            _ => {
                state.moved = 0;
                let now = Instant::now();
                match wait {
                    Wait::NewConnection | Wait::Head => now + config.header_timeout,
                    Wait::Body => {
                        state.body_deadline = now + config.body_deadline;
                        (now + config.body_timeout).min(state.body_deadline)
                    }
                    Wait::NextRequest => now + config.keep_alive_timeout,
                }
            }
        };
        state.waiting = Some((wait, deadline));
        let idle = matches!(wait, Wait::NewConnection | Wait::NextRequest);
        (deadline, idle)
    }

    /// Whether a `100 Continue` is owed now (once).
    pub fn take_continue(&mut self) -> bool {
        self.0.parser.take_continue()
    }

    /// Between requests, with no byte of the next one here.
    pub fn is_idle(&self) -> bool {
        self.0.parser.is_between_requests() && self.0.buffer.is_empty()
    }

    /// In a request's body.
    pub fn is_in_body(&self) -> bool {
        self.0.parser.is_in_body()
    }
}

/// What a response needs to know of its request, taken before the
/// request is handed to `route`.
#[derive(Clone, Copy, Debug)]
pub struct Answering(ResponseMeta);

impl Answering {
    /// `HEAD` or not, the version, and whether the client keeps the
    /// connection open.
    pub fn of(request: &Request) -> Answering {
        Answering(ResponseMeta {
            head_only: request.method == Method::Head,
            version: request.version,
            keep_alive: request.keep_alive,
        })
    }
}

/// A connection's outgoing side: responses serialised as the handler
/// model does, handed out as byte strings to `Send`.
pub struct Outgoing {
    output: Output,
    /// A streamed body panicked after handing out its last bytes: the
    /// message, for the next call.
    panicked: Option<String>,
    /// The scheduler's budget, whose streams a streamed body takes.
    budget: Rc<Budget>,
}

impl Default for Outgoing {
    fn default() -> Outgoing {
        Outgoing::new()
    }
}

impl Outgoing {
    /// Nothing to send; streams count against the scheduler running this
    /// thread (none outside one).
    pub fn new() -> Outgoing {
        Outgoing {
            output: Output::new(),
            panicked: None,
            budget: budget::current(),
        }
    }

    /// Queue `response` to `answering`; whether the connection may stay
    /// open after it. A streamed body past the scheduler's stream limit
    /// is answered `503` with `Retry-After` instead.
    ///
    /// A response that is not ready yet ([`Response::later`]) cannot be
    /// waited for here: a task's scheduler has no way to be woken for it.
    /// It is answered `500`, with an error logged.
    #[inline]
    pub fn response(&mut self, response: Response, answering: Answering) -> bool {
        if matches!(response.body, ResponseBody::Later(_)) {
            return self.refuse_later(answering);
        }
        self.output
            .push_response(response, answering.0, &date(), &self.budget)
    }

    /// [`response`](Outgoing::response)'s `500` for a later response: out
    /// of line, so that the path every response takes stays small enough
    /// to be inlined where it is called.
    #[cold]
    #[inline(never)]
    fn refuse_later(&mut self, answering: Answering) -> bool {
        error!("the task model cannot wait for a later response; answering 500");
        let refusal = Response::text(Status::INTERNAL_SERVER_ERROR, "internal server error\n");
        self.output
            .push_response(refusal, answering.0, &date(), &self.budget)
    }

    /// Queue a plain-text error that ends the connection.
    pub fn error(&mut self, status: Status, message: &str) {
        self.output.push_error(status, message, &date());
    }

    /// The next bytes to `Send`: about a chunk of a streamed body at a
    /// time, pulled only when asked for. `None` when all is out;
    /// `Some(Err(message))` when a streamed body panicked (its bytes so far
    /// were handed out; the connection must close).
    pub fn next_bytes(&mut self) -> Option<Result<Vec<u8>, String>> {
        if let Some(message) = self.panicked.take() {
            return Some(Err(message));
        }
        if self.output.is_finished() {
            self.output.release();
            return None;
        }
        // A whole answer (the usual case) goes as it is, in the buffer it
        // was written into.
        if let Some(bytes) = self.output.take_whole() {
            return Some(Ok(bytes));
        }
        // Otherwise a spare buffer of this thread's, which the scheduler
        // gives back once it has written it.
        let mut bytes = recycle::take_bytes();
        let mut wrote = 0;
        // One batch at a time: a stream is pulled only when the task comes
        // back for more, that is, when the last `Send` is done.
        let flush = self
            .output
            .write_to(&mut OnePull(&mut bytes, false), &mut wrote);
        if let Ok(Flush::StreamPanicked(message)) = flush {
            if bytes.is_empty() {
                return Some(Err(message));
            }
            self.panicked = Some(message);
        }
        if bytes.is_empty() {
            recycle::give_bytes(bytes);
            self.output.release();
            None
        } else {
            Some(Ok(bytes))
        }
    }
}

/// A writer that takes one batch of bytes and then says `WouldBlock`, so
/// `Output::write_to` hands over what it has without pulling further.
struct OnePull<'a>(&'a mut Vec<u8>, bool);

impl std::io::Write for OnePull<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.1 {
            return Err(std::io::ErrorKind::WouldBlock.into());
        }
        self.1 = true;
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

thread_local! {
    static DATE: std::cell::RefCell<HttpDate> = std::cell::RefCell::new(HttpDate::now());
    /// A scheduler on this thread brings `DATE` up to date once a turn, as
    /// the handler model's event loop does, so a response need not read
    /// the clock.
    static KEPT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The `Date` header's text, remade at most once a second per thread.
fn date() -> HttpDate {
    if !KEPT.with(std::cell::Cell::get) {
        refresh_date();
    }
    DATE.with(|date| date.borrow().clone())
}

/// Read the clock for the `Date` header.
pub(super) fn refresh_date() {
    DATE.with(|date| date.borrow_mut().update(SystemTime::now()));
}

/// This thread's scheduler refreshes the date (with [`refresh_date`]) at
/// every turn until the guard is dropped.
pub(super) fn keep_date() -> KeptDate {
    refresh_date();
    KEPT.with(|kept| kept.set(true));
    KeptDate(())
}

/// While alive, `date()` trusts the scheduler to keep the date.
pub(super) struct KeptDate(());

impl Drop for KeptDate {
    fn drop(&mut self) {
        KEPT.with(|kept| kept.set(false));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_head_keeps_the_deadline_it_had_from_connecting() {
        let config = Config::default();
        let mut incoming = Incoming::new();
        let (connected, idle) = incoming.wait(&config);
        assert!(idle);
        for piece in [&b"GET / HT"[..], b"TP/1.1\r\n", b"Host: t\r\n"] {
            incoming.feed(piece.to_vec());
            assert!(incoming.next_request(&config).unwrap().is_none());
            assert_eq!(incoming.wait(&config), (connected, false));
        }
    }

    #[test]
    fn a_body_moves_its_deadline_only_at_the_rate_and_never_past_the_end() {
        let config = Config {
            body_timeout: Duration::from_secs(1),
            body_deadline: Duration::from_secs(5),
            min_transfer_rate: 1000,
            ..Config::default()
        };
        let mut incoming = Incoming::new();
        incoming.feed(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n".to_vec());
        assert!(incoming.next_request(&config).unwrap().is_none());
        let (first, idle) = incoming.wait(&config);
        assert!(!idle);
        // A trickle is not enough to move it...
        for _ in 0..10 {
            incoming.feed(b"x".to_vec());
            assert!(incoming.next_request(&config).unwrap().is_none());
            assert_eq!(incoming.wait(&config).0, first);
        }
        // ... a window's worth at the rate is.
        incoming.feed(vec![b'x'; 1000]);
        assert!(incoming.next_request(&config).unwrap().is_none());
        let (moved, _) = incoming.wait(&config);
        assert!(moved >= first);
        assert!(moved <= incoming.0.body_deadline);
    }

    #[test]
    fn a_body_whose_declared_length_cannot_fit_is_503_at_once() {
        let _installed = budget::install(Budget::new(14_000, 1));
        let config = Config::default();
        let head = |length: usize| {
            format!("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: {length}\r\n\r\n")
                .into_bytes()
        };
        // One that fits is charged all of it before its body comes...
        let mut fits = Incoming::new();
        fits.feed(head(4000));
        assert!(fits.next_request(&config).unwrap().is_none());
        let promised = budget::current().memory();
        assert!(promised > 4000);
        // ... so the next is refused on its head alone.
        let mut refused = Incoming::new();
        refused.feed(head(2001));
        let error = refused.next_request(&config).unwrap_err();
        assert_eq!(error, ParseError::Overloaded);
        assert_eq!(error.status(), Status::SERVICE_UNAVAILABLE);
        assert_eq!(budget::current().memory(), promised);
        // The first one's body never grows past its charge.
        fits.feed(vec![b'x'; 3999]);
        assert!(fits.next_request(&config).unwrap().is_none());
        assert_eq!(budget::current().memory(), promised);
        fits.feed(b"x".to_vec());
        let request = fits.next_request(&config).unwrap().unwrap();
        assert_eq!(request.body.capacity(), 4000);
        assert_eq!(budget::current().memory(), budget::PER_CONNECTION);
        drop(fits);
        assert_eq!(budget::current().memory(), 0);
    }
}
