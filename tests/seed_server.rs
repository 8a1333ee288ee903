//! The Python original of the task model, `examples/seed_server.py`,
//! and the same server written with asyncio,
//! `examples/seed_server_asyncio.py`, over real sockets: the same routes
//! as `pygen serve`. Skipped, with a message, where `python3` is missing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long to wait for the server to listen, or for a byte: generous,
/// since it only matters when something is broken.
const PATIENCE: Duration = Duration::from_secs(20);

/// `python3 examples/SCRIPT --port P`, killed when dropped.
struct SeedServer {
    child: Child,
    address: SocketAddr,
}

impl SeedServer {
    fn start(script: &str) -> Option<SeedServer> {
        if Command::new("python3").arg("--version").output().is_err() {
            eprintln!("skipped: python3 is not installed");
            return None;
        }
        // A port the kernel says is free now.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let script = format!("{}/examples/{script}", env!("CARGO_MANIFEST_DIR"));
        let child = Command::new("python3")
            .args([script.as_str(), "--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start python3");
        let server = SeedServer {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let start = Instant::now();
        while TcpStream::connect(server.address).is_err() {
            assert!(
                start.elapsed() < PATIENCE,
                "the Python server never listened"
            );
            thread::sleep(Duration::from_millis(20));
        }
        Some(server)
    }

    fn connect(&self) -> Client {
        let stream = TcpStream::connect(self.address).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("a timeout");
        Client {
            writer: stream.try_clone().expect("clone the stream"),
            reader: BufReader::new(stream),
        }
    }
}

impl Drop for SeedServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
}

struct Client {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Client {
    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("send");
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("read a line");
        assert!(line.ends_with("\r\n"), "a CRLF line: {line:?}");
        line.truncate(line.len() - 2);
        line
    }

    fn reply(&mut self) -> Reply {
        let status_line = self.line();
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("a status line: {status_line:?}"));
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
        if let Some(length) = reply.header("content-length") {
            let mut body = vec![0; length.parse().expect("a length")];
            self.reader.read_exact(&mut body).expect("the body");
            reply.body = body;
        } else if reply.header("transfer-encoding") == Some("chunked") {
            loop {
                let size = usize::from_str_radix(&self.line(), 16).expect("a chunk size");
                if size == 0 {
                    assert_eq!(self.line(), "");
                    break;
                }
                let mut chunk = vec![0; size];
                self.reader.read_exact(&mut chunk).expect("a chunk");
                reply.body.extend(chunk);
                assert_eq!(self.line(), "");
            }
        }
        reply
    }
}

fn get(target: &str) -> String {
    format!("GET {target} HTTP/1.1\r\nHost: test\r\n\r\n")
}

#[test]
fn the_python_original_serves_the_routes() {
    if let Some(server) = SeedServer::start("seed_server.py") {
        serves_the_routes(&server);
    }
}

#[test]
fn the_asyncio_version_serves_the_same_routes() {
    if let Some(server) = SeedServer::start("seed_server_asyncio.py") {
        serves_the_routes(&server);
        // A request head past the limit is refused, and the server goes on.
        let mut client = server.connect();
        client.send(&format!(
            "GET / HTTP/1.1\r\nX-Long: {}\r\n\r\n",
            "a".repeat(10_000)
        ));
        assert_eq!(client.reply().status, 431);
        let mut other = server.connect();
        other.send(&get("/fib?n=5"));
        assert_eq!(other.reply().text(), "0\n1\n1\n2\n3\n");
    }
}

/// The routes, keep-alive, pipelining and a second client, as `pygen
/// serve` answers them.
fn serves_the_routes(server: &SeedServer) {
    let mut client = server.connect();

    client.send(&get("/"));
    let reply = client.reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "Hello, World!");
    assert_eq!(reply.header("x-request-count"), Some("1"));

    // Keep-alive: the same connection, the same task, counting.
    client.send(&get("/fib?n=10"));
    let reply = client.reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("transfer-encoding"), Some("chunked"));
    assert_eq!(reply.text(), "0\n1\n1\n2\n3\n5\n8\n13\n21\n34\n");
    assert_eq!(reply.header("x-request-count"), Some("2"));

    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello");
    let reply = client.reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "hello");

    client.send(&get("/nowhere"));
    assert_eq!(client.reply().status, 404);

    client.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n");
    let reply = client.reply();
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("GET, HEAD"));

    // Pipelined, answered in order.
    client.send(&format!("{}{}", get("/fib?n=3"), get("/")));
    assert_eq!(client.reply().text(), "0\n1\n1\n");
    let last = client.reply();
    assert_eq!(last.text(), "Hello, World!");
    assert_eq!(last.header("x-request-count"), Some("7"));

    // A second client at the same time is its own task.
    let mut other = server.connect();
    other.send(&get("/"));
    assert_eq!(other.reply().header("x-request-count"), Some("1"));
}
