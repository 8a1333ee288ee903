//! [`route`]: the application, shared by the three backends' handlers.
//!
//! This is the `route(request)` of the Python handler:
//!
//! ```python
//! def handler():
//!     response = None
//!     while True:
//!         request = yield response
//!         response = route(request)
//! ```
//!
//! | request | response |
//! |---|---|
//! | `GET /`, `HEAD /` | `200`, `Hello, World!` |
//! | `GET /fib?n=K` | `200`, the first K Fibonacci numbers, one a line, streamed (K at most [`MAX_FIB_COUNT`], whose docs give the cost); `503` with `Retry-After` past [`Config::max_streams`](crate::Config::max_streams) |
//! | `POST /echo` | `200`, the request body back |
//! | `OPTIONS` a known path, `OPTIONS *` | `200`, empty, with `Allow`: the path's methods, or all the server's |
//! | a known path, another known method | `405`, with `Allow` |
//! | any other path | `404` |
//! | a method not in [`KNOWN_METHODS`] | `501`, whatever the path |
//!
//! [`ROUTES`] is the one list of paths and their methods: `Allow`, `405`
//! and `OPTIONS` are all read from it.
//!
//! `/fib` is where the backends differ: each handler passes in its own
//! `fibonacci()` generator, and the response streams from it. The numbers
//! are computed one at a time as the connection can take them, so a long
//! answer never sits in memory whole.

use std::fmt::Display;

use crate::response::TEXT_PLAIN;
use crate::{Request, Response, Status};

/// The largest K that `GET /fib?n=K` accepts, and what K costs.
///
/// The k-th line is F(k) in decimal: about 0.209·k digits (k·log10 φ),
/// so the answer to K is about 0.1045·K² bytes. Each number costs one
/// big-integer addition, linear in its length, and one conversion to
/// decimal, which num-bigint does by divide and conquer, more than linear:
/// the CPU grows faster than the bytes. Measured on one core (release
/// build, `scripts/attack.py`'s machine):
///
/// | K | bytes | CPU |
/// |---|---|---|
/// | 10,000 | 10.5 MB | 0.18 s |
/// | 30,000 | 94 MB | 1.8 s |
/// | 50,000 | 261 MB | 6 s |
/// | 100,000 (the bound) | 1.05 GB | about 23 s |
///
/// At the bound's far end a number is about 21 KB and 0.4 ms of CPU
/// (about 20 ns a byte): 40 bytes of request buy a gigabyte and twenty
/// CPU-seconds of answer. It is streamed, so the server's memory does not
/// grow with it; the CPU is taken in turns (a drive pulls at most
/// [`PULL_BUDGET`](crate::PULL_BUDGET) chunks, and the busy connections of
/// a loop write at most [`TURN_BYTES`](crate::TURN_BYTES) before it looks
/// for other work), and [`Config::max_streams`](crate::Config::max_streams)
/// bounds how many run at once. The bound on K keeps one request from
/// occupying a connection for ever.
pub const MAX_FIB_COUNT: usize = 100_000;

/// The methods this server knows: the eight of RFC 9110 §9.3 and `PATCH`
/// (RFC 5789). A request with any other gets `501 Not Implemented`, as
/// RFC 9110 §9.1 recommends; one of these that a path does not answer
/// gets `405` with `Allow`. Methods are case-sensitive, so `get` is
/// unknown.
pub const KNOWN_METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// Every path and the methods it answers besides `OPTIONS`, which every
/// path answers. `HEAD` is answered wherever `GET` is, with the same
/// headers and no body (the connection drops the body).
pub const ROUTES: [(&str, &[&str]); 3] = [
    ("/", &["GET", "HEAD"]),
    ("/fib", &["GET", "HEAD"]),
    ("/echo", &["POST"]),
];

/// Answer one request. `fibonacci` makes the backend's Fibonacci
/// generator, and is called only for `GET /fib`; its items are written one
/// a line with `Display`.
///
/// ```
/// use pygen_http::{route, Request, Status};
///
/// let response = route(Request::get("/"), || 0u64..);
/// assert_eq!(response.status, Status::OK);
/// ```
pub fn route<F, I>(request: Request, fibonacci: F) -> Response
where
    F: FnOnce() -> I,
    I: Iterator + 'static,
    I::Item: Display,
{
    // The answers first: a method and path that ROUTES pairs (a test
    // checks that these are exactly its pairs). One match on both, with no
    // list searched, is what keeps the common `GET /` cheap. The other
    // answers are functions of their own, kept out of line
    // (`#[inline(never)]`), so that `GET /` does not pay to set up for
    // them.
    match (request.method.as_str(), request.path()) {
        ("GET" | "HEAD", "/") => Response::text(Status::OK, "Hello, World!"),
        ("GET" | "HEAD", "/fib") => fib(&request, fibonacci),
        ("POST", "/echo") => echo(request),
        _ => unanswered(request),
    }
}

/// `GET /fib?n=K`: the first K Fibonacci numbers, one a line, streamed.
#[inline(never)]
fn fib<F, I>(request: &Request, fibonacci: F) -> Response
where
    F: FnOnce() -> I,
    I: Iterator + 'static,
    I::Item: Display,
{
    match fib_count(request) {
        Ok(count) => Response::stream(
            Status::OK,
            fibonacci()
                .take(count)
                .map(|number| format!("{number}\n").into_bytes()),
        )
        .header("Content-Type", TEXT_PLAIN),
        Err(message) => Response::text(Status::BAD_REQUEST, message),
    }
}

/// `POST /echo`: the request's body back, with its `Content-Type`.
#[inline(never)]
fn echo(mut request: Request) -> Response {
    let content_type = request
        .header("Content-Type")
        .and_then(|value| std::str::from_utf8(value).ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    Response::new(Status::OK)
        .header("Content-Type", content_type)
        .body(std::mem::take(&mut request.body))
}

/// A request no route answers: an error or `OPTIONS`, read from
/// KNOWN_METHODS and ROUTES.
#[inline(never)]
fn unanswered(request: Request) -> Response {
    let method = request.method.as_str();
    if !KNOWN_METHODS.contains(&method) {
        return Response::text(Status::NOT_IMPLEMENTED, "method not implemented\n");
    }
    if method == "CONNECT" {
        // A tunnel is a proxy's work (RFC 9110 §9.3.6); this is an origin
        // server, which does not implement it.
        return Response::text(
            Status::NOT_IMPLEMENTED,
            "CONNECT is not implemented: this is not a proxy\n",
        );
    }
    if request.path() == "*" && method == "OPTIONS" {
        return options(server_methods());
    }
    let Some(&(_, methods)) = ROUTES.iter().find(|(path, _)| *path == request.path()) else {
        return Response::text(Status::NOT_FOUND, "not found\n");
    };
    if method == "OPTIONS" {
        return options(methods.iter().copied());
    }
    // Every method a path lists is answered by `route`'s match (a test
    // checks), so what reaches here is one it does not list.
    not_allowed(methods.iter().copied())
}

/// `Allow`: `methods`, then `OPTIONS`, which every path answers.
fn allow<'a>(methods: impl Iterator<Item = &'a str>) -> String {
    let mut allow: Vec<&str> = methods.collect();
    allow.push("OPTIONS");
    allow.join(", ")
}

/// Every method some path answers, in [`KNOWN_METHODS`]' order: what
/// `OPTIONS *` says the server as a whole supports.
fn server_methods() -> impl Iterator<Item = &'static str> {
    KNOWN_METHODS
        .into_iter()
        .filter(|&method| ROUTES.iter().any(|(_, methods)| methods.contains(&method)))
}

/// `405`, naming the methods the path does allow (RFC 9110 §15.5.6 says
/// the `Allow` header is required).
fn not_allowed<'a>(methods: impl Iterator<Item = &'a str>) -> Response {
    Response::text(Status::METHOD_NOT_ALLOWED, "method not allowed\n")
        .header("Allow", allow(methods))
}

/// The answer to `OPTIONS`: `200` with `Allow` and no body (RFC 9110
/// §9.3.7: `Content-Length: 0`, which a `204` would not carry).
fn options<'a>(methods: impl Iterator<Item = &'a str>) -> Response {
    Response::new(Status::OK).header("Allow", allow(methods))
}

/// K in `/fib?n=K`: a whole number from 0 to [`MAX_FIB_COUNT`].
fn fib_count(request: &Request) -> Result<usize, String> {
    let bad =
        || format!("bad n: expected /fib?n=K with K a whole number from 0 to {MAX_FIB_COUNT}\n");
    let text = request.query_param("n").ok_or_else(bad)?;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match text.parse::<usize>() {
        Ok(count) if count <= MAX_FIB_COUNT => Ok(count),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Method, ResponseBody};

    fn request(method: Method, target: &str, body: &[u8]) -> Request {
        Request::new(method, target).with_body(body.to_vec())
    }

    fn fib() -> impl Iterator<Item = u64> {
        std::iter::successors(Some((0u64, 1u64)), |&(a, b)| Some((b, a + b))).map(|(a, _)| a)
    }

    fn body(response: Response) -> Vec<u8> {
        match response.body {
            ResponseBody::Empty => Vec::new(),
            ResponseBody::Full(bytes) => bytes.into_owned(),
            ResponseBody::Stream(chunks) => chunks.flatten().collect(),
            ResponseBody::Later(_) => panic!("route() answers at once"),
        }
    }

    #[test]
    fn hello_world() {
        for method in [Method::Get, Method::Head] {
            let response = route(request(method, "/", b""), fib);
            assert_eq!(response.status, Status::OK);
            assert_eq!(body(response), b"Hello, World!");
        }
    }

    #[test]
    fn fib_streams_k_numbers() {
        let response = route(request(Method::Get, "/fib?n=10", b""), fib);
        assert_eq!(response.status, Status::OK);
        assert!(matches!(response.body, ResponseBody::Stream(_)));
        assert_eq!(body(response), b"0\n1\n1\n2\n3\n5\n8\n13\n21\n34\n");
        let empty = route(request(Method::Get, "/fib?n=0", b""), fib);
        assert_eq!(body(empty), b"");
    }

    #[test]
    fn fib_refuses_a_bad_k() {
        let too_many = format!("/fib?n={}", MAX_FIB_COUNT + 1);
        for target in [
            "/fib",
            "/fib?n=",
            "/fib?n=-1",
            "/fib?n=x",
            "/fib?n=+3",
            &too_many,
        ] {
            let response = route(request(Method::Get, target, b""), fib);
            assert_eq!(response.status, Status::BAD_REQUEST, "{target}");
        }
    }

    #[test]
    fn echo_sends_the_body_back() {
        let response = route(request(Method::Post, "/echo", b"ping"), fib);
        assert_eq!(response.status, Status::OK);
        assert_eq!(body(response), b"ping");
    }

    #[test]
    fn wrong_methods_and_unknown_paths() {
        let response = route(request(Method::Post, "/", b""), fib);
        assert_eq!(response.status, Status::METHOD_NOT_ALLOWED);
        assert_eq!(response.get_header("Allow"), Some("GET, HEAD, OPTIONS"));
        let response = route(request(Method::Get, "/echo", b""), fib);
        assert_eq!(response.get_header("Allow"), Some("POST, OPTIONS"));
        let put = Method::Other("PUT".to_owned());
        let response = route(request(put, "/fib?n=1", b""), fib);
        assert_eq!(response.status, Status::METHOD_NOT_ALLOWED);
        let response = route(request(Method::Get, "/nope", b""), fib);
        assert_eq!(response.status, Status::NOT_FOUND);
    }

    #[test]
    fn a_named_method_spelled_out_is_the_same_method() {
        let get = Method::Other("GET".to_owned());
        let response = route(request(get, "/", b""), fib);
        assert_eq!(response.status, Status::OK);
        assert_eq!(body(response), b"Hello, World!");
    }

    #[test]
    fn unknown_methods_are_not_implemented_anywhere() {
        for method in ["BREW", "get", "PROPFIND"] {
            for path in ["/", "/echo", "/nope", "*"] {
                let method = Method::Other(method.to_owned());
                let response = route(request(method.clone(), path, b""), fib);
                assert_eq!(
                    response.status,
                    Status::NOT_IMPLEMENTED,
                    "{method:?} {path}"
                );
            }
        }
    }

    #[test]
    fn options_lists_the_methods() {
        let options = || Method::Other("OPTIONS".to_owned());
        let response = route(request(options(), "*", b""), fib);
        assert_eq!(response.status, Status::OK);
        assert_eq!(
            response.get_header("Allow"),
            Some("GET, HEAD, POST, OPTIONS")
        );
        assert!(matches!(response.body, ResponseBody::Empty));
        let response = route(request(options(), "/fib", b""), fib);
        assert_eq!(response.status, Status::OK);
        assert_eq!(response.get_header("Allow"), Some("GET, HEAD, OPTIONS"));
        let response = route(request(options(), "/nope", b""), fib);
        assert_eq!(response.status, Status::NOT_FOUND);
    }

    /// ROUTES is the truth: every method a path lists is answered (not
    /// 404, 405 or 501), every other known one is 405 with that `Allow`,
    /// except CONNECT, a proxy's method, which is 501 everywhere.
    #[test]
    fn every_route_answers_exactly_its_methods() {
        for (path, methods) in ROUTES {
            for known in KNOWN_METHODS {
                let method = Method::from_token(known);
                let response = route(request(method, path, b""), fib);
                let status = response.status;
                if known == "CONNECT" {
                    assert_eq!(status, Status::NOT_IMPLEMENTED, "{path}");
                } else if known == "OPTIONS" || methods.contains(&known) {
                    assert!(
                        ![404, 405, 501].contains(&status.code()),
                        "{known} {path}: {status}"
                    );
                } else {
                    assert_eq!(status, Status::METHOD_NOT_ALLOWED, "{known} {path}");
                    let expected = format!("{}, OPTIONS", methods.join(", "));
                    assert_eq!(response.get_header("Allow"), Some(expected.as_str()));
                }
            }
        }
    }
}
