//! The HTTP handler, in process, against the nightly backend.

pygen_http::handler_suite!(pygen_nightly::handler);
