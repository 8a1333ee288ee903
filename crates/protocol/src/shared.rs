//! [`SharedGenerator`]: a generator with more than one owner, as every
//! Python generator is, and the `ValueError` that comes with that.
//!
//! In Python a generator is an object anyone may hold a reference to,
//! its own body included:
//!
//! ```python
//! def g():
//!     try:
//!         yield next(me)          # me is this very generator, running
//!     except ValueError as e:
//!         yield str(e)            # 'generator already executing'
//!
//! me = g()
//! next(me)                        # 'generator already executing'
//! ```
//!
//! A [`Generator`] has one owner, and its methods take `&mut self`, so the
//! borrow checker rules that out: nobody can reach a generator while it
//! runs. Sharing one takes `Rc<RefCell<_>>`, and then the question comes
//! back at run time: a second `borrow_mut` while the body runs would
//! panic with "already borrowed". `SharedGenerator` is that
//! `Rc<RefCell<Generator>>` with Python's methods on `&self`, and answers
//! the question as CPython does: a call on a generator that is running
//! raises `ValueError` (CPython's message: "generator already
//! executing"), and the caller can go on. Its
//! [`state`](SharedGenerator::state) can then be
//! [`Running`](GeneratorState::Running), which a plain `Generator` never
//! shows from outside.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use crate::{Coroutine, Exception, Generator, GeneratorState, Raised, Resume};

/// A generator that several owners reach through clones of one handle,
/// each calling Python's methods on `&self`. See the module docs.
///
/// The last handle dropped drops the generator, which finalises it as
/// CPython does ([`Generator::finalize`]).
pub struct SharedGenerator<G, S>(Rc<RefCell<Generator<G, S>>>);

impl<G, S> SharedGenerator<G, S> {
    /// Share `generator`.
    pub fn new(generator: Generator<G, S>) -> Self {
        SharedGenerator(Rc::new(RefCell::new(generator)))
    }

    /// `inspect.getgeneratorstate(g)`: [`Running`](GeneratorState::Running)
    /// while some owner has it running, which is the only time anybody
    /// else can ask.
    pub fn state(&self) -> GeneratorState {
        self.0
            .try_borrow()
            .map_or(GeneratorState::Running, |generator| generator.state())
    }
}

impl<G, S> Clone for SharedGenerator<G, S> {
    /// Another handle on the same generator (Python's `h = g`).
    fn clone(&self) -> Self {
        SharedGenerator(self.0.clone())
    }
}

impl<G, S> fmt::Debug for SharedGenerator<G, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedGenerator")
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

impl<G, S, R> SharedGenerator<G, S>
where
    G: Coroutine<Resume<S>, Return = Result<R, Exception>> + Unpin,
{
    /// `next(g)`; `ValueError` if the generator is running.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&self) -> Result<G::Yield, Raised<R>> {
        self.running(|generator| generator.next())
    }

    /// `g.send(value)`; `ValueError` if the generator is running.
    pub fn send(&self, value: S) -> Result<G::Yield, Raised<R>> {
        self.running(|generator| generator.send(value))
    }

    /// `g.throw(exception)`; `ValueError` if the generator is running.
    pub fn throw(&self, exception: Exception) -> Result<G::Yield, Raised<R>> {
        self.running(|generator| generator.throw(exception))
    }

    /// `g.close()`; `ValueError` if the generator is running.
    pub fn close(&self) -> Result<(), Exception> {
        match self.0.try_borrow_mut() {
            Ok(mut generator) => generator.close(),
            Err(_) => Err(already_executing()),
        }
    }

    /// Run `call` on the generator, unless it is running already.
    fn running<T>(
        &self,
        call: impl FnOnce(&mut Generator<G, S>) -> Result<T, Raised<R>>,
    ) -> Result<T, Raised<R>> {
        match self.0.try_borrow_mut() {
            Ok(mut generator) => call(&mut generator),
            Err(_) => Err(Raised::Exception(already_executing())),
        }
    }
}

/// CPython's `ValueError: generator already executing`.
#[cold]
fn already_executing() -> Exception {
    Exception::ValueError.with_message("generator already executing")
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::pin::Pin;
    use std::rc::Rc;

    use super::SharedGenerator;
    use crate::{Coroutine, CoroutineState, Exception, Generator, GeneratorState, Raised, Resume};

    type Handle = SharedGenerator<
        Pin<Box<dyn Coroutine<Resume<()>, Yield = String, Return = Result<(), Exception>>>>,
        (),
    >;

    /// def g():
    ///     try:
    ///         yield next(me)
    ///     except ValueError:
    ///         yield 'caught'
    /// me = g(); next(me) == 'caught'
    struct ReachesItself {
        me: Rc<RefCell<Option<Handle>>>,
        step: u8,
        seen: Rc<RefCell<Vec<GeneratorState>>>,
    }

    impl Coroutine<Resume<()>> for ReachesItself {
        type Yield = String;
        type Return = Result<(), Exception>;

        fn resume(
            mut self: Pin<&mut Self>,
            arg: Resume<()>,
        ) -> CoroutineState<String, Self::Return> {
            if let Err(exception) = arg {
                return CoroutineState::Complete(Err(exception));
            }
            self.step += 1;
            if self.step > 1 {
                return CoroutineState::Complete(Ok(()));
            }
            let me = self.me.borrow().clone().expect("the handle is set");
            self.seen.borrow_mut().push(me.state());
            match me.next() {
                Err(Raised::Exception(e)) if e.is_instance(&crate::Class::VALUE_ERROR) => {
                    CoroutineState::Yielded("caught".to_owned())
                }
                other => CoroutineState::Yielded(format!("{other:?}")),
            }
        }
    }

    #[test]
    fn a_body_that_reaches_its_own_generator_gets_value_error() {
        let slot = Rc::new(RefCell::new(None));
        let seen = Rc::new(RefCell::new(Vec::new()));
        let body = ReachesItself {
            me: slot.clone(),
            step: 0,
            seen: seen.clone(),
        };
        let me: Handle = SharedGenerator::new(Generator::new(Box::pin(body)));
        *slot.borrow_mut() = Some(me.clone());
        assert_eq!(me.state(), GeneratorState::Created);
        assert_eq!(me.next(), Ok("caught".to_owned()));
        assert_eq!(*seen.borrow(), [GeneratorState::Running]);
        assert_eq!(me.state(), GeneratorState::Suspended);
        // The caller goes on: nothing is poisoned.
        assert_eq!(me.next(), Err(Raised::StopIteration(Some(()))));
        assert_eq!(me.close(), Ok(()));
        slot.borrow_mut().take();
    }
}
