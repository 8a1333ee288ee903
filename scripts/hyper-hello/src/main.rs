//! hyper-hello: the comparison server for `scripts/load.py`.
//!
//! pygen's target for its send-driven HTTP server is "server CPU per
//! request no worse than hyper 1.x on one tokio thread, on keep-alive".
//! This is that hyper server, written the way hyper's own examples write
//! it: a current-thread tokio runtime (one thread does everything),
//! `hyper::server::conn::http1` per connection, and a `service_fn` that
//! answers `GET /` (and `HEAD /`) with `200 Hello, World!` and anything
//! else with `404`. hyper adds the `date` and `content-length` headers
//! itself; `content-type` is set to match pygen's response.
//!
//! ```text
//! hyper-hello [--addr 127.0.0.1:8081] [--no-pipeline-flush]
//! ```
//!
//! `pipeline_flush` is on by default: with it hyper gathers the responses
//! to pipelined requests into one write, as pygen's event loop does, so
//! the pipelined comparison is with hyper at its best.
//! `--no-pipeline-flush` gives hyper's default (one write per response).
//!
//! SIGINT or SIGTERM stops the accept loop and the process exits; open
//! connections are dropped (the load script stops it only after `wrk` has
//! finished).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::ExitCode;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};

const USAGE: &str = "usage: hyper-hello [--addr 127.0.0.1:8081] [--no-pipeline-flush]";

/// The application: pygen's `GET /` route, and `404` for the rest.
async fn hello(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let found =
        matches!(*request.method(), Method::GET | Method::HEAD) && request.uri().path() == "/";
    let (status, body): (StatusCode, &'static [u8]) = if found {
        (StatusCode::OK, b"Hello, World!")
    } else {
        (StatusCode::NOT_FOUND, b"Not Found")
    };
    let mut response = Response::new(Full::new(Bytes::from_static(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Ok(response)
}

fn main() -> ExitCode {
    let mut addr: SocketAddr = "127.0.0.1:8081".parse().expect("a valid default address");
    let mut pipeline_flush = true;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => match args.next().map(|a| a.parse()) {
                Some(Ok(parsed)) => addr = parsed,
                _ => {
                    eprintln!("hyper-hello: --addr needs an address like 127.0.0.1:8081\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--no-pipeline-flush" => pipeline_flush = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("hyper-hello: unknown argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("hyper-hello: cannot start tokio: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(addr, pipeline_flush)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("hyper-hello: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Accept until SIGINT or SIGTERM; one task per connection, all on this
/// thread.
async fn serve(addr: SocketAddr, pipeline_flush: bool) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // EMFILE and friends: skip this one, keep serving.
                Err(_) => continue,
            },
            _ = terminate.recv() => return Ok(()),
            _ = interrupt.recv() => return Ok(()),
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .pipeline_flush(pipeline_flush)
                .serve_connection(TokioIo::new(stream), service_fn(hello))
                .await;
        });
    }
}
