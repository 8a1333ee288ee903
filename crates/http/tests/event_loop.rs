//! The event loop with hand-written handlers: what it does when a handler
//! misbehaves, and the parts of the server no backend changes (workers,
//! the connection limit, write timeouts, closing handlers).
//!
//! The behaviour of the routes, against every backend, is tested in the
//! root package's `tests/http.rs`.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use pygen_http::{
    BaselineHandler, Config, Handler, Reply, Request, Response, Server, Shutdown, Status, serve,
};
use pygen_protocol::{Coroutine, CoroutineState, Exception, Resume};

const PATIENCE: Duration = Duration::from_secs(20);

/// Run `make_handler` on a server of its own; stop it when dropped.
struct TestServer {
    address: SocketAddr,
    shutdown: Shutdown,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl TestServer {
    fn start<H, F>(config: Config, make_handler: F) -> TestServer
    where
        H: Handler + 'static,
        F: Fn() -> H + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let shutdown = Shutdown::new();
        let stop = shutdown.clone();
        let thread = thread::spawn(move || serve(listener, &config, &stop, make_handler));
        TestServer {
            address,
            shutdown,
            thread: Some(thread),
        }
    }

    fn stop(mut self) -> io::Result<()> {
        self.shutdown.trigger();
        self.thread.take().unwrap().join().unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.shutdown.trigger();
            self.shutdown.trigger();
            let _ = thread.join();
        }
    }
}

fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
}

/// Send `requests` on one connection and read until the server closes it.
fn exchange(address: SocketAddr, requests: &str) -> String {
    let mut stream = connect(address);
    stream.write_all(requests.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    match stream.read_to_end(&mut bytes) {
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::ConnectionReset => {}
        Err(error) => panic!("reading the responses: {error}"),
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

const GET: &str = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
const GET_CLOSE: &str = "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

/// Wait (boundedly) for `done` to hold.
fn eventually(what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < PATIENCE, "{what} never happened");
        thread::sleep(Duration::from_millis(10));
    }
}

/// How a [`Misbehaving`] handler breaks the protocol on its second request.
#[derive(Clone, Copy, Debug)]
enum Misbehaviour {
    /// An exception escapes the body.
    Raise,
    /// The body returns: no more responses.
    Return,
    /// The body yields `None` where a response belongs.
    YieldNone,
    /// The body panics.
    Panic,
    /// The body yields a response whose streamed body panics half-way.
    PanicInStream,
}

/// Answers its first request properly, then misbehaves.
struct Misbehaving {
    how: Misbehaviour,
    resumes: u32,
}

impl Coroutine<Resume<Request>> for Misbehaving {
    type Yield = Option<Response>;
    type Return = Result<(), Exception>;

    fn resume(
        self: Pin<&mut Self>,
        _arg: Resume<Request>,
    ) -> CoroutineState<Option<Response>, Result<(), Exception>> {
        let this = self.get_mut();
        this.resumes += 1;
        match (this.resumes, this.how) {
            (1, _) => CoroutineState::Yielded(None),
            (2, _) => CoroutineState::Yielded(Some(Response::text(Status::OK, "fine"))),
            (_, Misbehaviour::Raise) => CoroutineState::Complete(Err(Exception::ValueError)),
            (_, Misbehaviour::Return) => CoroutineState::Complete(Ok(())),
            (_, Misbehaviour::YieldNone) => CoroutineState::Yielded(None),
            (_, Misbehaviour::Panic) => panic!("misbehaving on purpose"),
            (_, Misbehaviour::PanicInStream) => {
                let pieces = (0..).map(|n| {
                    assert!(n < 3, "a stream panicking on purpose");
                    b"piece\n".to_vec()
                });
                CoroutineState::Yielded(Some(Response::stream(Status::OK, pieces)))
            }
        }
    }
}

#[test]
fn a_misbehaving_handler_costs_its_connection_a_500() {
    for how in [
        Misbehaviour::Raise,
        Misbehaviour::Return,
        Misbehaviour::YieldNone,
        Misbehaviour::Panic,
    ] {
        let server = TestServer::start(Config::default(), move || Misbehaving { how, resumes: 0 });
        // Two requests and a third that is never answered.
        let text = exchange(server.address, &format!("{GET}{GET}{GET}"));
        let responses: Vec<&str> = text.split("HTTP/1.1 ").skip(1).collect();
        assert_eq!(responses.len(), 2, "{how:?}: {text}");
        assert!(responses[0].starts_with("200 OK") && responses[0].ends_with("fine"));
        assert!(
            responses[1].starts_with("500 Internal Server Error"),
            "{how:?}"
        );
        assert!(responses[1].contains("Connection: close"), "{how:?}");
        // The server goes on.
        let text = exchange(server.address, GET_CLOSE);
        assert!(text.ends_with("fine"), "{how:?}: {text}");
        server.stop().unwrap();
    }
}

#[test]
fn a_stream_that_panics_ends_its_connection_mid_body() {
    let make = || Misbehaving {
        how: Misbehaviour::PanicInStream,
        resumes: 0,
    };
    let server = TestServer::start(Config::default(), make);
    let text = exchange(server.address, &format!("{GET}{GET}"));
    let second = text.split("HTTP/1.1 ").nth(2).unwrap();
    assert!(second.starts_with("200 OK"));
    // The three pieces before the panic, and no last chunk: a client can
    // tell the body is incomplete.
    assert!(second.ends_with("piece\n\r\n"), "{second:?}");
    assert!(!second.ends_with("0\r\n\r\n"));
    let text = exchange(server.address, GET_CLOSE);
    assert!(text.ends_with("fine"));
}

/// Counts the `GeneratorExit`s its handlers receive: Python's `close()`.
struct Closing {
    inner: BaselineHandler,
    closed: Arc<AtomicUsize>,
}

impl Coroutine<Resume<Request>> for Closing {
    type Yield = Option<Response>;
    type Return = Result<(), Exception>;

    fn resume(
        self: Pin<&mut Self>,
        arg: Resume<Request>,
    ) -> CoroutineState<Option<Response>, Result<(), Exception>> {
        let this = self.get_mut();
        if arg == Err(Exception::GeneratorExit) {
            this.closed.fetch_add(1, Ordering::SeqCst);
        }
        Pin::new(&mut this.inner).resume(arg)
    }
}

#[test]
fn handlers_are_closed_when_their_connection_ends() {
    let closed = Arc::new(AtomicUsize::new(0));
    let counter = closed.clone();
    let server = TestServer::start(Config::default(), move || Closing {
        inner: BaselineHandler::new(),
        closed: counter.clone(),
    });
    // A connection closed by its client.
    exchange(server.address, GET_CLOSE);
    eventually("close() after the client left", || {
        closed.load(Ordering::SeqCst) == 1
    });
    // An idle connection closed by the shutdown.
    let mut idle = connect(server.address);
    idle.write_all(GET.as_bytes()).unwrap();
    let mut first = [0; 12];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    server.stop().unwrap();
    assert_eq!(closed.load(Ordering::SeqCst), 2);
    // A handler that never got a request was never started, so there is
    // nothing to close.
}

#[test]
fn past_the_connection_limit_new_clients_get_503() {
    let config = Config {
        max_connections: 2,
        ..Config::default()
    };
    let server = TestServer::start(config, BaselineHandler::new);
    let mut held: Vec<TcpStream> = (0..2).map(|_| connect(server.address)).collect();
    for stream in &mut held {
        stream.write_all(GET.as_bytes()).unwrap();
        let mut status = [0; 12];
        stream.read_exact(&mut status).unwrap();
    }
    let text = exchange(server.address, GET);
    assert!(
        text.starts_with("HTTP/1.1 503 Service Unavailable"),
        "{text}"
    );
    assert!(text.contains("\r\nRetry-After: 1\r\n"), "{text}");
    drop(held);
    eventually("a slot to free up", || {
        exchange(server.address, GET_CLOSE).ends_with("Hello, World!")
    });
}

/// Answers every request with an endless stream of `x`s, made as fast as
/// the socket takes them.
struct Endless(bool);

impl Coroutine<Resume<Request>> for Endless {
    type Yield = Option<Response>;
    type Return = Result<(), Exception>;

    fn resume(
        self: Pin<&mut Self>,
        _arg: Resume<Request>,
    ) -> CoroutineState<Option<Response>, Result<(), Exception>> {
        let started = std::mem::replace(&mut self.get_mut().0, true);
        let pieces = std::iter::repeat_with(|| vec![b'x'; 64 * 1024]);
        CoroutineState::Yielded(started.then(|| Response::stream(Status::OK, pieces)))
    }
}

#[test]
fn a_client_that_stops_reading_is_dropped_after_the_write_timeout() {
    let config = Config {
        write_timeout: Duration::from_millis(200),
        ..Config::default()
    };
    let server = TestServer::start(config, || Endless(false));
    let mut stream = connect(server.address);
    stream.write_all(GET.as_bytes()).unwrap();
    // Stop reading for five write timeouts: the server's writes are
    // refused (its socket buffers full) and the client takes nothing
    // from the queue, so at the window's end it gives up and closes.
    // Then read what the kernel still holds: it ends with the
    // connection, far short of the endless body. (A client that pauses
    // and then takes megabytes at once is not slow, and is kept: the
    // window is judged on what the client took, see `uptake.rs`.)
    thread::sleep(Duration::from_secs(1));
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut received = 0usize;
    let mut buffer = vec![0; 1 << 20];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(count) => received += count,
            Err(error) if error.kind() == io::ErrorKind::ConnectionReset => break,
            Err(error) => panic!("the connection was kept: {error}"),
        }
        assert!(
            received < 256 << 20,
            "still streaming after {received} bytes"
        );
    }
}

#[test]
fn workers_share_one_address() {
    let server = Server::bind("127.0.0.1:0".parse().unwrap(), 3).unwrap();
    let address = server.local_addr().unwrap();
    let shutdown = server.shutdown_handle();
    let thread = thread::spawn(move || server.serve(BaselineHandler::new));
    for _ in 0..30 {
        let text = exchange(address, GET_CLOSE);
        assert!(text.ends_with("Hello, World!"), "{text}");
    }
    shutdown.trigger();
    thread.join().unwrap().unwrap();
    // Every worker stopped, so nothing listens any more.
    assert!(TcpStream::connect(address).is_err());
}

#[test]
fn a_shutdown_before_serving_returns_at_once() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let shutdown = Shutdown::new();
    shutdown.trigger();
    serve(
        listener,
        &Config::default(),
        &shutdown,
        BaselineHandler::new,
    )
    .unwrap();
}

/// Answers `/later` with a response that is not ready yet, handing its
/// reply to the test through `replies`; anything else with `now` at once.
struct Deferring {
    replies: std::sync::mpsc::Sender<Reply>,
}

impl Coroutine<Resume<Request>> for Deferring {
    type Yield = Option<Response>;
    type Return = Result<(), Exception>;

    fn resume(
        self: Pin<&mut Self>,
        arg: Resume<Request>,
    ) -> CoroutineState<Option<Response>, Result<(), Exception>> {
        let Ok(Some(request)) = arg else {
            return CoroutineState::Yielded(None);
        };
        if request.path() != "/later" {
            return CoroutineState::Yielded(Some(Response::text(Status::OK, "now")));
        }
        let (response, reply) = Response::later();
        self.replies.send(reply).expect("the test is listening");
        CoroutineState::Yielded(Some(response))
    }
}

/// Read one response with a `Content-Length` from `stream`.
fn read_one(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while !bytes.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("a head");
        bytes.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&bytes).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("Content-Length: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("a length");
    let mut body = vec![0; length];
    stream.read_exact(&mut body).expect("a body");
    head + &String::from_utf8_lossy(&body)
}

/// A response another thread finishes: the loop answers other
/// connections meanwhile, keeps the waiting connection's answers in
/// order, and writes the answer once the reply is sent. No timing: the
/// other answers come while the reply is still in the test's hands.
#[test]
fn a_later_response_waits_without_holding_up_the_loop() {
    let (replies, waiting) = std::sync::mpsc::channel();
    let server = TestServer::start(Config::default(), move || Deferring {
        replies: replies.clone(),
    });
    let mut slow = connect(server.address);
    // /later, and a request pipelined behind it.
    slow.write_all(b"GET /later HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let reply: Reply = waiting
        .recv_timeout(PATIENCE)
        .expect("the handler deferred");
    // Another client is answered while the reply is unsent.
    let other = exchange(server.address, GET_CLOSE);
    assert!(other.ends_with("\r\n\r\nnow"), "{other}");
    reply.send(|| {
        Response::text(Status::from_code(201).expect("a code"), "later")
            .header("X-Made", "on the loop")
    });
    let first = read_one(&mut slow);
    assert!(first.starts_with("HTTP/1.1 201 Created\r\n"), "{first}");
    assert!(first.contains("X-Made: on the loop\r\n"), "{first}");
    assert!(first.ends_with("\r\n\r\nlater"), "{first}");
    let second = read_one(&mut slow);
    assert!(second.ends_with("\r\n\r\nnow"), "{second}");

    // HEAD gets the answer's headers without its body; a reply dropped
    // unsent (its thread panicked) is a 500.
    slow.write_all(b"HEAD /later HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let reply: Reply = waiting.recv_timeout(PATIENCE).expect("deferred again");
    reply.send(|| Response::text(Status::OK, "twelve bytes"));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        slow.read_exact(&mut byte).expect("a head");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    assert!(head.contains("Content-Length: 12\r\n"), "{head}");
    slow.write_all(b"GET /later HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    drop(
        waiting
            .recv_timeout(PATIENCE)
            .expect("deferred a third time"),
    );
    let failed = read_one(&mut slow);
    assert!(failed.starts_with("HTTP/1.1 500 "), "{failed}");
    server.stop().unwrap();
}
