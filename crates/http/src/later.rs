//! [`Reply`]: a response that another thread finishes, while the event
//! loop serves everyone else.
//!
//! A handler yields its response at once: `request = yield response`.
//! Most responses are ready then, or can be streamed in small pieces as
//! the socket drains. Some are neither: the answer waits on something
//! slow that is not a socket, such as a child process. Making it on the
//! loop's thread would stop every other connection for as long as it
//! takes. So a handler may yield a response that is *not ready yet*
//! ([`Response::later`]) and hand its [`Reply`] to a thread of its own:
//!
//! ```python
//! def handler():
//!     response = None
//!     while True:
//!         request = yield response
//!         future = Future()                       # Response::later()
//!         pool.submit(slow_answer, request, future)  # the Reply, moved
//!         response = future                       # the placeholder
//! ```
//!
//! The loop treats such a response as one whose bytes have not come yet:
//! the connection is busy (nothing pipelined behind it is read, so
//! answers stay in order), and it waits for no socket event. When the
//! thread calls [`Reply::send`], it wakes the loop through the same
//! [`mio::Waker`] that [`Shutdown`](crate::Shutdown) uses, naming the
//! connection; the loop drives that connection, which writes the
//! response as if the handler had yielded it just now. The wake-up is a
//! [`std::task::Waker`], the standard library's "call me when it is
//! ready", so the mechanism is the one `async` Rust uses, minus the
//! executor.
//!
//! What the thread sends is not a [`Response`] but a function that makes
//! one, run on the loop's thread: a streamed body is an iterator that
//! need not be `Send`, and the buffers a response takes come from the
//! loop thread's spares (`recycle.rs`), where they go back.
//!
//! Limits: a response that is not ready counts as output not yet taken,
//! so it has [`Config::write_timeout`](crate::Config::write_timeout) to
//! come before the connection is closed; the thread should answer well
//! within it (the tutor's python3 runs have a 5 s deadline). A `Reply`
//! dropped without sending (its thread panicked) is answered `500`. A
//! connection closed while waiting drops its half; the thread's answer
//! then goes nowhere. The task model (`tasks/`) has no way to wait for
//! a reply and answers such a response `500`.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Wake, Waker};

use tracing::debug;

use crate::Response;

/// What a [`Reply`] delivers: a function making the response, on the
/// loop's thread.
pub type MakeResponse = Box<dyn FnOnce() -> Response + Send>;

/// The sending half of a response that is not ready yet: move it to the
/// thread that makes the answer, and call [`send`](Reply::send).
pub struct Reply {
    slot: Arc<Slot>,
    sent: bool,
}

/// The waiting half, the body of the placeholder [`Response::later`]
/// returns; the connection holds it until the answer comes.
pub struct Later {
    slot: Arc<Slot>,
}

/// What the two halves share.
struct Slot {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The answer, once sent.
    answer: Option<Answer>,
    /// Whom to wake when it comes: the connection's loop.
    waker: Option<Waker>,
}

/// What came through the slot.
pub(crate) enum Answer {
    /// [`Reply::send`]'s function.
    Sent(MakeResponse),
    /// The reply was dropped unsent: its thread panicked or forgot.
    Abandoned,
}

impl fmt::Debug for Later {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Later(..)")
    }
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Reply(..)")
    }
}

impl Slot {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock leaves nothing half-written
        // (each critical section is a single assignment), so a poisoned
        // lock is as good as a healthy one.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Put `answer` in and wake whoever waits.
    fn deliver(&self, answer: Answer) {
        let waker = {
            let mut state = self.lock();
            state.answer = Some(answer);
            state.waker.take()
        };
        // Woken outside the lock: waking takes the loop's own lock.
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The two halves of a response that is not ready yet.
pub(crate) fn pair() -> (Later, Reply) {
    let slot = Arc::new(Slot {
        state: Mutex::new(State::default()),
    });
    (Later { slot: slot.clone() }, Reply { slot, sent: false })
}

impl Reply {
    /// Answer with the response `make` returns. `make` runs on the event
    /// loop's thread, once the loop has been woken for this connection.
    pub fn send(mut self, make: impl FnOnce() -> Response + Send + 'static) {
        self.sent = true;
        self.slot.deliver(Answer::Sent(Box::new(make)));
    }
}

impl Drop for Reply {
    fn drop(&mut self) {
        if !self.sent {
            debug!("a reply was dropped without an answer");
            self.slot.deliver(Answer::Abandoned);
        }
    }
}

impl Later {
    /// The answer if it has come; if not, remember `waker` (made only
    /// then: most polls find nothing to wait for) to be woken when it
    /// does.
    pub(crate) fn poll(&self, waker: impl FnOnce() -> Waker) -> Option<Answer> {
        let mut state = self.slot.lock();
        if let Some(answer) = state.answer.take() {
            return Some(answer);
        }
        if state.waker.is_none() {
            state.waker = Some(waker());
        }
        None
    }
}

/// The connections of one event loop whose replies have come, and the
/// loop's [`mio::Waker`] to interrupt its `poll` with.
#[derive(Debug)]
pub(crate) struct Woken {
    keys: Mutex<Vec<usize>>,
    waker: Arc<mio::Waker>,
}

impl Woken {
    /// A list for the loop that `waker` wakes.
    pub(crate) fn new(waker: Arc<mio::Waker>) -> Arc<Woken> {
        Arc::new(Woken {
            keys: Mutex::new(Vec::new()),
            waker,
        })
    }

    /// Take the connections woken since the last call, into `into`.
    pub(crate) fn drain(&self, into: &mut Vec<usize>) {
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        into.append(&mut keys);
    }

    /// A [`Waker`] for connection `key` of this loop.
    pub(crate) fn waker_for(self: &Arc<Woken>, key: usize) -> Waker {
        Waker::from(Arc::new(ConnectionWaker {
            key,
            woken: self.clone(),
        }))
    }
}

/// Wakes one connection: puts its key on the loop's list and interrupts
/// the loop's `poll`. If the connection has closed meanwhile and its key
/// gone to a new one, that one is driven once for nothing, which costs a
/// read that finds no bytes.
struct ConnectionWaker {
    key: usize,
    woken: Arc<Woken>,
}

impl Wake for ConnectionWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken
            .keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(self.key);
        if let Err(error) = self.woken.waker.wake() {
            debug!(%error, "could not wake an event loop for a reply");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_reply_wakes_the_waiter_once_and_is_taken_once() {
        let (later, reply) = pair();
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        assert!(later.poll(|| waker.clone()).is_none());
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
        std::thread::spawn(move || reply.send(|| Response::text(crate::Status::OK, "done")))
            .join()
            .expect("the thread ran");
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        match later.poll(|| unreachable!("the answer is there")) {
            Some(Answer::Sent(make)) => assert_eq!(make().status, crate::Status::OK),
            _ => panic!("no answer"),
        }
        assert!(later.poll(|| waker.clone()).is_none());
    }

    #[test]
    fn a_dropped_reply_is_an_answer_too() {
        let (later, reply) = pair();
        drop(reply);
        assert!(matches!(
            later.poll(|| unreachable!()),
            Some(Answer::Abandoned)
        ));
    }
}
