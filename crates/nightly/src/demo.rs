//! [`demo`]: pick a demo by name at run time, for transcripts and the CLI.
//! The same function in every backend, so it is written once, in
//! `pygen_protocol::demo_by_name!`.

use crate::{batches, countdown, echo, fibonacci, guarded, running_sum, stubborn};

pygen_protocol::demo_by_name!();
