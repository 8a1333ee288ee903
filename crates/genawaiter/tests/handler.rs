//! The HTTP handler, in process, against the genawaiter backend.

pygen_http::handler_suite!(pygen_genawaiter::handler);
