//! What the compiler enforces, shown by its refusals: each file in
//! `tests/ui/` is a program the compiler must reject, with the error it
//! gives beside it (`.stderr`). The comment at the top of each file says
//! which Python rule the refusal stands for.
//!
//! The expected messages are those of the nightly in `rust-toolchain.toml`;
//! after a toolchain update, `TRYBUILD=overwrite cargo test --test
//! compile_fail` rewrites them, to be read and committed.

#[test]
fn the_compiler_refuses() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
