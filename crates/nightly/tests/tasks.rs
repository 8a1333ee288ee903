//! The task model's system calls, against the scheduler over real
//! sockets: what a task is sent back, and what is thrown in.

#![feature(coroutines)]

use std::convert::Infallible;
use std::io::Write;
use std::net::{Shutdown as Half, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;
use std::time::{Duration, Instant};

use pygen_http::tasks::{Conn, Listener, OsError, Reply, Syscall, Task, serve_tasks};
use pygen_http::{Config, Shutdown};
use pygen_nightly::Body;
use pygen_protocol::{Coroutine, Exception, Resume, finally};

/// How long to wait for the scheduler to report: it only matters when
/// something is broken.
const PATIENCE: Duration = Duration::from_secs(20);

/// ```python
/// def watcher(conn, log):
///     try:
///         data = yield Recv(conn, deadline=time.monotonic(), idle=False)
///         log(f'data {data!r}')
///     except OSError as error:
///         log(type(error).__name__)
///     finally:
///         log('finally')
/// ```
fn watcher(conn: Conn, log: Sender<String>) -> impl Task<Infallible> {
    Body(
        #[coroutine]
        move |_first: Resume<Reply>| {
            let cleanup = log.clone();
            let _finally = finally(move || {
                let _ = cleanup.send("finally".to_owned());
            });
            let call = Syscall::Recv {
                conn,
                deadline: Instant::now(),
                idle: false,
            };
            let line = match (yield call) {
                Ok(sent) => format!("data {:?}", Reply::data(sent)?),
                Err(error) if error.is::<OsError>() => error.name().to_owned(),
                Err(error) => return Err(error),
            };
            let _ = log.send(line);
            Ok(())
        },
    )
}

/// ```python
/// def server(listener, log):
///     while True:
///         conn = yield Accept(listener)
///         yield Spawn(watcher(conn, log))
/// ```
fn server(
    listener: Listener,
    log: Sender<String>,
) -> impl Coroutine<
    Resume<Reply>,
    Yield = Syscall<impl Task<Infallible>>,
    Return = Result<(), Exception>,
> + Unpin {
    Body(
        #[coroutine]
        move |_first: Resume<Reply>| {
            loop {
                let conn = Reply::conn((yield Syscall::Accept(listener))?)?;
                (yield Syscall::Spawn(watcher(conn, log.clone())))?;
            }
        },
    )
}

/// A scheduler running `server` on a thread, and what its tasks log.
fn start() -> (
    std::net::SocketAddr,
    Shutdown,
    Receiver<String>,
    thread::JoinHandle<()>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("an address");
    let shutdown = Shutdown::new();
    let stop = shutdown.clone();
    let (log, lines) = channel();
    let thread = thread::spawn(move || {
        serve_tasks(listener, &Config::default(), &stop, |listener, _| {
            server(listener, log)
        })
        .expect("the scheduler");
    });
    (address, shutdown, lines, thread)
}

fn next(lines: &Receiver<String>) -> String {
    lines.recv_timeout(PATIENCE).expect("a line from a task")
}

/// A deadline that passes is `TimeoutError`, thrown in at the `yield`:
/// the task's `except` sees it, then its `finally` runs.
#[test]
fn a_deadline_is_timeout_error_thrown_in() {
    let (address, shutdown, lines, thread) = start();
    let _client = TcpStream::connect(address).expect("connect");
    assert_eq!(next(&lines), "TimeoutError");
    assert_eq!(next(&lines), "finally");
    shutdown.trigger();
    thread.join().expect("the scheduler thread");
}

/// Bytes that arrive are sent in; the end of the connection is an empty
/// read.
#[test]
fn recv_sends_the_bytes_in() {
    let (address, shutdown, lines, thread) = start();
    let mut client = TcpStream::connect(address).expect("connect");
    client.write_all(b"hello").expect("send");
    let first = next(&lines);
    // The bytes, unless the deadline (now) was checked first.
    assert!(
        first == "data [104, 101, 108, 108, 111]" || first == "TimeoutError",
        "{first}"
    );
    assert_eq!(next(&lines), "finally");

    let client = TcpStream::connect(address).expect("connect");
    client.shutdown(Half::Write).expect("half-close");
    let first = next(&lines);
    assert!(first == "data []" || first == "TimeoutError", "{first}");
    assert_eq!(next(&lines), "finally");
    shutdown.trigger();
    thread.join().expect("the scheduler thread");
}
