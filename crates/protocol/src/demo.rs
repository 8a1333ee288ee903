//! The vocabulary the demo generators share across backends: their names,
//! the `log` they write to, Python's `finally`, and the value `batches`
//! yields.

use std::cell::RefCell;
use std::fmt;
use std::ops::AddAssign;
use std::rc::Rc;
use std::str::FromStr;

use crate::Repr;

/// The seven demo generators every backend implements.
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
}

impl Demo {
    /// Every demo, in the order the design lists them.
    pub const ALL: [Demo; 7] = [
        Demo::Fibonacci,
        Demo::Echo,
        Demo::RunningSum,
        Demo::Countdown,
        Demo::Guarded,
        Demo::Stubborn,
        Demo::Batches,
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

/// Python's `finally:` block, as a Rust guard: the closure runs when the
/// guard is dropped, whichever way the body ends — by returning, by an
/// exception propagating out with `?`, or by the suspended body being
/// dropped.
///
/// ```
/// use pygen_protocol::{finally, Log};
///
/// let log = Log::new();
/// {
///     let log = log.clone();
///     let _finally = finally(move || log.write("cleanup"));
/// }
/// assert_eq!(log.take(), ["cleanup"]);
/// ```
pub fn finally<F: FnOnce()>(block: F) -> Finally<F> {
    Finally(Some(block))
}

/// The guard made by [`finally`].
#[must_use = "the block runs when the guard is dropped: bind it to a named variable"]
pub struct Finally<F: FnOnce()>(Option<F>);

impl<F: FnOnce()> Drop for Finally<F> {
    fn drop(&mut self) {
        if let Some(block) = self.0.take() {
            block();
        }
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

/// Define a backend's `demo()`: the demo generator picked by name at run
/// time, boxed as a [`PyGenerator`](crate::PyGenerator) that takes Python
/// ints, for transcripts and the CLI.
///
/// Every backend crate calls it from its `demo.rs` with its seven demo
/// functions in scope; the function is the same in each, so it is written
/// once, here.
#[macro_export]
macro_rules! demo_by_name {
    () => {
        /// The demo generator `demo`, ready to be driven by a transcript
        /// with Python ints as sent values. `log` receives what `guarded`
        /// and `stubborn` log.
        pub fn demo(
            demo: $crate::Demo,
            log: &$crate::Log,
        ) -> ::std::boxed::Box<dyn $crate::PyGenerator> {
            fn boxed<G: 'static>(body: G) -> ::std::boxed::Box<dyn $crate::PyGenerator>
            where
                $crate::Generator<G, $crate::conformance::__suite::BigInt>: $crate::PyGenerator,
            {
                ::std::boxed::Box::new(
                    $crate::Generator::<G, $crate::conformance::__suite::BigInt>::new(body),
                )
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
            }
        }
    };
}
