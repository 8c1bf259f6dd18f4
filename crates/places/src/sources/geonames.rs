//! GeoNames: `geonames_cities500.tsv` (populated places of Syria and its neighbours with
//! Arabic and alternate names), `geonames_mena.tsv` (the larger places of the rest of the Middle
//! East and North Africa, made by `tools/import_mena.py`), `geonames_world.tsv` (the places with an
//! Arabic name beyond it, made by `tools/import_world.py`), `admin1CodesASCII.txt`, `admin1_mena.tsv`
//! and `admin1_world.tsv` (first-level unit names).

use std::collections::BTreeMap;

use rasd_kb::{DataDir, KbError, Tsv};

use super::governorates::Governorate;
use super::{Draft, Origin};
use crate::model::{Place, PlaceKind};
use crate::names::{deaccent, is_arabic, is_usable_latin};
use rasd_kb::Countries;

/// The place files, read in this order (ids of the first file come first).
const CITIES: [&str; 3] = ["places/geonames_cities500.tsv", "places/geonames_mena.tsv", "places/geonames_world.tsv"];
const ADMIN1: &str = "places/admin1CodesASCII.txt";
/// Admin1 names of the countries of `geonames_mena.tsv` and `geonames_world.tsv` (`code, name,
/// geonames, votes`).
const ADMIN1_NAMED: [&str; 2] = ["places/admin1_mena.tsv", "places/admin1_world.tsv"];
const ADMIN2: &str = "places/admin2Codes.txt";

/// Admin1 code (`SY.09`) → admin1 name: the contract's names for Syria, GeoNames' ASCII
/// names elsewhere.
pub fn admin1_names(dir: &DataDir, governorates: &[Governorate]) -> Result<BTreeMap<String, String>, KbError> {
    let mut out = code_names(dir, ADMIN1)?;
    for file in ADMIN1_NAMED {
        let text = dir.read(file)?;
        for row in Tsv::parse(file, &text, &["code", "name"])?.rows() {
            let code = row.require("code")?;
            if out.insert(code.to_string(), row.require("name")?.to_string()).is_some() {
                return Err(row.error(format!("admin1 code `{code}` is named twice")));
            }
        }
    }
    for g in governorates {
        out.insert(g.geonames.clone(), g.admin1.clone());
    }
    Ok(out)
}

/// Admin2 code (`SY.13.SY0100`) → admin2 name (GeoNames' ASCII name).
pub fn admin2_names(dir: &DataDir) -> Result<BTreeMap<String, String>, KbError> {
    code_names(dir, ADMIN2)
}

/// Reads a GeoNames code table: `code, name, asciiname, geonameid` per line.
fn code_names(dir: &DataDir, file: &str) -> Result<BTreeMap<String, String>, KbError> {
    let text = dir.read(file)?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(code), Some(ascii)) = (fields.first(), fields.get(2)) else {
            return Err(KbError::at(file, i + 1, "expected code, name, asciiname, geonameid"));
        };
        out.insert(code.to_string(), ascii.to_string());
    }
    Ok(out)
}

/// Reads the populated places. Capitals of Syrian governorates are cities; other places
/// are cities, towns or villages by population.
pub fn load(
    dir: &DataDir,
    countries: &Countries,
    admin1: &BTreeMap<String, String>,
    governorates: &[Governorate],
) -> Result<Vec<Draft>, KbError> {
    let mut drafts = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, file) in CITIES.into_iter().enumerate() {
        let text = dir.read(file)?;
        // The curated Syrian data predates the MENA file: there, Arabic names are alternates that a
        // curated row claiming the same surface overrules (الرقة is Raqqa, not a Kuwaiti suburb).
        let arabic = if i == 0 { Origin::Primary } else { Origin::Alias };
        read_cities(file, &text, countries, admin1, governorates, arabic, &mut seen, &mut drafts)?;
    }
    Ok(drafts)
}

/// Reads one place file into `drafts`, its Arabic names with origin `arabic`; a GeoNames id
/// already read is an error.
#[allow(clippy::too_many_arguments)]
fn read_cities(
    file: &str,
    text: &str,
    countries: &Countries,
    admin1: &BTreeMap<String, String>,
    governorates: &[Governorate],
    arabic_origin: Origin,
    seen: &mut std::collections::HashSet<u64>,
    drafts: &mut Vec<Draft>,
) -> Result<(), KbError> {
    let tsv = Tsv::parse(file, text, &["geonameid", "name", "latitude", "longitude", "country_code", "admin1_code"])?;
    for row in tsv.rows() {
        let code = row.require("country_code")?;
        let Some(country) = countries.by_code(code) else {
            return Err(row.error(format!("country code `{code}` is not in places/countries.tsv")));
        };
        let geonameid: u64 = row.parse("geonameid")?;
        if !seen.insert(geonameid) {
            return Err(row.error(format!("geonameid {geonameid} listed twice")));
        }
        let population: u64 = if row.get("population").is_empty() { 0 } else { row.parse("population")? };
        let capital = governorates.iter().any(|g| g.capital == Some(geonameid));
        let kind = match population {
            _ if capital => PlaceKind::City,
            p if p >= 50_000 => PlaceKind::City,
            p if p >= 5_000 => PlaceKind::Town,
            _ => PlaceKind::Village,
        };
        let arabic: Vec<&str> = row.list("arabic_names").filter(|n| is_arabic(n)).collect();
        let name = deaccent(row.require("name")?);
        let mut draft = Draft {
            place: Place {
                name: name.clone(),
                name_ar: arabic.first().map(|s| s.to_string()),
                admin1: admin1.get(&format!("{code}.{}", row.get("admin1_code"))).cloned(),
                admin2: None,
                country: country.name.clone(),
                iso3: country.iso3.clone(),
                lat: row.parse("latitude")?,
                lon: row.parse("longitude")?,
                kind,
                population,
                geonameid: Some(geonameid),
            },
            names: Vec::new(),
        };
        draft.name(&name, Origin::Primary);
        for n in arabic {
            draft.name(n, arabic_origin);
        }
        for alt in row.get("alternatenames").split(',') {
            let alt = deaccent(alt.trim());
            if is_usable_latin(&alt) {
                draft.name(&alt, Origin::Alias);
            }
        }
        drafts.push(draft);
    }
    Ok(())
}
