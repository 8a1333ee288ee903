//! `inventory()`: `except` by class hierarchy, and PEP 479.
//!
//! ```python
//! def inventory():
//!     stock = {1: 'apple', 2: 'pear'}
//!     spares = iter(['fig'])
//!     reply = None
//!     while True:
//!         try:
//!             key = yield reply
//!             reply = stock[key]            # KeyError if key is not in stock
//!         except LookupError as e:          # KeyError is a LookupError
//!             log(f'missing {e}')
//!             reply = next(spares)          # the second time, StopIteration escapes
//!         except Exception as e:            # GeneratorExit is not an Exception
//!             reply = type(e).__name__
//! ```

use std::collections::HashMap;
use std::convert::Infallible;

use async_stream::stream;
use num_bigint::BigInt;
use pygen_demos::Log;
use pygen_demos::builtins::{getitem, next};
use pygen_protocol::{Class, Coroutine, Exception, Resume};

use crate::{Body, Co, finish};

// ANCHOR: demo
/// `inventory()`: yields what is in stock under the key sent; a missing
/// key (`KeyError`, caught as the `LookupError` it is) is replaced by a
/// spare while there is one, and any other `Exception` thrown in is
/// answered with its class name. `GeneratorExit` is not an `Exception`,
/// so `close()` goes through; and when the spares run out, the
/// `StopIteration` of `next(spares)` escapes the body, which PEP 479 turns
/// into `RuntimeError`.
pub fn inventory(
    log: Log,
) -> impl Coroutine<Resume<BigInt>, Yield = Option<&'static str>, Return = Result<Infallible, Exception>>
+ Unpin {
    Body::new(move |co: Co<Resume<BigInt>, Infallible>| {
        stream! {
            // stock = {1: 'apple', 2: 'pear'}
            let stock = HashMap::from([
                (Some(BigInt::from(1)), "apple"),
                (Some(BigInt::from(2)), "pear"),
            ]);
            // spares = iter(['fig'])
            let mut spares = ["fig"].into_iter();
            // reply = None
            let mut reply = None;
            // while True:
            loop {
                // try:
                //     key = yield reply
                //     reply = stock[key]
                yield reply;
                let tried = co.resumed().and_then(|key| getitem(&stock, &key));
                match tried {
                    Ok(found) => reply = Some(found),
                    // except LookupError as e:
                    //     log(f'missing {e}')
                    //     reply = next(spares)
                    Err(e) if e.is_instance(&Class::LOOKUP_ERROR) => {
                        log.write(&format!("missing {}", e.message()));
                        match next(&mut spares) {
                            Ok(spare) => reply = Some(spare),
                            // not caught: the StopIteration propagates
                            Err(stop) => finish!(co, Err(stop)),
                        }
                    }
                    // except Exception as e:
                    //     reply = type(e).__name__
                    Err(e) if e.is_instance(&Class::EXCEPTION) => reply = Some(e.name()),
                    // anything else (GeneratorExit) is not caught here
                    Err(other) => finish!(co, Err(other)),
                }
            }
        }
    })
}
// ANCHOR_END: demo
