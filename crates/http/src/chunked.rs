//! [`ChunkedDecoder`]: reading a `Transfer-Encoding: chunked` request body,
//! a few bytes at a time.
//!
//! A chunked body is a series of chunks, each a hex size line and that
//! many bytes, ended by a chunk of size zero and a (usually empty) trailer
//! section (RFC 9112 §7.1):
//!
//! ```text
//! 5\r\n            size line: 5 bytes follow (";name=value" extensions allowed)
//! Hello\r\n        the data, then CRLF
//! 0\r\n            the last chunk
//! \r\n             the end of the (empty) trailer section
//! ```
//!
//! Bytes arrive in whatever pieces the network delivers, so the decoder is
//! a small state machine that remembers where it is between calls and
//! never looks at a byte twice, except for an incomplete line, which it
//! leaves in the input until its end arrives.
//!
//! It is strict on purpose: every line must end in CRLF (a bare LF or CR is
//! an error), and nothing but optional whitespace and `;` extensions may
//! follow a size. A lenient decoder in front of a strict one is how request
//! smuggling works: the two disagree on where the body ends.

use crate::ParseError;

/// The longest chunk-size line accepted, extensions included. Real clients
/// send a few hex digits; the limit only stops a peer from filling memory
/// with one endless line.
pub const MAX_CHUNK_LINE: usize = 1024;

/// Where the decoder is in the chunked body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ChunkState {
    /// Expecting a size line.
    Size,
    /// In the data of a chunk, with this many bytes still to come.
    Data { remaining: u64 },
    /// Expecting the CRLF that ends a chunk's data.
    DataEnd,
    /// After the last chunk: trailer lines, until an empty line.
    Trailer,
    /// The body is complete.
    Done,
}

/// An incremental decoder for one chunked body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkedDecoder {
    state: ChunkState,
    /// Bytes of trailer section seen so far, bounded like a head.
    trailer_bytes: usize,
}

impl Default for ChunkedDecoder {
    fn default() -> Self {
        ChunkedDecoder::new()
    }
}

impl ChunkedDecoder {
    /// A decoder at the start of a body.
    pub fn new() -> ChunkedDecoder {
        ChunkedDecoder {
            state: ChunkState::Size,
            trailer_bytes: 0,
        }
    }

    /// Whether the last chunk and the trailer section have been read.
    pub fn is_done(&self) -> bool {
        self.state == ChunkState::Done
    }

    /// Decode as much of `input` as possible, appending chunk data to
    /// `body`, and return how many bytes of `input` were used. The caller
    /// passes the unused rest again, with more bytes after it, on the next
    /// call. Stops at the end of the body: bytes after it (a pipelined
    /// request) are left alone.
    ///
    /// `max_body` bounds `body`; `max_trailer` bounds the trailer section,
    /// which is read and thrown away.
    pub fn decode(
        &mut self,
        input: &[u8],
        body: &mut Vec<u8>,
        max_body: usize,
        max_trailer: usize,
    ) -> Result<usize, ParseError> {
        let mut used = 0;
        loop {
            let rest = &input[used..];
            match self.state {
                ChunkState::Size => {
                    let Some((length, line)) = crlf_line(rest, MAX_CHUNK_LINE)? else {
                        break;
                    };
                    let size = chunk_size(line)?;
                    let total = (body.len() as u64).checked_add(size);
                    if total.is_none_or(|total| total > max_body as u64) {
                        return Err(ParseError::BodyTooLarge);
                    }
                    used += length;
                    self.state = match size {
                        0 => ChunkState::Trailer,
                        remaining => ChunkState::Data { remaining },
                    };
                }
                ChunkState::Data { remaining } => {
                    if rest.is_empty() {
                        break;
                    }
                    // `take` fits in usize: it is at most rest.len().
                    let take = rest
                        .len()
                        .min(usize::try_from(remaining).unwrap_or(usize::MAX));
                    body.extend_from_slice(&rest[..take]);
                    used += take;
                    self.state = match remaining - take as u64 {
                        0 => ChunkState::DataEnd,
                        remaining => ChunkState::Data { remaining },
                    };
                }
                ChunkState::DataEnd => match rest {
                    [b'\r', b'\n', ..] => {
                        used += 2;
                        self.state = ChunkState::Size;
                    }
                    [] | [b'\r'] => break,
                    _ => return Err(ParseError::BadChunk),
                },
                ChunkState::Trailer => {
                    let room = max_trailer.saturating_sub(self.trailer_bytes);
                    let line = crlf_line(rest, room).map_err(|error| match error {
                        ParseError::ChunkLineTooLong => ParseError::TrailersTooLarge,
                        other => other,
                    })?;
                    let Some((length, line)) = line else {
                        break;
                    };
                    self.trailer_bytes += length;
                    used += length;
                    if line.is_empty() {
                        self.state = ChunkState::Done;
                    } else if !line.contains(&b':') {
                        // A trailer is a header line; anything else means
                        // the framing is off.
                        return Err(ParseError::BadChunk);
                    }
                }
                ChunkState::Done => break,
            }
        }
        Ok(used)
    }
}

/// The first line of `input`, if its CRLF has arrived: the line's length
/// with the CRLF, and the line without it. A line longer than `max` bytes
/// (without its CRLF) is an error whether or not it has ended.
fn crlf_line(input: &[u8], max: usize) -> Result<Option<(usize, &[u8])>, ParseError> {
    let window = &input[..input.len().min(max.saturating_add(2))];
    match window.iter().position(|&byte| byte == b'\n') {
        Some(newline) => {
            let Some(line) = window[..newline].strip_suffix(b"\r") else {
                return Err(ParseError::BadChunk);
            };
            if line.contains(&b'\r') {
                return Err(ParseError::BadChunk);
            }
            if line.len() > max {
                return Err(ParseError::ChunkLineTooLong);
            }
            Ok(Some((newline + 1, line)))
        }
        None if window.len() > max.saturating_add(1) => Err(ParseError::ChunkLineTooLong),
        None => Ok(None),
    }
}

/// The size on a chunk-size line: hex digits, then optionally whitespace
/// and `;` extensions, which are ignored.
fn chunk_size(line: &[u8]) -> Result<u64, ParseError> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 {
        return Err(ParseError::BadChunk);
    }
    let (hex, extensions) = line.split_at(digits);
    let after_space = extensions
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .map_or(&[][..], |start| &extensions[start..]);
    let control = |&b: &u8| (b < 0x20 && b != b'\t') || b == 0x7f;
    if !extensions.is_empty()
        && (after_space.first() != Some(&b';') || extensions.iter().any(control))
    {
        return Err(ParseError::BadChunk);
    }
    // A size that does not fit in 64 bits is certainly over the limit.
    hex.iter().try_fold(0u64, |size, &digit| {
        let value = u64::from(match digit {
            b'0'..=b'9' => digit - b'0',
            b'a'..=b'f' => digit - b'a' + 10,
            _ => digit - b'A' + 10,
        });
        size.checked_mul(16)
            .and_then(|size| size.checked_add(value))
            .ok_or(ParseError::BodyTooLarge)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decode `input` whole; the body and the bytes left over after it.
    fn decode(input: &[u8]) -> Result<(Vec<u8>, usize), ParseError> {
        let mut decoder = ChunkedDecoder::new();
        let mut body = Vec::new();
        let used = decoder.decode(input, &mut body, 1024, 256)?;
        assert!(decoder.is_done(), "not done after {used} bytes");
        Ok((body, input.len() - used))
    }

    #[test]
    fn chunks_are_joined() {
        let input = b"5\r\nHello\r\n8;ext=1\r\n, World!\r\n0\r\n\r\nGET";
        assert_eq!(decode(input), Ok((b"Hello, World!".to_vec(), 3)));
    }

    #[test]
    fn sizes_are_hex_and_trailers_are_skipped() {
        let mut input = b"1A\r\n".to_vec();
        input.extend_from_slice(&[b'x'; 26]);
        input.extend_from_slice(b"\r\n0\r\nExpires: never\r\n\r\n");
        assert_eq!(decode(&input), Ok((vec![b'x'; 26], 0)));
    }

    #[test]
    fn a_byte_at_a_time_gives_the_same_body() {
        let input = b"3\r\nabc\r\n2 ; a=b\r\nde\r\n0\r\nX: y\r\n\r\n";
        let mut decoder = ChunkedDecoder::new();
        let mut body = Vec::new();
        let mut pending = Vec::new();
        for &byte in input {
            pending.push(byte);
            let used = decoder.decode(&pending, &mut body, 1024, 256).unwrap();
            pending.drain(..used);
        }
        assert!(decoder.is_done());
        assert!(pending.is_empty());
        assert_eq!(body, b"abcde");
    }

    #[test]
    fn bad_framing_is_refused() {
        for input in [
            &b"x\r\n"[..],
            b"5\nHello\r\n0\r\n\r\n",
            b"5\r\nHelloXY0\r\n\r\n",
            b"5 5\r\nHello\r\n0\r\n\r\n",
            b"-5\r\nHello\r\n0\r\n\r\n",
            b"0x5\r\nHello\r\n0\r\n\r\n",
            b"5\r\r\nHello\r\n0\r\n\r\n",
            b"0\r\nnot a header\r\n\r\n",
            b"5;\x01\r\nHello\r\n0\r\n\r\n",
        ] {
            assert_eq!(decode(input), Err(ParseError::BadChunk), "{input:?}");
        }
    }

    #[test]
    fn limits_are_kept() {
        assert_eq!(decode(b"401\r\n"), Err(ParseError::BodyTooLarge));
        assert_eq!(
            decode(b"fffffffffffffffffffff\r\n"),
            Err(ParseError::BodyTooLarge)
        );
        let long_line = [&b"1;"[..], &[b'a'; MAX_CHUNK_LINE]].concat();
        assert_eq!(decode(&long_line), Err(ParseError::ChunkLineTooLong));
        let trailer = [&b"0\r\nX: "[..], &[b'a'; 300], b"\r\n\r\n"].concat();
        assert_eq!(decode(&trailer), Err(ParseError::TrailersTooLarge));
    }

    #[test]
    fn an_incomplete_body_waits_for_more() {
        let mut decoder = ChunkedDecoder::new();
        let mut body = Vec::new();
        assert_eq!(decoder.decode(b"5\r\nHel", &mut body, 1024, 256), Ok(6));
        assert_eq!(decoder.decode(b"lo\r", &mut body, 1024, 256), Ok(2));
        assert_eq!(decoder.decode(b"\r\n0\r", &mut body, 1024, 256), Ok(2));
        assert!(!decoder.is_done());
        assert_eq!(body, b"Hello");
    }
}
