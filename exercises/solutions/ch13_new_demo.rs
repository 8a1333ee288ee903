//! Chapter 13, adding a demo. (Worked solution.)

use std::cell::RefCell;
use std::rc::Rc;

use num_bigint::BigInt;
use pygen_demos::{Log, Repr};
use pygen_protocol::{Coroutine, Exception, Resume, finally};

/// `maximum()`, as a nightly `#[coroutine]`.
///
/// ```python
/// def maximum():
///     best = None
///     try:
///         while True:
///             x = yield best
///             if x is None:
///                 return best
///             if best is None or x > best:
///                 best = x
///     finally:
///         log(f'best was {best}')
/// ```
///
/// `best` is shared between the loop and the `finally` guard, so that the
/// guard logs its final value however the body ends: by returning, by an
/// exception, by `close()`, or by being dropped while suspended.
pub fn maximum(
    log: Log,
) -> impl Coroutine<Resume<BigInt>, Yield = Option<BigInt>, Return = Result<Option<BigInt>, Exception>>
+ Unpin {
    pygen_nightly::Body(
        #[coroutine]
        move |_first: Resume<BigInt>| {
            // best = None
            let best: Rc<RefCell<Option<BigInt>>> = Rc::default();
            // try: ... finally: log(f'best was {best}')
            let _finally = finally({
                let best = Rc::clone(&best);
                move || log.write(&format!("best was {}", best.borrow().repr()))
            });
            // while True:
            loop {
                // x = yield best
                // if x is None:
                //     return best
                let current = best.borrow().clone();
                let Some(x) = (yield current)? else {
                    return Ok(best.borrow().clone());
                };
                // if best is None or x > best:
                //     best = x
                let mut best = best.borrow_mut();
                if best.as_ref().is_none_or(|b| x > *b) {
                    *best = Some(x);
                }
            }
        },
    )
}
