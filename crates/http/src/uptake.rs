//! What a client has *taken* of a response, as the kernel counts it.
//!
//! A response's minimum rate ([`Config::min_transfer_rate`] over each
//! [`Config::write_timeout`]) is a promise to the client: read at least
//! this fast and you get the whole response. Counting the bytes the
//! server hands to `write` cannot keep that promise. The kernel's send
//! buffer grows to several megabytes on a fast path (4 MiB on loopback
//! here), so a stream fills it in a second, and then `write` takes
//! nothing until the client has drained about half of it: a client
//! reading a steady 16 KiB/s sees no `write` for two minutes, and a rate
//! judged on writes closed it after one window, 30 s, with most of its
//! response unsent. That was data lost for a legal client.
//!
//! So when a window ends with output still waiting, the judge asks the
//! kernel instead: `ioctl(SIOCOUTQ)` says how many written bytes are still
//! in the socket's send queue (not yet acknowledged by the client's side),
//! and the bytes written less those are what the client has taken. The
//! question costs a system call, and is asked only where a client is slow:
//! when a write is refused for the first time in a wait (the send buffer
//! is full) and when a window ends with output left. The fast path, where
//! every write is taken whole, never asks.
//!
//! "Taken" is what the client's kernel has acknowledged: it includes what
//! sits in the client's receive buffer unread, a bounded credit given
//! once, after which the count moves only as the client's program reads.
//!
//! The rule, for both serving models: from the first refused write of a
//! wait (the mark), the client must have taken at least the minimum rate
//! times the time since the mark, and at least one byte, each time a
//! window ends; then the mark moves to that moment and the response gets
//! another window. A client that takes nothing is closed when its window
//! ends, as before.
//!
//! [`Config::min_transfer_rate`]: crate::Config::min_transfer_rate
//! [`Config::write_timeout`]: crate::Config::write_timeout

use std::os::fd::AsRawFd;
use std::time::Instant;

/// A socket's written bytes, and what its client had taken at the mark.
#[derive(Debug, Default)]
pub(crate) struct Uptake {
    /// Bytes written to the socket since it was opened.
    written: u64,
    /// When the current look at the client began, and what it had taken
    /// then; `None` until a write is refused in the current wait.
    mark: Option<(Instant, u64)>,
}

impl Uptake {
    /// `count` more bytes were written to the socket.
    #[inline]
    pub(crate) fn wrote(&mut self, count: usize) {
        self.written += count as u64;
    }

    /// A new wait begins (a new response, or no response at all): what
    /// the client took before it says nothing about this one.
    #[inline]
    pub(crate) fn forget(&mut self) {
        self.mark = None;
    }

    /// The socket refused a write: its send buffer is full. If this wait
    /// has no mark yet, note what the client has taken so far.
    pub(crate) fn blocked(&mut self, socket: &impl AsRawFd, now: Instant) {
        if self.mark.is_none() {
            self.mark = self.taken(socket).map(|taken| (now, taken));
        }
    }

    /// A write window ended with output still waiting. Has the client
    /// taken at least `rate` bytes a second (and at least one byte) since
    /// the mark? If so, the mark moves to `now` and the caller gives the
    /// response another window; if not (or there is no mark: the socket
    /// never refused a write, so the client is not what held it up), the
    /// caller closes the connection as before.
    pub(crate) fn kept_up(&mut self, socket: &impl AsRawFd, now: Instant, rate: usize) -> bool {
        let Some((since, then)) = self.mark else {
            return false;
        };
        let Some(taken) = self.taken(socket) else {
            return false;
        };
        let owed = rate as u128 * now.saturating_duration_since(since).as_millis() / 1000;
        let moved = taken.saturating_sub(then);
        if moved == 0 || u128::from(moved) < owed {
            return false;
        }
        self.mark = Some((now, taken));
        true
    }

    /// Bytes the client has taken: written, less what the send queue
    /// still holds. `None` where the kernel will not say.
    fn taken(&self, socket: &impl AsRawFd) -> Option<u64> {
        unsent(socket).map(|unsent| self.written.saturating_sub(unsent as u64))
    }
}

/// Bytes written to `socket` that its peer has not acknowledged yet:
/// Linux's `SIOCOUTQ` (the same request number as `TIOCOUTQ`).
#[cfg(target_os = "linux")]
fn unsent(socket: &impl AsRawFd) -> Option<usize> {
    let mut count: libc::c_int = 0;
    // SAFETY: SIOCOUTQ on a socket writes one `int` through the pointer,
    // which points at `count`, alive and writable for the whole call; a
    // descriptor that is not a TCP socket makes the call fail, which is
    // handled, not undefined.
    let result = unsafe { libc::ioctl(socket.as_raw_fd(), libc::TIOCOUTQ, &mut count) };
    if result == 0 {
        usize::try_from(count).ok()
    } else {
        None
    }
}

/// Elsewhere the kernel is not asked, and a window is judged on writes.
#[cfg(not(target_os = "linux"))]
fn unsent(_socket: &impl AsRawFd) -> Option<usize> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::time::Duration;

    /// A connected pair: (server side, client side).
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (server, client)
    }

    /// Fill the server side's send queue without blocking; the bytes
    /// written.
    fn fill(server: &mut TcpStream) -> usize {
        server.set_nonblocking(true).unwrap();
        let block = [b'x'; 64 * 1024];
        let mut total = 0;
        loop {
            match server.write(&block) {
                Ok(count) => total += count,
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => return total,
                Err(error) => panic!("write failed: {error}"),
            }
        }
    }

    #[test]
    fn a_client_that_takes_nothing_has_not_kept_up() {
        let (mut server, _client) = pair();
        let mut uptake = Uptake::default();
        uptake.wrote(fill(&mut server));
        let start = Instant::now();
        uptake.blocked(&server, start);
        assert!(!uptake.kept_up(&server, start + Duration::from_secs(30), 1024));
    }

    #[test]
    fn a_client_that_reads_its_share_has_kept_up_and_the_mark_moves() {
        let (mut server, mut client) = pair();
        let mut uptake = Uptake::default();
        let filled = fill(&mut server);
        // The client reads half of what is queued, at most 128 KiB: at
        // 1 KiB/s that is minutes' worth, and the window is judged 30 s
        // after the mark. (Its kernel reopens the window a segment, 64 KiB
        // on loopback, at a time, so it reads at least that.)
        let share = (filled / 2).min(128 * 1024);
        assert!(share >= 64 * 1024, "only {filled} bytes fit");
        uptake.wrote(filled);
        let start = Instant::now();
        uptake.blocked(&server, start);
        let mut buffer = vec![0; share];
        client.read_exact(&mut buffer).unwrap();
        // The acknowledgement that makes the read visible to SIOCOUTQ
        // goes out at once on loopback, but is not synchronous: wait for
        // it (a hang guard, not a timing assertion).
        let later = start + Duration::from_secs(30);
        let mut kept_up = false;
        for _ in 0..500 {
            if uptake.kept_up(&server, later, 1024) {
                kept_up = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(kept_up, "{share} bytes taken in 30 s is over 1 KiB/s");
        // Judged again from the new mark: nothing more taken.
        assert!(!uptake.kept_up(&server, later + Duration::from_secs(30), 1024));
    }

    #[test]
    fn no_refused_write_means_no_mark_and_the_old_rule() {
        let (server, _client) = pair();
        let mut uptake = Uptake::default();
        assert!(!uptake.kept_up(&server, Instant::now(), 1024));
    }

    #[test]
    fn a_new_wait_forgets_the_mark() {
        let (mut server, _client) = pair();
        let mut uptake = Uptake::default();
        uptake.wrote(fill(&mut server));
        let start = Instant::now();
        uptake.blocked(&server, start);
        uptake.forget();
        assert!(uptake.mark.is_none());
        uptake.blocked(&server, start + Duration::from_secs(1));
        assert_eq!(
            uptake.mark.map(|(at, _)| at),
            Some(start + Duration::from_secs(1))
        );
    }
}
