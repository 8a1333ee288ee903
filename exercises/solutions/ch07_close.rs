//! Chapter 7, `close`, `finally`, and the ignored close. (Worked solution.)

use std::convert::Infallible;

use genawaiter::rc::{Co, Gen};
use pygen_demos::Log;
use pygen_protocol::{Class, Coroutine, Exception, Resume, finally};

/// `opened(name)`, with genawaiter: a `finally:` as a guard.
///
/// ```python
/// def opened(name):
///     log(f'open {name}')
///     try:
///         lines = 0
///         while True:
///             line = yield lines
///             if line is not None:
///                 lines += 1
///                 log(f'{name}: {line}')
///     finally:
///         log(f'close {name}')
/// ```
pub fn opened(
    name: String,
    log: Log,
) -> impl Coroutine<Resume<String>, Yield = u64, Return = Result<Infallible, Exception>> + Unpin {
    pygen_genawaiter::Body(Gen::new(move |co: Co<u64, Resume<String>>| async move {
        // log(f'open {name}')
        log.write(&format!("open {name}"));
        // try: ... finally: log(f'close {name}')
        //
        // Made inside the `async` block, so only a started body has it.
        let _finally = finally({
            let log = log.clone();
            let name = name.clone();
            move || log.write(&format!("close {name}"))
        });
        // lines = 0
        let mut lines = 0;
        // while True:
        loop {
            // line = yield lines
            // if line is not None:
            if let Some(line) = co.yield_(lines).await? {
                // lines += 1
                lines += 1;
                // log(f'{name}: {line}')
                log.write(&format!("{name}: {line}"));
            }
        }
    }))
}

/// `defiant()`, as a nightly `#[coroutine]`: it yields after
/// `GeneratorExit`.
///
/// ```python
/// def defiant():
///     try:
///         yield 'first'
///     except GeneratorExit:
///         log('not yet')
///         yield 'last word'
///     log('done')
/// ```
pub fn defiant(
    log: Log,
) -> impl Coroutine<Resume<()>, Yield = &'static str, Return = Result<(), Exception>> + Unpin {
    pygen_nightly::Body(
        #[coroutine]
        move |_first: Resume<()>| {
            // try:
            //     yield 'first'
            // except GeneratorExit:
            //     log('not yet')
            //     yield 'last word'
            match yield "first" {
                Ok(_) => {}
                Err(e) if e.is_instance(&Class::GENERATOR_EXIT) => {
                    log.write("not yet");
                    (yield "last word")?;
                }
                Err(other) => return Err(other),
            }
            // log('done')
            log.write("done");
            Ok(())
        },
    )
}
