//! Chapter 1: the seed's Fibonacci program. Each expectation is what
//! CPython 3.11 does (see `exercises/python/expected.py`).

use pygen_exercises::ch01_seed::seed_lines;

// for n in islice(fibonacci(), 10): print(n)
#[test]
fn the_seed_prints_its_ten_numbers() {
    assert_eq!(
        seed_lines(10),
        ["0", "1", "1", "2", "3", "5", "8", "13", "21", "34"]
    );
}

// seed_lines(0) == []
#[test]
fn no_numbers_asked_for_none_printed() {
    assert!(seed_lines(0).is_empty());
}

// seed_lines(100)[-1] == '218922995834555169026'   (Python's ints never overflow)
#[test]
fn the_hundredth_number_is_past_any_machine_word() {
    let lines = seed_lines(100);
    assert_eq!(lines.len(), 100);
    assert_eq!(lines[99], "218922995834555169026");
}
