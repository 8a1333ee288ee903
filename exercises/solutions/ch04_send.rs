//! Chapter 4, `send` and priming. (Worked solution.)

use std::convert::Infallible;

use pygen_nightly::Body;
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

/// `averager()`, as a nightly `#[coroutine]` closure.
///
/// ```python
/// def averager():
///     total = 0.0
///     count = 0
///     average = None
///     while True:
///         value = yield average
///         total += value
///         count += 1
///         average = total / count
/// ```
pub fn averager()
-> impl Coroutine<Resume<f64>, Yield = Option<f64>, Return = Result<Infallible, Exception>> + Unpin
{
    Body(
        #[coroutine]
        |_first: Resume<f64>| {
            // total = 0.0
            let mut total = 0.0;
            // count = 0
            let mut count = 0;
            // average = None
            let mut average = None;
            // while True:
            loop {
                // value = yield average
                let value = (yield average)?;
                // total += value     (None + a float: TypeError)
                let Some(value) = value else {
                    return Err(Exception::TypeError);
                };
                total += value;
                // count += 1
                count += 1;
                // average = total / count
                average = Some(total / f64::from(count));
            }
        },
    )
}

/// `averaged(values)`: drive [`averager`] with `send`.
///
/// ```python
/// def averaged(values):
///     g = averager()
///     next(g)
///     average = None
///     for value in values:
///         average = g.send(value)
///     return average
/// ```
pub fn averaged(values: &[f64]) -> Option<f64> {
    const NEVER_FAILS: &str = "averager() only fails when sent None";
    // g = averager(); next(g)
    let mut g = Generator::primed(averager()).expect(NEVER_FAILS);
    // average = None
    let mut average = None;
    // for value in values:
    //     average = g.send(value)
    for &value in values {
        average = g.send(value).expect(NEVER_FAILS);
    }
    average
}
