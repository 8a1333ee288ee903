//! The vocabulary the demo generators share across backends: their names,
//! the `log` they write to, and the value `batches` yields; and
//! [`backend_demos!`](crate::backend_demos), the one list of which
//! function each backend writes for each demo.

use std::cell::RefCell;
use std::fmt;
use std::ops::AddAssign;
use std::rc::Rc;
use std::str::FromStr;

use crate::Repr;

/// The eleven demo generators every backend implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Demo {
    /// `fibonacci()`: the infinite Fibonacci sequence, in big integers.
    Fibonacci,
    /// `echo()`: yields back whatever was sent.
    Echo,
    /// `running_sum()`: adds what is sent; `send(None)` returns the total.
    RunningSum,
    /// `countdown()`: 3, 2, 1, then returns `'liftoff'`.
    Countdown,
    /// `guarded()`: catches `ValueError`, logs `'cleanup'` in `finally`.
    Guarded,
    /// `stubborn()`: ignores `GeneratorExit`.
    Stubborn,
    /// `batches()`: `yield from running_sum()`, over and over.
    Batches,
    /// `words()`: a `for` loop over its own local string, across `yield`.
    Words,
    /// `account()`: raises `Overdrawn`, an exception class of its own.
    Account,
    /// `pipeline()`: Beazley's push pipeline of primed consumers.
    Pipeline,
    /// `inventory()`: `except LookupError` and `except Exception`, and a
    /// `StopIteration` that escapes (PEP 479).
    Inventory,
}

impl Demo {
    /// Every demo, in the order the design lists them.
    pub const ALL: [Demo; 11] = [
        Demo::Fibonacci,
        Demo::Echo,
        Demo::RunningSum,
        Demo::Countdown,
        Demo::Guarded,
        Demo::Stubborn,
        Demo::Batches,
        Demo::Words,
        Demo::Account,
        Demo::Pipeline,
        Demo::Inventory,
    ];

    /// The Python function's name: `running_sum`.
    pub fn name(self) -> &'static str {
        match self {
            Demo::Fibonacci => "fibonacci",
            Demo::Echo => "echo",
            Demo::RunningSum => "running_sum",
            Demo::Countdown => "countdown",
            Demo::Guarded => "guarded",
            Demo::Stubborn => "stubborn",
            Demo::Batches => "batches",
            Demo::Words => "words",
            Demo::Account => "account",
            Demo::Pipeline => "pipeline",
            Demo::Inventory => "inventory",
        }
    }
}

impl fmt::Display for Demo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A demo name that is not one of [`Demo::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownDemo(pub String);

impl fmt::Display for UnknownDemo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<_> = Demo::ALL.iter().map(|d| d.name()).collect();
        write!(
            f,
            "unknown demo '{}' (expected one of: {})",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownDemo {}

impl FromStr for Demo {
    type Err = UnknownDemo;

    fn from_str(name: &str) -> Result<Demo, UnknownDemo> {
        Demo::ALL
            .into_iter()
            .find(|d| d.name() == name)
            .ok_or_else(|| UnknownDemo(name.to_owned()))
    }
}

/// Python's `log(text)` in the demos: a shared list of lines that the
/// transcript prints beside the op that caused them.
///
/// Cloning a `Log` gives another handle to the same list, so a body can
/// keep one and the caller another.
#[derive(Clone, Debug, Default)]
pub struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    /// A new, empty log.
    pub fn new() -> Log {
        Log::default()
    }

    /// `log(text)`: append a line.
    pub fn write(&self, text: &str) {
        self.0.borrow_mut().push(text.to_owned());
    }

    /// Take every line written since the last call.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// What `running_sum` can add up: Python ints (`BigInt`) for transcripts,
/// machine integers for benchmarks.
pub trait Summable: Clone + Default + AddAssign {}

impl<T: Clone + Default + AddAssign> Summable for T {}

/// What `batches` yields: an `int` while the inner `running_sum` runs, a
/// `str` when a batch is done. Python needs no type for this; Rust names
/// the two cases.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Batch<T> {
    /// A running total, yielded by the inner `running_sum` and passed
    /// through by `yield from`.
    Total(T),
    /// `f'batch {count}: {total}'`.
    Summary(String),
}

/// What the inner `running_sum` yields becomes a [`Batch::Total`] on its
/// way out through `yield from`.
impl<T> From<T> for Batch<T> {
    fn from(total: T) -> Batch<T> {
        Batch::Total(total)
    }
}

impl<T: Repr> Batch<T> {
    /// `f'batch {count}: {total}'`, with `total` written as Python writes
    /// it (`None` if the inner generator gave no value).
    pub fn summary(count: u64, total: &Option<T>) -> Batch<T> {
        Batch::Summary(format!("batch {count}: {}", total.repr()))
    }
}

impl<T: Repr> Repr for Batch<T> {
    fn repr(&self) -> String {
        match self {
            Batch::Total(total) => total.repr(),
            Batch::Summary(text) => text.repr(),
        }
    }
}

/// Declare a backend crate's demo modules and define its `demo()`: the
/// demo generator picked by name at run time, boxed as a
/// [`PyGenerator`](crate::PyGenerator) that takes Python ints, for
/// transcripts and the CLI.
///
/// Every backend crate invokes it once, in its `lib.rs`; it expands to
/// `mod fibonacci; pub use fibonacci::*;` and so on for each demo (the
/// files `src/fibonacci.rs`, `src/echo.rs`, ... of that crate), and to
/// `demo()`. This is the one list of the demos' modules and of how each
/// demo function is called, so adding a demo adds a line here, not one in
/// each backend.
///
/// Each body is pinned in a box before it is wrapped: a body that borrows
/// its own locals across a `yield` (nightly's `words`) must not move, and
/// `Pin<Box<_>>` lets every body be handled the same way here.
// ANCHOR: backend_demos
#[macro_export]
macro_rules! backend_demos {
    () => {
        mod account;
        mod batches;
        mod countdown;
        mod echo;
        mod fibonacci;
        mod guarded;
        mod inventory;
        mod pipeline;
        mod running_mean;
        mod running_sum;
        mod stubborn;
        mod stubborn_async;
        mod ticker;
        mod words;

        pub use self::account::*;
        pub use self::batches::*;
        pub use self::countdown::*;
        pub use self::echo::*;
        pub use self::fibonacci::*;
        pub use self::guarded::*;
        pub use self::inventory::*;
        pub use self::pipeline::*;
        pub use self::running_mean::*;
        pub use self::running_sum::*;
        pub use self::stubborn::*;
        pub use self::stubborn_async::*;
        pub use self::ticker::*;
        pub use self::words::*;

        /// The demo generator `demo`, ready to be driven by a transcript
        /// with Python ints as sent values. `log` receives what the demo
        /// logs.
        pub fn demo(
            demo: $crate::Demo,
            log: &$crate::Log,
        ) -> ::std::boxed::Box<dyn $crate::PyGenerator> {
            use ::std::boxed::Box;
            use ::std::pin::Pin;
            use $crate::__private::{BigInt, Coroutine, Generator, Resume};

            fn boxed<G, R>(body: G) -> Box<dyn $crate::PyGenerator>
            where
                G: Coroutine<Resume<BigInt>, Return = Result<R, $crate::__private::Exception>>
                    + 'static,
                Generator<Pin<Box<G>>, BigInt>: $crate::PyGenerator,
            {
                Box::new($crate::Transcribed(Generator::<_, BigInt>::new(Box::pin(
                    body,
                ))))
            }
            let log = log.clone();
            match demo {
                $crate::Demo::Fibonacci => boxed(fibonacci()),
                $crate::Demo::Echo => boxed(echo()),
                $crate::Demo::RunningSum => boxed(running_sum()),
                $crate::Demo::Countdown => boxed(countdown()),
                $crate::Demo::Guarded => boxed(guarded(log)),
                $crate::Demo::Stubborn => boxed(stubborn(log)),
                $crate::Demo::Batches => boxed(batches()),
                $crate::Demo::Words => boxed(words(log)),
                $crate::Demo::Account => boxed(account()),
                // pipeline() returns its first stage already primed, as
                // Python's @coroutine decorator does: a generator, not a
                // body.
                $crate::Demo::Pipeline => Box::new($crate::Transcribed(pipeline(log))),
                $crate::Demo::Inventory => boxed(inventory(log)),
            }
        }

        /// The async demo generator `demo`, ready to be driven by an async
        /// transcript with Python ints as sent values. `log` receives what
        /// the demo logs.
        pub fn async_demo(
            demo: $crate::AsyncDemo,
            log: &$crate::Log,
        ) -> ::std::boxed::Box<dyn $crate::PyAsyncGenerator> {
            use ::std::boxed::Box;
            use ::std::pin::Pin;
            use $crate::__private::{AsyncGenerator, AsyncResume, BigInt, Coroutine};

            // Boxed and pinned as the generators are: a body that awaits
            // keeps the awaited future pinned in its own frame (nightly's
            // `static` coroutines), so it must not move.
            fn boxed<G>(body: G) -> Box<dyn $crate::PyAsyncGenerator>
            where
                G: Coroutine<AsyncResume<BigInt>> + 'static,
                AsyncGenerator<Pin<Box<G>>, BigInt>: $crate::PyAsyncGenerator,
            {
                Box::new(AsyncGenerator::<_, BigInt>::new(Box::pin(body)))
            }
            let log = log.clone();
            match demo {
                $crate::AsyncDemo::Ticker => boxed(ticker(log)),
                $crate::AsyncDemo::RunningMean => boxed(running_mean(log)),
                $crate::AsyncDemo::StubbornAsync => boxed(stubborn_async(log)),
            }
        }
    };
}
// ANCHOR_END: backend_demos
