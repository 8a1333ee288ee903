//! `pygen tutor`: step a demo generator and watch CPython and the three
//! Rust ways pause at the same place, in a browser.
//!
//! * [`panes`]: the Rust panes; each backend's demo file, its yield
//!   sites, and where that backend's generator is paused after each op.
//! * [`python`]: the Python pane; CPython run live through `python3`
//!   (`gi_frame.f_lineno` and `f_locals`), or its recorded runs.
//! * [`api`]: `GET /api/run?demo=NAME&op=OP...`, the four panes as JSON.
//! * [`runs`]: how many python3 runs go at once.
//! * [`hosts`]: the `Host`s the tutor answers for.
//! * [`app`]: the HTTP application, itself a generator handler
//!   (`request = yield response`) on `pygen-http`, written with
//!   genawaiter; it serves the page, its files, and the API.
//! * [`interactive`]: `pygen transcript --impl X DEMO` at a terminal, an
//!   op at a prompt and its transcript line at once.

pub mod api;
pub mod app;
pub mod hosts;
pub mod interactive;
pub mod panes;
pub mod python;
pub mod runs;
