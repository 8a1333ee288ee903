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

use genawaiter::rc::{Co, Gen};
use pygen_genawaiter::Body;
use pygen_http::{Method, Request, Response, Status};
use pygen_protocol::{Coroutine, Exception, Resume};

use crate::tutor::api;

/// The page, its style and its script: plain files, built into the
/// binary, nothing fetched from anywhere.
const INDEX_HTML: &str = include_str!("page/index.html");
const TUTOR_CSS: &str = include_str!("page/tutor.css");
const TUTOR_JS: &str = include_str!("page/tutor.js");

// ANCHOR: handler
/// `tutor()`: prime it with `next()`, then `send` it each request; it
/// yields `Some(response)`.
pub fn handler()
-> impl Coroutine<Resume<Request>, Yield = Option<Response>, Return = Result<(), Exception>> + Unpin
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
                response = Some(route(&request));
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

/// The routes: the page and its two files, and the JSON API.
pub fn route(request: &Request) -> Response {
    let path = request.path();
    let known = matches!(
        path,
        "/" | "/index.html" | "/tutor.css" | "/tutor.js" | "/api/run" | "/api/demos"
    );
    if !known {
        return error(Status::NOT_FOUND, &format!("no page at {path}"));
    }
    if request.method != Method::Get {
        return error(Status::METHOD_NOT_ALLOWED, "only GET is served here").header("Allow", "GET");
    }
    match path {
        "/tutor.css" => file("text/css; charset=utf-8", TUTOR_CSS),
        "/tutor.js" => file("text/javascript; charset=utf-8", TUTOR_JS),
        "/api/demos" => file("application/json", &api::demos()),
        "/api/run" => match api::answer(request.query().unwrap_or("")) {
            Ok(json) => file("application/json", &json),
            Err(why) => error(Status::BAD_REQUEST, &why),
        },
        _ => file("text/html; charset=utf-8", INDEX_HTML),
    }
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

    #[test]
    fn requests_in_responses_out() {
        let mut tutor = Generator::new(handler());
        assert!(matches!(tutor.next(), Ok(None)));
        let page = tutor
            .send(Request::get("/"))
            .expect("yields")
            .expect("some");
        assert_eq!(page.status, Status::OK);
        assert!(body(&page).contains("<title>"));
        let bad = tutor
            .send(Request::get("/api/run?demo=nope"))
            .expect("yields")
            .expect("some");
        assert_eq!(bad.status, Status::BAD_REQUEST);
        assert_eq!(body(&bad).lines().count(), 1);
        let missing = tutor.send(Request::get("/nowhere")).expect("yields");
        assert_eq!(missing.expect("some").status, Status::NOT_FOUND);
    }
}
