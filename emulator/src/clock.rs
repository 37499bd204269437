//! The clock request timestamps are checked against, injectable so that tests can pin it, and
//! the one timestamp format the API uses (`2026-01-02T03:04:05Z`, UTC, whole seconds).

use core::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time, in seconds since the Unix epoch.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn unix_seconds(&self) -> i64;
}

/// The system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn unix_seconds(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
        }
    }
}

/// A clock that shows the time it is set to, for tests.
///
/// ```
/// use smartag_emulator::clock::{parse_timestamp, Clock, FixedClock};
///
/// let clock = FixedClock::at("2026-01-02T03:04:05Z").unwrap();
/// assert_eq!(clock.unix_seconds(), parse_timestamp("2026-01-02T03:04:05Z").unwrap());
/// clock.advance(60);
/// assert_eq!(clock.unix_seconds(), parse_timestamp("2026-01-02T03:05:05Z").unwrap());
/// ```
#[derive(Debug, Default)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    /// A clock showing `unix_seconds`.
    pub fn new(unix_seconds: i64) -> FixedClock {
        FixedClock(AtomicI64::new(unix_seconds))
    }

    /// A clock showing a timestamp in the API's format; `None` when it is malformed.
    pub fn at(timestamp: &str) -> Option<FixedClock> {
        parse_timestamp(timestamp).map(FixedClock::new)
    }

    /// Moves the clock by `seconds` (negative: back).
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::Relaxed);
    }

    /// Sets the clock.
    pub fn set(&self, unix_seconds: i64) {
        self.0.store(unix_seconds, Ordering::Relaxed);
    }
}

impl Clock for FixedClock {
    fn unix_seconds(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Reads a timestamp of the form `YYYY-MM-DDThh:mm:ssZ` (UTC, exactly that shape, a real date
/// and time of day) into seconds since the Unix epoch; `None` for anything else.
///
/// ```
/// use smartag_emulator::clock::parse_timestamp;
///
/// assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
/// assert_eq!(parse_timestamp("2026-01-02T03:04:05Z"), Some(1_767_323_045));
/// assert_eq!(parse_timestamp("2024-02-29T00:00:00Z"), Some(1_709_164_800));
/// assert_eq!(parse_timestamp("2026-02-29T00:00:00Z"), None);
/// assert_eq!(parse_timestamp("2026-01-02 03:04:05"), None);
/// assert_eq!(parse_timestamp("2026-01-02T03:04:05.123Z"), None);
/// ```
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 20
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || b.get(10) != Some(&b'T')
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
        || b.get(19) != Some(&b'Z')
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<i64> {
        let digits = b.get(from..to)?;
        digits.iter().try_fold(0i64, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
        })
    };
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Formats seconds since the Unix epoch as `YYYY-MM-DDThh:mm:ssZ` (years 0 to 9999).
///
/// ```
/// use smartag_emulator::clock::format_timestamp;
/// assert_eq!(format_timestamp(1_767_323_045), "2026-01-02T03:04:05Z");
/// ```
pub fn format_timestamp(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_across_leap_years_and_month_ends() {
        for text in [
            "1970-01-01T00:00:00Z",
            "1999-12-31T23:59:59Z",
            "2000-02-29T12:00:00Z",
            "2026-01-02T03:04:05Z",
            "2100-03-01T00:00:00Z",
        ] {
            let secs = parse_timestamp(text).unwrap();
            assert_eq!(format_timestamp(secs), text);
        }
    }

    #[test]
    fn malformed_timestamps_are_refused() {
        for text in [
            "",
            "2026-01-02T03:04:05",
            "2026-01-02T03:04:05z",
            "2026-13-02T03:04:05Z",
            "2026-00-02T03:04:05Z",
            "2026-01-32T03:04:05Z",
            "2026-04-31T03:04:05Z",
            "2100-02-29T00:00:00Z",
            "2026-01-02T24:00:00Z",
            "2026-01-02T23:60:00Z",
            "2026-01-02T23:59:60Z",
            "+026-01-02T03:04:05Z",
            "2026-01-02T03:04:05+00:00",
            "２026-01-02T03:04:05Z",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text}");
        }
    }
}
