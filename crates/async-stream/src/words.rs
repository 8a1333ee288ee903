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

use async_stream::stream;
use pygen_demos::Log;
use pygen_protocol::{Coroutine, Exception, Resume};

use crate::{Body, Co, finish, resumed};

// ANCHOR: demo
/// `words()`: yields each word of its own `text`, logs what is sent back
/// for a word, and returns how many words it yielded.
///
/// The iterator `text.split_whitespace()` borrows `text`, a local of the
/// `stream!` block, and is alive across every `yield`. The block is an
/// `async` block underneath, which may do that: the compiler makes it
/// `!Unpin`, since the borrow points into the block's own saved state.
/// [`Body::new`] pins every stream in a `Box` when it is made, so nothing
/// more is needed here and the generator stays `Unpin`.
pub fn words<S: Display>(
    log: Log,
) -> impl Coroutine<Resume<S>, Yield = String, Return = Result<usize, Exception>> + Unpin {
    Body::new(move |co: Co<Resume<S>, usize>| {
        stream! {
            // text = 'the quick brown fox'
            let text = String::from("the quick brown fox");
            // count = 0
            let mut count = 0;
            // for word in text.split():
            for word in text.split_whitespace() {
                // reply = yield word
                yield word.to_owned();
                let reply = resumed!(co);
                // if reply is not None:
                //     log(f'{word}: {reply}')
                if let Some(reply) = reply {
                    log.write(&format!("{word}: {reply}"));
                }
                // count += 1
                count += 1;
            }
            // return count
            finish!(co, Ok(count));
        }
    })
}
// ANCHOR_END: demo
