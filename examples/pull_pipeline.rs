//! Rust's `Iterator` adapters beside Python's generator expressions and
//! `itertools`: the Rust half of the book's chapter on pull pipelines.
//! `examples/pull_pipeline.py` prints the same lines with CPython.
//!
//! ```text
//! cargo run --example pull_pipeline
//! ```

// ANCHOR: log
const LOG: &str = "\
GET /index.html 200 1043
GET /missing 404 0
POST /echo 200 12
GET /fib?n=10 200 31
GET /favicon.ico 404 0";
// ANCHOR_END: log

// ANCHOR: fibonacci
/// `fibonacci()` as an iterator from `successors`: each `(a, b)` pair is
/// made from the one before, and `map` keeps the `a` of each.
fn fibonacci() -> impl Iterator<Item = u64> {
    std::iter::successors(Some((0u64, 1u64)), |&(a, b)| Some((b, a + b))).map(|(a, _)| a)
}
// ANCHOR_END: fibonacci

// ANCHOR: traced
/// `traced(stage, items)`: hands each item on unchanged, printing it as it
/// passes, so the output shows when each stage is pulled.
fn traced<T: std::fmt::Display>(
    stage: &'static str,
    items: impl Iterator<Item = T>,
) -> impl Iterator<Item = T> {
    items.inspect(move |item| println!("  {stage}: {item}"))
}
// ANCHOR_END: traced

fn main() {
    // ANCHOR: genexpr
    // odd_squares = (n * n for n in range(10) if n % 2 == 1)
    let odd_squares = (0..10).filter(|n| n % 2 == 1).map(|n| n * n);
    println!("odd squares: {:?}", odd_squares.collect::<Vec<_>>());
    // ANCHOR_END: genexpr

    // ANCHOR: itertools
    // itertools.islice(fibonacci(), 5, 10)
    let sliced: Vec<_> = fibonacci().skip(5).take(5).collect();
    println!("islice: {sliced:?}");
    // itertools.takewhile(lambda n: n < 30, fibonacci())
    let small: Vec<_> = fibonacci().take_while(|&n| n < 30).collect();
    println!("takewhile: {small:?}");
    // itertools.accumulate([3, 1, 4, 1, 5])
    let totals: Vec<_> = [3, 1, 4, 1, 5]
        .into_iter()
        .scan(0, |total, n| {
            *total += n;
            Some(*total)
        })
        .collect();
    println!("accumulate: {totals:?}");
    // enumerate('abc')
    let numbered: Vec<_> = "abc".chars().enumerate().collect();
    println!("enumerate: {numbered:?}");
    // zip('abc', fibonacci())
    let zipped: Vec<_> = "abc".chars().zip(fibonacci()).collect();
    println!("zip: {zipped:?}");
    // itertools.chain([1, 2], [3])
    let chained: Vec<_> = [1, 2].into_iter().chain([3]).collect();
    println!("chain: {chained:?}");
    // ANCHOR_END: itertools

    // ANCHOR: pipeline
    let lines = traced("read", LOG.lines());
    let fields = lines.map(|line| line.split_whitespace().collect::<Vec<_>>());
    let ok = fields.filter(|f| f[2] == "200");
    let sizes = traced("size", ok.filter_map(|f| f[3].parse::<u64>().ok()));
    println!("bytes served: {}", sizes.sum::<u64>());
    // ANCHOR_END: pipeline
}
