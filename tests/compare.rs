//! `pygen compare`'s first part: every rule passes on every backend, and
//! each is shown in words with the Python that checks it.

use pygen::Backend;
use pygen::compare::{checks, conformance};
use pygen_demos::{ASYNC_ROWS, ROWS};

#[test]
fn every_backend_passes_every_rule_live() {
    let checks = checks();
    // The rows of the protocol table, and the two that need more than a
    // transcript.
    assert_eq!(checks.len(), ROWS.len() + ASYNC_ROWS.len() + 2);
    for check in &checks {
        assert_eq!(check.passed, vec![true; Backend::ALL.len()], "{check:?}");
    }
    let (text, all_pass) = conformance();
    assert!(all_pass, "{text}");
    // One verdict line per rule, each all ok.
    let verdicts = text.lines().filter(|l| l.starts_with("  ok ok ok  "));
    assert_eq!(verdicts.count(), checks.len(), "{text}");
}

#[test]
fn every_rule_is_shown_in_words_with_its_python() {
    let (text, _) = conformance();
    // The rules wrap, so compare with whitespace collapsed.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for row in ROWS {
        assert!(flat.contains(row.python), "{:?} in {text}", row.python);
        assert!(
            flat.contains(&format!("g = {}()", row.demo.name())),
            "{}",
            row.name
        );
        // No test names: a row is shown by what it checks.
        assert!(!text.contains(row.name), "{}", row.name);
    }
    for row in ASYNC_ROWS {
        assert!(flat.contains(row.python), "{:?} in {text}", row.python);
        assert!(!text.contains(row.name), "{}", row.name);
    }
    assert!(flat.contains("g = countdown(); next(g) → yield 3; next(g) → yield 2"));
    assert!(flat.contains("g = ticker(); await anext(g) → yield 0; await anext(g) → yield 1"));
    // Lines fit in 80 columns, except one that holds a single call and its
    // answer, which is never split (the pipeline's cascading close is one).
    assert!(
        text.lines()
            .all(|line| line.chars().count() <= 80
                || !line.trim().trim_end_matches(';').contains("; ")),
        "{text}"
    );
}
