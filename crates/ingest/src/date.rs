//! Publication dates as inputs write them: ISO 8601 / RFC 3339 (`2024-03-14T09:30:00+03:00`),
//! `2015-07-21 02:51:48`, `2015/07/21`, RFC 2822 (`Thu, 14 Mar 2024 09:30:00 +0300`). A timestamp
//! gives the date as written, in the publisher's own time zone.

use chrono::{DateTime, NaiveDate};

/// The date a metadata string gives, if it gives one.
pub(crate) fn parse(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if digits(0..4) && digits(5..7) && digits(8..10) && b[4] == b[7] && matches!(b[4], b'-' | b'/') {
        let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
        return NaiveDate::from_ymd_opt(n(0..4)? as i32, n(5..7)?, n(8..10)?);
    }
    DateTime::parse_from_rfc2822(s).ok().map(|t| t.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 14);
        assert_eq!(parse("2024-03-14T23:30:00-05:00"), d);
        assert_eq!(parse(" 2024-03-14 "), d);
        assert_eq!(parse("2024/03/14 10:00"), d);
        assert_eq!(parse("Thu, 14 Mar 2024 09:30:00 +0300"), d);
        assert_eq!(parse("2024-02-30"), None);
        assert_eq!(parse("14 مارس 2024"), None);
        assert_eq!(parse("2024-0٣-14"), None);
    }
}
