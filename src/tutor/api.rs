//! `GET /api/run?demo=NAME&op=OP&op=OP...`: the four panes as JSON.
//!
//! ```text
//! {"demo": NAME,
//!  "cpython": "live" | "recorded" | "missing", "note": TEXT | null,
//!  "panes": {"python": P, "nightly": P, "genawaiter": P, "async-stream": P}}
//! P = {"source": TEXT, "start": VIEW, "steps": [STEP, ...]}
//! STEP = {"op": OP, "outcome": OUTCOME, "state": STATE, "line": LINE, ...}
//! ```
//!
//! OUTCOME is what follows `op: ` on the op's transcript line, STATE is
//! `inspect.getgeneratorstate`'s name after the op, LINE the 1-based line
//! of `source` the generator is paused at (`null` unless suspended). The
//! Python pane's steps and start also carry `locals`; each Rust step
//! carries `differs`, true where its outcome or state is not CPython's.
//! Every call replays the whole script from a new generator, in every
//! pane: generators are deterministic, so the page needs no session.
//! [`run`] blocks while python3 runs: the tutor calls it on a thread of
//! its own (`app.rs`).

use pygen_demos::{Demo, Op};
use serde_json::{Value, json};

use crate::Backend;
use crate::tutor::panes::{self, Pane, View};
use crate::tutor::python::{self, Origin, Python};

/// The most ops one call may replay: enough for any lesson, and a bound
/// on the work one request can ask for.
pub const MAX_OPS: usize = 200;

/// Read `demo` and the `op`s from a query string (URL-encoded, `+` or
/// `%20` for the space in `send 5`), or say in one line what is wrong.
/// An int past Python's limit on digits
/// ([`MAX_INT_DIGITS`](pygen_demos::MAX_INT_DIGITS)) is refused here, as
/// `pygen transcript` refuses it: CPython would refuse it before the
/// generator saw it.
pub fn parse_query(query: &str) -> Result<(Demo, Vec<Op>), String> {
    let mut demo = None;
    let mut ops = Vec::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match &*key {
            "demo" if demo.is_some() => return Err("demo is given twice".to_owned()),
            "demo" => demo = Some(value.parse::<Demo>().map_err(|e| e.to_string())?),
            "op" => ops.push(value.parse::<Op>().map_err(|e| e.to_string())?),
            other => {
                return Err(format!(
                    "unknown parameter '{other}' (expected demo and op)"
                ));
            }
        }
    }
    if ops.len() > MAX_OPS {
        return Err(format!("{} ops; at most {MAX_OPS} at a time", ops.len()));
    }
    pygen_demos::check_del_is_last(&ops).map_err(|e| e.to_string())?;
    let demo = demo.ok_or("no demo (expected ?demo=NAME&op=OP...)")?;
    Ok((demo, ops))
}

fn view_json(view: &View) -> Value {
    json!({"state": view.state, "line": view.line})
}

fn rust_pane(pane: &Pane, python: Option<&[Value]>) -> Value {
    let steps: Vec<Value> = pane
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let mut value = json!({
                "op": step.op,
                "outcome": step.outcome,
                "state": step.view.state,
                "line": step.view.line,
            });
            if let Some(theirs) = python.and_then(|steps| steps.get(i)) {
                let differs = theirs.get("outcome").and_then(Value::as_str)
                    != Some(step.outcome.as_str())
                    || theirs.get("state").and_then(Value::as_str) != Some(step.view.state);
                value["differs"] = differs.into();
            }
            value
        })
        .collect();
    json!({"source": pane.source, "start": view_json(&pane.start), "steps": steps})
}

/// The whole answer to `/api/run` for `demo` and `ops`, with CPython's
/// pane from `python`.
pub fn run(demo: Demo, ops: &[Op], python: &Python) -> Value {
    let cpython = python::run(demo, ops, python);
    let (origin, note) = match &cpython.origin {
        Origin::Live => ("live", None),
        Origin::Recorded(why) => ("recorded", Some(why.clone())),
        Origin::Missing(why) => ("missing", Some(why.clone())),
    };
    let compare_with = (cpython.steps.len() == ops.len()).then_some(cpython.steps.as_slice());
    let mut panes = serde_json::Map::new();
    panes.insert(
        "python".to_owned(),
        json!({
            "source": python::source(demo),
            "start": cpython.start,
            "steps": cpython.steps,
            "origin": origin,
        }),
    );
    for backend in [Backend::Nightly, Backend::Genawaiter, Backend::AsyncStream] {
        let pane = panes::run(backend, demo, ops);
        panes.insert(backend.name().to_owned(), rust_pane(&pane, compare_with));
    }
    json!({"demo": demo.name(), "cpython": origin, "note": note, "panes": panes})
}

/// `GET /api/demos`: the demos, and the exceptions `throw` takes.
pub fn demos() -> String {
    let names: Vec<&str> = Demo::ALL.iter().map(|d| d.name()).collect();
    let exceptions: Vec<&str> = pygen_protocol::Exception::ALL
        .iter()
        .map(|e| e.name())
        .collect();
    json!({"demos": names, "exceptions": exceptions}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_url_decoded() {
        let (demo, ops) =
            parse_query("demo=guarded&op=next&op=throw%20ValueError&op=send+5").expect("parsed");
        assert_eq!(demo, Demo::Guarded);
        let names: Vec<String> = ops.iter().map(Op::to_string).collect();
        assert_eq!(names, ["next", "throw ValueError", "send 5"]);
    }

    #[test]
    fn a_step_unlike_cpythons_is_flagged() {
        let ops = [Op::Next, Op::Close];
        let pane = crate::tutor::panes::run(Backend::Nightly, Demo::Guarded, &ops);
        let cpython = [
            json!({"op": "next", "outcome": "yield 'waiting'", "state": "GEN_SUSPENDED"}),
            json!({"op": "close", "outcome": "closed", "state": "GEN_CLOSED"}),
        ];
        let json = rust_pane(&pane, Some(&cpython));
        assert_eq!(json["steps"][0]["differs"], false);
        assert_eq!(json["steps"][1]["differs"], true, "{json}");
        assert!(rust_pane(&pane, None)["steps"][0].get("differs").is_none());
    }

    #[test]
    fn an_int_python_would_refuse_is_a_bad_query_naming_the_limit() {
        let digits = "7".repeat(pygen_demos::MAX_INT_DIGITS + 1);
        let why = parse_query(&format!("demo=echo&op=next&op=send+{digits}")).expect_err("refused");
        assert!(why.contains("4301-digit") && why.contains("4300"), "{why}");
    }

    #[test]
    fn bad_queries_are_one_line_reasons() {
        for query in [
            "",
            "demo=nope",
            "demo=echo&op=jump",
            "demo=echo&x=1",
            "op=next",
        ] {
            let why = parse_query(query).expect_err(query);
            assert!(!why.contains('\n'), "{why}");
        }
    }
}
