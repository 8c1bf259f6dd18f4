//! GeoNames: `geonames_cities500.tsv` (populated places of Syria and its neighbours with
//! Arabic and alternate names) and `admin1CodesASCII.txt` (first-level unit names).

use std::collections::BTreeMap;

use rasd_kb::{DataDir, KbError, Tsv};

use super::countries::Countries;
use super::governorates::Governorate;
use super::{Draft, Origin};
use crate::model::{Place, PlaceKind};
use crate::names::{deaccent, is_arabic, is_usable_latin};

const CITIES: &str = "places/geonames_cities500.tsv";
const ADMIN1: &str = "places/admin1CodesASCII.txt";
const ADMIN2: &str = "places/admin2Codes.txt";

/// Admin1 code (`SY.09`) → admin1 name: the contract's names for Syria, GeoNames' ASCII
/// names elsewhere.
pub fn admin1_names(dir: &DataDir, governorates: &[Governorate]) -> Result<BTreeMap<String, String>, KbError> {
    let mut out = code_names(dir, ADMIN1)?;
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
    let text = dir.read(CITIES)?;
    let tsv =
        Tsv::parse(CITIES, &text, &["geonameid", "name", "latitude", "longitude", "country_code", "admin1_code"])?;
    let mut drafts = Vec::new();
    for row in tsv.rows() {
        let code = row.require("country_code")?;
        let Some(country) = countries.by_code(code) else {
            return Err(row.error(format!("country code `{code}` is not in places/countries.tsv")));
        };
        let geonameid: u64 = row.parse("geonameid")?;
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
            draft.name(n, Origin::Primary);
        }
        for alt in row.get("alternatenames").split(',') {
            let alt = deaccent(alt.trim());
            if is_usable_latin(&alt) {
                draft.name(&alt, Origin::Alias);
            }
        }
        drafts.push(draft);
    }
    Ok(drafts)
}
