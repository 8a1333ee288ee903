// `yield v` as a statement must not swallow a `throw` or a `close`: what a
// `yield` evaluates to is a `Resume`, a `Result`, whose `Err` is the
// exception thrown in. Dropping it is the `unused_must_use` warning, which
// CI denies (`-D warnings`); `(yield v)?;` in nightly and
// `co.yield_(v).await?;` in genawaiter let the exception propagate.

#![feature(coroutines)]
#![deny(unused_must_use)]

use pygen_protocol::{Coroutine, Exception, Resume, genawaiter, nightly};

fn nightly_ticks() -> impl Coroutine<Resume<()>, Yield = u32, Return = Result<(), Exception>> {
    nightly::Body(
        #[coroutine]
        |_first: Resume<()>| {
            yield 1;
            Ok(())
        },
    )
}

fn genawaiter_ticks() -> impl Coroutine<Resume<()>, Yield = u32, Return = Result<(), Exception>> {
    genawaiter::Body(genawaiter::Gen::new(|co: genawaiter::Co<u32, Resume<()>>| async move {
        co.yield_(1).await;
        Ok(())
    }))
}

fn main() {
    let _ = nightly_ticks();
    let _ = genawaiter_ticks();
}
