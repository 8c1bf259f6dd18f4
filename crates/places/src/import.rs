//! Importing a GeoNames country dump (`XX.txt`: 19 tab-separated columns, alternate names
//! comma-separated) into the user gazetteer.
//!
//! Kept feature classes: `P` (populated places), `A` (administrative units), `S` (spots: bases,
//! airports, camps), `L` (areas and regions), `T` (mountains, plains, valleys); `H`, `R`, `U`
//! and `V` (water, roads, undersea, vegetation) are counted as ignored. A line that cannot be
//! read is skipped with its file, line and reason; nothing panics.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use rasd_kb::{DataDir, KbError};

use crate::model::{Place, PlaceKind};
use crate::names::{deaccent, is_arabic, is_usable_latin};
use crate::sources::{geonames, governorates};
use crate::user::{Merged, UserGazetteer, UserPlace};
use rasd_kb::Countries;

/// The number of columns of a GeoNames dump line.
const FIELDS: usize = 19;
/// The feature classes kept.
const KEPT: [char; 5] = ['P', 'A', 'S', 'L', 'T'];

/// A line of the dump that was skipped, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// The dump, as named to [`parse_dump`].
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

/// A parsed dump.
#[derive(Clone, Debug, Default)]
pub struct Dump {
    /// The places of the kept feature classes, in file order (one per GeoNames id).
    pub places: Vec<UserPlace>,
    /// Lines read (blank lines not counted).
    pub read: usize,
    /// Lines of an ignored feature class, by class.
    pub ignored: BTreeMap<char, usize>,
    /// Lines that could not be read.
    pub skipped: Vec<LineError>,
}

/// The code tables a dump is read with: countries, admin1 and admin2 names.
pub struct Tables {
    countries: Countries,
    admin1: BTreeMap<String, String>,
    admin2: BTreeMap<String, String>,
}

impl Tables {
    /// Reads `places/countries.tsv`, the GeoNames admin1/admin2 code files and, so that
    /// Syrian places get the contract's governorate names, `places/governorates.tsv`.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        let govs = governorates::load(dir)?;
        Ok(Tables {
            countries: Countries::load(dir)?,
            admin1: geonames::admin1_names(dir, &govs)?,
            admin2: geonames::admin2_names(dir)?,
        })
    }
}

/// Reads a dump's bytes (`file` names it in errors). Lines that are not UTF-8 or do not
/// hold 19 well-formed columns are skipped with a reason; a GeoNames id seen twice keeps its
/// first line.
pub fn parse_dump(tables: &Tables, file: &str, bytes: &[u8]) -> Dump {
    let mut dump = Dump::default();
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        dump.read += 1;
        let skip = |reason: String| LineError { file: file.to_string(), line: i + 1, reason };
        let Ok(line) = std::str::from_utf8(line) else {
            dump.skipped.push(skip("not UTF-8".to_string()));
            continue;
        };
        match read_line(tables, line) {
            Err(reason) => dump.skipped.push(skip(reason)),
            Ok(Line::Ignored(class)) => *dump.ignored.entry(class).or_default() += 1,
            Ok(Line::Place(p)) => match seen.get(&p.geonameid) {
                Some(first) => dump.skipped.push(skip(format!("geonameid {} repeats line {first}", p.geonameid))),
                None => {
                    seen.insert(p.geonameid, i + 1);
                    dump.places.push(*p);
                }
            },
        }
    }
    dump
}

enum Line {
    Place(Box<UserPlace>),
    Ignored(char),
}

fn read_line(tables: &Tables, line: &str) -> Result<Line, String> {
    let f: Vec<&str> = line.split('\t').map(str::trim).collect();
    if f.len() != FIELDS {
        return Err(format!("{} columns, expected {FIELDS} (geonameid, name, asciiname, alternatenames, …)", f.len()));
    }
    let geonameid: u64 = f[0].parse().map_err(|_| format!("geonameid {:?} is not a number", f[0]))?;
    let mut class = f[6].chars();
    let class = match (class.next(), class.next()) {
        (Some(c), None) => c,
        _ => return Err(format!("feature class {:?} is not one letter", f[6])),
    };
    if !KEPT.contains(&class) {
        return Ok(Line::Ignored(class));
    }
    let name = deaccent(f[1]);
    if name.is_empty() {
        return Err("empty name".to_string());
    }
    let coord = |s: &str, what: &str, max: f64| {
        s.parse::<f64>().ok().filter(|v| v.abs() <= max).ok_or_else(|| format!("{what} {s:?} is not a coordinate"))
    };
    let (lat, lon) = (coord(f[4], "latitude", 90.0)?, coord(f[5], "longitude", 180.0)?);
    let country = tables
        .countries
        .by_code(f[8])
        .ok_or_else(|| format!("country code {:?} is not in places/countries.tsv", f[8]))?;
    let population: u64 = if f[14].is_empty() {
        0
    } else {
        f[14].parse().map_err(|_| format!("population {:?} is not a number", f[14]))?
    };
    let admin1 = (!f[10].is_empty())
        .then(|| tables.admin1.get(&format!("{}.{}", f[8], f[10])).cloned().unwrap_or_else(|| f[10].to_string()));
    let admin2 = tables.admin2.get(&format!("{}.{}.{}", f[8], f[10], f[11])).cloned();
    let (name_ar, names) = spellings(&name, f[2], f[3]);
    let place = Place {
        name,
        name_ar,
        admin1,
        admin2,
        country: country.name.clone(),
        iso3: country.iso3.clone(),
        lat,
        lon,
        kind: kind(class, f[7], population),
        population,
        geonameid: Some(geonameid),
    };
    Ok(Line::Place(Box::new(UserPlace { geonameid, place, names, feature: format!("{class}.{}", f[7]) })))
}

/// The Arabic name (the first alternate name in plain Arabic letters, else in Arabic script)
/// and the other usable spellings: Arabic-script names and capitalised Latin ones, de-accented,
/// each once, in file order.
fn spellings(name: &str, ascii: &str, alternates: &str) -> (Option<String>, Vec<String>) {
    let mut arabic: Vec<String> = Vec::new();
    let mut latin: Vec<String> = Vec::new();
    for alt in std::iter::once(ascii).chain(alternates.split(',')).map(str::trim).filter(|a| !a.contains('|')) {
        if is_arabic(alt) {
            if !arabic.iter().any(|a| a == alt) {
                arabic.push(alt.to_string());
            }
        } else {
            let alt = deaccent(alt);
            if is_usable_latin(&alt) && alt != name && !latin.contains(&alt) {
                latin.push(alt);
            }
        }
    }
    let plain = |s: &&String| s.chars().all(|c| c == ' ' || ('\u{0621}'..='\u{064A}').contains(&c));
    let name_ar = arabic.iter().find(plain).or(arabic.first()).cloned();
    arabic.retain(|a| Some(a) != name_ar.as_ref());
    arabic.extend(latin);
    (name_ar, arabic)
}

/// The gazetteer kind of a GeoNames feature.
fn kind(class: char, code: &str, population: u64) -> PlaceKind {
    match (class, code) {
        ('A', "ADM1") => PlaceKind::Governorate,
        ('A', "ADM2") => PlaceKind::District,
        ('A', c) if c.starts_with("ADM") => PlaceKind::Subdistrict,
        ('A', c) if c.starts_with("PCL") => PlaceKind::Country,
        ('P', "PPLX") => PlaceKind::Neighbourhood,
        ('P', "PPLC" | "PPLA") => PlaceKind::City,
        ('P', _) if population >= 50_000 => PlaceKind::City,
        ('P', _) if population >= 5_000 => PlaceKind::Town,
        ('P', _) => PlaceKind::Village,
        ('S', c) if c.starts_with("CMP") => PlaceKind::Camp,
        ('S', _) | ('L', "MILB" | "OILF" | "PRT") => PlaceKind::Site,
        ('T', "MTS" | "HLLS" | "PLN" | "PLAT" | "DSRT" | "VAL" | "VALS" | "RDGE" | "UPLD") => PlaceKind::Region,
        ('T', _) => PlaceKind::Site,
        _ => PlaceKind::Region,
    }
}

/// What `import` did.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    /// Lines read from the dump.
    pub read: usize,
    /// Added, updated and unchanged places.
    pub merged: Merged,
    /// Lines of ignored feature classes, by class.
    pub ignored: BTreeMap<char, usize>,
    /// Lines that could not be read.
    pub skipped: Vec<LineError>,
    /// Places in the user gazetteer after the import.
    pub total: usize,
}

/// Why an import failed as a whole.
#[derive(Debug)]
pub struct ImportError {
    /// The file concerned (empty for the built-in knowledge files, which the message names).
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.as_os_str().is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path.display(), self.message)
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads the GeoNames dump at `dump`, merges its places into the user gazetteer at `user`
/// (created if missing) and writes it back, sorted by GeoNames id. Importing the same dump
/// twice changes nothing. Skipped lines are reported, not fatal; a malformed user gazetteer
/// or an unreadable file is.
pub fn import(dir: &DataDir, dump: &Path, user: &Path) -> Result<ImportReport, ImportError> {
    let fail = |path: &Path, message: String| ImportError { path: path.to_path_buf(), message };
    let tables = Tables::load(dir).map_err(|e| fail(Path::new(""), e.to_string()))?;
    let bytes = std::fs::read(dump).map_err(|e| fail(dump, format!("cannot read: {e}")))?;
    let parsed = parse_dump(&tables, &dump.display().to_string(), &bytes);
    let mut gazetteer = UserGazetteer::read(user).map_err(|e| match e.line {
        Some(line) => fail(user, format!("line {line}: {}", e.message)),
        None => fail(user, e.message),
    })?;
    let merged = gazetteer.merge(parsed.places);
    if merged.added + merged.updated > 0 {
        gazetteer.write(user).map_err(|e| fail(user, format!("cannot write: {e}")))?;
    }
    Ok(ImportReport {
        read: parsed.read,
        merged,
        ignored: parsed.ignored,
        skipped: parsed.skipped,
        total: gazetteer.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_spellings() {
        assert_eq!(kind('P', "PPL", 60_000), PlaceKind::City);
        assert_eq!(kind('P', "PPLA2", 900), PlaceKind::Village);
        assert_eq!(kind('S', "CMPRF", 0), PlaceKind::Camp);
        assert_eq!(kind('L', "MILB", 0), PlaceKind::Site);
        assert_eq!(kind('A', "ADM1", 0), PlaceKind::Governorate);
        let (ar, names) = spellings("Marib", "Marib", "Ma'rib,Ma’rib,mareb,مأرب,مارب,ماریب,Marib");
        assert_eq!(ar.as_deref(), Some("مأرب"));
        assert_eq!(names, ["مارب", "ماریب"]);
    }
}
