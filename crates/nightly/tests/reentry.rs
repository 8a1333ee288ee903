//! A body that reaches its own generator while it runs, through a shared
//! handle, as any Python body may: CPython raises `ValueError: generator
//! already executing` and the caller goes on. pygen's
//! `SharedGenerator` does the same, where a bare `Rc<RefCell<Generator>>`
//! would panic with "already borrowed".
//!
//! ```python
//! def g():
//!     try:
//!         yield next(me)
//!     except ValueError as e:
//!         yield str(e)
//!     yield inspect.getgeneratorstate(me)
//!
//! me = g()
//! next(me) == 'generator already executing'; next(me) == 'GEN_RUNNING'
//! ```

#![feature(coroutines)]

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;

use pygen_protocol::nightly::Body;
use pygen_protocol::{
    Class, Coroutine, Exception, Generator, GeneratorState, Raised, Resume, SharedGenerator,
};

/// The handle, with the body's type erased: a body holding a handle to a
/// generator of its own type could not name that type.
type Me = SharedGenerator<
    Pin<Box<dyn Coroutine<Resume<()>, Yield = String, Return = Result<(), Exception>>>>,
    (),
>;

/// Where the body finds `me`, set once the generator exists.
type Slot = Rc<RefCell<Option<Me>>>;

fn g(slot: Slot) -> impl Coroutine<Resume<()>, Yield = String, Return = Result<(), Exception>> {
    Body(
        #[coroutine]
        move |_first: Resume<()>| {
            let me = slot.borrow().clone().expect("me is set");
            let reached = me.next(); //                    next(me)
            match reached {
                Ok(value) => {
                    (yield value)?; //                    yield next(me)
                }
                Err(Raised::Exception(e)) if e.is_instance(&Class::VALUE_ERROR) => {
                    (yield e.message())?; // except ValueError as e: yield str(e)
                }
                Err(other) => return Err(other.into()),
            }
            (yield me.state().name().to_owned())?; // yield getgeneratorstate(me)
            Ok(())
        },
    )
}

#[test]
fn a_body_that_reaches_its_own_generator_gets_value_error() {
    let slot: Slot = Rc::new(RefCell::new(None));
    let me: Me = SharedGenerator::new(Generator::new(Box::pin(g(slot.clone()))));
    *slot.borrow_mut() = Some(me.clone());
    assert_eq!(me.state(), GeneratorState::Created);
    assert_eq!(me.next(), Ok("generator already executing".to_owned()));
    assert_eq!(me.state(), GeneratorState::Suspended);
    assert_eq!(me.next(), Ok("GEN_RUNNING".to_owned()));
    assert_eq!(me.next(), Err(Raised::StopIteration(Some(()))));
    assert_eq!(me.state(), GeneratorState::Closed);
    slot.borrow_mut().take();
}
