//! Chapter 8, `yield from`: one generator running another, passing
//! everything through.

use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Unsolved;

/// `mission()`, as a nightly `#[coroutine]`, with the `yield_from!` macro:
/// two sub-generators, one after the other.
///
/// ```python
/// def mission():
///     status = yield from countdown()
///     fuel = yield from running_sum()
///     return f'{status} with {fuel} fuel'
/// ```
///
/// `countdown()` (3, 2, 1, then returns `'liftoff'`) and `running_sum()`
/// (yields the total of what is sent, returns it on `None`) are pygen's
/// demos: `pygen_nightly::countdown()` and `pygen_nightly::running_sum()`.
///
/// `yield from sub` does four things at once: it yields what `sub`
/// yields, passes every `send` on to `sub`, passes every `throw` and
/// `close` on to `sub`, and evaluates to what `sub` returns. The macro
/// `pygen_nightly::yield_from!` is that loop (read it in
/// `crates/protocol/src/nightly.rs`; it must be a macro, because only
/// the coroutine's own body can `yield`). Give it a
/// `pygen_protocol::Generator`:
///
/// ```ignore
/// let status = yield_from!(Generator::new(countdown()))?;
/// ```
///
/// It evaluates to `Result<Option<R>, Exception>`: the `?` propagates an
/// exception that came out of the sub-generator, and the `Option` is
/// `None` only if the sub-generator had already finished before, which a
/// fresh one never has (so `.expect("...")` is fine, or `unwrap_or`).
///
/// You will need `#[coroutine]` closures as in chapter 4, and
/// `use pygen_nightly::yield_from;`.
pub fn mission()
-> impl Coroutine<Resume<i64>, Yield = i64, Return = Result<String, Exception>> + Unpin {
    todo!("chapter 8: mission()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `mission()` again, with genawaiter and its `yield_from` `async fn`.
///
/// The same Python. In genawaiter a `yield` is `co.yield_(v).await`, a call
/// on the `co` handle; any `async fn` given `co` can yield on the body's
/// behalf. So here `yield from` is an ordinary function,
/// `pygen_genawaiter::yield_from(&co, sub)`, that you `.await`:
///
/// ```ignore
/// let status = yield_from(&co, Generator::new(pygen_genawaiter::countdown())).await?;
/// ```
///
/// Writing the same body twice is the point: compare the macro with the
/// `async fn`, and notice that the tests cannot tell them apart.
pub fn mission_genawaiter()
-> impl Coroutine<Resume<i64>, Yield = i64, Return = Result<String, Exception>> + Unpin {
    todo!("chapter 8: mission_genawaiter()");
    #[allow(unreachable_code)]
    Unsolved::body()
}
