//! The Python exceptions the protocol can raise or deliver.

use std::fmt;

/// A Python exception, as far as the generator protocol needs them.
///
/// `throw` delivers one into the body at its paused `yield`, `close`
/// delivers [`Exception::GeneratorExit`], and the
/// [`Generator`](crate::Generator) wrapper raises [`Exception::TypeError`]
/// and [`Exception::RuntimeError`] where CPython does. Bodies see an
/// exception as the `Err` side of the value their `yield` evaluates to, and
/// let it propagate with `?`, which is Python's "not caught here".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Exception {
    /// `ValueError`: thrown in by a caller.
    ValueError,
    /// `KeyError`: thrown in by a caller.
    KeyError,
    /// `GeneratorExit`: what `close()` raises at the paused `yield`.
    GeneratorExit,
    /// `TypeError`: a value other than `None` sent to a just-started generator.
    TypeError,
    /// `RuntimeError`: the body yielded again after `GeneratorExit`.
    RuntimeError,
}

impl Exception {
    /// Every exception, in declaration order.
    pub const ALL: [Exception; 5] = [
        Exception::ValueError,
        Exception::KeyError,
        Exception::GeneratorExit,
        Exception::TypeError,
        Exception::RuntimeError,
    ];

    /// The class name, as Python prints it: `ValueError`.
    pub fn name(self) -> &'static str {
        match self {
            Exception::ValueError => "ValueError",
            Exception::KeyError => "KeyError",
            Exception::GeneratorExit => "GeneratorExit",
            Exception::TypeError => "TypeError",
            Exception::RuntimeError => "RuntimeError",
        }
    }

    /// Look an exception up by its class name.
    pub fn from_name(name: &str) -> Option<Exception> {
        Exception::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The message CPython attaches where the protocol itself raises.
    pub fn message(self) -> &'static str {
        match self {
            Exception::TypeError => "can't send non-None value to a just-started generator",
            Exception::RuntimeError => "generator ignored GeneratorExit",
            _ => "",
        }
    }
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message() {
            "" => f.write_str(self.name()),
            message => write!(f, "{}: {message}", self.name()),
        }
    }
}

impl std::error::Error for Exception {}
