//! Scores `DateReader::parse_expression` on a dates table (`expression`, `reference_date`,
//! `expected_start`, `expected_end`, `precision`) with the rule of the dev-set test, and times it:
//! `cargo run --release -p rasd-dates --example score_table -- tests/data/dates.tsv`.
//! Prints one summary line (`right/rows`, accuracy, microseconds per expression) and the misses.

use std::time::Instant;

use chrono::NaiveDate;
use rasd_dates::{DateMention, DateReader};

/// One row: the expression, the publication date, and the expected window (none for a non-date).
type Row = (String, NaiveDate, Option<(NaiveDate, NaiveDate, u8)>);

fn rows(table: &str) -> Result<Vec<Row>, String> {
    let mut out = Vec::new();
    for (n, line) in table.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        let date = |i: usize| cols.get(i).and_then(|s| s.trim().parse::<NaiveDate>().ok());
        let published = date(1).ok_or(format!("line {}: no reference_date", n + 1))?;
        let expected = match (date(2), date(3), cols.get(4).and_then(|p| p.trim().parse().ok())) {
            (Some(start), Some(end), Some(precision)) => Some((start, end, precision)),
            _ => None,
        };
        out.push((cols[0].to_string(), published, expected));
    }
    Ok(out)
}

/// The dev-set rule ([`DateMention::agrees`]: ±1 day on Hijri dates only); nothing for a non-date.
fn right(got: Option<DateMention>, expected: Option<(NaiveDate, NaiveDate, u8)>) -> bool {
    match (got, expected) {
        (None, None) => true,
        (Some(m), Some((start, end, precision))) => m.agrees(start, end, precision),
        _ => false,
    }
}

fn main() -> Result<(), String> {
    let path = std::env::args().nth(1).ok_or("usage: score_table TABLE.tsv")?;
    let table = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let rows = rows(&table)?;
    let reader = DateReader::load(&rasd_kb::DataDir::embedded()).map_err(|e| e.to_string())?;
    let mut misses = Vec::new();
    for (expr, published, expected) in &rows {
        let got = reader.parse_expression(expr, *published);
        if !right(got, *expected) {
            let got = got.map(|m| format!("{} … {} p{}", m.start, m.end, m.precision));
            misses.push(format!("  MISS {expr} @ {published}: got {got:?}, want {expected:?}"));
        }
    }
    let runs = 200;
    let t = Instant::now();
    for _ in 0..runs {
        for (expr, published, _) in &rows {
            std::hint::black_box(reader.parse_expression(expr, *published));
        }
    }
    let micros = t.elapsed().as_secs_f64() * 1e6 / (runs * rows.len().max(1)) as f64;
    let ok = rows.len() - misses.len();
    let pct = 100.0 * ok as f64 / rows.len().max(1) as f64;
    println!("rasd {path}: {ok}/{} right ({pct:.1}%), {micros:.2} us per expression", rows.len());
    misses.iter().for_each(|m| println!("{m}"));
    Ok(())
}
