//! [`Output`]: a connection's outgoing side — responses turned into
//! bytes, and a streamed body pulled as the socket drains.
//!
//! Writing is where HTTP/1.1's framing rules live:
//!
//! * A body of known length gets `Content-Length`; a streamed one gets
//!   `Transfer-Encoding: chunked`, and each piece goes out as
//!   `<size in hex>\r\n<data>\r\n`, ended by `0\r\n\r\n`.
//! * HTTP/1.0 has no chunked encoding, so a streamed body is written raw to
//!   a 1.0 client and its end is marked by closing the connection.
//! * A response to `HEAD` has the headers the `GET` would have had, and no
//!   body; `1xx`, `204` and `304` responses have no body at all.
//! * `Connection: close` tells the client this is the last response;
//!   `Connection: keep-alive` tells an HTTP/1.0 client it is not.
//!
//! Streaming is pull-based: a body's next pieces are pulled from its
//! iterator only when everything before them has been written, and only
//! about [`STREAM_CHUNK`] bytes at a time. A client that reads slowly
//! slows the generator down instead of growing a buffer: that is the
//! flat-memory promise of `GET /fib?n=K`.
//!
//! A response that is not ready yet ([`Response::later`], `later.rs`)
//! waits at the end of the queue: what is before it is written, and
//! nothing is queued behind it until its answer has come and been
//! queued in its place.

use std::any::Any;
use std::borrow::Cow;
use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::task::Waker;

use tracing::{debug, error};

use crate::budget::{Budget, StreamPermit};
use crate::date::HttpDate;
use crate::later::{Answer, Later};
use crate::recycle;
use crate::response::put_decimal;
use crate::{Response, ResponseBody, Status, Version};

/// About how many bytes of a streamed body are pulled at a time, and so
/// the size of one chunk on the wire.
pub const STREAM_CHUNK: usize = 16 * 1024;

/// How many chunks of a streamed body one drive of a connection may pull
/// before it lets the event loop serve other connections: a client that reads as fast as a
/// stream is made would otherwise keep the loop to itself. Four chunks,
/// 64 KiB: at `GET /fib?n=100000`'s far end (about 23 ns of CPU a byte,
/// the cost of printing a 70,000-bit number in decimal) about 1.5 ms.
pub const PULL_BUDGET: usize = 4;

/// The `Retry-After` a `503` carries: the limits it meets (streams in
/// flight, the memory budget) free up as other clients finish, in
/// seconds rather than minutes.
pub const RETRY_AFTER: &str = "1";

/// How many bytes of answers to pipelined requests are queued before they
/// are written: enough for dozens of small responses in one `send`.
pub const BATCH_BYTES: usize = 16 * 1024;

/// What the connection knows about the request a response answers.
#[derive(Clone, Copy, Debug)]
pub struct ResponseMeta {
    /// A `HEAD` request: headers only.
    pub head_only: bool,
    /// The request's version, which decides what framing the client knows.
    pub version: Version,
    /// Whether the connection may stay open after this response.
    pub keep_alive: bool,
}

/// The result of writing as much as the socket takes.
#[derive(Debug)]
pub enum Flush {
    /// Everything is written, streams included.
    Done,
    /// The socket is full: try again when it is writable.
    Blocked,
    /// The socket could take more, but this connection has had its turn:
    /// try again soon, without waiting for an event.
    Paused,
    /// Everything is written, and a response that is not ready yet comes
    /// next: [`Output::poll_later`] says when it has come.
    Waiting,
    /// A streamed body panicked while producing its next piece. Its
    /// headers are already sent, so the only honest thing left is to close
    /// the connection, which tells the client the body is incomplete.
    StreamPanicked(String),
}

/// A body being streamed.
struct Stream {
    chunks: Box<dyn Iterator<Item = Vec<u8>>>,
    /// Chunked encoding, or raw bytes ended by closing (HTTP/1.0).
    chunked: bool,
    /// Its place in the loop's count of streams, given back with it.
    _permit: Option<StreamPermit>,
}

/// Bytes waiting to be written, and the stream they come from.
#[derive(Default)]
pub struct Output {
    pending: Vec<u8>,
    /// How much of `pending` has been written already.
    written: usize,
    /// Boxed: most connections never stream, and an idle one should stay
    /// small.
    stream: Option<Box<Stream>>,
    /// The stream panicked: the message, reported once what it produced
    /// before the panic has been written.
    panicked: Option<String>,
    /// A response not ready yet, and the request it answers; boxed, as
    /// `stream` is, since it is rare.
    later: Option<Box<(Later, ResponseMeta)>>,
}

impl Output {
    /// Nothing to write.
    pub fn new() -> Output {
        Output::default()
    }

    /// Whether everything has been written, streams included.
    pub fn is_empty(&self) -> bool {
        self.written == self.pending.len() && self.stream.is_none() && self.later.is_none()
    }

    /// Whether another response can be queued behind what is here before
    /// writing: the answers to pipelined requests then leave in one write.
    /// Not behind a streamed body, which goes out as the socket allows, and
    /// not past [`BATCH_BYTES`], so a client that pipelines without reading
    /// still meets back-pressure. Not behind a response that is not ready
    /// yet either: answers leave in the order of their requests.
    pub fn can_batch(&self) -> bool {
        self.stream.is_none()
            && self.later.is_none()
            && self.pending.len() - self.written < BATCH_BYTES
    }

    /// What the output costs the memory budget: its buffer's capacity,
    /// which holds the bytes not yet written (and is freed by
    /// [`release`](Output::release) once they are).
    pub fn held(&self) -> usize {
        self.pending.capacity()
    }

    /// Give the buffer back to the thread's spares if there is nothing in
    /// it: an idle connection holds no capacity, and the next response,
    /// on this connection or another, takes a warm buffer instead of
    /// allocating one.
    pub fn release(&mut self) {
        if self.is_empty() && self.pending.capacity() > 0 {
            recycle::give_bytes(std::mem::take(&mut self.pending));
            self.written = 0;
        }
    }

    /// The buffer, taken from the thread's spares if this output holds
    /// none. Inlined where a response is queued: in the handler model the
    /// buffer is most often there already, and in the task model, where
    /// every response leaves in its own buffer, taking the spare one is a
    /// few instructions (see `recycle.rs`).
    #[inline(always)]
    fn buffer(&mut self) -> &mut Vec<u8> {
        if self.pending.capacity() == 0 {
            self.pending = recycle::take_bytes();
        }
        &mut self.pending
    }

    /// Queue bytes exactly as given: the interim `100 Continue`.
    pub fn push_raw(&mut self, bytes: &[u8]) {
        self.buffer().extend_from_slice(bytes);
    }

    /// Queue a plain-text error response that ends the connection; a
    /// `503` says when to try again.
    pub fn push_error(&mut self, status: Status, message: &str, date: &HttpDate) {
        let message = message.to_owned();
        let meta = ResponseMeta {
            head_only: false,
            version: Version::Http11,
            keep_alive: false,
        };
        let mut response = Response::text(status, message);
        if status == Status::SERVICE_UNAVAILABLE {
            response = response.header("Retry-After", RETRY_AFTER);
        }
        self.push(response, meta, date, None);
    }

    /// Queue a response. Returns whether the connection may stay open
    /// after it: `meta.keep_alive`, unless the body has to be ended by
    /// closing.
    ///
    /// A streamed body takes one of `budget`'s streams for as long as it
    /// streams; with none left, the response is `503` with `Retry-After`
    /// instead (the connection stays open: the client may ask again).
    pub fn push_response(
        &mut self,
        response: Response,
        meta: ResponseMeta,
        date: &HttpDate,
        budget: &Rc<Budget>,
    ) -> bool {
        let streams = matches!(response.body, ResponseBody::Stream(_))
            && response.status.allows_body()
            && !meta.head_only;
        if !streams {
            return self.push(response, meta, date, None);
        }
        match budget.start_stream() {
            Some(permit) => self.push(response, meta, date, Some(permit)),
            None => self.push_busy(meta, date, budget),
        }
    }

    /// The `503` for a stream past the limit. Rare, and kept out of the
    /// way of the code that writes every response.
    #[cold]
    fn push_busy(&mut self, meta: ResponseMeta, date: &HttpDate, budget: &Budget) -> bool {
        debug!(
            streams = budget.streams(),
            "stream limit reached: answering 503"
        );
        let message = "server busy: too many streamed responses at once\n";
        let busy =
            Response::text(Status::SERVICE_UNAVAILABLE, message).header("Retry-After", RETRY_AFTER);
        self.push(busy, meta, date, None)
    }

    fn push(
        &mut self,
        response: Response,
        meta: ResponseMeta,
        date: &HttpDate,
        permit: Option<StreamPermit>,
    ) -> bool {
        let (status, lines, body) = response.into_parts();
        if let ResponseBody::Later(later) = body {
            return self.wait_for(later, lines, meta);
        }
        let mut keep_alive = meta.keep_alive;
        let body = if status.allows_body() {
            body
        } else {
            ResponseBody::Empty
        };
        let stream_chunked = meta.version == Version::Http11;
        if matches!(body, ResponseBody::Stream(_)) && !stream_chunked && !meta.head_only {
            keep_alive = false;
        }

        let out = self.buffer();
        // Written piece by piece rather than with `write!`: this runs for
        // every response, and the formatting machinery costs more than the
        // copying.
        let mut digits = itoa::Buffer::new();
        if status == Status::OK {
            // Most responses: the date keeps the status line and its own
            // as one piece.
            out.extend_from_slice(date.ok_and_date_lines());
        } else {
            match status.line() {
                Some(line) => out.extend_from_slice(line),
                None => {
                    out.extend_from_slice(b"HTTP/1.1 ");
                    out.extend_from_slice(digits.format(status.code()).as_bytes());
                    out.extend_from_slice(b" \r\n");
                }
            }
            out.extend_from_slice(date.header_line());
        }
        out.extend_from_slice(&lines);
        match (&body, status.allows_body()) {
            (_, false) => {}
            (ResponseBody::Empty, true) => out.extend_from_slice(b"Content-Length: 0\r\n"),
            (ResponseBody::Full(bytes), true) => {
                out.extend_from_slice(content_length_line(bytes.len(), &mut [0; LENGTH_LINE]));
            }
            (ResponseBody::Stream(_), true) if stream_chunked => {
                out.extend_from_slice(b"Transfer-Encoding: chunked\r\n");
            }
            (ResponseBody::Stream(_), true) => {}
            (ResponseBody::Later(_), true) => {}
        }
        match (keep_alive, meta.version) {
            (false, _) => out.extend_from_slice(b"Connection: close\r\n"),
            (true, Version::Http10) => out.extend_from_slice(b"Connection: keep-alive\r\n"),
            (true, Version::Http11) => {}
        }
        out.extend_from_slice(b"\r\n");
        recycle::give_header_lines(lines);

        if !meta.head_only {
            match body {
                ResponseBody::Empty => {}
                ResponseBody::Full(bytes) => {
                    out.extend_from_slice(&bytes);
                    if let Cow::Owned(bytes) = bytes {
                        recycle::give_bytes(bytes);
                    }
                }
                ResponseBody::Stream(chunks) => self.start_stream(chunks, stream_chunked, permit),
                // Taken care of above.
                ResponseBody::Later(_) => {}
            }
        }
        keep_alive
    }

    /// Hold `later` until its answer comes; the placeholder's header lines
    /// are dropped, not given back to the spares: a second call site of
    /// `give_header_lines` made the compiler stop inlining it into
    /// [`push`](Output::push), which every response goes through (27
    /// instructions a request under callgrind). Whether the connection may
    /// stay open is for the answer to say (an HTTP/1.0 stream must close
    /// it), so for now it is what the request said.
    #[cold]
    #[inline(never)]
    fn wait_for(&mut self, later: Later, lines: Vec<u8>, meta: ResponseMeta) -> bool {
        drop(lines);
        self.later = Some(Box::new((later, meta)));
        meta.keep_alive
    }

    /// After [`Flush::Waiting`]: queue the answer of the response that was
    /// not ready, if it has come, and say whether the connection may stay
    /// open after it (as [`push_response`](Output::push_response) does);
    /// if it has not, `None`, and `waker` (called only then, and only
    /// once) is woken when it comes. A reply dropped unsent, or a
    /// function that panics making the response, is answered `500`.
    pub(crate) fn poll_later(
        &mut self,
        waker: impl FnOnce() -> Waker,
        date: &HttpDate,
        budget: &Rc<Budget>,
    ) -> Option<bool> {
        let (later, meta) = self.later.as_deref()?;
        let answer = later.poll(waker)?;
        let meta = *meta;
        self.later = None;
        let failure = match answer {
            Answer::Sent(make) => match catch_unwind(AssertUnwindSafe(make)) {
                Ok(response) => return Some(self.push_response(response, meta, date, budget)),
                Err(payload) => format!(
                    "making a later response panicked: {}",
                    panic_message(payload.as_ref())
                ),
            },
            Answer::Abandoned => "a later response's reply was dropped unsent".to_owned(),
        };
        error!("{failure}; answering 500");
        let response = Response::text(Status::INTERNAL_SERVER_ERROR, "internal server error\n");
        Some(self.push_response(response, meta, date, budget))
    }

    /// Stream `chunks` once what is queued has been written. Out of line:
    /// most responses are not streamed.
    #[inline(never)]
    fn start_stream(
        &mut self,
        chunks: Box<dyn Iterator<Item = Vec<u8>>>,
        chunked: bool,
        permit: Option<StreamPermit>,
    ) {
        self.stream = Some(Box::new(Stream {
            chunks,
            chunked,
            _permit: permit,
        }));
    }

    /// Whether there is nothing left at all: everything written, and no
    /// stream's panic still to report.
    pub(crate) fn is_finished(&self) -> bool {
        self.is_empty() && self.panicked.is_none()
    }

    /// Everything queued, as the buffer that holds it rather than a copy,
    /// when that is all there is: nothing of it written yet, and no
    /// stream behind it. The output takes a spare buffer for its next
    /// response.
    pub(crate) fn take_whole(&mut self) -> Option<Vec<u8>> {
        let whole = self.written == 0
            && !self.pending.is_empty()
            && self.stream.is_none()
            && self.panicked.is_none();
        whole.then(|| std::mem::take(&mut self.pending))
    }

    /// Write as much as `writer` takes, pulling streamed pieces as room
    /// appears, at most [`PULL_BUDGET`] of them. `wrote` counts the bytes
    /// that went out.
    pub fn write_to(&mut self, writer: &mut impl Write, wrote: &mut usize) -> io::Result<Flush> {
        let mut pulls = 0;
        loop {
            while self.written < self.pending.len() {
                match writer.write(&self.pending[self.written..]) {
                    Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                    Ok(count) => {
                        self.written += count;
                        *wrote += count;
                    }
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                    Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                        return Ok(Flush::Blocked);
                    }
                    Err(error) => return Err(error),
                }
            }
            self.pending.clear();
            self.written = 0;
            if let Some(message) = self.panicked.take() {
                return Ok(Flush::StreamPanicked(message));
            }
            if self.stream.is_none() {
                if self.later.is_some() {
                    return Ok(Flush::Waiting);
                }
                return Ok(Flush::Done);
            }
            if pulls == PULL_BUDGET {
                return Ok(Flush::Paused);
            }
            pulls += 1;
            self.pull();
        }
    }

    /// Pull about [`STREAM_CHUNK`] bytes from the stream into `pending`,
    /// framed; at its end, the last chunk too. Catches a panic in the
    /// iterator, which is the backend's generator running: what it
    /// produced before is still sent, the last chunk is not, and the
    /// panic is reported once that is written.
    fn pull(&mut self) {
        if self.pending.capacity() == 0 {
            self.pending = recycle::take_bytes();
        }
        let Some(stream) = &mut self.stream else {
            return;
        };
        let mut finished = false;
        while self.pending.len() < STREAM_CHUNK {
            match catch_unwind(AssertUnwindSafe(|| stream.chunks.next())) {
                Ok(Some(piece)) => self.pending.extend_from_slice(&piece),
                Ok(None) => {
                    finished = true;
                    break;
                }
                Err(payload) => {
                    self.panicked = Some(panic_message(payload.as_ref()).to_owned());
                    break;
                }
            }
        }
        if stream.chunked && !self.pending.is_empty() {
            // The size line goes before data already collected: one move of
            // at most STREAM_CHUNK bytes, cheaper than collecting twice.
            let mut line = [0u8; 20];
            let mut rest = &mut line[..];
            let _ = write!(rest, "{:x}\r\n", self.pending.len());
            let length = 20 - rest.len();
            self.pending.splice(0..0, line[..length].iter().copied());
            self.pending.extend_from_slice(b"\r\n");
        }
        if finished && stream.chunked {
            self.pending.extend_from_slice(b"0\r\n\r\n");
        }
        if finished || self.panicked.is_some() {
            self.stream = None;
        }
    }
}

/// Room for `Content-Length: ` (16 bytes), 20 digits and CRLF.
const LENGTH_LINE: usize = 16 + 20 + 2;

/// `Content-Length: <length>\r\n`, put together in `line` so that it is
/// copied into the buffer in one piece: the digits are written from the
/// right, and the name goes just before wherever they start.
fn content_length_line(length: usize, line: &mut [u8; LENGTH_LINE]) -> &[u8] {
    line[LENGTH_LINE - 2..].copy_from_slice(b"\r\n");
    let digits = put_decimal(length as u64, line, LENGTH_LINE - 2);
    line[digits - 16..digits].copy_from_slice(b"Content-Length: ");
    &line[digits - 16..]
}

/// The message a panic was raised with, when it is text.
pub fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic with a non-text payload")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> HttpDate {
        let mut date = HttpDate::now();
        date.update(std::time::UNIX_EPOCH + std::time::Duration::from_secs(784_111_777));
        date
    }

    fn meta(version: Version, head_only: bool, keep_alive: bool) -> ResponseMeta {
        ResponseMeta {
            head_only,
            version,
            keep_alive,
        }
    }

    /// Everything the output writes, with a writer that takes all of it.
    fn written(output: &mut Output) -> String {
        let mut bytes = Vec::new();
        let mut wrote = 0;
        assert!(matches!(
            output.write_to(&mut bytes, &mut wrote),
            Ok(Flush::Done)
        ));
        String::from_utf8(bytes).unwrap()
    }

    fn numbers(count: u32) -> Response {
        Response::stream(
            Status::OK,
            (0..count).map(|n| format!("{n}\n").into_bytes()),
        )
    }

    #[test]
    fn a_full_body_has_a_length() {
        let mut output = Output::new();
        let response = Response::text(Status::OK, "Hello, World!");
        assert!(output.push_response(
            response,
            meta(Version::Http11, false, true),
            &date(),
            &Budget::unlimited()
        ));
        assert_eq!(
            written(&mut output),
            "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\
             Content-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\r\nHello, World!"
        );
        assert!(output.is_empty());
    }

    #[test]
    fn content_length_lines() {
        for length in [0, 9, 10, 13, 99, 100, 12_345, usize::MAX] {
            let expected = format!("Content-Length: {length}\r\n");
            let line = content_length_line(length, &mut [0; LENGTH_LINE]).to_vec();
            assert_eq!(String::from_utf8(line).unwrap(), expected);
        }
    }

    #[test]
    fn head_gets_the_headers_only() {
        let mut output = Output::new();
        let response = Response::text(Status::OK, "Hello, World!");
        output.push_response(
            response,
            meta(Version::Http11, true, true),
            &date(),
            &Budget::unlimited(),
        );
        let text = written(&mut output);
        assert!(text.ends_with("Content-Length: 13\r\n\r\n"), "{text}");
    }

    #[test]
    fn a_stream_is_chunked_for_http11() {
        let mut output = Output::new();
        assert!(output.push_response(
            numbers(3),
            meta(Version::Http11, false, true),
            &date(),
            &Budget::unlimited()
        ));
        let text = written(&mut output);
        assert!(
            text.ends_with("Transfer-Encoding: chunked\r\n\r\n6\r\n0\n1\n2\n\r\n0\r\n\r\n"),
            "{text}"
        );
    }

    #[test]
    fn a_stream_is_raw_and_closes_for_http10() {
        let mut output = Output::new();
        assert!(!output.push_response(
            numbers(3),
            meta(Version::Http10, false, true),
            &date(),
            &Budget::unlimited()
        ));
        let text = written(&mut output);
        assert!(
            text.ends_with("Connection: close\r\n\r\n0\n1\n2\n"),
            "{text}"
        );
    }

    #[test]
    fn http10_keep_alive_is_said_out_loud() {
        let mut output = Output::new();
        let response = Response::new(Status::NO_CONTENT);
        assert!(output.push_response(
            response,
            meta(Version::Http10, false, true),
            &date(),
            &Budget::unlimited()
        ));
        let text = written(&mut output);
        assert!(text.ends_with("Connection: keep-alive\r\n\r\n"), "{text}");
        assert!(!text.contains("Content-Length"), "{text}");
    }

    #[test]
    fn bad_and_reserved_headers_are_dropped() {
        let mut output = Output::new();
        let response = Response::new(Status::OK)
            .header("Content-Length", "99")
            .header("X-Split", "a\r\nSet-Cookie: evil")
            .header("Bad Name", "x")
            .header("X-Fine", "yes");
        output.push_response(
            response,
            meta(Version::Http11, false, true),
            &date(),
            &Budget::unlimited(),
        );
        let text = written(&mut output);
        assert!(!text.contains(": 99") && !text.contains("evil") && !text.contains("Bad Name"));
        assert!(
            text.contains("X-Fine: yes\r\nContent-Length: 0\r\n"),
            "{text}"
        );
    }

    #[test]
    fn a_long_stream_is_pulled_a_chunk_at_a_time() {
        // A writer that takes at most 1000 bytes, then blocks.
        struct Trickle(Vec<u8>);
        impl Write for Trickle {
            fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
                if self.0.len() >= 1000 {
                    return Err(io::ErrorKind::WouldBlock.into());
                }
                let count = bytes.len().min(1000 - self.0.len());
                self.0.extend_from_slice(&bytes[..count]);
                Ok(count)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut output = Output::new();
        let endless = Response::stream(Status::OK, std::iter::repeat_with(|| vec![b'x'; 100]));
        output.push_response(
            endless,
            meta(Version::Http11, false, true),
            &date(),
            &Budget::unlimited(),
        );
        let mut wrote = 0;
        for _ in 0..100 {
            let mut trickle = Trickle(Vec::new());
            let flush = output.write_to(&mut trickle, &mut wrote).unwrap();
            assert!(matches!(flush, Flush::Blocked));
            assert!(output.pending.capacity() <= 2 * STREAM_CHUNK);
        }
    }

    #[test]
    fn a_fast_reader_gets_the_stream_in_turns() {
        let mut output = Output::new();
        let endless = Response::stream(Status::OK, std::iter::repeat_with(|| vec![b'x'; 1000]));
        output.push_response(
            endless,
            meta(Version::Http11, false, true),
            &date(),
            &Budget::unlimited(),
        );
        let mut sink = Vec::new();
        let flush = output.write_to(&mut sink, &mut 0).unwrap();
        assert!(matches!(flush, Flush::Paused));
        assert!(sink.len() < (PULL_BUDGET + 2) * STREAM_CHUNK);
    }

    #[test]
    fn streams_past_the_limit_are_503_and_give_their_place_back() {
        let budget = Budget::new(usize::MAX, 1);
        let mut first = Output::new();
        assert!(first.push_response(
            numbers(3),
            meta(Version::Http11, false, true),
            &date(),
            &budget
        ));
        assert_eq!(budget.streams(), 1);
        let mut second = Output::new();
        let keep_alive = second.push_response(
            numbers(3),
            meta(Version::Http11, false, true),
            &date(),
            &budget,
        );
        assert!(keep_alive, "a 503 for a stream keeps the connection");
        let text = written(&mut second);
        assert!(
            text.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
            "{text}"
        );
        assert!(text.contains("\r\nRetry-After: 1\r\n"), "{text}");
        // HEAD streams nothing, so it needs no place.
        let mut head = Output::new();
        head.push_response(
            numbers(3),
            meta(Version::Http11, true, true),
            &date(),
            &budget,
        );
        assert!(written(&mut head).starts_with("HTTP/1.1 200 OK\r\n"));
        written(&mut first);
        assert_eq!(budget.streams(), 0);
    }

    #[test]
    fn a_panicking_stream_is_reported() {
        let mut output = Output::new();
        let pieces = (0..2).map(|n| {
            if n == 1 {
                panic!("boom")
            } else {
                b"ok".to_vec()
            }
        });
        let response = Response::stream(Status::OK, pieces);
        output.push_response(
            response,
            meta(Version::Http11, false, true),
            &date(),
            &Budget::unlimited(),
        );
        let mut sink = Vec::new();
        let flush = output.write_to(&mut sink, &mut 0).unwrap();
        assert!(matches!(flush, Flush::StreamPanicked(message) if message == "boom"));
        assert!(output.is_empty());
        // What came before the panic went out; the last chunk did not.
        assert!(sink.ends_with(b"\r\n\r\n2\r\nok\r\n"), "{sink:?}");
    }
}
