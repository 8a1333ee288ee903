//! [`ParseError`]: every way a request can be refused before a handler
//! sees it, and the status each one is answered with.
//!
//! These are normal flow, not bugs: the network sends whatever it likes,
//! and each refusal is an honest answer to a client. After any of them the
//! connection is closed, because once the framing of one request is in
//! doubt, so is where the next one starts — that doubt is what request
//! smuggling exploits.

use std::fmt;

use crate::Status;

/// Why a request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParseError {
    /// The request line or a header line is not valid HTTP/1.x syntax;
    /// the text says which part (httparse's verdict).
    Malformed(&'static str),
    /// The version is well-formed but not HTTP/1.0 or HTTP/1.1.
    UnsupportedVersion,
    /// A line of the head ends in a bare LF instead of CRLF. Taking it as a
    /// line end, as RFC 9112 §2.2 allows, would let a proxy that splits on
    /// CRLF only see different headers than this server does.
    BareLineFeed,
    /// The request target is neither a path (`/fib?n=3`), an absolute URL
    /// (`http://host/fib`), nor `*` (which only `OPTIONS` may use).
    BadTarget,
    /// An HTTP/1.1 request without a `Host` header (RFC 9112 §3.2).
    MissingHost,
    /// More than one `Host` header.
    DuplicateHost,
    /// A `Host` value that is not `uri-host[:port]` (RFC 9112 §3.2).
    BadHost,
    /// The head (request line and headers) is larger than the limit.
    HeadTooLarge,
    /// The request line alone is longer than the head limit: its target
    /// is longer than the server will parse (RFC 9112 §3).
    UriTooLong,
    /// More header lines than the limit.
    TooManyHeaders,
    /// Both `Content-Length` and `Transfer-Encoding`: the classic request
    /// smuggling setup, where two servers in a chain disagree on which one
    /// frames the body.
    ConflictingFraming,
    /// More than one `Content-Length` header, or one listing several values.
    DuplicateContentLength,
    /// A `Content-Length` that is not a plain decimal number.
    BadContentLength,
    /// `Transfer-Encoding` in an HTTP/1.0 request, where it does not exist.
    TransferEncodingInHttp10,
    /// `chunked` is not the last transfer coding, or appears twice, so the
    /// body's end cannot be found (RFC 9112 §6.3).
    ChunkedNotLast,
    /// `chunked` with parameters (`chunked;x=y`): it defines none, so
    /// servers disagree on what such a coding means.
    ChunkedWithParameters,
    /// A transfer coding other than `chunked` (such as `gzip`).
    UnsupportedTransferCoding,
    /// An `Expect` other than `100-continue`, the only expectation there
    /// is (RFC 9110 §10.1.1).
    UnsupportedExpectation,
    /// The body is larger than the limit (said by `Content-Length`, or
    /// found out while reading chunks).
    BodyTooLarge,
    /// A chunk-size line is not a hex number with optional extensions, or a
    /// chunk is not followed by CRLF.
    BadChunk,
    /// A chunk-size or trailer line is longer than the limit.
    ChunkLineTooLong,
    /// The trailer section after the last chunk is larger than the head
    /// limit.
    TrailersTooLarge,
    /// The server's memory budget for request bodies is spent
    /// ([`Config::memory_budget`](crate::Config::memory_budget)): not this
    /// request's fault, so `503` with `Retry-After` rather than `413`.
    Overloaded,
}

impl ParseError {
    /// The status that answers this error.
    pub fn status(self) -> Status {
        match self {
            ParseError::HeadTooLarge
            | ParseError::TooManyHeaders
            | ParseError::TrailersTooLarge => Status::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ParseError::BodyTooLarge => Status::CONTENT_TOO_LARGE,
            ParseError::UriTooLong => Status::URI_TOO_LONG,
            ParseError::UnsupportedTransferCoding => Status::NOT_IMPLEMENTED,
            ParseError::UnsupportedExpectation => Status::EXPECTATION_FAILED,
            ParseError::UnsupportedVersion => Status::HTTP_VERSION_NOT_SUPPORTED,
            ParseError::Overloaded => Status::SERVICE_UNAVAILABLE,
            ParseError::Malformed(_)
            | ParseError::BareLineFeed
            | ParseError::BadTarget
            | ParseError::MissingHost
            | ParseError::DuplicateHost
            | ParseError::BadHost
            | ParseError::ConflictingFraming
            | ParseError::DuplicateContentLength
            | ParseError::BadContentLength
            | ParseError::TransferEncodingInHttp10
            | ParseError::ChunkedNotLast
            | ParseError::ChunkedWithParameters
            | ParseError::BadChunk
            | ParseError::ChunkLineTooLong => Status::BAD_REQUEST,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ParseError::Malformed(what) => return write!(f, "malformed request: {what}"),
            ParseError::UnsupportedVersion => "unsupported http version",
            ParseError::BareLineFeed => "a line ends in a bare lf, not crlf",
            ParseError::BadTarget => "bad request target",
            ParseError::MissingHost => "missing host header",
            ParseError::DuplicateHost => "more than one host header",
            ParseError::BadHost => "invalid host header",
            ParseError::HeadTooLarge => "request head too large",
            ParseError::UriTooLong => "request target too long",
            ParseError::TooManyHeaders => "too many headers",
            ParseError::ConflictingFraming => "both content-length and transfer-encoding",
            ParseError::DuplicateContentLength => "more than one content-length",
            ParseError::BadContentLength => "bad content-length",
            ParseError::TransferEncodingInHttp10 => "transfer-encoding in an http/1.0 request",
            ParseError::ChunkedNotLast => "chunked must be the last transfer coding, once",
            ParseError::ChunkedWithParameters => "chunked takes no parameters",
            ParseError::UnsupportedTransferCoding => "unsupported transfer coding",
            ParseError::UnsupportedExpectation => "unsupported expectation",
            ParseError::BodyTooLarge => "request body too large",
            ParseError::BadChunk => "bad chunk framing",
            ParseError::ChunkLineTooLong => "chunk line too long",
            ParseError::TrailersTooLarge => "trailer section too large",
            ParseError::Overloaded => "server busy: too many request bodies at once",
        };
        f.write_str(text)
    }
}

impl std::error::Error for ParseError {}

#[cfg(test)]
mod tests {
    use super::ParseError;

    #[test]
    fn messages_are_lowercase_with_no_full_stop() {
        let all = [
            ParseError::Malformed("invalid token"),
            ParseError::UnsupportedVersion,
            ParseError::BareLineFeed,
            ParseError::BadTarget,
            ParseError::MissingHost,
            ParseError::DuplicateHost,
            ParseError::BadHost,
            ParseError::HeadTooLarge,
            ParseError::UriTooLong,
            ParseError::TooManyHeaders,
            ParseError::ConflictingFraming,
            ParseError::DuplicateContentLength,
            ParseError::BadContentLength,
            ParseError::TransferEncodingInHttp10,
            ParseError::ChunkedNotLast,
            ParseError::ChunkedWithParameters,
            ParseError::UnsupportedTransferCoding,
            ParseError::UnsupportedExpectation,
            ParseError::BodyTooLarge,
            ParseError::BadChunk,
            ParseError::ChunkLineTooLong,
            ParseError::TrailersTooLarge,
            ParseError::Overloaded,
        ];
        for error in all {
            let text = error.to_string();
            assert_eq!(text, text.to_lowercase());
            assert!(!text.ends_with('.'));
            assert!(error.status().code() >= 400);
        }
    }
}
