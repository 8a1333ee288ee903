//! The HTTP handler, in process, against the async-stream backend.

pygen_http::handler_suite!(pygen_async_stream::handler);
