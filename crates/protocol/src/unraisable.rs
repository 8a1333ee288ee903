//! What happens to an exception that nobody can catch: one raised while a
//! dropped generator is being closed. Python's `sys.unraisablehook`.
//!
//! When CPython collects a suspended generator it calls its `close()`, so
//! the body's `except GeneratorExit:` and `finally:` run. If that close
//! fails (the body yields again, or raises something else), there is no
//! caller to raise it to: CPython hands it to `sys.unraisablehook`, whose
//! default prints it to stderr as "Exception ignored in: <generator
//! object ...>", and goes on. A dropped [`Generator`](crate::Generator)
//! does the same: it calls this thread's hook, set with
//! [`set_unraisable_hook`], or prints one line to stderr:
//!
//! ```text
//! Exception ignored in: <generator object>: RuntimeError: generator ignored GeneratorExit
//! ```
//!
//! A `Drop` must never panic (during an unwind that aborts the process),
//! so a body that panics while it is being closed is caught and reported
//! here too, as [`Unraisable::Panicked`].
//!
//! The hook is per thread, where Python's is per process: a generator is
//! dropped on the thread that owns it, and a test or a transcript can
//! record what its own generators report without seeing another
//! thread's.

use std::cell::RefCell;
use std::fmt;

use crate::Exception;

/// What a dropped generator's close could not raise to anyone.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Unraisable {
    /// The close raised this: `RuntimeError` when the body yielded instead
    /// of finishing, or whatever else the body let out.
    Raised(Exception),
    /// The body panicked while it was being closed; the text of the panic.
    Panicked(String),
}

impl fmt::Display for Unraisable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unraisable::Raised(exception) => {
                write!(f, "Exception ignored in: <generator object>: {exception}")
            }
            Unraisable::Panicked(message) => write!(
                f,
                "Exception ignored in: <generator object>: the body panicked while closing: {message}"
            ),
        }
    }
}

/// A hook: what to do with an [`Unraisable`].
pub type UnraisableHook = Box<dyn Fn(&Unraisable)>;

thread_local! {
    static HOOK: RefCell<Option<UnraisableHook>> = const { RefCell::new(None) };
}

/// Python's `sys.unraisablehook = hook`, for this thread: from now on a
/// generator dropped on this thread reports what its close raised to
/// `hook` instead of printing it (`None`: print it, the default). Returns
/// the hook it replaces, so that a caller can put it back.
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
/// use pygen_protocol::{Unraisable, set_unraisable_hook};
///
/// let seen = Rc::new(RefCell::new(Vec::new()));
/// let record = seen.clone();
/// let before = set_unraisable_hook(Some(Box::new(move |what: &Unraisable| {
///     record.borrow_mut().push(what.clone())
/// })));
/// // ... drop generators; what their closes raise lands in `seen` ...
/// set_unraisable_hook(before);
/// assert!(seen.borrow().is_empty());
/// ```
pub fn set_unraisable_hook(hook: Option<UnraisableHook>) -> Option<UnraisableHook> {
    HOOK.with(|slot| std::mem::replace(&mut *slot.borrow_mut(), hook))
}

/// Hand `what` to this thread's hook, or print it on stderr. Never
/// panics: a hook that is already running (it dropped a generator
/// itself) or a thread being torn down gets the default.
pub fn report(what: Unraisable) {
    let handled = HOOK
        .try_with(|slot| match slot.try_borrow() {
            Ok(hook) => match hook.as_ref() {
                Some(hook) => {
                    hook(&what);
                    true
                }
                None => false,
            },
            Err(_) => false,
        })
        .unwrap_or(false);
    if !handled {
        eprintln!("{what}");
    }
}
