//! The signing instant and every wire format of time.
//!
//! The crate never reads a clock: every signing entry point takes a [`Timestamp`]. The CLI and
//! the JS bindings read the clock at the edge and pass it in.
//!
//! Formats produced here (and nowhere else):
//! - [`Timestamp::amz_datetime`]: `20261123T101500Z` (SigV4 `X-Amz-Date`, GCS `X-Goog-Date`);
//! - [`Timestamp::amz_date`]: `20261123` (credential scope);
//! - [`Timestamp::rfc3339`]: `2026-11-23T10:15:00Z` (results, Azure `se`/`st`);
//! - [`Timestamp::http_date`]: `Mon, 23 Nov 2026 10:15:00 GMT` (Azure `x-ms-date`).

use crate::error::msg;
use crate::error::{Error, Result};
use crate::prelude::*;
use core::fmt;

/// Seconds since 1970-01-01T00:00:00Z, restricted to years 0001–9999 so every format above is
/// well defined.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// 0001-01-01T00:00:00Z
const MIN_UNIX: i64 = -62_135_596_800;
/// 9999-12-31T23:59:59Z
const MAX_UNIX: i64 = 253_402_300_799;

/// Broken-down UTC civil time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);

    /// A timestamp from Unix seconds.
    ///
    /// # Errors
    /// [`Error::InvalidTime`] outside years 0001–9999.
    pub fn from_unix(secs: i64) -> Result<Self> {
        if (MIN_UNIX..=MAX_UNIX).contains(&secs) {
            Ok(Timestamp(secs))
        } else {
            Err(Error::InvalidTime(msg!(
                "the instant is outside the supported range (years 0001-9999)"
            )))
        }
    }

    /// A timestamp from Unix milliseconds (JavaScript `Date.now()`); sub-second part truncated
    /// toward the past.
    ///
    /// # Errors
    /// [`Error::InvalidTime`] outside years 0001–9999.
    pub fn from_unix_millis(ms: i64) -> Result<Self> {
        Self::from_unix(ms.div_euclid(1000))
    }

    /// Unix seconds.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// This instant plus `secs` seconds.
    ///
    /// # Errors
    /// [`Error::InvalidTime`] if the result leaves years 0001–9999.
    pub fn add_secs(self, secs: i64) -> Result<Self> {
        match self.0.checked_add(secs) {
            Some(t) => Self::from_unix(t),
            None => Err(Error::InvalidTime(msg!("time overflow"))),
        }
    }

    /// Parses RFC 3339 (`2026-11-23T10:15:00Z`, `2026-11-23T10:15:00.123+01:00`, lower-case `t`/`z`
    /// accepted). Fractional seconds are truncated; offsets are applied.
    ///
    /// # Errors
    /// [`Error::InvalidTime`] with the reason.
    pub fn parse_rfc3339(s: &str) -> Result<Self> {
        parse_rfc3339(s.as_bytes())
            .ok_or_else(|| {
                Error::InvalidTime(msg!(
                    "not an RFC 3339 date-time (e.g. 2026-11-23T10:15:00Z)"
                ))
            })
            .and_then(Self::from_unix)
    }

    fn civil(self) -> Civil {
        let days = self.0.div_euclid(86_400);
        let sod = self.0.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        // sod < 86400 so the casts cannot truncate.
        Civil {
            year,
            month,
            day,
            hour: (sod / 3600) as u32,
            minute: (sod % 3600 / 60) as u32,
            second: (sod % 60) as u32,
        }
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`, the SigV4 / GOOG4 request date-time.
    pub fn amz_datetime(self) -> String {
        self.amz_stamp().datetime().to_owned()
    }

    /// `YYYYMMDD`, the date of a SigV4 / GOOG4 credential scope.
    pub fn amz_date(self) -> String {
        self.amz_stamp().date().to_owned()
    }

    /// [`Timestamp::amz_datetime`] and [`Timestamp::amz_date`] on the stack, for the signing
    /// path (no allocation).
    /// Parses exactly the form [`Timestamp::amz_datetime`] writes (`YYYYMMDD'T'HHMMSS'Z'`, a
    /// real date, no leap second): what a verifier reads back from `X-Amz-Date`.
    #[cfg(feature = "verify")]
    pub(crate) fn parse_amz_datetime(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
            return None;
        }
        let (year, month, day) = (
            i64::from(digits(b, 0, 4)?),
            digits(b, 4, 2)?,
            digits(b, 6, 2)?,
        );
        let (hour, minute, second) = (digits(b, 9, 2)?, digits(b, 11, 2)?, digits(b, 13, 2)?);
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return None;
        }
        let secs = days_from_civil(year, month, day) * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second);
        Timestamp::from_unix(secs).ok()
    }

    pub(crate) fn amz_stamp(self) -> AmzStamp {
        let c = self.civil();
        // Two digits of each field (years are 1–9999 by construction).
        let two = |n: u32| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
        let year = u32::try_from(c.year).unwrap_or(0);
        let [y0, y1] = two(year / 100);
        let [y2, y3] = two(year);
        let [mo0, mo1] = two(c.month);
        let [d0, d1] = two(c.day);
        let [h0, h1] = two(c.hour);
        let [mi0, mi1] = two(c.minute);
        let [s0, s1] = two(c.second);
        AmzStamp([
            y0, y1, y2, y3, mo0, mo1, d0, d1, b'T', h0, h1, mi0, mi1, s0, s1, b'Z',
        ])
    }

    /// `YYYY-MM-DD'T'HH:MM:SS'Z'` (RFC 3339, UTC, whole seconds).
    pub fn rfc3339(self) -> String {
        let mut out = String::with_capacity(20);
        self.rfc3339_into(&mut out);
        out
    }

    /// Appends [`Timestamp::rfc3339`] to `out`.
    pub fn rfc3339_into(self, out: &mut String) {
        let [y0, y1, y2, y3, mo0, mo1, d0, d1, _, h0, h1, mi0, mi1, s0, s1, _] = self.amz_stamp().0;
        let b = [
            y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b'T', h0, h1, b':', mi0, mi1, b':', s0,
            s1, b'Z',
        ];
        out.push_str(core::str::from_utf8(&b).unwrap_or_default());
    }
}

/// `YYYYMMDD'T'HHMMSS'Z'` in a fixed buffer: ASCII digits, `T` and `Z` only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AmzStamp([u8; 16]);

impl AmzStamp {
    /// `YYYYMMDD'T'HHMMSS'Z'`.
    pub(crate) fn datetime(&self) -> &str {
        // Always ASCII by construction; the fallback is unreachable.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// `YYYYMMDD`.
    pub(crate) fn date(&self) -> &str {
        // A constant range of the fixed-size array: checked when compiling, never a fallback.
        let [date @ .., _, _, _, _, _, _, _, _] = &self.0;
        core::str::from_utf8(date).unwrap_or_default()
    }
}

// --- HTTP-date (added for Azure's `x-ms-date` header; kept apart from the signing formats) ---
impl Timestamp {
    /// `Tue, 24 Nov 2026 10:00:00 GMT` — the IMF-fixdate form of an HTTP-date (RFC 9110
    /// section 5.6.7), as Azure Storage expects in `x-ms-date`.
    pub fn http_date(self) -> String {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let c = self.civil();
        // 1970-01-01 was a Thursday; rem_euclid keeps the index in 0..7.
        let weekday = DAYS
            .get(self.0.div_euclid(86_400).rem_euclid(7) as usize)
            .copied()
            .unwrap_or("Thu");
        let month = MONTHS
            .get((c.month as usize).wrapping_sub(1))
            .copied()
            .unwrap_or("Jan");
        format!(
            "{weekday}, {:02} {month} {:04} {:02}:{:02}:{:02} GMT",
            c.day, c.year, c.hour, c.minute, c.second
        )
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.rfc3339())
    }
}

/// The instant of a `SystemTime`, whole seconds (fractions dropped, towards the past), so a
/// caller can write `Timestamp::try_from(SystemTime::now())?` at the edge of the program; the
/// crate itself never reads a clock.
///
/// # Errors
/// [`Error::InvalidTime`] outside years 0001–9999.
#[cfg(not(no_std_wasm))]
impl TryFrom<std::time::SystemTime> for Timestamp {
    type Error = Error;
    fn try_from(t: std::time::SystemTime) -> Result<Self> {
        let secs = match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(before) => {
                let d = before.duration();
                let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                // 0.5 s before the epoch is -1 s, as for the instants after it.
                whole
                    .saturating_add(i64::from(d.subsec_nanos() > 0))
                    .saturating_neg()
            }
        };
        Timestamp::from_unix(secs)
    }
}

impl core::str::FromStr for Timestamp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse_rfc3339(s)
    }
}

/// Parses a duration as people type it: `3600`, `90s`, `15m`, `1h`, `7d`, `1h30m`.
/// Returns seconds.
///
/// # Errors
/// [`Error::InvalidExpiry`] for anything else (including zero-length input and overflow).
pub fn parse_duration(s: &str) -> Result<u64> {
    let bad = || Error::InvalidExpiry(msg!("not a duration (e.g. 3600, 90s, 15m, 1h, 7d)"));
    let t = s.trim();
    if t.is_empty() {
        return Err(bad());
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<u64>().map_err(|_| bad());
    }
    let mut total: u64 = 0;
    let mut num: Option<u64> = None;
    for b in t.bytes() {
        match b {
            b'0'..=b'9' => {
                let d = u64::from(b - b'0');
                num = Some(
                    num.unwrap_or(0)
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(d))
                        .ok_or_else(bad)?,
                );
            }
            b's' | b'm' | b'h' | b'd' | b'w' => {
                let unit = match b {
                    b's' => 1,
                    b'm' => 60,
                    b'h' => 3600,
                    b'd' => 86_400,
                    _ => 604_800,
                };
                let n = num.take().ok_or_else(bad)?;
                total = n
                    .checked_mul(unit)
                    .and_then(|v| total.checked_add(v))
                    .ok_or_else(bad)?;
            }
            _ => return Err(bad()),
        }
    }
    if num.is_some() {
        return Err(bad());
    }
    Ok(total)
}

// Howard Hinnant's algorithms (public domain), http://howardhinnant.github.io/date_algorithms.html
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // [0, 399]
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 }; // [0, 11]
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn digits(b: &[u8], start: usize, len: usize) -> Option<u32> {
    let part = b.get(start..start.checked_add(len)?)?;
    let mut v: u32 = 0;
    for &c in part {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

fn parse_rfc3339(b: &[u8]) -> Option<i64> {
    // YYYY-MM-DDTHH:MM:SS
    if b.len() < 20 {
        return None;
    }
    // `iter().any`, not `contains`: the wasm has no memchr for these one-byte sets.
    let sep = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.iter().any(|y| y == x));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let year = i64::from(digits(b, 0, 4)?);
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
    {
        return None;
    }
    // A leap second (60) is folded into the next second, as most parsers do.
    if second > 60 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset: i64 = match b.get(i)? {
        b'Z' | b'z' => {
            i += 1;
            0
        }
        s @ (b'+' | b'-') => {
            if !sep(i + 3, b":") {
                return None;
            }
            let oh = i64::from(digits(b, i + 1, 2)?);
            let om = i64::from(digits(b, i + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            i += 6;
            let o = oh * 3600 + om * 60;
            if *s == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    if i != b.len() {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(
        days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second)
            - offset,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_a_known_instant() {
        // 2013-05-24T00:00:00Z is 1369353600 (AWS S3 docs example).
        let t = Timestamp::from_unix(1_369_353_600).unwrap();
        assert_eq!(t.amz_datetime(), "20130524T000000Z");
        assert_eq!(t.amz_date(), "20130524");
        assert_eq!(t.rfc3339(), "2013-05-24T00:00:00Z");
    }

    #[test]
    fn http_date_matches_rfc9110_example() {
        // RFC 9110 section 5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT".
        let t = Timestamp::parse_rfc3339("1994-11-06T08:49:37Z").unwrap();
        assert_eq!(t.http_date(), "Sun, 06 Nov 1994 08:49:37 GMT");
        let t = Timestamp::parse_rfc3339("1969-12-31T23:59:59Z").unwrap();
        assert_eq!(t.http_date(), "Wed, 31 Dec 1969 23:59:59 GMT");
    }

    #[test]
    fn parses_offsets_and_fractions() {
        let a = Timestamp::parse_rfc3339("2015-08-30T12:36:00Z").unwrap();
        assert_eq!(a.unix(), 1_440_938_160);
        let b = Timestamp::parse_rfc3339("2015-08-30T14:36:00.999+02:00").unwrap();
        assert_eq!(a, b);
        let c = Timestamp::parse_rfc3339("2015-08-30t07:06:00-05:30").unwrap();
        assert_eq!(a, c);
    }

    #[test]
    fn rejects_malformed_dates() {
        for s in [
            "",
            "2015-08-30",
            "2015-02-29T00:00:00Z",
            "2015-13-01T00:00:00Z",
            "2015-08-30T24:00:00Z",
            "2015-08-30T12:36:00",
            "2015-08-30T12:36:00.Z",
            "2015-08-30T12:36:00+0200",
            "2015-08-30T12:36:00Zjunk",
            "２015-08-30T12:36:00Z",
        ] {
            assert_eq!(
                Timestamp::parse_rfc3339(s).unwrap_err().code(),
                "INVALID_TIME",
                "{s:?}"
            );
        }
        assert!(Timestamp::parse_rfc3339("2016-02-29T00:00:00Z").is_ok());
        assert!(Timestamp::parse_rfc3339("2000-02-29T00:00:00Z").is_ok());
        assert!(Timestamp::parse_rfc3339("1900-02-29T00:00:00Z").is_err());
    }

    #[test]
    fn civil_round_trip_over_a_wide_range() {
        for days in (-719_162..=2_932_896).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn range_is_enforced() {
        assert!(Timestamp::from_unix(MAX_UNIX).is_ok());
        assert!(Timestamp::from_unix(MAX_UNIX + 1).is_err());
        assert!(Timestamp::from_unix(MIN_UNIX - 1).is_err());
        assert_eq!(
            Timestamp::from_unix(MAX_UNIX).unwrap().rfc3339(),
            "9999-12-31T23:59:59Z"
        );
        assert_eq!(
            Timestamp::from_unix(MIN_UNIX).unwrap().rfc3339(),
            "0001-01-01T00:00:00Z"
        );
        assert_eq!(Timestamp::from_unix_millis(-1).unwrap().unix(), -1);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3600").unwrap(), 3600);
        assert_eq!(parse_duration("15m").unwrap(), 900);
        assert_eq!(parse_duration("1h30m").unwrap(), 5400);
        assert_eq!(parse_duration("7d").unwrap(), 604_800);
        assert_eq!(parse_duration("1w").unwrap(), 604_800);
        for bad in ["", "h", "1x", "1h30", "-5", "99999999999999999999", "1.5h"] {
            assert_eq!(
                parse_duration(bad).unwrap_err().code(),
                "INVALID_EXPIRY",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn system_times_convert_to_whole_seconds_towards_the_past() {
        use std::time::{Duration, UNIX_EPOCH};
        let t = UNIX_EPOCH + Duration::from_millis(1_369_353_600_999);
        assert_eq!(
            Timestamp::try_from(t).unwrap().rfc3339(),
            "2013-05-24T00:00:00Z"
        );
        let before = UNIX_EPOCH - Duration::from_millis(500);
        assert_eq!(Timestamp::try_from(before).unwrap().unix(), -1);
        let far = UNIX_EPOCH + Duration::from_secs(300_000_000_000);
        assert_eq!(Timestamp::try_from(far).unwrap_err().code(), "INVALID_TIME");
    }

    #[cfg(feature = "verify")]
    #[test]
    fn amz_datetimes_parse_back_exactly() {
        for t in [
            "2013-05-24T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "0001-01-01T00:00:00Z",
        ] {
            let t = Timestamp::parse_rfc3339(t).unwrap();
            assert_eq!(Timestamp::parse_amz_datetime(&t.amz_datetime()), Some(t));
        }
        for bad in [
            "20130524T000000",
            "20130524 000000Z",
            "2013052aT000000Z",
            "20230229T000000Z",
            "20130524T240000Z",
            "20130524T000060Z",
            "20131324T000000Z",
            "2013-05-24T00:00:00Z",
            "20130524T00000Z",
        ] {
            assert_eq!(Timestamp::parse_amz_datetime(bad), None, "{bad}");
        }
    }
}
