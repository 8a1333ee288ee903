//! [`Exception`]: what `throw` delivers, what a body raises, and what the
//! protocol itself raises; [`UserException`] for exception classes of a
//! program's own.

use std::any::Any;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A Python exception, as far as generators need them: the built-in
/// classes the protocol raises or a caller throws, and classes a program
/// defines itself.
///
/// `throw` delivers one into the body at its paused `yield`, `close`
/// delivers [`Exception::GeneratorExit`], and the
/// [`Generator`](crate::Generator) wrapper raises [`Exception::TypeError`]
/// and [`Exception::RuntimeError`] where CPython does. Bodies see an
/// exception as the `Err` side of the value their `yield` evaluates to, and
/// let it propagate with `?`, which is Python's "not caught here".
///
/// A program's own classes go in [`Exception::User`], made with
/// [`Exception::new`]:
///
/// ```
/// use std::fmt;
/// use pygen_protocol::{Exception, UserException};
///
/// // class Overdrawn(Exception):
/// //     pass
/// #[derive(Debug)]
/// struct Overdrawn { balance: i64, asked: i64 }
///
/// impl fmt::Display for Overdrawn {
///     // str(e): the message, as Python's traceback prints it after the name
///     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
///         write!(f, "balance {}, asked {}", self.balance, self.asked)
///     }
/// }
///
/// impl UserException for Overdrawn {
///     fn class_name(&self) -> &'static str {
///         "Overdrawn"
///     }
/// }
///
/// // raise Overdrawn(f'balance {balance}, asked {amount}')
/// let e = Exception::new(Overdrawn { balance: 10, asked: -20 });
/// assert_eq!(e.to_string(), "Overdrawn: balance 10, asked -20");
/// // except Overdrawn as o: ... o.balance
/// assert_eq!(e.downcast_ref::<Overdrawn>().map(|o| o.balance), Some(10));
/// // the built-in classes print as their name alone
/// assert_eq!(Exception::KeyError.to_string(), "KeyError");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Exception {
    /// `ValueError`: thrown in by a caller.
    ValueError,
    /// `KeyError`: thrown in by a caller.
    KeyError,
    /// `GeneratorExit`: what `close()` raises at the paused `yield`.
    GeneratorExit,
    /// `TypeError`: a value other than `None` sent to a just-started generator.
    TypeError,
    /// `RuntimeError`: the body yielded again after `GeneratorExit`, or let
    /// `StopIteration` escape (PEP 479).
    RuntimeError,
    /// `AttributeError`: a value sent into `yield from` over a plain
    /// iterable, which has no `send` method.
    AttributeError,
    /// An exception class of the program's own, with its payload.
    User(UserError),
}

impl Exception {
    /// The built-in exceptions an op script can name in `throw`, in
    /// declaration order.
    pub const ALL: [Exception; 5] = [
        Exception::ValueError,
        Exception::KeyError,
        Exception::GeneratorExit,
        Exception::TypeError,
        Exception::RuntimeError,
    ];

    /// Raise an exception of the program's own class: Python's
    /// `raise Overdrawn(...)`.
    pub fn new<E: UserException>(exception: E) -> Exception {
        Exception::User(UserError(Arc::new(exception)))
    }

    /// The class name, as Python prints it: `ValueError`, `Overdrawn`.
    pub fn name(&self) -> &'static str {
        match self {
            Exception::ValueError => "ValueError",
            Exception::KeyError => "KeyError",
            Exception::GeneratorExit => "GeneratorExit",
            Exception::TypeError => "TypeError",
            Exception::RuntimeError => "RuntimeError",
            Exception::AttributeError => "AttributeError",
            Exception::User(user) => user.class_name(),
        }
    }

    /// Look a built-in exception up by its class name (one of
    /// [`Exception::ALL`]).
    pub fn from_name(name: &str) -> Option<Exception> {
        Exception::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Whether this is `GeneratorExit`, the exception `close()` raises.
    pub fn is_generator_exit(&self) -> bool {
        matches!(self, Exception::GeneratorExit)
    }

    /// Python's `isinstance(e, E)` for a program's own class `E`.
    pub fn is<E: UserException>(&self) -> bool {
        self.downcast_ref::<E>().is_some()
    }

    /// The payload of a program's own exception class, if this is one of
    /// `E`: Python's `except E as e`.
    pub fn downcast_ref<E: UserException>(&self) -> Option<&E> {
        match self {
            Exception::User(user) => (&*user.0 as &dyn Any).downcast_ref::<E>(),
            _ => None,
        }
    }

    /// `str(e)`: the message the exception carries. The built-in ones
    /// carry CPython's message where the protocol raises them, and none
    /// where a caller throws them by class.
    pub fn message(&self) -> String {
        match self {
            Exception::TypeError => {
                "can't send non-None value to a just-started generator".to_owned()
            }
            Exception::RuntimeError => "generator ignored GeneratorExit".to_owned(),
            Exception::AttributeError => "object has no attribute 'send'".to_owned(),
            Exception::User(user) => user.0.to_string(),
            _ => String::new(),
        }
    }

    /// The last line of Python's traceback, as a transcript prints it: a
    /// built-in class by its name alone (`KeyError`), a program's own class
    /// with its message (`Overdrawn: balance 10, asked -20`).
    pub fn traceback_line(&self) -> String {
        match self {
            Exception::User(user) => user.to_string(),
            builtin => builtin.name().to_owned(),
        }
    }
}

/// `Name: message`, or `Name` where there is no message.
impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message().as_str() {
            "" => f.write_str(self.name()),
            message => write!(f, "{}: {message}", self.name()),
        }
    }
}

impl std::error::Error for Exception {}

/// An exception class a program defines itself: Python's
/// `class Overdrawn(Exception)`.
///
/// `Display` is `str(e)`, the message; [`class_name`](Self::class_name) is
/// `type(e).__name__`. Any payload the type holds (an amount, a key) is
/// reachable again through [`Exception::downcast_ref`]. `Send + Sync`, so
/// an exception can be handed between threads as Python's can.
pub trait UserException: fmt::Display + fmt::Debug + Any + Send + Sync {
    /// The class name, as Python's traceback prints it.
    fn class_name(&self) -> &'static str;
}

/// A raised exception of a program's own class: the payload of
/// [`Exception::User`].
///
/// Shared, not copied, when cloned: like a Python exception object, one
/// raise is one object however many places hold it. Two compare equal when
/// their class name and message are equal, which is what a test of a
/// transcript can see.
#[derive(Clone)]
pub struct UserError(Arc<dyn UserException>);

impl UserError {
    /// `type(e).__name__`.
    pub fn class_name(&self) -> &'static str {
        self.0.class_name()
    }
}

impl fmt::Debug for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

/// `Overdrawn: balance 10, asked -20`, or `Overdrawn` for an empty message.
impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.0.to_string();
        if message.is_empty() {
            f.write_str(self.class_name())
        } else {
            write!(f, "{}: {message}", self.class_name())
        }
    }
}

impl PartialEq for UserError {
    fn eq(&self, other: &UserError) -> bool {
        self.class_name() == other.class_name() && self.0.to_string() == other.0.to_string()
    }
}

impl Eq for UserError {}

impl Hash for UserError {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.class_name().hash(state);
        self.0.to_string().hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Empty;

    impl fmt::Display for Empty {
        fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
            Ok(())
        }
    }

    impl UserException for Empty {
        fn class_name(&self) -> &'static str {
            "Empty"
        }
    }

    #[test]
    fn a_user_class_without_a_message_prints_its_name() {
        let e = Exception::new(Empty);
        assert_eq!(e.to_string(), "Empty");
        assert_eq!(e.traceback_line(), "Empty");
        assert!(e.is::<Empty>());
        assert!(!Exception::KeyError.is::<Empty>());
        assert_eq!(e, e.clone());
    }

    #[test]
    fn builtins_print_their_name_in_a_traceback_line() {
        assert_eq!(Exception::TypeError.traceback_line(), "TypeError");
        assert_eq!(
            Exception::TypeError.to_string(),
            "TypeError: can't send non-None value to a just-started generator"
        );
        for e in Exception::ALL {
            assert_eq!(Exception::from_name(e.name()), Some(e));
        }
        assert_eq!(Exception::from_name("AttributeError"), None);
    }
}
