// `yield from` delegates to a generator. `yield_from!` given a body that
// was not wrapped in `Generator::new` says so, naming what to write,
// rather than "no method named `delegate` found for opaque type".

#![feature(coroutines)]

use pygen_protocol::nightly::{Body, yield_from};
use pygen_protocol::{Coroutine, Exception, Resume};

fn sub() -> impl Coroutine<Resume<()>, Yield = u32, Return = Result<(), Exception>> {
    Body(
        #[coroutine]
        |_first: Resume<()>| {
            (yield 1)?;
            Ok(())
        },
    )
}

fn outer() -> impl Coroutine<Resume<()>, Yield = u32, Return = Result<(), Exception>> {
    Body(
        #[coroutine]
        |_first: Resume<()>| {
            yield_from!(sub())?;
            Ok(())
        },
    )
}

fn main() {
    let _ = outer();
}
