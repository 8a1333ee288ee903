//! Chapter 11, the send-driven server: a handler coroutine,
//! `request = yield response`.

use std::convert::Infallible;

use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Unsolved;

/// `handler()`: sent each request, it yields each response, and it
/// remembers how many requests it has answered.
///
/// ```python
/// def handler():
///     count = 0
///     response = None
///     while True:
///         request = yield response
///         if request is None:
///             response = None
///             continue
///         count += 1
///         if request == 'GET /':
///             response = 'Hello, World!'
///         elif request == 'GET /count':
///             response = f'request number {count}'
///         else:
///             response = f'404 Not Found: {request}'
/// ```
///
/// This is the seed's web-server sketch, with plain strings for requests
/// and responses. The line to look at is `request = yield response`: one
/// `yield` both hands out the answer to the last request and receives the
/// next one. Between requests the handler sits at that `yield`, and
/// `count` stays alive in the paused coroutine for as long as the
/// connection lasts: the server keeps no state of its own.
///
/// Use either backend (`crates/*/src/handler.rs` is the real thing, with
/// HTTP types). A `match request.as_str() { "GET /" => ..., "GET /count" =>
/// ..., _ => ... }` is Python's `if`/`elif`/`else`. A `next()` (no request)
/// yields `None` and does not count.
pub fn handler()
-> impl Coroutine<Resume<String>, Yield = Option<String>, Return = Result<Infallible, Exception>> + Unpin
{
    todo!("chapter 11: handler()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `serve(requests)`: the server's side of the conversation, for one
/// connection.
///
/// ```python
/// def serve(requests):
///     h = handler()
///     next(h)
///     return [h.send(request) for request in requests]
/// ```
///
/// Make a fresh handler, prime it, and `send` it each request in turn,
/// collecting the responses. `handler` yields `Some(response)` for every
/// request sent and never raises, so `.expect(...)` on each `send`, and on
/// the `Option`, is honest here.
pub fn serve(requests: &[&str]) -> Vec<String> {
    let _ = requests;
    todo!("chapter 11: serve()")
}
