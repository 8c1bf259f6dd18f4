//! Ranges: two days, months or years joined by و، إلى، حتى، to, and or a dash, read as one window
//! (بين ٣ و٥ آذار، من ٢٨ شباط إلى ٣ آذار، from January to March, March 3–5, بين عامي 2011 و2015).

use chrono::NaiveDate;

use super::{day_of_month, is, modifier, month_name, pick_year, year_number, Cursor, MonthName, Reading};
use crate::calendar::Window;
use crate::tokens::gap;
use crate::vocab::{Calendar, Term, Unit};

/// Years a range of bare years may span (counts such as "من 1500 إلى 2000" are no years).
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// One end of a range as written: what it leaves out comes from the other end.
#[derive(Clone, Copy, Default)]
struct End {
    day: Option<u32>,
    month: Option<MonthName>,
    year: Option<(i32, Option<Calendar>)>,
    /// A year alone, after a year word or with an era (عام 2011، 2015م).
    marked_year: bool,
}

/// Reads one end: `day [من] [month] [year]`, `month [day] [year]` or `[عام] year`; its first
/// token may follow the previous one across `allowed`.
fn end(c: &mut Cursor<'_>, allowed: u8) -> Option<End> {
    let mut e = End::default();
    if let Some(day) = day_of_month(c, allowed) {
        e.day = Some(day);
        let mut month = *c;
        month.term(0, is(Term::Link));
        if let Some(m) = month_name(&mut month, gap::DASH | gap::COMMA) {
            *c = month;
            e.month = Some(m);
        }
    } else if let Some(m) = month_name(c, allowed) {
        e.month = Some(m);
        e.day = day_of_month(c, gap::DOT);
    } else {
        let word = c.term(allowed, is(Term::YearWord)).is_some();
        let year = year_number(c, if word { 0 } else { allowed })?;
        e.year = Some(year);
        e.marked_year = word || year.1.is_some();
        return Some(e);
    }
    e.year = year_number(c, gap::COMMA | gap::DOT | gap::PAREN);
    Some(e)
}

/// The join between the ends: a word (إلى، حتى، to, and: `Some(0)`), a dash or a و on the next
/// token (the gap flag the second end is read across).
fn joint(c: &mut Cursor<'_>) -> Option<u8> {
    if c.term(0, is(Term::RangeTo)).is_some() {
        return Some(0);
    }
    let tok = c.ctx.toks.get(c.pos)?;
    if tok.gap & gap::DASH != 0 {
        Some(gap::DASH)
    } else {
        tok.conj.then_some(gap::CONJ)
    }
}

/// `[بين|من|from|between] end (و|إلى|حتى|to|and|-) end [modifier]`: one window from the first
/// end to the second, precision 1 for one day, 2 up to a week, 3 beyond.
pub(super) fn range(c: &mut Cursor<'_>) -> Option<Reading> {
    let opened = c.term(0, is(Term::RangeFrom)).is_some();
    // يومي ٣ و٤ حزيران، بين شهري كانون الثاني وآذار
    c.term(0, |t| matches!(t, Term::DayNoun | Term::Unit(Unit::Month, _)).then_some(()));
    let first = end(c, 0)?;
    let spaced = c.ctx.toks.get(c.pos).is_some_and(|t| t.gap & gap::SPACE != 0);
    let joint = joint(c)?;
    let second = end(c, joint)?;
    let dir = c.term(0, modifier);
    // Without an opening word, و or a word joins only a bare day (٣ و٥ آذار); a dash joins all.
    if !opened && joint != gap::DASH && (first.month.is_some() || first.year.is_some()) {
        return None;
    }
    // "April 10 - 12 people were killed": a bare day after a spaced dash is no range end.
    if joint == gap::DASH && spaced && first.month.is_some() && second.month.is_none() {
        return None;
    }
    if first.month.is_none() && second.month.is_none() {
        return year_range(c, first, second);
    }
    let (m1, m2) = (first.month.or(second.month)?, second.month.or(first.month)?);
    let calendar = m1.calendar;
    let eras = [first.year, second.year].into_iter().flatten().filter_map(|(_, era)| era);
    if m2.calendar != calendar || eras.into_iter().any(|e| e != calendar) {
        return None;
    }
    let days = match (first.day, second.day) {
        (Some(a), Some(b)) => Some((a, b)),
        (None, None) => None,
        _ => return None,
    };
    let cal = c.ctx.calendars;
    let point = |m: MonthName, y: i32, day: Option<u32>, last: bool| -> Option<NaiveDate> {
        match day {
            Some(d) => cal.day(calendar, y, m.month, d),
            None => cal.month_window(calendar, y, m.month, None).map(|w| if last { w.1 } else { w.0 }),
        }
    };
    let start_year = first.year.map(|y| y.0);
    let window_in = |y: i32| -> Option<Window> {
        let end = point(m2, y, days.map(|d| d.1), true)?;
        let mut start = point(m1, start_year.unwrap_or(y), days.map(|d| d.0), false)?;
        if start_year.is_none() && start > end {
            start = point(m1, y.checked_sub(1)?, days.map(|d| d.0), false)?;
        }
        (start < end || (start == end && days.is_some())).then_some((start, end))
    };
    let end_year = second.year.or(first.year);
    let window = match end_year {
        Some((y, _)) => window_in(y)?,
        None => pick_year(c, calendar, dir, window_in)?,
    };
    let length = (window.1 - window.0).num_days() + 1;
    let precision = match (days, length) {
        (Some(_), 1) => 1,
        (Some(_), 2..=7) => 2,
        _ => 3,
    };
    Some(Reading { window, precision, relative: end_year.is_none() })
}

/// `بين عامي 2011 و2015`, `من عام 2011 حتى 2015`: whole years, precision 3; one end must be
/// marked as a year.
fn year_range(c: &Cursor<'_>, first: End, second: End) -> Option<Reading> {
    let ((y1, e1), (y2, e2)) = (first.year?, second.year?);
    let calendar = match (e1, e2) {
        (Some(a), Some(b)) if a != b => return None,
        (a, b) => a.or(b).unwrap_or(Calendar::Gregorian),
    };
    let plausible = calendar == Calendar::Hijri || (YEARS.contains(&y1) && YEARS.contains(&y2));
    if !(first.marked_year || second.marked_year) || y1 >= y2 || !plausible {
        return None;
    }
    let cal = c.ctx.calendars;
    let window = (cal.year_window(calendar, y1, None)?.0, cal.year_window(calendar, y2, None)?.1);
    Some(Reading { window, precision: 3, relative: false })
}
