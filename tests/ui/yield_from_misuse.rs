// `yield from` takes one sub-generator. `yield_from!` given anything else
// than one expression says what it expects, rather than failing somewhere
// inside its expansion.

#![feature(coroutines)]

use pygen_protocol::nightly::{Body, yield_from};
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

fn sub() -> impl Coroutine<Resume<()>, Yield = u32, Return = Result<(), Exception>> {
    Body(
        #[coroutine]
        |_first: Resume<()>| {
            (yield 1)?;
            Ok(())
        },
    )
}

fn both() -> impl Coroutine<Resume<()>, Yield = u32, Return = Result<(), Exception>> {
    Body(
        #[coroutine]
        |_first: Resume<()>| {
            yield_from!(Generator::new(sub()), Generator::new(sub()))?;
            Ok(())
        },
    )
}

fn main() {
    let _ = both();
}
