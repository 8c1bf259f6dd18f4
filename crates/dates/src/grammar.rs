//! The grammar of date expressions: rules tried at each token, each reading a run of adjacent
//! tokens and resolving it against the publication date (the conventions are in the crate doc).

use chrono::{Datelike, NaiveDate, Weekday};

use crate::calendar::{shift, shift_month, Calendars, Window};
use crate::tokens::{gap, Number, Tok};
use crate::vocab::{kind, Calendar, Count, Dir, Part, Term, Unit, Vocab};

mod range;

/// How far after publication a date without a year may lie (an announced date) before the
/// previous year is taken instead.
pub(crate) const FUTURE_HORIZON_DAYS: i64 = 31;

/// A resolved window with its ACLED precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Reading {
    pub window: Window,
    pub precision: u8,
    pub relative: bool,
}

/// An expression found: tokens `from..to`, resolved.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Found {
    pub from: usize,
    pub to: usize,
    pub reading: Reading,
}

/// What the rules read from.
pub(crate) struct Ctx<'a> {
    pub toks: &'a [Tok],
    pub vocab: &'a Vocab,
    pub calendars: &'a Calendars,
    pub published: NaiveDate,
    /// Days the page's "today" lies before its date, as the first relative day with a named
    /// weekday that disagrees with the date tells it («اليوم (الخميس)» on a page dated Friday:
    /// −1). Recorded while reading; see [`relative_day`].
    pub lag: std::cell::Cell<Option<i64>>,
}

type Rule = fn(&mut Cursor<'_>) -> Option<Reading>;

/// The rules, in order of preference when two read equally far, each with the [`kind`]s of
/// token it can start on.
const RULES: [(Rule, u32); 11] = {
    use kind::*;
    const LEADS: u32 = DAYPART | EVE | PART | DAY_NOUN;
    [
        (absolute, LEADS | WEEKDAY | NUMBER | ORDINAL | UNIT | MONTH),
        (numeric, LEADS | WEEKDAY | NUMBER),
        (year, PART | YEAR_WORD | PREP | NUMBER),
        (relative_day, LEADS | DAY),
        (weekday, LEADS | MODIFIER | WEEKDAY),
        (period, PART | MODIFIER | UNIT),
        (since, SINCE),
        (ago, BEFORE | SINCE | AFTER | NUMBER | CARDINAL | UNIT),
        (recent, PREP | WITHIN | RECENT | MODIFIER | NUMBER | CARDINAL | UNIT),
        (range::range, RANGE_FROM | DAY_NOUN | UNIT | NUMBER | ORDINAL | MONTH),
        (fixed_window, NIGHT | WEEKEND),
    ]
};

/// The longest reading that starts at token `i`, unless the tokens before make it a name
/// (ساحة ٨ آذار); a name is still returned, without a reading, so that its words are skipped.
pub(crate) fn read_at(ctx: &Ctx<'_>, i: usize) -> Option<(Found, bool)> {
    let mut best: Option<Found> = None;
    for (rule, starters) in RULES {
        if ctx.toks[i].kinds & starters == 0 {
            continue;
        }
        let mut c = Cursor { ctx, pos: i, start: i, span_from: i };
        if let Some(reading) = rule(&mut c) {
            if best.is_none_or(|b| c.pos > b.to) {
                best = Some(Found { from: c.span_from, to: c.pos, reading });
            }
        }
    }
    let found = best?;
    let named = i > 0 && {
        let prev = Cursor { ctx, pos: i - 1, start: i - 1, span_from: i - 1 };
        prev.has(|t| t == Term::NameHead) && ctx.toks[i].gap & !gap::SPACE == 0
    };
    Some((found, named))
}

/// A position in the token list while a rule reads.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    ctx: &'a Ctx<'a>,
    pos: usize,
    start: usize,
    /// The first token of the span (after a preposition such as في that stays outside it).
    span_from: usize,
}

impl Cursor<'_> {
    /// The next token, when it follows the previous one across spaces and the `allowed`
    /// punctuation (a token joined by و/ف only when `allowed` has [`gap::CONJ`]).
    fn next_tok(&self, allowed: u8) -> Option<&Tok> {
        let tok = self.ctx.toks.get(self.pos)?;
        if self.pos > self.start {
            let joined = tok.gap;
            if (tok.conj && allowed & gap::CONJ == 0) || joined & !(allowed | gap::SPACE) != 0 {
                return None;
            }
        }
        Some(tok)
    }

    /// Takes the next token when one of its terms gives `Some`.
    fn term<T>(&mut self, allowed: u8, f: impl Fn(Term) -> Option<T>) -> Option<T> {
        let found = self.next_tok(allowed)?.terms(self.ctx.vocab).find_map(|&t| f(t))?;
        self.pos += 1;
        Some(found)
    }

    /// Takes the next token when it is a number `f` accepts.
    fn number<T>(&mut self, allowed: u8, f: impl Fn(Number) -> Option<T>) -> Option<T> {
        let found = self.next_tok(allowed)?.number().and_then(f)?;
        self.pos += 1;
        Some(found)
    }

    /// Whether the next token (at any distance) has a term satisfying `f`.
    fn has(&self, f: impl Fn(Term) -> bool) -> bool {
        self.ctx.toks.get(self.pos).is_some_and(|t| t.terms(self.ctx.vocab).any(|&x| f(x)))
    }

    /// The punctuation between the previous token and the next one.
    fn gap(&self) -> Option<u8> {
        self.ctx.toks.get(self.pos).map(|t| t.gap)
    }

    fn published(&self) -> NaiveDate {
        self.ctx.published
    }
}

// ---- small readers -------------------------------------------------------------------------

fn modifier(t: Term) -> Option<Dir> {
    match t {
        Term::Modifier(d) => Some(d),
        _ => None,
    }
}

fn part(t: Term) -> Option<Part> {
    match t {
        Term::Part(p) => Some(p),
        _ => None,
    }
}

fn weekday_term(t: Term) -> Option<Weekday> {
    match t {
        Term::Weekday(w) => Some(w),
        _ => None,
    }
}

fn is(term: Term) -> impl Fn(Term) -> Option<()> {
    move |t| (t == term).then_some(())
}

/// A month name, with a second name for the same month after `/` or `(` (تشرين الأول/أكتوبر).
#[derive(Clone, Copy)]
struct MonthName {
    calendar: Calendar,
    month: u32,
    standalone: bool,
}

fn month_name(c: &mut Cursor<'_>, allowed: u8) -> Option<MonthName> {
    let name = |t| match t {
        Term::Month { calendar, month, standalone } => Some(MonthName { calendar, month, standalone }),
        _ => None,
    };
    let mut m = c.term(allowed, name)?;
    let same = |t| name(t).filter(|o| (o.calendar, o.month) == (m.calendar, m.month));
    if let Some(other) = c.term(gap::SLASH | gap::PAREN, same) {
        m.standalone |= other.standalone;
    }
    Some(m)
}

/// A day of the month: 1–31 in digits (`15th` too) or an ordinal word (الثامن، غرة).
fn day_of_month(c: &mut Cursor<'_>, allowed: u8) -> Option<u32> {
    c.number(allowed, |n| (n.digits <= 2 && n.era.is_none() && (1..=31).contains(&n.value)).then_some(n.value)).or_else(
        || {
            c.term(allowed, |t| match t {
                Term::Ordinal(d) => Some(d),
                _ => None,
            })
        },
    )
}

/// A year in digits with its era, if marked (٢٠٢٥م، ١٤٤٦ هـ).
fn year_number(c: &mut Cursor<'_>, allowed: u8) -> Option<(i32, Option<Calendar>)> {
    let n = c.number(allowed, |n| (n.digits == 4 || (n.era.is_some() && n.digits == 3)).then_some(n))?;
    Some((i32::try_from(n.value).ok()?, n.era.or_else(|| era(c))))
}

/// A separate era word after a year (م، هـ، ميلادي), written without a proclitic (لم is no era).
fn era(c: &mut Cursor<'_>) -> Option<Calendar> {
    c.next_tok(0).filter(|t| t.bare)?;
    c.term(0, |t| match t {
        Term::Era(e) => Some(e),
        _ => None,
    })
}

/// A number this large next to a unit is a year (خلال عام 2014), not a count of units.
const MAX_COUNT: u32 = 1000;

/// A count before a unit: digits or a number word.
fn count(c: &mut Cursor<'_>) -> Option<Count> {
    c.number(0, |n| (n.era.is_none() && n.value > 0 && n.value < MAX_COUNT).then_some(Count::N(n.value))).or_else(
        || {
            c.term(0, |t| match t {
                Term::Cardinal(n) => Some(n),
                _ => None,
            })
        },
    )
}

fn unit(c: &mut Cursor<'_>) -> Option<(Unit, Count)> {
    c.term(0, |t| match t {
        Term::Unit(u, n) => Some((u, n)),
        _ => None,
    })
}

/// Words that may lead a day: a part of the day (مساء، فجر), the eve ليلة (returns `true`) or,
/// before a weekday or a relative day, an English "late on"/"early"; then يوم.
fn day_lead(c: &mut Cursor<'_>) -> bool {
    let eve = c.term(0, is(Term::Eve)).is_some();
    if !eve && c.term(0, is(Term::DayPart)).is_none() {
        let mut lead = *c;
        if lead.term(0, part).is_some() {
            lead.term(0, is(Term::Link));
            if lead.has(|t| matches!(t, Term::Weekday(_) | Term::Day(_))) {
                *c = lead;
            }
        }
    }
    c.term(0, is(Term::DayNoun));
    eve
}

// ---- resolution ----------------------------------------------------------------------------

fn day_reading(date: NaiveDate, relative: bool) -> Reading {
    Reading { window: (date, date), precision: 1, relative }
}

fn relative_reading(window: Window, precision: u8) -> Option<Reading> {
    (window.0 <= window.1).then_some(Reading { window, precision, relative: true })
}

/// Picks the year for a month or day written without one, by the modifier after it:
/// الماضي the latest window ending before publication, المقبل the first starting after it,
/// الجاري the current year, none the latest one starting no later than the horizon.
fn pick_year(
    c: &Cursor<'_>,
    calendar: Calendar,
    dir: Option<Dir>,
    window_in: impl Fn(i32) -> Option<Window>,
) -> Option<Window> {
    let p = c.published();
    let y0 = c.ctx.calendars.year_of(calendar, p)?;
    let mut years = (y0 - 1..=y0 + 1).filter_map(&window_in);
    match dir {
        Some(Dir::This) => window_in(y0),
        Some(Dir::Next) => years.find(|w| w.0 > p),
        Some(Dir::Past) => years.rev().find(|w| w.1 < p),
        None => {
            let horizon = shift(p, FUTURE_HORIZON_DAYS)?;
            years.rev().find(|w| w.0 <= horizon)
        }
    }
}

/// The weekday `w` before, on or after publication.
fn resolve_weekday(p: NaiveDate, w: Weekday, dir: Option<Dir>) -> Option<NaiveDate> {
    let back = i64::from((7 + p.weekday().num_days_from_monday() - w.num_days_from_monday()) % 7);
    match dir {
        Some(Dir::Past) => shift(p, -(if back == 0 { 7 } else { back })),
        Some(Dir::Next) => shift(p, if back == 0 { 7 } else { 7 - back }),
        Some(Dir::This) | None => shift(p, -back),
    }
}

/// A calendar month of the publication year, shifted by a modifier.
fn month_of_period(p: NaiveDate, dir: Dir) -> Option<(i32, u32)> {
    shift_month(p.year(), p.month(), dir_offset(dir))
}

fn dir_offset(dir: Dir) -> i64 {
    match dir {
        Dir::Past => -1,
        Dir::This => 0,
        Dir::Next => 1,
    }
}

// ---- rules ---------------------------------------------------------------------------------

/// Dates with a month name: `[weekday] day [من] month [year]`, `month day[,] [year]`,
/// `part [شهر] month [year]`, `[شهر] month [year]`, each with an optional modifier after.
fn absolute(c: &mut Cursor<'_>) -> Option<Reading> {
    day_lead(c);
    c.term(gap::COMMA, weekday_term);
    if let Some(day) = day_of_month(c, gap::COMMA) {
        c.term(0, is(Term::Link));
        let mut month = *c;
        return month_phrase(&mut month, Some(day), None).inspect(|_| *c = month).or_else(|| day_of_period(c, day));
    }
    let part = c.term(gap::COMMA, part);
    month_phrase(c, None, part)
}

/// `[شهر] month [day] [year [era]] [modifier]`, after a day or a part already read.
fn month_phrase(c: &mut Cursor<'_>, day: Option<u32>, part: Option<Part>) -> Option<Reading> {
    let noun = c.term(gap::DASH | gap::COMMA, |t| matches!(t, Term::Unit(Unit::Month, Count::N(1))).then_some(()));
    let m = month_name(c, gap::DASH | gap::COMMA)?;
    let day = match (day, part) {
        (None, None) => day_of_month(c, gap::DOT),
        _ => day,
    };
    let year = year_number(c, gap::COMMA | gap::DOT | gap::PAREN);
    let dir = c.term(0, modifier);
    if day.is_none() && part.is_none() && year.is_none() && dir.is_none() && noun.is_none() && !m.standalone {
        return None;
    }
    let cal = c.ctx.calendars;
    let window_in = |y| match day {
        Some(d) => cal.day(m.calendar, y, m.month, d).map(|x| (x, x)),
        None => cal.month_window(m.calendar, y, m.month, part),
    };
    let window = match year {
        Some((_, Some(era))) if era != m.calendar => return None,
        Some((y, _)) => window_in(y)?,
        None => pick_year(c, m.calendar, dir, window_in)?,
    };
    Some(Reading { window, precision: if day.is_some() { 1 } else { 3 }, relative: year.is_none() })
}

/// A day of a month named by a period: الثامن من الشهر الجاري.
fn day_of_period(c: &mut Cursor<'_>, day: u32) -> Option<Reading> {
    c.term(0, |t| matches!(t, Term::Unit(Unit::Month, Count::N(1))).then_some(()))?;
    let (y, m) = month_of_period(c.published(), c.term(0, modifier)?)?;
    Some(day_reading(c.ctx.calendars.day(Calendar::Gregorian, y, m, day)?, true))
}

/// Numeric dates: d/m/y and y/m/d with `/`, `-` or `.` (the same twice, no spaces), after an
/// optional weekday (الأحد ٢٦-١٠-٢٠٢٥).
fn numeric(c: &mut Cursor<'_>) -> Option<Reading> {
    day_lead(c);
    c.term(gap::COMMA, weekday_term);
    let first = c.number(gap::COMMA, Some)?;
    let sep = c.gap().filter(|g| [gap::SLASH, gap::DASH, gap::DOT].contains(g))?;
    let second = c.number(sep, Some)?;
    (c.gap() == Some(sep)).then_some(())?;
    let third = c.number(sep, Some)?;
    if c.gap() == Some(sep) && c.ctx.toks.get(c.pos).is_some_and(|t| t.number().is_some()) {
        return None;
    }
    let small = |n: Number| n.digits <= 2 && n.era.is_none();
    let (year, month, day) = if first.digits == 4 && small(second) {
        (first, second, third)
    } else if small(first) && small(second) {
        (third, second, first)
    } else {
        return None;
    };
    let y = match year.digits {
        4 => i32::try_from(year.value).ok()?,
        2 if sep != gap::DASH => 2000 + year.value as i32,
        _ => return None,
    };
    let era = third.era.or_else(|| era(c));
    let date = c.ctx.calendars.day(era.unwrap_or(Calendar::Gregorian), y, month.value, day.value)?;
    Some(day_reading(date, false))
}

/// A year: `عام ٢٠١٨`, `في 2019` (1900–2100), `٢٠١٩م`, `عام ١٤٤٦ هـ`, `مطلع 2020`.
fn year(c: &mut Cursor<'_>) -> Option<Reading> {
    let part = c.term(0, part);
    let marker = c.term(0, |t| match t {
        Term::YearWord => Some(true),
        Term::Prep => Some(false),
        _ => None,
    });
    if marker == Some(false) && part.is_none() {
        c.span_from = c.pos;
    }
    let (y, era) = year_number(c, 0)?;
    let plain_year_in_range = marker.is_some() && (1900..=2100).contains(&y);
    if era.is_none() && part.is_none() && marker != Some(true) && !plain_year_in_range {
        return None;
    }
    let window = c.ctx.calendars.year_window(era.unwrap_or(Calendar::Gregorian), y, part)?;
    Some(Reading { window, precision: 3, relative: false })
}

/// اليوم، أمس، أول أمس، غدا with a part of the day before and a weekday after (صباح أمس الإثنين).
fn relative_day(c: &mut Cursor<'_>) -> Option<Reading> {
    day_lead(c);
    let offset = c.term(0, |t| match t {
        Term::Day(d) => Some(d),
        _ => None,
    })?;
    let named = c.term(gap::COMMA | gap::PAREN, weekday_term);
    c.term(0, is(Term::DayPart));
    let day = shift(c.published(), offset)?;
    // «أمس الخميس» in a paper dated Saturday: the page went to print a day after it was
    // written, and the named weekday, a day off the relative word, tells the day. A page up to
    // two days behind its date is recorded, so that the article's other relative words are
    // read from the day it was written.
    let day = match named {
        Some(w) if day.weekday() != w => {
            if c.ctx.lag.get().is_none() {
                let behind = [-1, -2].into_iter().find(|&k| shift(day, k).is_some_and(|d| d.weekday() == w));
                c.ctx.lag.set(behind);
            }
            [-1, 1].into_iter().filter_map(|k| shift(day, k)).find(|d| d.weekday() == w).unwrap_or(day)
        }
        _ => day,
    };
    Some(day_reading(day, true))
}

/// A weekday (latest on or before publication; الماضي strictly before, المقبل strictly after),
/// or two weekdays joined by `–`, `/`, و or إلى/على as a window ending on the second
/// (ليل الثلاثاء – الأربعاء); ليلة before one weekday is its eve, a two-day window.
fn weekday(c: &mut Cursor<'_>) -> Option<Reading> {
    let eve = day_lead(c);
    let before = c.term(0, modifier);
    let first = c.term(0, weekday_term)?;
    let mut pair = *c;
    let second = pair
        .term(gap::DASH | gap::SLASH | gap::CONJ, weekday_term)
        .or_else(|| pair.term(0, is(Term::RangeTo)).and_then(|()| pair.term(0, weekday_term)));
    if second.is_some() {
        *c = pair;
    }
    let dir = before.or_else(|| c.term(0, modifier));
    c.term(gap::COMMA, is(Term::DayPart));
    let p = c.published();
    match second {
        None if eve => {
            let day = resolve_weekday(p, first, dir)?;
            relative_reading((shift(day, -1)?, day), 2)
        }
        None => Some(day_reading(resolve_weekday(p, first, dir)?, true)),
        Some(second) => {
            let end = resolve_weekday(p, second, dir)?;
            let days = (7 + second.num_days_from_monday() - first.num_days_from_monday()) % 7;
            (days > 0).then_some(())?;
            relative_reading((shift(end, -i64::from(days))?, end), 2)
        }
    }
}

/// Calendar periods: الأسبوع/الشهر/العام + الماضي/الجاري/المقبل, last/this/next week, with an
/// optional part (مطلع العام، أواخر الشهر الماضي, late last month).
fn period(c: &mut Cursor<'_>) -> Option<Reading> {
    let part = c.term(0, part);
    period_after_part(c, part)
}

fn period_after_part(c: &mut Cursor<'_>, part: Option<Part>) -> Option<Reading> {
    let before = c.term(0, modifier);
    let unit = c.term(0, |t| match t {
        Term::Unit(u @ (Unit::Week | Unit::Month | Unit::Year), Count::N(1)) => Some(u),
        _ => None,
    })?;
    if c.next_tok(0).is_some_and(|t| t.number().is_some()) {
        return None;
    }
    let dir = before.or_else(|| c.term(0, modifier));
    if dir.is_none() && part.is_none() {
        return None;
    }
    let dir = dir.unwrap_or(Dir::This);
    let p = c.published();
    let cal = c.ctx.calendars;
    let (window, precision) = match (unit, part) {
        (Unit::Week, Some(_)) => return None,
        (Unit::Week, None) => match dir {
            Dir::Past => ((shift(p, -14)?, shift(p, -1)?), 2),
            Dir::This => ((shift(p, -6)?, p), 2),
            Dir::Next => ((shift(p, 1)?, shift(p, 14)?), 2),
        },
        (Unit::Month, _) => {
            let (y, m) = month_of_period(p, dir)?;
            let (start, end) = cal.month_window(Calendar::Gregorian, y, m, part)?;
            (if dir == Dir::This && part.is_none() { (start, p) } else { (start, end) }, 3)
        }
        _ => {
            let y = p.year().checked_add(dir_offset(dir) as i32)?;
            let (start, end) = cal.year_window(Calendar::Gregorian, y, part)?;
            (if dir == Dir::This && part.is_none() { (start, p) } else { (start, end) }, 3)
        }
    };
    relative_reading(window, precision)
}

/// `منذ مطلع العام`, `منذ بداية آذار`, since the start of the year: from that start to publication.
fn since(c: &mut Cursor<'_>) -> Option<Reading> {
    c.term(0, is(Term::Since))?;
    let part = c.term(0, part)?;
    let mut month = *c;
    let from = match month_phrase(&mut month, None, Some(part)) {
        Some(r) => {
            *c = month;
            r
        }
        None => period_after_part(c, Some(part))?,
    };
    relative_reading((from.window.0, c.published()), 3)
}

/// `قبل/منذ` + count + unit (قبل يومين، منذ ثلاثة أسابيع), count + unit + `ago`, and the
/// same forward in time with بعد (بعد يومين).
fn ago(c: &mut Cursor<'_>) -> Option<Reading> {
    let lead = c.term(0, |t| match t {
        Term::Before => Some((-1, false)),
        Term::Since => Some((-1, true)),
        Term::After => Some((1, false)),
        _ => None,
    });
    c.term(0, is(Term::About));
    let n = count(c);
    let (unit, own) = unit(c)?;
    if lead.is_none() {
        c.term(0, is(Term::AgoSuffix))?;
    }
    let (sign, since) = lead.unwrap_or((-1, false));
    // قبل يومين من الانتخابات, منذ عام 2011: relative to something else; منذ يوم الجمعة,
    // منذ الأسبوع الماضي: a day or a period read on its own.
    let names_a_date = |t| matches!(t, Term::Link | Term::Weekday(_) | Term::Month { .. } | Term::Modifier(_));
    if c.next_tok(0).is_some_and(|t| t.number().is_some()) || c.has(names_a_date) {
        return None;
    }
    let p = c.published();
    // A vague count is a window `near … far` days away, on the side of `sign`.
    let vague = |near: i64, far: i64, precision| {
        let (a, b) = (shift(p, sign * near)?, shift(p, sign * far)?);
        relative_reading((a.min(b), a.max(b)), precision)
    };
    match (unit, n.unwrap_or(own)) {
        (Unit::Hour, Count::N(h)) => Some(day_reading(shift(p, sign * i64::from(h / 24))?, true)),
        (Unit::Hour, Count::Many) => Some(day_reading(p, true)),
        (Unit::Day, Count::N(d)) => Some(day_reading(shift(p, sign * i64::from(d))?, true)),
        (Unit::Day, Count::Many) => vague(1, 7, 2),
        (Unit::Week, Count::N(w)) => {
            let mid = shift(p, sign * 7 * i64::from(w))?;
            relative_reading((shift(mid, -3)?, shift(mid, 3)?), 2)
        }
        (Unit::Week, Count::Many) => vague(8, 30, 3),
        (Unit::Month, Count::N(m)) => {
            let (y, m) = shift_month(p.year(), p.month(), sign * i64::from(m))?;
            relative_reading(c.ctx.calendars.month_window(Calendar::Gregorian, y, m, None)?, 3)
        }
        // منذ أشهر: "for months", "(the most …) in months" — a duration, no date; قبل أشهر is one.
        (Unit::Month, Count::Many) if since => None,
        (Unit::Month, Count::Many) => vague(VAGUE_MONTHS.0, VAGUE_MONTHS.1, 3),
        (Unit::Year, Count::N(y)) => {
            let y = p.year().checked_add(i32::try_from(sign * i64::from(y)).ok()?)?;
            relative_reading(c.ctx.calendars.year_window(Calendar::Gregorian, y, None)?, 3)
        }
        // منذ سنوات: background, no date.
        (Unit::Year, Count::Many) => None,
    }
}

/// The window of "months ago" (قبل أشهر), in days before publication.
const VAGUE_MONTHS: (i64, i64) = (30, 180);

/// Windows that end at publication: خلال الأيام/الأسابيع/الأشهر الماضية، الساعات الـ24 الماضية,
/// in recent weeks, over the past two days.
fn recent(c: &mut Cursor<'_>) -> Option<Reading> {
    let mut lead = *c;
    let within = lead.term(0, |t| match t {
        Term::Within(d) => Some(d),
        _ => None,
    });
    if within.is_some() {
        *c = lead;
    } else {
        c.term(0, is(Term::Prep));
    }
    let before = c.term(0, |t| match t {
        Term::Recent => Some((true, Dir::Past)),
        Term::Modifier(d @ (Dir::Past | Dir::Next)) => Some((false, d)),
        _ => None,
    });
    let n = count(c);
    let (unit, own) = unit(c)?;
    let n = n.or_else(|| count(c));
    let after = c.term(0, |t| match t {
        Term::Modifier(d @ (Dir::Past | Dir::Next)) => Some(d),
        _ => None,
    });
    // خلال يومين, within two days: a counted or dual unit after خلال/within, without modifier
    // (not "خلال شهر رمضان").
    let counted = n.is_some() || matches!(own, Count::N(k) if k > 1);
    let bare_within = within.filter(|_| before.is_none() && after.is_none() && counted);
    let dir = match (before, after, bare_within) {
        (Some((_, d)), _, _) | (None, Some(d), _) | (None, None, Some(d)) => d,
        (None, None, None) => return None,
    };
    // "last week", "الأسبوع الماضي" are periods; "the past week" is a window.
    if bare_within.is_none() && n.is_none() && own == Count::N(1) && before.is_none_or(|b| !b.0) {
        return None;
    }
    let p = c.published();
    let (days, precision) = match (unit, n.unwrap_or(own)) {
        (Unit::Hour, _) => (1, 2),
        (Unit::Day, Count::N(d)) => (i64::from(d), if d <= 7 { 2 } else { 3 }),
        (Unit::Day, Count::Many) => (7, 2),
        (Unit::Week, Count::N(w)) => (7 * i64::from(w), if w == 1 { 2 } else { 3 }),
        (Unit::Week, Count::Many) => (30, 3),
        (Unit::Month, Count::N(m)) => (30 * i64::from(m), 3),
        (Unit::Month, Count::Many) => (90, 3),
        (Unit::Year, Count::N(y)) => (365 * i64::from(y), 3),
        (Unit::Year, Count::Many) => return None,
    };
    match dir {
        Dir::Next => relative_reading((shift(p, 1)?, shift(p, days)?), precision),
        _ => relative_reading((shift(p, -days)?, p), precision),
    }
}

/// Fixed windows: the night before publication (الليلة الماضية، overnight) and the weekend.
fn fixed_window(c: &mut Cursor<'_>) -> Option<Reading> {
    let p = c.published();
    match c.term(0, |t| matches!(t, Term::Night | Term::Weekend(_)).then_some(t))? {
        Term::Weekend(days) => {
            let friday = resolve_weekday(p, Weekday::Fri, None)?;
            let end = shift(friday, i64::try_from(days).ok()? - 1)?.min(p);
            relative_reading((friday, end), 2)
        }
        _ => relative_reading((shift(p, -1)?, p), 2),
    }
}
