//! A `for` loop over a pygen generator that keeps what Python's `for`
//! drops: an exception stays an `Err` item, the return value can be read
//! after the loop, and a loop that `break`s leaves the generator suspended,
//! ready to go on.
//!
//! ```text
//! cargo run --example countdown_for_loop
//! ```
//!
//! The Python it mirrors:
//!
//! ```python
//! g = countdown()
//! for n in g:
//!     print(n)
//!     if n == 2:
//!         break
//! print(next(g))          # 1: the generator went on where it stopped
//! try:
//!     next(g)
//! except StopIteration as stop:
//!     print(stop.value)   # 'liftoff', which a for loop would drop
//! ```

use pygen_nightly::countdown;
use pygen_protocol::{Exception, Generator, GeneratorState};

fn main() -> Result<(), Exception> {
    // ANCHOR: loop
    let mut g: Generator<_, ()> = Generator::new(countdown());
    // `g.iter()` borrows `g` for the loop only. Each item is a
    // `Result<i64, Exception>`: `?` re-raises an exception, as Python's
    // `for` would.
    for n in g.iter() {
        let n = n?;
        println!("{n}");
        if n == 2 {
            break;
        }
    }
    // The loop is over and `g` is still ours: suspended at `yield 2`.
    println!("{:?}", g.state());
    assert_eq!(g.state(), GeneratorState::Suspended);

    // A second loop goes on where the first stopped, and keeps the return
    // value for after it.
    let mut rest = g.iter();
    for n in rest.by_ref() {
        println!("{}", n?);
    }
    println!("returned {:?}", rest.return_value());
    // ANCHOR_END: loop
    Ok(())
}
