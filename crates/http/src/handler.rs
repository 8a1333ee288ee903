//! [`Handler`]: the shape of a connection's application coroutine.
//!
//! The seed program's idea is that a connection's application is a
//! generator that is *sent* requests and *yields* responses:
//!
//! ```python
//! def handler():
//!     response = None
//!     while True:
//!         request = yield response
//!         response = route(request)
//! ```
//!
//! The event loop makes one per connection and drives it through
//! [`Generator`](pygen_protocol::Generator), with Python's calls: `next()`
//! once, to run it to its first `yield` (which yields `None`: there is no
//! response before the first request), then `send(request)` for each
//! request, answering with the response it yields. Whatever the handler
//! keeps in its locals lives as long as the connection: state across
//! requests is just a variable.
//!
//! In Rust terms a handler is any [`Coroutine`] resumed with
//! [`Resume<Request>`] that yields `Option<Response>` and returns
//! `Result<(), Exception>`. This trait names that, so the event loop can
//! say `H: Handler`; every such coroutine is one, with nothing to
//! implement. The loop is generic over `H`, so each backend's handler is
//! compiled into it and resumed with a direct call.

use pygen_protocol::{Coroutine, Exception, Resume};

use crate::{Request, Response};

/// A connection's application coroutine: `request = yield response`.
///
/// Implemented for every coroutine of the right shape. `Unpin`, because
/// the connection owns it and moves with it; a `!Unpin` body can be put in
/// a `Pin<Box<_>>`, which is a `Coroutine` too.
pub trait Handler:
    Coroutine<Resume<Request>, Yield = Option<Response>, Return = Result<(), Exception>> + Unpin
{
}

impl<T> Handler for T where
    T: Coroutine<Resume<Request>, Yield = Option<Response>, Return = Result<(), Exception>> + Unpin
{
}

/// The handler's behaviour, in process: the tests every backend's
/// `handler()` runs, from its crate's `tests/handler.rs`, as
/// `pygen_http::handler_suite!(pygen_nightly::handler);`.
///
/// Test support, behind the feature `testing`, which only the backend
/// crates' dev-dependencies turn on.
#[cfg(feature = "testing")]
#[macro_export]
macro_rules! handler_suite {
    ($handler:path) => {
        use $crate::{Request, ResponseBody, Status};
        use pygen_protocol::{Generator, GeneratorState, Raised};

        // h = handler(); next(h) is None; h.send(GET /) -> 200 'Hello, World!'
        #[test]
        fn requests_in_responses_out() {
            let mut h = Generator::new($handler());
            assert!(matches!(h.next(), Ok(None)));
            let response = h.send(Request::get("/")).unwrap().unwrap();
            assert_eq!(response.status, Status::OK);
            assert!(matches!(response.body, ResponseBody::Full(ref b) if **b == *b"Hello, World!"));
            assert_eq!(response.get_header("X-Request-Count"), Some("1"));
        }

        // the request count is state kept across sends
        #[test]
        fn state_is_kept_across_requests() {
            let mut h = Generator::new($handler());
            h.next().unwrap();
            for count in 1..=3 {
                let response = h.send(Request::get("/nowhere")).unwrap().unwrap();
                assert_eq!(response.status, Status::NOT_FOUND);
                let expected = count.to_string();
                assert_eq!(response.get_header("X-Request-Count"), Some(expected.as_str()));
            }
        }

        // /fib streams from the backend's own fibonacci(): F(0)..F(11)
        #[test]
        fn fib_streams_the_backends_generator() {
            let mut h = Generator::new($handler());
            h.next().unwrap();
            let response = h.send(Request::get("/fib?n=12")).unwrap().unwrap();
            let ResponseBody::Stream(chunks) = response.body else {
                panic!("/fib is streamed");
            };
            let text = String::from_utf8(chunks.flatten().collect()).unwrap();
            let numbers: Vec<&str> = text.lines().collect();
            assert_eq!(numbers, ["0", "1", "1", "2", "3", "5", "8", "13", "21", "34", "55", "89"]);
        }

        // next(h) instead of a request yields None; close() ends it
        #[test]
        fn next_yields_none_and_close_ends_it() {
            let mut h = Generator::new($handler());
            assert!(matches!(h.next(), Ok(None)));
            assert!(matches!(h.next(), Ok(None)));
            assert_eq!(h.close(), Ok(()));
            assert_eq!(h.state(), GeneratorState::Closed);
            assert!(matches!(h.send(Request::get("/")), Err(Raised::StopIteration(None))));
        }
    };
}
