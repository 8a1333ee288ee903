//! [`Exception`]: what `throw` delivers, what a body raises, and what the
//! protocol itself raises; [`UserException`] for exception classes of a
//! program's own.

use std::any::Any;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

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
#[non_exhaustive]
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
    /// `StopAsyncIteration`: the end of an async generator (PEP 525), which
    /// has no return value; raised by its `anext`, `asend` and `athrow`.
    StopAsyncIteration,
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
        Exception::User(UserError::new(Arc::new(exception)))
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
            Exception::StopAsyncIteration => "StopAsyncIteration",
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
            Exception::User(user) => (user.get() as &dyn Any).downcast_ref::<E>(),
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
            Exception::User(user) => user.get().to_string(),
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
///
/// # Why a handle
///
/// Every resume carries a [`Resume<S>`](crate::Resume),
/// `Result<Option<S>, Exception>`, so the size of `Exception` is paid on
/// every `next` and `send`, exception or not. Holding the exception itself
/// (an `Arc<dyn UserException>`, 16 bytes) made `Exception` 24 bytes and
/// the resume value of an `i64` generator 24 instead of 16, and that cost
/// nightly bodies three times the instructions per `send` (5 to 15 under
/// callgrind, in a plain loop). So a `UserError` is a 4-byte handle to an entry in a
/// process-wide table that holds the exception and counts its handles:
/// `Exception` stays 8 bytes, and `Result<Option<i64>, Exception>` 16. The
/// table is touched only when a program's own exception is raised, cloned
/// or dropped, never on a resume.
pub struct UserError(NonZeroU32);

/// The exceptions of the program's own classes that are alive, each with
/// how many [`UserError`] handles point to it. Slots are reused once free.
struct Table {
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
}

struct Entry {
    exception: Arc<dyn UserException>,
    handles: usize,
}

static TABLE: Mutex<Table> = Mutex::new(Table {
    entries: Vec::new(),
    free: Vec::new(),
});

/// The table, whether or not a panic elsewhere poisoned its lock: every
/// change to it is complete before anything that could panic runs.
fn table() -> MutexGuard<'static, Table> {
    TABLE.lock().unwrap_or_else(PoisonError::into_inner)
}

impl UserError {
    fn new(exception: Arc<dyn UserException>) -> UserError {
        let mut table = table();
        let entry = Some(Entry {
            exception,
            handles: 1,
        });
        let slot = match table.free.pop() {
            Some(slot) => {
                table.entries[slot as usize] = entry;
                slot
            }
            None => {
                table.entries.push(entry);
                u32::try_from(table.entries.len() - 1)
                    .expect("fewer than 2^32 - 1 exceptions alive at once")
            }
        };
        UserError(NonZeroU32::MIN.saturating_add(slot))
    }

    fn slot(&self) -> usize {
        (self.0.get() - 1) as usize
    }

    /// The exception this handle points to.
    fn get(&self) -> &(dyn UserException + 'static) {
        let table = table();
        let entry = table.entries[self.slot()]
            .as_ref()
            .expect("a live handle's entry is in the table");
        let exception: *const dyn UserException = Arc::as_ptr(&entry.exception);
        drop(table);
        // SAFETY: `self` is one of the entry's counted handles, so the
        // entry, and the `Arc` in it, live at least as long as this borrow
        // of `self`. Moving the table's `Vec` moves the `Arc` pointer, not
        // what it points to, which never moves.
        unsafe { &*exception }
    }

    /// `type(e).__name__`.
    pub fn class_name(&self) -> &'static str {
        self.get().class_name()
    }
}

impl Clone for UserError {
    fn clone(&self) -> UserError {
        if let Some(entry) = table().entries[self.slot()].as_mut() {
            entry.handles += 1;
        }
        UserError(self.0)
    }
}

impl Drop for UserError {
    #[inline]
    fn drop(&mut self) {
        release(self.slot());
    }
}

/// One handle to the exception in `slot` is gone; the last one frees it.
/// Out of line and cold: a resume value that holds no exception of the
/// program's own never gets here, and the code that moves resume values
/// stays as small as if `Exception` had no destructor at all.
#[cold]
#[inline(never)]
fn release(slot: usize) {
    let last = {
        let mut table = table();
        let entries = &mut table.entries;
        let last = entries[slot].as_mut().is_some_and(|entry| {
            entry.handles -= 1;
            entry.handles == 0
        });
        let freed = if last { entries[slot].take() } else { None };
        if last {
            table.free.push(slot as u32);
        }
        freed
    };
    // The exception itself is dropped after the lock is released: its own
    // `Drop` may raise, clone or drop exceptions too.
    drop(last);
}

impl fmt::Debug for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.get(), f)
    }
}

/// `Overdrawn: balance 10, asked -20`, or `Overdrawn` for an empty message.
impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.get().to_string();
        if message.is_empty() {
            f.write_str(self.class_name())
        } else {
            write!(f, "{}: {message}", self.class_name())
        }
    }
}

impl PartialEq for UserError {
    fn eq(&self, other: &UserError) -> bool {
        self.class_name() == other.class_name() && self.get().to_string() == other.get().to_string()
    }
}

impl Eq for UserError {}

impl Hash for UserError {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.class_name().hash(state);
        self.get().to_string().hash(state);
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
    fn an_exception_is_small_enough_to_ride_on_every_resume() {
        assert_eq!(std::mem::size_of::<Exception>(), 8);
        assert_eq!(std::mem::size_of::<crate::Resume<i64>>(), 16);
    }

    #[derive(Debug)]
    struct Counted(#[allow(dead_code)] Arc<()>);

    impl fmt::Display for Counted {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("counted")
        }
    }

    impl UserException for Counted {
        fn class_name(&self) -> &'static str {
            "Counted"
        }
    }

    #[test]
    fn a_user_exception_lives_as_long_as_its_last_handle() {
        let alive = Arc::new(());
        let e = Exception::new(Counted(alive.clone()));
        let copies: Vec<Exception> = (0..3).map(|_| e.clone()).collect();
        drop(e);
        assert_eq!(Arc::strong_count(&alive), 2, "the copies keep it");
        assert_eq!(copies[2].to_string(), "Counted: counted");
        drop(copies);
        assert_eq!(Arc::strong_count(&alive), 1, "the last handle frees it");
        // Its slot is reused, and the new exception is the new one.
        let next = Exception::new(Empty);
        assert_eq!(next.to_string(), "Empty");
    }

    #[test]
    fn handles_cross_threads() {
        let e = Exception::new(Empty);
        let joined = std::thread::spawn(move || e.traceback_line()).join();
        assert_eq!(joined.ok().as_deref(), Some("Empty"));
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
