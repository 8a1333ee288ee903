//! The protocol table, row by row, against the nightly backend.

pygen_protocol::behaviour_suite!(pygen_nightly);
