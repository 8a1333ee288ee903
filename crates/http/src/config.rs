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
    /// How long a client has, from the first byte of a request (or from
    /// connecting), to finish sending its head. Past it, a client that has
    /// sent part of a request gets `408` and is disconnected; one that has
    /// sent nothing is disconnected quietly. Default 10 s.
    pub header_timeout: Duration,
    /// How long the server waits for the next piece of a request body
    /// before answering `408`. Default 10 s.
    pub body_timeout: Duration,
    /// How long an idle keep-alive connection, between requests, is kept
    /// open. Past it the connection is closed quietly, as RFC 9112 §9.8
    /// allows. Default 60 s.
    pub keep_alive_timeout: Duration,
    /// How long the server waits for a client that is not reading its
    /// response before giving up on it. Default 30 s.
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
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_head_bytes: 8 * 1024,
            max_headers: 64,
            max_body_bytes: 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(30),
            linger_timeout: Duration::from_secs(2),
            shutdown_timeout: Duration::from_secs(30),
            max_connections: 100_000,
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
            self.keep_alive_timeout,
            self.write_timeout,
            self.linger_timeout,
        ]
        .into_iter()
        .min()
        .unwrap_or(Duration::from_secs(1));
        (shortest / 4).clamp(Duration::from_millis(5), Duration::from_millis(250))
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
}
