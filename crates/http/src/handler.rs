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
