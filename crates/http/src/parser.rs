//! [`Parser`]: turning the bytes a client sends into [`Request`]s.
//!
//! TCP delivers a byte stream, not messages: one read may hold half a
//! request, or three pipelined requests and the start of a fourth. So the
//! parser is incremental. It is handed the bytes not yet used, says how
//! many it used, and hands back a request once one is complete; the bytes
//! after that request stay with the caller for the next call.
//!
//! A request comes in two parts, and the parser is in one of two states:
//!
//! 1. **The head** — request line and headers, ended by an empty line.
//!    Until that empty line arrives nothing is used: the head is parsed in
//!    one piece by `httparse`, which does the byte-level validation. To
//!    keep a client that sends its head a byte at a time from making the
//!    server re-parse it at every byte, `httparse` only runs once the end
//!    of the head has been seen.
//! 2. **The body**, framed by the head: `Content-Length` bytes, or a
//!    chunked body ([`ChunkedDecoder`](crate::chunked::ChunkedDecoder)), or
//!    nothing. Body bytes are used as they arrive and collected into the
//!    request.
//!
//! Between the two, the head is checked against RFC 9112's rules for
//! finding a body's end. Those rules are where request smuggling lives —
//! a proxy and a server that frame the same bytes differently see
//! different requests — so every ambiguity is refused rather than guessed:
//! both `Content-Length` and `Transfer-Encoding`, two `Content-Length`s,
//! a `Content-Length` that is not plain digits, `chunked` anywhere but
//! last or with parameters, `Transfer-Encoding` in HTTP/1.0, a line that
//! ends in a bare LF. So is what RFC 9112 §3.2 and RFC 9110 §10.1.1 say
//! to refuse: a missing, repeated or invalid `Host`, the `*` target with
//! a method other than `OPTIONS`, an `Expect` other than `100-continue`
//! (`417`). Each refusal is a [`ParseError`], and the connection is
//! closed after answering it.

use std::mem::MaybeUninit;

use crate::chunked::ChunkedDecoder;
use crate::config::MAX_HEADERS;
use crate::{Config, Method, ParseError, Request, Version};

/// What one call to [`Parser::parse`] did.
#[derive(Debug, PartialEq, Eq)]
pub struct Parsed {
    /// How many bytes at the front of the input were used. The caller
    /// drops them and passes the rest, with whatever arrives next, to the
    /// next call.
    pub consumed: usize,
    /// A request, if one was completed.
    pub request: Option<Request>,
}

/// An incremental HTTP/1.x request parser: one per connection.
///
/// ```
/// use pygen_http::{Config, Parser};
///
/// let config = Config::default();
/// let mut parser = Parser::new();
/// let bytes = b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
///
/// // Half of it: nothing to hand back yet.
/// let first = parser.parse(&bytes[..20], &config).unwrap();
/// assert!(first.request.is_none());
///
/// // All of it (the unused bytes again, and the rest).
/// let rest = &bytes[first.consumed..];
/// let second = parser.parse(rest, &config).unwrap();
/// let request = second.request.unwrap();
/// assert_eq!(request.path(), "/echo");
/// assert_eq!(request.body, b"hello");
/// ```
#[derive(Debug, Default)]
pub struct Parser {
    state: State,
    /// How far into the (unconsumed) input the search for the end of the
    /// head has already looked.
    scanned: usize,
    /// Set when a head with `Expect: 100-continue` has been read: the
    /// client waits for an interim `100 Continue` before sending its body.
    continue_owed: bool,
}

/// What a body is charged beyond its bytes: the allocator's header and
/// the rounding of a large buffer to whole pages.
const PAGE: usize = 4096;

/// Between requests or in a head; or in a body, with the request so far.
/// The body state is boxed so that an idle connection's parser is small.
#[derive(Debug, Default)]
enum State {
    #[default]
    Head,
    Body(Box<PartialRequest>),
}

/// A request whose head has been read and whose body is arriving.
#[derive(Debug)]
struct PartialRequest {
    request: Request,
    framing: Framing,
}

/// How the end of a body is found (RFC 9112 §6.3).
#[derive(Debug)]
enum Framing {
    /// `Content-Length`: this many bytes still to come.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked(ChunkedDecoder),
}

impl Parser {
    /// A parser waiting for the first request.
    pub fn new() -> Parser {
        Parser::default()
    }

    /// Whether the parser is between requests: no part of a request has
    /// been used yet. (Bytes of a head may still be waiting in the
    /// caller's buffer, since a head is used only once complete.)
    pub fn is_between_requests(&self) -> bool {
        matches!(self.state, State::Head)
    }

    /// Whether the head of the current request has been read and its body
    /// is still arriving.
    pub fn is_in_body(&self) -> bool {
        matches!(self.state, State::Body(_))
    }

    /// What the current request's body costs the server's memory budget
    /// while it arrives: all of its declared `Content-Length` from the
    /// moment its head is read (room for exactly that is reserved when its
    /// first bytes come, so the buffer never grows past it), or a chunked
    /// body's capacity so far; either with a page more, for the
    /// allocator's header and the rounding of a large buffer to pages.
    pub fn body_charge(&self) -> usize {
        match &self.state {
            State::Head => 0,
            State::Body(partial) => {
                let buffer = match partial.framing {
                    Framing::Length(remaining) => partial
                        .request
                        .body
                        .len()
                        .saturating_add(usize::try_from(remaining).unwrap_or(usize::MAX)),
                    Framing::Chunked(_) => partial.request.body.capacity(),
                };
                buffer.saturating_add(PAGE)
            }
        }
    }

    /// Whether a `100 Continue` is owed to the client, and forget it: the
    /// caller writes it once.
    pub fn take_continue(&mut self) -> bool {
        std::mem::take(&mut self.continue_owed)
    }

    /// Use as much of `input` as possible; see [`Parsed`]. `input` must be
    /// what the previous call did not consume, followed by any new bytes.
    ///
    /// After an error the parser is back between requests, but the
    /// connection should be closed: where the next request starts is
    /// unknown.
    pub fn parse(&mut self, input: &[u8], config: &Config) -> Result<Parsed, ParseError> {
        // Each error below goes through `failed`, which resets the parser,
        // rather than this function wrapping one that returns them: a
        // wrapper would look at the result and then copy it, whole, into
        // its own, for every request.
        let mut consumed = 0;
        if let State::Head = self.state {
            // RFC 9112 §2.2: a server SHOULD ignore empty lines received
            // before a request line (some old clients send a CRLF after a
            // POST body). Only whole CRLFs: a bare LF is refused below.
            let mut skipped = 0;
            while input[skipped..].starts_with(b"\r\n") {
                skipped += 2;
            }
            if skipped > 0 {
                self.scanned = 0;
            }
            consumed = skipped;
            let input = &input[skipped..];
            if input.is_empty() {
                // Every request so far has been used: the usual end of a
                // batch of pipelined ones, and nothing to set httparse up
                // for.
                return Ok(Parsed {
                    consumed,
                    request: None,
                });
            }
            let parsed = if self.scanned == 0 {
                // The first look at this head: most often all of it is
                // here, and httparse finds where it ends while parsing it.
                parse_head(input, config).map_err(|error| self.failed(error))?
            } else {
                None
            };
            let (head_length, request, framing) = match parsed {
                // The common case, a whole head and no body, handed back
                // straight away: the request is moved once fewer.
                Some((head_length, request, None)) => {
                    return Ok(Parsed {
                        consumed: consumed + head_length,
                        request: Some(request),
                    });
                }
                Some(parsed) => parsed,
                None => {
                    // Not all here: look for its end in what arrives,
                    // without parsing it again and again.
                    let found = self.find_head_end(input, config);
                    let Some(head_length) = found.map_err(|error| self.failed(error))? else {
                        return Ok(Parsed {
                            consumed,
                            request: None,
                        });
                    };
                    parse_head(&input[..head_length], config)
                        .and_then(|parsed| parsed.ok_or(ParseError::Malformed("incomplete head")))
                        .map_err(|error| self.failed(error))?
                }
            };
            consumed += head_length;
            self.scanned = 0;
            match framing {
                None => {
                    return Ok(Parsed {
                        consumed,
                        request: Some(request),
                    });
                }
                Some(framing) => {
                    self.continue_owed = request.version == Version::Http11
                        && request
                            .header("Expect")
                            .is_some_and(|value| value.eq_ignore_ascii_case(b"100-continue"));
                    self.state = State::Body(Box::new(PartialRequest { request, framing }));
                }
            }
        }

        let State::Body(partial) = &mut self.state else {
            unreachable!("a head without a body returned above");
        };
        let rest = &input[consumed..];
        let body = &mut partial.request.body;
        let done = match &mut partial.framing {
            Framing::Length(remaining) => {
                let remaining_bytes = usize::try_from(*remaining).unwrap_or(usize::MAX);
                let take = rest.len().min(remaining_bytes);
                if take > 0 && body.capacity() == 0 {
                    // The whole body, once: what `body_charge` counts.
                    body.reserve_exact(remaining_bytes);
                }
                body.extend_from_slice(&rest[..take]);
                consumed += take;
                *remaining -= take as u64;
                *remaining == 0
            }
            Framing::Chunked(decoder) => {
                let max_body = config.max_body_bytes;
                match decoder.decode(rest, body, max_body, config.max_head_bytes) {
                    Ok(used) => consumed += used,
                    Err(error) => return Err(self.failed(error)),
                }
                decoder.is_done()
            }
        };
        if !done {
            return Ok(Parsed {
                consumed,
                request: None,
            });
        }
        self.continue_owed = false;
        let State::Body(partial) = std::mem::take(&mut self.state) else {
            unreachable!("the state was checked above");
        };
        Ok(Parsed {
            consumed,
            request: Some(partial.request),
        })
    }

    /// Forget the request in progress, after `error`: where the next
    /// request starts is unknown.
    #[cold]
    fn failed(&mut self, error: ParseError) -> ParseError {
        *self = Parser::default();
        error
    }

    /// The length of the head at the start of `input`, if its final empty
    /// line has arrived. Looks only at bytes it has not looked at before:
    /// used for a head that arrives in pieces, which parsing whole each
    /// time would cost the square of its length.
    ///
    /// Every line of a head must end in CRLF. A bare LF is refused, not
    /// taken as a line end (which RFC 9112 §2.2 allows): a proxy in front
    /// that splits lines on CRLF only would read `X: a\nContent-Length: 5`
    /// as one header, and this server would see a `Content-Length` the
    /// proxy never framed by. A bare CR is refused by httparse.
    fn find_head_end(
        &mut self,
        input: &[u8],
        config: &Config,
    ) -> Result<Option<usize>, ParseError> {
        // Back up three bytes: the end marker may straddle two reads.
        let from = self.scanned.saturating_sub(3).min(input.len());
        self.scanned = input.len();
        let mut end = None;
        // memchr finds each LF many bytes at a time; most bytes of a head
        // are not one.
        for at in memchr::memchr_iter(b'\n', &input[from..]).map(|at| from + at) {
            if at == 0 || input[at - 1] != b'\r' {
                return Err(ParseError::BareLineFeed);
            }
            if at >= 3 && input[at - 3..at - 1] == *b"\r\n" {
                end = Some(at + 1);
                break;
            }
        }
        match end {
            Some(end) if end <= config.max_head_bytes => Ok(Some(end)),
            Some(_) => Err(head_too_large(input, config)),
            None if input.len() > config.max_head_bytes => Err(head_too_large(input, config)),
            None => Ok(None),
        }
    }
}

/// A head past the limit: `414 URI Too Long` when the request line alone
/// does not end within it (RFC 9112 §3: a target longer than the server
/// will parse), `431` when the header lines are what make it too large.
fn head_too_large(input: &[u8], config: &Config) -> ParseError {
    let within = &input[..input.len().min(config.max_head_bytes)];
    match memchr::memchr(b'\n', within) {
        Some(_) => ParseError::HeadTooLarge,
        None => ParseError::UriTooLong,
    }
}

/// Parse the head at the start of `input` and work out how its body is
/// framed (`None`: no body). Returns the head's length with them, or
/// `None` if its end has not arrived.
fn parse_head(
    input: &[u8],
    config: &Config,
) -> Result<Option<(usize, Request, Option<Framing>)>, ParseError> {
    // Uninitialised slots: httparse writes the ones it fills, and zeroing
    // all 128 of them (4 KiB) for every request would cost more than
    // parsing a small head.
    let mut slots = [const { MaybeUninit::<httparse::Header<'_>>::uninit() }; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut []);
    let result = httparse::ParserConfig::default().parse_request_with_uninit_headers(
        &mut parsed,
        input,
        &mut slots[..config.header_slots()],
    );
    let head_length = match result {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(ParseError::TooManyHeaders),
        Err(httparse::Error::Version) => return Err(version_error(input)),
        Err(error) => return Err(ParseError::Malformed(describe(error))),
    };
    let head = &input[..head_length];
    if !lines_end_in_crlf(head, parsed.method, parsed.headers) {
        return Err(ParseError::BareLineFeed);
    }
    if head_length > config.max_head_bytes {
        return Err(head_too_large(input, config));
    }
    // After a complete parse httparse has filled in all three.
    let (Some(method), Some(target), Some(minor)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Err(ParseError::Malformed("incomplete request line"));
    };
    let version = match minor {
        0 => Version::Http10,
        1 => Version::Http11,
        _ => return Err(ParseError::UnsupportedVersion),
    };
    // RFC 9112 §3.2.3: CONNECT, and only CONNECT, has the authority form
    // `host:port` for a target; it is kept whole as the path.
    let (path, query) = if method == "CONNECT" {
        if !is_authority(target.as_bytes()) {
            return Err(ParseError::BadTarget);
        }
        (target, None)
    } else {
        split_target(target)?
    };
    // RFC 9112 §3.2.4: the asterisk form is only for a server-wide OPTIONS.
    if path == "*" && method != "OPTIONS" {
        return Err(ParseError::BadTarget);
    }

    let mut content_length = None;
    let mut transfer_encoding = false;
    let mut codings = Codings::default();
    let mut hosts = 0;
    let mut bad_host = false;
    let mut unmet_expectation = false;
    let mut close = false;
    let mut keep_alive = false;
    for header in parsed.headers.iter() {
        let name = header.name;
        if name_is(name, "content-length") {
            if content_length.is_some() {
                return Err(ParseError::DuplicateContentLength);
            }
            content_length = Some(parse_content_length(header.value)?);
        } else if name_is(name, "transfer-encoding") {
            transfer_encoding = true;
            codings.add(header.value)?;
        } else if name_is(name, "host") {
            hosts += 1;
            bad_host |= !is_valid_host(header.value);
        } else if name_is(name, "expect") {
            // RFC 9110 §10.1.1: 100-continue is the only expectation.
            unmet_expectation |= list_elements(header.value)
                .any(|expectation| !expectation.eq_ignore_ascii_case(b"100-continue"));
        } else if name_is(name, "connection") {
            for option in list_elements(header.value) {
                close |= option.eq_ignore_ascii_case(b"close");
                keep_alive |= option.eq_ignore_ascii_case(b"keep-alive");
            }
        }
    }

    // RFC 9112 §3.2: exactly one Host in HTTP/1.1, at most one in 1.0,
    // and a valid one.
    match (hosts, version) {
        (0, Version::Http11) => return Err(ParseError::MissingHost),
        (2.., _) => return Err(ParseError::DuplicateHost),
        _ if bad_host => return Err(ParseError::BadHost),
        _ => {}
    }

    // RFC 9112 §6.3, in its order: Transfer-Encoding first.
    let framing = if transfer_encoding {
        if version == Version::Http10 {
            return Err(ParseError::TransferEncodingInHttp10);
        }
        if content_length.is_some() {
            return Err(ParseError::ConflictingFraming);
        }
        codings.framing()?
    } else {
        match content_length {
            Some(length) if length > config.max_body_bytes as u64 => {
                return Err(ParseError::BodyTooLarge);
            }
            Some(0) | None => None,
            Some(length) => Some(Framing::Length(length)),
        }
    };

    // Only once the message is known to be well-formed and framed: a
    // request that is bad anyway gets its 400.
    if unmet_expectation {
        return Err(ParseError::UnsupportedExpectation);
    }

    let keep_alive = match version {
        Version::Http11 => !close,
        Version::Http10 => keep_alive && !close,
    };
    // The header lines go into the request whole, from the first name to
    // the end of the head.
    let lines_start = match parsed.headers.first() {
        Some(first) => first.name.as_ptr().addr() - head.as_ptr().addr(),
        None => head.len(),
    };
    let request = Request::from_parts(
        Method::from_token(method),
        version,
        keep_alive,
        path,
        query,
        &head[lines_start..],
        parsed.headers.iter().map(|h| (h.name, h.value)),
    );
    // The body is not allocated before its first bytes arrive: a client's
    // say-so alone takes only the budget's count, not memory.
    Ok(Some((head_length, request, framing)))
}

/// Whether a header name httparse read is `lowercase`, whatever its case.
/// `lowercase` is lowercase letters and `-` only. Setting a byte's 0x20
/// bit turns a capital letter into its lowercase and leaves a lowercase
/// letter or `-` as it is; of the bytes a name may have (a token), no
/// other becomes a letter or `-` by it. So one OR a byte compares it
/// without regard to case, and every byte is compared without a branch.
fn name_is(name: &str, lowercase: &str) -> bool {
    name.len() == lowercase.len()
        && name
            .bytes()
            .zip(lowercase.bytes())
            .fold(true, |same, (byte, low)| same & (byte | 0x20 == low))
}

/// Whether every line of a head httparse took ends in CRLF: see
/// `Parser::find_head_end` for why a bare LF is refused.
///
/// httparse ends a line at a bare LF as well as at a CRLF. It refuses a
/// head in which an LF could end anything but a line (a header value
/// cannot hold one; a line cannot be folded). So the LFs of the head are
/// exactly the ends of its lines, and each line but the first starts just
/// after one: the first header's name after the request line, each other
/// header's after the header before it, and the final empty line after
/// the last header. Checking the byte before each of those LFs, and the
/// last line's own, checks every line, without a pass over the bytes.
/// httparse also skips empty lines before the request line, bare LFs
/// among them; the method is where the head starts unless it skipped one.
fn lines_end_in_crlf(head: &[u8], method: Option<&str>, headers: &[httparse::Header<'_>]) -> bool {
    // Where a slice httparse returned starts in the head.
    let start = |bytes: &[u8]| bytes.as_ptr().addr().wrapping_sub(head.as_ptr().addr());
    let cr_before_lf_at = |at: usize| at.checked_sub(1).and_then(|cr| head.get(cr)) == Some(&b'\r');
    let method_starts_the_head = method.is_some_and(|method| start(method.as_bytes()) == 0);
    // The last line is empty, so the LF before it is three bytes from the
    // end when it ends in CRLF itself.
    let last = head.len().wrapping_sub(1);
    method_starts_the_head
        && cr_before_lf_at(last)
        && cr_before_lf_at(last.wrapping_sub(2))
        && headers
            .iter()
            .all(|header| cr_before_lf_at(start(header.name.as_bytes()).wrapping_sub(1)))
}

/// The transfer codings of a request, across all its `Transfer-Encoding`
/// lines, as far as framing needs them.
#[derive(Default)]
struct Codings {
    count: usize,
    chunked: usize,
    last_is_chunked: bool,
}

impl Codings {
    /// Count the codings of one `Transfer-Encoding` line. A coding may
    /// carry parameters (`gzip;level=1`), but `chunked` defines none
    /// (RFC 9112 §7.1): `chunked;x=y` is refused rather than read as
    /// `chunked` by this server and as something else by a proxy.
    fn add(&mut self, value: &[u8]) -> Result<(), ParseError> {
        for coding in list_elements(value) {
            let (name, parameters) = match coding.iter().position(|&b| b == b';') {
                Some(at) => (&coding[..at], true),
                None => (coding, false),
            };
            let is_chunked = name.trim_ascii().eq_ignore_ascii_case(b"chunked");
            if is_chunked && parameters {
                return Err(ParseError::ChunkedWithParameters);
            }
            self.count += 1;
            self.chunked += usize::from(is_chunked);
            self.last_is_chunked = is_chunked;
        }
        Ok(())
    }

    /// RFC 9112 §6.1 and §6.3: chunked must be last, and applied once;
    /// then any other coding is one this server does not implement.
    fn framing(&self) -> Result<Option<Framing>, ParseError> {
        if !self.last_is_chunked || self.chunked > 1 {
            return Err(ParseError::ChunkedNotLast);
        }
        if self.count > 1 {
            return Err(ParseError::UnsupportedTransferCoding);
        }
        Ok(Some(Framing::Chunked(ChunkedDecoder::new())))
    }
}

/// The elements of a comma-separated header value, trimmed, empty ones
/// dropped (RFC 9110 §5.6.1).
fn list_elements(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(<[u8]>::trim_ascii)
        .filter(|element| !element.is_empty())
}

/// `Content-Length`: decimal digits only, surrounding whitespace allowed.
/// A list (`5, 5`), a sign or a space inside is refused. A number too big
/// for 64 bits is certainly over the body limit.
fn parse_content_length(value: &[u8]) -> Result<u64, ParseError> {
    let digits = value.trim_ascii();
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(ParseError::BadContentLength);
    }
    digits.iter().try_fold(0u64, |length, &digit| {
        length
            .checked_mul(10)
            .and_then(|length| length.checked_add(u64::from(digit - b'0')))
            .ok_or(ParseError::BodyTooLarge)
    })
}

/// Whether a `Host` value is `uri-host [ ":" port ]` (RFC 9112 §3.2,
/// RFC 3986 §3.2.2): a registered name or IPv4 address, or an IPv6 (or
/// future) address in brackets; then, optionally, a colon and digits. An
/// empty value is valid: it is what a client sends for a target with no
/// authority. httparse has already taken the whitespace around a value
/// off (a test checks), and a target has none.
#[inline(always)]
fn is_valid_host(value: &[u8]) -> bool {
    is_plain_host(value) || is_valid_host_in_full(value)
}

/// The common cases of a valid `Host`, a plain name with or without a
/// port (`localhost`, `127.0.0.1:8080`, what wrk and curl send): name
/// bytes up to the first that is not one, then nothing, or a colon and
/// digits. `false` for anything else, valid or not: the full check
/// decides those. One pass, inlined where the parser calls it.
#[inline(always)]
fn is_plain_host(value: &[u8]) -> bool {
    let is_name = |byte: &u8| REG_NAME[usize::from(*byte)];
    // Eight bytes a step while all eight are name bytes, with one branch
    // for the eight (`&`, not `&&`: no branch per byte); then a byte at a
    // time to the first that is not one. wrk's and curl's
    // `127.0.0.1:8080` is one step and two bytes.
    let mut rest = value;
    while let Some((eight, tail)) = rest.split_first_chunk::<8>() {
        if !eight.iter().fold(true, |all, byte| all & is_name(byte)) {
            break;
        }
        rest = tail;
    }
    let name_end =
        value.len() - rest.len() + rest.iter().position(|b| !is_name(b)).unwrap_or(rest.len());
    match &value[name_end..] {
        [] => true,
        [b':', port @ ..] => port.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// [`is_valid_host`] for every other value: kept apart, so that the
/// common case is a short loop where the parser calls it, without a call.
#[inline(never)]
fn is_valid_host_in_full(value: &[u8]) -> bool {
    let (host_is_valid, port) = match value.strip_prefix(b"[") {
        Some(literal) => {
            let Some(close) = literal.iter().position(|&b| b == b']') else {
                return false;
            };
            let port = match &literal[close + 1..] {
                [] => None,
                [b':', port @ ..] => Some(port),
                _ => return false,
            };
            (is_ip_literal(&literal[..close]), port)
        }
        // A plain name, with or without a port, was taken by
        // `is_plain_host` already: here it is one with `%` escapes, or
        // one that is not valid.
        None => match value.iter().position(|&b| b == b':') {
            Some(at) => (is_reg_name(&value[..at]), Some(&value[at + 1..])),
            None => (is_reg_name(value), None),
        },
    };
    host_is_valid && port.is_none_or(|port| port.iter().all(u8::is_ascii_digit))
}

/// `host:port`, the authority form of a target (RFC 9112 §3.2.3): a valid
/// host, and a port that is required.
fn is_authority(target: &[u8]) -> bool {
    match target.iter().rposition(|&b| b == b':') {
        Some(colon) => {
            let port = &target[colon + 1..];
            colon > 0
                && !port.is_empty()
                && port.iter().all(u8::is_ascii_digit)
                && is_valid_host(target)
        }
        None => false,
    }
}

/// `reg-name` (RFC 3986 §3.2.2), which includes IPv4 addresses:
/// unreserved characters, sub-delims and `%XX` escapes.
fn is_reg_name(name: &[u8]) -> bool {
    // The common case, a name with no percent-encoding, one table lookup
    // a byte.
    if name.iter().all(|&b| REG_NAME[b as usize]) {
        return true;
    }
    let mut rest = name;
    while let [first, tail @ ..] = rest {
        rest = match (first, tail) {
            (b'%', [high, low, after @ ..])
                if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() =>
            {
                after
            }
            (b'%', _) => return false,
            (&byte, _) if REG_NAME[byte as usize] => tail,
            _ => return false,
        };
    }
    true
}

/// The bytes a `reg-name` has unencoded: unreserved and sub-delims.
const REG_NAME: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = is_unreserved(byte as u8) || is_sub_delim(byte as u8);
        byte += 1;
    }
    table
};

/// What goes between the brackets of an `IP-literal` (RFC 3986 §3.2.2):
/// an IPv6 address, or `v` HEXDIG+ `.` and unreserved, sub-delims or `:`.
fn is_ip_literal(literal: &[u8]) -> bool {
    if let [b'v' | b'V', rest @ ..] = literal {
        let Some(dot) = rest.iter().position(|&b| b == b'.') else {
            return false;
        };
        let (version, address) = (&rest[..dot], &rest[dot + 1..]);
        return !version.is_empty()
            && version.iter().all(u8::is_ascii_hexdigit)
            && !address.is_empty()
            && address
                .iter()
                .all(|&b| is_unreserved(b) || is_sub_delim(b) || b == b':');
    }
    std::str::from_utf8(literal).is_ok_and(|text| text.parse::<std::net::Ipv6Addr>().is_ok())
}

/// RFC 3986 §2.3.
const fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// RFC 3986 §2.2.
const fn is_sub_delim(byte: u8) -> bool {
    matches!(
        byte,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

/// Split a request target into path and query (RFC 9112 §3.2): the
/// origin form `/path?query`, the absolute form `http://host/path?query`
/// (reduced to its path), or the asterisk form `*`.
///
/// Inlined into the parser: as a call of its own it would save and
/// restore the registers that its rare paths (an absolute-form target, a
/// long one) need, which costs more than splitting `/` itself.
#[inline(always)]
fn split_target(target: &str) -> Result<(&str, Option<&str>), ParseError> {
    let origin = if target.starts_with('/') || target == "*" {
        target
    } else {
        let starts_with = |scheme: &str| {
            let bytes = target.as_bytes();
            bytes.len() >= scheme.len()
                && bytes[..scheme.len()].eq_ignore_ascii_case(scheme.as_bytes())
        };
        // Both prefixes are ASCII, so the slices below are at a character
        // boundary.
        let after_scheme = if starts_with("http://") {
            &target[7..]
        } else if starts_with("https://") {
            &target[8..]
        } else {
            return Err(ParseError::BadTarget);
        };
        match after_scheme.find(['/', '?']) {
            Some(start) if after_scheme[start..].starts_with('/') => &after_scheme[start..],
            Some(start) => return Ok(("/", Some(&after_scheme[start + 1..]))),
            None => "/",
        }
    };
    // A fragment is never sent; if one is, it is not part of the path or
    // the query. (Both bytes are ASCII, so the slices are at character
    // boundaries.) One search for the first of the two, since most
    // targets have neither. Most targets are also short (`/`,
    // `/fib?n=12`), and for those a plain loop is cheaper than setting up
    // memchr's vector search, which pays off only over longer ones.
    let bytes = origin.as_bytes();
    let mark = if bytes.len() < 32 {
        bytes.iter().position(|&b| b == b'?' || b == b'#')
    } else {
        memchr::memchr2(b'?', b'#', bytes)
    };
    Ok(match mark {
        Some(mark) if bytes[mark] == b'?' => {
            let query = &origin[mark + 1..];
            let query = match memchr::memchr(b'#', query.as_bytes()) {
                Some(hash) => &query[..hash],
                None => query,
            };
            (&origin[..mark], Some(query))
        }
        Some(hash) => (&origin[..hash], None),
        None => (origin, None),
    })
}

/// httparse says "invalid version" for anything it cannot read after the
/// target; only a well-formed version that is not 1.0 or 1.1, in a request
/// line of exactly three parts, deserves `505`. A line of more parts has a
/// space inside its target (`GET /a b HTTP/1.1`), which RFC 9112 §3 makes
/// a malformed request line: `400`.
fn version_error(head: &[u8]) -> ParseError {
    let line = head
        .split(|&b| b == b'\n')
        .next()
        .unwrap_or(head)
        .trim_ascii();
    if line.split(|&b| b == b' ').count() != 3 {
        return ParseError::Malformed("the request line is not method, target and version");
    }
    let version = line.rsplit(|&b| b == b' ').next().unwrap_or(line);
    match version {
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            ParseError::UnsupportedVersion
        }
        [b'H', b'T', b'T', b'P', b'/', major] if major.is_ascii_digit() => {
            ParseError::UnsupportedVersion
        }
        _ => ParseError::Malformed("invalid http version"),
    }
}

/// httparse's errors, in this crate's words.
fn describe(error: httparse::Error) -> &'static str {
    match error {
        httparse::Error::HeaderName => "invalid header name",
        httparse::Error::HeaderValue => "invalid header value",
        httparse::Error::NewLine => "invalid line ending",
        httparse::Error::Status => "invalid status",
        httparse::Error::Token => "invalid method or target",
        httparse::Error::TooManyHeaders => "too many headers",
        httparse::Error::Version => "invalid http version",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parse `input` whole: every request in it, or the first error.
    fn parse_all(input: &[u8], config: &Config) -> Result<Vec<Request>, ParseError> {
        let mut parser = Parser::new();
        let mut requests = Vec::new();
        let mut rest = input;
        loop {
            let parsed = parser.parse(rest, config)?;
            rest = &rest[parsed.consumed..];
            match parsed.request {
                Some(request) => requests.push(request),
                None => return Ok(requests),
            }
        }
    }

    fn parse_one(input: &str) -> Result<Request, ParseError> {
        let mut requests = parse_all(input.as_bytes(), &Config::default())?;
        assert_eq!(requests.len(), 1, "{input:?}");
        Ok(requests.remove(0))
    }

    fn error(input: &str) -> ParseError {
        parse_all(input.as_bytes(), &Config::default()).unwrap_err()
    }

    #[test]
    fn a_get_request() {
        let request = parse_one("GET /fib?n=10 HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        assert_eq!(request.method, Method::Get);
        assert_eq!(request.path(), "/fib");
        assert_eq!(request.query(), Some("n=10"));
        assert_eq!(request.version, Version::Http11);
        assert_eq!(request.header("HOST"), Some(&b"localhost"[..]));
        assert!(request.body.is_empty());
        assert!(request.keep_alive);
    }

    #[test]
    fn bodies_by_length_and_by_chunks() {
        let request =
            parse_one("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello").unwrap();
        assert_eq!(request.body, b"hello");
        let request = parse_one(
            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
             2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(request.body, b"hello");
    }

    #[test]
    fn pipelined_requests_come_out_in_order() {
        let input = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n\
                     POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi\
                     GET /c HTTP/1.1\r\nHost: x\r\n\r\n";
        let requests = parse_all(input.as_bytes(), &Config::default()).unwrap();
        let paths: Vec<_> = requests.iter().map(|r| r.path()).collect();
        assert_eq!(paths, ["/a", "/b", "/c"]);
        assert_eq!(requests[1].body, b"hi");
    }

    #[test]
    fn keep_alive_follows_the_version_and_connection() {
        let keep = |input: &str| parse_one(input).unwrap().keep_alive;
        assert!(keep("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(!keep(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        ));
        assert!(!keep(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: foo, Close\r\n\r\n"
        ));
        assert!(!keep("GET / HTTP/1.0\r\n\r\n"));
        assert!(keep("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    }

    #[test]
    fn targets_in_every_form() {
        let target = |t: &str| {
            let request = parse_one(&format!("OPTIONS {t} HTTP/1.1\r\nHost: x\r\n\r\n")).unwrap();
            (
                request.path().to_owned(),
                request.query().map(str::to_owned),
            )
        };
        assert_eq!(target("/a/b"), ("/a/b".to_owned(), None));
        assert_eq!(
            target("http://x/fib?n=2"),
            ("/fib".to_owned(), Some("n=2".to_owned()))
        );
        assert_eq!(target("HTTP://x"), ("/".to_owned(), None));
        assert_eq!(
            target("http://x?n=1"),
            ("/".to_owned(), Some("n=1".to_owned()))
        );
        assert_eq!(target("https://x/y"), ("/y".to_owned(), None));
        assert_eq!(target("*"), ("*".to_owned(), None));
        // A fragment, never sent by a client that follows RFC 9110, is
        // dropped from whichever part it ends.
        assert_eq!(target("/a#f?n=1"), ("/a".to_owned(), None));
        assert_eq!(
            target("/a?n=1#f?m=2"),
            ("/a".to_owned(), Some("n=1".to_owned()))
        );
        assert_eq!(
            target("http://x/a?#f"),
            ("/a".to_owned(), Some(String::new()))
        );
        assert_eq!(
            error("GET fib HTTP/1.1\r\nHost: x\r\n\r\n"),
            ParseError::BadTarget
        );
    }

    #[test]
    fn leading_empty_lines_are_ignored() {
        let request = parse_one("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!(request.path(), "/");
    }

    #[test]
    fn smuggling_setups_are_refused() {
        let cases = [
            (
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
                ParseError::ConflictingFraming,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n",
                ParseError::DuplicateContentLength,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\n",
                ParseError::BadContentLength,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\n",
                ParseError::BadContentLength,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x3\r\n\r\n",
                ParseError::BadContentLength,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n",
                ParseError::BadContentLength,
            ),
            (
                "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
                ParseError::TransferEncodingInHttp10,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                ParseError::ChunkedNotLast,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
                ParseError::ChunkedNotLast,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                ParseError::ChunkedNotLast,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                ParseError::UnsupportedTransferCoding,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length : 3\r\n\r\nabc",
                ParseError::Malformed("invalid header name"),
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\n Content-Length: 3\r\n\r\nabc",
                ParseError::Malformed("invalid header name"),
            ),
            ("GET / HTTP/1.1\r\n\r\n", ParseError::MissingHost),
            (
                "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                ParseError::DuplicateHost,
            ),
            // A proxy splitting on CRLF sees one header `X` here.
            (
                "POST / HTTP/1.1\r\nHost: x\r\nX: a\nContent-Length: 5\r\n\r\nhello",
                ParseError::BareLineFeed,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;x=y\r\n\r\n",
                ParseError::ChunkedWithParameters,
            ),
            (
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked ; q=1\r\n\r\n",
                ParseError::ChunkedWithParameters,
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(error(input), expected, "{input:?}");
        }
    }

    #[test]
    fn every_line_ends_in_crlf() {
        for input in [
            "GET / HTTP/1.1\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\n\n",
            "GET / HTTP/1.1\nHost: x\n\n",
            "\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
        ] {
            assert_eq!(error(input), ParseError::BareLineFeed, "{input:?}");
        }
        // A bare CR is httparse's to refuse.
        let bare_cr = "GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n";
        assert_eq!(error(bare_cr).status().code(), 400);
        // Found whatever the reads: a bare LF right after a cut.
        let config = Config::default();
        let mut parser = Parser::new();
        let input = b"GET / HTTP/1.1\r\nHost: x\r\nX: a\nY: b\r\n\r\n";
        let cut = input.iter().position(|&b| b == b'a').unwrap() + 1;
        assert_eq!(parser.parse(&input[..cut], &config).unwrap().consumed, 0);
        assert_eq!(parser.parse(input, &config), Err(ParseError::BareLineFeed));
    }

    #[test]
    fn header_names_are_matched_whatever_their_case() {
        for name in ["host", "Host", "HOST", "hOsT"] {
            assert!(name_is(name, "host"), "{name}");
        }
        for name in ["hos", "hosts", "hosu", "h0st", "ho_t"] {
            assert!(!name_is(name, "host"), "{name}");
        }
        assert!(name_is("Content-Length", "content-length"));
        assert!(!name_is("Content_Length", "content-length"));
        assert!(!name_is("Content.Length", "content-length"));
    }

    /// The inlined common case never takes a value the full check
    /// refuses, over every value of up to four bytes made of the bytes a
    /// `Host` is made of and some it must not have.
    #[test]
    fn a_plain_host_is_a_valid_host() {
        // What `is_plain_host` decides, written the plain way.
        fn plain_host_a_byte_at_a_time(value: &[u8]) -> bool {
            let name_end = value
                .iter()
                .position(|&b| !REG_NAME[usize::from(b)])
                .unwrap_or(value.len());
            match &value[name_end..] {
                [] => true,
                [b':', port @ ..] => port.iter().all(u8::is_ascii_digit),
                _ => false,
            }
        }

        let alphabet = b"a1:.%[]@ -";
        let mut values: Vec<Vec<u8>> = vec![Vec::new()];
        let mut checked = 0;
        for _ in 0..4 {
            values = values
                .iter()
                .flat_map(|value| {
                    alphabet.iter().map(move |&b| {
                        let mut longer = value.clone();
                        longer.push(b);
                        longer
                    })
                })
                .collect();
            for short in &values {
                // Each value alone, and after and before eight or seven
                // name bytes, so that the eight-byte steps take it in
                // whole, in part and not at all.
                let longer = [
                    short.clone(),
                    [&b"abcdefgh"[..], short].concat(),
                    [&b"abcdefg"[..], short].concat(),
                    [short, &b"abcdefgh"[..]].concat(),
                ];
                for value in &longer {
                    let shown = String::from_utf8_lossy(value);
                    assert_eq!(
                        is_plain_host(value),
                        plain_host_a_byte_at_a_time(value),
                        "{shown:?}"
                    );
                    if is_plain_host(value) {
                        assert!(is_valid_host_in_full(value), "{shown:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(is_plain_host(b"127.0.0.1:8080") && is_plain_host(b"localhost"));
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn hosts_are_uri_host_and_port() {
        let host = |value: &str| {
            parse_all(
                format!("GET / HTTP/1.1\r\nHost: {value}\r\n\r\n").as_bytes(),
                &Config::default(),
            )
        };
        for good in [
            "example.com",
            "example.com:8080",
            "127.0.0.1:80",
            "[::1]",
            "[::1]:8080",
            "[2001:db8::7]",
            "[::ffff:192.0.2.1]",
            "[v1.x:y]",
            "xn--bcher-kva.example",
            "a%20b",
            "sub-delims!$&'()*+,;=",
            "",
            "example.com:",
            // Whitespace around a value is not part of it (RFC 9110 §5.5).
            "  example.com \t ",
        ] {
            assert!(host(good).is_ok(), "{good:?}");
        }
        for bad in [
            "a b",
            "a:b",
            "a:80:80",
            "a:-1",
            "a/b",
            "a@b",
            "user@example.com",
            "[::1",
            "[::1]x",
            "[::1]:x",
            "[zz::1]",
            "[fe80::1%25eth0]",
            "[v.x]",
            "a%2",
            "a%zz",
            "\"quoted\"",
        ] {
            assert_eq!(host(bad), Err(ParseError::BadHost), "{bad:?}");
        }
    }

    #[test]
    fn only_100_continue_is_expected() {
        let expect = |value: &str| {
            parse_all(
                format!(
                    "POST / HTTP/1.1\r\nHost: x\r\nExpect: {value}\r\nContent-Length: 1\r\n\r\nx"
                )
                .as_bytes(),
                &Config::default(),
            )
        };
        assert!(expect("100-continue").is_ok());
        assert!(expect("100-Continue").is_ok());
        for bad in [
            "200-ok",
            "100-continue, foo",
            "100-continue; x=1",
            "100-continue=x",
        ] {
            assert_eq!(
                expect(bad),
                Err(ParseError::UnsupportedExpectation),
                "{bad:?}"
            );
        }
        assert_eq!(ParseError::UnsupportedExpectation.status().code(), 417);
        // A request that is bad anyway gets its 400 first.
        assert_eq!(
            error("GET / HTTP/1.1\r\nExpect: nope\r\n\r\n"),
            ParseError::MissingHost
        );
    }

    #[test]
    fn the_authority_form_is_for_connect_only() {
        let request =
            parse_one("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        assert_eq!(request.unwrap().path(), "example.com:443");
        for bad in [
            "CONNECT /x HTTP/1.1",
            "CONNECT example.com HTTP/1.1",
            "CONNECT :443 HTTP/1.1",
            "CONNECT example.com:https HTTP/1.1",
            "GET example.com:443 HTTP/1.1",
        ] {
            let input = format!("{bad}\r\nHost: x\r\n\r\n");
            assert_eq!(error(&input), ParseError::BadTarget, "{bad}");
        }
    }

    #[test]
    fn the_asterisk_is_for_options_only() {
        assert_eq!(
            parse_one("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap()
                .path(),
            "*"
        );
        for method in ["GET", "POST", "HEAD", "BREW"] {
            let input = format!("{method} * HTTP/1.1\r\nHost: x\r\n\r\n");
            assert_eq!(error(&input), ParseError::BadTarget, "{method}");
        }
    }

    #[test]
    fn versions() {
        assert_eq!(
            error("GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
            ParseError::UnsupportedVersion
        );
        assert_eq!(
            error("GET / HTTP/1.2\r\nHost: x\r\n\r\n"),
            ParseError::UnsupportedVersion
        );
        assert_eq!(
            error("GET / FTP/1.1\r\nHost: x\r\n\r\n"),
            ParseError::Malformed("invalid http version")
        );
        assert_eq!(
            error("GET / HTTP/11\r\nHost: x\r\n\r\n"),
            ParseError::Malformed("invalid http version")
        );
        // A space inside the target makes four parts, not a version
        // this server lacks (RFC 9112 §3).
        for line in ["GET /a b HTTP/1.1", "GET /a  HTTP/1.1", "GET / x HTTP/2.0"] {
            assert_eq!(
                error(&format!("{line}\r\nHost: x\r\n\r\n")),
                ParseError::Malformed("the request line is not method, target and version"),
                "{line}"
            );
        }
    }

    #[test]
    fn limits() {
        let config = Config {
            max_head_bytes: 100,
            max_headers: 2,
            max_body_bytes: 10,
            ..Config::default()
        };
        let big_head = format!(
            "GET / HTTP/1.1\r\nHost: x\r\nX: {}\r\n\r\n",
            "a".repeat(100)
        );
        assert_eq!(
            parse_all(big_head.as_bytes(), &config),
            Err(ParseError::HeadTooLarge)
        );
        // Too large even before its end arrives.
        assert_eq!(
            parse_all(&big_head.as_bytes()[..110], &config),
            Err(ParseError::HeadTooLarge)
        );
        // A request line that does not end within the limit: its target
        // is too long, 414, whether or not the rest has arrived.
        let long_target = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100));
        assert_eq!(
            parse_all(long_target.as_bytes(), &config),
            Err(ParseError::UriTooLong)
        );
        assert_eq!(
            parse_all(&long_target.as_bytes()[..101], &config),
            Err(ParseError::UriTooLong)
        );
        let many = "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\n\r\n";
        assert_eq!(
            parse_all(many.as_bytes(), &config),
            Err(ParseError::TooManyHeaders)
        );
        let long = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n";
        assert_eq!(
            parse_all(long.as_bytes(), &config),
            Err(ParseError::BodyTooLarge)
        );
        let huge = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n";
        assert_eq!(
            parse_all(huge.as_bytes(), &config),
            Err(ParseError::BodyTooLarge)
        );
        let chunks =
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\n";
        assert_eq!(
            parse_all(chunks.as_bytes(), &config),
            Err(ParseError::BodyTooLarge)
        );
    }

    #[test]
    fn malformed_heads() {
        for input in [
            "GET\r\n\r\n",
            "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost x\r\n\r\n",
            "G\x01T / HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nBad\x7f: y\r\n\r\n",
        ] {
            assert_eq!(error(input).status().code(), 400, "{input:?}");
        }
    }

    #[test]
    fn expect_100_continue_is_owed_once() {
        let config = Config::default();
        let mut parser = Parser::new();
        let head =
            b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
        let parsed = parser.parse(head, &config).unwrap();
        assert_eq!(parsed.consumed, head.len());
        assert!(parser.is_in_body());
        assert!(parser.take_continue());
        assert!(!parser.take_continue());
        let parsed = parser.parse(b"hi", &config).unwrap();
        assert_eq!(parsed.request.unwrap().body, b"hi");
        assert!(parser.is_between_requests());
    }

    #[test]
    fn a_head_is_only_handed_to_httparse_when_complete() {
        let config = Config::default();
        let mut parser = Parser::new();
        let input = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        for end in 0..input.len() {
            let parsed = parser.parse(&input[..end], &config).unwrap();
            assert_eq!(
                parsed,
                Parsed {
                    consumed: 0,
                    request: None
                }
            );
        }
        let parsed = parser.parse(input, &config).unwrap();
        assert_eq!(parsed.consumed, input.len());
        assert!(parsed.request.is_some());
    }
}
