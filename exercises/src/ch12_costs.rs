//! Chapter 12, costs: what a paused generator keeps, measured with
//! `std::mem::size_of_val`.

use std::convert::Infallible;

use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Unsolved;

/// How many bytes a generator body takes where it is stored (its
/// *inline* size: what `size_of` counts, not what it may have put on the
/// heap).
///
/// You cannot write `std::mem::size_of::<T>()` for a body: its type is
/// made by the compiler and has no name you can type (`impl Coroutine` hides
/// it). `std::mem::size_of_val(body)` asks the value instead. One line.
pub fn size_of_body<C>(body: &C) -> usize {
    let _ = body;
    todo!("chapter 12: size_of_body()")
}

/// `holds_buffer()`, as a nightly `#[coroutine]`: a 64-item buffer that
/// is alive across the `yield`.
///
/// ```python
/// def holds_buffer():
///     buffer = [1] * 64
///     while True:
///         yield sum(buffer)
///         buffer[0] += 1
/// ```
///
/// Use `[1u64; 64]` for the buffer (an array, inline, 512 bytes) and
/// `buffer.iter().sum::<u64>()` for `sum(buffer)`. `buffer` is used after
/// the `yield`, so the compiler must keep it in the coroutine's saved
/// state: the tests check that the body is at least 512 bytes.
pub fn holds_buffer()
-> impl Coroutine<Resume<()>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    todo!("chapter 12: holds_buffer()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `drops_buffer()`, as a nightly `#[coroutine]`: the same values, but the
/// buffer is gone before each `yield`.
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
///
/// A coroutine's saved state holds only what is alive across a `yield`:
/// what is used again after it. Here that is `n` and nothing else, because
/// `buffer` is never used after the `yield`; the compiler sees that and
/// leaves the 512 bytes on the stack, for an instant, during each resume.
/// The tests check the body is under 512 bytes.
///
/// Python needs `del buffer` to let go of the list; Rust needs nothing,
/// but you can say it, and make it obvious to a reader, with a block:
///
/// ```ignore
/// let total = {
///     let buffer = [1u64; 64];
///     buffer.iter().sum::<u64>() + n
/// };
/// ```
///
/// Then compare with [`holds_buffer`]: one use of `buffer` after the
/// `yield` is the whole difference between the two sizes.
pub fn drops_buffer()
-> impl Coroutine<Resume<()>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    todo!("chapter 12: drops_buffer()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `holds_buffer()` again, with genawaiter: the same Python.
///
/// genawaiter's `rc` generators box their `async` block when they are
/// made. The buffer is still kept across the `yield`, but in that box, on
/// the heap; what stays inline is a pointer or two. The tests check that
/// the body is under 64 bytes inline, whatever it holds: the cost has
/// moved, not gone: two allocations per generator (the box and the `Rc`
/// genawaiter shares with it), which the chapter counts.
pub fn holds_buffer_genawaiter()
-> impl Coroutine<Resume<()>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    todo!("chapter 12: holds_buffer_genawaiter()");
    #[allow(unreachable_code)]
    Unsolved::body()
}
