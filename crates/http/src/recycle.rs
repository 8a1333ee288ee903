//! Recycling: the buffers of a request that has been answered and of a
//! response that has been written, kept for the next ones.
//!
//! A request is sent *by value* into a handler, which drops it when it is
//! done with it; a response is yielded by value, and the connection's
//! output takes it apart as it writes it. With nothing more, every request
//! would cost a handful of allocations (its target and headers, the
//! response's header lines, the output buffer), each freed a moment later.
//! Instead every thread keeps a few spare buffers of each kind:
//!
//! * a [`Request`](crate::Request) gives its head's buffers (and its body's)
//!   back when it is dropped, wherever that happens, and the
//!   [`Parser`](crate::Parser) takes them for the next request it reads;
//! * [`Response::new`](crate::Response::new) takes a buffer for its header
//!   lines, and the output gives it back, emptied, once the response is
//!   written;
//! * a connection's output buffer goes back when everything in it has been
//!   written, so that an idle connection holds none, and comes out again
//!   for the next response.
//!
//! So in steady state a keep-alive `GET /` allocates nothing at all
//! (`tests/allocations.rs` counts). The spares are bounded: at most
//! [`SPARES`] of each kind per thread, and a buffer that grew past
//! [`MAX_KEPT`] (a large body) is freed rather than kept, so what a thread
//! holds here is at most a few hundred KiB, whatever its clients did.
//!
//! Everything here is per thread (each event loop serves its connections on
//! one thread): no locks, and a buffer taken on one thread and given back
//! on another simply changes threads.

use std::cell::{Cell, RefCell};
use std::thread::LocalKey;

use crate::request::Field;

/// At most how many spare buffers of each kind a thread keeps: enough for
/// the few that are in use at once within one turn of an event loop.
pub const SPARES: usize = 16;

/// The largest capacity a spare buffer may have, in bytes: a response
/// batch (16 KiB of pipelined answers) or a stream's chunk
/// with room to spare, but not a large body.
pub const MAX_KEPT: usize = 64 * 1024;

/// The largest capacity a spare buffer of header lines may have, in
/// bytes: a few dozen ordinary headers.
pub const MAX_LINES_KEPT: usize = 4 * 1024;

/// A response's header lines.
pub(crate) type HeaderLines = Vec<u8>;

/// The buffers of a request's head: its target's path and query, its
/// header lines' bytes, and where each header's name and value lie in
/// them (see [`Request`](crate::Request)). `path_end` and `has_query`
/// are set anew for each request.
#[derive(Clone, Default)]
pub(crate) struct HeadBuffers {
    pub text: String,
    /// Where the path ends in `text`, and the query starts.
    pub path_end: usize,
    /// Whether the target has a query (it may be empty: `/?`).
    pub has_query: bool,
    pub lines: Vec<u8>,
    pub fields: Vec<Field>,
}

impl HeadBuffers {
    fn bytes(&self) -> usize {
        self.text.capacity() + self.lines.capacity() + self.fields.capacity() * size_of::<Field>()
    }
}

/// One thread's spares.
struct Spares {
    #[expect(
        clippy::vec_box,
        reason = "the box itself is recycled: a request holds its head boxed"
    )]
    heads: Vec<Box<HeadBuffers>>,
    bytes: Vec<Vec<u8>>,
    header_lines: Vec<HeaderLines>,
}

thread_local! {
    static SPARES_HERE: RefCell<Spares> = const {
        RefCell::new(Spares {
            heads: Vec::new(),
            bytes: Vec::new(),
            header_lines: Vec::new(),
        })
    };
}

// The spare most recently given back of each kind, in a slot of its own,
// ahead of the lists above. A request's head comes back before the next
// request is read, a response's header lines before the next response is
// made, and in the task model a response's bytes, once `Send` has taken
// them, before the next response is written; so in steady state the one
// slot is all that is used. Taking from it or putting into
// it is a load and a store, without the `RefCell`'s borrow or a `Vec`'s
// length and capacity to check.
thread_local! {
    static LAST_HEAD: Cell<Option<Box<HeadBuffers>>> = const { Cell::new(None) };
    static LAST_HEADER_LINES: Cell<Option<HeaderLines>> = const { Cell::new(None) };
    static LAST_BYTES: Cell<Option<Vec<u8>>> = const { Cell::new(None) };
}

/// Run `f` on this thread's spares; `None` if they are not available (the
/// thread is exiting, or they are in use further up the stack).
fn with_spares<R>(f: impl FnOnce(&mut Spares) -> R) -> Option<R> {
    SPARES_HERE
        .try_with(|spares| {
            spares
                .try_borrow_mut()
                .ok()
                .map(|mut spares| f(&mut spares))
        })
        .ok()
        .flatten()
}

/// Empty head buffers, spare ones if this thread has any. Boxed, so that
/// a [`Request`](crate::Request) holding them is small to move.
pub(crate) fn take_head() -> Box<HeadBuffers> {
    take_spare(&LAST_HEAD, |spares| &mut spares.heads)
}

/// Give a request's head buffers back.
pub(crate) fn give_head(mut head: Box<HeadBuffers>) {
    let worth = head.text.capacity() > 0 && head.bytes() <= MAX_KEPT;
    if worth {
        head.text.clear();
        head.lines.clear();
        head.fields.clear();
        give_spare(&LAST_HEAD, |spares| &mut spares.heads, head);
    }
}

/// The spare in `slot`, else one from the list `list` picks out of this
/// thread's spares, else a new one.
#[inline(always)]
fn take_spare<T: Default>(
    slot: &'static LocalKey<Cell<Option<T>>>,
    list: fn(&mut Spares) -> &mut Vec<T>,
) -> T {
    slot.try_with(Cell::take)
        .ok()
        .flatten()
        .or_else(|| with_spares(|spares| list(spares).pop()).flatten())
        .unwrap_or_default()
}

/// Put `spare` in `slot`; the one the slot held, if any, goes into the
/// list `list` picks, which has room for the rest: `SPARES` in all, with
/// the slot's. One that finds the list full is dropped.
#[inline(always)]
fn give_spare<T>(
    slot: &'static LocalKey<Cell<Option<T>>>,
    list: fn(&mut Spares) -> &mut Vec<T>,
    spare: T,
) {
    if let Ok(Some(older)) = slot.try_with(|last| last.replace(Some(spare))) {
        with_spares(move |spares| {
            let list = list(spares);
            if list.len() < SPARES - 1 {
                if list.capacity() == 0 {
                    // The first time only: the list's own room.
                    list.reserve_exact(SPARES - 1);
                }
                list.push(older);
            }
        });
    }
}

/// An empty byte buffer, a spare one if this thread has any.
pub(crate) fn take_bytes() -> Vec<u8> {
    take_spare(&LAST_BYTES, |spares| &mut spares.bytes)
}

/// Give a byte buffer (an output buffer, a body) back.
pub(crate) fn give_bytes(mut bytes: Vec<u8>) {
    let capacity = bytes.capacity();
    if capacity > 0 && capacity <= MAX_KEPT {
        bytes.clear();
        give_spare(&LAST_BYTES, |spares| &mut spares.bytes, bytes);
    }
}

/// An empty buffer for a response's header lines, a spare one if this
/// thread has any.
pub(crate) fn take_header_lines() -> HeaderLines {
    take_spare(&LAST_HEADER_LINES, |spares| &mut spares.header_lines)
}

/// Give a response's header lines back. One that grew past
/// [`MAX_LINES_KEPT`] is freed.
pub(crate) fn give_header_lines(mut lines: HeaderLines) {
    if lines.capacity() > 0 && lines.capacity() <= MAX_LINES_KEPT {
        lines.clear();
        give_spare(&LAST_HEADER_LINES, |spares| &mut spares.header_lines, lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_given_back_comes_out_again_empty() {
        let mut bytes = take_bytes();
        bytes.extend_from_slice(b"hello");
        let address = bytes.as_ptr();
        give_bytes(bytes);
        let again = take_bytes();
        assert!(again.is_empty());
        assert_eq!(again.as_ptr(), address);
        assert!(again.capacity() >= 5);
    }

    /// How many spare byte buffers this thread keeps, in its slot and its
    /// list.
    fn kept_bytes() -> usize {
        let in_slot = LAST_BYTES.with(|slot| {
            let spare = slot.take();
            let held = spare.is_some();
            slot.set(spare);
            held
        });
        usize::from(in_slot) + with_spares(|s| s.bytes.len()).unwrap_or(0)
    }

    /// Forget this thread's spare byte buffers.
    fn forget_bytes() {
        LAST_BYTES.with(|slot| slot.set(None));
        with_spares(|s| s.bytes.clear());
    }

    #[test]
    fn large_buffers_are_freed_not_kept() {
        forget_bytes();
        give_bytes(Vec::with_capacity(MAX_KEPT + 1));
        assert_eq!(kept_bytes(), 0);
        give_bytes(Vec::with_capacity(MAX_KEPT));
        assert_eq!(kept_bytes(), 1);
    }

    #[test]
    fn at_most_spares_of_a_kind_are_kept() {
        forget_bytes();
        for _ in 0..SPARES * 2 {
            give_bytes(Vec::with_capacity(8));
        }
        assert_eq!(kept_bytes(), SPARES);
    }

    #[test]
    fn the_last_buffer_given_back_is_the_first_taken() {
        forget_bytes();
        let older = Vec::<u8>::with_capacity(8);
        let newer = Vec::<u8>::with_capacity(8);
        let (older_address, newer_address) = (older.as_ptr(), newer.as_ptr());
        give_bytes(older);
        give_bytes(newer);
        let first = take_bytes();
        let second = take_bytes();
        assert_eq!(first.as_ptr(), newer_address);
        assert_eq!(second.as_ptr(), older_address);
        assert_eq!(kept_bytes(), 0);
    }
}
