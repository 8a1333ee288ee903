//! [`Request`]: one HTTP request, whole — its head and its body — as the
//! event loop sends it into a handler.
//!
//! By the time a handler sees a `Request`, everything that could go wrong
//! on the wire has been dealt with: the [`Parser`](crate::Parser) has read
//! the whole body (whatever its framing), refused what it must refuse, and
//! decided whether the connection may be kept open afterwards. A handler
//! only has to decide what to answer.

use std::fmt;

use crate::recycle::{self, HeadBuffers};

/// The request method. The three that pygen's routes use have their own
/// variants; every other token is kept as it was written.
///
/// Methods are case-sensitive (RFC 9110 §9.1): `get` is not `GET`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: fetch a resource.
    Get,
    /// `HEAD`: the same as `GET`, but the response carries no body.
    Head,
    /// `POST`: send a body to a resource.
    Post,
    /// Any other method (`PUT`, `DELETE`, `OPTIONS`, ...).
    Other(String),
}

impl Method {
    /// Read a method token, as the request line spells it.
    #[inline(always)]
    pub fn from_token(token: &str) -> Method {
        match token {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            other => Method::other(other),
        }
    }

    /// A method without a variant of its own. Apart, so that reading one
    /// of the three common methods is a few comparisons inlined where the
    /// parser calls it, with no call and none of what allocating needs.
    #[inline(never)]
    fn other(token: &str) -> Method {
        Method::Other(token.to_owned())
    }

    /// The method as it is written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Other(token) => token,
        }
    }
}

/// The HTTP version of a request. HTTP/1.0 and HTTP/1.1 share one syntax;
/// they differ in defaults (1.1 keeps connections open unless told not to,
/// 1.0 closes them unless told not to) and in what 1.1 added, such as
/// chunked bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    /// `HTTP/1.0`.
    Http10,
    /// `HTTP/1.1`.
    Http11,
}

impl Version {
    /// The version as the request line spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::Http10 => "HTTP/1.0",
            Version::Http11 => "HTTP/1.1",
        }
    }
}

/// One parsed request.
///
/// The method, version, body and keep-alive decision are plain fields; the
/// target and the headers are read through [`path`](Request::path),
/// [`query`](Request::query) and [`header`](Request::header). They live in
/// buffers that a dropped request gives back to its thread for the
/// next request to reuse (see `recycle.rs`), so that reading a request
/// allocates nothing once a server is warm. Tests and examples build one
/// with [`Request::get`] or [`Request::new`].
#[derive(Clone)]
pub struct Request {
    /// The method: `GET`, `POST`, ...
    pub method: Method,
    /// HTTP/1.0 or HTTP/1.1.
    pub version: Version,
    /// The body, with any chunked framing already removed.
    pub body: Vec<u8>,
    /// Whether the client asked to keep the connection open after this
    /// request: the default on HTTP/1.1 unless it sent `Connection: close`,
    /// and only with `Connection: keep-alive` on HTTP/1.0.
    pub keep_alive: bool,
    /// The path and the query, one after the other in `head.text`, and
    /// where the one ends and whether the other is there; the header
    /// lines' bytes in `head.lines`, and where each header's name
    /// and value lie in them in `head.fields`. The parser copies a head's
    /// header lines in one piece, separators and all, rather than a name
    /// and a value at a time: one larger copy costs less than many small
    /// ones.
    ///
    /// Boxed: a request is moved several times on its way into a handler
    /// (out of the parser, into `send`, into the coroutine), and the three
    /// buffers inline would make it 136 bytes, past the 128 that a move
    /// copies inline rather than by calling `memcpy`. Where the path ends
    /// is kept in the box too: the fewer bytes a request has, the less
    /// each move copies. An `Option` only so that `drop` can hand the box
    /// back; it is `Some` until then.
    head: Option<Box<HeadBuffers>>,
}

impl Request {
    /// A bodiless HTTP/1.1 `GET` of `target` (`/fib?n=12`), as a test or an
    /// example builds one without a socket.
    ///
    /// ```
    /// let request = pygen_http::Request::get("/fib?n=12");
    /// assert_eq!(request.path(), "/fib");
    /// assert_eq!(request.query_param("n"), Some("12"));
    /// ```
    pub fn get(target: &str) -> Request {
        Request::new(Method::Get, target)
    }

    /// A bodiless, headerless HTTP/1.1 request for `target`, kept alive:
    /// add to it with [`with_header`](Request::with_header) and
    /// [`with_body`](Request::with_body).
    ///
    /// ```
    /// use pygen_http::{Method, Request};
    /// let request = Request::new(Method::Post, "/echo")
    ///     .with_header("Content-Type", "text/plain")
    ///     .with_body(b"hi".to_vec());
    /// assert_eq!(request.header("content-type"), Some(&b"text/plain"[..]));
    /// assert_eq!(request.query(), None);
    /// ```
    pub fn new(method: Method, target: &str) -> Request {
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (target, None),
        };
        Request::from_parts(method, Version::Http11, true, path, query, b"", [])
    }

    /// A request whose target is already split into path and query, with
    /// these header lines: what the parser builds, in buffers a request
    /// before it gave back. `lines` is copied whole; each header's name
    /// and value must be slices of it.
    pub(crate) fn from_parts<'a>(
        method: Method,
        version: Version,
        keep_alive: bool,
        path: &str,
        query: Option<&str>,
        lines: &'a [u8],
        headers: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Request {
        let mut head = recycle::take_head();
        head.text.push_str(path);
        head.path_end = path.len();
        head.has_query = query.is_some();
        if let Some(query) = query {
            head.text.push_str(query);
        }
        head.lines.extend_from_slice(lines);
        // Where a slice of `lines` starts in it. Once the length of
        // `lines` fits in a u32, so does every place in it.
        offset(lines.len());
        let start = |bytes: &[u8]| (bytes.as_ptr().addr() - lines.as_ptr().addr()) as u32;
        head.fields
            .extend(headers.into_iter().map(|(name, value)| Field {
                name: start(name.as_bytes()),
                name_length: name.len() as u32,
                value: start(value),
                value_length: value.len() as u32,
            }));
        Request {
            method,
            version,
            body: Vec::new(),
            keep_alive,
            head: Some(head),
        }
    }

    /// The same request with one more header line.
    pub fn with_header(mut self, name: &str, value: impl AsRef<[u8]>) -> Request {
        self.push_header(name, value.as_ref());
        self
    }

    /// The same request with this body.
    pub fn with_body(mut self, body: Vec<u8>) -> Request {
        self.body = body;
        self
    }

    fn push_header(&mut self, name: &str, value: &[u8]) {
        let head = self.head.as_deref_mut().expect(TAKEN_ONLY_BY_DROP);
        let name_start = offset(head.lines.len());
        head.lines.extend_from_slice(name.as_bytes());
        let value_start = offset(head.lines.len());
        head.lines.extend_from_slice(value);
        head.fields.push(Field {
            name: name_start,
            name_length: value_start - name_start,
            value: value_start,
            value_length: offset(head.lines.len()) - value_start,
        });
    }

    fn head(&self) -> &HeadBuffers {
        self.head.as_deref().expect(TAKEN_ONLY_BY_DROP)
    }

    /// The path of the request target, without the query: `/fib`. An
    /// absolute-form target (`http://host/fib`) is reduced to its path; an
    /// `OPTIONS *` request has the path `*`.
    pub fn path(&self) -> &str {
        let head = self.head();
        &head.text[..head.path_end]
    }

    /// The query, the part after `?`, if there was one: `n=10`.
    pub fn query(&self) -> Option<&str> {
        let head = self.head();
        head.has_query.then(|| &head.text[head.path_end..])
    }

    /// Every header line, in order: the name as sent and the value as raw
    /// bytes. Values are bytes because HTTP allows bytes that are not UTF-8
    /// in them (`obs-text`).
    pub fn headers(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.header_bytes().map(|(name, value)| {
            // Every name was copied from a `str` (the parser's, or
            // `with_header`'s), whole.
            let name = std::str::from_utf8(name).expect("a header name is copied from a str");
            (name, value)
        })
    }

    /// Every header line, with its name as bytes.
    fn header_bytes(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        let head = self.head();
        head.fields.iter().map(|field| {
            let bytes = |start: u32, length: u32| {
                let start = start as usize;
                &head.lines[start..start + length as usize]
            };
            (
                bytes(field.name, field.name_length),
                bytes(field.value, field.value_length),
            )
        })
    }

    /// The value of the first header called `name`, compared without regard
    /// to case, as header names are (RFC 9110 §5.1).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.header_bytes()
            .find(|(header, _)| header.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, value)| value)
    }

    /// The value of the first `name=value` pair called `name` in the query,
    /// as written (no percent-decoding): `query_param("n")` of `/fib?n=10`
    /// is `Some("10")`. A bare `name` with no `=` has the value `""`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query()?
            .split('&')
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }
}

/// Where one header's name and value lie in a request's header lines:
/// each's first byte and length.
#[derive(Clone, Copy)]
pub(crate) struct Field {
    name: u32,
    name_length: u32,
    value: u32,
    value_length: u32,
}

const TAKEN_ONLY_BY_DROP: &str = "a request's head is taken only when it is dropped";

/// A place in a head's buffer: a head is at most
/// [`Config::max_head_bytes`](crate::Config::max_head_bytes), far below
/// 4 GiB.
fn offset(length: usize) -> u32 {
    u32::try_from(length).expect("a request head is smaller than 4 GiB")
}

impl Drop for Request {
    /// Give the buffers back to this thread, for the next request.
    fn drop(&mut self) {
        if let Some(head) = self.head.take() {
            recycle::give_head(head);
        }
        if self.body.capacity() > 0 {
            recycle::give_bytes(std::mem::take(&mut self.body));
        }
    }
}

impl PartialEq for Request {
    fn eq(&self, other: &Request) -> bool {
        self.method == other.method
            && self.version == other.version
            && self.keep_alive == other.keep_alive
            && self.path() == other.path()
            && self.query() == other.query()
            && self.headers().eq(other.headers())
            && self.body == other.body
    }
}

impl Eq for Request {}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, String)> = self
            .headers()
            .map(|(name, value)| (name, String::from_utf8_lossy(value).into_owned()))
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path())
            .field("query", &self.query())
            .field("version", &self.version)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("keep_alive", &self.keep_alive)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: Option<&str>) -> Request {
        let target = match query {
            Some(query) => format!("/fib?{query}"),
            None => "/fib".to_owned(),
        };
        Request::get(&target).with_header("Content-Type", "text/plain")
    }

    #[test]
    fn headers_are_found_whatever_their_case() {
        let request = request(None);
        assert_eq!(request.header("content-type"), Some(&b"text/plain"[..]));
        assert_eq!(request.header("CONTENT-TYPE"), Some(&b"text/plain"[..]));
        assert_eq!(request.header("host"), None);
    }

    #[test]
    fn target_and_headers_come_back_as_built() {
        let request = Request::new(Method::Post, "/echo?a=1&b")
            .with_header("Host", "example")
            .with_header("X-Empty", "")
            .with_header("X-Bytes", b"\xff\x00")
            .with_body(b"body".to_vec());
        assert_eq!(request.path(), "/echo");
        assert_eq!(request.query(), Some("a=1&b"));
        let headers: Vec<(&str, &[u8])> = request.headers().collect();
        assert_eq!(
            headers,
            [
                ("Host", &b"example"[..]),
                ("X-Empty", b""),
                ("X-Bytes", b"\xff\x00")
            ]
        );
        assert_eq!(request.clone(), request);
        assert_ne!(request.clone().with_header("A", "b"), request);
        assert_eq!(Request::get("/").query(), None);
        assert_eq!(Request::get("/?").query(), Some(""));
    }

    #[test]
    fn a_dropped_request_lends_its_buffers_to_the_next() {
        let first = Request::get("/a-long-enough-path").with_header("Host", "example");
        let address = first.path().as_ptr();
        drop(first);
        let second = Request::get("/").with_header("Host", "x");
        assert_eq!(second.path().as_ptr(), address);
        assert_eq!(second.path(), "/");
        assert_eq!(second.header("host"), Some(&b"x"[..]));
    }

    #[test]
    fn query_params_are_read_in_order() {
        assert_eq!(request(Some("n=10")).query_param("n"), Some("10"));
        assert_eq!(request(Some("a=1&n=2&n=3")).query_param("n"), Some("2"));
        assert_eq!(request(Some("n")).query_param("n"), Some(""));
        assert_eq!(request(Some("nn=1")).query_param("n"), None);
        assert_eq!(request(None).query_param("n"), None);
    }

    #[test]
    fn methods_are_case_sensitive() {
        assert_eq!(Method::from_token("GET"), Method::Get);
        assert_eq!(Method::from_token("get"), Method::Other("get".to_owned()));
        assert_eq!(Method::from_token("PUT").as_str(), "PUT");
    }

    #[test]
    fn a_request_is_small_enough_to_move_inline() {
        // Past 128 bytes, every move of a request is a call to `memcpy`
        // (see the `head` field).
        assert!(
            size_of::<Request>() <= 128,
            "{} bytes",
            size_of::<Request>()
        );
    }
}
