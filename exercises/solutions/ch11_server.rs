//! Chapter 11, the send-driven server. (Worked solution.)

use std::convert::Infallible;

use pygen_nightly::Body;
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

/// `handler()`: sent each request, it yields each response.
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
pub fn handler()
-> impl Coroutine<Resume<String>, Yield = Option<String>, Return = Result<Infallible, Exception>> + Unpin
{
    Body(
        #[coroutine]
        |_first: Resume<String>| {
            // count = 0
            let mut count = 0u64;
            // response = None
            let mut response = None;
            // while True:
            loop {
                // request = yield response
                // if request is None:
                //     response = None
                //     continue
                let Some(request) = (yield response)? else {
                    response = None;
                    continue;
                };
                // count += 1
                count += 1;
                response = Some(match request.as_str() {
                    // if request == 'GET /':
                    "GET /" => "Hello, World!".to_string(),
                    // elif request == 'GET /count':
                    "GET /count" => format!("request number {count}"),
                    // else:
                    _ => format!("404 Not Found: {request}"),
                });
            }
        },
    )
}

/// `serve(requests)`: one connection's conversation.
///
/// ```python
/// def serve(requests):
///     h = handler()
///     next(h)
///     return [h.send(request) for request in requests]
/// ```
pub fn serve(requests: &[&str]) -> Vec<String> {
    const ANSWERS: &str = "handler() answers every request and never raises";
    // h = handler(); next(h)
    let mut h = Generator::primed(handler()).expect(ANSWERS);
    // [h.send(request) for request in requests]
    requests
        .iter()
        .map(|request| h.send(request.to_string()).expect(ANSWERS).expect(ANSWERS))
        .collect()
}
