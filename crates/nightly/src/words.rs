//! `words()`: a `for` loop over the body's own local, across `yield`.
//!
//! ```python
//! def words():
//!     text = 'the quick brown fox'
//!     count = 0
//!     for word in text.split():
//!         reply = yield word
//!         if reply is not None:
//!             log(f'{word}: {reply}')
//!         count += 1
//!     return count
//! ```

use std::fmt::Display;

use pygen_demos::Log;
use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Body;

// ANCHOR: demo
/// `words()`: yields each word of its own `text`, logs what is sent back
/// for a word, and returns how many words it yielded.
///
/// The iterator `text.split_whitespace()` borrows `text`, a local of the
/// body, and is alive across every `yield`. A coroutine holding such a
/// borrow has to be declared `static`: the borrow points into the
/// coroutine's own saved state, so the coroutine must never move once it
/// has started. It is therefore `!Unpin`, and the caller pins it where it
/// lives, with no heap allocation:
/// `let body = pin!(words(log)); let g = Generator::new(body);`.
pub fn words<S: Display>(
    log: Log,
) -> impl Coroutine<Resume<S>, Yield = String, Return = Result<usize, Exception>> {
    Body(
        #[coroutine]
        static move |_first: Resume<S>| {
            // text = 'the quick brown fox'
            let text = String::from("the quick brown fox");
            // count = 0
            let mut count = 0;
            // for word in text.split():
            for word in text.split_whitespace() {
                // reply = yield word
                let reply = (yield word.to_owned())?;
                // if reply is not None:
                //     log(f'{word}: {reply}')
                if let Some(reply) = reply {
                    log.write(&format!("{word}: {reply}"));
                }
                // count += 1
                count += 1;
            }
            // return count
            Ok(count)
        },
    )
}
// ANCHOR_END: demo
