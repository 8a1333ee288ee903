//! Taking connections from the listener: the one accept loop both serving
//! models use.
//!
//! The handler model's event loop accepts a batch whenever the listener is
//! readable; the task model's scheduler accepts one connection each time
//! its server task yields `Accept`. What happens at the limits must not
//! depend on which: past the loop's connection limit, or when `accept`
//! fails for want of a file descriptor, a client is answered `503` with
//! `Retry-After: 1` and closed at once (see `fd_limit.rs`), never left in
//! the kernel's backlog; a flood of such clients is one warning a second,
//! with a count; and an `accept` that failed for any other reason is
//! retried at the next tick, not in a tight loop.
//!
//! ```text
//!     Acceptor::next(now, held)
//!         a connection, and held < max_connections  -> Accepted::One
//!         a connection, and the loop is full        -> 503, Accepted::TurnedAway
//!         EMFILE/ENFILE: the spare descriptor        -> 503, Accepted::TurnedAway
//!         nobody waiting (WouldBlock)                -> Accepted::Drained
//!         no spare, or another error                 -> Accepted::Paused
//! ```

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use tracing::warn;

use crate::fd_limit::{self, Spare, TurnedAway, turn_away};

/// How many connections a loop takes from the backlog, served or turned
/// away, before it serves the connections it has: a flood of new clients
/// (or of clients turned away) must not stall the ones being served.
pub(crate) const ACCEPT_BUDGET: usize = 256;

/// The least time between two warnings of one kind.
const WARN_EVERY: Duration = Duration::from_secs(1);

/// What one call to [`Acceptor::next`] came to.
pub(crate) enum Accepted {
    /// A connection to serve, with `TCP_NODELAY` set.
    One(TcpStream, SocketAddr),
    /// A client was answered `503` and closed: call again (within
    /// [`ACCEPT_BUDGET`]), more may be waiting.
    TurnedAway,
    /// Nobody is waiting (or the listener is closed).
    Drained,
    /// `accept` failed and nothing could be done: retry at the next tick.
    Paused,
}

/// A loop's listener and what it needs to answer clients at its limits.
pub(crate) struct Acceptor {
    /// `None` once shutting down: no more connections are accepted.
    listener: Option<TcpListener>,
    /// The most connections the loop holds: [`Config::max_connections`],
    /// or less if the file-descriptor limit says so.
    ///
    /// [`Config::max_connections`]: crate::Config::max_connections
    max_connections: usize,
    /// A descriptor kept for turning clients away when there are none.
    spare: Spare,
    /// `accept` failed and nothing could be done: retry at the next tick
    /// rather than spin.
    paused: bool,
    /// Connections answered `503`, for the warning.
    turned_away: Throttle,
    /// `accept` failures, for the warning.
    failures: Throttle,
}

impl Acceptor {
    pub(crate) fn new(listener: TcpListener, max_connections: usize) -> Acceptor {
        Acceptor {
            listener: Some(listener),
            max_connections,
            spare: Spare::new(),
            paused: false,
            turned_away: Throttle::default(),
            failures: Throttle::default(),
        }
    }

    /// Stop accepting: the listener, to deregister and drop, if it was
    /// still open.
    pub(crate) fn close(&mut self) -> Option<TcpListener> {
        self.listener.take()
    }

    pub(crate) fn is_open(&self) -> bool {
        self.listener.is_some()
    }

    /// The last `accept` failed and is to be retried at the next tick.
    pub(crate) fn is_paused(&self) -> bool {
        self.paused
    }

    /// The next connection from the backlog, for a loop that holds `held`
    /// connections now. See the module docs.
    pub(crate) fn next(&mut self, now: Instant, held: usize) -> Accepted {
        let Some(listener) = &self.listener else {
            return Accepted::Drained;
        };
        loop {
            let error = match listener.accept() {
                Ok((socket, peer)) => {
                    self.paused = false;
                    if held >= self.max_connections {
                        if let Some(suppressed) = self.turned_away.check(now) {
                            warn!(
                                %peer,
                                max_connections = self.max_connections,
                                suppressed,
                                "connection limit reached: answering 503"
                            );
                        }
                        turn_away(socket);
                        return Accepted::TurnedAway;
                    }
                    // Responses are written whole, so Nagle's algorithm
                    // would only delay the tail of each one.
                    let _ = socket.set_nodelay(true);
                    return Accepted::One(socket, peer);
                }
                Err(error) => error,
            };
            match error.kind() {
                io::ErrorKind::WouldBlock => {
                    self.paused = false;
                    return Accepted::Drained;
                }
                io::ErrorKind::Interrupted | io::ErrorKind::ConnectionAborted => continue,
                _ => {}
            }
            if !fd_limit::is_out_of_descriptors(&error) {
                self.failed(now, &error);
                return Accepted::Paused;
            }
            // EMFILE or ENFILE: left alone, the client would wait in the
            // backlog until some connection closes.
            return match self.spare.turn_away_one(listener) {
                TurnedAway::One => {
                    self.paused = false;
                    if let Some(suppressed) = self.turned_away.check(now) {
                        warn!(%error, suppressed, "out of file descriptors: answering 503");
                    }
                    Accepted::TurnedAway
                }
                TurnedAway::NoneWaiting => {
                    self.paused = false;
                    Accepted::Drained
                }
                TurnedAway::NoSpare => {
                    self.failed(now, &error);
                    Accepted::Paused
                }
            };
        }
    }

    /// At a tick: report the warnings a flood left unlogged.
    pub(crate) fn flush_warnings(&mut self, now: Instant) {
        for (throttle, what) in [
            (&mut self.turned_away, "connections answered 503"),
            (&mut self.failures, "accept failures"),
        ] {
            if let Some(suppressed) = throttle.flush(now) {
                warn!(suppressed, "{what} not logged in the last second");
            }
        }
    }

    /// `accept` failed in a way the loop cannot help: the waiting clients
    /// stay in the backlog; try again at the next tick.
    fn failed(&mut self, now: Instant, error: &io::Error) {
        self.paused = true;
        if let Some(suppressed) = self.failures.check(now) {
            warn!(%error, suppressed, "accept failed; retrying at the next tick");
        }
    }
}

/// At most one warning of a kind per [`WARN_EVERY`], for events that come
/// in floods (a thousand clients turned away in a second would otherwise
/// be a thousand lines); the ones not logged are counted, and the count
/// goes with the next warning.
#[derive(Debug, Default)]
struct Throttle {
    /// When the last warning was logged.
    last: Option<Instant>,
    /// Events since then that were not logged.
    suppressed: u64,
}

impl Throttle {
    /// One more event at `now`: `Some(suppressed)` if it is to be logged,
    /// with how many were not since the last one.
    fn check(&mut self, now: Instant) -> Option<u64> {
        match self.last {
            Some(last) if now.saturating_duration_since(last) < WARN_EVERY => {
                self.suppressed += 1;
                None
            }
            _ => {
                self.last = Some(now);
                Some(std::mem::take(&mut self.suppressed))
            }
        }
    }

    /// At a tick: `Some(count)` of events not logged, once their second
    /// is over, so that the end of a flood is reported too.
    fn flush(&mut self, now: Instant) -> Option<u64> {
        let last = self.last?;
        if self.suppressed == 0 || now.saturating_duration_since(last) < WARN_EVERY {
            return None;
        }
        self.last = Some(now);
        Some(std::mem::take(&mut self.suppressed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_is_one_warning_a_second_with_a_count() {
        let start = Instant::now();
        let mut throttle = Throttle::default();
        assert_eq!(throttle.check(start), Some(0));
        let logged: Vec<Option<u64>> = (1..=500)
            .map(|n| throttle.check(start + Duration::from_millis(n)))
            .collect();
        assert!(logged.iter().all(Option::is_none));
        assert_eq!(throttle.flush(start + Duration::from_millis(999)), None);
        // The next event after the second carries the count...
        assert_eq!(throttle.check(start + WARN_EVERY), Some(500));
        assert_eq!(throttle.check(start + WARN_EVERY), None);
        // ... and so does a tick, when the flood has stopped.
        assert_eq!(throttle.flush(start + 2 * WARN_EVERY), Some(1));
        assert_eq!(throttle.flush(start + 3 * WARN_EVERY), None);
    }

    #[test]
    fn past_the_limit_a_client_is_answered_503_and_the_next_is_served() {
        use std::io::Read;
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = std_listener.local_addr().unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let mut acceptor = Acceptor::new(TcpListener::from_std(std_listener), 1);
        let now = Instant::now();
        assert!(matches!(acceptor.next(now, 0), Accepted::Drained));
        let mut refused = std::net::TcpStream::connect(address).unwrap();
        let _served = std::net::TcpStream::connect(address).unwrap();
        let outcome = next_waiting(&mut acceptor, 1);
        assert!(matches!(outcome, Accepted::TurnedAway));
        let mut answer = String::new();
        refused.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"));
        let outcome = next_waiting(&mut acceptor, 0);
        assert!(matches!(outcome, Accepted::One(..)));
        assert!(!acceptor.is_paused());
    }

    /// `acceptor.next` for a loop holding `held`, once a connection made
    /// just now has reached the listener's backlog: a `WouldBlock` before
    /// that is not an answer (1,000 tries, 5 ms apart, as a hang guard).
    fn next_waiting(acceptor: &mut Acceptor, held: usize) -> Accepted {
        let mut outcome = acceptor.next(Instant::now(), held);
        for _ in 0..1000 {
            if !matches!(outcome, Accepted::Drained) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
            outcome = acceptor.next(Instant::now(), held);
        }
        outcome
    }
}
