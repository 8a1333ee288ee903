//! The server at the file-descriptor limit, over real sockets.
//!
//! A test binary of its own, with one test: the descriptor limit belongs
//! to the whole process, and this test lowers it and then fills the
//! descriptor table on purpose, which would break any test running beside
//! it.
//!
//! The clients live in this process too, so each needs a descriptor. They
//! are all made before the table is filled, and connecting one then costs
//! nothing; only the server's `accept` needs a free descriptor. With the
//! table full but for a few, the server serves as many clients as there
//! are free descriptors and must answer the rest at once (`503`, or a
//! close), never leave them waiting in the backlog; the clients it serves
//! go on being served, and once descriptors are free again so is everyone.

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::thread;
use std::time::Duration;

use pygen_http::{BaselineHandler, Server};
use rlimit::Resource;
use socket2::{Domain, Socket, Type};

/// How long a client waits for a byte before the test fails. Generous: it
/// only matters when something is broken (a client left in the backlog).
const PATIENCE: Duration = Duration::from_secs(20);

const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: t\r\n\r\n";

/// What became of a client.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    /// `200`, and the connection stays open.
    Served,
    /// `503` and a close.
    Unavailable,
    /// Closed (or reset) without an answer.
    Closed,
}

/// Read one response head (and its `Content-Length` body) from `stream`.
fn answer(stream: &mut Socket) -> Answer {
    let mut bytes = Vec::new();
    let mut buffer = [0; 1024];
    loop {
        let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n");
        if let Some(end) = head_end {
            let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("Content-Length: "))
                .map_or(0, |n| n.parse().unwrap());
            if bytes.len() >= end + 4 + length {
                return if head.starts_with("HTTP/1.1 200 ") {
                    Answer::Served
                } else if head.starts_with("HTTP/1.1 503 ") {
                    Answer::Unavailable
                } else {
                    panic!("unexpected response {head:?}")
                };
            }
        }
        match stream.read(&mut buffer) {
            Ok(0) => return Answer::Closed,
            Ok(count) => bytes.extend_from_slice(&buffer[..count]),
            Err(error) if error.kind() == io::ErrorKind::ConnectionReset => {
                return Answer::Closed;
            }
            Err(error) => panic!("waiting for an answer: {error} (left in the backlog?)"),
        }
    }
}

fn client() -> Socket {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket
}

fn request(socket: &mut Socket) -> Answer {
    socket.write_all(GET).unwrap();
    answer(socket)
}

#[test]
fn out_of_descriptors_clients_are_answered_at_once_and_serving_goes_on() {
    // A low soft limit under a higher hard one: the server raises it.
    let (_, hard) = rlimit::getrlimit(Resource::NOFILE).unwrap();
    let hard = hard.min(256);
    rlimit::setrlimit(Resource::NOFILE, 64, hard).unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address: SocketAddr = listener.local_addr().unwrap();
    let server = Server::from_listener(listener);
    let shutdown = server.shutdown_handle();
    let thread = thread::spawn(move || server.serve(BaselineHandler::new));

    // Once it answers, it has started: its limit is raised.
    let mut first = client();
    first.connect(&address.into()).unwrap();
    assert_eq!(request(&mut first), Answer::Served);
    assert_eq!(rlimit::getrlimit(Resource::NOFILE).unwrap(), (hard, hard));

    // Every client's descriptor, made now; then the table filled, all
    // but `FREE` descriptors.
    const CLIENTS: usize = 24;
    const FREE: usize = 4;
    let mut clients: Vec<Socket> = (0..CLIENTS).map(|_| client()).collect();
    let mut filler = Vec::new();
    loop {
        match File::open("/dev/null") {
            Ok(file) => filler.push(file),
            Err(error) if error.raw_os_error() == Some(libc::EMFILE) => break,
            Err(error) => panic!("filling the descriptor table: {error}"),
        }
    }
    filler.truncate(filler.len() - FREE);

    // The server takes what is free; everyone else is answered at once.
    for socket in &mut clients {
        socket.connect(&address.into()).unwrap();
        let _ = socket.write_all(GET);
    }
    let answers: Vec<Answer> = clients.iter_mut().map(answer).collect();
    let served = answers.iter().filter(|a| **a == Answer::Served).count();
    let unavailable = answers
        .iter()
        .filter(|a| **a == Answer::Unavailable)
        .count();
    assert!(served <= FREE, "{answers:?}");
    assert!(unavailable > 0, "{answers:?}");

    // The connections already held are served on, during and after.
    assert_eq!(request(&mut first), Answer::Served);
    for (socket, answer) in clients.iter_mut().zip(&answers) {
        if *answer == Answer::Served {
            assert_eq!(request(socket), Answer::Served);
        }
    }

    // Descriptors free again: new clients are served.
    drop(filler);
    drop(clients);
    for _ in 0..3 {
        let mut late = client();
        late.connect(&address.into()).unwrap();
        assert_eq!(request(&mut late), Answer::Served);
    }
    drop(first);

    shutdown.trigger();
    thread.join().unwrap().unwrap();
}
