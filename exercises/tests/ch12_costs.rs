//! Chapter 12: what a paused generator keeps. The values are what CPython
//! 3.11 yields (see `exercises/python/expected.py`); the sizes are Rust's
//! own, checked as bounds that follow from what is alive across a `yield`,
//! never as exact numbers a new compiler could change.

use pygen_exercises::ch12_costs::{
    drops_buffer, holds_buffer, holds_buffer_genawaiter, size_of_body,
};
use pygen_protocol::Generator;

/// 64 `u64`s.
const BUFFER_BYTES: usize = 64 * 8;

// take(holds_buffer(), 3) == [64, 65, 66] == take(drops_buffer(), 3)
#[test]
fn all_three_yield_the_same_values() {
    let mut holds: Generator<_, ()> = Generator::new(holds_buffer());
    let mut drops: Generator<_, ()> = Generator::new(drops_buffer());
    let mut boxed: Generator<_, ()> = Generator::new(holds_buffer_genawaiter());
    for expected in [64, 65, 66] {
        assert_eq!(holds.next(), Ok(expected));
        assert_eq!(drops.next(), Ok(expected));
        assert_eq!(boxed.next(), Ok(expected));
    }
}

#[test]
fn size_of_body_is_size_of_val() {
    assert_eq!(size_of_body(&0u64), 8);
    assert_eq!(size_of_body(&[0u8; 3]), 3);
    let body = holds_buffer();
    assert_eq!(size_of_body(&body), std::mem::size_of_val(&body));
}

// A buffer alive across the yield is in the coroutine's saved state.
#[test]
fn a_buffer_kept_across_yield_is_inline() {
    assert!(size_of_body(&holds_buffer()) >= BUFFER_BYTES);
}

// A buffer dead before the yield is not.
#[test]
fn a_buffer_dropped_before_yield_is_not() {
    let size = size_of_body(&drops_buffer());
    assert!(size < BUFFER_BYTES, "drops_buffer() is {size} bytes");
}

// genawaiter keeps the whole body in a box: a few pointers inline.
#[test]
fn genawaiter_keeps_it_on_the_heap() {
    let size = size_of_body(&holds_buffer_genawaiter());
    assert!(
        size < 64,
        "holds_buffer_genawaiter() is {size} bytes inline"
    );
    let unstarted = size_of_body(&pygen_genawaiter::countdown::<()>());
    assert_eq!(
        size, unstarted,
        "every genawaiter body is the same size inline"
    );
}
