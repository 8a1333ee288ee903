//! The send-driven HTTP server, over real sockets, against every backend.
//!
//! Each test is a generic function over the handler type, and
//! [`for_each_backend!`] instantiates it three times, once per backend
//! crate's `handler()`: a row of the behaviour table is one test name, and
//! `cargo test --test http fib_streams` runs it for all three. Every
//! server binds `127.0.0.1:0`, is handed its listener, runs on a thread of
//! its own and is stopped at the end of the test.
//!
//! The client here is deliberately small and strict: it reads exactly one
//! response at a time (by `Content-Length`, by chunks, or to the end of
//! the connection), so a server that writes a byte too many or too few
//! shows up as a wrong next response or a hang, which the read timeout
//! turns into a failure.

use std::convert::Infallible;
use std::io::{self, Read, Write};
use std::marker::PhantomData;
use std::net::{Shutdown as Half, SocketAddr, TcpListener, TcpStream};
use std::pin::Pin;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use pygen_http::tasks::{self, Conn, Listener, Syscall, Task};
use pygen_http::{Config, Handler, Request, Response, Server, Shutdown};
use pygen_protocol::{Coroutine, CoroutineState, Exception, Resume};

/// How long a client waits for a byte before the test fails. Generous: it
/// only matters when something is broken.
const PATIENCE: Duration = Duration::from_secs(20);

/// F(999), the thousandth Fibonacci number, as Python prints it.
const F999: &str = concat!(
    "26863810024485359386146727202142923967616609318986952340123175997617981",
    "70024788168933836965448335656419182785616144335631297667364221035032463",
    "4850410377680367334151172899169723197082763985615764450078474174626",
);

// ---------------------------------------------------------------------------
// The server under test.

/// A server on a thread of its own, stopped when dropped.
struct TestServer {
    address: SocketAddr,
    shutdown: Shutdown,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl TestServer {
    fn start<H, F>(make_handler: F) -> TestServer
    where
        H: Handler,
        F: Fn() -> H + Send + Sync + 'static,
    {
        TestServer::with_config(make_handler, Config::default())
    }

    fn with_config<H, F>(make_handler: F, config: Config) -> TestServer
    where
        H: Handler,
        F: Fn() -> H + Send + Sync + 'static,
    {
        TestServer::serving(config, move |server| server.serve(make_handler))
    }

    /// A server bound to `127.0.0.1:0` and run by `serve` on a thread.
    fn serving<R>(config: Config, serve: R) -> TestServer
    where
        R: FnOnce(Server) -> io::Result<()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let server = Server::from_listener(listener).with_config(config);
        let address = server.local_addr().expect("the listener's address");
        let shutdown = server.shutdown_handle();
        let thread = thread::spawn(move || serve(server));
        TestServer {
            address,
            shutdown,
            thread: Some(thread),
        }
    }

    fn connect(&self) -> Client {
        Client::connect(self.address)
    }

    /// A graceful shutdown, waited for: the server's own result.
    fn stop(mut self) -> io::Result<()> {
        self.shutdown.trigger();
        let thread = self.thread.take().expect("stopped once");
        thread.join().expect("the server thread panicked")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            // Twice: drop every connection at once, so that a failed test
            // does not wait for the shutdown timeout.
            self.shutdown.trigger();
            self.shutdown.trigger();
            let _ = thread.join();
        }
    }
}

// ---------------------------------------------------------------------------
// A small, strict HTTP/1.1 client.

/// One response as read off the wire.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("a text body")
    }

    fn closes(&self) -> bool {
        self.header("connection")
            .is_some_and(|value| value.eq_ignore_ascii_case("close"))
    }
}

struct Client {
    stream: TcpStream,
    /// Bytes read and not yet taken by a response.
    buffer: Vec<u8>,
}

impl Client {
    fn connect(address: SocketAddr) -> Client {
        let stream = TcpStream::connect(address).expect("connect to the test server");
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("a read timeout");
        Client {
            stream,
            buffer: Vec::new(),
        }
    }

    fn send(&mut self, bytes: impl AsRef<[u8]>) {
        self.stream
            .write_all(bytes.as_ref())
            .expect("send a request");
    }

    /// Read more bytes into the buffer; 0 at the end of the connection.
    fn fill(&mut self) -> usize {
        let mut chunk = [0; 16 * 1024];
        match self.stream.read(&mut chunk) {
            Ok(count) => {
                self.buffer.extend_from_slice(&chunk[..count]);
                count
            }
            Err(error) if error.kind() == io::ErrorKind::ConnectionReset => 0,
            Err(error) => panic!("reading a response: {error}"),
        }
    }

    fn take(&mut self, count: usize) -> Vec<u8> {
        while self.buffer.len() < count {
            assert!(self.fill() > 0, "the connection closed mid-response");
        }
        self.buffer.drain(..count).collect()
    }

    fn line(&mut self) -> String {
        loop {
            if let Some(end) = self.buffer.windows(2).position(|pair| pair == b"\r\n") {
                let line = self.take(end + 2);
                return String::from_utf8(line[..end].to_vec()).expect("an ASCII line");
            }
            assert!(self.fill() > 0, "the connection closed mid-line");
        }
    }

    /// The next response to a request other than `HEAD`.
    fn reply(&mut self) -> Reply {
        self.read_reply(false)
    }

    /// The next response to a `HEAD` request: headers only.
    fn head_reply(&mut self) -> Reply {
        self.read_reply(true)
    }

    fn read_reply(&mut self, head: bool) -> Reply {
        let status_line = self.line();
        let mut words = status_line.splitn(3, ' ');
        assert_eq!(words.next(), Some("HTTP/1.1"), "{status_line:?}");
        let status: u16 = words
            .next()
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("a status code in {status_line:?}"));
        let mut headers = Vec::new();
        loop {
            let line = self.line();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').expect("a header line");
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
        let mut reply = Reply {
            status,
            headers,
            body: Vec::new(),
        };
        if head || status == 204 || status == 304 || status < 200 {
            return reply;
        }
        if reply.header("transfer-encoding") == Some("chunked") {
            loop {
                let size_line = self.line();
                let size = usize::from_str_radix(&size_line, 16).expect("a hex chunk size");
                if size == 0 {
                    assert_eq!(self.line(), "", "no trailers expected");
                    break;
                }
                reply.body.extend(self.take(size));
                assert_eq!(self.take(2), b"\r\n", "a chunk ends with CRLF");
            }
        } else if let Some(length) = reply.header("content-length") {
            let length = length.parse().expect("a decimal content-length");
            reply.body = self.take(length);
        } else {
            while self.fill() > 0 {}
            reply.body = std::mem::take(&mut self.buffer);
        }
        reply
    }

    /// Whether the server has closed the connection (with nothing more
    /// sent).
    fn is_closed(&mut self) -> bool {
        self.buffer.is_empty() && self.fill() == 0
    }

    /// Whether something (bytes, or the end of the connection) has come,
    /// waiting at most `wait`.
    fn poll(&mut self, wait: Duration) -> bool {
        self.stream
            .set_read_timeout(Some(wait))
            .expect("a read timeout");
        let mut chunk = [0; 16 * 1024];
        let arrived = match self.stream.read(&mut chunk) {
            Ok(count) => {
                self.buffer.extend_from_slice(&chunk[..count]);
                true
            }
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                false
            }
            Err(_) => true,
        };
        self.stream
            .set_read_timeout(Some(PATIENCE))
            .expect("a read timeout");
        arrived
    }

    /// Send `bytes` one at a time, `gap` apart, until the server answers
    /// (or closes): whether it did before the last byte.
    fn trickle(&mut self, bytes: &[u8], gap: Duration) -> bool {
        for byte in bytes {
            if self.poll(gap) || self.stream.write_all(&[*byte]).is_err() {
                return true;
            }
        }
        false
    }
}

/// `method target` with a `Host` header and any extra header lines.
fn request(method: &str, target: &str, extra: &str) -> String {
    format!("{method} {target} HTTP/1.1\r\nHost: test\r\n{extra}\r\n")
}

fn get(target: &str) -> String {
    request("GET", target, "")
}

/// `GET target` on a new connection.
fn fetch(server: &TestServer, target: &str) -> Reply {
    let mut client = server.connect();
    client.send(get(target));
    client.reply()
}

/// The first `count` Fibonacci numbers, one a line, as Python prints them.
fn fibonacci_lines(count: usize) -> String {
    let (mut a, mut b) = (num_bigint::BigUint::ZERO, num_bigint::BigUint::from(1u8));
    let mut text = String::new();
    for _ in 0..count {
        text.push_str(&format!("{a}\n"));
        let sum = &a + &b;
        a = std::mem::replace(&mut b, sum);
    }
    text
}

// ---------------------------------------------------------------------------
// The tests, each generic over the backend's handler.

type MakeHandler<H> = fn() -> H;

/// What a test serves: one backend in one model, started with a config.
trait App: Copy {
    fn start(self, config: Config) -> TestServer;
}

/// The handler model: the event loop sends requests into `handler()`.
struct Handlers<H>(MakeHandler<H>);

impl<H> Clone for Handlers<H> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<H> Copy for Handlers<H> {}

impl<H: Handler + 'static> App for Handlers<H> {
    fn start(self, config: Config) -> TestServer {
        TestServer::with_config(self.0, config)
    }
}

/// The task model: the scheduler runs `server()`, which spawns a task per
/// connection that does its own I/O.
struct Tasks<S, C>(fn(Listener, Rc<Config>) -> S, PhantomData<fn() -> C>);

impl<S, C> Tasks<S, C> {
    fn new(server: fn(Listener, Rc<Config>) -> S) -> Self {
        Tasks(server, PhantomData)
    }
}

impl<S, C> Clone for Tasks<S, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S, C> Copy for Tasks<S, C> {}

impl<S, C> App for Tasks<S, C>
where
    S: Task<C> + 'static,
    C: Task<Infallible> + 'static,
{
    fn start(self, config: Config) -> TestServer {
        TestServer::serving(config, move |server| server.serve_tasks(self.0))
    }
}

/// `GET /` is the seed's answer.
fn hello_world(app: impl App) {
    let server = app.start(Config::default());
    let reply = fetch(&server, "/");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "Hello, World!");
    assert_eq!(reply.header("content-length"), Some("13"));
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(
        reply
            .header("date")
            .is_some_and(|date| date.ends_with(" GMT"))
    );
    server.stop().expect("a clean shutdown");
}

/// `HEAD /` has `GET /`'s headers and no body: the next response on the
/// connection starts right after them.
fn head_has_headers_only(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    client.send(request("HEAD", "/", ""));
    let reply = client.head_reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-length"), Some("13"));
    client.send(request("HEAD", "/fib?n=10", ""));
    let reply = client.head_reply();
    assert_eq!(reply.status, 200);
    client.send(get("/"));
    assert_eq!(client.reply().text(), "Hello, World!");
}

/// An unknown path is 404; a known one with the wrong method is 405, with
/// the methods it does allow.
fn not_found_and_not_allowed(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    client.send(get("/nowhere"));
    assert_eq!(client.reply().status, 404);
    client.send(request("POST", "/", "Content-Length: 0\r\n"));
    let reply = client.reply();
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("GET, HEAD, OPTIONS"));
    client.send(get("/echo"));
    let reply = client.reply();
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("POST, OPTIONS"));
    client.send(request("DELETE", "/fib?n=3", ""));
    assert_eq!(client.reply().status, 405);
}

/// `OPTIONS *` and `OPTIONS /path` are 200 with `Allow` and an empty body;
/// a method the server does not know at all is 501, on any path, and so is
/// `CONNECT host:port`. None ends the connection.
fn options_and_unknown_methods(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    client.send(request("OPTIONS", "*", ""));
    let reply = client.reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("allow"), Some("GET, HEAD, POST, OPTIONS"));
    assert_eq!(reply.header("content-length"), Some("0"));
    client.send(request("OPTIONS", "/echo", ""));
    let reply = client.reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("allow"), Some("POST, OPTIONS"));
    for target in ["/", "/nowhere"] {
        client.send(request("BREW", target, "Content-Length: 3\r\n"));
        client.send("tea");
        let reply = client.reply();
        assert_eq!(reply.status, 501, "{target}");
        assert!(!reply.closes());
    }
    // Methods are case-sensitive: `get` is not `GET`.
    client.send(request("get", "/", ""));
    assert_eq!(client.reply().status, 501);
    // CONNECT, with its authority-form target, is a proxy's method.
    client.send(request("CONNECT", "example.com:443", ""));
    let reply = client.reply();
    assert_eq!(reply.status, 501);
    assert!(!reply.closes());
    client.send(get("/"));
    let reply = client.reply();
    assert_eq!(reply.text(), "Hello, World!");
    assert_eq!(reply.header("x-request-count"), Some("7"));
}

/// An `Expect` other than `100-continue` is 417, before any body is read,
/// and the connection is closed.
fn unknown_expectations_are_417(app: impl App) {
    let server = app.start(Config::default());
    for expect in ["Expect: 200-ok\r\n", "Expect: 100-continue, fast\r\n"] {
        let mut client = server.connect();
        let extra = format!("{expect}Content-Length: 4\r\n");
        client.send(request("POST", "/echo", &extra));
        let reply = client.reply();
        assert_eq!(reply.status, 417, "{expect:?}");
        assert!(reply.closes());
        assert!(client.is_closed());
    }
}

/// Every header name the server writes is spelled one way: each word
/// capitalised, as in `Content-Type` and `X-Request-Count`, whether the
/// event loop, `route()` or the handler wrote it. Bodies the server writes
/// for errors end in a newline; the seed's `Hello, World!` does not.
fn header_names_are_capitalised(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    let mut replies = Vec::new();
    for message in [
        get("/"),
        get("/fib?n=3"),
        get("/fib?n=x"),
        get("/nowhere"),
        request("POST", "/", "Content-Length: 0\r\n"),
        request("POST", "/echo", "Content-Length: 2\r\n") + "hi",
    ] {
        client.send(message);
        replies.push(client.reply());
    }
    let capitalised = |name: &str| {
        name.split('-').all(|word| {
            let mut letters = word.chars();
            letters.next().is_some_and(|c| c.is_ascii_uppercase())
                && letters.all(|c| !c.is_ascii_uppercase())
        })
    };
    for reply in &replies {
        for (name, _) in &reply.headers {
            assert!(capitalised(name), "{name:?} in {reply:?}");
        }
    }
    assert_eq!(replies[0].text(), "Hello, World!");
    for error in &replies[2..5] {
        assert!(error.text().ends_with('\n'), "{error:?}");
    }
    server.stop().expect("a clean shutdown");
}

/// `GET /fib?n=K` streams K numbers from the backend's generator, chunked.
fn fib_streams_chunked(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    client.send(get("/fib?n=10"));
    let reply = client.reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("transfer-encoding"), Some("chunked"));
    assert_eq!(reply.header("content-length"), None);
    assert_eq!(reply.text(), "0\n1\n1\n2\n3\n5\n8\n13\n21\n34\n");

    client.send(get("/fib?n=1000"));
    let reply = client.reply();
    assert_eq!(reply.text().lines().count(), 1000);
    assert_eq!(reply.text().lines().last(), Some(F999));

    client.send(get("/fib?n=0"));
    assert_eq!(client.reply().text(), "");
}

/// A long stream (2.6 MB) arrives whole and right, in many chunks.
fn fib_streams_a_long_answer(app: impl App) {
    let server = app.start(Config::default());
    let reply = fetch(&server, "/fib?n=5000");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), fibonacci_lines(5000));
}

/// A bad K is a clear 400, and the connection goes on.
fn fib_refuses_a_bad_k(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    for target in [
        "/fib",
        "/fib?n=",
        "/fib?n=ten",
        "/fib?n=-1",
        "/fib?n=100001",
    ] {
        client.send(get(target));
        let reply = client.reply();
        assert_eq!(reply.status, 400, "{target}");
        assert!(
            reply.text().starts_with("bad n"),
            "{target}: {}",
            reply.text()
        );
        assert!(!reply.closes());
    }
    client.send(get("/fib?n=100000"));
    // Only the head: reading a gigabyte is not the point.
    let status_line = client.line();
    assert_eq!(status_line, "HTTP/1.1 200 OK");
}

/// `POST /echo` with a `Content-Length` body sends it back.
fn echo_with_content_length(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    let body = "hello, echo\n\u{1F40D}";
    client.send(request(
        "POST",
        "/echo",
        &format!(
            "Content-Type: text/plain\r\nContent-Length: {}\r\n",
            body.len()
        ),
    ));
    client.send(body);
    let reply = client.reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), body);
    assert_eq!(reply.header("content-type"), Some("text/plain"));

    // Binary, and large, in several writes.
    let body: Vec<u8> = (0..200_000u32).map(|n| (n % 251) as u8).collect();
    let head = request(
        "POST",
        "/echo",
        &format!("Content-Length: {}\r\n", body.len()),
    );
    client.send(head);
    for piece in body.chunks(30_000) {
        client.send(piece);
    }
    let reply = client.reply();
    assert_eq!(reply.body, body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/octet-stream")
    );
}

/// `POST /echo` with a chunked body sends the decoded body back.
fn echo_with_chunked_body(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    client.send(request("POST", "/echo", "Transfer-Encoding: chunked\r\n"));
    client.send("6\r\nhello \r\n");
    client.send("6;note=split\r\nchunks\r\n");
    client.send("0\r\nX-Trailer: ignored\r\n\r\n");
    let reply = client.reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "hello chunks");
    client.send(get("/"));
    assert_eq!(client.reply().text(), "Hello, World!");
}

/// `Expect: 100-continue` gets the interim response before the body.
fn expect_continue(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    client.send(request(
        "POST",
        "/echo",
        "Expect: 100-continue\r\nContent-Length: 4\r\n",
    ));
    assert_eq!(client.line(), "HTTP/1.1 100 Continue");
    assert_eq!(client.line(), "");
    client.send("ping");
    assert_eq!(client.reply().text(), "ping");
}

/// Keep-alive is the default, and the handler keeps state across the
/// connection's requests: it counts them. A new connection has a new
/// handler.
fn keep_alive_keeps_the_handler(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    for count in 1..=3 {
        client.send(get("/"));
        let reply = client.reply();
        assert_eq!(
            reply.header("x-request-count"),
            Some(count.to_string().as_str())
        );
        assert!(!reply.closes());
    }
    let reply = fetch(&server, "/");
    assert_eq!(reply.header("x-request-count"), Some("1"));
}

/// Requests sent back to back in one write are answered in order.
fn pipelined_responses_keep_their_order(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    let mut batch = get("/fib?n=5");
    batch.push_str(&request("POST", "/echo", "Content-Length: 5\r\n"));
    batch.push_str("first");
    batch.push_str(&get("/nowhere"));
    batch.push_str(&request("POST", "/echo", "Transfer-Encoding: chunked\r\n"));
    batch.push_str("6\r\nsecond\r\n0\r\n\r\n");
    batch.push_str(&get("/"));
    client.send(batch);
    assert_eq!(client.reply().text(), "0\n1\n1\n2\n3\n");
    assert_eq!(client.reply().text(), "first");
    assert_eq!(client.reply().status, 404);
    assert_eq!(client.reply().text(), "second");
    let last = client.reply();
    assert_eq!(last.text(), "Hello, World!");
    assert_eq!(last.header("x-request-count"), Some("5"));
}

/// HTTP/1.0 closes after each response unless asked not to, and gets a
/// streamed body raw, ended by the close.
fn http10(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    client.send("GET / HTTP/1.0\r\n\r\n");
    let reply = client.reply();
    assert_eq!(reply.text(), "Hello, World!");
    assert!(reply.closes());
    assert!(client.is_closed());

    let mut client = server.connect();
    client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    let reply = client.reply();
    assert_eq!(reply.header("connection"), Some("keep-alive"));
    client.send("GET /fib?n=6 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    let reply = client.reply();
    assert_eq!(reply.header("transfer-encoding"), None);
    assert!(reply.closes());
    assert_eq!(reply.text(), "0\n1\n1\n2\n3\n5\n");
}

/// `Connection: close` gets the response, then the close; anything
/// pipelined after it is not answered.
fn connection_close(app: impl App) {
    let server = app.start(Config::default());
    let mut client = server.connect();
    let mut batch = request("GET", "/", "Connection: close\r\n");
    batch.push_str(&get("/"));
    client.send(batch);
    let reply = client.reply();
    assert_eq!(reply.text(), "Hello, World!");
    assert!(reply.closes());
    assert!(client.is_closed());
}

/// Requests whose framing two servers could read differently are refused
/// with 400, and the connection is closed.
fn smuggling_is_refused(app: impl App) {
    let server = app.start(Config::default());
    let cases = [
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5, 5\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -5\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length : 5\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n b\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        // A bare LF, mixed with CRLFs: to a proxy that splits on CRLF this
        // is one header `X`, with no Content-Length.
        "POST /echo HTTP/1.1\r\nHost: t\r\nX: a\nContent-Length: 5\r\n\r\nhello",
        "GET / HTTP/1.1\nHost: t\n\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked;x=y\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: user@t\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t:port\r\n\r\n",
        "GET * HTTP/1.1\r\nHost: t\r\n\r\n",
    ];
    for case in cases {
        let mut client = server.connect();
        client.send(case);
        let reply = client.reply();
        assert_eq!(reply.status, 400, "{case:?}: {}", reply.text());
        assert!(reply.closes(), "{case:?}");
        assert!(client.is_closed(), "{case:?}");
    }
}

/// Each limit is answered with its own status, and the connection closed.
fn limits_have_their_statuses(app: impl App) {
    let config = Config {
        max_body_bytes: 1000,
        ..Config::default()
    };
    let server = app.start(config);
    let big_header = format!("X-Big: {}\r\n", "a".repeat(10_000));
    let chunked_too_big = format!(
        "{}3e8\r\n{}\r\n1\r\nx\r\n0\r\n\r\n",
        request("POST", "/echo", "Transfer-Encoding: chunked\r\n"),
        "a".repeat(1000)
    );
    let many_headers: String = (0..100).map(|n| format!("X-{n}: {n}\r\n")).collect();
    let cases = [
        (request("GET", "/", &big_header), 431),
        (request("GET", "/", &many_headers), 431),
        (request("POST", "/echo", "Content-Length: 1001\r\n"), 413),
        (
            request("POST", "/echo", "Content-Length: 99999999999999999999\r\n"),
            413,
        ),
        (chunked_too_big, 413),
        (
            request("POST", "/echo", "Transfer-Encoding: gzip, chunked\r\n"),
            501,
        ),
        ("GET / HTTP/2.0\r\nHost: t\r\n\r\n".to_owned(), 505),
        // RFC 9112 §3: a space in the target is a bad request line, not an
        // unknown version; a target longer than the head limit is 414.
        ("GET /a b HTTP/1.1\r\nHost: t\r\n\r\n".to_owned(), 400),
        (get(&format!("/{}", "a".repeat(10_000))), 414),
        ("this is not http\r\n\r\n".to_owned(), 400),
        ("GET /\r\n\r\n".to_owned(), 400),
        ("GET relative HTTP/1.1\r\nHost: t\r\n\r\n".to_owned(), 400),
    ];
    for (case, status) in cases {
        let mut client = server.connect();
        client.send(&case);
        let reply = client.reply();
        let shown = &case[..case.len().min(60)];
        assert_eq!(reply.status, status, "{shown:?}: {}", reply.text());
        assert!(reply.closes(), "{shown:?}");
        assert!(client.is_closed(), "{shown:?}");
    }
}

/// A head that does not arrive within the header timeout gets 408.
fn header_timeout_is_408(app: impl App) {
    let config = Config {
        header_timeout: Duration::from_millis(300),
        ..Config::default()
    };
    let server = app.start(config);
    let mut client = server.connect();
    client.send("GET / HTTP/1.1\r\nHost: t\r\n");
    let reply = client.reply();
    assert_eq!(reply.status, 408);
    assert!(reply.closes());
    assert!(client.is_closed());

    // The same for a body that stops arriving.
    let config = Config {
        body_timeout: Duration::from_millis(300),
        ..Config::default()
    };
    let server = app.start(config);
    let mut client = server.connect();
    client.send(request("POST", "/echo", "Content-Length: 10\r\n"));
    client.send("12345");
    assert_eq!(client.reply().status, 408);
    assert!(client.is_closed());
}

/// An idle keep-alive connection is closed quietly after its timeout.
fn idle_connections_close_quietly(app: impl App) {
    let config = Config {
        keep_alive_timeout: Duration::from_millis(300),
        ..Config::default()
    };
    let server = app.start(config);
    let mut client = server.connect();
    client.send(get("/"));
    assert_eq!(client.reply().status, 200);
    assert!(client.is_closed());
}

/// Streams in flight are limited: past `max_streams`, a request that
/// would stream is answered `503` with `Retry-After`, and its connection
/// stays open. A connection streams one response at a time (a request
/// pipelined behind a stream is read once it ends), and a stream whose
/// client has gone gives its place back.
fn streams_past_the_limit_are_503(app: impl App) {
    let config = Config {
        max_streams: 1,
        ..Config::default()
    };
    let server = app.start(config);
    let mut client = server.connect();
    client.send(format!("{}{}", get("/fib?n=5"), get("/fib?n=6")));
    assert_eq!(client.reply().text(), fibonacci_lines(5));
    assert_eq!(client.reply().text(), fibonacci_lines(6));

    // A long stream holds the one place...
    let mut long = server.connect();
    long.send(get("/fib?n=100000"));
    assert_eq!(long.line(), "HTTP/1.1 200 OK");
    let mut other = server.connect();
    other.send(get("/fib?n=5"));
    let reply = other.reply();
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert_eq!(reply.header("retry-after"), Some("1"));
    assert!(!reply.closes());
    // ... and nothing else: what does not stream is answered.
    other.send(get("/"));
    assert_eq!(other.reply().status, 200);
    other.send(request("HEAD", "/fib?n=5", ""));
    assert_eq!(other.head_reply().status, 200);

    // Once its client has gone, the place is free.
    drop(long);
    let mut served = false;
    for _ in 0..400 {
        other.send(get("/fib?n=5"));
        let reply = other.reply();
        if reply.status == 200 {
            assert_eq!(reply.text(), fibonacci_lines(5));
            served = true;
            break;
        }
        assert_eq!(reply.status, 503);
        thread::sleep(Duration::from_millis(25));
    }
    assert!(served, "the stream's place was never given back");
    server.stop().expect("a clean shutdown");
}

/// A body is charged its whole declared length as soon as its head is
/// read: with one body's worth of the budget promised to a client that
/// has sent no byte of it yet, a second whose `Content-Length` cannot fit
/// is refused `503` on its head alone, and the first is still answered.
fn the_declared_body_is_charged_before_it_arrives(app: impl App) {
    let config = Config {
        // Each connection is charged 4 KiB of its own besides its body.
        memory_budget: 24 * 1024,
        ..Config::default()
    };
    let server = app.start(config);
    let mut first = server.connect();
    first.send(request(
        "POST",
        "/echo",
        "Expect: 100-continue\r\nContent-Length: 10000\r\n",
    ));
    // Its head has been read (and its body charged) once this comes.
    assert_eq!(first.line(), "HTTP/1.1 100 Continue");
    assert_eq!(first.line(), "");

    let mut second = server.connect();
    second.send(request(
        "POST",
        "/echo",
        "Expect: 100-continue\r\nContent-Length: 10000\r\n",
    ));
    let reply = second.reply();
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert_eq!(reply.header("retry-after"), Some("1"));
    assert!(reply.closes());

    first.send("a".repeat(10_000));
    let reply = first.reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, "a".repeat(10_000).as_bytes());
    server.stop().expect("a clean shutdown");
}

/// The memory budget is the server's, not each connection's: two bodies
/// that each fit are more than it together, so the one read last is
/// refused `503` with `Retry-After` and its connection closed; the other
/// is answered, and the budget is there again for the next.
fn the_memory_budget_is_shared_by_all_connections(app: impl App) {
    let config = Config {
        // Each connection is charged 4 KiB of its own besides its body.
        memory_budget: 24 * 1024,
        ..Config::default()
    };
    let server = app.start(config);
    let head = request("POST", "/echo", "Content-Length: 10000\r\n");
    let mut first = server.connect();
    first.send(&head);
    first.send("a".repeat(9000));
    let mut second = server.connect();
    second.send(&head);
    second.send("b".repeat(9000));
    let mut refused = None;
    for _ in 0..2000 {
        if first.poll(Duration::from_millis(5)) {
            refused = Some(true);
            break;
        }
        if second.poll(Duration::from_millis(5)) {
            refused = Some(false);
            break;
        }
    }
    let (mut loser, mut winner, fill) = match refused.expect("neither body was refused") {
        true => (first, second, "b"),
        false => (second, first, "a"),
    };
    let reply = loser.reply();
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert_eq!(reply.header("retry-after"), Some("1"));
    assert!(reply.closes());
    assert!(loser.is_closed());

    winner.send(fill.repeat(1000));
    let reply = winner.reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, fill.repeat(10_000).as_bytes());
    let mut client = server.connect();
    client.send(request("POST", "/echo", "Content-Length: 5\r\n"));
    client.send("hello");
    assert_eq!(client.reply().text(), "hello");
    server.stop().expect("a clean shutdown");
}

/// A head's deadline is hard: a head sent a byte at a time gets `408`
/// however steadily the bytes come, and the clock runs from connecting,
/// not from a first byte sent late.
fn a_head_has_a_hard_deadline(app: impl App) {
    let config = Config {
        header_timeout: Duration::from_millis(200),
        ..Config::default()
    };
    let server = app.start(config);
    let mut client = server.connect();
    thread::sleep(Duration::from_millis(100));
    let head = format!(
        "GET / HTTP/1.1\r\nHost: test\r\nX-Slow: {}\r\n\r\n",
        "a".repeat(2000)
    );
    let answered = client.trickle(head.as_bytes(), Duration::from_millis(10));
    assert!(answered, "the whole head was taken");
    let reply = client.reply();
    assert_eq!(reply.status, 408);
    assert!(reply.closes());
    assert!(client.is_closed());
    assert_eq!(fetch(&server, "/").status, 200);
}

/// A body must keep to the minimum rate: a body trickled a byte at a time
/// gets `408`, though each byte is progress. And a whole body has a hard
/// deadline, whatever its rate.
fn a_body_has_a_minimum_rate_and_a_deadline(app: impl App) {
    let slow = Config {
        body_timeout: Duration::from_millis(200),
        min_transfer_rate: 1024,
        ..Config::default()
    };
    let steady = Config {
        body_deadline: Duration::from_millis(300),
        min_transfer_rate: 1,
        ..Config::default()
    };
    for config in [slow, steady] {
        let server = app.start(config);
        let mut client = server.connect();
        client.send(request("POST", "/echo", "Content-Length: 2000\r\n"));
        let answered = client.trickle(&[b'x'; 1999], Duration::from_millis(10));
        assert!(answered, "the whole body was taken");
        let reply = client.reply();
        assert_eq!(reply.status, 408);
        assert!(client.is_closed());
        assert_eq!(fetch(&server, "/").status, 200);
    }
}

/// A response must keep to the minimum rate too: a client that takes a
/// stream a little at a time is cut off, and the stream's place is given
/// back.
fn a_slow_reader_is_cut_off(app: impl App) {
    let config = Config {
        write_timeout: Duration::from_millis(200),
        min_transfer_rate: 1024 * 1024,
        max_streams: 1,
        ..Config::default()
    };
    let server = app.start(config);
    let mut slow = server.connect();
    slow.send(get("/fib?n=100000"));
    assert_eq!(slow.line(), "HTTP/1.1 200 OK");
    let mut other = server.connect();
    let mut freed = false;
    for _ in 0..800 {
        let mut sip = [0; 100];
        let _ = slow.stream.read(&mut sip);
        other.send(get("/fib?n=5"));
        let reply = other.reply();
        if reply.status == 200 {
            freed = true;
            break;
        }
        assert_eq!(reply.status, 503);
        thread::sleep(Duration::from_millis(25));
    }
    assert!(freed, "the slow reader kept its stream");
    server.stop().expect("a clean shutdown");
}

/// A client that reads at a legal rate gets all of its response, however
/// slowly the socket takes bytes: the kernel's send buffer holds megabytes,
/// so a steady reader sees no write for many windows, and the window is
/// judged on what the client took from the socket's queue. Scaled down
/// from `scripts/attack.py --phases slow-reader` (16 KiB/s for 35 s
/// against 1 KiB/s over 30 s windows): here 256 KiB/s for 3 s against
/// 16 KiB/s over 1 s windows, then at full speed to the end. The margin
/// is wide because a reader's progress reaches the server in steps: the
/// client's kernel opens its window again a segment (64 KiB on loopback)
/// at a time.
fn a_slow_reader_at_the_minimum_rate_gets_everything(app: impl App) {
    let config = Config {
        write_timeout: Duration::from_secs(1),
        min_transfer_rate: 16 * 1024,
        ..Config::default()
    };
    let server = app.start(config);
    let mut slow = server.connect();
    slow.send(get("/fib?n=8000"));
    let started = Instant::now();
    let mut sip = vec![0; 16 * 1024];
    while started.elapsed() < Duration::from_secs(3) {
        let count = slow.stream.read(&mut sip).expect("the stream goes on");
        assert!(count > 0, "cut off after {:?}", started.elapsed());
        slow.buffer.extend_from_slice(&sip[..count]);
        thread::sleep(Duration::from_millis(62));
    }
    assert_eq!(slow.line(), "HTTP/1.1 200 OK");
    let mut rest = slow.line();
    while !rest.is_empty() {
        rest = slow.line();
    }
    let mut body = Vec::new();
    loop {
        let size = usize::from_str_radix(&slow.line(), 16).expect("a chunk size");
        if size == 0 {
            break;
        }
        body.extend(slow.take(size));
        slow.take(2);
    }
    assert_eq!(slow.line(), "", "the terminating chunk");
    assert_eq!(String::from_utf8(body).unwrap(), fibonacci_lines(8000));
    server.stop().expect("a clean shutdown");
}

/// Streams read as fast as they are made do not keep plain requests from
/// their turn: with many in flight, `GET /` is answered again and again,
/// on new connections and on a kept-alive one.
fn plain_requests_are_answered_among_streams(app: impl App) {
    let server = app.start(Config::default());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut streams = Vec::new();
    for _ in 0..16 {
        let mut stream = TcpStream::connect(server.address).expect("connect");
        stream
            .write_all(get("/fib?n=100000").as_bytes())
            .expect("send");
        stream.set_nonblocking(true).expect("non-blocking");
        streams.push(stream);
    }
    let reading = stop.clone();
    let reader = thread::spawn(move || {
        let mut sink = vec![0; 256 * 1024];
        let mut total = 0;
        while !reading.load(std::sync::atomic::Ordering::Relaxed) {
            let mut any = false;
            for stream in &mut streams {
                if let Ok(count) = stream.read(&mut sink) {
                    total += count;
                    any |= count > 0;
                }
            }
            if !any {
                thread::sleep(Duration::from_millis(1));
            }
        }
        total
    });
    for _ in 0..10 {
        assert_eq!(fetch(&server, "/").text(), "Hello, World!");
    }
    let mut client = server.connect();
    for _ in 0..10 {
        client.send(get("/"));
        assert_eq!(client.reply().text(), "Hello, World!");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(reader.join().expect("the reader panicked") > 0);
}

/// Clients that vanish mid-request or mid-response cost the server
/// nothing but those connections.
fn aborted_clients_do_not_stop_the_server(app: impl App) {
    let server = app.start(Config::default());
    // Connect and go.
    drop(server.connect());
    // Half a head.
    let mut client = server.connect();
    client.send("GET /fib?n=10 HTTP/1.1\r\nHo");
    drop(client);
    // Half a body.
    let mut client = server.connect();
    client.send(request("POST", "/echo", "Content-Length: 100\r\n"));
    client.send("only some");
    drop(client);
    // A long response, abandoned after its first bytes: the server's next
    // writes fail with a reset.
    let mut client = server.connect();
    client.send(get("/fib?n=20000"));
    assert_eq!(client.line(), "HTTP/1.1 200 OK");
    drop(client);
    // A half-closed client still gets its answer.
    let mut client = server.connect();
    client.send(request("GET", "/", "Connection: close\r\n"));
    client.stream.shutdown(Half::Write).expect("half-close");
    assert_eq!(client.reply().text(), "Hello, World!");

    thread::sleep(Duration::from_millis(50));
    assert_eq!(fetch(&server, "/").text(), "Hello, World!");
    server.stop().expect("a clean shutdown");
}

/// The backend's handler, except that a request for `/panic` panics in
/// the middle of a resume. Everything else goes to the real handler.
struct PanicOnRequest<H>(H);

impl<H: Handler> Coroutine<Resume<Request>> for PanicOnRequest<H> {
    type Yield = Option<Response>;
    type Return = Result<(), Exception>;

    fn resume(
        self: Pin<&mut Self>,
        arg: Resume<Request>,
    ) -> CoroutineState<Option<Response>, Result<(), Exception>> {
        if matches!(&arg, Ok(Some(request)) if request.path() == "/panic") {
            panic!("a handler panicked on purpose");
        }
        Pin::new(&mut self.get_mut().0).resume(arg)
    }
}

/// A panic inside one connection's handler gets that connection a 500 and
/// a close; other connections, open before and after, are served.
fn a_handler_panic_is_500_for_that_connection_only<H: Handler + 'static>(handler: MakeHandler<H>) {
    let server = TestServer::start(move || PanicOnRequest(handler()));
    let mut bystander = server.connect();
    bystander.send(get("/"));
    assert_eq!(bystander.reply().header("x-request-count"), Some("1"));

    let mut victim = server.connect();
    victim.send(get("/"));
    assert_eq!(victim.reply().status, 200);
    let mut batch = get("/panic");
    batch.push_str(&get("/"));
    victim.send(batch);
    let reply = victim.reply();
    assert_eq!(reply.status, 500);
    assert!(reply.closes());
    assert!(victim.is_closed());

    bystander.send(get("/"));
    assert_eq!(bystander.reply().header("x-request-count"), Some("2"));
    assert_eq!(fetch(&server, "/").status, 200);
    server.stop().expect("a clean shutdown");
}

/// A connection task that answers the first bytes it receives with a
/// `Send` and then raises.
struct SendThenRaise {
    conn: Conn,
    step: u8,
}

impl Coroutine<Resume<tasks::Reply>> for SendThenRaise {
    type Yield = Syscall<Infallible>;
    type Return = Result<(), Exception>;

    fn resume(
        self: Pin<&mut Self>,
        _arg: Resume<tasks::Reply>,
    ) -> CoroutineState<Syscall<Infallible>, Result<(), Exception>> {
        let this = self.get_mut();
        this.step += 1;
        match this.step {
            1 => CoroutineState::Yielded(Syscall::Recv {
                conn: this.conn,
                deadline: Instant::now() + PATIENCE,
                idle: false,
            }),
            2 => CoroutineState::Yielded(Syscall::Send(this.conn, b"sent, then raised".to_vec())),
            _ => CoroutineState::Complete(Err(Exception::RuntimeError)),
        }
    }
}

/// A server task that spawns a [`SendThenRaise`] per connection.
struct SpawnSendThenRaise(Listener);

impl Coroutine<Resume<tasks::Reply>> for SpawnSendThenRaise {
    type Yield = Syscall<SendThenRaise>;
    type Return = Result<(), Exception>;

    fn resume(
        self: Pin<&mut Self>,
        arg: Resume<tasks::Reply>,
    ) -> CoroutineState<Syscall<SendThenRaise>, Result<(), Exception>> {
        match arg {
            Ok(Some(tasks::Reply::Accepted(conn))) => {
                CoroutineState::Yielded(Syscall::Spawn(SendThenRaise { conn, step: 0 }))
            }
            Ok(_) => CoroutineState::Yielded(Syscall::Accept(self.0)),
            Err(exception) => CoroutineState::Complete(Err(exception)),
        }
    }
}

/// A small `Send` is only buffered, and the task goes on; when the task
/// then ends (here by raising) before anything else wrote the buffer, the
/// bytes still reach the client before the scheduler closes the socket.
#[test]
fn what_a_task_sent_before_it_raised_is_delivered() {
    let server = TestServer::serving(Config::default(), |server| {
        server.serve_tasks(|listener, _config| SpawnSendThenRaise(listener))
    });
    let mut client = server.connect();
    client.send("hello");
    let mut received = Vec::new();
    client
        .stream
        .read_to_end(&mut received)
        .expect("the bytes, then the end");
    assert_eq!(received, b"sent, then raised");
    drop(client);
    server.stop().expect("a clean shutdown");
}

/// Hundreds of connections open at once on the one event loop.
fn many_connections_at_once(app: impl App) {
    let server = app.start(Config::default());
    let mut clients: Vec<Client> = (0..300).map(|_| server.connect()).collect();
    for (n, client) in clients.iter_mut().enumerate() {
        client.send(get(&format!("/fib?n={}", n % 20)));
    }
    for (n, client) in clients.iter_mut().enumerate().rev() {
        let reply = client.reply();
        assert_eq!(reply.text().lines().count(), n % 20);
    }
}

/// A graceful shutdown closes idle connections, refuses new ones, and
/// lets a response in flight finish.
fn shutdown_finishes_responses_in_flight(app: impl App) {
    let server = app.start(Config::default());
    let mut idle = server.connect();
    idle.send(get("/"));
    assert_eq!(idle.reply().status, 200);

    let mut busy = server.connect();
    busy.send(get("/fib?n=5000"));
    assert_eq!(busy.line(), "HTTP/1.1 200 OK");

    server.shutdown.trigger();
    assert!(idle.is_closed());
    // The rest of the response, read after the shutdown began.
    let mut rest = busy.line();
    while !rest.is_empty() {
        rest = busy.line();
    }
    let mut body = Vec::new();
    loop {
        let size = usize::from_str_radix(&busy.line(), 16).expect("a chunk size");
        if size == 0 {
            break;
        }
        body.extend(busy.take(size));
        busy.take(2);
    }
    assert_eq!(String::from_utf8(body).unwrap(), fibonacci_lines(5000));
    assert_eq!(busy.line(), "");
    assert!(busy.is_closed());
    server.stop().expect("a clean shutdown");
}

/// `pygen serve` started with a soft descriptor limit of 32 under a hard
/// one of 128: it raises the soft limit to 128 and sizes its connection
/// limit from it, leaving headroom, so clients past it are answered `503`
/// at once (never left in the backlog) while those it holds are served on;
/// once they close, new clients are served. Both models, since both use
/// the one accept loop (`accept.rs`) and the one worker spawner; one
/// backend each, since the backend plays no part.
#[test]
fn pygen_serve_sizes_its_connection_limit_from_the_descriptor_limit() {
    serve_at_the_descriptor_limit("handler", "baseline");
}

/// The task model at the descriptor limit, as the handler model: it once
/// compared against the unlowered limit and had no spare descriptor, so
/// no `503` ever came and clients waited in the backlog.
#[test]
fn the_task_model_sizes_its_connection_limit_from_the_descriptor_limit() {
    serve_at_the_descriptor_limit("tasks", "nightly");
}

fn serve_at_the_descriptor_limit(model: &str, implementation: &str) {
    const HARD: usize = 128;
    const CLIENTS: usize = 150;
    let address = {
        let probe = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        probe.local_addr().expect("an address")
    };
    let mut server = Command::new("bash")
        .args([
            "-c",
            &format!(
                "ulimit -Sn 32 && ulimit -Hn {HARD} && \
                 exec \"$0\" serve --impl \"$2\" --model \"$3\" --addr \"$1\""
            ),
            env!("CARGO_BIN_EXE_pygen"),
            &address.to_string(),
            implementation,
            model,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start pygen serve");
    let started = Instant::now();
    let mut first = loop {
        match TcpStream::connect(address) {
            Ok(stream) => break stream,
            Err(_) if started.elapsed() < PATIENCE => thread::sleep(Duration::from_millis(20)),
            Err(error) => panic!("pygen serve never listened: {error}"),
        }
    };
    first.write_all(get("/").as_bytes()).expect("send");
    let _ = first.read(&mut [0; 1024]).expect("an answer");
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", server.id()))
        .expect("the server's limits");
    let open_files = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))
        .expect("a descriptor limit")
        .split_whitespace()
        .collect::<Vec<_>>();
    assert_eq!(
        open_files[3..5],
        [HARD.to_string(), HARD.to_string()],
        "{limits}"
    );

    let mut clients: Vec<Client> = (0..CLIENTS).map(|_| Client::connect(address)).collect();
    let mut served = Vec::new();
    let mut turned_away = 0;
    for mut client in clients.drain(..) {
        client.send(get("/"));
        if client.fill() == 0 {
            // Closed at once: the 503 was lost to a reset.
            turned_away += 1;
            continue;
        }
        let reply = client.reply();
        match reply.status {
            200 => served.push(client),
            503 => {
                assert!(reply.closes());
                assert_eq!(reply.header("Retry-After"), Some("1"));
                turned_away += 1;
            }
            status => panic!("status {status}"),
        }
    }
    // Fewer than the limit less the headroom: the 503 comes from the
    // connection limit, before the descriptors run out.
    assert!(served.len() < HARD - 16, "{} served", served.len());
    assert!(!served.is_empty());
    assert_eq!(served.len() + turned_away, CLIENTS);
    for client in &mut served {
        client.send(get("/"));
        assert_eq!(client.reply().status, 200);
    }
    drop(served);
    drop(first);
    let started = Instant::now();
    while fetch_at(address).status != 200 {
        assert!(started.elapsed() < PATIENCE, "never served again");
        thread::sleep(Duration::from_millis(20));
    }
    server.kill().expect("stop pygen serve");
    server.wait().expect("pygen serve stopped");
}

/// `GET /` on a new connection to `address`.
fn fetch_at(address: SocketAddr) -> Reply {
    let mut client = Client::connect(address);
    client.send(get("/"));
    client.reply()
}

// ---------------------------------------------------------------------------

/// One `#[test]` per test function, model and backend:
/// `nightly::handler::hello_world`, `nightly::tasks::hello_world`,
/// `genawaiter::handler::hello_world`, ...
macro_rules! suite {
    ($app:expr) => {
        #[test]
        fn hello_world() {
            crate::hello_world($app)
        }
        #[test]
        fn head_has_headers_only() {
            crate::head_has_headers_only($app)
        }
        #[test]
        fn not_found_and_not_allowed() {
            crate::not_found_and_not_allowed($app)
        }
        #[test]
        fn options_and_unknown_methods() {
            crate::options_and_unknown_methods($app)
        }
        #[test]
        fn unknown_expectations_are_417() {
            crate::unknown_expectations_are_417($app)
        }
        #[test]
        fn header_names_are_capitalised() {
            crate::header_names_are_capitalised($app)
        }
        #[test]
        fn fib_streams_chunked() {
            crate::fib_streams_chunked($app)
        }
        #[test]
        fn fib_streams_a_long_answer() {
            crate::fib_streams_a_long_answer($app)
        }
        #[test]
        fn fib_refuses_a_bad_k() {
            crate::fib_refuses_a_bad_k($app)
        }
        #[test]
        fn echo_with_content_length() {
            crate::echo_with_content_length($app)
        }
        #[test]
        fn echo_with_chunked_body() {
            crate::echo_with_chunked_body($app)
        }
        #[test]
        fn expect_continue() {
            crate::expect_continue($app)
        }
        #[test]
        fn keep_alive_keeps_the_handler() {
            crate::keep_alive_keeps_the_handler($app)
        }
        #[test]
        fn pipelined_responses_keep_their_order() {
            crate::pipelined_responses_keep_their_order($app)
        }
        #[test]
        fn http10() {
            crate::http10($app)
        }
        #[test]
        fn connection_close() {
            crate::connection_close($app)
        }
        #[test]
        fn smuggling_is_refused() {
            crate::smuggling_is_refused($app)
        }
        #[test]
        fn limits_have_their_statuses() {
            crate::limits_have_their_statuses($app)
        }
        #[test]
        fn header_timeout_is_408() {
            crate::header_timeout_is_408($app)
        }
        #[test]
        fn idle_connections_close_quietly() {
            crate::idle_connections_close_quietly($app)
        }
        #[test]
        fn streams_past_the_limit_are_503() {
            crate::streams_past_the_limit_are_503($app)
        }
        #[test]
        fn the_memory_budget_is_shared_by_all_connections() {
            crate::the_memory_budget_is_shared_by_all_connections($app)
        }
        #[test]
        fn the_declared_body_is_charged_before_it_arrives() {
            crate::the_declared_body_is_charged_before_it_arrives($app)
        }
        #[test]
        fn a_head_has_a_hard_deadline() {
            crate::a_head_has_a_hard_deadline($app)
        }
        #[test]
        fn a_body_has_a_minimum_rate_and_a_deadline() {
            crate::a_body_has_a_minimum_rate_and_a_deadline($app)
        }
        #[test]
        fn a_slow_reader_is_cut_off() {
            crate::a_slow_reader_is_cut_off($app)
        }
        #[test]
        fn a_slow_reader_at_the_minimum_rate_gets_everything() {
            crate::a_slow_reader_at_the_minimum_rate_gets_everything($app)
        }
        #[test]
        fn plain_requests_are_answered_among_streams() {
            crate::plain_requests_are_answered_among_streams($app)
        }
        #[test]
        fn aborted_clients_do_not_stop_the_server() {
            crate::aborted_clients_do_not_stop_the_server($app)
        }
        #[test]
        fn many_connections_at_once() {
            crate::many_connections_at_once($app)
        }
        #[test]
        fn shutdown_finishes_responses_in_flight() {
            crate::shutdown_finishes_responses_in_flight($app)
        }
    };
}

/// The handler model's tests, and the one that needs a handler to wrap.
macro_rules! handler_model {
    ($handler:path) => {
        mod handler {
            use super::super::*;
            suite!(Handlers($handler));
            #[test]
            fn a_handler_panic_is_500_for_that_connection_only() {
                crate::a_handler_panic_is_500_for_that_connection_only($handler)
            }
        }
    };
}

mod nightly {
    handler_model!(pygen_nightly::handler);
    mod tasks {
        use super::super::*;
        suite!(Tasks::new(pygen_nightly::tasks::server));
    }
}

mod genawaiter {
    handler_model!(pygen_genawaiter::handler);
    mod tasks {
        use super::super::*;
        suite!(Tasks::new(pygen_genawaiter::tasks::server));
    }
}

mod async_stream {
    handler_model!(pygen_async_stream::handler);
    mod tasks {
        use super::super::*;
        suite!(Tasks::new(pygen_async_stream::tasks::server));
    }
}
