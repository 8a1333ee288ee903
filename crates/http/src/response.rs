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
//!
//! The server owns the framing. `Content-Length`, `Transfer-Encoding` and
//! `Connection` are written by the event loop from the body and the
//! request; a handler that sets them is ignored (with a warning), so a
//! handler cannot make a response that lies about its own length.

use std::borrow::Cow;
use std::fmt;

use crate::Status;
use crate::recycle;

/// The `Content-Type` of plain text, used by every response the server
/// writes itself.
pub const TEXT_PLAIN: &str = "text/plain; charset=utf-8";

/// The `Content-Type` line of a [`Response::text`], as it goes on the
/// wire. That response's header name and value are both cut from this one
/// piece of memory, so the output can copy the line whole (see
/// [`HeaderValue::whole_line`]). A `static`, not a `const`: a `static`
/// lives at one address, and that address is what is compared.
static TEXT_PLAIN_LINE: &str = "Content-Type: text/plain; charset=utf-8\r\n";

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
    pub headers: Vec<(Cow<'static, str>, HeaderValue)>,
    /// The body.
    pub body: ResponseBody,
}

impl Response {
    /// A response with no headers and no body.
    pub fn new(status: Status) -> Response {
        Response {
            status,
            headers: recycle::take_header_list(),
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
        // `Content-Type: text/plain; charset=utf-8`, with its name and value
        // cut from the line they make together.
        let name_end = "Content-Type".len();
        let name = &TEXT_PLAIN_LINE[..name_end];
        let value = HeaderValue(Value::InLine {
            line: TEXT_PLAIN_LINE,
            start: name_end + 2,
        });
        // Put together in place rather than with `.header()` and `.body()`,
        // which would move the whole response in and out twice.
        let mut headers = recycle::take_header_list();
        headers.push((Cow::Borrowed(name), value));
        Response {
            status,
            headers,
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

    /// This response with one more header. A value is text
    /// (`"text/plain"`, a `String`) or a number (`.header("X-Count", 3)`),
    /// written out as it is sent.
    pub fn header(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<HeaderValue>,
    ) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// This response with `bytes` as its whole body: a `Vec<u8>`, or a
    /// `&'static [u8]` fixed in the program.
    pub fn body(mut self, bytes: impl Into<Cow<'static, [u8]>>) -> Self {
        self.body = ResponseBody::Full(bytes.into());
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

/// A response header's value: text, or a number kept as its digits, so
/// that `X-Request-Count: 42` needs no `String` of its own.
#[derive(Clone)]
pub struct HeaderValue(Value);

#[derive(Clone)]
enum Value {
    Text(Cow<'static, str>),
    /// The decimal digits of a `u64` (at most 20), right-aligned.
    Number {
        digits: [u8; 20],
        start: u8,
    },
    /// Text fixed in the program, cut from the whole header line it was
    /// made with: `line[start..line.len() - 2]`, between the `": "` after
    /// the name and the CRLF.
    InLine {
        line: &'static str,
        start: usize,
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
            Value::InLine { line, start } => &line[*start..line.len() - 2],
        }
    }
}

impl HeaderValue {
    /// The value's bytes, as they go on the wire.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Value::Text(text) => text.as_bytes(),
            Value::Number { digits, start } => &digits[*start as usize..],
            Value::InLine { line, start } => &line.as_bytes()[*start..line.len() - 2],
        }
    }

    /// The whole line `name: value\r\n`, when it is held ready made: the
    /// value was cut from such a line, and `name` is that line's own start
    /// (the same memory, not just the same text), so nothing was renamed
    /// since. A line fixed in the program is checked by its tests, so it
    /// needs no check as it is written.
    #[expect(
        clippy::ptr_arg,
        reason = "a name made at run time is told apart before any address is compared"
    )]
    pub(crate) fn whole_line(&self, name: &Cow<'static, str>) -> Option<&'static [u8]> {
        match (name, &self.0) {
            (Cow::Borrowed(name), Value::InLine { line, start })
                if name.as_ptr() == line.as_ptr() && name.len() + 2 == *start =>
            {
                Some(line.as_bytes())
            }
            _ => None,
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

/// Text equals text with the same letters, however it is held; a number
/// equals only the same number.
impl PartialEq for HeaderValue {
    fn eq(&self, other: &HeaderValue) -> bool {
        let is_number = |value: &HeaderValue| matches!(value.0, Value::Number { .. });
        is_number(self) == is_number(other) && self.as_str() == other.as_str()
    }
}

impl Eq for HeaderValue {}

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
        let (name, value) = &response.headers[0];
        assert_eq!(*value, HeaderValue::from(TEXT_PLAIN));
        assert_ne!(HeaderValue::from("1"), HeaderValue::from(1u64));
        assert_eq!(
            value.whole_line(name),
            Some(&b"Content-Type: text/plain; charset=utf-8\r\n"[..])
        );
        // The same text in another piece of memory is not the line's own.
        let renamed = Cow::Owned("Content-Type".to_owned());
        assert_eq!(value.whole_line(&renamed), None);
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
}
