//! Scores `parse_expression` on the development table `tests/data/dates.tsv` and on this crate's
//! own harder table `tests/data/extra_dates.tsv` (same columns): a row is right when start, end
//! (±1 day on Hijri rows) and precision agree; a non-date row when nothing is read.

use chrono::NaiveDate;
use rasd_dates::DateReader;

const DEVSET: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/dates.tsv"));
const EXTRA: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/extra_dates.tsv"));

fn close(got: NaiveDate, want: NaiveDate, slack: i64) -> bool {
    (got - want).num_days().abs() <= slack
}

/// Asserts that at least 95 % of the rows of `table` are right.
fn score(name: &str, table: &str) {
    let reader = DateReader::load(&rasd_kb::DataDir::embedded()).expect("data/dates loads");
    let mut rows = 0;
    let mut failures = Vec::new();
    for line in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (expr, published) = (cols[0], cols[1].parse::<NaiveDate>().expect("reference_date"));
        let expected = cols.get(2).filter(|s| !s.is_empty()).map(|_| {
            let date = |i: usize| cols[i].parse::<NaiveDate>().expect("expected date");
            (date(2), date(3), cols[4].trim().parse::<u8>().expect("precision"))
        });
        let slack = if expr.contains('ه') { 1 } else { 0 };
        let got = reader.parse_expression(expr, published);
        let right = match (got, expected) {
            (None, None) => true,
            (Some(m), Some((start, end, precision))) => {
                close(m.start, start, slack) && close(m.end, end, slack) && m.precision == precision
            }
            _ => false,
        };
        rows += 1;
        if !right {
            let got = got.map(|m| format!("{} … {} p{}", m.start, m.end, m.precision));
            failures.push(format!("{expr} @ {published}: got {got:?}, want {expected:?}"));
        }
    }
    let right = rows - failures.len();
    println!("{name}: {right}/{rows} right");
    for f in &failures {
        println!("  FAIL {f}");
    }
    assert!(right * 100 >= rows * 95, "{name}: {right}/{rows} right; failures:\n{}", failures.join("\n"));
}

#[test]
fn devset_dates_score_at_least_95_percent() {
    score("dates.tsv", DEVSET);
}

#[test]
fn extra_dates_score_at_least_95_percent() {
    score("extra_dates.tsv", EXTRA);
}
