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

use pygen_http::tasks::{
    Answering, CONTINUE, Conn, Incoming, Listener, OsError, Outgoing, Received, Reply, Syscall,
    Task,
};
use pygen_http::{Config, Status, route};
use pygen_protocol::{Coroutine, Exception, Generator, Resume};

use crate::handler::fibonacci_numbers;
use crate::{Body, yield_from};

// ANCHOR: tasks
// ANCHOR: server
/// `server(listener, config)`: accept, and spawn a task per connection.
pub fn server(
    listener: Listener,
    config: Rc<Config>,
) -> impl Coroutine<
    Resume<Reply>,
    Yield = Syscall<impl Task<Infallible>>,
    Return = Result<(), Exception>,
> + Unpin {
    Body(
        #[coroutine]
        move |_first: Resume<Reply>| {
            // while True:
            loop {
                // conn = yield Accept(listener)
                let conn = Reply::conn((yield Syscall::Accept(listener))?)?;
                // yield Spawn(connection(conn, config))
                (yield Syscall::Spawn(connection(conn, config.clone())))?;
            }
        },
    )
}
// ANCHOR_END: server

/// `connection(conn, config)`: one client's requests, read, routed and
/// answered, until it closes or must be closed.
pub fn connection(conn: Conn, config: Rc<Config>) -> impl Task<Infallible> {
    Body(
        #[coroutine]
        move |_first: Resume<Reply>| {
            // incoming, outgoing, count = Incoming(), Outgoing(), 0
            let mut incoming = Incoming::new();
            let mut outgoing = Outgoing::new();
            let mut count = 0u64;
            // while True:
            loop {
                // incoming, received = yield from read_request(conn, incoming, config)
                let sub = Generator::new(read_request(conn, incoming, config.clone()));
                let (back, received) = yield_from!(sub)?.ok_or(Exception::RuntimeError)?;
                incoming = back;
                // (`{ received }` moves it whole into the match: the task does
                // not keep it in its saved state while it sends the answer)
                #[expect(
                    clippy::blocks_in_conditions,
                    reason = "the block is the point: it moves `received`"
                )]
                let keep_alive = match { received } {
                    // if received is END: return
                    Received::End => return Ok(()),
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
                        let response =
                            route(request, fibonacci_numbers).header("X-Request-Count", count);
                        // keep_alive = outgoing.response(response, answering)
                        outgoing.response(response, answering)
                    }
                };
                // for data in outgoing:
                while let Some(data) = outgoing.next_bytes() {
                    // a streamed body that panicked: close, cutting it short
                    let data = data.map_err(|_| Exception::RuntimeError)?;
                    // yield Send(conn, data)
                    (yield Syscall::Send(conn, data))?;
                }
                // if not keep_alive:
                if !keep_alive {
                    // yield Close(conn)
                    (yield Syscall::Close(conn))?;
                    // return
                    return Ok(());
                }
            }
        },
    )
}

/// `read_request(conn, incoming, config)`: `Recv` until a whole request
/// has arrived; the sub-generator `connection` delegates to with
/// `yield from`. Takes the connection's [`Incoming`] and hands it back.
pub fn read_request(
    conn: Conn,
    mut incoming: Incoming,
    config: Rc<Config>,
) -> impl Coroutine<
    Resume<Reply>,
    Yield = Syscall<Infallible>,
    Return = Result<(Incoming, Received), Exception>,
> + Unpin {
    Body(
        #[coroutine]
        move |_first: Resume<Reply>| {
            // while True:
            loop {
                // try: request = incoming.next_request(config)
                let request = match incoming.next_request(&config) {
                    Ok(request) => request,
                    // except ParseError as error:
                    //     return incoming, Refused(error.status, f'{error}\n')
                    Err(error) => {
                        let refused = Received::Refused(error.status(), format!("{error}\n"));
                        return Ok((incoming, refused));
                    }
                };
                // if incoming.take_continue(): yield Send(conn, CONTINUE)
                if incoming.take_continue() {
                    (yield Syscall::Send(conn, CONTINUE.to_vec()))?;
                }
                // if request is not None: return incoming, request
                if let Some(request) = request {
                    return Ok((incoming, Received::Request(request)));
                }
                // deadline, idle = incoming.wait(config)
                let (deadline, idle) = incoming.wait(&config);
                // try: data = yield Recv(conn, deadline, idle)
                let data = match (yield Syscall::Recv {
                    conn,
                    deadline,
                    idle,
                }) {
                    Ok(sent) => Reply::data(sent)?,
                    // except TimeoutError:
                    //     if idle: raise
                    //     return incoming, Refused(408, 'request timeout\n')
                    Err(exception) if OsError::is_timeout(&exception) && !idle => {
                        let message = "request timeout\n".to_owned();
                        return Ok((
                            incoming,
                            Received::Refused(Status::REQUEST_TIMEOUT, message),
                        ));
                    }
                    Err(exception) => return Err(exception),
                };
                // if not data: return incoming, END
                if data.is_empty() {
                    return Ok((incoming, Received::End));
                }
                // incoming.feed(data)
                incoming.feed(data);
            }
        },
    )
}
// ANCHOR_END: tasks
