//! The number-word table (`data/text/numbers.tsv`): one table for every stage that reads number
//! words (the date reader, the counter of people), each row saying who reads it.
//!
//! ```
//! use rasd_kb::{numbers, DataDir, Tsv};
//! let dir = DataDir::embedded();
//! let text = dir.read(numbers::NUMBERS_FILE).unwrap();
//! let table = Tsv::parse(numbers::NUMBERS_FILE, &text, &numbers::COLUMNS).unwrap();
//! let first = table.rows().next().unwrap();
//! assert_eq!(first.get("kind"), "cardinal");
//! assert!(numbers::reads(&first, numbers::Reader::Dates).unwrap());
//! ```

use crate::{KbError, Row};

/// The file, relative to `data/`.
pub const NUMBERS_FILE: &str = "text/numbers.tsv";
/// The columns every reader needs.
pub const COLUMNS: [&str; 4] = ["kind", "value", "names", "read_by"];

/// A stage that reads number words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// rasd-dates: numbers in date expressions (ثلاثة أيام، الثامن من آذار).
    Dates,
    /// rasd-events: counts of people (قتل ثلاثة، عشرات).
    Counts,
}

impl Reader {
    /// Every reader.
    pub const ALL: [Reader; 2] = [Reader::Dates, Reader::Counts];

    /// Its name in the `read_by` column.
    pub fn name(self) -> &'static str {
        match self {
            Reader::Dates => "dates",
            Reader::Counts => "counts",
        }
    }
}

/// Whether `reader` reads a row of the table; a `read_by` naming no known reader is an error.
pub fn reads(row: &Row<'_, '_>, reader: Reader) -> Result<bool, KbError> {
    let mut any = false;
    let mut read = false;
    for name in row.list("read_by") {
        if !Reader::ALL.iter().any(|r| r.name() == name) {
            return Err(row.error(format!("unknown reader {name:?} in `read_by`: expected dates or counts")));
        }
        any = true;
        read |= name == reader.name();
    }
    if !any {
        return Err(row.error("column `read_by` is empty: name dates, counts or both"));
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tsv;

    #[test]
    fn each_reader_reads_its_rows_and_unknown_readers_are_errors() {
        let text =
            "kind\tvalue\tnames\tread_by\ncardinal\t3\tثلاثة\tcounts|dates\nteen\t10\tعشر\tcounts\nx\t1\ty\tdate\n";
        let table = Tsv::parse(NUMBERS_FILE, text, &COLUMNS).unwrap();
        let rows: Vec<_> = table.rows().collect();
        assert!(reads(&rows[0], Reader::Dates).unwrap() && reads(&rows[0], Reader::Counts).unwrap());
        assert!(!reads(&rows[1], Reader::Dates).unwrap());
        let e = reads(&rows[2], Reader::Dates).unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
    }
}
