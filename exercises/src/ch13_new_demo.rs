//! Chapter 13, adding a demo: a new generator, written against the
//! transcript CPython prints for it.

use num_bigint::BigInt;
use pygen_demos::Log;
use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Unsolved;

/// `maximum()`: sent numbers, it yields the largest so far; `None` ends
/// it, returning that largest; and it logs its result however it ends.
///
/// ```python
/// def maximum():
///     best = None
///     try:
///         while True:
///             x = yield best
///             if x is None:
///                 return best
///             if best is None or x > best:
///                 best = x
///     finally:
///         log(f'best was {best}')
/// ```
///
/// This is how every pygen demo is born: the Python first, then the
/// transcript CPython prints for a few op scripts, then the Rust, until its
/// transcript matches line for line. Here is CPython's, which the test
/// checks yours against with `pygen_demos::transcript`, the same printer
/// the main workspace's conformance tests use:
///
/// ```text
/// send 5: raise TypeError
/// next: yield None
/// send 3: yield 3
/// send 8: yield 8
/// send -2: yield 8
/// send None: log 'best was 8'; return 8
/// next: raise StopIteration
/// ```
///
/// ```text
/// next: yield None
/// send None: log 'best was None'; raise StopIteration
/// close: closed
/// ```
///
/// ```text
/// next: yield None
/// send 4: yield 4
/// throw ValueError: log 'best was 4'; raise ValueError
/// next: raise StopIteration
/// ```
///
/// ```text
/// next: yield None
/// send 4: yield 4
/// send 100000000000000000000: yield 100000000000000000000
/// close: log 'best was 100000000000000000000'; closed
/// close: closed
/// ```
///
/// ```text
/// throw KeyError: raise KeyError
/// next: raise StopIteration
/// ```
///
/// Things to notice before you start:
///
/// * Python ints are unbounded, so the demos use `num_bigint::BigInt`
///   (the fourth script sends 10^20, which no `i64` holds).
/// * `best` is `Option<BigInt>`: `None` until the first number. It is
///   both what you yield and what you return; `return None` is a bare
///   `StopIteration` in the transcript (`pygen_demos::Repr` knows).
/// * The log line writes `best` as Python's f-string does: `None` or the
///   number. `pygen_demos::Repr` gives you that: `best.repr()` is `"None"`
///   or `"8"`.
/// * The `finally:` sees the *final* `best`, so a guard that captured a
///   copy at the start would log the wrong value. Keep `best` somewhere
///   both the loop and the guard can reach: an `Rc<RefCell<Option<BigInt>>>`
///   (`std::rc::Rc`, `std::cell::RefCell`) shared by the two, for
///   instance, or no guard at all: a loop that `break`s out with its
///   result, followed by the log line, as chapter 9's `grep` did with its
///   `finally`. (A guard is still needed for one case: a suspended body
///   that is dropped. The tests do not drop one mid-run; see what CPython
///   does if you do, and decide.)
/// * Any backend will do.
pub fn maximum(
    log: Log,
) -> impl Coroutine<Resume<BigInt>, Yield = Option<BigInt>, Return = Result<Option<BigInt>, Exception>>
+ Unpin {
    let _ = log;
    todo!("chapter 13: maximum()");
    #[allow(unreachable_code)]
    Unsolved::body()
}
