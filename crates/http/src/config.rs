//! [`Config`]: the server's limits and timeouts, in one place.
//!
//! Every limit is there because a peer controls the quantity it bounds:
//! without one, a single client could make the server hold any amount of
//! memory or any number of connections open for ever. The defaults suit a
//! demo server on a laptop; tests shrink the timeouts so that a timeout
//! test takes a fraction of a second.

use std::time::Duration;

/// The most header lines a request may have, whatever [`Config`] says:
/// the parser keeps room for this many on the stack.
pub const MAX_HEADERS: usize = 128;

/// Limits and timeouts. Build one from the defaults and change what you
/// need:
///
/// ```
/// use std::time::Duration;
/// use pygen_http::Config;
///
/// let config = Config {
///     header_timeout: Duration::from_millis(200),
///     ..Config::default()
/// };
/// assert_eq!(config.max_body_bytes, 1024 * 1024);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The largest request head (request line and headers, CRLFs
    /// included) accepted; a larger one is answered `431`. Also bounds a
    /// chunked body's trailer section. Default 8 KiB.
    pub max_head_bytes: usize,
    /// The most header lines accepted (at most [`MAX_HEADERS`]); more are
    /// answered `431`. Default 64.
    pub max_headers: usize,
    /// The largest request body accepted, after chunked decoding; a larger
    /// one is answered `413`. Default 1 MiB.
    pub max_body_bytes: usize,
    /// How long a client has to send a whole request head: from
    /// connecting, for its first request, and from the first byte of each
    /// later one. A hard deadline: bytes arriving do not extend it, so a
    /// head sent a byte at a time gets no more time than one sent at
    /// once. Past it, a client that has sent part of a request gets `408`
    /// and is disconnected; one that has sent nothing is disconnected
    /// quietly. Default 10 s.
    pub header_timeout: Duration,
    /// The window in which a request body must make progress: in each
    /// `body_timeout`, at least [`min_transfer_rate`](Self::min_transfer_rate)
    /// times it (and at least one byte) must arrive, or the client gets
    /// `408`. The window starts again each time that much has arrived, so
    /// a trickle of a byte every few seconds does not hold the
    /// connection. Default 10 s.
    pub body_timeout: Duration,
    /// How long a whole request body may take, from the end of its head,
    /// however steadily it arrives: a hard deadline, answered `408`.
    /// Default 60 s: a body at the limit (1 MiB) then needs about
    /// 17 KiB/s.
    pub body_deadline: Duration,
    /// The slowest transfer, in bytes a second, that a request body or a
    /// response is allowed over [`body_timeout`](Self::body_timeout) or
    /// [`write_timeout`](Self::write_timeout): below it, a body is
    /// answered `408` and a response's connection is closed. Default
    /// 1 KiB/s, slower than any real network, faster than an attack that
    /// means to hold connections and buffers with a byte at a time.
    pub min_transfer_rate: usize,
    /// How long an idle keep-alive connection, between requests, is kept
    /// open. Past it the connection is closed quietly, as RFC 9112 §9.8
    /// allows. Default 60 s.
    pub keep_alive_timeout: Duration,
    /// The window in which a response must make progress: in each
    /// `write_timeout`, the client must take at least
    /// [`min_transfer_rate`](Self::min_transfer_rate) times it (and at
    /// least one byte), or its connection is closed. The window starts
    /// again each time it has, so a reader that takes a few bytes now and
    /// then cannot hold a connection and its output for ever. What the
    /// client has taken is what its side acknowledged, asked of the kernel
    /// when a window ends with output left: the socket's send buffer may
    /// hold megabytes, and a client reading a steady 16 KiB/s sees no
    /// write for minutes, yet keeps to the rate. Default 30 s.
    pub write_timeout: Duration,
    /// After the last response on a connection, how long the server keeps
    /// reading (and discarding) what the client still sends, so that
    /// closing does not reset the connection before the client has read the
    /// response. Default 2 s.
    pub linger_timeout: Duration,
    /// After a shutdown is asked for, how long in-flight responses have to
    /// finish before their connections are dropped. Default 30 s.
    pub shutdown_timeout: Duration,
    /// The most connections one event loop holds at once; past it, new
    /// connections are answered `503` and closed at once. Default 100,000,
    /// a ceiling: at start the server raises its file-descriptor limit to
    /// the hard limit and lowers this to what that limit leaves, shared
    /// among the workers, so that the `503` comes before `accept` runs out
    /// of descriptors (19,700 or so with a limit of 20,000; 940 with
    /// 1,024).
    pub max_connections: usize,
    /// The most streamed responses (`GET /fib`) in flight at once, over
    /// the whole server (shared evenly among the workers); past it, a
    /// request that would stream is answered `503` with `Retry-After`, and
    /// the connection stays open. A connection streams one at a time:
    /// HTTP/1.1 answers in order, and a request pipelined behind a stream
    /// is not even read until the stream ends. Default 1,024: each stream
    /// holds at most a turn's pull (64 KiB) of unsent output, so together
    /// at most 64 MiB, a quarter of the default memory budget.
    pub max_streams: usize,
    /// The most bytes of request bodies, unparsed input and unsent output
    /// the whole server buffers at once (shared evenly among the
    /// workers), counted by the capacity of the buffers that hold them; a
    /// body with a `Content-Length` counts all of it from its head on. A
    /// body that would go past it is answered `503` with `Retry-After` and
    /// its connection closed; output already made is counted but never
    /// refused, so that new bodies meet a full budget. A server run as the
    /// process ([`Server::run`](crate::Server::run)) first takes off what
    /// the process holds resident when it starts. Default 256 MiB: a fixed
    /// figure rather than a fraction of RAM, which in a container is the
    /// host's, not the limit's; about 250 bodies at the 1 MiB limit at
    /// once.
    pub memory_budget: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_head_bytes: 8 * 1024,
            max_headers: 64,
            max_body_bytes: 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            body_deadline: Duration::from_secs(60),
            min_transfer_rate: 1024,
            keep_alive_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(30),
            linger_timeout: Duration::from_secs(2),
            shutdown_timeout: Duration::from_secs(30),
            max_connections: 100_000,
            max_streams: 1024,
            memory_budget: 256 * 1024 * 1024,
        }
    }
}

impl Config {
    /// How often the event loop looks for connections past their deadline:
    /// a quarter of the shortest timeout, between 5 ms and 250 ms. A
    /// timeout may fire up to this late, never early.
    pub(crate) fn tick(&self) -> Duration {
        let shortest = [
            self.header_timeout,
            self.body_timeout,
            self.body_deadline,
            self.keep_alive_timeout,
            self.write_timeout,
            self.linger_timeout,
        ]
        .into_iter()
        .min()
        .unwrap_or(Duration::from_secs(1));
        (shortest / 4).clamp(Duration::from_millis(5), Duration::from_millis(250))
    }

    /// The bytes a transfer must move in `window` at the minimum rate:
    /// at least one.
    pub(crate) fn bytes_per(&self, window: Duration) -> usize {
        let bytes = self.min_transfer_rate as u128 * window.as_millis() / 1000;
        usize::try_from(bytes).unwrap_or(usize::MAX).max(1)
    }

    /// The number of header lines the parser will accept.
    pub(crate) fn header_slots(&self) -> usize {
        self.max_headers.clamp(1, MAX_HEADERS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tick_follows_the_shortest_timeout() {
        assert_eq!(Config::default().tick(), Duration::from_millis(250));
        let quick = Config {
            header_timeout: Duration::from_millis(100),
            ..Config::default()
        };
        assert_eq!(quick.tick(), Duration::from_millis(25));
        let instant = Config {
            body_timeout: Duration::ZERO,
            ..Config::default()
        };
        assert_eq!(instant.tick(), Duration::from_millis(5));
    }

    #[test]
    fn a_window_at_the_minimum_rate_is_at_least_a_byte() {
        let config = Config::default();
        assert_eq!(config.bytes_per(config.body_timeout), 10 * 1024);
        assert_eq!(config.bytes_per(Duration::from_millis(1)), 1);
        let stalled = Config {
            min_transfer_rate: 0,
            ..Config::default()
        };
        assert_eq!(stalled.bytes_per(Duration::from_secs(30)), 1);
    }
}
