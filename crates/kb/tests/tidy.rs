//! The tidy test: rules of the tree and of the knowledge files that a reviewer would otherwise
//! check by hand. Each failure names `FILE:LINE` and says how to fix it.
//!
//! - **Module docs.** Every `.rs` file under `crates/` and `fuzz/` starts with a `//!` line
//!   saying what the module is for.
//! - **No alias claimed twice** (`data/entities/`). An alias, compared folded as rasd matches
//!   it (`rasd_text::fold::fold_str`, `~` dropped), names one entry: it may not appear twice
//!   in a row, nor in rows with different names, in one table or across the entity tables.
//!   Two exceptions, both on purpose: `actors.tsv` rows whose periods (`valid_from` inclusive,
//!   `valid_until` exclusive) do not overlap (the words that changed meaning on 2024-12-08),
//!   and an actor with an organization (وزارة الدفاع is the ministry that speaks and the
//!   army that acts; the pipeline lists the organization, the coder the actor).
//! - **Data order** (`data/README.md`, "Order"). Plain word lists ([`SORTED`]) are sorted
//!   within each comment section, by folded form then bytes. Curated tables ([`KEYED`]) keep
//!   their order and sections, which carry meaning for the reader, but hold no key twice
//!   (compared folded), and the `names` lists of the date vocabulary ([`NAMES`]) list a
//!   spelling once per row and give it one meaning. Files ordered by meaning (`data/events`:
//!   ACLED's order; `data/quotes`, `data/text`, the gazetteer) are not listed here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rasd_kb::Tsv;
use rasd_text::fold::fold_str;

/// Plain word lists, sorted within each comment section: the file and its key column (the
/// whole line for a `.txt` list).
const SORTED: &[(&str, &str)] = &[("entities/name_stops.txt", ""), ("places/stoplist.tsv", "name")];

/// Curated tables, in their own order, with the columns that make a row's key.
const KEYED: &[(&str, &[&str])] = &[
    ("entities/actors.tsv", &["name", "valid_from", "valid_until"]),
    ("entities/organizations.tsv", &["name"]),
    ("entities/outlets.tsv", &["name"]),
    ("entities/persons.tsv", &["name"]),
    ("entities/platforms.tsv", &["name"]),
    ("entities/roles.tsv", &["cue"]),
    ("entities/unnamed_sources.tsv", &["phrase"]),
    ("entities/inter.tsv", &["code"]),
    ("clean/lines.tsv", &["phrase"]),
    ("dates/months.tsv", &["calendar", "month", "set", "standalone"]),
    ("dates/weekdays.tsv", &["weekday"]),
    ("dates/words.tsv", &["kind", "value"]),
    ("dates/umm_al_qura.tsv", &["hijri_year", "month"]),
    ("places/cues.tsv", &["cue", "position"]),
    ("places/governorates.tsv", &["admin1"]),
];

/// `|`-separated spelling lists: the file, the list column, and the columns saying what a
/// spelling means. A spelling is listed once per row, and rows that share one mean the same
/// (no meaning columns: the words of `words.tsv` play several parts on purpose, عام a unit
/// and a year word).
const NAMES: &[(&str, &str, &[&str])] = &[
    ("dates/months.tsv", "names", &["calendar", "month"]),
    ("dates/weekdays.tsv", "names", &["weekday"]),
    ("dates/words.tsv", "names", &[]),
];

/// The entity tables and their name and alias columns.
const ENTITY_TABLES: &[(&str, &str, &str)] = &[
    ("entities/actors.tsv", "name", "aliases"),
    ("entities/organizations.tsv", "name", "aliases"),
    ("entities/outlets.tsv", "name", "aliases"),
    ("entities/persons.tsv", "name", "aliases"),
    ("entities/platforms.tsv", "name", "aliases"),
    ("entities/unnamed_sources.tsv", "phrase", ""),
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_data(file: &str) -> String {
    std::fs::read_to_string(repo().join("data").join(file)).unwrap_or_else(|e| panic!("data/{file}: {e}"))
}

fn assert_tidy(what: &str, problems: &[String]) {
    assert!(problems.is_empty(), "{what}: {} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// Every `.rs` file below `dir`, build outputs left out.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() && name != "target" && !name.to_string_lossy().starts_with('.') {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let root = repo();
    let mut files = Vec::new();
    for dir in ["crates", "fuzz"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "found only {} .rs files under {}", files.len(), root.display());
    let problems: Vec<String> = files
        .iter()
        .filter(|f| !std::fs::read_to_string(f).is_ok_and(|text| text.starts_with("//!")))
        .map(|f| {
            let shown = f.strip_prefix(&root).unwrap_or(f).display();
            format!("{shown}:1: no `//!` line: start the file with `//! ` and one sentence on what the module does")
        })
        .collect();
    assert_tidy("module docs", &problems);
}

/// One entry's claim on a folded alias.
struct Claim {
    at: String,
    file: &'static str,
    name: String,
    from: Option<String>,
    until: Option<String>,
}

impl Claim {
    /// Whether two claims may name different entries (see the module doc).
    fn may_share(&self, other: &Claim) -> bool {
        let actors = "entities/actors.tsv";
        let orgs = "entities/organizations.tsv";
        match (self.file, other.file) {
            (a, b) if a == actors && b == actors => !self.overlaps(other),
            (a, b) => (a == actors && b == orgs) || (a == orgs && b == actors),
        }
    }

    /// Whether the two periods share a day (`from` inclusive, `until` exclusive; ISO dates
    /// compare as strings).
    fn overlaps(&self, other: &Claim) -> bool {
        let before = |from: &Option<String>, until: &Option<String>| match (from, until) {
            (Some(from), Some(until)) => from < until,
            _ => true,
        };
        before(&self.from, &other.until) && before(&other.from, &self.until)
    }
}

#[test]
fn no_alias_is_claimed_twice() {
    let mut claims: HashMap<String, Vec<Claim>> = HashMap::new();
    let mut problems = Vec::new();
    for &(file, name_col, aliases_col) in ENTITY_TABLES {
        let text = read_data(file);
        let table = Tsv::parse(file, &text, &[name_col]).unwrap_or_else(|e| panic!("{e}"));
        for row in table.rows() {
            let name = row.get(name_col);
            let at = format!("data/{file}:{}", row.line);
            let mut in_row: Vec<String> = vec![fold_str(name)];
            for alias in row.list(aliases_col) {
                let key = fold_str(alias.trim_start_matches('~'));
                if in_row[1..].contains(&key) {
                    problems.push(format!("{at}: alias «{alias}» is listed twice in this row: remove one"));
                }
                in_row.push(key);
            }
            in_row.sort();
            in_row.dedup();
            let period = |col: &str| Some(row.get(col).to_string()).filter(|d| !d.is_empty());
            for key in in_row {
                let claim = Claim {
                    at: at.clone(),
                    file,
                    name: name.to_string(),
                    from: period("valid_from"),
                    until: period("valid_until"),
                };
                let earlier = claims.entry(key.clone()).or_default();
                if let Some(other) = earlier.iter().find(|c| c.name != claim.name && !c.may_share(&claim)) {
                    problems.push(format!(
                        "{at}: «{key}» (folded) names «{}» here and «{}» at {}: keep the alias on one row, or \
                         (actors) give the rows periods that do not overlap",
                        claim.name, other.name, other.at
                    ));
                }
                earlier.push(claim);
            }
        }
    }
    assert_tidy("aliases", &problems);
}

/// A plain list's rows: line number, section (the comment lines above it) and key.
fn list_rows(file: &str, text: &str, key_col: &str) -> Vec<(usize, usize, String)> {
    let mut section = 0;
    let mut header: Option<Vec<&str>> = if key_col.is_empty() { Some(Vec::new()) } else { None };
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            section += 1;
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let Some(columns) = &header else {
            header = Some(line.split('\t').map(str::trim).collect());
            continue;
        };
        let key = match columns.iter().position(|c| *c == key_col) {
            Some(col) => line.split('\t').nth(col).unwrap_or("").trim(),
            None if key_col.is_empty() => line.trim(),
            None => panic!("data/{file}: no column `{key_col}`"),
        };
        rows.push((i + 1, section, key.to_string()));
    }
    rows
}

#[test]
fn plain_lists_are_sorted_within_their_sections() {
    let mut problems = Vec::new();
    for &(file, key_col) in SORTED {
        let rows = list_rows(file, &read_data(file), key_col);
        assert!(!rows.is_empty(), "data/{file}: no rows");
        for pair in rows.windows(2) {
            let [(prev_line, prev_section, prev), (line, section, key)] = pair else { continue };
            if section == prev_section && (fold_str(key), key.as_str()) < (fold_str(prev), prev.as_str()) {
                problems.push(format!(
                    "data/{file}:{line}: «{key}» belongs before «{prev}» (line {prev_line}): this list is kept \
                     sorted within each `#` section (by folded form, as rasd matches it)"
                ));
            }
        }
    }
    assert_tidy("sorted lists", &problems);
}

#[test]
fn no_key_twice_in_a_table() {
    let mut problems = Vec::new();
    let sorted = SORTED.iter().map(|&(file, col)| (file, vec![col]));
    for (file, columns) in KEYED.iter().map(|&(file, cols)| (file, cols.to_vec())).chain(sorted) {
        let text = read_data(file);
        let mut seen: HashMap<String, usize> = HashMap::new();
        let keys: Vec<(usize, String)> = if columns == [""] {
            list_rows(file, &text, "").into_iter().map(|(line, _, key)| (line, fold_str(&key))).collect()
        } else {
            let table = Tsv::parse(file, &text, &columns).unwrap_or_else(|e| panic!("{e}"));
            table
                .rows()
                .map(|row| (row.line, columns.iter().map(|c| fold_str(row.get(c))).collect::<Vec<_>>().join("\t")))
                .collect()
        };
        for (line, key) in keys {
            if let Some(first) = seen.insert(key.clone(), line) {
                problems.push(format!(
                    "data/{file}:{line}: the key «{key}» ({}) is already at line {first}: merge the two rows or \
                     remove one",
                    columns.join(", ")
                ));
            }
        }
    }
    for &(file, column, meaning) in NAMES {
        let text = read_data(file);
        let table = Tsv::parse(file, &text, &[column]).unwrap_or_else(|e| panic!("{e}"));
        let mut seen: HashMap<String, (usize, Vec<&str>)> = HashMap::new();
        for row in table.rows() {
            let (line, means): (usize, Vec<&str>) = (row.line, meaning.iter().map(|c| row.get(c)).collect());
            for name in row.list(column) {
                match seen.insert(fold_str(name), (line, means.clone())) {
                    Some((first, _)) if first == line => problems.push(format!(
                        "data/{file}:{line}: «{name}» is listed twice in this row (folded, as rasd matches it): \
                         remove one"
                    )),
                    Some((first, other)) if other != means => problems.push(format!(
                        "data/{file}:{line}: «{name}» means «{}» here and «{}» at line {first}: keep it on one row",
                        means.join(" "),
                        other.join(" ")
                    )),
                    _ => {}
                }
            }
        }
    }
    assert_tidy("keys", &problems);
}
