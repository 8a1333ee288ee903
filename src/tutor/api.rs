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
//! of `source` the generator is paused at (`null` unless suspended).
//! An async demo (`ticker`, `running_mean`, `stubborn_async`) answers in
//! the same shape: its ops are `anext`, `asend N`, `athrow E` and
//! `aclose`, and its STATE `inspect.getasyncgenstate`'s name
//! (`AGEN_CREATED`, `AGEN_RUNNING`, `AGEN_SUSPENDED`, `AGEN_CLOSED`). A
//! generator's op on an async demo, or an async op on a generator, is a
//! `400` saying which ops the demo takes; `del` is a generator's op. The
//! Python pane's steps and start also carry `locals`; each Rust step
//! carries `differs`, true where its outcome or state is not CPython's.
//! Every call replays the whole script from a new generator, in every
//! pane: generators are deterministic, so the page needs no session.
//! [`run`] blocks while python3 runs: the tutor calls it on a thread of
//! its own (`app.rs`).

use pygen_demos::{AsyncDemo, AsyncOp, Demo, Op};
use serde_json::{Value, json};

use crate::Backend;
use crate::tutor::panes::{self, Pane, View};
use crate::tutor::python::{self, Origin, Python};

/// The most ops one call may replay: enough for any lesson, and a bound
/// on the work one request can ask for.
pub const MAX_OPS: usize = 200;

/// One demo and the ops to replay on it: a generator's script or an
/// async generator's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Script {
    /// A demo generator and its ops (`next`, `send 5`, ...).
    Sync(Demo, Vec<Op>),
    /// An async demo generator and its ops (`anext`, `asend 5`, ...).
    Async(AsyncDemo, Vec<AsyncOp>),
}

/// The first word of each op a generator takes, `del` among them.
const SYNC_WORDS: [&str; 5] = ["next", "send", "throw", "close", "del"];

/// Read `demo` and the `op`s from a query string (URL-encoded, `+` or
/// `%20` for the space in `send 5`), or say in one line what is wrong.
/// An int past Python's limit on digits
/// ([`MAX_INT_DIGITS`](pygen_demos::MAX_INT_DIGITS)) is refused here, as
/// `pygen transcript` refuses it: CPython would refuse it before the
/// generator saw it. So is an op of the other kind of generator.
pub fn parse_query(query: &str) -> Result<Script, String> {
    let mut demo = None;
    let mut words = Vec::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match &*key {
            "demo" if demo.is_some() => return Err("demo is given twice".to_owned()),
            "demo" => demo = Some(value.into_owned()),
            "op" => words.push(value.into_owned()),
            other => {
                return Err(format!(
                    "unknown parameter '{other}' (expected demo and op)"
                ));
            }
        }
    }
    if words.len() > MAX_OPS {
        return Err(format!("{} ops; at most {MAX_OPS} at a time", words.len()));
    }
    let name = demo.ok_or("no demo (expected ?demo=NAME&op=OP...)")?;
    let first = |word: &str| word.split_whitespace().next().unwrap_or("").to_owned();
    if let Ok(demo) = name.parse::<AsyncDemo>() {
        if let Some(word) = words
            .iter()
            .map(|w| first(w))
            .find(|w| SYNC_WORDS.contains(&&**w))
        {
            return Err(format!(
                "bad op '{word}': {demo} is an async generator, and '{word}' is a generator's op \
                 (an async generator takes anext, asend <int>, asend None, athrow <exception>, aclose)"
            ));
        }
        let ops = words
            .iter()
            .map(|w| w.parse::<AsyncOp>().map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        return Ok(Script::Async(demo, ops));
    }
    let demo = name.parse::<Demo>().map_err(|_| {
        let names: Vec<&str> = Demo::ALL
            .iter()
            .map(|d| d.name())
            .chain(AsyncDemo::ALL.iter().map(|d| d.name()))
            .collect();
        format!(
            "unknown demo '{name}' (expected one of: {})",
            names.join(", ")
        )
    })?;
    if let Some(word) = words
        .iter()
        .map(|w| first(w))
        .find(|w| AsyncOp::is_async_word(w))
    {
        return Err(format!(
            "bad op '{word}': {demo} is a generator, and '{word}' is an async generator's op \
             (a generator takes next, send <int>, send None, throw <exception>, close, del)"
        ));
    }
    let ops: Vec<Op> = words
        .iter()
        .map(|w| w.parse::<Op>().map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    pygen_demos::check_del_is_last(&ops).map_err(|e| e.to_string())?;
    Ok(Script::Sync(demo, ops))
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

/// The whole answer to `/api/run` for `script`, with CPython's pane from
/// `python`.
pub fn run(script: &Script, python: &Python) -> Value {
    match script {
        Script::Sync(demo, ops) => answer(*demo, ops, python, |backend| {
            panes::run(backend, *demo, ops)
        }),
        Script::Async(demo, ops) => answer(*demo, ops, python, |backend| {
            panes::run_async(backend, *demo, ops)
        }),
    }
}

/// The answer for `demo` (a [`Demo`] or an [`AsyncDemo`]) and its `ops`,
/// each Rust pane from `pane`.
fn answer<D, O>(demo: D, ops: &[O], python: &Python, pane: impl Fn(Backend) -> Pane) -> Value
where
    D: std::fmt::Display + Copy,
    O: std::fmt::Display,
{
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
        panes.insert(
            backend.name().to_owned(),
            rust_pane(&pane(backend), compare_with),
        );
    }
    json!({"demo": demo.to_string(), "cpython": origin, "note": note, "panes": panes})
}

/// `GET /api/demos`: the demos, the async demos, and the exceptions
/// `throw` and `athrow` take.
pub fn demos() -> String {
    let names: Vec<&str> = Demo::ALL.iter().map(|d| d.name()).collect();
    let async_names: Vec<&str> = AsyncDemo::ALL.iter().map(|d| d.name()).collect();
    let exceptions: Vec<&str> = pygen_protocol::Exception::ALL
        .iter()
        .map(|e| e.name())
        .collect();
    json!({"demos": names, "async_demos": async_names, "exceptions": exceptions}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_url_decoded() {
        let Ok(Script::Sync(demo, ops)) =
            parse_query("demo=guarded&op=next&op=throw%20ValueError&op=send+5")
        else {
            panic!("not parsed as a generator's script");
        };
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
    fn async_demos_take_async_ops() {
        let Ok(Script::Async(demo, ops)) =
            parse_query("op=anext&demo=ticker&op=asend+3&op=athrow%20ValueError&op=aclose")
        else {
            panic!("not parsed as an async generator's script");
        };
        assert_eq!(demo, AsyncDemo::Ticker);
        let names: Vec<String> = ops.iter().map(AsyncOp::to_string).collect();
        assert_eq!(names, ["anext", "asend 3", "athrow ValueError", "aclose"]);
        let why = parse_query("demo=ticker&op=anext&op=next").expect_err("refused");
        assert!(why.contains("'next'") && why.contains("anext"), "{why}");
        let why = parse_query("demo=echo&op=aclose").expect_err("refused");
        assert!(why.contains("'aclose'") && why.contains("close"), "{why}");
        let why = parse_query("demo=nope").expect_err("refused");
        assert!(why.contains("echo") && why.contains("ticker"), "{why}");
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
            "demo=ticker&op=next",
            "demo=ticker&op=anext&op=del",
            "demo=echo&op=anext",
            "demo=ticker&op=asend+x",
        ] {
            let why = parse_query(query).expect_err(query);
            assert!(!why.contains('\n'), "{why}");
        }
    }
}
