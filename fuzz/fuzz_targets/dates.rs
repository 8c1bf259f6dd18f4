//! Fuzzes `DateReader::find` on arbitrary UTF-8 text and publication dates:
//! `cargo fuzz run dates` (from `fuzz/`). Spans must be valid slices and windows ordered.
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use rasd_dates::DateReader;
use rasd_text::NormText;

fn reader() -> &'static DateReader {
    static READER: OnceLock<DateReader> = OnceLock::new();
    READER.get_or_init(|| DateReader::load(&rasd_kb::DataDir::embedded()).expect("data/dates loads"))
}

fuzz_target!(|input: (&str, i32)| {
    let (text, days) = input;
    let published = NaiveDate::from_num_days_from_ce_opt(days).unwrap_or(NaiveDate::MAX);
    let norm = NormText::new(text);
    for m in reader().find(text, &norm, published) {
        assert!(text.get(m.span.start..m.span.end).is_some(), "span off char boundaries");
        assert!(m.start <= m.end, "window reversed");
    }
    let _ = reader().parse_expression(text, published);
});
