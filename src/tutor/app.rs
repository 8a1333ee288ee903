//! The tutor's HTTP application: a generator handler on `pygen-http`,
//! written with genawaiter, the project serving its own teaching page.
//!
//! ```python
//! def tutor():
//!     response = None
//!     while True:
//!         request = yield response
//!         response = route(request)
//! ```
//!
//! What makes it safe to leave running:
//!
//! * `/api/run` never runs python3 on the event loop's thread. The
//!   handler yields a response that is not ready yet
//!   ([`Response::later`]) and hands its reply to a thread that runs
//!   python3 (with its deadline, `python.rs`) and the Rust panes; the
//!   loop serves every other request meanwhile, and writes the answer
//!   when the thread sends it. At most [`MAX_RUNS`](super::runs::MAX_RUNS) runs
//!   go at once; past that, `503` with `Retry-After`.
//! * Only requests whose `Host` names this server are answered
//!   (`hosts.rs`); others get `421 Misdirected Request`.
//! * `HEAD` is answered on every route that answers `GET` (RFC 9110
//!   §9.1: a server that answers `GET` must answer `HEAD`): the same
//!   headers, and the server leaves the body out.

use std::net::SocketAddr;
use std::sync::Arc;

use genawaiter::rc::{Co, Gen};
use pygen_genawaiter::Body;
use pygen_http::{Method, RETRY_AFTER, Request, Response, Status};
use pygen_protocol::{Coroutine, Exception, Resume};
use tracing::{debug, error};

use crate::tutor::api::{self, Script};
use crate::tutor::hosts::Hosts;
use crate::tutor::python::Python;
use crate::tutor::runs::{RunPermit, Runs};

/// What every connection's handler shares: the names it answers for,
/// the python3 it runs, and the count of runs going.
#[derive(Debug)]
pub struct Tutor {
    /// The `Host`s answered.
    pub hosts: Hosts,
    /// The python3 run, its deadline, and the shutdown that stops it.
    pub python: Python,
    /// Runs going at once.
    pub runs: Arc<Runs>,
}

impl Tutor {
    /// A tutor listening on `listening`, with python3 as
    /// [`Python::default`] says (`$PYGEN_TUTOR_PYTHON` or `python3`, 5 s).
    pub fn new(listening: SocketAddr) -> Tutor {
        Tutor {
            hosts: Hosts::new(listening),
            python: Python::default(),
            runs: Arc::new(Runs::default()),
        }
    }

    /// This tutor, with `python` run for the Python pane.
    pub fn with_python(mut self, python: Python) -> Tutor {
        self.python = python;
        self
    }
}

/// The page, its style and its script: plain files, built into the
/// binary, nothing fetched from anywhere.
const INDEX_HTML: &str = include_str!("page/index.html");
const TUTOR_CSS: &str = include_str!("page/tutor.css");
const TUTOR_JS: &str = include_str!("page/tutor.js");

// ANCHOR: handler
/// `tutor()`: prime it with `next()`, then `send` it each request; it
/// yields `Some(response)`. Every connection's handler shares `tutor`.
pub fn handler(
    tutor: Arc<Tutor>,
) -> impl Coroutine<Resume<Request>, Yield = Option<Response>, Return = Result<(), Exception>> + Unpin
{
    Body(Gen::new(
        |co: Co<Option<Response>, Resume<Request>>| async move {
            // response = None
            let mut response = None;
            // while True:
            loop {
                // request = yield response
                let Some(request) = co.yield_(response).await? else {
                    // next() rather than send(request): nothing to answer.
                    response = None;
                    continue;
                };
                // response = route(request)
                response = Some(route(&tutor, &request));
            }
        },
    ))
}
// ANCHOR_END: handler

/// A response with `body` as `content_type`.
fn file(content_type: &str, body: &str) -> Response {
    Response::new(Status::OK)
        .header("Content-Type", content_type.to_owned())
        .header("Cache-Control", "no-cache")
        .body(body.as_bytes().to_vec())
}

/// One line of text, ending in a newline, as pygen-http's own errors are.
fn error(status: Status, why: &str) -> Response {
    Response::text(status, format!("{why}\n"))
}

/// The routes: the page and its two files, and the JSON API; each
/// answers `GET` and `HEAD`, and only for a `Host` that names the tutor.
pub fn route(tutor: &Arc<Tutor>, request: &Request) -> Response {
    let host = request.header("Host").unwrap_or(b"");
    if !tutor.hosts.allows(host) {
        debug!(host = %String::from_utf8_lossy(host), "refusing a request for another host");
        let why = format!(
            "this tutor answers only for {}",
            tutor.hosts.names().join(", ")
        );
        return error(Status::MISDIRECTED_REQUEST, &why);
    }
    let path = request.path();
    let known = matches!(
        path,
        "/" | "/index.html" | "/tutor.css" | "/tutor.js" | "/api/run" | "/api/demos"
    );
    if !known {
        return error(Status::NOT_FOUND, &format!("no page at {path}"));
    }
    if !matches!(request.method, Method::Get | Method::Head) {
        return error(
            Status::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served here",
        )
        .header("Allow", "GET, HEAD");
    }
    match path {
        "/tutor.css" => file("text/css; charset=utf-8", TUTOR_CSS),
        "/tutor.js" => file("text/javascript; charset=utf-8", TUTOR_JS),
        "/api/demos" => file("application/json", &api::demos()),
        "/api/run" => match api::parse_query(request.query().unwrap_or("")) {
            Ok(script) => start_run(tutor, script),
            Err(why) => error(Status::BAD_REQUEST, &why),
        },
        _ => file("text/html; charset=utf-8", INDEX_HTML),
    }
}

// ANCHOR: start_run
/// `/api/run`'s answer, made on a thread of its own: a response that is
/// not ready yet, which the event loop writes when the thread replies.
/// Past [`MAX_RUNS`](crate::tutor::runs::MAX_RUNS) runs going, or with no
/// thread to be had, `503` with `Retry-After` at once.
fn start_run(tutor: &Arc<Tutor>, script: Script) -> Response {
    let Some(permit) = tutor.runs.try_start() else {
        debug!(
            going = tutor.runs.going(),
            "too many runs at once: answering 503"
        );
        return busy("too many runs at once; try again in a moment");
    };
    let (response, reply) = Response::later();
    let python = tutor.python.clone();
    let spawned = std::thread::Builder::new()
        .name("pygen-tutor-run".to_owned())
        .spawn(move || {
            let _permit: RunPermit = permit;
            let json = api::run(&script, &python).to_string();
            reply.send(move || file("application/json", &json));
        });
    match spawned {
        Ok(_) => response,
        Err(why) => {
            error!(%why, "cannot start a thread for a run: answering 503");
            busy("cannot start a run now; try again in a moment")
        }
    }
}
// ANCHOR_END: start_run

/// `503 Service Unavailable` with `Retry-After`: the tutor is busy, for
/// now (RFC 9110 §15.6.4), as pygen-http answers past its own limits.
fn busy(why: &str) -> Response {
    error(Status::SERVICE_UNAVAILABLE, why).header("Retry-After", RETRY_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pygen_http::ResponseBody;
    use pygen_protocol::Generator;

    fn body(response: &Response) -> String {
        match &response.body {
            ResponseBody::Full(bytes) => String::from_utf8(bytes.to_vec()).expect("UTF-8"),
            other => panic!("{other:?}"),
        }
    }

    fn get(target: &str) -> Request {
        Request::get(target).with_header("Host", "localhost:8000")
    }

    #[test]
    fn requests_in_responses_out() {
        let tutor = Tutor::new("127.0.0.1:8000".parse().expect("an address"));
        let mut tutor = Generator::new(handler(Arc::new(tutor)));
        assert!(matches!(tutor.next(), Ok(None)));
        let page = tutor.send(get("/")).expect("yields").expect("some");
        assert_eq!(page.status, Status::OK);
        assert!(body(&page).contains("<title>"));
        let bad = tutor
            .send(get("/api/run?demo=nope"))
            .expect("yields")
            .expect("some");
        assert_eq!(bad.status, Status::BAD_REQUEST);
        assert_eq!(body(&bad).lines().count(), 1);
        let missing = tutor.send(get("/nowhere")).expect("yields");
        assert_eq!(missing.expect("some").status, Status::NOT_FOUND);
        let elsewhere = tutor.send(Request::get("/")).expect("yields");
        assert_eq!(elsewhere.expect("some").status, Status::MISDIRECTED_REQUEST);
    }
}
