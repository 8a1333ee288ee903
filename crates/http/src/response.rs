//! [`Response`]: what a handler yields — a status, headers and a body.
//!
//! A body is one of three things, because they are written differently:
//!
//! * [`ResponseBody::Empty`] and [`ResponseBody::Full`] have a length known
//!   in advance, so the server writes a `Content-Length` header and the
//!   bytes. A full body is a `Cow`: text fixed in the program
//!   (`"Hello, World!"`) is borrowed, not copied into a fresh `Vec`.
//! * [`ResponseBody::Stream`] is a sequence of chunks pulled lazily from an
//!   iterator, so the server does not know its length. It writes
//!   `Transfer-Encoding: chunked` and frames each piece as it goes, and it
//!   pulls the next piece only when the socket has taken the previous
//!   ones. However long the stream, the memory it uses is a chunk or two:
//!   that is how `GET /fib?n=100000` sends a gigabyte from a generator
//!   without ever holding more than a few kilobytes of it.
//! * [`ResponseBody::Later`] stands for a whole response that another
//!   thread is still making ([`Response::later`], `later.rs`): the
//!   connection waits for it without holding up the event loop.
//!
//! The server owns the framing. `Content-Length`, `Transfer-Encoding` and
//! `Connection` are written by the event loop from the body and the
//! request; a handler that sets them is ignored (with a warning), so a
//! handler cannot make a response that lies about its own length.

use std::borrow::Cow;
use std::fmt;

use tracing::warn;

use crate::Status;
use crate::later::{self, Later, Reply};
use crate::recycle;

/// The `Content-Type` of plain text, used by every response the server
/// writes itself.
pub const TEXT_PLAIN: &str = "text/plain; charset=utf-8";

/// The `Content-Type` line of a [`Response::text`], as it goes on the
/// wire.
const TEXT_PLAIN_LINE: &[u8] = b"Content-Type: text/plain; charset=utf-8\r\n";

/// A response body.
pub enum ResponseBody {
    /// No body: `Content-Length: 0`.
    Empty,
    /// A body held whole in memory: borrowed for one fixed in the
    /// program, owned for one made at run time.
    Full(Cow<'static, [u8]>),
    /// A body produced piece by piece, written with chunked encoding (or,
    /// to an HTTP/1.0 client, which has no chunked encoding, written raw and
    /// ended by closing the connection). Empty pieces are skipped.
    Stream(Box<dyn Iterator<Item = Vec<u8>>>),
    /// Not a body but the whole response, still being made on another
    /// thread: what it will be comes through the [`Reply`] that
    /// [`Response::later`] returned with it.
    Later(Later),
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseBody::Empty => f.write_str("Empty"),
            ResponseBody::Full(bytes) => write!(f, "Full({} bytes)", bytes.len()),
            ResponseBody::Stream(_) => f.write_str("Stream(..)"),
            ResponseBody::Later(_) => f.write_str("Later(..)"),
        }
    }
}

/// A response, as a handler yields it.
///
/// Its headers are kept as the lines that go on the wire,
/// `Name: value\r\n` one after another, each written and checked once,
/// by [`header`](Response::header): the server copies them out in one
/// piece. [`headers`](Response::headers) reads them back.
pub struct Response {
    /// The status: `200 OK`.
    pub status: Status,
    /// The header lines, in the order they were added.
    lines: Vec<u8>,
    /// The body.
    pub body: ResponseBody,
}

impl Response {
    /// A response with no headers and no body.
    pub fn new(status: Status) -> Response {
        Response {
            status,
            lines: recycle::take_header_lines(),
            body: ResponseBody::Empty,
        }
    }

    /// A plain-text response: `Response::text(Status::OK, "Hello, World!")`.
    /// Text fixed in the program is sent from where it is, not copied.
    pub fn text(status: Status, body: impl Into<Cow<'static, str>>) -> Response {
        let body = match body.into() {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        };
        // Put together in place rather than with `.header()` and `.body()`,
        // which would move the whole response in and out twice.
        let mut lines = recycle::take_header_lines();
        lines.extend_from_slice(TEXT_PLAIN_LINE);
        Response {
            status,
            lines,
            body: ResponseBody::Full(body),
        }
    }

    /// A response whose body is streamed from `chunks`, each item written
    /// as it is pulled. The iterator is not touched until the connection
    /// is ready to write.
    pub fn stream(status: Status, chunks: impl Iterator<Item = Vec<u8>> + 'static) -> Response {
        Response {
            body: ResponseBody::Stream(Box::new(chunks)),
            ..Response::new(status)
        }
    }

    /// A response that is not ready yet, and the [`Reply`] that finishes
    /// it: yield the first, move the second to a thread that makes the
    /// answer and calls [`Reply::send`]. The event loop serves other
    /// connections meanwhile, and writes the answer when it comes.
    /// The placeholder's status and headers are not written: the
    /// answer's are (see `later.rs`).
    ///
    /// ```
    /// use pygen_http::{Response, Status};
    ///
    /// let (response, reply) = Response::later();
    /// std::thread::spawn(move || {
    ///     let answer = "slow work done".to_owned(); // on this thread
    ///     reply.send(move || Response::text(Status::OK, answer));
    /// });
    /// // A handler yields `response`.
    /// # drop(response);
    /// ```
    pub fn later() -> (Response, Reply) {
        let (later, reply) = later::pair();
        let response = Response {
            body: ResponseBody::Later(later),
            ..Response::new(Status::OK)
        };
        (response, reply)
    }

    /// This response with one more header. A value is text
    /// (`"text/plain"`, a `String`) or a number (`.header("X-Count", 3)`).
    ///
    /// The server writes the framing headers itself (`Content-Length`,
    /// `Transfer-Encoding`, `Connection`) and the `Date`, and a name that
    /// is not a token or a value with a control character in it would let
    /// a handler split the response in two: such a header is dropped here,
    /// with a warning, and the response goes out without it.
    ///
    /// Always inlined: where the name is a literal, the checks on it are
    /// then made by the compiler, and the `Cow` that carries it is never
    /// built.
    #[inline(always)]
    pub fn header(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<HeaderValue>,
    ) -> Self {
        let (name, value) = (name.into(), value.into());
        match check_header(&name, &value) {
            Ok(()) => put_line(&mut self.lines, name.as_bytes(), value.as_bytes()),
            Err(why) => warn_dropped(&name, why),
        }
        self
    }

    /// This response with `bytes` as its whole body: a `Vec<u8>`, or a
    /// `&'static [u8]` fixed in the program.
    pub fn body(mut self, bytes: impl Into<Cow<'static, [u8]>>) -> Self {
        self.body = ResponseBody::Full(bytes.into());
        self
    }

    /// The headers, as `(name, value)`, in the order they were added.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.lines
            .split(|&byte| byte == b'\n')
            .filter_map(|line| std::str::from_utf8(line.strip_suffix(b"\r")?).ok())
            .filter_map(|line| line.split_once(": "))
    }

    /// The value of the first header called `name`, whatever its case.
    pub fn get_header(&self, name: &str) -> Option<&str> {
        self.headers()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// The response in its parts, for the server to write: the status,
    /// the header lines as they go on the wire, and the body.
    pub(crate) fn into_parts(self) -> (Status, Vec<u8>, ResponseBody) {
        (self.status, self.lines, self.body)
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers().collect::<Vec<_>>())
            .field("body", &self.body)
            .finish()
    }
}

/// Append the line `name: value\r\n` to `lines`. Inlined, so that a
/// name known when compiling is copied without a call.
#[inline(always)]
fn put_line(lines: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    lines.reserve(name.len() + value.len() + 4);
    lines.extend_from_slice(name);
    lines.extend_from_slice(b": ");
    lines.extend_from_slice(value);
    lines.extend_from_slice(b"\r\n");
}

/// Log a header that is not written. Rare, and kept out of the way of
/// the code that builds every response.
#[cold]
fn warn_dropped(name: &str, why: &str) {
    warn!(header = %name, "dropping a response header: {why}");
}

/// Why a header cannot be written, if it cannot. The server writes the
/// framing headers itself; a name that is not a token or a value with a
/// line break would let a handler split the response in two.
///
/// Only text made at run time has its syntax checked in a release build:
/// a name or value fixed in the program (`&'static str`) is the program's
/// own, not a peer's, and a number is digits. Debug builds, and so the
/// tests, check those too. This runs for every header of every response,
/// and checking `Content-Type: text/plain; charset=utf-8` byte by byte
/// was a tenth of the cost of writing a small response.
#[expect(
    clippy::ptr_arg,
    reason = "whether the name is borrowed from the program is what matters"
)]
#[inline(always)]
fn check_header(name: &Cow<'static, str>, value: &HeaderValue) -> Result<(), &'static str> {
    const RESERVED: [&str; 4] = ["Content-Length", "Transfer-Encoding", "Connection", "Date"];
    if RESERVED
        .iter()
        .any(|reserved| name.eq_ignore_ascii_case(reserved))
    {
        return Err("the server writes this header itself");
    }
    let made_at_run_time = matches!(name, Cow::Owned(_)) || value.is_made_at_run_time();
    if made_at_run_time || cfg!(debug_assertions) {
        check_syntax(name, value.as_str())?;
    }
    Ok(())
}

/// A header's name is a token, and its value has no control character.
fn check_syntax(name: &str, value: &str) -> Result<(), &'static str> {
    if name.is_empty() || !name.bytes().all(|b| TOKEN[b as usize]) {
        return Err("the name is not a token");
    }
    // Every byte is looked at, with no early exit, so that the compiler
    // can check many at a time.
    let control = value.bytes().fold(false, |found, b| {
        found | ((b < 0x20 && b != b'\t') | (b == 0x7f))
    });
    if control {
        return Err("the value has a control character");
    }
    Ok(())
}

/// The bytes of a token (RFC 9110 §5.6.2), by value.
const TOKEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        byte += 1;
    }
    table
};

/// A response header's value: text, or a number kept as its digits, so
/// that `X-Request-Count: 42` needs no `String` of its own. Text equals
/// text with the same letters, however it is held; a number equals only
/// the same number.
#[derive(Clone, PartialEq, Eq)]
pub struct HeaderValue(Value);

#[derive(Clone, PartialEq, Eq)]
enum Value {
    Text(Cow<'static, str>),
    /// The decimal digits of a `u64` (at most 20), right-aligned.
    Number {
        digits: [u8; 20],
        start: u8,
    },
}

impl HeaderValue {
    /// The value as it is written on the wire.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Value::Text(text) => text,
            Value::Number { digits, start } => {
                // Only ASCII digits were ever written there.
                std::str::from_utf8(&digits[*start as usize..]).unwrap_or_default()
            }
        }
    }
}

impl HeaderValue {
    /// The value's bytes, as they go on the wire.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Value::Text(text) => text.as_bytes(),
            Value::Number { digits, start } => &digits[*start as usize..],
        }
    }

    /// Whether the value was made while the program runs (a `String`),
    /// rather than fixed in it or a number: only such a value can carry
    /// what a peer sent.
    pub(crate) fn is_made_at_run_time(&self) -> bool {
        matches!(self.0, Value::Text(Cow::Owned(_)))
    }
}

impl From<u64> for HeaderValue {
    // Not inlined: a handler's `.header(name, number)` stays small enough
    // to be inlined itself.
    #[inline(never)]
    fn from(number: u64) -> HeaderValue {
        let mut digits = [0u8; 20];
        let start = put_decimal(number, &mut digits, 20);
        HeaderValue(Value::Number {
            digits,
            start: start as u8,
        })
    }
}

/// Write `number` in decimal into `bytes`, ending just before `end`, and
/// return where it starts: two digits at a time from the right, straight
/// into place. `end` leaves room for 20 digits, as many as a `u64` has.
///
/// This is what `itoa` does, but `itoa` writes into a buffer of its own,
/// which then has to be copied: for the two numbers of every response
/// (`X-Request-Count` and `Content-Length`), formatting them with `itoa`
/// and copying them cost 87 more instructions a request
/// (`scripts/request_instructions.py`, nightly handler, 1,902 -> 1,989).
pub(crate) fn put_decimal<const N: usize>(number: u64, bytes: &mut [u8; N], end: usize) -> usize {
    const PAIRS: &[u8; 200] = b"\
        0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut start = end;
    let mut rest = number;
    while rest >= 100 {
        let pair = (rest % 100) as usize * 2;
        rest /= 100;
        start -= 2;
        bytes[start..start + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if rest >= 10 {
        let pair = rest as usize * 2;
        start -= 2;
        bytes[start..start + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        start -= 1;
        bytes[start] = b'0' + rest as u8;
    }
    start
}

impl From<usize> for HeaderValue {
    fn from(number: usize) -> HeaderValue {
        HeaderValue::from(number as u64)
    }
}

impl From<&'static str> for HeaderValue {
    fn from(text: &'static str) -> HeaderValue {
        HeaderValue(Value::Text(Cow::Borrowed(text)))
    }
}

impl From<String> for HeaderValue {
    fn from(text: String) -> HeaderValue {
        HeaderValue(Value::Text(Cow::Owned(text)))
    }
}

impl From<Cow<'static, str>> for HeaderValue {
    fn from(text: Cow<'static, str>) -> HeaderValue {
        HeaderValue(Value::Text(text))
    }
}

impl fmt::Display for HeaderValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for HeaderValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
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
        assert!(matches!(&response.body, ResponseBody::Full(b) if **b == *b"Hello, World!"));
        assert!(matches!(
            &response.body,
            ResponseBody::Full(Cow::Borrowed(_))
        ));
        assert_eq!(format!("{:?}", response.body), "Full(13 bytes)");
        assert_eq!(
            response.headers().collect::<Vec<_>>(),
            [("Content-Type", TEXT_PLAIN), ("X-Count", "1")]
        );
        assert_ne!(HeaderValue::from("1"), HeaderValue::from(1u64));
        assert_eq!(HeaderValue::from("1"), HeaderValue::from("1".to_owned()));
        assert_eq!(HeaderValue::from(42u64), HeaderValue::from(42usize));
    }

    #[test]
    fn numbers_are_header_values_without_a_string() {
        for (number, text) in [
            (0u64, "0"),
            (7, "7"),
            (9, "9"),
            (10, "10"),
            (42, "42"),
            (99, "99"),
            (100, "100"),
            (101, "101"),
            (1000, "1000"),
            (12_345, "12345"),
            (u64::MAX, "18446744073709551615"),
        ] {
            let value = HeaderValue::from(number);
            assert_eq!(value.as_str(), text);
            assert_eq!(value.to_string(), text);
        }
        let response = Response::new(Status::OK).header("X-Count", 3usize);
        assert_eq!(response.get_header("x-count"), Some("3"));
        assert_eq!(format!("{:?}", HeaderValue::from("a")), "\"a\"");
    }

    /// `Response::text` writes its `Content-Type` line without the check
    /// every `.header()` makes: the line is checked here instead.
    #[test]
    fn the_ready_made_line_is_a_valid_header() {
        let line = std::str::from_utf8(TEXT_PLAIN_LINE).unwrap();
        let (name, value) = line.strip_suffix("\r\n").unwrap().split_once(": ").unwrap();
        assert_eq!(check_syntax(name, value), Ok(()));
        assert_eq!(
            check_header(&Cow::Owned(name.to_owned()), &value.to_owned().into()),
            Ok(())
        );
    }

    #[test]
    fn bad_and_reserved_headers_are_dropped_as_they_are_added() {
        let response = Response::new(Status::OK)
            .header("Content-Length", "99")
            .header("date", "today")
            .header("X-Split", "a\r\nSet-Cookie: evil".to_owned())
            .header("Bad Name".to_owned(), "x")
            .header("X-Fine", "yes");
        assert_eq!(response.headers().collect::<Vec<_>>(), [("X-Fine", "yes")]);
        assert_eq!(
            format!("{response:?}"),
            r#"Response { status: Status(200), headers: [("X-Fine", "yes")], body: Empty }"#
        );
    }
}
