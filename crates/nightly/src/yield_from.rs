//! [`yield_from!`](crate::yield_from) and
//! [`yield_from_iter!`](crate::yield_from_iter): Python's `yield from`, as
//! macros.
//!
//! `yield from sub` is a loop that yields, and only the body of a
//! `#[coroutine]` closure can `yield`: a function called from it cannot
//! yield on its behalf. A macro can, because it is expanded into the body
//! before the compiler turns the body into a state machine, so its `yield`
//! is the body's own.

/// `yield from sub`, for a sub-generator: pass what this body is resumed
/// with on to `sub` (PEP 380's rules, applied by
/// [`Generator::delegate`](pygen_protocol::Generator::delegate)), yield
/// what it yields, and evaluate to what it returns.
///
/// `sub` is a [`Generator`](pygen_protocol::Generator), Python's
/// generator object. The macro evaluates to
/// `Result<Option<R>, Exception>`: `Ok` with the sub-generator's return
/// value (`None` only if it had finished before), or `Err` with an
/// exception that came out of it, which `?` lets propagate as Python
/// does. Each value `sub` yields is converted with `Into` to what this body
/// yields.
///
/// ```
/// #![feature(coroutines, stmt_expr_attributes)]
/// use pygen_nightly::{Body, running_sum, yield_from};
/// use pygen_protocol::{Coroutine, Exception, Generator, Raised, Resume};
///
/// // def twice():
/// //     first = yield from running_sum()
/// //     second = yield from running_sum()
/// //     return (first, second)
/// type Totals = (Option<i64>, Option<i64>);
///
/// fn twice() -> impl Coroutine<Resume<i64>, Yield = i64, Return = Result<Totals, Exception>> {
///     Body(
///         #[coroutine]
///         |_first: Resume<i64>| {
///             let first = yield_from!(Generator::new(running_sum()))?;
///             let second = yield_from!(Generator::new(running_sum()))?;
///             Ok((first, second))
///         },
///     )
/// }
///
/// let mut g = Generator::new(twice());
/// assert_eq!(g.next(), Ok(0));
/// assert_eq!(g.send(4), Ok(4));
/// assert_eq!(g.next(), Ok(0)); // the first returned 4; the second starts
/// assert_eq!(g.send(1), Ok(1));
/// assert_eq!(g.next(), Err(Raised::StopIteration(Some((Some(4), Some(1))))));
/// ```
// ANCHOR: macro
#[macro_export]
macro_rules! yield_from {
    ($sub:expr) => {{
        let mut sub = $sub;
        let mut arg = ::core::result::Result::Ok(::core::option::Option::None);
        loop {
            // The `yield` stands outside the `match`, so the step's whole
            // result is not kept, in the body's saved state, across it.
            let value = match sub.delegate(arg) {
                $crate::__private::Delegated::Yield(value) => value,
                $crate::__private::Delegated::Return(value) => {
                    break ::core::result::Result::Ok(value);
                }
                $crate::__private::Delegated::Raise(exception) => {
                    break ::core::result::Result::Err(exception);
                }
            };
            arg = yield ::core::convert::Into::into(value);
        }
    }};
}
// ANCHOR_END: macro

/// `yield from iterable`, for a plain iterator: yield each item, and
/// evaluate to `Ok(())` (Python's `None`) when it is used up.
///
/// An iterator has no `send`, `throw` or `close`, so, as in CPython, a value
/// sent in is `AttributeError`, and a thrown exception (`GeneratorExit`
/// included) is raised at the `yield from`: the macro evaluates to
/// `Err(exception)`. See [`delegate_iter`](pygen_protocol::delegate_iter).
///
/// ```
/// #![feature(coroutines, stmt_expr_attributes)]
/// use pygen_nightly::{Body, yield_from_iter};
/// use pygen_protocol::{Exception, Generator, Raised, Resume};
///
/// // def letters():
/// //     yield from 'ab'
/// //     return 'done'
/// let letters = || Body(
///     #[coroutine]
///     |_first: Resume<i64>| {
///         yield_from_iter!("ab".chars())?;
///         Ok("done")
///     },
/// );
/// let all: Vec<_> = Generator::new(letters()).into_iter().collect();
/// assert_eq!(all, [Ok('a'), Ok('b')]);
///
/// let mut g = Generator::new(letters());
/// assert_eq!(g.next(), Ok('a'));
/// assert_eq!(g.send(1), Err(Raised::Exception(Exception::AttributeError)));
/// ```
#[macro_export]
macro_rules! yield_from_iter {
    ($iterable:expr) => {{
        let mut iter = ::core::iter::IntoIterator::into_iter($iterable);
        let mut arg = ::core::result::Result::Ok(::core::option::Option::None);
        loop {
            let value = match $crate::__private::delegate_iter(&mut iter, arg) {
                $crate::__private::Delegated::Yield(value) => value,
                $crate::__private::Delegated::Return(_) => break ::core::result::Result::Ok(()),
                $crate::__private::Delegated::Raise(exception) => {
                    break ::core::result::Result::Err(exception);
                }
            };
            arg = yield ::core::convert::Into::into(value);
        }
    }};
}
