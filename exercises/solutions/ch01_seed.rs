//! Chapter 1, the seed: the seed's Fibonacci program, driven from Rust.
//! (Worked solution.)

use pygen_nightly::fibonacci;
use pygen_protocol::Generator;

/// `seed_lines(count)`: the lines the seed's Fibonacci program prints,
/// for the first `count` numbers.
///
/// ```python
/// def seed_lines(count):
///     return [str(n) for n in itertools.islice(fibonacci(), count)]
/// ```
pub fn seed_lines(count: usize) -> Vec<String> {
    // fibonacci(): a generator object, none of its body run yet.
    let g: Generator<_, ()> = Generator::new(fibonacci());
    // for n in islice(g, count): str(n). fibonacci() never raises, so
    // every item is Ok; map_while would stop at an exception rather than
    // hide it.
    g.into_iter()
        .map_while(Result::ok)
        .take(count)
        .map(|n| n.to_string())
        .collect()
}
