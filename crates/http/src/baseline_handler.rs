//! [`BaselineHandler`]: the handler written by hand, with no generator
//! library — what the three backends' `handler()` compile down to.
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
//! A generator is a state machine whose state is "where the body is
//! paused" plus the locals live across that pause. This body pauses in one
//! place, so its state is just whether it has started, and `count`. The
//! compiler builds the same thing from a `#[coroutine]` closure; writing it
//! out shows what the backends automate, and gives benchmarks a baseline
//! and this crate's tests a handler without depending on any backend.

use std::pin::Pin;

use num_bigint::BigUint;
use pygen_protocol::{Coroutine, CoroutineState, Exception, Resume};

use crate::{Request, Response, route};

/// The Python handler above as a hand-written state machine.
#[derive(Debug, Default)]
pub struct BaselineHandler {
    /// Whether the body has run to its `yield` yet.
    started: bool,
    /// The body has returned or raised; resuming again is a bug in the
    /// caller (the `Generator` wrapper never does it).
    finished: bool,
    /// `count`: requests answered on this connection.
    count: u64,
}

impl BaselineHandler {
    /// `handler()`: a new generator, none of its body run.
    pub fn new() -> BaselineHandler {
        BaselineHandler::default()
    }
}

impl Coroutine<Resume<Request>> for BaselineHandler {
    type Yield = Option<Response>;
    type Return = Result<(), Exception>;

    fn resume(
        self: Pin<&mut Self>,
        arg: Resume<Request>,
    ) -> CoroutineState<Option<Response>, Result<(), Exception>> {
        let this = self.get_mut();
        assert!(!this.finished, "BaselineHandler resumed after it finished");
        if !this.started {
            // response = None; count = 0; first `yield response`
            this.started = true;
            return CoroutineState::Yielded(None);
        }
        // request = yield response  (an exception thrown in propagates)
        match arg {
            Err(exception) => {
                this.finished = true;
                CoroutineState::Complete(Err(exception))
            }
            // next() instead of send(request): nothing to answer.
            Ok(None) => CoroutineState::Yielded(None),
            Ok(Some(request)) => {
                // count += 1
                this.count += 1;
                // response = route(request)
                let response = route(request, fibonacci).header("X-Request-Count", this.count);
                CoroutineState::Yielded(Some(response))
            }
        }
    }
}

/// `fibonacci()` as a hand-written iterator over big integers.
fn fibonacci() -> impl Iterator<Item = BigUint> {
    let mut pair = (BigUint::ZERO, BigUint::from(1u8));
    std::iter::from_fn(move || {
        let next = &pair.0 + &pair.1;
        let b = std::mem::replace(&mut pair.1, next);
        Some(std::mem::replace(&mut pair.0, b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ResponseBody;
    use pygen_protocol::{Generator, Raised};

    fn get(path: &str, query: Option<&str>) -> Request {
        match query {
            Some(query) => Request::get(&format!("{path}?{query}")),
            None => Request::get(path),
        }
    }

    #[test]
    fn it_is_a_generator_of_responses() {
        let mut handler = Generator::new(BaselineHandler::new());
        assert!(matches!(handler.next(), Ok(None)));
        let first = handler.send(get("/", None)).unwrap().unwrap();
        assert_eq!(first.get_header("X-Request-Count"), Some("1"));
        let second = handler.send(get("/fib", Some("n=100"))).unwrap().unwrap();
        assert_eq!(second.get_header("X-Request-Count"), Some("2"));
        let ResponseBody::Stream(chunks) = second.body else {
            panic!("/fib is streamed");
        };
        let lines = String::from_utf8(chunks.flatten().collect()).unwrap();
        assert_eq!(lines.lines().nth(99), Some("218922995834555169026"));
        assert_eq!(handler.close(), Ok(()));
        assert!(matches!(handler.next(), Err(Raised::StopIteration(None))));
    }
}
