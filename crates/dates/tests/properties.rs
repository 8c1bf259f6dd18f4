//! Property tests: every Gregorian date written in each supported format reads back as itself,
//! and `find` never panics, whatever the text and the publication date.

use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;
use rasd_dates::DateReader;
use rasd_text::NormText;

const EGYPTIAN: [&str; 12] =
    ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];
const LEVANTINE: [&str; 12] = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
];
const ENGLISH: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = ["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"];

fn reader() -> &'static DateReader {
    static READER: std::sync::OnceLock<DateReader> = std::sync::OnceLock::new();
    READER.get_or_init(|| DateReader::load(&rasd_kb::DataDir::embedded()).expect("data/dates loads"))
}

fn arabic_indic(s: &str) -> String {
    s.chars().map(|c| c.to_digit(10).and_then(|d| char::from_u32(0x660 + d)).unwrap_or(c)).collect()
}

/// The date written in every supported format.
fn renderings(date: NaiveDate) -> Vec<String> {
    let (d, m, y) = (date.day(), date.month0() as usize, date.year());
    let weekday = WEEKDAYS[date.weekday().num_days_from_monday() as usize];
    vec![
        format!("{d} {} {y}", EGYPTIAN[m]),
        format!("{d} {} {y}", LEVANTINE[m]),
        format!("{d} {}/{} {y}", LEVANTINE[m], EGYPTIAN[m]),
        format!("{weekday} {d} {} {y}", LEVANTINE[m]),
        arabic_indic(&format!("{d} {} {y}", EGYPTIAN[m])),
        arabic_indic(&format!("{d}/{}/{y}", m + 1)),
        format!("{d}/{}/{y}", m + 1),
        format!("{y}-{:02}-{d:02}", m + 1),
        format!("{d} {} {y}", ENGLISH[m]),
        format!("{} {d}, {y}", ENGLISH[m]),
    ]
}

fn any_date(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = NaiveDate> {
    (years, 1u32..=366).prop_filter_map("valid ordinal day", |(y, o)| NaiveDate::from_yo_opt(y, o))
}

proptest! {
    #[test]
    fn every_format_reads_back_as_the_same_day(date in any_date(1950..=2100), published in any_date(2000..=2040)) {
        for text in renderings(date) {
            let m = reader().parse_expression(&text, published);
            prop_assert_eq!(m.map(|m| (m.start, m.end, m.precision)), Some((date, date, 1)), "{}", text);
        }
    }

    #[test]
    fn find_never_panics_on_arbitrary_text(text in "\\PC{0,80}", published in any_date(-200_000..=200_000)) {
        let norm = NormText::new(&text);
        for m in reader().find(&text, &norm, published) {
            prop_assert!(text.get(m.span.start..m.span.end).is_some() && m.start <= m.end);
        }
    }

    #[test]
    fn find_never_panics_on_date_like_text(
        words in prop::collection::vec(prop::sample::select(vec![
            "١٢", "31", "0", "2025", "99999999999", "١٤٤٦هـ", "م", "/", "-", "،", "(", "من", "الماضي", "المقبل",
            "قبل", "منذ", "4000000000", "أيام", "الأسبوع", "العام", "مطلع", "أواخر", "شباط", "رمضان", "ذي الحجة",
            "الجمعة", "ليل", "أمس", "والسبت", "last", "week", "ago", "May", "mid-", "the", "in", "recent", "شارع",
        ]), 0..12),
        published in prop_oneof![Just(NaiveDate::MIN), Just(NaiveDate::MAX), any_date(1..=9999)],
    ) {
        let text = words.join(" ");
        let norm = NormText::new(&text);
        for m in reader().find(&text, &norm, published) {
            prop_assert!(m.start <= m.end);
        }
    }
}

#[test]
fn weekday_names_cover_the_week() {
    let published = NaiveDate::from_ymd_opt(2025, 6, 14).expect("date");
    for (i, name) in WEEKDAYS.iter().enumerate() {
        let m = reader().parse_expression(name, published).expect("a weekday");
        assert_eq!(m.start.weekday(), Weekday::try_from(i as u8).expect("weekday"), "{name}");
        assert!(m.start <= published && published - m.start < chrono::Duration::days(7));
    }
}
