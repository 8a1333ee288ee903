//! Generator expressions, `itertools`, and pull pipelines: Python's
//! shorthands for generators that are only pulled, as Rust's `Iterator`
//! adapters.

/// `odd_squares(limit)`: a generator expression.
///
/// ```python
/// def odd_squares(limit):
///     return (n * n for n in range(limit) if n % 2 == 1)
/// ```
///
/// `range(limit)` is `0..limit`; the `if` is a `.filter(...)` and the
/// expression before `for` a `.map(...)`, each given a closure. Return the
/// chain as it is: `impl Iterator` lets the caller pull it lazily, as a
/// generator expression is pulled.
pub fn odd_squares(limit: u64) -> impl Iterator<Item = u64> {
    let _ = limit;
    todo!("chapter 14: odd_squares()");
    #[allow(unreachable_code)]
    std::iter::empty()
}

/// `running_max(values)`: `itertools.accumulate(values, max)`.
///
/// ```python
/// def running_max(values):
///     return list(itertools.accumulate(values, max))
/// ```
///
/// Rust has no `accumulate`; `scan` is its general form: a closure given a
/// running state and each item, returning `Some(what to hand out)`. Start
/// the state at the first value, or at `i64::MIN`, and `collect` at the
/// end, as `list()` does.
pub fn running_max(values: &[i64]) -> Vec<i64> {
    let _ = values;
    todo!("chapter 14: running_max()")
}

/// `largest_ok(log)`: the size of the largest successful response in a
/// server log, a pull pipeline of three stages.
///
/// ```python
/// def largest_ok(log):
///     fields = (line.split() for line in log.splitlines())
///     ok = (f for f in fields if f[2] == '200')
///     return max((int(f[3]) for f in ok), default=None)
/// ```
///
/// Each line is `METHOD PATH STATUS SIZE`. `lines()`, `split_whitespace()`,
/// `filter` and `filter_map` (a size that does not parse is skipped), then
/// `max()`, which already answers `None` for no items at all.
pub fn largest_ok(log: &str) -> Option<u64> {
    let _ = log;
    todo!("chapter 14: largest_ok()")
}
