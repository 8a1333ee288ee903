//! [`ListenAddr`]: where `pygen serve` listens, as the user wrote it.
//!
//! `--addr` takes `HOST:PORT` with HOST an IP address or a name, so that
//! `localhost:8080` works as it does in a browser. The syntax is checked
//! when the command line is parsed (a mistake there is the user's, exit
//! code 2); the name is resolved only when the server starts, because
//! whether `db.internal` resolves is a fact about the machine, not the
//! command line (exit code 3).

use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::str::FromStr;

/// A listening address: an IP address and port, or a host name and port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenAddr {
    /// `127.0.0.1:8080`, `[::1]:8080`: used as written.
    Ip(SocketAddr),
    /// `localhost:8080`: resolved when the server starts.
    Host {
        /// The name, as given.
        name: String,
        /// The port.
        port: u16,
    },
}

/// What `--addr` accepts, for the message that refuses anything else.
pub const EXPECTED: &str = "expected HOST:PORT with PORT from 0 to 65535, \
     such as 127.0.0.1:8080, [::1]:8080 or localhost:8080";

impl FromStr for ListenAddr {
    type Err = String;

    fn from_str(text: &str) -> Result<ListenAddr, String> {
        if let Ok(addr) = text.parse::<SocketAddr>() {
            return Ok(ListenAddr::Ip(addr));
        }
        let bad = || EXPECTED.to_owned();
        let (name, port) = text.rsplit_once(':').ok_or_else(bad)?;
        let port = port.parse::<u16>().map_err(|_| bad())?;
        // A colon left in the name is an IPv6 address without brackets
        // (`::1:8080`), which is ambiguous; the other characters cannot
        // appear in a host name and suggest a URL (`http://host:80`).
        let misplaced = |c: char| c.is_whitespace() || ":/[]@".contains(c);
        if name.is_empty() || name.contains(misplaced) {
            return Err(bad());
        }
        Ok(ListenAddr::Host {
            name: name.to_owned(),
            port,
        })
    }
}

impl fmt::Display for ListenAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListenAddr::Ip(addr) => write!(f, "{addr}"),
            ListenAddr::Host { name, port } => write!(f, "{name}:{port}"),
        }
    }
}

impl ListenAddr {
    /// The socket address to bind: an IP address as it is, a name through
    /// the system's resolver. A name that resolves to several addresses
    /// (`localhost` is often `127.0.0.1` and `::1`) gives the first one in
    /// the resolver's order: one predictable address, which the server's
    /// `listening` log line names, rather than several sockets or a quiet
    /// fallback to the next address when the first is busy.
    pub fn resolve(&self) -> io::Result<SocketAddr> {
        match self {
            ListenAddr::Ip(addr) => Ok(*addr),
            ListenAddr::Host { name, port } => (name.as_str(), *port)
                .to_socket_addrs()?
                .next()
                .ok_or_else(|| {
                    io::Error::new(io::ErrorKind::NotFound, "the name resolves to no address")
                }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses_are_taken_as_written() {
        let addr: ListenAddr = "127.0.0.1:8080".parse().expect("valid");
        assert_eq!(addr.resolve().ok(), "127.0.0.1:8080".parse().ok());
        let addr: ListenAddr = "[::1]:0".parse().expect("valid");
        assert_eq!(addr.to_string(), "[::1]:0");
    }

    #[test]
    fn host_names_are_kept_until_resolved() {
        let addr: ListenAddr = "localhost:8080".parse().expect("valid");
        assert_eq!(
            addr,
            ListenAddr::Host {
                name: "localhost".into(),
                port: 8080
            }
        );
        assert_eq!(addr.to_string(), "localhost:8080");
        let resolved = addr.resolve().expect("localhost resolves");
        assert!(resolved.ip().is_loopback());
        assert_eq!(resolved.port(), 8080);
    }

    #[test]
    fn bad_syntax_is_refused_with_examples() {
        for text in [
            "localhost",
            "localhost:http",
            "localhost:65536",
            ":8080",
            "::1:8080",
            "http://localhost:8080",
            "",
        ] {
            assert_eq!(
                text.parse::<ListenAddr>(),
                Err(EXPECTED.to_owned()),
                "{text}"
            );
        }
    }
}
