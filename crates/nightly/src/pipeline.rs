//! `pipeline()`: Beazley's push pipeline — consumers that are sent their
//! input, primed by a decorator, with `close` and `throw` cascading
//! through every stage.
//!
//! ```python
//! def coroutine(func):          # the priming decorator
//!     def start(*args):
//!         cr = func(*args)
//!         next(cr)
//!         return cr
//!     return start
//!
//! @coroutine
//! def sink(name):
//!     try:
//!         while True:
//!             item = yield
//!             log(f'{name} got {item}')
//!     finally:
//!         log(f'{name} closed')
//!
//! @coroutine
//! def evens(target):
//!     try:
//!         while True:
//!             n = yield
//!             if n is not None and n % 2 == 0:
//!                 target.send(n)
//!     finally:
//!         target.close()
//!
//! @coroutine
//! def broadcast(targets):
//!     try:
//!         while True:
//!             item = yield
//!             for t in targets:
//!                 t.send(item)
//!     finally:
//!         for t in targets:
//!             t.close()
//!
//! def pipeline():
//!     return evens(broadcast([sink('a'), sink('b')]))
//! ```
//!
//! The decorator is [`Generator::primed`]: priming is a `next()` and
//! nothing else, so it is the same for every backend and lives in the
//! protocol crate. Each stage below is a plain body, and whoever builds a
//! pipeline primes it, as `@coroutine` does when the stage is called.
//! `sink` and `broadcast` take any item type, so they can be reused in
//! other pipelines; `evens` needs integers.

use std::convert::Infallible;

use num_bigint::BigInt;
use num_integer::Integer;
use pygen_demos::{Log, Repr};
use pygen_protocol::{Coroutine, Exception, Generator, Resume, finally};

use crate::Body;

// ANCHOR: demo
/// `sink(name)`: logs each item it is sent, and `'{name} closed'`
/// however it ends.
pub fn sink<T: Repr>(
    name: &'static str,
    log: Log,
) -> impl Coroutine<Resume<T>, Yield = (), Return = Result<Infallible, Exception>> + Unpin {
    Body(
        #[coroutine]
        move |_first: Resume<T>| {
            // try: ... finally: log(f'{name} closed')
            let _finally = finally({
                let log = log.clone();
                move || log.write(&format!("{name} closed"))
            });
            // while True:
            loop {
                // item = yield
                let item = (yield ())?;
                // log(f'{name} got {item}')   (str() and repr() agree for ints and None)
                log.write(&format!("{name} got {}", item.repr()));
            }
        },
    )
}

/// `evens(target)`: passes even numbers on to `target`, drops the rest,
/// and closes `target` however it ends.
pub fn evens<G, R>(
    mut target: Generator<G, BigInt>,
) -> impl Coroutine<Resume<BigInt>, Yield = (), Return = Result<Infallible, Exception>> + Unpin
where
    G: Coroutine<Resume<BigInt>, Return = Result<R, Exception>> + Unpin,
{
    Body(
        #[coroutine]
        move |_first: Resume<BigInt>| {
            // try:
            //     while True:
            let raised: Exception = loop {
                // n = yield
                let n = match yield () {
                    Ok(n) => n,
                    Err(exception) => break exception,
                };
                // if n is not None and n % 2 == 0:
                //     target.send(n)
                if let Some(n) = n.filter(Integer::is_even)
                    && let Err(raised) = target.send(n)
                {
                    break raised.into();
                }
            };
            // finally:
            //     target.close()
            target.close()?;
            Err(raised)
        },
    )
}

/// `broadcast(targets)`: sends each item to every target, and closes them
/// all however it ends.
pub fn broadcast<T, G, R>(
    mut targets: Vec<Generator<G, T>>,
) -> impl Coroutine<Resume<T>, Yield = (), Return = Result<Infallible, Exception>> + Unpin
where
    T: Clone,
    G: Coroutine<Resume<T>, Return = Result<R, Exception>> + Unpin,
{
    Body(
        #[coroutine]
        move |_first: Resume<T>| {
            // try:
            //     while True:
            let raised: Exception = loop {
                // item = yield
                let item = match yield () {
                    Ok(item) => item,
                    Err(exception) => break exception,
                };
                // for t in targets:
                //     t.send(item)
                let sent = targets
                    .iter_mut()
                    .try_for_each(|t| t.send_option(item.clone()).map(drop));
                if let Err(raised) = sent {
                    break raised.into();
                }
            };
            // finally:
            //     for t in targets:
            //         t.close()
            for t in &mut targets {
                t.close()?;
            }
            Err(raised)
        },
    )
}

/// `pipeline()`: `evens(broadcast([sink('a'), sink('b')]))`, every stage
/// primed, so the first call on it can be a `send`.
pub fn pipeline(
    log: Log,
) -> Generator<
    impl Coroutine<Resume<BigInt>, Yield = (), Return = Result<Infallible, Exception>> + Unpin,
    BigInt,
> {
    // Every stage yields before it does anything else, so priming one
    // (running it to that first yield) cannot raise.
    const STARTS_AT_A_YIELD: &str = "a pipeline stage starts by yielding";
    let sinks = vec![
        Generator::primed(sink("a", log.clone())).expect(STARTS_AT_A_YIELD),
        Generator::primed(sink("b", log)).expect(STARTS_AT_A_YIELD),
    ];
    let fan_out = Generator::primed(broadcast(sinks)).expect(STARTS_AT_A_YIELD);
    Generator::primed(evens(fan_out)).expect(STARTS_AT_A_YIELD)
}
// ANCHOR_END: demo
