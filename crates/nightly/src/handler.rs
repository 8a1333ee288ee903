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

use num_bigint::BigUint;
use pygen_http::{Request, Response, route};
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

use crate::{Body, fibonacci};

// ANCHOR: demo
/// `handler()`: prime it with `next()`, then `send` it each request; it
/// yields `Some(response)`. A `next()` instead of a request yields `None`.
/// Closing it (or throwing into it) ends it with that exception.
pub fn handler()
-> impl Coroutine<Resume<Request>, Yield = Option<Response>, Return = Result<(), Exception>> + Unpin
{
    Body(
        #[coroutine]
        |_first: Resume<Request>| {
            // response = None
            let mut response = None;
            // count = 0
            let mut count = 0u64;
            // while True:
            loop {
                // request = yield response
                let Some(request) = (yield response)? else {
                    // next() rather than send(request): nothing to answer.
                    response = None;
                    continue;
                };
                // count += 1
                count += 1;
                // response = route(request)
                // response.headers['X-Request-Count'] = str(count)
                // (given the number itself, whose digits go into the line: no string)
                response = Some(route(request, fibonacci_numbers).header("X-Request-Count", count));
            }
        },
    )
}

/// `for n in fibonacci()`: this crate's generator, driven through Python's
/// rules, as the iterator `route` streams `/fib` from.
pub(crate) fn fibonacci_numbers() -> impl Iterator<Item = BigUint> {
    // fibonacci() never raises, so every item is `Ok`; `map_while` ends
    // the stream at an exception all the same, rather than hiding one.
    Generator::<_, ()>::new(fibonacci())
        .into_iter()
        .map_while(Result::ok)
}
// ANCHOR_END: demo
