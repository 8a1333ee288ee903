//! [`Exception`]: what `throw` delivers, what a body raises, and what the
//! protocol itself raises; [`Class`], the class hierarchy `except`
//! matches against; [`UserException`] for exception classes of a
//! program's own.

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

// ANCHOR: class
/// A Python exception class: its name and its base, as in
/// `class KeyError(LookupError)`. What `except` matches against.
///
/// The built-in classes pygen raises, or a caller can throw, sit where
/// CPython puts them:
///
/// ```text
/// BaseException
/// ├── GeneratorExit
/// └── Exception
///     ├── StopIteration
///     ├── StopAsyncIteration
///     ├── AttributeError
///     ├── LookupError
///     │   ├── IndexError
///     │   └── KeyError
///     ├── RuntimeError
///     ├── TypeError
///     └── ValueError
/// ```
///
/// `GeneratorExit` is not an `Exception`, so `except Exception:` in a body
/// does not swallow a `close()`. A program's own class names its base in
/// [`UserException::base`], and may be a base itself: make its `Class`
/// with [`Class::new`].
///
/// Two classes are the same class when their names and bases are the
/// same, all the way up: a `Class` is a plain value, so a `const` works as
/// well as a `static`.
///
/// ```
/// use pygen_protocol::{Class, Exception};
///
/// // class AccountError(Exception): pass
/// const ACCOUNT_ERROR: Class = Class::new("AccountError", &Class::EXCEPTION);
///
/// assert!(Class::KEY_ERROR.is_subclass(&Class::LOOKUP_ERROR));
/// assert!(!Class::GENERATOR_EXIT.is_subclass(&Class::EXCEPTION));
/// assert!(ACCOUNT_ERROR.is_subclass(&Class::BASE_EXCEPTION));
/// // except LookupError: catches a KeyError
/// assert!(Exception::KeyError.is_instance(&Class::LOOKUP_ERROR));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Class {
    name: &'static str,
    base: Option<&'static Class>,
}
// ANCHOR_END: class

impl Class {
    /// `BaseException`: the root; `except BaseException` catches anything.
    pub const BASE_EXCEPTION: Class = Class {
        name: "BaseException",
        base: None,
    };
    /// `GeneratorExit`: what `close()` raises at the paused `yield`.
    pub const GENERATOR_EXIT: Class = Class::new("GeneratorExit", &Class::BASE_EXCEPTION);
    /// `Exception`: every error a program is expected to handle.
    pub const EXCEPTION: Class = Class::new("Exception", &Class::BASE_EXCEPTION);
    /// `StopIteration`: the end of an iterator; escaping a generator's
    /// body, it becomes `RuntimeError` (PEP 479).
    pub const STOP_ITERATION: Class = Class::new("StopIteration", &Class::EXCEPTION);
    /// `StopAsyncIteration`: the end of an async generator (PEP 525).
    pub const STOP_ASYNC_ITERATION: Class = Class::new("StopAsyncIteration", &Class::EXCEPTION);
    /// `AttributeError`: a value sent into `yield from` over a plain
    /// iterator, which has no `send`.
    pub const ATTRIBUTE_ERROR: Class = Class::new("AttributeError", &Class::EXCEPTION);
    /// `LookupError`: the base of `KeyError` and `IndexError`.
    pub const LOOKUP_ERROR: Class = Class::new("LookupError", &Class::EXCEPTION);
    /// `IndexError`: a sequence index out of range.
    pub const INDEX_ERROR: Class = Class::new("IndexError", &Class::LOOKUP_ERROR);
    /// `KeyError`: a mapping key that is not there.
    pub const KEY_ERROR: Class = Class::new("KeyError", &Class::LOOKUP_ERROR);
    /// `RuntimeError`: a generator that ignored `GeneratorExit`, or let
    /// `StopIteration` out.
    pub const RUNTIME_ERROR: Class = Class::new("RuntimeError", &Class::EXCEPTION);
    /// `TypeError`: a value other than `None` sent to a just-started
    /// generator.
    pub const TYPE_ERROR: Class = Class::new("TypeError", &Class::EXCEPTION);
    /// `ValueError`: a generator resumed while it is running.
    pub const VALUE_ERROR: Class = Class::new("ValueError", &Class::EXCEPTION);

    /// `class Name(base)`: a class of the program's own.
    pub const fn new(name: &'static str, base: &'static Class) -> Class {
        Class {
            name,
            base: Some(base),
        }
    }

    /// `cls.__name__`: `KeyError`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// `cls.__base__`: `LookupError` for `KeyError`, `None` for
    /// `BaseException`.
    pub fn base(&self) -> Option<&'static Class> {
        self.base
    }

    /// `cls.__mro__` without `object`: this class, then its base, up to
    /// `BaseException`.
    pub fn mro(&self) -> impl Iterator<Item = &Class> {
        std::iter::successors(Some(self), |class| class.base)
    }

    /// `issubclass(self, other)`: `other` is this class or one of its
    /// bases. A class is a subclass of itself, as in Python.
    pub fn is_subclass(&self, other: &Class) -> bool {
        self.mro().any(|class| class == other)
    }
}

/// `<class 'KeyError'>`, as Python's `repr` of a class (the module left
/// out).
impl fmt::Debug for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<class '{}'>", self.name)
    }
}

/// The built-in classes an [`Exception`] can be without a table entry, and
/// the mark for a program's own class, whose class is its payload's.
///
/// A whole word, not a byte, and first in [`Exception`] (`repr(C)`): that
/// is how the enum `Exception` was before it had messages, and values
/// that hold one (a `Resume` in genawaiter's slot above all) move and
/// are told apart with fewer instructions so. With a one-byte class
/// placed after the handle, a genawaiter generator's item cost 10 more
/// instructions (`scripts/instructions.sh`, raw+resume: 79 against 70),
/// and the task model's request 30 more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
enum Builtin {
    BaseException,
    GeneratorExit,
    Exception,
    StopIteration,
    StopAsyncIteration,
    AttributeError,
    LookupError,
    IndexError,
    KeyError,
    RuntimeError,
    TypeError,
    ValueError,
    User,
}

impl Builtin {
    fn class(self) -> &'static Class {
        match self {
            Builtin::BaseException => &Class::BASE_EXCEPTION,
            Builtin::GeneratorExit => &Class::GENERATOR_EXIT,
            Builtin::Exception => &Class::EXCEPTION,
            Builtin::StopIteration => &Class::STOP_ITERATION,
            Builtin::StopAsyncIteration => &Class::STOP_ASYNC_ITERATION,
            Builtin::AttributeError => &Class::ATTRIBUTE_ERROR,
            Builtin::LookupError => &Class::LOOKUP_ERROR,
            Builtin::IndexError => &Class::INDEX_ERROR,
            Builtin::KeyError => &Class::KEY_ERROR,
            Builtin::RuntimeError => &Class::RUNTIME_ERROR,
            Builtin::TypeError => &Class::TYPE_ERROR,
            Builtin::ValueError => &Class::VALUE_ERROR,
            // A user exception's class is asked of its payload; this arm
            // is never taken for one (`Exception::class` looks first).
            Builtin::User => &Class::EXCEPTION,
        }
    }
}

/// A Python exception, as far as generators need them: an instance of a
/// built-in class the protocol raises or a caller throws, or of a class a
/// program defines itself; with its message (`str(e)`) and its cause
/// (`raise ... from cause`).
///
/// `throw` delivers one into the body at its paused `yield`, `close`
/// delivers [`Exception::GeneratorExit`], and the
/// [`Generator`](crate::Generator) wrapper raises `TypeError`,
/// `RuntimeError` and `ValueError` where CPython does, with CPython's
/// messages. Bodies see an exception as the `Err` side of the value their
/// `yield` evaluates to, and let it propagate with `?`, which is Python's
/// "not caught here".
///
/// `except KeyError:` is [`is_instance`](Exception::is_instance): a class
/// or any of its subclasses, in one expression, usually a match guard:
///
/// ```
/// use pygen_protocol::{Class, Exception};
///
/// fn handle(e: Exception) -> Result<&'static str, Exception> {
///     match e {
///         // except LookupError:     (KeyError and IndexError too)
///         e if e.is_instance(&Class::LOOKUP_ERROR) => Ok("missing"),
///         // except Exception:       (everything but GeneratorExit and
///         //                          other BaseExceptions)
///         e if e.is_instance(&Class::EXCEPTION) => Ok("failed"),
///         // not caught: let it propagate
///         e => Err(e),
///     }
/// }
/// assert_eq!(handle(Exception::KeyError), Ok("missing"));
/// assert_eq!(handle(Exception::ValueError), Ok("failed"));
/// assert_eq!(handle(Exception::GeneratorExit), Err(Exception::GeneratorExit));
/// ```
///
/// The associated constants (`Exception::KeyError`) are `raise KeyError`:
/// an instance with no message. [`with_message`](Exception::with_message)
/// gives one (`raise KeyError('apple')`), and
/// [`with_cause`](Exception::with_cause) is `raise ... from cause`. Two
/// exceptions are equal when their class, message and cause are, which is
/// what a transcript or a test can see.
///
/// A program's own classes are made with [`Exception::new`]:
///
/// ```
/// use std::fmt;
/// use pygen_protocol::{Class, Exception, UserException};
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
/// // except Exception: catches it too
/// assert!(e.is_instance(&Class::EXCEPTION));
/// // the built-in classes print as their name, and their message if any
/// assert_eq!(Exception::KeyError.to_string(), "KeyError");
/// assert_eq!(Exception::KeyError.with_message("'fig'").to_string(), "KeyError: 'fig'");
/// ```
///
/// # Why it is small
///
/// Every resume carries a [`Resume<S>`](crate::Resume),
/// `Result<Option<S>, Exception>`, so the size of `Exception` is paid on
/// every `next` and `send`, exception or not. Holding a message or a
/// program's own exception inline (an `Arc<dyn UserException>` is 16
/// bytes) made `Exception` 24 bytes and the resume value of an `i64`
/// generator 24 instead of 16, and that cost nightly bodies three times the
/// instructions per `send` (5 to 15 under callgrind, in a plain loop). So
/// an `Exception` is a 4-byte class and a 4-byte handle to an entry in a
/// process-wide table, which holds the message, the cause and the payload
/// and counts its handles: `Exception` is 8 bytes, and
/// `Result<Option<i64>, Exception>` 16. The table is touched only when an
/// exception with a message, a cause or a class of the program's own is
/// raised, cloned or dropped, never on a resume.
#[repr(C)]
pub struct Exception {
    builtin: Builtin,
    detail: Option<Detail>,
}

/// The instances a body or a caller raises by class: `raise KeyError`.
#[allow(non_upper_case_globals)]
impl Exception {
    /// `ValueError`.
    pub const ValueError: Exception = Exception::builtin(Builtin::ValueError);
    /// `KeyError`, a `LookupError`.
    pub const KeyError: Exception = Exception::builtin(Builtin::KeyError);
    /// `IndexError`, a `LookupError`.
    pub const IndexError: Exception = Exception::builtin(Builtin::IndexError);
    /// `LookupError`.
    pub const LookupError: Exception = Exception::builtin(Builtin::LookupError);
    /// `GeneratorExit`: what `close()` raises at the paused `yield`. A
    /// `BaseException`, not an `Exception`.
    pub const GeneratorExit: Exception = Exception::builtin(Builtin::GeneratorExit);
    /// `TypeError`.
    pub const TypeError: Exception = Exception::builtin(Builtin::TypeError);
    /// `RuntimeError`.
    pub const RuntimeError: Exception = Exception::builtin(Builtin::RuntimeError);
    /// `AttributeError`.
    pub const AttributeError: Exception = Exception::builtin(Builtin::AttributeError);
    /// `StopIteration`, as a body sees it before it escapes (PEP 479).
    pub const StopIteration: Exception = Exception::builtin(Builtin::StopIteration);
    /// `StopAsyncIteration`: the end of an async generator (PEP 525), which
    /// has no return value; raised by its `anext`, `asend` and `athrow`.
    pub const StopAsyncIteration: Exception = Exception::builtin(Builtin::StopAsyncIteration);
    /// `Exception` itself.
    pub const Exception: Exception = Exception::builtin(Builtin::Exception);
    /// `BaseException` itself.
    pub const BaseException: Exception = Exception::builtin(Builtin::BaseException);
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

    const fn builtin(builtin: Builtin) -> Exception {
        Exception {
            builtin,
            detail: None,
        }
    }

    /// Raise an exception of the program's own class: Python's
    /// `raise Overdrawn(...)`.
    pub fn new<E: UserException>(exception: E) -> Exception {
        Exception {
            builtin: Builtin::User,
            detail: Some(Detail::new(Entry {
                user: Some(Arc::new(exception)),
                message: None,
                cause: None,
                handles: 1,
            })),
        }
    }

    /// The same exception with `message` as `str(e)`: `KeyError('fig')`
    /// is `Exception::KeyError.with_message("'fig'")`. For a program's own
    /// class this replaces what its `Display` says.
    pub fn with_message(self, message: impl Into<Cow<'static, str>>) -> Exception {
        let message = Some(message.into());
        self.with_entry(|entry| entry.message = message)
    }

    /// `raise self from cause`: the same exception, with `cause` as its
    /// `__cause__`.
    pub fn with_cause(self, cause: Exception) -> Exception {
        let cause = Some(cause);
        self.with_entry(|entry| entry.cause = cause)
    }

    /// This exception with one part of its entry changed: a new entry with
    /// the rest copied, since other handles may share the old one.
    fn with_entry(mut self, change: impl FnOnce(&mut Entry)) -> Exception {
        let mut entry = match &self.detail {
            Some(detail) => detail.copy(),
            None => Entry {
                user: None,
                message: None,
                cause: None,
                handles: 1,
            },
        };
        change(&mut entry);
        self.detail = Some(Detail::new(entry));
        self
    }

    /// `type(e)`: the class, whose [`mro`](Class::mro) `except` walks.
    pub fn class(&self) -> Class {
        match (self.builtin, &self.detail) {
            (Builtin::User, Some(detail)) => {
                let user = detail.user().expect("a user exception has its payload");
                Class {
                    name: user.class_name(),
                    base: Some(user.base()),
                }
            }
            (builtin, _) => *builtin.class(),
        }
    }

    /// The class name, as Python prints it: `ValueError`, `Overdrawn`.
    pub fn name(&self) -> &'static str {
        self.class().name
    }

    /// `isinstance(e, cls)`, which is what `except cls:` asks: `e`'s class
    /// is `cls` or a subclass of it.
    pub fn is_instance(&self, class: &Class) -> bool {
        self.class().is_subclass(class)
    }

    /// Look a built-in exception up by its class name (one of
    /// [`Exception::ALL`]).
    pub fn from_name(name: &str) -> Option<Exception> {
        Exception::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Whether this is `GeneratorExit`, the exception `close()` raises.
    pub fn is_generator_exit(&self) -> bool {
        self.builtin == Builtin::GeneratorExit
    }

    /// Python's `isinstance(e, E)` for a program's own class `E`.
    pub fn is<E: UserException>(&self) -> bool {
        self.downcast_ref::<E>().is_some()
    }

    /// The payload of a program's own exception class, if this is one of
    /// `E`: Python's `except E as e`.
    pub fn downcast_ref<E: UserException>(&self) -> Option<&E> {
        let user = self.detail.as_ref()?.user()?;
        (user as &dyn Any).downcast_ref::<E>()
    }

    /// `str(e)`: the message the exception carries; empty for one raised
    /// by class (`raise KeyError`).
    pub fn message(&self) -> String {
        let Some(detail) = &self.detail else {
            return String::new();
        };
        match detail.message() {
            Some(message) => message.into_owned(),
            None => detail
                .user()
                .map(|user| user.to_string())
                .unwrap_or_default(),
        }
    }

    /// `e.__cause__`: the exception this one was raised from, as PEP 479's
    /// `RuntimeError` is from the `StopIteration` that escaped.
    pub fn cause(&self) -> Option<Exception> {
        self.detail.as_ref()?.cause()
    }

    /// The last line of Python's traceback, as a transcript prints it: a
    /// built-in class by its name alone (`KeyError`), a program's own class
    /// with its message (`Overdrawn: balance 10, asked -20`).
    pub fn traceback_line(&self) -> String {
        match self.builtin {
            Builtin::User => self.to_string(),
            _ => self.name().to_owned(),
        }
    }
}

impl Clone for Exception {
    fn clone(&self) -> Exception {
        Exception {
            builtin: self.builtin,
            detail: self.detail.clone(),
        }
    }
}

/// `Name: message`, or `Name` where there is no message: the last line of
/// CPython's traceback.
impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message().as_str() {
            "" => f.write_str(self.name()),
            message => write!(f, "{}: {message}", self.name()),
        }
    }
}

/// `KeyError`, `RuntimeError("generator raised StopIteration")`, with the
/// cause after `from` where there is one.
impl fmt::Debug for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        let message = self.message();
        if !message.is_empty() {
            write!(f, "({message:?})")?;
        }
        if let Some(cause) = self.cause() {
            write!(f, " from {cause:?}")?;
        }
        Ok(())
    }
}

impl PartialEq for Exception {
    fn eq(&self, other: &Exception) -> bool {
        if self.detail.is_none() && other.detail.is_none() {
            return self.builtin == other.builtin;
        }
        self.class() == other.class()
            && self.message() == other.message()
            && self.cause() == other.cause()
    }
}

impl Eq for Exception {}

impl Hash for Exception {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.class().hash(state);
        self.message().hash(state);
    }
}

impl std::error::Error for Exception {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        None
    }
}

/// An exception class a program defines itself: Python's
/// `class Overdrawn(Exception)`.
///
/// `Display` is `str(e)`, the message; [`class_name`](Self::class_name) is
/// `type(e).__name__`, and [`base`](Self::base) the class it derives from
/// (`Exception` unless said otherwise). Any payload the type holds (an
/// amount, a key) is reachable again through [`Exception::downcast_ref`].
/// `Send + Sync`, so an exception can be handed between threads as
/// Python's can.
pub trait UserException: fmt::Display + fmt::Debug + Any + Send + Sync {
    /// The class name, as Python's traceback prints it.
    fn class_name(&self) -> &'static str;

    /// The base class: `class Overdrawn(AccountError)` answers
    /// `&ACCOUNT_ERROR`, a [`Class`] made with [`Class::new`], or a
    /// built-in one such as `&Class::LOOKUP_ERROR`.
    fn base(&self) -> &'static Class {
        &Class::EXCEPTION
    }
}

/// A 4-byte handle to an entry of the exception table: the message, cause
/// and payload of one raised exception. Shared, not copied, when cloned:
/// like a Python exception object, one raise is one object however many
/// places hold it.
struct Detail(NonZeroU32);

/// The exceptions with a message, cause or payload that are alive, each
/// with how many [`Detail`] handles point to it. Slots are reused once
/// free.
struct Table {
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
}

struct Entry {
    user: Option<Arc<dyn UserException>>,
    message: Option<Cow<'static, str>>,
    cause: Option<Exception>,
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

impl Detail {
    fn new(entry: Entry) -> Detail {
        let mut table = table();
        let slot = match table.free.pop() {
            Some(slot) => {
                table.entries[slot as usize] = Some(entry);
                slot
            }
            None => {
                table.entries.push(Some(entry));
                u32::try_from(table.entries.len() - 1)
                    .expect("fewer than 2^32 - 1 exceptions alive at once")
            }
        };
        Detail(NonZeroU32::MIN.saturating_add(slot))
    }

    fn slot(&self) -> usize {
        (self.0.get() - 1) as usize
    }

    /// Read this handle's entry under the table's lock. `read` must not
    /// touch the table itself.
    fn read<T>(&self, read: impl FnOnce(&Entry) -> T) -> T {
        let table = table();
        let entry = table.entries[self.slot()]
            .as_ref()
            .expect("a live handle's entry is in the table");
        read(entry)
    }

    /// A new entry with the same contents, for one handle.
    fn copy(&self) -> Entry {
        let (user, message) = self.read(|entry| (entry.user.clone(), entry.message.clone()));
        Entry {
            user,
            message,
            cause: self.cause(),
            handles: 1,
        }
    }

    /// The program's own exception this handle points to, if any.
    fn user(&self) -> Option<&(dyn UserException + 'static)> {
        let user: *const dyn UserException =
            self.read(|entry| entry.user.as_ref().map(Arc::as_ptr))?;
        // SAFETY: `self` is one of the entry's counted handles, so the
        // entry, and the `Arc` in it, live at least as long as this borrow
        // of `self`. Moving the table's `Vec` moves the `Arc` pointer, not
        // what it points to, which never moves.
        Some(unsafe { &*user })
    }

    fn message(&self) -> Option<Cow<'static, str>> {
        self.read(|entry| entry.message.clone())
    }

    fn cause(&self) -> Option<Exception> {
        // The cause's own handle is copied under the lock and counted after
        // it: the entry holds the cause for as long as `self` lives, so it
        // cannot be freed in between.
        let (builtin, slot) = self.read(|entry| {
            let cause = entry.cause.as_ref()?;
            Some((cause.builtin, cause.detail.as_ref().map(|detail| detail.0)))
        })?;
        Some(Exception {
            builtin,
            detail: slot.map(|slot| Detail(slot).counted()),
        })
    }

    /// Count one more handle to this entry (made from a raw slot).
    fn counted(self) -> Detail {
        if let Some(entry) = table().entries[self.slot()].as_mut() {
            entry.handles += 1;
        }
        self
    }
}

impl Clone for Detail {
    fn clone(&self) -> Detail {
        Detail(self.0).counted()
    }
}

impl Drop for Detail {
    #[inline]
    fn drop(&mut self) {
        release(self.slot());
    }
}

/// One handle to the entry in `slot` is gone; the last one frees it.
/// Out of line and cold: a resume value that holds no exception with a
/// detail never gets here, and the code that moves resume values stays as
/// small as if `Exception` had no destructor at all.
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
    // The entry is dropped after the lock is released: its cause is an
    // exception too, and a payload's own `Drop` may raise, clone or drop
    // exceptions.
    drop(last);
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
    fn a_cause_lives_as_long_as_the_exception_raised_from_it() {
        let alive = Arc::new(());
        let e = Exception::RuntimeError
            .with_message("generator raised StopIteration")
            .with_cause(Exception::new(Counted(alive.clone())));
        let cause = e.cause().expect("it has a cause");
        drop(e);
        assert_eq!(Arc::strong_count(&alive), 2, "the cause is still held");
        assert_eq!(cause.to_string(), "Counted: counted");
        drop(cause);
        assert_eq!(Arc::strong_count(&alive), 1);
    }

    #[test]
    fn a_message_is_kept_and_compared() {
        let boom = Exception::RuntimeError.with_message("boom");
        assert_eq!(boom.to_string(), "RuntimeError: boom");
        assert_eq!(boom.traceback_line(), "RuntimeError");
        assert_eq!(boom.message(), "boom");
        assert_ne!(boom, Exception::RuntimeError);
        assert_eq!(boom, boom.clone().with_message("boom"));
        assert!(boom.is_instance(&Class::RUNTIME_ERROR));
        assert_eq!(format!("{boom:?}"), "RuntimeError(\"boom\")");
        let caused = Exception::RuntimeError.with_cause(Exception::StopIteration);
        assert_eq!(format!("{caused:?}"), "RuntimeError from StopIteration");
        assert_ne!(caused, Exception::RuntimeError);
    }

    #[derive(Debug)]
    struct Overdrawn;

    impl fmt::Display for Overdrawn {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("no")
        }
    }

    const ACCOUNT_ERROR: Class = Class::new("AccountError", &Class::EXCEPTION);

    impl UserException for Overdrawn {
        fn class_name(&self) -> &'static str {
            "Overdrawn"
        }

        fn base(&self) -> &'static Class {
            &ACCOUNT_ERROR
        }
    }

    #[test]
    fn a_class_matches_itself_and_its_subclasses() {
        assert!(Exception::KeyError.is_instance(&Class::KEY_ERROR));
        assert!(Exception::KeyError.is_instance(&Class::LOOKUP_ERROR));
        assert!(Exception::IndexError.is_instance(&Class::LOOKUP_ERROR));
        assert!(Exception::KeyError.is_instance(&Class::EXCEPTION));
        assert!(!Exception::KeyError.is_instance(&Class::INDEX_ERROR));
        assert!(!Exception::ValueError.is_instance(&Class::LOOKUP_ERROR));
        assert!(!Exception::GeneratorExit.is_instance(&Class::EXCEPTION));
        assert!(Exception::GeneratorExit.is_instance(&Class::BASE_EXCEPTION));
        assert!(Exception::StopIteration.is_instance(&Class::EXCEPTION));
        let names: Vec<_> = Class::KEY_ERROR.mro().map(Class::name).collect();
        assert_eq!(
            names,
            ["KeyError", "LookupError", "Exception", "BaseException"]
        );

        let e = Exception::new(Overdrawn);
        assert!(e.is_instance(&ACCOUNT_ERROR));
        assert!(e.is_instance(&Class::EXCEPTION));
        assert!(!e.is_instance(&Class::LOOKUP_ERROR));
        assert_eq!(e.class().base(), Some(&ACCOUNT_ERROR));
        assert!(!Exception::new(Empty).is_instance(&ACCOUNT_ERROR));
        assert_eq!(format!("{:?}", Class::KEY_ERROR), "<class 'KeyError'>");
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
        assert_eq!(Exception::TypeError.to_string(), "TypeError");
        for e in Exception::ALL {
            assert_eq!(Exception::from_name(e.name()), Some(e));
        }
        assert_eq!(Exception::from_name("AttributeError"), None);
    }
}
