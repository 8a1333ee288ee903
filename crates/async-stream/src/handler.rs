//! `handler()`: the HTTP server's application, one per connection — sent
//! each request, it yields each response.
//!
//! ```python
//! def handler():
//!     response = None
//!     count = 0
//!     while True:
//!         request = yield response
//!         count += 1
//!         response = route(request)
//!         response.headers['X-Request-Count'] = str(count)
//! ```
//!
//! `count` is the state kept across requests: it lives in the coroutine,
//! paused at its `yield`, for as long as the connection does. `route` is
//! `pygen_http::route`, the same for every backend; what this backend adds
//! is its own `fibonacci()`, from which `GET /fib` streams.

use async_stream::stream;
use num_bigint::BigUint;
use pygen_http::{Request, Response, route};
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

use crate::{Body, Co, fibonacci, resumed};

/// `handler()`: prime it with `next()`, then `send` it each request; it
/// yields `Some(response)`. A `next()` instead of a request yields `None`.
/// Closing it (or throwing into it) ends it with that exception.
pub fn handler()
-> impl Coroutine<Resume<Request>, Yield = Option<Response>, Return = Result<(), Exception>> + Unpin
{
    // The first resume value, Python's priming `next(h)`, is put in the
    // slot before the first poll and never read: no `yield` is waiting yet.
    Body::new(|co: Co<Resume<Request>, ()>| {
        stream! {
            // response = None
            let mut response = None;
            // count = 0
            let mut count = 0u64;
            // while True:
            loop {
                // request = yield response
                yield response;
                let Some(request) = resumed!(co) else {
                    // next() rather than send(request): nothing to answer.
                    response = None;
                    continue;
                };
                // count += 1
                count += 1;
                // response = route(request)
                // response.headers['X-Request-Count'] = str(count)
                response = Some(
                    route(request, fibonacci_numbers).header("x-request-count", count.to_string()),
                );
            }
        }
    })
}

/// `for n in fibonacci()`: this crate's generator, driven through Python's
/// rules, as the iterator `route` streams `/fib` from.
fn fibonacci_numbers() -> impl Iterator<Item = BigUint> {
    Generator::<_, ()>::new(fibonacci()).into_iter()
}

#[cfg(test)]
mod tests {
    use pygen_http::{Method, ResponseBody, Status, Version};
    use pygen_protocol::{GeneratorState, Raised};

    use super::*;

    fn get(target: &str) -> Request {
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

    // h = handler(); next(h) is None; h.send(GET /) -> 200 'Hello, World!'
    #[test]
    fn requests_in_responses_out() {
        let mut h = Generator::new(handler());
        assert!(matches!(h.next(), Ok(None)));
        let response = h.send(get("/")).unwrap().unwrap();
        assert_eq!(response.status, Status::OK);
        assert!(matches!(response.body, ResponseBody::Full(ref b) if b == b"Hello, World!"));
        assert_eq!(response.get_header("x-request-count"), Some("1"));

        let response = h.send(get("/fib?n=12")).unwrap().unwrap();
        assert_eq!(response.get_header("x-request-count"), Some("2"));
        let ResponseBody::Stream(chunks) = response.body else {
            panic!("/fib is streamed");
        };
        let text = String::from_utf8(chunks.flatten().collect()).unwrap();
        assert_eq!(text.lines().last(), Some("89"));

        assert!(matches!(h.next(), Ok(None)));
        assert_eq!(h.close(), Ok(()));
        assert_eq!(h.state(), GeneratorState::Closed);
        assert!(matches!(h.send(get("/")), Err(Raised::StopIteration(None))));
    }
}
