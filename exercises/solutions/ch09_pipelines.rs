//! Chapter 9, consumers and pipelines. (Worked solution.)

use std::convert::Infallible;

use pygen_demos::Log;
use pygen_nightly::Body;
use pygen_protocol::{Coroutine, Exception, Generator, Resume, finally};

/// `printer()`: logs each line it is sent.
///
/// ```python
/// @coroutine
/// def printer():
///     try:
///         while True:
///             line = yield
///             if line is not None:
///                 log(line)
///     finally:
///         log('printer closed')
/// ```
pub fn printer(
    log: Log,
) -> impl Coroutine<Resume<String>, Yield = (), Return = Result<Infallible, Exception>> + Unpin {
    Body(
        #[coroutine]
        move |_first: Resume<String>| {
            // try: ... finally: log('printer closed')
            let _finally = finally({
                let log = log.clone();
                move || log.write("printer closed")
            });
            // while True:
            loop {
                // line = yield
                // if line is not None:
                //     log(line)
                if let Some(line) = (yield ())? {
                    log.write(&line);
                }
            }
        },
    )
}

/// `grep(pattern, target)`: passes on the lines containing `pattern`.
///
/// ```python
/// @coroutine
/// def grep(pattern, target):
///     try:
///         while True:
///             line = yield
///             if line is not None and pattern in line:
///                 target.send(line)
///     finally:
///         target.close()
/// ```
pub fn grep<G, R>(
    pattern: String,
    mut target: Generator<G, String>,
) -> impl Coroutine<Resume<String>, Yield = (), Return = Result<Infallible, Exception>> + Unpin
where
    G: Coroutine<Resume<String>, Return = Result<R, Exception>> + Unpin,
{
    Body(
        #[coroutine]
        move |_first: Resume<String>| {
            // try:
            //     while True:
            let raised: Exception = loop {
                // line = yield
                let line = match yield () {
                    Ok(line) => line,
                    Err(exception) => break exception,
                };
                // if line is not None and pattern in line:
                //     target.send(line)
                if let Some(line) = line.filter(|line| line.contains(&pattern))
                    && let Err(raised) = target.send(line)
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

/// `python_lines()`: `grep('python', printer())`, every stage primed.
///
/// ```python
/// def python_lines():
///     return grep('python', printer())
/// ```
pub fn python_lines(
    log: Log,
) -> Generator<
    impl Coroutine<Resume<String>, Yield = (), Return = Result<Infallible, Exception>> + Unpin,
    String,
> {
    const STARTS_AT_A_YIELD: &str = "a pipeline stage yields before it does anything else";
    let printer = Generator::primed(printer(log)).expect(STARTS_AT_A_YIELD);
    Generator::primed(grep("python".to_string(), printer)).expect(STARTS_AT_A_YIELD)
}
