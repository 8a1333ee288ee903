//! The Rust the book uses, one small listing per construct, each beside
//! the Python habit it replaces. The book's chapter "The Rust you need"
//! includes these listings; `book/src/runs/rust_you_need.txt` is what this
//! prints, re-run and compared by CI.
//!
//! ```text
//! cargo run --example rust_you_need
//! ```

#![feature(coroutines, coroutine_trait, stmt_expr_attributes)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::num::ParseIntError;
use std::ops::{AddAssign, Coroutine, CoroutineState};
use std::pin::{Pin, pin};

// ANCHOR: option
/// `d.get(key)` in Python returns a value or `None`; Rust says so in the
/// type: `Option<&u32>` is `Some(&value)` or `None`, and the compiler
/// will not let the caller use the value without deciding about `None`.
fn ages_lookup(ages: &HashMap<&str, u32>, name: &str) -> String {
    match ages.get(name) {
        Some(age) => format!("{name} is {age}"),
        None => format!("{name}: unknown"),
    }
}
// ANCHOR_END: option

// ANCHOR: result
/// `int(text)` in Python returns an int or raises `ValueError`. Rust's
/// `parse` returns a `Result`: `Ok(number)` or `Err(error)`. The `?` after
/// a call is Python's "not caught here": on `Err` it returns the error
/// from this function at once, on `Ok` it unwraps the value.
fn add_both(a: &str, b: &str) -> Result<i64, ParseIntError> {
    let a: i64 = a.parse()?;
    let b: i64 = b.parse()?;
    Ok(a + b)
}
// ANCHOR_END: result

// ANCHOR: infallible
/// A `Result` whose `Ok` side can never happen: `Infallible` is a type
/// with no values at all. A function returning `Result<Infallible, E>`
/// can only end by failing, like a Python `while True:` generator, which
/// never returns and can only raise.
fn first_negative(numbers: &[i64]) -> Result<Infallible, String> {
    for n in numbers {
        if *n < 0 {
            return Err(format!("{n} is negative"));
        }
    }
    Err("none is negative".to_owned())
}
// ANCHOR_END: infallible

// ANCHOR: let_else
/// `let PATTERN = value else { ... };` takes a value apart, or leaves the
/// function when it does not match: Python's
/// `key, sep, value = line.partition('=')`, then
/// `if not sep: return '(no value)'`, then code that uses `value`.
fn value_of(line: &str) -> String {
    let Some((_key, value)) = line.split_once('=') else {
        return "(no value)".to_owned();
    };
    value.trim().to_uppercase()
}
// ANCHOR_END: let_else

// ANCHOR: closures
/// A closure is Python's `lambda`, but with a body of any length. Written
/// `move |...| ...`, it takes ownership of the variables it uses instead
/// of borrowing them, so it can outlive the function that made it, as a
/// Python closure keeps its cell variables alive.
fn make_counter(start: u32) -> impl FnMut() -> u32 {
    let mut count = start;
    move || {
        count += 1;
        count
    }
}
// ANCHOR_END: closures

// ANCHOR: impl_trait
/// `impl Iterator<Item = u64>` in a return type says "some type that is an
/// iterator of `u64`, never mind which": the duck typing of Python's
/// return values, but checked. The real type (here a chain of adapters)
/// is long and has no name worth writing.
fn squares_of_odds(limit: u64) -> impl Iterator<Item = u64> {
    (1..limit).filter(|n| n % 2 == 1).map(|n| n * n)
}
// ANCHOR_END: impl_trait

// ANCHOR: traits
/// A trait is a set of methods a type promises, like a Python protocol
/// (`collections.abc.Iterable`), but declared and checked. A trait with
/// no methods of its own can name a group of other traits: here, "can be
/// cloned, has a zero (`Default`), and supports `+=`", which is all a
/// running total needs. `T: Total` reads "any type `T` that is a `Total`".
trait Total: Clone + Default + AddAssign {}
impl<T: Clone + Default + AddAssign> Total for T {}

fn total<T: Total>(items: &[T]) -> T {
    let mut sum = T::default();
    for item in items {
        sum += item.clone();
    }
    sum
}
// ANCHOR_END: traits

fn main() {
    let ages = HashMap::from([("ada", 36)]);
    println!("{}", ages_lookup(&ages, "ada"));
    println!("{}", ages_lookup(&ages, "bob"));

    println!("{:?}", add_both("2", "40"));
    println!("{:?}", add_both("2", "forty"));

    println!("{:?}", first_negative(&[3, -1, 4]));

    println!("{} {}", value_of("mode = fast"), value_of("mode"));

    let mut next_ticket = make_counter(100);
    println!("{} {}", next_ticket(), next_ticket());

    println!("{:?}", squares_of_odds(8).collect::<Vec<_>>());

    println!("{} {}", total(&[1, 2, 3]), total(&[0.5, 0.25]));

    // ANCHOR: pin
    // A coroutine that only holds plain values may move freely: it is
    // `Unpin`, and `Pin::new(&mut ...)` wraps a plain `&mut` for `resume`.
    let mut two = #[coroutine]
    || {
        yield 1;
        yield 2;
        "done"
    };
    while let CoroutineState::Yielded(n) = Pin::new(&mut two).resume(()) {
        println!("yielded {n}");
    }

    // A `static` coroutine may borrow its own locals across a `yield`, so
    // it must never move once started: it is not `Unpin`. `pin!` fixes it
    // where it is, on the stack, and hands back a `Pin<&mut ...>`.
    let mut words = pin!(
        #[coroutine]
        static || {
            let text = String::from("pinned in place");
            for word in text.split(' ') {
                yield word.len();
            }
        }
    );
    while let CoroutineState::Yielded(len) = words.as_mut().resume(()) {
        println!("a word of {len}");
    }
    // ANCHOR_END: pin
}
