//! Chapter 10, borrowing across `yield`, and pinning.

use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Unsolved;

/// `pairs(numbers)`, as a nightly `static` coroutine that borrows its own
/// `Vec` across `yield`.
///
/// ```python
/// def pairs(numbers):
///     for a, b in zip(numbers, numbers[1:]):
///         yield (a, b)
///     return len(numbers)
/// ```
///
/// The natural Rust is `for pair in numbers.windows(2) { ... }`:
/// `windows(2)` gives slices `&[a, b]` that *borrow* `numbers`, and the
/// loop is paused at a `yield` while that borrow is alive. `numbers` lives
/// inside the coroutine itself, so the coroutine would hold a pointer into
/// its own state. Moving it after it started would leave that pointer
/// dangling.
///
/// Try it without `static` first, and read the error: the compiler
/// refuses a borrow that "may still be in use when coroutine yields". The
/// fix is to declare the closure `static`:
///
/// ```ignore
/// pygen_nightly::Body(
///     #[coroutine]
///     static move |_first: Resume<()>| { ... },
/// )
/// ```
///
/// A `static` coroutine may borrow across `yield`, and pays for it by
/// being `!Unpin`: it must not move once resumed. That is why the return
/// type below says `impl Coroutine<...>` with no `+ Unpin`, and why the
/// caller has to pin it before driving it (see [`sum_of_pairs`]).
///
/// `yield (a, b)` yields a tuple: `(yield (pair[0], pair[1]))?;`.
pub fn pairs(
    numbers: Vec<i64>,
) -> impl Coroutine<Resume<()>, Yield = (i64, i64), Return = Result<usize, Exception>> {
    let _ = numbers;
    todo!("chapter 10: pairs()");
    #[allow(unreachable_code)]
    Unsolved::body()
}

/// `sum_of_pairs(numbers)`: drive [`pairs`] to its end, pinned on the
/// stack.
///
/// ```python
/// def sum_of_pairs(numbers):
///     g = pairs(numbers)
///     total = 0
///     try:
///         while True:
///             a, b = next(g)
///             total += a + b
///     except StopIteration as stop:
///         return total, stop.value
/// ```
///
/// `Generator::new(pairs(numbers))` compiles, but its methods need an
/// `Unpin` body, and `pairs` is not. Pin it where it lives, with no heap
/// allocation:
///
/// ```ignore
/// let body = std::pin::pin!(pairs(numbers));
/// let mut g = Generator::new(body);
/// ```
///
/// `pin!` puts the body in a place that can never be moved again and
/// gives back a `Pin<&mut _>`, which *is* `Unpin` (moving the pointer does
/// not move what it points to) and is a coroutine too. Give `pin!` a `let`
/// of its own, as above: written inside `Generator::new(pin!(...))`, the
/// pinned body is a temporary that dies at the end of that statement, and
/// the compiler says so (E0716) as soon as you use `g` on the next line. From there it is
/// chapter 5's `drain`: `next()` until `StopIteration`, whose value is the
/// count. (`Box::pin(pairs(numbers))` works as well, at the cost of one
/// allocation.)
pub fn sum_of_pairs(numbers: Vec<i64>) -> (i64, usize) {
    let _ = numbers;
    todo!("chapter 10: sum_of_pairs()")
}
