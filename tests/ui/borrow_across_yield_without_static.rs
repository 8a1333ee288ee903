// A coroutine that is not `static` may be moved between resumes, so the
// compiler refuses a borrow of one of its locals that lives across a
// `yield`: that is why nightly's `words` is a `static` coroutine.

#![feature(coroutines, coroutine_trait, stmt_expr_attributes)]

use std::ops::Coroutine;
use std::pin::Pin;

fn main() {
    let mut words = #[coroutine]
    || {
        let text = String::from("the quick brown fox");
        for word in text.split_whitespace() {
            yield word.len();
        }
    };
    let _ = Pin::new(&mut words).resume(());
}
