//! [`Request`]: one HTTP request, whole — its head and its body — as the
//! event loop sends it into a handler.
//!
//! By the time a handler sees a `Request`, everything that could go wrong
//! on the wire has been dealt with: the [`Parser`](crate::Parser) has read
//! the whole body (whatever its framing), refused what it must refuse, and
//! decided whether the connection may be kept open afterwards. A handler
//! only has to decide what to answer.

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
    pub fn from_token(token: &str) -> Method {
        match token {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            other => Method::Other(other.to_owned()),
        }
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
/// The fields are plain data: a handler may take any of them apart, and
/// tests may build a `Request` by hand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The method: `GET`, `POST`, ...
    pub method: Method,
    /// The path of the request target, without the query: `/fib`. An
    /// absolute-form target (`http://host/fib`) is reduced to its path; an
    /// `OPTIONS *` request has the path `*`.
    pub path: String,
    /// The query, the part after `?`, if there was one: `n=10`.
    pub query: Option<String>,
    /// HTTP/1.0 or HTTP/1.1.
    pub version: Version,
    /// Every header line, in order, name as sent and value as raw bytes.
    /// Values are bytes because HTTP allows bytes that are not UTF-8 in
    /// them (`obs-text`); [`Request::header`] looks one up.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body, with any chunked framing already removed.
    pub body: Vec<u8>,
    /// Whether the client asked to keep the connection open after this
    /// request: the default on HTTP/1.1 unless it sent `Connection: close`,
    /// and only with `Connection: keep-alive` on HTTP/1.0.
    pub keep_alive: bool,
}

impl Request {
    /// A bodiless HTTP/1.1 `GET` of `target` (`/fib?n=12`), as a test or an
    /// example builds one without a socket.
    ///
    /// ```
    /// let request = pygen_http::Request::get("/fib?n=12");
    /// assert_eq!(request.path, "/fib");
    /// assert_eq!(request.query_param("n"), Some("12"));
    /// ```
    pub fn get(target: &str) -> Request {
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, Some(query.to_owned())),
            None => (target, None),
        };
        Request {
            method: Method::Get,
            path: path.to_owned(),
            query,
            version: Version::Http11,
            headers: Vec::new(),
            body: Vec::new(),
            keep_alive: true,
        }
    }

    /// The value of the first header called `name`, compared without regard
    /// to case, as header names are (RFC 9110 §5.1).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_slice())
    }

    /// The value of the first `name=value` pair called `name` in the query,
    /// as written (no percent-decoding): `query_param("n")` of `/fib?n=10`
    /// is `Some("10")`. A bare `name` with no `=` has the value `""`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .as_deref()?
            .split('&')
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: Option<&str>) -> Request {
        Request {
            method: Method::Get,
            path: "/fib".to_owned(),
            query: query.map(str::to_owned),
            version: Version::Http11,
            headers: vec![("Content-Type".to_owned(), b"text/plain".to_vec())],
            body: Vec::new(),
            keep_alive: true,
        }
    }

    #[test]
    fn headers_are_found_whatever_their_case() {
        let request = request(None);
        assert_eq!(request.header("content-type"), Some(&b"text/plain"[..]));
        assert_eq!(request.header("CONTENT-TYPE"), Some(&b"text/plain"[..]));
        assert_eq!(request.header("host"), None);
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
}
