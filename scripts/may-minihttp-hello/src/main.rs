//! may-minihttp-hello: a comparison server for `scripts/load.py`.
//!
//! pygen's target for pipelined requests is "server CPU per request no
//! worse than may_minihttp's". This is may_minihttp's hello-world example
//! (stackful coroutines from the `may` crate, one coroutine per
//! connection) with `may::config().set_workers(1)`, so that its
//! coroutines run on one worker thread, as pygen and hyper-hello run on
//! one. `GET /` answers `200 Hello, World!`; any other path `404`.
//! may_minihttp writes `Server: M`, `Date` and `Content-Length` itself;
//! `Content-Type` is set to match pygen's response. It does not look at
//! the method, and it gathers the responses to pipelined requests into
//! one write.
//!
//! ```text
//! may-minihttp-hello [--addr 127.0.0.1:8081]
//! ```
//!
//! `may` also runs a timer thread of its own (and may_minihttp a
//! coroutine that refreshes the `Date` value twice a second); the load
//! script counts the CPU time of every thread of the process. There is no
//! graceful shutdown: SIGTERM ends the process.

use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;

use may_minihttp::{HttpServer, HttpService, Request, Response};

const USAGE: &str = "usage: may-minihttp-hello [--addr 127.0.0.1:8081]";

/// The application: pygen's `GET /` route, and `404` for the rest.
#[derive(Clone)]
struct Hello;

impl HttpService for Hello {
    fn call(&mut self, request: Request, response: &mut Response) -> io::Result<()> {
        response.header("Content-Type: text/plain; charset=utf-8");
        if request.path() == "/" {
            response.body("Hello, World!");
        } else {
            response.status_code(404, "Not Found");
            response.body("Not Found");
        }
        Ok(())
    }
}

fn main() -> ExitCode {
    let mut addr: SocketAddr = "127.0.0.1:8081".parse().expect("a valid default address");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => match args.next().map(|a| a.parse()) {
                Some(Ok(parsed)) => addr = parsed,
                _ => {
                    eprintln!(
                        "may-minihttp-hello: --addr needs an address like 127.0.0.1:8081\n{USAGE}"
                    );
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("may-minihttp-hello: unknown argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    // One worker thread runs every coroutine: one core, like the others.
    may::config().set_workers(1);
    let server = match HttpServer(Hello).start(addr) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("may-minihttp-hello: cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    // The accept loop runs until the process is killed.
    server.wait();
    ExitCode::SUCCESS
}
