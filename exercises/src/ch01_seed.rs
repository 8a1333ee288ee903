//! Chapter 1, the seed: the seed's Fibonacci program, driven from Rust.

/// `seed_lines(count)`: the lines the seed's Fibonacci program prints,
/// for the first `count` numbers.
///
/// ```python
/// def fibonacci():
///     a, b = 0, 1
///     while True:
///         yield a
///         a, b = b, a + b
///
/// def seed_lines(count):
///     return [str(n) for n in itertools.islice(fibonacci(), count)]
/// ```
///
/// Nothing to write a generator with yet: `pygen_nightly::fibonacci()`
/// is the seed's generator, already written (open
/// `crates/nightly/src/fibonacci.rs` and read it beside the Python). Your
/// job is the caller's side, the `for` loop.
///
/// * `pygen_protocol::Generator::new(fibonacci())` is Python's
///   `fibonacci()`: a generator object, none of its body run yet. Its type
///   needs to know what `send` would take; nothing is sent here, so
///   `Generator<_, ()>` will do.
/// * A `Generator` is iterable, like Python's: `for item in g` (or
///   `g.into_iter()`). Each item is a `Result`: `Ok(number)` for a yielded
///   value, `Err(exception)` if the body raised one. Python's `for` would
///   let that exception escape; `fibonacci()` never raises, so taking the
///   `Ok` values is honest here (`.map_while(Result::ok)`, or a `match`).
/// * `itertools.islice(g, count)` is `.take(count)`, and `str(n)` is
///   `n.to_string()`: the numbers are big integers (`num_bigint::BigUint`),
///   so, as in Python, they never overflow.
pub fn seed_lines(count: usize) -> Vec<String> {
    let _ = count;
    todo!("chapter 1: seed_lines()")
}
