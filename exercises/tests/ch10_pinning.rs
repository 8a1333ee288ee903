//! Chapter 10: a `static` coroutine that borrows its own `Vec`, pinned.
//! Each expectation is what CPython 3.11 does (see
//! `exercises/python/expected.py`).

use std::pin::pin;

use pygen_exercises::ch10_pinning::{pairs, sum_of_pairs};
use pygen_protocol::{Exception, Generator, Raised};

// list(pairs([1, 2, 3, 5, 8])) == [(1, 2), (2, 3), (3, 5), (5, 8)], returning 5
#[test]
fn pairs_pinned_on_the_stack() {
    let body = pin!(pairs(vec![1, 2, 3, 5, 8]));
    let mut g = Generator::new(body);
    let mut items = g.iter();
    let all: Result<Vec<(i64, i64)>, Exception> = items.by_ref().collect();
    assert_eq!(all, Ok(vec![(1, 2), (2, 3), (3, 5), (5, 8)]));
    assert_eq!(items.return_value(), Some(5));
}

// pairs([7]) yields nothing and returns 1; pairs([]) returns 0
#[test]
fn short_lists_have_no_pairs() {
    let mut g = Generator::new(Box::pin(pairs(vec![7])));
    assert_eq!(g.next(), Err(Raised::StopIteration(Some(1))));
    let mut g = Generator::new(Box::pin(pairs(vec![])));
    assert_eq!(g.next(), Err(Raised::StopIteration(Some(0))));
}

// g = pairs([1, 2, 3]); next(g) == (1, 2); g.throw(ValueError) -> ValueError
#[test]
fn a_throw_ends_the_loop() {
    let body = pin!(pairs(vec![1, 2, 3]));
    let mut g = Generator::new(body);
    assert_eq!(g.next(), Ok((1, 2)));
    assert_eq!(
        g.throw(Exception::ValueError),
        Err(Raised::Exception(Exception::ValueError))
    );
    assert_eq!(g.next(), Err(Raised::StopIteration(None)));
}

// sum_of_pairs([1, 2, 3, 5, 8]) == (29, 5); sum_of_pairs([4]) == (0, 1)
#[test]
fn sum_of_pairs_drives_it_to_the_end() {
    assert_eq!(sum_of_pairs(vec![1, 2, 3, 5, 8]), (29, 5));
    assert_eq!(sum_of_pairs(vec![4]), (0, 1));
}
