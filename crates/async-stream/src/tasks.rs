//! The task model: the seed's server as it was written — generators that
//! do their own I/O by yielding system calls — made to work by
//! `pygen_http::tasks`'s scheduler. `examples/seed_server.py` is the
//! Python original; each line here sits beside its Python.
//!
//! ```python
//! def server(listener, config):
//!     while True:
//!         conn = yield Accept(listener)
//!         yield Spawn(connection(conn, config))
//!
//! def connection(conn, config):
//!     incoming, outgoing, count = Incoming(), Outgoing(), 0
//!     try:
//!         while True:
//!             incoming, received = yield from read_request(conn, incoming, config)
//!             if received is END:
//!                 return
//!             if isinstance(received, Refused):
//!                 outgoing.error(received.status, received.message)
//!                 keep_alive = False
//!             else:
//!                 count += 1
//!                 answering = Answering(received)
//!                 response = route(received)
//!                 response.headers['X-Request-Count'] = str(count)
//!                 keep_alive = outgoing.response(response, answering)
//!             for data in outgoing:
//!                 yield Send(conn, data)
//!             if not keep_alive:
//!                 yield Close(conn)
//!                 return
//!     finally:
//!         conn.close()
//!
//! def read_request(conn, incoming, config):
//!     while True:
//!         try:
//!             request = incoming.next_request(config)
//!         except ParseError as error:
//!             return incoming, Refused(error.status, f'{error}\n')
//!         if incoming.take_continue():
//!             yield Send(conn, CONTINUE)
//!         if request is not None:
//!             return incoming, request
//!         deadline, idle = incoming.wait(config)
//!         try:
//!             data = yield Recv(conn, deadline, idle)
//!         except TimeoutError:
//!             if idle:
//!                 raise
//!             return incoming, Refused(408, 'request timeout\n')
//!         if not data:
//!             return incoming, END
//!         incoming.feed(data)
//! ```
//!
//! `finally: conn.close()` is the scheduler's part here: when a task ends,
//! by returning, raising or being closed, the scheduler closes the
//! sockets it held, as an operating system closes a process's files.

use std::convert::Infallible;
use std::rc::Rc;

use async_stream::stream;
use pygen_http::tasks::{
    Answering, CONTINUE, Conn, Incoming, Listener, OsError, Outgoing, Received, Reply, Syscall,
    Task,
};
use pygen_http::{Config, Status, route};
use pygen_protocol::{Coroutine, Delegated, Exception, Generator, Resume};

use crate::handler::fibonacci_numbers;
use crate::{Body, Co, finish, raise_thrown, resumed};

// ANCHOR: tasks
/// `server(listener, config)`: accept, and spawn a task per connection.
pub fn server(
    listener: Listener,
    config: Rc<Config>,
) -> impl Coroutine<
    Resume<Reply>,
    Yield = Syscall<impl Task<Infallible>>,
    Return = Result<(), Exception>,
> + Unpin {
    Body::new(move |co: Co<Resume<Reply>, ()>| {
        stream! {
            // while True:
            loop {
                // conn = yield Accept(listener)
                yield Syscall::Accept(listener);
                let conn = match Reply::conn(resumed!(co)) {
                    Ok(conn) => conn,
                    Err(exception) => finish!(co, Err(exception)),
                };
                // yield Spawn(connection(conn, config))
                yield Syscall::Spawn(connection(conn, config.clone()));
                raise_thrown!(co);
            }
        }
    })
}

/// `connection(conn, config)`: one client's requests, read, routed and
/// answered, until it closes or must be closed.
pub fn connection(conn: Conn, config: Rc<Config>) -> impl Task<Infallible> {
    Body::new(move |co: Co<Resume<Reply>, ()>| {
        stream! {
            // incoming, outgoing, count = Incoming(), Outgoing(), 0
            let mut incoming = Incoming::new();
            let mut outgoing = Outgoing::new();
            let mut count = 0u64;
            // while True:
            loop {
                // incoming, received = yield from read_request(conn, incoming, config)
                //
                // `yield from` written out, as in `batches.rs`: only
                // `stream!` itself can yield, so the loop around
                // `delegate` cannot be a helper here.
                //
                // `read_request` borrows `incoming`, where the Python passes
                // the object and gets it back: the task then keeps one
                // `Incoming`, in its own state, instead of a second inside
                // the sub-generator and room for a third in the slot its
                // return value comes back through.
                let mut sub = Generator::new(read_request(conn, &mut incoming, config.clone()));
                let mut arg = Ok(None);
                let received = loop {
                    let call = match sub.delegate(arg) {
                        Delegated::Yield(call) => call,
                        Delegated::Return(Some(value)) => break value,
                        Delegated::Return(None) => finish!(co, Err(Exception::RuntimeError)),
                        Delegated::Raise(exception) => finish!(co, Err(exception)),
                    };
                    yield call;
                    arg = co.resumed();
                };
                // (`{ received }` moves it whole into the match: the task does
                // not keep it in its saved state while it sends the answer)
                #[expect(clippy::blocks_in_conditions, reason = "the block is the point: it moves `received`")]
                let keep_alive = match { received } {
                    // if received is END: return
                    Received::End => finish!(co, Ok(())),
                    // if isinstance(received, Refused):
                    Received::Refused(status, message) => {
                        // outgoing.error(received.status, received.message)
                        outgoing.error(status, &message);
                        // keep_alive = False
                        false
                    }
                    Received::Request(request) => {
                        // count += 1
                        count += 1;
                        // answering = Answering(received)
                        let answering = Answering::of(&request);
                        // response = route(received)
                        // response.headers['X-Request-Count'] = str(count)
                        // (given the number itself, whose digits go into the line: no string)
                        let response = route(request, fibonacci_numbers)
                            .header("X-Request-Count", count);
                        // keep_alive = outgoing.response(response, answering)
                        outgoing.response(response, answering)
                    }
                };
                // for data in outgoing:
                //
                // (a `loop` around a `let`, not `while let`: a `while let`
                // keeps what `next_bytes` answered in the task's saved state
                // for as long as the loop's body runs, `yield` included)
                loop {
                    let data = match outgoing.next_bytes() {
                        Some(Ok(data)) => data,
                        None => break,
                        // a streamed body that panicked: close, cutting it short
                        Some(Err(_)) => finish!(co, Err(Exception::RuntimeError)),
                    };
                    // yield Send(conn, data)
                    yield Syscall::Send(conn, data);
                    raise_thrown!(co);
                }
                // if not keep_alive:
                if !keep_alive {
                    // yield Close(conn)
                    yield Syscall::Close(conn);
                    raise_thrown!(co);
                    // return
                    finish!(co, Ok(()));
                }
            }
        }
    })
}

/// `read_request(conn, incoming, config)`: `Recv` until a whole request
/// has arrived; the sub-generator `connection` delegates to with
/// `yield from`. Borrows the connection's [`Incoming`], so it returns
/// only what `received` is.
pub fn read_request(
    conn: Conn,
    incoming: &mut Incoming,
    config: Rc<Config>,
) -> impl Coroutine<Resume<Reply>, Yield = Syscall<Infallible>, Return = Result<Received, Exception>>
+ Unpin {
    Body::new(move |co: Co<Resume<Reply>, Received>| {
        stream! {
            // while True:
            loop {
                // try: request = incoming.next_request(config)
                let request = match incoming.next_request(&config) {
                    Ok(request) => request,
                    // except ParseError as error:
                    //     return incoming, Refused(error.status, f'{error}\n')
                    Err(error) => {
                        let refused = Received::Refused(error.status(), format!("{error}\n"));
                        finish!(co, Ok(refused))
                    }
                };
                // if incoming.take_continue(): yield Send(conn, CONTINUE)
                if incoming.take_continue() {
                    yield Syscall::Send(conn, CONTINUE.to_vec());
                    raise_thrown!(co);
                }
                // if request is not None: return incoming, request
                if let Some(request) = request {
                    finish!(co, Ok(Received::Request(request)));
                }
                // deadline, idle = incoming.wait(config)
                let (deadline, idle) = incoming.wait(&config);
                // try: data = yield Recv(conn, deadline, idle)
                yield Syscall::Recv { conn, deadline, idle };
                let data = match co.resumed() {
                    Ok(sent) => match Reply::data(sent) {
                        Ok(data) => data,
                        Err(exception) => finish!(co, Err(exception)),
                    },
                    // except TimeoutError:
                    //     if idle: raise
                    //     return incoming, Refused(408, 'request timeout\n')
                    Err(exception) if OsError::is_timeout(&exception) && !idle => {
                        let message = "request timeout\n".to_owned();
                        finish!(co, Ok(Received::Refused(Status::REQUEST_TIMEOUT, message)))
                    }
                    Err(exception) => finish!(co, Err(exception)),
                };
                // if not data: return incoming, END
                if data.is_empty() {
                    finish!(co, Ok(Received::End));
                }
                // incoming.feed(data)
                incoming.feed(data);
            }
        }
    })
}
// ANCHOR_END: tasks
