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

use genawaiter::rc::{Co, Gen};
use pygen_demos::Log;
use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Body;

// ANCHOR: demo
/// `words()`: yields each word of its own `text`, logs what is sent back
/// for a word, and returns how many words it yielded.
///
/// The iterator `text.split_whitespace()` borrows `text`, a local of the
/// `async` block, and is alive across every `.await`. An `async` block may
/// do that: the compiler makes it `!Unpin`, since the borrow points into
/// the block's own saved state. `rc::Gen` has already pinned the block in a
/// `Box` when the generator was made, so nothing more is needed here and
/// the generator stays `Unpin`; the price is that box, which every
/// genawaiter `rc` generator pays, borrowing or not.
pub fn words<S: Display>(
    log: Log,
) -> impl Coroutine<Resume<S>, Yield = String, Return = Result<usize, Exception>> + Unpin {
    Body(Gen::new(move |co: Co<String, Resume<S>>| async move {
        // text = 'the quick brown fox'
        let text = String::from("the quick brown fox");
        // count = 0
        let mut count = 0;
        // for word in text.split():
        for word in text.split_whitespace() {
            // reply = yield word
            let reply = co.yield_(word.to_owned()).await?;
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
    }))
}
// ANCHOR_END: demo
