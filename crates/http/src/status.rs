//! [`Status`]: a response's status code and its reason phrase.

use std::fmt;

/// An HTTP status code: three digits, `100` to `999`.
///
/// The constants are the codes this server produces itself; a handler may
/// use any other through [`Status::from_code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Status(u16);

impl Status {
    /// `200 OK`.
    pub const OK: Status = Status(200);
    /// `204 No Content`.
    pub const NO_CONTENT: Status = Status(204);
    /// `400 Bad Request`: the request is not valid HTTP, or is ambiguous.
    pub const BAD_REQUEST: Status = Status(400);
    /// `404 Not Found`: no route has this path.
    pub const NOT_FOUND: Status = Status(404);
    /// `405 Method Not Allowed`: the path exists, the method does not; the
    /// response says which methods do in an `Allow` header.
    pub const METHOD_NOT_ALLOWED: Status = Status(405);
    /// `408 Request Timeout`: the request did not arrive in time.
    pub const REQUEST_TIMEOUT: Status = Status(408);
    /// `413 Content Too Large`: the body is larger than the server accepts.
    pub const CONTENT_TOO_LARGE: Status = Status(413);
    /// `414 URI Too Long`: the request target is longer than the server
    /// will parse.
    pub const URI_TOO_LONG: Status = Status(414);
    /// `417 Expectation Failed`: an `Expect` the server cannot meet (any
    /// but `100-continue`).
    pub const EXPECTATION_FAILED: Status = Status(417);
    /// `421 Misdirected Request`: the request names an authority (its
    /// `Host`) that this server will not answer for (RFC 9110 §15.5.20).
    pub const MISDIRECTED_REQUEST: Status = Status(421);
    /// `431 Request Header Fields Too Large`: the head is larger than the
    /// server accepts.
    pub const REQUEST_HEADER_FIELDS_TOO_LARGE: Status = Status(431);
    /// `500 Internal Server Error`: the handler failed.
    pub const INTERNAL_SERVER_ERROR: Status = Status(500);
    /// `501 Not Implemented`: a method or a transfer coding the server
    /// does not know.
    pub const NOT_IMPLEMENTED: Status = Status(501);
    /// `503 Service Unavailable`: the server is full.
    pub const SERVICE_UNAVAILABLE: Status = Status(503);
    /// `505 HTTP Version Not Supported`: not HTTP/1.0 or HTTP/1.1.
    pub const HTTP_VERSION_NOT_SUPPORTED: Status = Status(505);

    /// The status with this code, if it has three digits.
    pub const fn from_code(code: u16) -> Option<Status> {
        if 100 <= code && code <= 999 {
            Some(Status(code))
        } else {
            None
        }
    }

    /// The numeric code: `404`.
    pub const fn code(self) -> u16 {
        self.0
    }

    /// The reason phrase the status line carries: `Not Found`. Clients must
    /// ignore it (RFC 9112 §4), so an unknown code gets an empty one.
    pub fn reason(self) -> &'static str {
        known(self.0).map_or("", |(reason, _)| reason)
    }

    /// The whole status line, `HTTP/1.1 404 Not Found` and its CRLF, for
    /// a code in the table below: one copy per response instead of five
    /// pieces. `None` for any other code, whose line is put together.
    pub(crate) fn line(self) -> Option<&'static [u8]> {
        known(self.0).map(|(_, line)| line.as_bytes())
    }

    /// Whether a response with this status may have a body. `1xx`, `204`
    /// and `304` responses never do (RFC 9112 §6.3), so they get no
    /// `Content-Length` either.
    pub fn allows_body(self) -> bool {
        !(self.0 < 200 || self.0 == 204 || self.0 == 304)
    }
}

/// The codes this server knows a reason phrase for, and so writes a
/// status line for, spelled out at compile time from the same two
/// literals.
macro_rules! statuses {
    ($($code:literal $reason:literal,)*) => {
        /// The reason phrase and the status line of `code`, if it is one
        /// of the codes listed.
        const fn known(code: u16) -> Option<(&'static str, &'static str)> {
            match code {
                $($code => Some(($reason, concat!("HTTP/1.1 ", $code, " ", $reason, "\r\n"))),)*
                _ => None,
            }
        }
    };
}

statuses! {
    100 "Continue",
    200 "OK",
    201 "Created",
    204 "No Content",
    301 "Moved Permanently",
    304 "Not Modified",
    400 "Bad Request",
    403 "Forbidden",
    404 "Not Found",
    405 "Method Not Allowed",
    408 "Request Timeout",
    413 "Content Too Large",
    414 "URI Too Long",
    417 "Expectation Failed",
    421 "Misdirected Request",
    431 "Request Header Fields Too Large",
    500 "Internal Server Error",
    501 "Not Implemented",
    503 "Service Unavailable",
    505 "HTTP Version Not Supported",
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0, self.reason())
    }
}

#[cfg(test)]
mod tests {
    use super::Status;

    #[test]
    fn codes_have_three_digits() {
        assert_eq!(Status::from_code(200), Some(Status::OK));
        assert_eq!(Status::from_code(99), None);
        assert_eq!(Status::from_code(1000), None);
        assert_eq!(Status::NOT_FOUND.to_string(), "404 Not Found");
    }

    #[test]
    fn some_statuses_have_no_body() {
        assert!(Status::OK.allows_body());
        assert!(!Status::NO_CONTENT.allows_body());
        assert!(!Status::from_code(304).is_some_and(|s| s.allows_body()));
    }

    #[test]
    fn known_codes_have_their_status_line_spelled_out() {
        assert_eq!(Status::OK.line(), Some(&b"HTTP/1.1 200 OK\r\n"[..]));
        assert_eq!(
            Status::NOT_IMPLEMENTED.line(),
            Some(&b"HTTP/1.1 501 Not Implemented\r\n"[..])
        );
        let unknown = Status::from_code(299).unwrap();
        assert_eq!((unknown.reason(), unknown.line()), ("", None));
    }
}
