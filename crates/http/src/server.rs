//! [`Server`] and [`run`]: listening sockets, worker threads, signals.
//!
//! One event loop is one thread. To use more cores, `--workers N` runs N
//! loops, each with its own listening socket bound to the same address
//! with `SO_REUSEPORT`. The kernel then spreads incoming connections over
//! the N sockets; the loops share nothing and never contend for a lock.
//!
//! `SO_REUSEPORT` lets any process of the same user bind the same port
//! too, which would hide a second server started by mistake, so it is only
//! set when there is more than one worker.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::thread;

use socket2::{Domain, Protocol, Socket, Type};
use tracing::{error, info};

use crate::budget;
use crate::event_loop::serve_loop;
use crate::fd_limit;
use crate::signals::SignalListener;
use crate::{Config, Handler, Shutdown};

/// How many connections may wait in the kernel to be accepted (the kernel
/// caps it at `net.core.somaxconn`).
const BACKLOG: i32 = 4096;

/// A bound server, not yet serving: its listeners, limits and shutdown
/// handle.
///
/// ```
/// use std::net::TcpListener;
/// use pygen_http::{BaselineHandler, Server};
///
/// let server = Server::from_listener(TcpListener::bind("127.0.0.1:0")?);
/// let address = server.local_addr()?;
/// let shutdown = server.shutdown_handle();
/// let thread = std::thread::spawn(move || server.serve(BaselineHandler::new));
/// // ... clients talk to `address` ...
/// shutdown.trigger();
/// thread.join().expect("the server thread panicked")?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct Server {
    listeners: Vec<TcpListener>,
    config: Config,
    shutdown: Shutdown,
}

impl Server {
    /// Bind `workers` listening sockets (at least one) to `address`. With
    /// port 0 the kernel picks a port, and every worker gets the same one.
    pub fn bind(address: SocketAddr, workers: usize) -> io::Result<Server> {
        let workers = workers.max(1);
        let reuse_port = workers > 1;
        let first = listen(address, reuse_port)?;
        let address = first.local_addr()?;
        let mut listeners = vec![first];
        for _ in 1..workers {
            listeners.push(listen(address, reuse_port)?);
        }
        Ok(Server::from_listeners(listeners))
    }

    /// Serve a listener made elsewhere, with one worker: how tests bind
    /// `127.0.0.1:0` and hand the listener in.
    pub fn from_listener(listener: TcpListener) -> Server {
        Server::from_listeners(vec![listener])
    }

    /// Serve several listeners, one worker each.
    pub fn from_listeners(listeners: Vec<TcpListener>) -> Server {
        Server {
            listeners,
            config: Config::default(),
            shutdown: Shutdown::new(),
        }
    }

    /// Use these limits and timeouts instead of the defaults.
    pub fn with_config(mut self, config: Config) -> Server {
        self.config = config;
        self
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        match self.listeners.first() {
            Some(listener) => listener.local_addr(),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "no listener")),
        }
    }

    /// Serve until SIGINT or SIGTERM, logging the address once listening:
    /// [`run`] for a server already bound, so that a caller can report a
    /// failure to bind before it logs anything else.
    pub fn run<H, F>(self, make_handler: F) -> io::Result<()>
    where
        H: Handler,
        F: Fn() -> H + Sync,
    {
        let signals = SignalListener::start(self.shutdown_handle())?;
        info!(
            address = %self.local_addr()?,
            workers = self.workers(),
            "listening"
        );
        let result = self.for_the_process().serve(make_handler);
        drop(signals);
        result
    }

    /// Ready to be the whole process ([`Server::run`], [`Server::run_tasks`]):
    /// the memory budget is then the process's resident memory, so what it
    /// holds already is taken off it, and the allocator is told to give
    /// large buffers back when they are freed.
    pub(crate) fn for_the_process(mut self) -> Server {
        budget::return_large_buffers();
        self.config.memory_budget = budget::less_resident(self.config.memory_budget);
        self
    }

    /// How many event loops (and listeners) the server runs.
    pub fn workers(&self) -> usize {
        self.listeners.len()
    }

    /// A handle that stops the server from another thread.
    pub fn shutdown_handle(&self) -> Shutdown {
        self.shutdown.clone()
    }

    /// Serve until the shutdown handle is triggered: one event loop per
    /// listener, the first on this thread and the others on threads of
    /// their own. `make_handler` is called once per connection, on the
    /// worker that accepted it, so a handler need not be `Send`.
    ///
    /// First the file-descriptor limit is raised to its hard limit, and
    /// each loop's connection limit sized from it: the loops share the
    /// process's descriptors evenly, as `SO_REUSEPORT` shares connections.
    ///
    /// If one worker fails, the others are shut down and its error is
    /// returned.
    pub fn serve<H, F>(self, make_handler: F) -> io::Result<()>
    where
        H: Handler,
        F: Fn() -> H + Sync,
    {
        self.on_workers("pygen-http-worker", "event loop", |listener, share| {
            serve_loop(
                listener,
                share.config,
                share.max_connections,
                share.loops,
                share.shutdown,
                &make_handler,
            )
        })
    }

    /// Run `worker` once per listener, the first on this thread and the
    /// others on threads of their own named `name-N`: the one worker
    /// spawner of both serving models. First the file-descriptor limit is
    /// raised and each loop's connection limit sized from it
    /// ([`fd_limit::connections_per_loop`]). If one worker fails, the
    /// others are shut down and its error is returned.
    pub(crate) fn on_workers<W>(self, name: &str, what: &str, worker: W) -> io::Result<()>
    where
        W: Fn(TcpListener, &Share<'_>) -> io::Result<()> + Sync,
    {
        let Server {
            listeners,
            config,
            shutdown,
        } = self;
        let loops = listeners.len();
        let share = Share {
            config: &config,
            max_connections: fd_limit::connections_per_loop(config.max_connections, loops),
            loops,
            shutdown: &shutdown,
        };
        let run = |listener: TcpListener| {
            let result = worker(listener, &share);
            if let Err(error) = &result {
                error!(%error, "{what} failed; shutting the server down");
                shutdown.trigger();
            }
            result
        };
        let mut listeners = listeners.into_iter();
        let Some(first) = listeners.next() else {
            return Ok(());
        };
        thread::scope(|scope| {
            let threads = listeners
                .enumerate()
                .map(|(index, listener)| {
                    thread::Builder::new()
                        .name(format!("{name}-{}", index + 1))
                        .spawn_scoped(scope, || run(listener))
                })
                .collect::<io::Result<Vec<_>>>();
            let threads = match threads {
                Ok(threads) => threads,
                Err(error) => {
                    shutdown.trigger();
                    return Err(error);
                }
            };
            let mut result = run(first);
            for thread in threads {
                let outcome = thread
                    .join()
                    .unwrap_or_else(|_| Err(io::Error::other("a worker thread panicked")));
                result = result.and(outcome);
            }
            result
        })
    }
}

/// What each worker's loop shares with the others, besides its own
/// listener.
pub(crate) struct Share<'a> {
    pub(crate) config: &'a Config,
    /// This loop's connection limit: [`Config::max_connections`], lowered
    /// to its share of what the descriptor limit leaves.
    pub(crate) max_connections: usize,
    /// How many loops share the server's limits.
    pub(crate) loops: usize,
    pub(crate) shutdown: &'a Shutdown,
}

/// One listening socket, with `SO_REUSEPORT` if asked.
fn listen(address: SocketAddr, reuse_port: bool) -> io::Result<TcpListener> {
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    // Rebinding right after a restart must not fail because of connections
    // from the previous run still in TIME_WAIT.
    socket.set_reuse_address(true)?;
    if reuse_port {
        socket.set_reuse_port(true)?;
    }
    socket.bind(&address.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

/// Serve `address` with `workers` event loops until SIGINT or SIGTERM:
/// the entry point of `pygen serve`.
///
/// The first signal stops accepting and lets responses in flight finish
/// (within [`Config::shutdown_timeout`]); a second one drops everything.
/// Returns `Ok(())` after a clean shutdown, and an error if the address
/// cannot be bound or an event loop fails. Logs go through `tracing`; the
/// caller installs a subscriber to see them.
///
/// ```no_run
/// use pygen_http::{BaselineHandler, run};
///
/// run("127.0.0.1:8080".parse().unwrap(), 2, BaselineHandler::new)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn run<H, F>(address: SocketAddr, workers: usize, make_handler: F) -> io::Result<()>
where
    H: Handler,
    F: Fn() -> H + Sync,
{
    run_with_config(address, workers, Config::default(), make_handler)
}

/// [`run`], with limits and timeouts other than the defaults.
pub fn run_with_config<H, F>(
    address: SocketAddr,
    workers: usize,
    config: Config,
    make_handler: F,
) -> io::Result<()>
where
    H: Handler,
    F: Fn() -> H + Sync,
{
    Server::bind(address, workers)?
        .with_config(config)
        .run(make_handler)
}
