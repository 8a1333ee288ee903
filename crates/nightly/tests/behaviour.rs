//! The protocol table, row by row, against the nightly backend.

pygen_demos::behaviour_suite!(pygen_nightly);
