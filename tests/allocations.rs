//! A warm server allocates nothing to answer `GET /`: counted, not
//! guessed.
//!
//! The server runs on a thread of its own that counts its allocations
//! (`pygen::measure::CountingAllocator`, installed here as this test
//! binary's allocator); the client runs on the test's thread, which is not
//! counted. After a warm-up (the first requests fill the thread's spare
//! buffers, see `crates/http/src/recycle.rs`), a thousand more requests on
//! kept-alive connections, one at a time and pipelined, must not allocate
//! once: the request's head goes into buffers the last request gave back,
//! the response's header lines and output buffer likewise, and its body and
//! `X-Request-Count` need no heap at all.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Mutex;
use std::thread;

use pygen::measure::{Allocations, CountingAllocator, count_this_thread};
use pygen_http::{Handler, Server};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// The count is process-wide: one counted server at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: allocations-test\r\n\r\n";

/// A client on kept-alive connections.
struct Client {
    connections: Vec<TcpStream>,
    /// What has been read and not yet matched to a response.
    unread: Vec<u8>,
}

impl Client {
    fn connect(address: std::net::SocketAddr, count: usize) -> Client {
        let connections = (0..count)
            .map(|_| TcpStream::connect(address).expect("connect"))
            .collect();
        Client {
            connections,
            unread: Vec::new(),
        }
    }

    /// Send `depth` requests at once on every connection, and read every
    /// answer.
    fn round(&mut self, depth: usize) {
        let batch = GET.repeat(depth);
        for connection in &mut self.connections {
            connection.write_all(&batch).expect("write");
        }
        for index in 0..self.connections.len() {
            self.read_answers(index, depth);
        }
    }

    fn read_answers(&mut self, index: usize, mut wanted: usize) {
        const END: &[u8] = b"\r\n\r\nHello, World!";
        self.unread.clear();
        let mut buffer = [0u8; 16 * 1024];
        while wanted > 0 {
            let count = self.connections[index].read(&mut buffer).expect("read");
            assert!(count > 0, "the server closed the connection");
            self.unread.extend_from_slice(&buffer[..count]);
            while let Some(at) = self.unread.windows(END.len()).position(|w| w == END) {
                assert!(self.unread.starts_with(b"HTTP/1.1 200 OK\r\n"));
                self.unread.drain(..at + END.len());
                wanted -= 1;
            }
        }
        assert!(self.unread.is_empty(), "nothing was answered twice");
    }
}

/// Allocations the server makes for `rounds` rounds of `depth` requests on
/// each of `connections` connections, once warmed up by as many.
fn allocations_answering<H: Handler + 'static>(
    make_handler: fn() -> H,
    connections: usize,
    depth: usize,
    rounds: usize,
) -> u64 {
    counted_rounds(
        move |server| server.serve(make_handler),
        connections,
        depth,
        rounds,
        true,
    )
}

/// Allocations a server run by `serve` makes for `rounds` rounds of `depth`
/// requests on each of `connections` connections; after as many rounds
/// first, if `warm_up`.
fn counted_rounds(
    serve: impl FnOnce(Server) -> std::io::Result<()> + Send + 'static,
    connections: usize,
    depth: usize,
    rounds: usize,
    warm_up: bool,
) -> u64 {
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let server = Server::from_listener(listener);
    let shutdown = server.shutdown_handle();
    let serving = thread::spawn(move || {
        count_this_thread();
        serve(server)
    });

    let mut client = Client::connect(address, connections);
    for _ in 0..if warm_up { rounds } else { 0 } {
        client.round(depth);
    }
    let before = Allocations::now();
    for _ in 0..rounds {
        client.round(depth);
    }
    let allocations = before.since().count;

    shutdown.trigger();
    drop(client);
    serving.join().expect("server thread").expect("serve");
    allocations
}

macro_rules! zero_allocation_tests {
    ($($name:ident: $handler:path;)*) => {
        mod keep_alive_get {
            $(
                #[test]
                fn $name() {
                    let allocations = super::allocations_answering($handler, 8, 1, 125);
                    assert_eq!(allocations, 0, "allocations for 1,000 warm `GET /`");
                }
            )*
        }

        mod pipelined_get {
            $(
                #[test]
                fn $name() {
                    let allocations = super::allocations_answering($handler, 4, 16, 16);
                    assert_eq!(allocations, 0, "allocations for 1,024 warm pipelined `GET /`");
                }
            )*
        }
    };
}

zero_allocation_tests! {
    nightly: pygen_nightly::handler;
    genawaiter: pygen_genawaiter::handler;
    async_stream: pygen_async_stream::handler;
    baseline: pygen_http::BaselineHandler::new;
}

/// The task model, where each connection is a generator task doing its
/// own I/O through the scheduler: its `Send`s carry spare buffers and the
/// scheduler gives them back once written, as it does the bytes a `Recv`
/// hands over, so in nightly a warm `GET /` allocates nothing, one at a
/// time or pipelined. genawaiter and async-stream allocate two per
/// request: the `read_request` generator each request delegates to, which
/// those libraries put on the heap (its state, and the slot it shares with
/// its caller). Counted here so that the figures cannot grow unseen.
#[test]
fn the_task_model_allocates_a_bounded_few_per_request() {
    type Serve = fn(Server) -> std::io::Result<()>;
    let models: [(&str, Serve, f64); 3] = [
        (
            "nightly",
            |server| server.serve_tasks(pygen_nightly::tasks::server),
            0.0,
        ),
        (
            "genawaiter",
            |server| server.serve_tasks(pygen_genawaiter::tasks::server),
            2.0,
        ),
        (
            "async-stream",
            |server| server.serve_tasks(pygen_async_stream::tasks::server),
            2.0,
        ),
    ];
    for (name, serve, most) in models {
        for (connections, depth, rounds) in [(8, 1, 125), (4, 16, 16)] {
            let requests = (connections * depth * rounds) as f64;
            let allocations = counted_rounds(serve, connections, depth, rounds, true);
            let per_request = allocations as f64 / requests;
            println!("{name} tasks: {per_request} allocations per GET /, {depth} at a time");
            // A task starts on its next request (a new `read_request`) as
            // soon as its answer is sent, before the client has read it:
            // so at each edge of the window, each connection's allocations
            // for a request (up to 2 of them) may fall on either side.
            // With none per request, there are none at the edges either.
            let edges = if most == 0.0 {
                0.0
            } else {
                (2 * connections) as f64 / requests
            };
            assert!(per_request <= most + edges, "{name}: {per_request}");
        }
    }
}

/// The counter counts: the same server, cold, does allocate (for its
/// connections, their handlers, and the first buffers).
#[test]
fn a_cold_server_is_seen_to_allocate() {
    let serve = |server: Server| server.serve(pygen_nightly::handler);
    assert!(counted_rounds(serve, 2, 1, 1, false) > 0);
}
