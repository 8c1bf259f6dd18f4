//! Calendar arithmetic: month lengths and windows in the Gregorian and the Umm al-Qura Hijri
//! calendar (from `data/dates/umm_al_qura.tsv`), with checked arithmetic throughout.

use chrono::{Datelike, Days, NaiveDate};
use rasd_kb::{DataDir, KbError, Tsv};

use crate::vocab::{Calendar, Part};

/// The Umm al-Qura table: the first Gregorian day and the length of each Hijri month.
#[derive(Debug)]
pub(crate) struct Calendars {
    first_year: i32,
    months: Vec<(NaiveDate, u32)>,
}

impl Calendars {
    /// Reads `dates/umm_al_qura.tsv`; the rows must run month after month without a gap.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        let file = "dates/umm_al_qura.tsv";
        let text = dir.read(file)?;
        let table = Tsv::parse(file, &text, &["hijri_year", "month", "first_day", "days"])?;
        let mut first_year = None;
        let mut months: Vec<(NaiveDate, u32)> = Vec::new();
        for row in table.rows() {
            let (year, month): (i32, usize) = (row.parse("hijri_year")?, row.parse("month")?);
            let first = *first_year.get_or_insert(year);
            let expected = (months.len() / 12, months.len() % 12 + 1);
            if (i64::from(year) - i64::from(first), month) != (expected.0 as i64, expected.1) {
                return Err(row.error("rows must follow month by month from the first"));
            }
            let start: NaiveDate = row.parse("first_day")?;
            let days: u32 = row.parse("days")?;
            if !(29..=30).contains(&days) || months.last().is_some_and(|&(s, d)| s + Days::new(d.into()) != start) {
                return Err(row.error("month does not start the day after the previous one ends"));
            }
            months.push((start, days));
        }
        let first_year = first_year.ok_or_else(|| KbError::file(file, "the table has no rows"))?;
        Ok(Calendars { first_year, months })
    }

    fn hijri_month(&self, year: i32, month: u32) -> Option<(NaiveDate, u32)> {
        let index = (i64::from(year) - i64::from(self.first_year)) * 12 + i64::from(month) - 1;
        usize::try_from(index).ok().and_then(|i| self.months.get(i)).copied().filter(|_| (1..=12).contains(&month))
    }

    /// The first day and the length of a month.
    pub fn month(&self, calendar: Calendar, year: i32, month: u32) -> Option<(NaiveDate, u32)> {
        match calendar {
            Calendar::Hijri => self.hijri_month(year, month),
            Calendar::Gregorian => {
                let first = NaiveDate::from_ymd_opt(year, month, 1)?;
                let next =
                    if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { first.with_month(month + 1) };
                Some((first, next?.signed_duration_since(first).num_days() as u32))
            }
        }
    }

    /// One day of a month; `None` when the month is shorter.
    pub fn day(&self, calendar: Calendar, year: i32, month: u32, day: u32) -> Option<NaiveDate> {
        let (first, len) = self.month(calendar, year, month)?;
        (1..=len).contains(&day).then(|| first.checked_add_days(Days::new(u64::from(day) - 1))).flatten()
    }

    /// A whole month, or one third of it, as an inclusive window.
    pub fn month_window(&self, calendar: Calendar, year: i32, month: u32, part: Option<Part>) -> Option<Window> {
        let (first, len) = self.month(calendar, year, month)?;
        let (from, to) = match part {
            None => (1, len),
            Some(Part::Early) => (1, 10),
            Some(Part::Mid) => (11, 20),
            Some(Part::Late) => (21, len),
        };
        Some((first.checked_add_days(Days::new(from - 1))?, first.checked_add_days(Days::new(u64::from(to) - 1))?))
    }

    /// A whole year, or one third of it (months 1–4, 5–8, 9–12), as an inclusive window.
    pub fn year_window(&self, calendar: Calendar, year: i32, part: Option<Part>) -> Option<Window> {
        let (first, last) = match part {
            None => (1, 12),
            Some(Part::Early) => (1, 4),
            Some(Part::Mid) => (5, 8),
            Some(Part::Late) => (9, 12),
        };
        Some((self.month_window(calendar, year, first, None)?.0, self.month_window(calendar, year, last, None)?.1))
    }

    /// The year a date falls in, in a calendar.
    pub fn year_of(&self, calendar: Calendar, date: NaiveDate) -> Option<i32> {
        match calendar {
            Calendar::Gregorian => Some(date.year()),
            Calendar::Hijri => {
                let after = self.months.partition_point(|&(start, _)| start <= date);
                let (start, len) = *self.months.get(after.checked_sub(1)?)?;
                let inside = date.signed_duration_since(start).num_days() < i64::from(len);
                inside.then(|| self.first_year + ((after - 1) / 12) as i32)
            }
        }
    }
}

/// An inclusive date window.
pub(crate) type Window = (NaiveDate, NaiveDate);

/// Shifts a date by a signed number of days, `None` on overflow.
pub(crate) fn shift(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

/// Shifts a (year, month) by a signed number of months.
pub(crate) fn shift_month(year: i32, month: u32, by: i64) -> Option<(i32, u32)> {
    let index = i64::from(year).checked_mul(12)? + i64::from(month) - 1 + by;
    Some((i32::try_from(index.div_euclid(12)).ok()?, index.rem_euclid(12) as u32 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn converts_umm_al_qura_months_both_ways() {
        let cal = Calendars::load(&DataDir::embedded()).unwrap();
        assert_eq!(cal.day(Calendar::Hijri, 1446, 9, 18), Some(d("2025-03-18")));
        assert_eq!(cal.month_window(Calendar::Hijri, 1447, 3, None), Some((d("2025-08-24"), d("2025-09-22"))));
        assert_eq!(cal.year_of(Calendar::Hijri, d("2025-03-18")), Some(1446));
        assert_eq!(cal.year_of(Calendar::Hijri, d("1900-01-01")), None);
        assert_eq!(cal.day(Calendar::Hijri, 1446, 9, 30), None, "Ramadan 1446 had 29 days");
        assert_eq!(cal.day(Calendar::Gregorian, 2025, 2, 29), None);
        assert_eq!(
            cal.month_window(Calendar::Gregorian, 2024, 2, Some(Part::Late)),
            Some((d("2024-02-21"), d("2024-02-29")))
        );
    }

    #[test]
    fn month_shifts_cross_years() {
        assert_eq!(shift_month(2025, 1, -1), Some((2024, 12)));
        assert_eq!(shift_month(2025, 12, 1), Some((2026, 1)));
        assert_eq!(shift(NaiveDate::MAX, 1), None);
    }
}
