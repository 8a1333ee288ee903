//! Chapter 8, `yield from`. (Worked solution.)

use genawaiter::rc::{Co, Gen};
use pygen_nightly::{countdown, running_sum, yield_from};
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

/// A fresh sub-generator always returns a value: `yield from` only gives
/// `None` for one that had finished before it started.
const FRESH: &str = "a fresh sub-generator returns a value";

/// `mission()`, as a nightly `#[coroutine]`, with `yield_from!`.
///
/// ```python
/// def mission():
///     status = yield from countdown()
///     fuel = yield from running_sum()
///     return f'{status} with {fuel} fuel'
/// ```
pub fn mission()
-> impl Coroutine<Resume<i64>, Yield = i64, Return = Result<String, Exception>> + Unpin {
    pygen_nightly::Body(
        #[coroutine]
        |_first: Resume<i64>| {
            // status = yield from countdown()
            let status = yield_from!(Generator::new(countdown()))?.expect(FRESH);
            // fuel = yield from running_sum()
            let fuel = yield_from!(Generator::new(running_sum::<i64>()))?.expect(FRESH);
            // return f'{status} with {fuel} fuel'
            Ok(format!("{status} with {fuel} fuel"))
        },
    )
}

/// `mission()` with genawaiter and its `yield_from` `async fn`.
///
/// ```python
/// def mission():
///     status = yield from countdown()
///     fuel = yield from running_sum()
///     return f'{status} with {fuel} fuel'
/// ```
pub fn mission_genawaiter()
-> impl Coroutine<Resume<i64>, Yield = i64, Return = Result<String, Exception>> + Unpin {
    use pygen_genawaiter::yield_from;

    pygen_genawaiter::Body(Gen::new(|co: Co<i64, Resume<i64>>| async move {
        // status = yield from countdown()
        let countdown = Generator::new(pygen_genawaiter::countdown());
        let status = yield_from(&co, countdown).await?.expect(FRESH);
        // fuel = yield from running_sum()
        let running_sum = Generator::new(pygen_genawaiter::running_sum::<i64>());
        let fuel = yield_from(&co, running_sum).await?.expect(FRESH);
        // return f'{status} with {fuel} fuel'
        Ok(format!("{status} with {fuel} fuel"))
    }))
}
