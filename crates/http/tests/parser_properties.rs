//! Properties of the parser, over generated input: it never panics, and
//! how the bytes are cut into reads never changes what it parses.

use proptest::collection::vec;
use proptest::prelude::*;
use pygen_http::{Config, Method, ParseError, Parser, Request, Version};

/// Feed `bytes` to a parser in pieces cut at `cuts`, the way a connection
/// does: unused bytes stay in a buffer, new ones go after them. Returns
/// every request parsed, and the error that stopped it, if any.
fn parse_in_pieces(bytes: &[u8], cuts: &[usize]) -> (Vec<Request>, Option<ParseError>) {
    let config = Config {
        max_head_bytes: 2048,
        max_body_bytes: 4096,
        ..Config::default()
    };
    let mut parser = Parser::new();
    let mut buffer = Vec::new();
    let mut requests = Vec::new();
    let mut cuts: Vec<usize> = cuts.iter().map(|&cut| cut.min(bytes.len())).collect();
    cuts.push(bytes.len());
    cuts.sort_unstable();
    let mut start = 0;
    for cut in cuts {
        buffer.extend_from_slice(&bytes[start..cut]);
        start = cut;
        loop {
            match parser.parse(&buffer, &config) {
                Ok(parsed) => {
                    assert!(parsed.consumed <= buffer.len());
                    buffer.drain(..parsed.consumed);
                    match parsed.request {
                        Some(request) => requests.push(request),
                        None => break,
                    }
                }
                Err(error) => return (requests, Some(error)),
            }
        }
    }
    (requests, None)
}

/// A request to generate: what it should parse to, and how it is framed.
#[derive(Clone, Debug)]
struct Spec {
    method: &'static str,
    path: String,
    query: Option<String>,
    http10: bool,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// `None`: Content-Length; `Some(sizes)`: chunked, in chunks of these
    /// sizes (the rest in one last chunk).
    chunks: Option<Vec<usize>>,
}

impl Spec {
    fn bytes(&self) -> Vec<u8> {
        let version = if self.http10 { "HTTP/1.0" } else { "HTTP/1.1" };
        let query = self
            .query
            .as_ref()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        let mut out = format!(
            "{} {}{query} {version}\r\nHost: example\r\n",
            self.method, self.path
        );
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        let mut out = match &self.chunks {
            None => format!("{out}Content-Length: {}\r\n\r\n", self.body.len()).into_bytes(),
            Some(_) => format!("{out}Transfer-Encoding: chunked\r\n\r\n").into_bytes(),
        };
        match &self.chunks {
            None => out.extend_from_slice(&self.body),
            Some(sizes) => {
                let mut rest = &self.body[..];
                for &size in sizes.iter().chain([usize::MAX].iter()) {
                    let size = size.min(rest.len());
                    if size == 0 {
                        continue;
                    }
                    out.extend_from_slice(format!("{size:X};ext=1\r\n").as_bytes());
                    out.extend_from_slice(&rest[..size]);
                    out.extend_from_slice(b"\r\n");
                    rest = &rest[size..];
                }
                out.extend_from_slice(b"0\r\nTrailer: yes\r\n\r\n");
            }
        }
        out
    }

    fn check(&self, request: &Request) {
        assert_eq!(request.method.as_str(), self.method);
        assert_eq!(request.path(), self.path);
        assert_eq!(request.query(), self.query.as_deref());
        let version = if self.http10 {
            Version::Http10
        } else {
            Version::Http11
        };
        assert_eq!(request.version, version);
        assert_eq!(request.body, self.body);
        assert_eq!(request.keep_alive, !self.http10);
        for (name, value) in &self.headers {
            assert_eq!(request.header(name), Some(value.trim().as_bytes()));
        }
    }
}

fn spec() -> impl Strategy<Value = Spec> {
    let method = prop::sample::select(vec!["GET", "POST", "PUT", "HEAD", "OPTIONS"]);
    let path = "(/[a-z0-9._~-]{0,8}){1,4}";
    let query = prop::option::of("[a-z0-9=&]{0,16}");
    let header = ("X-[A-Za-z0-9-]{1,12}", "[ -~]{0,40}");
    let body = vec(any::<u8>(), 0..300);
    let chunks = prop::option::of(vec(1usize..64, 0..6));
    (
        method,
        path,
        query,
        any::<bool>(),
        vec(header, 0..6),
        body,
        chunks,
    )
        .prop_map(
            |(method, path, query, http10, headers, body, chunks)| Spec {
                method,
                path,
                query,
                http10,
                // Distinct names, so that each can be looked up.
                headers: headers
                    .into_iter()
                    .enumerate()
                    .map(|(i, (name, value))| (format!("{name}-{i}"), value))
                    .collect(),
                // HTTP/1.0 has no chunked bodies.
                chunks: if http10 { None } else { chunks },
                body,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Arbitrary bytes, cut anywhere, never panic the parser.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..2048), cuts in vec(0usize..2048, 0..8)) {
        let _ = parse_in_pieces(&bytes, &cuts);
    }

    /// Bytes that start like a request and go wrong later never panic it
    /// either (random bytes rarely get past the request line).
    #[test]
    fn damaged_requests_never_panic(spec in spec(), noise in vec(any::<u8>(), 1..16), at in any::<prop::sample::Index>(), cuts in vec(0usize..1024, 0..4)) {
        let mut bytes = spec.bytes();
        let at = at.index(bytes.len());
        bytes.splice(at..at, noise);
        let _ = parse_in_pieces(&bytes, &cuts);
    }

    /// A request parses to what was sent.
    #[test]
    fn requests_parse_to_what_was_sent(spec in spec()) {
        let (requests, error) = parse_in_pieces(&spec.bytes(), &[]);
        prop_assert_eq!(error, None);
        prop_assert_eq!(requests.len(), 1);
        spec.check(&requests[0]);
    }

    /// A request split at any point parses the same as whole.
    #[test]
    fn a_split_request_parses_the_same(spec in spec(), at in any::<prop::sample::Index>()) {
        let bytes = spec.bytes();
        let whole = parse_in_pieces(&bytes, &[]);
        let split = parse_in_pieces(&bytes, &[at.index(bytes.len() + 1)]);
        prop_assert_eq!(whole, split);
    }

    /// Pipelined requests, cut into reads anywhere, come out whole and in
    /// order.
    #[test]
    fn pipelined_requests_survive_any_cuts(specs in vec(spec(), 1..4), cuts in vec(0usize..4096, 0..10)) {
        let bytes: Vec<u8> = specs.iter().flat_map(Spec::bytes).collect();
        let (requests, error) = parse_in_pieces(&bytes, &cuts);
        prop_assert_eq!(error, None);
        prop_assert_eq!(requests.len(), specs.len());
        for (spec, request) in specs.iter().zip(&requests) {
            spec.check(request);
        }
    }

    /// Any line end of a head turned into a bare LF is refused, however
    /// the bytes are cut: never read as a line end.
    #[test]
    fn a_bare_lf_in_a_head_is_refused(spec in spec(), which in any::<prop::sample::Index>(), cuts in vec(0usize..1024, 0..4)) {
        let mut bytes = spec.bytes();
        let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let line_ends: Vec<usize> = (0..head_end - 1)
            .filter(|&at| bytes[at..at + 2] == *b"\r\n")
            .collect();
        bytes.remove(line_ends[which.index(line_ends.len())]);
        let (requests, error) = parse_in_pieces(&bytes, &cuts);
        prop_assert!(requests.is_empty());
        prop_assert_eq!(error, Some(ParseError::BareLineFeed));
    }

    /// Every byte of a request, one read each: the same request.
    #[test]
    fn a_byte_at_a_time_parses_the_same(spec in spec()) {
        let bytes = spec.bytes();
        let cuts: Vec<usize> = (0..bytes.len()).collect();
        let (requests, error) = parse_in_pieces(&bytes, &cuts);
        prop_assert_eq!(error, None);
        prop_assert_eq!(requests.len(), 1);
        spec.check(&requests[0]);
    }
}

#[test]
fn a_method_outside_the_three_is_kept() {
    let (requests, _) = parse_in_pieces(b"PATCH / HTTP/1.1\r\nHost: x\r\n\r\n", &[]);
    assert_eq!(requests[0].method, Method::Other("PATCH".to_owned()));
}
