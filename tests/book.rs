//! The book's picture of a generator's states is checked against the code:
//! every arrow in `book/src/generator-states.svg` must be a move some
//! generator makes, and every move a generator makes must be an arrow.

use std::collections::BTreeSet;
use std::path::Path;

use num_bigint::BigInt;
use pygen_demos::Log;
use pygen_nightly::{countdown, guarded, running_sum, stubborn};
use pygen_protocol::{Coroutine, Exception, Generator, GeneratorState, Resume};

/// One call, by the name the picture's `data-ops` gives it.
#[derive(Clone, Copy, Debug)]
enum Call {
    Next,
    SendNone,
    Send,
    Throw(&'static str),
    Close,
}

impl Call {
    const ALL: [Call; 6] = [
        Call::Next,
        Call::SendNone,
        Call::Send,
        Call::Throw("ValueError"),
        Call::Throw("KeyError"),
        Call::Close,
    ];

    fn name(self) -> &'static str {
        match self {
            Call::Next => "next",
            Call::SendNone => "send-none",
            Call::Send => "send",
            Call::Throw(_) => "throw",
            Call::Close => "close",
        }
    }
}

fn state_name(state: GeneratorState) -> &'static str {
    match state {
        GeneratorState::Created => "created",
        GeneratorState::Running => "running",
        GeneratorState::Suspended => "suspended",
        GeneratorState::Closed => "closed",
    }
}

/// An arrow of the picture: from, to, and the call (or, from `running`,
/// what the body did: `yield` or `end`).
type Edge = (&'static str, &'static str, &'static str);

/// Apply `call` to `g` and add the arrows it travels along to `seen`.
fn step<G, R>(g: &mut Generator<G, BigInt>, call: Call, seen: &mut BTreeSet<Edge>)
where
    G: Coroutine<Resume<BigInt>, Return = Result<R, Exception>> + Unpin,
{
    let before = g.state();
    match call {
        Call::Next => drop(g.next()),
        Call::SendNone => drop(g.send_option(None)),
        Call::Send => drop(g.send(BigInt::from(5))),
        Call::Throw(name) => drop(g.throw(Exception::from_name(name).expect("a built-in"))),
        Call::Close => drop(g.close()),
    }
    let after = g.state();
    // The body runs when a call resumes it: any call on a suspended
    // generator, and next/send(None) on a new one.
    let resumed = before == GeneratorState::Suspended
        || (before == GeneratorState::Created && matches!(call, Call::Next | Call::SendNone));
    if resumed {
        seen.insert((state_name(before), "running", call.name()));
        let did = if after == GeneratorState::Suspended {
            "yield"
        } else {
            "end"
        };
        seen.insert(("running", state_name(after), did));
    } else {
        seen.insert((state_name(before), state_name(after), call.name()));
    }
}

/// Every call from every state the demos reach, up to three calls deep.
fn moves() -> BTreeSet<Edge> {
    let mut seen = BTreeSet::new();
    let mut scripts: Vec<Vec<Call>> = vec![vec![]];
    for _ in 0..3 {
        scripts = scripts
            .iter()
            .flat_map(|script| {
                Call::ALL.iter().map(move |&call| {
                    let mut longer = script.clone();
                    longer.push(call);
                    longer
                })
            })
            .collect();
        for script in &scripts {
            let log = Log::new();
            let mut g = Generator::new(guarded(log.clone()));
            for &call in script {
                step(&mut g, call, &mut seen);
            }
            let mut g = Generator::new(stubborn(log));
            for &call in script {
                step(&mut g, call, &mut seen);
            }
            let mut g = Generator::new(countdown());
            for &call in script {
                step(&mut g, call, &mut seen);
            }
            let mut g = Generator::new(running_sum());
            for &call in script {
                step(&mut g, call, &mut seen);
            }
        }
    }
    seen
}

/// The arrows drawn in the picture, from each edge group's `data-from`,
/// `data-to` and `data-ops`.
fn drawn() -> BTreeSet<(String, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/generator-states.svg");
    let svg = std::fs::read_to_string(path).expect("the picture is readable");
    let attribute = |tag: &str, name: &str| -> String {
        let start = tag.find(&format!("{name}=\"")).expect("the attribute") + name.len() + 2;
        tag[start..][..tag[start..].find('"').expect("a closing quote")].to_owned()
    };
    svg.split("<g class=\"edge\"")
        .skip(1)
        .flat_map(|rest| {
            let tag = &rest[..rest.find('>').expect("the tag ends")];
            let (from, to) = (attribute(tag, "data-from"), attribute(tag, "data-to"));
            attribute(tag, "data-ops")
                .split(',')
                .map(|op| (from.clone(), to.clone(), op.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_state_picture_draws_exactly_the_moves_generators_make() {
    let seen: BTreeSet<(String, String, String)> = moves()
        .into_iter()
        .map(|(from, to, op)| (from.to_owned(), to.to_owned(), op.to_owned()))
        .collect();
    let drawn = drawn();
    let missing: Vec<_> = seen.difference(&drawn).collect();
    let invented: Vec<_> = drawn.difference(&seen).collect();
    assert!(missing.is_empty(), "moves the picture lacks: {missing:?}");
    assert!(
        invented.is_empty(),
        "arrows no generator takes: {invented:?}"
    );
}
