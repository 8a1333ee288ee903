//! `pygen compare`'s conformance table: every row passes on every
//! backend, and a failing row would be reported as such.

#[test]
fn every_backend_passes_every_row_live() {
    let (table, all_pass) = pygen::compare::conformance();
    assert!(all_pass, "{table}");
    let rows = pygen_demos::ROWS.len() + 2;
    assert_eq!(
        table.lines().count(),
        rows + 1,
        "a header and one line per row"
    );
    assert_eq!(table.matches(" ok").count(), rows * 3);
    assert!(!table.contains("FAIL"));
}
