//! [`Input`]: the event loop's read buffer, lent to one connection at a
//! time.
//!
//! Reading needs a buffer big enough for a good gulp of pipelined
//! requests, but an idle keep-alive connection needs none at all: between
//! requests, every byte it sent has been parsed. So each event loop owns
//! one large buffer, and a connection only keeps what is left over when it
//! stops — the unparsed start of a request, usually nothing — in a `Vec`
//! sized to fit. Driving a connection loads its leftover into the shared
//! buffer, reads and parses there, and saves the new leftover back. That is
//! most of why an idle connection costs hundreds of bytes, not tens of
//! kilobytes.

use std::io;

use crate::Config;
use crate::chunked::MAX_CHUNK_LINE;

/// What one read did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadOutcome {
    /// This many bytes arrived, and filled the room there was: more may
    /// be waiting.
    Data(usize),
    /// This many bytes arrived, fewer than there was room for: the socket
    /// had no more. Another read would only say `WouldBlock`, and new
    /// bytes raise a new readiness event.
    Drained(usize),
    /// The peer closed its side: no more bytes will come.
    Eof,
    /// The buffer is full of unparsed bytes. The parser's limits keep an
    /// unfinished request smaller than the buffer, so this means a limit
    /// was missed; the connection is answered `431` and closed.
    Full,
}

/// The shared read buffer and the part of it not yet parsed.
pub struct Input {
    buffer: Box<[u8]>,
    /// The unparsed bytes are `buffer[start..end]`.
    start: usize,
    end: usize,
}

impl Input {
    /// A buffer with room for a whole head at its limit plus a generous
    /// read: 64 KiB with the default limits.
    pub fn new(config: &Config) -> Input {
        let size = (64 * 1024).max(config.max_head_bytes + MAX_CHUNK_LINE + 16 * 1024);
        Input {
            buffer: vec![0; size].into_boxed_slice(),
            start: 0,
            end: 0,
        }
    }

    /// Start on a connection: take its leftover bytes (and free the
    /// connection's copy).
    pub fn load(&mut self, leftover: &mut Vec<u8>) {
        let length = leftover.len().min(self.buffer.len());
        self.buffer[..length].copy_from_slice(&leftover[..length]);
        self.start = 0;
        self.end = length;
        *leftover = Vec::new();
    }

    /// Finish with a connection: hand back what it has not parsed, in a
    /// buffer of exactly that size.
    pub fn save(&mut self, leftover: &mut Vec<u8>) {
        *leftover = self.unparsed().to_vec();
        self.clear();
    }

    /// The bytes read and not yet parsed.
    pub fn unparsed(&self) -> &[u8] {
        &self.buffer[self.start..self.end]
    }

    /// Mark `count` bytes at the front as parsed.
    pub fn consume(&mut self, count: usize) {
        self.start = (self.start + count).min(self.end);
        if self.start == self.end {
            self.clear();
        }
    }

    /// Forget every unparsed byte.
    pub fn clear(&mut self) {
        self.start = 0;
        self.end = 0;
    }

    /// One read from `reader` into the free space at the end, first moving
    /// the unparsed bytes to the front if the end is full.
    pub fn read_from(&mut self, reader: &mut impl io::Read) -> io::Result<ReadOutcome> {
        if self.end == self.buffer.len() {
            if self.start == 0 {
                return Ok(ReadOutcome::Full);
            }
            self.buffer.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let room = self.buffer.len() - self.end;
        match reader.read(&mut self.buffer[self.end..])? {
            0 => Ok(ReadOutcome::Eof),
            count => {
                self.end += count;
                if count < room {
                    Ok(ReadOutcome::Drained(count))
                } else {
                    Ok(ReadOutcome::Data(count))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_travel_between_connection_and_buffer() {
        let mut input = Input::new(&Config::default());
        let mut leftover = b"GET /".to_vec();
        input.load(&mut leftover);
        assert_eq!(leftover.capacity(), 0);
        let mut network: &[u8] = b" HTTP/1.1\r\n";
        assert_eq!(
            input.read_from(&mut network).unwrap(),
            ReadOutcome::Drained(11)
        );
        assert_eq!(input.unparsed(), b"GET / HTTP/1.1\r\n");
        input.consume(4);
        input.save(&mut leftover);
        assert_eq!(leftover, b"/ HTTP/1.1\r\n");
        assert_eq!(leftover.capacity(), leftover.len());
        assert_eq!(input.read_from(&mut network).unwrap(), ReadOutcome::Eof);
    }

    #[test]
    fn a_full_buffer_is_compacted_then_refused() {
        let config = Config::default();
        let mut input = Input::new(&config);
        let mut endless = io::repeat(b'a');
        while matches!(input.read_from(&mut endless).unwrap(), ReadOutcome::Data(_)) {}
        assert_eq!(input.read_from(&mut endless).unwrap(), ReadOutcome::Full);
        input.consume(10);
        assert_eq!(
            input.read_from(&mut endless).unwrap(),
            ReadOutcome::Data(10)
        );
        assert_eq!(input.read_from(&mut endless).unwrap(), ReadOutcome::Full);
    }
}
