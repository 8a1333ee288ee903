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
//! | `GET /fib?n=K` | `200`, the first K Fibonacci numbers, one a line, streamed |
//! | `POST /echo` | `200`, the request body back |
//! | a known path, another method | `405`, with `Allow` |
//! | any other path | `404` |
//!
//! `/fib` is where the backends differ: each handler passes in its own
//! `fibonacci()` generator, and the response streams from it. The numbers
//! are computed one at a time as the connection can take them, so a long
//! answer never sits in memory whole.

use std::fmt::Display;

use crate::response::TEXT_PLAIN;
use crate::{Method, Request, Response, Status};

/// The largest K that `GET /fib?n=K` accepts.
///
/// The response grows with the square of K: F(K) has about 0.21·K digits,
/// so K = 100,000 is about a gigabyte of digits (and as many big-integer
/// additions). It is streamed, so the server's memory does not grow with
/// it; the bound only keeps one request from occupying a connection for
/// ever.
pub const MAX_FIB_COUNT: usize = 100_000;

/// Answer one request. `fibonacci` makes the backend's Fibonacci
/// generator, and is called only for `GET /fib`; its items are written one
/// a line with `Display`.
///
/// ```
/// use pygen_http::{route, Method, Request, Status, Version};
///
/// let request = Request {
///     method: Method::Get,
///     path: "/".to_owned(),
///     query: None,
///     version: Version::Http11,
///     headers: Vec::new(),
///     body: Vec::new(),
///     keep_alive: true,
/// };
/// let response = route(request, || 0u64..);
/// assert_eq!(response.status, Status::OK);
/// ```
pub fn route<F, I>(request: Request, fibonacci: F) -> Response
where
    F: FnOnce() -> I,
    I: Iterator + 'static,
    I::Item: Display,
{
    let read = matches!(request.method, Method::Get | Method::Head);
    match request.path.as_str() {
        "/" if read => Response::text(Status::OK, "Hello, World!"),
        "/fib" if read => match fib_count(&request) {
            Ok(count) => Response::stream(
                Status::OK,
                fibonacci()
                    .take(count)
                    .map(|number| format!("{number}\n").into_bytes()),
            )
            .header("Content-Type", TEXT_PLAIN),
            Err(message) => Response::text(Status::BAD_REQUEST, message),
        },
        "/echo" if request.method == Method::Post => {
            let content_type = request
                .header("Content-Type")
                .and_then(|value| std::str::from_utf8(value).ok())
                .unwrap_or("application/octet-stream")
                .to_owned();
            Response::new(Status::OK)
                .header("Content-Type", content_type)
                .body(request.body)
        }
        "/" | "/fib" => not_allowed("GET, HEAD"),
        "/echo" => not_allowed("POST"),
        _ => Response::text(Status::NOT_FOUND, "not found\n"),
    }
}

/// `405`, naming the methods the path does allow (RFC 9110 §15.5.6 says
/// the `Allow` header is required).
fn not_allowed(allow: &'static str) -> Response {
    Response::text(Status::METHOD_NOT_ALLOWED, "method not allowed\n").header("Allow", allow)
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
    use crate::{ResponseBody, Version};

    fn request(method: Method, target: &str, body: &[u8]) -> Request {
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, Some(query.to_owned())),
            None => (target, None),
        };
        Request {
            method,
            path: path.to_owned(),
            query,
            version: Version::Http11,
            headers: Vec::new(),
            body: body.to_vec(),
            keep_alive: true,
        }
    }

    fn fib() -> impl Iterator<Item = u64> {
        std::iter::successors(Some((0u64, 1u64)), |&(a, b)| Some((b, a + b))).map(|(a, _)| a)
    }

    fn body(response: Response) -> Vec<u8> {
        match response.body {
            ResponseBody::Empty => Vec::new(),
            ResponseBody::Full(bytes) => bytes,
            ResponseBody::Stream(chunks) => chunks.flatten().collect(),
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
        assert_eq!(response.get_header("Allow"), Some("GET, HEAD"));
        let response = route(request(Method::Get, "/echo", b""), fib);
        assert_eq!(response.get_header("Allow"), Some("POST"));
        let put = Method::Other("PUT".to_owned());
        let response = route(request(put, "/fib?n=1", b""), fib);
        assert_eq!(response.status, Status::METHOD_NOT_ALLOWED);
        let response = route(request(Method::Get, "/nope", b""), fib);
        assert_eq!(response.status, Status::NOT_FOUND);
    }
}
