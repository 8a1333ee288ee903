//! The file-descriptor limit: raised at start, the connection limit sized
//! from it, and what happens when it is reached anyway.
//!
//! Every connection is a file descriptor, and a process may hold only
//! `RLIMIT_NOFILE` of them: often 1,024 by default (the soft limit), while
//! the hard limit an unprivileged process may raise it to is far higher.
//! A server that does not mind this runs out of descriptors long before
//! it reaches its own connection limit, and then `accept` fails with
//! `EMFILE`: the connection stays in the kernel's backlog, and its client
//! waits, without an answer, until some other connection closes.
//!
//! So, at start, the server:
//!
//! 1. raises the soft limit to the hard limit ([`raise_fd_limit`]);
//! 2. sizes each event loop's connection limit from it
//!    ([`connections_per_loop`]), after what the process already holds,
//!    each loop's own descriptors and some headroom, so that the `503` of
//!    [`Config::max_connections`](crate::Config::max_connections) comes
//!    before the descriptors run out;
//! 3. keeps one spare descriptor per loop ([`Spare`]). If `accept` fails
//!    with `EMFILE` or `ENFILE` all the same (a handler opened files, the
//!    headroom was not enough), the loop closes the spare, accepts the
//!    waiting connection with the freed descriptor, answers it `503` and
//!    closes it ([`turn_away`]), and takes the spare back: clients are
//!    answered at once instead of left in the backlog, and the loop never
//!    spins on a listener it cannot drain.

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::Shutdown;

use mio::net::{TcpListener, TcpStream};

/// What a connection gets when it cannot be served: the loop holds
/// [`Config::max_connections`](crate::Config::max_connections), or the
/// process is out of file descriptors.
const FULL: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// Descriptors an event loop holds besides its listener and connections:
/// its poller (epoll), its waker (an eventfd) and its [`Spare`].
const PER_LOOP: u64 = 3;

/// What a turned-away connection's request is read (and dropped) up to,
/// before closing: closing a socket with unread bytes sends a reset, which
/// can destroy the `503` before the client reads it.
const DRAIN_BYTES: usize = 16 * 1024;

/// Raise the soft `RLIMIT_NOFILE` to the hard limit, and return the soft
/// limit now in force (the old one if raising failed). Raising is what
/// every server does at start: the hard limit is what the administrator
/// allows; the low soft default exists for old programs that use
/// `select()`, which cannot watch descriptors above 1,023 (epoll has no
/// such bound).
pub fn raise_fd_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            let limit = rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft);
            tracing::warn!(%error, limit, "could not raise the file descriptor limit");
            limit
        }
    }
}

/// Raise the descriptor limit ([`raise_fd_limit`]) and work out how many
/// connections each of `loops` event loops may hold: what the limit leaves
/// after the descriptors open now (standard streams, listeners, logs),
/// each loop's own and some headroom; never more than `max_connections`.
pub fn connections_per_loop(max_connections: usize, loops: usize) -> usize {
    let limit = raise_fd_limit();
    let open = open_descriptors();
    let per_loop = budget(limit, open, loops, max_connections);
    tracing::debug!(
        fd_limit = limit,
        open,
        loops,
        per_loop,
        "connection limit sized from the file descriptor limit"
    );
    if per_loop < max_connections {
        tracing::info!(
            fd_limit = limit,
            max_connections = per_loop,
            "the file descriptor limit lowers the connection limit"
        );
    }
    per_loop
}

/// The arithmetic of [`connections_per_loop`]: `limit` descriptors, of
/// which `open` are taken, shared by `loops` loops. The headroom for
/// descriptors opened later (by a handler, a log file) is a sixteenth of
/// the limit, between 16 and 256. At least one connection per loop.
pub(crate) fn budget(limit: u64, open: usize, loops: usize, max_connections: usize) -> usize {
    let loops = loops.max(1) as u64;
    let headroom = (limit / 16).clamp(16, 256);
    let taken = open as u64 + loops * PER_LOOP + headroom;
    let per_loop = limit.saturating_sub(taken) / loops;
    usize::try_from(per_loop)
        .unwrap_or(usize::MAX)
        .clamp(1, max_connections.max(1))
}

/// How many descriptors the process holds now: the entries of
/// `/proc/self/fd` (Linux) or `/dev/fd`, less the one reading it. If
/// neither can be read, a guess.
fn open_descriptors() -> usize {
    ["/proc/self/fd", "/dev/fd"]
        .into_iter()
        .find_map(|dir| std::fs::read_dir(dir).ok())
        .map_or(16, |entries| entries.count().saturating_sub(1))
}

/// Whether `accept` failed because the process (`EMFILE`) or the system
/// (`ENFILE`) has no file descriptor to spare.
pub fn is_out_of_descriptors(error: &io::Error) -> bool {
    matches!(error.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
}

/// Answer a connection the server will not serve: `503`, then close.
/// Its write side is shut first and what the client already sent is
/// drained, so that the close is a FIN and not a reset that could destroy
/// the answer before the client reads it.
pub fn turn_away(mut socket: TcpStream) {
    let _ = socket.write(FULL);
    let _ = socket.shutdown(Shutdown::Write);
    let mut buffer = [0; 4096];
    let mut drained = 0;
    while drained < DRAIN_BYTES {
        match socket.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(count) => drained += count,
        }
    }
}

/// One descriptor kept open for the moment the process runs out: closed
/// to make room to accept a waiting connection and turn it away, then
/// opened again.
#[derive(Debug)]
pub struct Spare(Option<File>);

impl Spare {
    /// Take a spare descriptor (`/dev/null`, opened for nothing).
    pub fn new() -> Spare {
        Spare(open_spare())
    }

    /// Turn away one connection waiting on `listener` with the spare's
    /// descriptor.
    pub fn turn_away_one(&mut self, listener: &TcpListener) -> TurnedAway {
        if self.0.take().is_none() {
            self.0 = open_spare();
            return TurnedAway::NoSpare;
        }
        let outcome = match listener.accept() {
            Ok((socket, _)) => {
                turn_away(socket);
                TurnedAway::One
            }
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => TurnedAway::NoneWaiting,
            // Another thread took the freed descriptor, or the client gave
            // up: nothing to do but try again later.
            Err(_) => TurnedAway::NoSpare,
        };
        self.0 = open_spare();
        outcome
    }
}

/// What [`Spare::turn_away_one`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TurnedAway {
    /// A connection was answered `503` and closed.
    One,
    /// The backlog is empty.
    NoneWaiting,
    /// There was no spare descriptor (it is taken back when one is free),
    /// or the accept failed all the same.
    NoSpare,
}

fn open_spare() -> Option<File> {
    File::open("/dev/null").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_leaves_room_for_what_is_open_and_headroom() {
        // 1,024: 64 headroom, 10 open, 3 for the loop.
        assert_eq!(budget(1024, 10, 1, 100_000), 1024 - 10 - 3 - 64);
        // Shared by four loops.
        assert_eq!(budget(1024, 10, 4, 100_000), (1024 - 10 - 12 - 64) / 4);
        // A high limit: headroom at most 256, and max_connections caps it.
        assert_eq!(budget(1 << 20, 10, 1, 100_000), 100_000);
        assert_eq!(budget(20_000, 10, 1, 100_000), 20_000 - 10 - 3 - 256);
        // A tiny limit still lets one connection in.
        assert_eq!(budget(16, 10, 1, 100_000), 1);
        assert_eq!(budget(64, 5, 1, 100_000), 64 - 5 - 3 - 16);
    }

    #[test]
    fn the_limit_is_raised_to_the_hard_limit() {
        let limit = raise_fd_limit();
        let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
        assert_eq!(limit, soft);
        assert!(soft == hard || cfg!(target_os = "macos"));
    }

    #[test]
    fn descriptors_are_counted() {
        let before = open_descriptors();
        let files: Vec<File> = (0..5).map(|_| open_spare().unwrap()).collect();
        assert!(open_descriptors() >= before + 5);
        drop(files);
    }

    #[test]
    fn emfile_and_enfile_are_out_of_descriptors() {
        assert!(is_out_of_descriptors(&io::Error::from_raw_os_error(
            libc::EMFILE
        )));
        assert!(is_out_of_descriptors(&io::Error::from_raw_os_error(
            libc::ENFILE
        )));
        assert!(!is_out_of_descriptors(&io::Error::from_raw_os_error(
            libc::ECONNABORTED
        )));
    }
}
