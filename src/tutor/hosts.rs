//! [`Hosts`]: the names the tutor answers for, checked against each
//! request's `Host`.
//!
//! The tutor starts python3 for whoever asks. A server on `localhost` is
//! not private to the machine's user: any web page the user opens can make
//! the browser send requests to it, and with *DNS rebinding* (a name the
//! attacker controls, first resolving to their server, then to
//! `127.0.0.1`) read the answers too. What such a request cannot fake is
//! its `Host` header, which names the attacker's domain. So the tutor
//! answers only requests whose `Host` is the address it listens on, or
//! `localhost`, `127.0.0.1` or `[::1]`, each with its port.
//!
//! Any other `Host` is answered `421 Misdirected Request`: RFC 9110
//! §15.5.20's status for a request "directed at a server that is unable
//! or unwilling to produce an authoritative response for the target URI".
//! That is the case here: the request is fine, but it names an authority
//! this server is not. `403 Forbidden` would say the client may not have
//! a resource the server does serve under that name.

use std::net::{IpAddr, SocketAddr};

/// The authorities the tutor answers for.
#[derive(Clone, Debug)]
pub struct Hosts {
    /// The address it listens on; its IP counts as a name unless it is
    /// the unspecified address (`0.0.0.0`, `::`), which no client names.
    listening: SocketAddr,
}

impl Hosts {
    /// The names a server listening on `listening` answers for.
    pub fn new(listening: SocketAddr) -> Hosts {
        Hosts { listening }
    }

    /// The names allowed, as a client would write them in `Host`, for a
    /// refusal's message.
    pub fn names(&self) -> Vec<String> {
        let port = self.listening.port();
        let mut names = vec![
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ];
        let ip = self.listening.ip();
        if !ip.is_unspecified() && !ip.is_loopback() {
            names.push(self.listening.to_string());
        }
        names
    }

    /// Whether `host`, a request's `Host` value, names this server: one
    /// of the names, with the port it listens on (`80` if none is given,
    /// as RFC 9110 §4.2.1 says for `http`).
    pub fn allows(&self, host: &[u8]) -> bool {
        let Ok(host) = std::str::from_utf8(host) else {
            return false;
        };
        let Some((name, port)) = split_authority(host.trim()) else {
            return false;
        };
        if port != self.listening.port() {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name.parse::<IpAddr>() else {
            return false;
        };
        ip == IpAddr::from([127, 0, 0, 1])
            || ip == IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
            || (ip == self.listening.ip() && !ip.is_unspecified())
    }
}

/// `name[:port]` or `[v6]:port` to the name (without brackets) and the
/// port; `None` if the port is not a number.
fn split_authority(host: &str) -> Option<(&str, u16)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        (name, after.strip_prefix(':'))
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port = match port {
        Some(port) => port.parse().ok()?,
        None => 80,
    };
    Some((name, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_the_listening_address_with_its_port() {
        let hosts = Hosts::new("127.0.0.1:8000".parse().expect("an address"));
        for host in [
            "localhost:8000",
            "LocalHost:8000",
            "127.0.0.1:8000",
            "[::1]:8000",
        ] {
            assert!(hosts.allows(host.as_bytes()), "{host}");
        }
        for host in [
            "localhost",
            "localhost:8001",
            "evil.example:8000",
            "127.0.0.2:8000",
            "[::1]",
            "localhost:80x",
            "",
        ] {
            assert!(!hosts.allows(host.as_bytes()), "{host}");
        }
        let lan = Hosts::new("192.168.1.5:80".parse().expect("an address"));
        assert!(lan.allows(b"192.168.1.5"));
        assert!(lan.allows(b"localhost"));
        assert!(!lan.allows(b"rebound.example"));
        let any = Hosts::new("0.0.0.0:8000".parse().expect("an address"));
        assert!(!any.allows(b"0.0.0.0:8000"));
        assert_eq!(any.names().len(), 3);
    }
}
