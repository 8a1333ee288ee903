//! Chapter 12, costs: what a paused generator keeps. (Worked solution.)

use std::convert::Infallible;

use genawaiter::rc::{Co, Gen};
use pygen_protocol::{Coroutine, Exception, Resume};

/// How many bytes a generator body takes where it is stored.
pub fn size_of_body<C>(body: &C) -> usize {
    std::mem::size_of_val(body)
}

/// `holds_buffer()`: a 64-item buffer alive across the `yield`.
///
/// ```python
/// def holds_buffer():
///     buffer = [1] * 64
///     while True:
///         yield sum(buffer)
///         buffer[0] += 1
/// ```
pub fn holds_buffer()
-> impl Coroutine<Resume<()>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    pygen_nightly::Body(
        #[coroutine]
        |_first: Resume<()>| {
            // buffer = [1] * 64
            let mut buffer = [1u64; 64];
            // while True:
            loop {
                // yield sum(buffer)
                (yield buffer.iter().sum::<u64>())?;
                // buffer[0] += 1
                buffer[0] += 1;
            }
        },
    )
}

/// `drops_buffer()`: the buffer is gone before each `yield`.
///
/// ```python
/// def drops_buffer():
///     n = 0
///     while True:
///         buffer = [1] * 64
///         total = sum(buffer) + n
///         del buffer
///         yield total
///         n += 1
/// ```
pub fn drops_buffer()
-> impl Coroutine<Resume<()>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    pygen_nightly::Body(
        #[coroutine]
        |_first: Resume<()>| {
            // n = 0
            let mut n = 0;
            // while True:
            loop {
                // buffer = [1] * 64
                // total = sum(buffer) + n
                // del buffer              (the end of the block)
                let total = {
                    let buffer = [1u64; 64];
                    buffer.iter().sum::<u64>() + n
                };
                // yield total
                (yield total)?;
                // n += 1
                n += 1;
            }
        },
    )
}

/// `holds_buffer()` with genawaiter: the buffer lives in the boxed
/// `async` block.
///
/// ```python
/// def holds_buffer():
///     buffer = [1] * 64
///     while True:
///         yield sum(buffer)
///         buffer[0] += 1
/// ```
pub fn holds_buffer_genawaiter()
-> impl Coroutine<Resume<()>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    pygen_genawaiter::Body(Gen::new(|co: Co<u64, Resume<()>>| async move {
        // buffer = [1] * 64
        let mut buffer = [1u64; 64];
        // while True:
        loop {
            // yield sum(buffer)
            co.yield_(buffer.iter().sum::<u64>()).await?;
            // buffer[0] += 1
            buffer[0] += 1;
        }
    }))
}
