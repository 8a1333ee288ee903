//! `guarded()`: catching a thrown exception, and `finally`.
//!
//! ```python
//! def guarded():
//!     try:
//!         while True:
//!             try:
//!                 yield 'waiting'
//!             except ValueError:
//!                 yield 'recovered'
//!     finally:
//!         log('cleanup')
//! ```

use std::convert::Infallible;

use pygen_demos::{Log};
use pygen_protocol::{Class, Coroutine, Exception, Resume, finally};

use crate::Body;

// ANCHOR: demo
/// `guarded()`: recovers from `ValueError` at `'waiting'`; anything else
/// (or a `ValueError` at `'recovered'`, which is outside the inner `try`)
/// propagates, and `'cleanup'` is logged however the body ends.
pub fn guarded<S>(
    log: Log,
) -> impl Coroutine<Resume<S>, Yield = &'static str, Return = Result<Infallible, Exception>> + Unpin
{
    Body(
        #[coroutine]
        move |_first: Resume<S>| {
            // try: ... finally: log('cleanup')
            let _finally = finally(move || log.write("cleanup"));
            // while True:
            loop {
                // try:
                //     yield 'waiting'
                // except ValueError:
                //     yield 'recovered'
                match yield "waiting" {
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
// ANCHOR_END: demo
