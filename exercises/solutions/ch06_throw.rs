//! Chapter 6, `throw`. (Worked solution.)

use std::convert::Infallible;
use std::fmt;

use pygen_nightly::Body;
use pygen_protocol::{Class, Coroutine, Exception, Resume, UserException};

/// `tolerant()`, as a nightly `#[coroutine]`.
///
/// ```python
/// def tolerant():
///     while True:
///         try:
///             yield 'ready'
///         except ValueError:
///             yield 'recovered'
/// ```
pub fn tolerant()
-> impl Coroutine<Resume<()>, Yield = &'static str, Return = Result<Infallible, Exception>> + Unpin
{
    Body(
        #[coroutine]
        |_first: Resume<()>| {
            // while True:
            loop {
                // try:
                //     yield 'ready'
                // except ValueError:
                //     yield 'recovered'
                match yield "ready" {
                    Ok(_) => {}
                    Err(e) if e.is_instance(&Class::VALUE_ERROR) => {
                        (yield "recovered")?;
                    }
                    Err(other) => return Err(other),
                }
            }
        },
    )
}

/// `class Retry(Exception)`, carrying how long to wait.
///
/// ```python
/// class Retry(Exception):
///     def __init__(self, after):
///         super().__init__(f'retry after {after}s')
///         self.after = after
/// ```
#[derive(Debug)]
pub struct Retry {
    /// Seconds to wait before the next attempt.
    pub after: u64,
}

impl fmt::Display for Retry {
    /// `str(e)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "retry after {}s", self.after)
    }
}

impl UserException for Retry {
    /// `type(e).__name__`.
    fn class_name(&self) -> &'static str {
        "Retry"
    }
}

/// `fetcher()`, as a nightly `#[coroutine]`.
///
/// ```python
/// def fetcher():
///     attempt = 1
///     waited = 0
///     while True:
///         try:
///             yield f'attempt {attempt}'
///             return f'fetched after {waited}s'
///         except Retry as e:
///             attempt += 1
///             waited += e.after
/// ```
pub fn fetcher()
-> impl Coroutine<Resume<()>, Yield = String, Return = Result<String, Exception>> + Unpin {
    Body(
        #[coroutine]
        |_first: Resume<()>| {
            // attempt = 1
            let mut attempt = 1;
            // waited = 0
            let mut waited = 0;
            // while True:
            loop {
                // try:
                //     yield f'attempt {attempt}'
                //     return f'fetched after {waited}s'
                // except Retry as e:
                //     attempt += 1
                //     waited += e.after
                match yield format!("attempt {attempt}") {
                    Ok(_) => return Ok(format!("fetched after {waited}s")),
                    Err(e) => match e.downcast_ref::<Retry>() {
                        Some(retry) => {
                            attempt += 1;
                            waited += retry.after;
                        }
                        None => return Err(e),
                    },
                }
            }
        },
    )
}
