//! The protocol table, row by row, against the genawaiter backend.

pygen_protocol::behaviour_suite!(pygen_genawaiter);
