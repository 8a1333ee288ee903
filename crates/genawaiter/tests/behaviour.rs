//! The protocol table, row by row, against the genawaiter backend.

pygen_demos::behaviour_suite!(pygen_genawaiter);
