//! The README's protocol table is made from `pygen_demos::ROWS`, the data
//! the behaviour suite runs: this test fails when the two differ, and
//! `PYGEN_BLESS=1 cargo test --test protocol_table` rewrites the README's
//! copy from the data.

use std::path::Path;

const BEGIN: &str =
    "<!-- protocol table: made from pygen_demos::ROWS by tests/protocol_table.rs -->\n";
const END: &str = "<!-- end of protocol table -->";

#[test]
fn the_readme_table_is_made_from_the_rows() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md is readable");
    let start = readme
        .find(BEGIN)
        .expect("README.md has the table's start marker")
        + BEGIN.len();
    let end = start
        + readme[start..]
            .find(END)
            .expect("README.md has the table's end marker");
    let table = pygen_demos::conformance::markdown_table();
    if readme[start..end] != table {
        if std::env::var_os("PYGEN_BLESS").is_some() {
            let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(&path, updated).expect("README.md is writable");
        } else {
            panic!(
                "README.md's protocol table differs from pygen_demos::ROWS; \
                 PYGEN_BLESS=1 cargo test --test protocol_table rewrites it"
            );
        }
    }
}
