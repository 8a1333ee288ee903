#!/usr/bin/env bash
# The exercises' CI: formatting, clippy, the worked solutions against the
# tests, the unsolved exercises compiling cleanly, and the tests'
# expectations against CPython itself.
#
#   bash exercises/check.sh
#
# The exercises are their own cargo workspace (exercises/Cargo.toml), so
# none of this touches the main workspace; CARGO_TARGET_DIR is honoured.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n=== exercises: %s\n' "$*"; }

step "cargo fmt --check (src/, solutions/ and tests/)"
cargo fmt --manifest-path Cargo.toml --check

step "cargo clippy --locked --all-targets --features solutions -- -D warnings"
cargo clippy --locked --manifest-path Cargo.toml --all-targets --features solutions -- -D warnings

step "cargo clippy --locked --all-targets -- -D warnings (the unsolved exercises: no warnings)"
cargo clippy --locked --manifest-path Cargo.toml --all-targets -- -D warnings

step "cargo doc --no-deps with warnings denied (the exercises' doc comments)"
RUSTDOCFLAGS='-D warnings' cargo doc --locked --manifest-path Cargo.toml --no-deps

step "cargo test --locked --features solutions (every test passes with the worked solutions)"
cargo test --locked --manifest-path Cargo.toml --features solutions

step "cargo test --locked --no-run (the unsolved exercises' tests compile)"
cargo test --locked --manifest-path Cargo.toml --no-run

if command -v python3 >/dev/null 2>&1; then
    step "python3 python/expected.py (CPython agrees with the tests)"
    python3 python/expected.py
else
    step "python3 not found: skipping the CPython check"
fi
