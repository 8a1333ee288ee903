//! [`Response`]: what a handler yields — a status, headers and a body.
//!
//! A body is one of three things, because they are written differently:
//!
//! * [`ResponseBody::Empty`] and [`ResponseBody::Full`] have a length known
//!   in advance, so the server writes a `Content-Length` header and the
//!   bytes.
//! * [`ResponseBody::Stream`] is a sequence of chunks pulled lazily from an
//!   iterator, so the server does not know its length. It writes
//!   `Transfer-Encoding: chunked` and frames each piece as it goes, and it
//!   pulls the next piece only when the socket has taken the previous
//!   ones. However long the stream, the memory it uses is a chunk or two:
//!   that is how `GET /fib?n=100000` sends a gigabyte from a generator
//!   without ever holding more than a few kilobytes of it.
//!
//! The server owns the framing. `Content-Length`, `Transfer-Encoding` and
//! `Connection` are written by the event loop from the body and the
//! request; a handler that sets them is ignored (with a warning), so a
//! handler cannot make a response that lies about its own length.

use std::borrow::Cow;
use std::fmt;

use crate::Status;

/// The `Content-Type` of plain text, used by every response the server
/// writes itself.
pub const TEXT_PLAIN: &str = "text/plain; charset=utf-8";

/// A response body.
pub enum ResponseBody {
    /// No body: `Content-Length: 0`.
    Empty,
    /// A body held whole in memory.
    Full(Vec<u8>),
    /// A body produced piece by piece, written with chunked encoding (or,
    /// to an HTTP/1.0 client, which has no chunked encoding, written raw and
    /// ended by closing the connection). Empty pieces are skipped.
    Stream(Box<dyn Iterator<Item = Vec<u8>>>),
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseBody::Empty => f.write_str("Empty"),
            ResponseBody::Full(bytes) => write!(f, "Full({} bytes)", bytes.len()),
            ResponseBody::Stream(_) => f.write_str("Stream(..)"),
        }
    }
}

/// A response, as a handler yields it.
#[derive(Debug)]
pub struct Response {
    /// The status: `200 OK`.
    pub status: Status,
    /// Headers, in the order they are written. Names are compared without
    /// regard to case.
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// The body.
    pub body: ResponseBody,
}

impl Response {
    /// A response with no headers and no body.
    pub fn new(status: Status) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: ResponseBody::Empty,
        }
    }

    /// A plain-text response: `Response::text(Status::OK, "Hello, World!")`.
    pub fn text(status: Status, body: impl Into<String>) -> Response {
        Response::new(status)
            .header("Content-Type", TEXT_PLAIN)
            .body(body.into().into_bytes())
    }

    /// A response whose body is streamed from `chunks`, each item written
    /// as it is pulled. The iterator is not touched until the connection
    /// is ready to write.
    pub fn stream(status: Status, chunks: impl Iterator<Item = Vec<u8>> + 'static) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: ResponseBody::Stream(Box::new(chunks)),
        }
    }

    /// This response with one more header.
    pub fn header(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// This response with `bytes` as its whole body.
    pub fn body(mut self, bytes: Vec<u8>) -> Self {
        self.body = ResponseBody::Full(bytes);
        self
    }

    /// The value of the first header called `name`, whatever its case.
    pub fn get_header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_responses_say_they_are_text() {
        let response = Response::text(Status::OK, "Hello, World!").header("X-Count", "1");
        assert_eq!(response.get_header("Content-Type"), Some(TEXT_PLAIN));
        assert_eq!(response.get_header("x-count"), Some("1"));
        assert!(matches!(&response.body, ResponseBody::Full(b) if b == b"Hello, World!"));
        assert_eq!(format!("{:?}", response.body), "Full(13 bytes)");
    }
}
