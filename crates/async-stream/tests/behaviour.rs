//! The protocol table, row by row, against the async-stream backend.

pygen_demos::behaviour_suite!(pygen_async_stream);
