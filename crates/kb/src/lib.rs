//! Knowledge files: where they come from, and how a TSV file is read.
//!
//! rasd's domain knowledge (actors, trigger words, place names, month names, cleaning phrases)
//! lives as reviewable text files under `data/`. [`DataDir`] hands them to the stages: by default
//! the copies embedded in the binary at build time, or, with [`DataDir::at`], the files of a
//! directory an analyst is editing. [`Tsv`] parses the tab-separated tables and reports bad rows
//! as `file:line: reason`.
//!
//! ```
//! use rasd_kb::Tsv;
//! let t = Tsv::parse("demo.tsv", "# a comment\nalias\tname\nداعش\tIslamic State\n", &["alias", "name"]).unwrap();
//! let row = t.rows().next().unwrap();
//! assert_eq!((row.line, row.get("name")), (3, "Islamic State"));
//! ```
#![deny(missing_docs)]

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

mod countries;
mod inter;
pub mod numbers;
mod taxonomy;

pub use countries::{Countries, Country, COUNTRIES_FILE};
pub use inter::{InterCategories, InterCategory, INTER_FILE};
pub use taxonomy::{EventType, SubEventType, Taxonomy, TAXONOMY_FILE};

/// The embedded copy of `data/` (in debug builds read from the source tree).
#[derive(rust_embed::Embed)]
#[folder = "../../data/"]
struct Embedded;

/// An error in a knowledge file: which file, which line, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct KbError {
    /// The file, relative to the data directory.
    pub file: String,
    /// The 1-based line, when the error is about one line.
    pub line: Option<usize>,
    /// What is wrong, and where possible how to fix it.
    pub message: String,
}

impl fmt::Display for KbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Knowledge files are named relative to data/; a user's own file by its full path.
        let prefix = if self.file.starts_with('/') { "" } else { "data/" };
        match self.line {
            Some(line) => write!(f, "{prefix}{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{prefix}{}: {}", self.file, self.message),
        }
    }
}

impl KbError {
    /// An error about one line of a file.
    pub fn at(file: &str, line: usize, message: impl Into<String>) -> Self {
        KbError { file: file.to_string(), line: Some(line), message: message.into() }
    }

    /// An error about a whole file.
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        KbError { file: file.to_string(), line: None, message: message.into() }
    }
}

/// Where knowledge files are read from.
#[derive(Debug, Clone, Default)]
pub struct DataDir {
    root: Option<PathBuf>,
}

impl DataDir {
    /// The files embedded in the binary.
    pub fn embedded() -> Self {
        DataDir { root: None }
    }

    /// The files of a directory laid out like `data/`.
    pub fn at(path: impl AsRef<Path>) -> Self {
        DataDir { root: Some(path.as_ref().to_path_buf()) }
    }

    /// Reads one file, by its path relative to the data directory (`actors.tsv`,
    /// `places/supplement.tsv`).
    pub fn read(&self, name: &str) -> Result<Cow<'static, str>, KbError> {
        match &self.root {
            None => {
                let file = Embedded::get(name).ok_or_else(|| KbError::file(name, "no such knowledge file"))?;
                match file.data {
                    Cow::Borrowed(bytes) => std::str::from_utf8(bytes)
                        .map(Cow::Borrowed)
                        .map_err(|e| KbError::file(name, format!("not UTF-8: {e}"))),
                    Cow::Owned(bytes) => String::from_utf8(bytes)
                        .map(Cow::Owned)
                        .map_err(|e| KbError::file(name, format!("not UTF-8: {e}"))),
                }
            }
            Some(root) => std::fs::read_to_string(root.join(name))
                .map(Cow::Owned)
                .map_err(|e| KbError::file(name, format!("cannot read {}: {e}", root.join(name).display()))),
        }
    }
}

/// A parsed tab-separated table: a header row naming the columns, then rows. Blank lines and
/// lines starting with `#` are skipped.
#[derive(Debug)]
pub struct Tsv<'a> {
    file: String,
    header: Vec<&'a str>,
    rows: Vec<(usize, Vec<&'a str>)>,
}

/// One row of a [`Tsv`].
#[derive(Debug, Clone, Copy)]
pub struct Row<'t, 'a> {
    /// 1-based line number in the file.
    pub line: usize,
    table: &'t Tsv<'a>,
    fields: &'t [&'a str],
}

impl<'a> Tsv<'a> {
    /// Parses `text` (the contents of `file`), requiring the named columns in the header.
    pub fn parse(file: &str, text: &'a str, required: &[&str]) -> Result<Self, KbError> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let (_, header) = lines.next().ok_or_else(|| KbError::file(file, "empty table: expected a header row"))?;
        let header: Vec<&str> = header.split('\t').map(str::trim).collect();
        for col in required {
            if !header.contains(col) {
                return Err(KbError::at(
                    file,
                    1,
                    format!("missing column `{col}` (header has: {})", header.join(", ")),
                ));
            }
        }
        let mut rows = Vec::new();
        for (i, line) in lines {
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            if fields.len() > header.len() {
                return Err(KbError::at(
                    file,
                    i + 1,
                    format!("{} fields but the header names {} columns (a stray tab?)", fields.len(), header.len()),
                ));
            }
            rows.push((i + 1, fields));
        }
        Ok(Tsv { file: file.to_string(), header, rows })
    }

    /// The rows, in file order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_, 'a>> {
        self.rows.iter().map(move |(line, fields)| Row { line: *line, table: self, fields })
    }

    /// The file name the table was parsed from.
    pub fn file(&self) -> &str {
        &self.file
    }
}

impl<'a> Row<'_, 'a> {
    /// The value of a column (`""` when the row is short or the column unknown).
    pub fn get(&self, column: &str) -> &'a str {
        self.table.header.iter().position(|h| *h == column).and_then(|i| self.fields.get(i).copied()).unwrap_or("")
    }

    /// The value of a column, or an error naming file and line when it is empty.
    pub fn require(&self, column: &str) -> Result<&'a str, KbError> {
        let v = self.get(column);
        if v.is_empty() {
            Err(self.error(format!("column `{column}` is empty")))
        } else {
            Ok(v)
        }
    }

    /// A `|`-separated list column, empty items dropped.
    pub fn list(&self, column: &str) -> impl Iterator<Item = &'a str> {
        self.get(column).split('|').map(str::trim).filter(|s| !s.is_empty())
    }

    /// A column parsed with `FromStr`, with an error naming file, line and value.
    pub fn parse<T: std::str::FromStr>(&self, column: &str) -> Result<T, KbError> {
        let v = self.require(column)?;
        v.parse().map_err(|_| self.error(format!("column `{column}`: cannot read {v:?}")))
    }

    /// An error about this row.
    pub fn error(&self, message: impl Into<String>) -> KbError {
        KbError::at(&self.table.file, self.line, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_missing_columns_and_stray_tabs_with_line() {
        let e = Tsv::parse("x.tsv", "a\tb\n", &["c"]).unwrap_err();
        assert_eq!(e.to_string(), "data/x.tsv:1: missing column `c` (header has: a, b)");
        let e = Tsv::parse("x.tsv", "a\tb\n1\t2\n\n1\t2\t3\n", &["a"]).unwrap_err();
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn parses_lists_and_numbers() {
        let t = Tsv::parse("x.tsv", "name\taliases\tlat\nA\tx| y |\t33.5\nB\t\tnorth\n", &["name"]).unwrap();
        let rows: Vec<_> = t.rows().collect();
        assert_eq!(rows[0].list("aliases").collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(rows[0].parse::<f64>("lat"), Ok(33.5));
        assert_eq!(
            rows[1].parse::<f64>("lat").unwrap_err().to_string(),
            "data/x.tsv:3: column `lat`: cannot read \"north\""
        );
    }

    #[test]
    fn embedded_and_directory_sources_agree() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
        let name = "ATTRIBUTION.md";
        assert_eq!(DataDir::embedded().read(name).unwrap(), DataDir::at(dir).read(name).unwrap());
        assert!(DataDir::embedded()
            .read("no-such-file.tsv")
            .unwrap_err()
            .to_string()
            .contains("no such knowledge file"));
    }
}
