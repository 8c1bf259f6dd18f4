//! The date vocabulary: the files under `data/dates/` compiled into one [`Lexicon`] of [`Term`]s.

use chrono::Weekday;
use rasd_kb::{numbers, DataDir, KbError, Row, Tsv};
use rasd_text::fold::fold_str;
use rasd_text::{Lexicon, LexiconBuilder};

/// A calendar a month or year belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Calendar {
    /// The Gregorian calendar.
    Gregorian,
    /// The Hijri calendar, as tabulated by Umm al-Qura.
    Hijri,
}

/// A unit of time in relative expressions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// How many units a word names by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Count {
    /// A definite number (singular 1, dual 2, or a number word).
    N(u32),
    /// A plural or a vague count (أيام, بضعة, several).
    Many,
}

/// Direction of a modifier relative to the publication date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    Past,
    This,
    Next,
}

/// A third of a month or a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Early,
    Mid,
    Late,
}

/// The meaning of one vocabulary entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Term {
    Month { calendar: Calendar, month: u32, standalone: bool },
    Weekday(Weekday),
    Day(i64),
    Night,
    Weekend(u64),
    DayPart,
    Unit(Unit, Count),
    Modifier(Dir),
    Part(Part),
    Before,
    Since,
    After,
    AgoSuffix,
    Recent,
    YearWord,
    Prep,
    Era(Calendar),
    Link,
    DayNoun,
    NameHead,
    NotDate,
    Cardinal(Count),
    Ordinal(u32),
    RangeFrom,
    RangeTo,
    Eve,
    Within(Dir),
    About,
}

/// One bit per kind of [`Term`] (and one for numbers in digits), for quick tests of what a
/// token may start.
pub(crate) mod kind {
    pub const MONTH: u32 = 1 << 0;
    pub const WEEKDAY: u32 = 1 << 1;
    pub const DAY: u32 = 1 << 2;
    pub const NIGHT: u32 = 1 << 3;
    pub const WEEKEND: u32 = 1 << 4;
    pub const DAYPART: u32 = 1 << 5;
    pub const UNIT: u32 = 1 << 6;
    pub const MODIFIER: u32 = 1 << 7;
    pub const PART: u32 = 1 << 8;
    pub const BEFORE: u32 = 1 << 9;
    pub const SINCE: u32 = 1 << 10;
    pub const AGO_SUFFIX: u32 = 1 << 11;
    pub const RECENT: u32 = 1 << 12;
    pub const YEAR_WORD: u32 = 1 << 13;
    pub const PREP: u32 = 1 << 14;
    pub const ERA: u32 = 1 << 15;
    pub const LINK: u32 = 1 << 16;
    pub const DAY_NOUN: u32 = 1 << 17;
    pub const NAME_HEAD: u32 = 1 << 18;
    pub const NOT_DATE: u32 = 1 << 19;
    pub const CARDINAL: u32 = 1 << 20;
    pub const ORDINAL: u32 = 1 << 21;
    pub const RANGE_FROM: u32 = 1 << 22;
    pub const RANGE_TO: u32 = 1 << 23;
    pub const EVE: u32 = 1 << 24;
    pub const AFTER: u32 = 1 << 25;
    pub const WITHIN: u32 = 1 << 26;
    pub const ABOUT: u32 = 1 << 27;
    pub const NUMBER: u32 = 1 << 31;
}

impl Term {
    /// The [`kind`] bit of the variant.
    pub fn kind(self) -> u32 {
        match self {
            Term::Month { .. } => kind::MONTH,
            Term::Weekday(_) => kind::WEEKDAY,
            Term::Day(_) => kind::DAY,
            Term::Night => kind::NIGHT,
            Term::Weekend(_) => kind::WEEKEND,
            Term::DayPart => kind::DAYPART,
            Term::Unit(..) => kind::UNIT,
            Term::Modifier(_) => kind::MODIFIER,
            Term::Part(_) => kind::PART,
            Term::Before => kind::BEFORE,
            Term::Since => kind::SINCE,
            Term::AgoSuffix => kind::AGO_SUFFIX,
            Term::Recent => kind::RECENT,
            Term::YearWord => kind::YEAR_WORD,
            Term::Prep => kind::PREP,
            Term::Era(_) => kind::ERA,
            Term::Link => kind::LINK,
            Term::DayNoun => kind::DAY_NOUN,
            Term::NameHead => kind::NAME_HEAD,
            Term::NotDate => kind::NOT_DATE,
            Term::Cardinal(_) => kind::CARDINAL,
            Term::Ordinal(_) => kind::ORDINAL,
            Term::RangeFrom => kind::RANGE_FROM,
            Term::RangeTo => kind::RANGE_TO,
            Term::Eve => kind::EVE,
            Term::After => kind::AFTER,
            Term::Within(_) => kind::WITHIN,
            Term::About => kind::ABOUT,
        }
    }
}

/// The compiled vocabulary.
#[derive(Debug)]
pub(crate) struct Vocab {
    pub lexicon: Lexicon<Term>,
    /// One-letter era marks (م، هـ): read only right after a year's digits, never searched for
    /// in the whole text (they are among the commonest letters).
    pub era_letters: Vec<(char, Calendar)>,
}

impl Vocab {
    /// Reads `dates/months.tsv`, `dates/weekdays.tsv`, `dates/words.tsv` and the rows of
    /// `text/numbers.tsv` read by `dates`.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        let mut builder = Builder { lex: Lexicon::builder().allow_article(true), era_letters: Vec::new() };
        let all = |_: &Row<'_, '_>| Ok(true);
        builder.read(dir, "dates/months.tsv", &["calendar", "month", "standalone", "names"], all, month_term)?;
        builder.read(dir, "dates/weekdays.tsv", &["weekday", "names"], all, |row| {
            row.parse::<Weekday>("weekday").map(Term::Weekday)
        })?;
        builder.read(dir, "dates/words.tsv", &["kind", "value", "names"], all, word_term)?;
        let ours = |row: &Row<'_, '_>| numbers::reads(row, numbers::Reader::Dates);
        builder.read(dir, numbers::NUMBERS_FILE, &numbers::COLUMNS, ours, number_term)?;
        Ok(Vocab { lexicon: builder.lex.build(), era_letters: builder.era_letters })
    }
}

struct Builder {
    lex: LexiconBuilder<Term>,
    era_letters: Vec<(char, Calendar)>,
}

impl Builder {
    fn read(
        &mut self,
        dir: &DataDir,
        file: &str,
        columns: &[&str],
        keep: impl Fn(&Row<'_, '_>) -> Result<bool, KbError>,
        term: impl Fn(&Row<'_, '_>) -> Result<Term, KbError>,
    ) -> Result<(), KbError> {
        let text = dir.read(file)?;
        let table = Tsv::parse(file, &text, columns)?;
        for row in table.rows() {
            if !keep(&row)? {
                continue;
            }
            let term = term(&row)?;
            let mut any = false;
            for name in row.list("names") {
                let folded = fold_str(name);
                let mut chars = folded.chars();
                match (term, chars.next(), chars.next()) {
                    (Term::Era(era), Some(letter), None) => self.era_letters.push((letter, era)),
                    _ if folded.is_empty() => continue,
                    _ => {
                        self.lex.add(name, term);
                    }
                }
                any = true;
            }
            if !any {
                return Err(row.error("column `names` has no spelling"));
            }
        }
        Ok(())
    }
}

fn month_term(row: &Row<'_, '_>) -> Result<Term, KbError> {
    let calendar = match row.require("calendar")? {
        "gregorian" => Calendar::Gregorian,
        "hijri" => Calendar::Hijri,
        other => return Err(row.error(format!("calendar {other:?}: expected gregorian or hijri"))),
    };
    let month: u32 = row.parse("month")?;
    if !(1..=12).contains(&month) {
        return Err(row.error(format!("month {month}: expected 1–12")));
    }
    Ok(Term::Month { calendar, month, standalone: yes_no(row, "standalone")? })
}

fn yes_no(row: &Row<'_, '_>, column: &str) -> Result<bool, KbError> {
    match row.require(column)? {
        "yes" => Ok(true),
        "no" => Ok(false),
        other => Err(row.error(format!("column `{column}`: {other:?}, expected yes or no"))),
    }
}

fn word_term(row: &Row<'_, '_>) -> Result<Term, KbError> {
    let value = row.get("value");
    let bad = || row.error(format!("kind `{}`: cannot read value {value:?}", row.get("kind")));
    Ok(match row.require("kind")? {
        "day" => Term::Day(row.parse("value")?),
        "night" => Term::Night,
        "weekend" => Term::Weekend(row.parse("value")?),
        "daypart" => Term::DayPart,
        "eve" => Term::Eve,
        "unit" => {
            let (unit, count) = value.split_once(':').unwrap_or((value, "1"));
            let unit = match unit {
                "hour" => Unit::Hour,
                "day" => Unit::Day,
                "week" => Unit::Week,
                "month" => Unit::Month,
                "year" => Unit::Year,
                _ => return Err(bad()),
            };
            Term::Unit(unit, parse_count(count).ok_or_else(bad)?)
        }
        "modifier" => Term::Modifier(parse_dir(value).ok_or_else(bad)?),
        "within" => Term::Within(parse_dir(value).filter(|&d| d != Dir::This).ok_or_else(bad)?),
        "range" => match value {
            "from" => Term::RangeFrom,
            "to" => Term::RangeTo,
            _ => return Err(bad()),
        },
        "part" => Term::Part(match value {
            "early" => Part::Early,
            "mid" => Part::Mid,
            "late" => Part::Late,
            _ => return Err(bad()),
        }),
        "ago" => match value {
            "before" => Term::Before,
            "since" => Term::Since,
            "after" => Term::After,
            "suffix" => Term::AgoSuffix,
            _ => return Err(bad()),
        },
        "era" => Term::Era(match value {
            "ad" => Calendar::Gregorian,
            "ah" => Calendar::Hijri,
            _ => return Err(bad()),
        }),
        "recent" => Term::Recent,
        "about" => Term::About,
        "year" => Term::YearWord,
        "prep" => Term::Prep,
        "link" => Term::Link,
        "day_noun" => Term::DayNoun,
        "name_head" => Term::NameHead,
        "not_date" => Term::NotDate,
        other => return Err(row.error(format!("unknown kind {other:?}"))),
    })
}

fn number_term(row: &Row<'_, '_>) -> Result<Term, KbError> {
    let value = row.require("value")?;
    let bad = || row.error(format!("cannot read value {value:?}"));
    match row.require("kind")? {
        "cardinal" => parse_count(value).map(Term::Cardinal).ok_or_else(bad),
        "ordinal" => value.parse().ok().filter(|d| (1..=31).contains(d)).map(Term::Ordinal).ok_or_else(bad),
        other => Err(row.error(format!("unknown kind {other:?}: expected cardinal or ordinal"))),
    }
}

fn parse_dir(s: &str) -> Option<Dir> {
    match s {
        "past" => Some(Dir::Past),
        "this" => Some(Dir::This),
        "next" => Some(Dir::Next),
        _ => None,
    }
}

fn parse_count(s: &str) -> Option<Count> {
    match s {
        "many" | "few" => Some(Count::Many),
        n => n.parse().ok().filter(|&n| n > 0).map(Count::N),
    }
}
