//! Chapter 11: the handler coroutine. Each expectation is what CPython
//! 3.11 does (see `exercises/python/expected.py`).

use pygen_exercises::ch11_server::{handler, serve};
use pygen_protocol::{Exception, Generator, GeneratorState, Raised};

fn request(text: &str) -> String {
    text.to_string()
}

fn response(
    text: &str,
) -> Result<Option<String>, pygen_protocol::Raised<std::convert::Infallible>> {
    Ok(Some(text.to_string()))
}

// h = handler(); next(h) is None
// h.send('GET /') == 'Hello, World!'
// h.send('GET /nope') == '404 Not Found: GET /nope'
// h.send('GET /count') == 'request number 3'
// next(h) is None                         (no request: not counted)
// h.send('GET /count') == 'request number 4'
// h.close() is None
#[test]
fn the_handler_answers_and_counts() {
    let mut h = Generator::new(handler());
    assert_eq!(h.next(), Ok(None));
    assert_eq!(h.send(request("GET /")), response("Hello, World!"));
    assert_eq!(
        h.send(request("GET /nope")),
        response("404 Not Found: GET /nope")
    );
    assert_eq!(h.send(request("GET /count")), response("request number 3"));
    assert_eq!(h.next(), Ok(None));
    assert_eq!(h.send(request("GET /count")), response("request number 4"));
    assert_eq!(h.close(), Ok(()));
    assert_eq!(h.state(), GeneratorState::Closed);
}

// serve(['GET /count', 'GET /', 'GET /count'])
//     == ['request number 1', 'Hello, World!', 'request number 3']
// serve(['GET /count']) == ['request number 1']     (a fresh handler each time)
// serve([]) == []
#[test]
fn serve_holds_one_conversation() {
    assert_eq!(
        serve(&["GET /count", "GET /", "GET /count"]),
        ["request number 1", "Hello, World!", "request number 3"]
    );
    assert_eq!(serve(&["GET /count"]), ["request number 1"]);
    assert!(serve(&[]).is_empty());
}

// h = handler(); next(h) is None; h.send('GET /') == 'Hello, World!'
// h.throw(ValueError)  -> ValueError, and h is finished
// h.send('GET /')  -> StopIteration
#[test]
fn a_thrown_exception_ends_the_handler() {
    let mut h = Generator::new(handler());
    assert_eq!(h.next(), Ok(None));
    assert_eq!(h.send(request("GET /")), response("Hello, World!"));
    assert_eq!(
        h.throw(Exception::ValueError),
        Err(Raised::Exception(Exception::ValueError))
    );
    assert_eq!(h.state(), GeneratorState::Closed);
    assert_eq!(h.send(request("GET /")), Err(Raised::StopIteration(None)));
}
