//! The handler model's HTTP/1.1, packaged for a task that does its own
//! I/O: [`Incoming`] is the [`Parser`] with the bytes it has not used yet,
//! [`Outgoing`] is the response serialisation (framing, `HEAD`, HTTP/1.0,
//! streamed bodies pulled a chunk at a time). Neither touches a socket:
//! the task moves the bytes with `Recv` and `Send`.

use std::time::{Instant, SystemTime};

use crate::date::HttpDate;
use crate::output::{Flush, Output, ResponseMeta};
use crate::{Config, Method, ParseError, Parser, Request, Response, Status};

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
#[derive(Debug, Default)]
pub struct Incoming {
    parser: Parser,
    /// Usually empty, and then holding no capacity.
    buffer: Vec<u8>,
    /// At least one request has been read.
    answered_any: bool,
    /// What the current deadline is for, and when it passes.
    waiting: Option<(Wait, Instant)>,
}

impl Incoming {
    /// Nothing received yet.
    pub fn new() -> Incoming {
        Incoming::default()
    }

    /// Bytes that arrived.
    pub fn feed(&mut self, data: &[u8]) {
        if self.buffer.is_empty() {
            self.buffer = data.to_vec();
        } else {
            self.buffer.extend_from_slice(data);
        }
    }

    /// The next whole request, if it has arrived; an error means answer
    /// with its status and close.
    pub fn next_request(&mut self, config: &Config) -> Result<Option<Request>, ParseError> {
        let parsed = match self.parser.parse(&self.buffer, config) {
            Ok(parsed) => parsed,
            Err(error) => {
                self.buffer = Vec::new();
                return Err(error);
            }
        };
        if parsed.consumed == self.buffer.len() {
            self.buffer = Vec::new();
        } else {
            self.buffer.drain(..parsed.consumed);
        }
        if parsed.request.is_some() {
            self.answered_any = true;
            self.waiting = None;
        }
        Ok(parsed.request)
    }

    /// The deadline and idleness of the next `Recv`: the handler model's
    /// timeouts. A new connection and a head have `header_timeout` from
    /// their first wait; a body has `body_timeout` from its last bytes; a
    /// kept-alive connection has `keep_alive_timeout` between requests,
    /// and is idle then (a graceful shutdown closes it there).
    pub fn wait(&mut self, config: &Config) -> (Instant, bool) {
        let wait = if self.parser.is_in_body() {
            Wait::Body
        } else if !self.buffer.is_empty() {
            Wait::Head
        } else if self.answered_any {
            Wait::NextRequest
        } else {
            Wait::NewConnection
        };
        let deadline = match self.waiting {
            Some((waiting, deadline)) if waiting == wait && wait != Wait::Body => deadline,
            _ => {
                let timeout = match wait {
                    Wait::NewConnection | Wait::Head => config.header_timeout,
                    Wait::Body => config.body_timeout,
                    Wait::NextRequest => config.keep_alive_timeout,
                };
                Instant::now() + timeout
            }
        };
        self.waiting = Some((wait, deadline));
        let idle = matches!(wait, Wait::NewConnection | Wait::NextRequest);
        (deadline, idle)
    }

    /// Whether a `100 Continue` is owed now (once).
    pub fn take_continue(&mut self) -> bool {
        self.parser.take_continue()
    }

    /// Between requests, with no byte of the next one here.
    pub fn is_idle(&self) -> bool {
        self.parser.is_between_requests() && self.buffer.is_empty()
    }

    /// In a request's body.
    pub fn is_in_body(&self) -> bool {
        self.parser.is_in_body()
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
#[derive(Default)]
pub struct Outgoing {
    output: Output,
    /// A streamed body panicked after handing out its last bytes: the
    /// message, for the next call.
    panicked: Option<String>,
}

impl Outgoing {
    /// Nothing to send.
    pub fn new() -> Outgoing {
        Outgoing::default()
    }

    /// Queue `response` to `answering`; whether the connection may stay
    /// open after it.
    pub fn response(&mut self, response: Response, answering: Answering) -> bool {
        self.output
            .push_response(response, answering.0, date().as_bytes())
    }

    /// Queue a plain-text error that ends the connection.
    pub fn error(&mut self, status: Status, message: &str) {
        self.output.push_error(status, message, date().as_bytes());
    }

    /// The next bytes to `Send`: about a chunk of a streamed body at a
    /// time, pulled only when asked for. `None` when all is out;
    /// `Some(Err(message))` when a streamed body panicked (its bytes so far
    /// were handed out; the connection must close).
    pub fn next_bytes(&mut self) -> Option<Result<Vec<u8>, String>> {
        if let Some(message) = self.panicked.take() {
            return Some(Err(message));
        }
        let mut bytes = Vec::new();
        let mut wrote = false;
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

/// The `Date` header's text, remade at most once a second per thread.
fn date() -> HttpDate {
    thread_local! {
        static DATE: std::cell::RefCell<HttpDate> = std::cell::RefCell::new(HttpDate::now());
    }
    DATE.with(|date| {
        let mut date = date.borrow_mut();
        date.update(SystemTime::now());
        date.clone()
    })
}
