//! Chapter 14: generator expressions, `itertools` and pull pipelines. Each
//! expectation is what CPython 3.11 does (see `exercises/python/expected.py`).

use pygen_exercises::ch14_iterators::{largest_ok, odd_squares, running_max};

// list(odd_squares(10)) == [1, 9, 25, 49, 81]; list(odd_squares(0)) == []
#[test]
fn odd_squares_is_the_generator_expression() {
    assert_eq!(odd_squares(10).collect::<Vec<_>>(), [1, 9, 25, 49, 81]);
    assert_eq!(odd_squares(0).count(), 0);
}

// g = odd_squares(10**18); next(g) == 1; next(g) == 9: lazy, so a huge
// limit costs nothing until pulled
#[test]
fn odd_squares_is_lazy() {
    let mut g = odd_squares(1_000_000_000_000_000_000);
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.next(), Some(9));
}

// running_max([3, 1, 4, 1, 5, 9, 2, 6]) == [3, 3, 4, 4, 5, 9, 9, 9]
// running_max([]) == []
#[test]
fn running_max_is_accumulate_with_max() {
    assert_eq!(
        running_max(&[3, 1, 4, 1, 5, 9, 2, 6]),
        [3, 3, 4, 4, 5, 9, 9, 9]
    );
    assert_eq!(running_max(&[-5, -7]), [-5, -5]);
    assert_eq!(running_max(&[]), Vec::<i64>::new());
}

const LOG: &str = "\
GET /index.html 200 1043
GET /missing 404 9999
POST /echo 200 12
GET /fib?n=10 200 31";

// largest_ok(LOG) == 1043 (the 404's 9999 does not count)
// largest_ok('GET / 404 0') is None; largest_ok('') is None
#[test]
fn largest_ok_pulls_through_three_stages() {
    assert_eq!(largest_ok(LOG), Some(1043));
    assert_eq!(largest_ok("GET / 404 0"), None);
    assert_eq!(largest_ok(""), None);
}
