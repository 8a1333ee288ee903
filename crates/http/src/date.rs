//! [`HttpDate`]: the `Date` header, formatted once a second.
//!
//! An origin server with a clock must send `Date` (RFC 9110 §6.6.1), in
//! the fixed format `Sun, 06 Nov 1994 08:49:37 GMT`. Formatting it for
//! every response would be waste, since it changes once a second, so each
//! event loop keeps the current text and refreshes it when the second
//! changes.

use std::time::{SystemTime, UNIX_EPOCH};

/// The length of an IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
const LENGTH: usize = 29;

/// The current date, ready to write: the whole header line,
/// `Date: Sun, 06 Nov 1994 08:49:37 GMT` and its CRLF, copied into every
/// response as one piece. It is kept behind the status line of a
/// `200 OK`, the status of most responses, so that those two lines are
/// one piece too.
#[derive(Clone, Debug)]
pub struct HttpDate {
    second: u64,
    lines: [u8; OK + LINE],
}

/// The status line that goes before the date when the status is `200`.
const OK_LINE: &[u8; OK] = b"HTTP/1.1 200 OK\r\n";
const OK: usize = 17;

/// Where the date starts in the header line, and the line's length.
const PREFIX: usize = b"Date: ".len();
const LINE: usize = PREFIX + LENGTH + 2;

impl HttpDate {
    /// The date now.
    pub fn now() -> HttpDate {
        let second = unix_seconds(SystemTime::now());
        HttpDate {
            second,
            lines: lines(second),
        }
    }

    /// Bring the text up to date, if the second has changed.
    pub fn update(&mut self, now: SystemTime) {
        let second = unix_seconds(now);
        if second != self.second {
            self.second = second;
            self.lines = lines(second);
        }
    }

    /// The `Date` header line, CRLF included.
    pub fn header_line(&self) -> &[u8] {
        &self.lines[OK..]
    }

    /// `HTTP/1.1 200 OK` and the `Date` header line, CRLFs included: how
    /// a `200` response starts.
    pub(crate) fn ok_and_date_lines(&self) -> &[u8] {
        &self.lines
    }
}

fn lines(seconds: u64) -> [u8; OK + LINE] {
    let mut lines = [0; OK + LINE];
    let (ok, line) = lines.split_at_mut(OK);
    ok.copy_from_slice(OK_LINE);
    line[..PREFIX].copy_from_slice(b"Date: ");
    line[PREFIX..PREFIX + LENGTH].copy_from_slice(&format(seconds));
    line[PREFIX + LENGTH..].copy_from_slice(b"\r\n");
    lines
}

/// Seconds since 1970; a clock set before then reads as 1970.
fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// Format seconds since 1970 as an IMF-fixdate.
fn format(seconds: u64) -> [u8; LENGTH] {
    const WEEKDAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let days = seconds / 86_400;
    let in_day = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    let mut text = *b"Thu, 01 Jan 1970 00:00:00 GMT";
    text[..3].copy_from_slice(WEEKDAYS[(days % 7) as usize]);
    put_two(&mut text[5..7], day);
    text[8..11].copy_from_slice(MONTHS[(month - 1) as usize]);
    put_two(&mut text[12..14], year / 100 % 100);
    put_two(&mut text[14..16], year % 100);
    put_two(&mut text[17..19], in_day / 3600);
    put_two(&mut text[20..22], in_day / 60 % 60);
    put_two(&mut text[23..25], in_day % 60);
    text
}

/// Two decimal digits of `value` (which is below 100).
fn put_two(out: &mut [u8], value: u64) {
    out[0] = b'0' + (value / 10 % 10) as u8;
    out[1] = b'0' + (value % 10) as u8;
}

/// Year, month (1-12) and day (1-31) of a day count since 1970-01-01, by
/// Howard Hinnant's `civil_from_days`, which counts in 400-year eras that
/// start on 1 March so that leap days fall at the end of a year.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_imf_fixdates() {
        assert_eq!(&format(0), b"Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(&format(784_111_777), b"Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(&format(951_782_400), b"Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(&format(4_102_444_799), b"Thu, 31 Dec 2099 23:59:59 GMT");
    }

    #[test]
    fn the_text_changes_with_the_second() {
        let mut date = HttpDate::now();
        date.update(UNIX_EPOCH + std::time::Duration::from_secs(784_111_777));
        assert_eq!(
            date.header_line(),
            b"Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        );
        assert_eq!(
            date.ok_and_date_lines(),
            b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        );
        assert_eq!(Some(&OK_LINE[..]), crate::Status::OK.line());
    }
}
