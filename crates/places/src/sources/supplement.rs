//! `supplement.tsv`: curated places the news names and GeoNames lacks or names differently.

use std::collections::BTreeMap;

use rasd_kb::{DataDir, KbError, Tsv};

use super::{Draft, Origin};
use crate::model::{Place, PlaceKind};

/// The file, relative to the data directory.
pub const FILE: &str = "places/supplement.tsv";

/// The columns every row must have.
pub const COLUMNS: [&str; 10] =
    ["name_en", "name_ar", "variants", "kind", "lat", "lon", "admin1", "admin2", "country", "source"];

/// A curated row: the place, and the GeoNames entry it replaces, if any.
pub struct Curated {
    /// The place with its names.
    pub draft: Draft,
    /// When set, the GeoNames entry this row replaces.
    pub replaces: Option<u64>,
    /// For a country: the English name of its capital.
    pub capital: Option<String>,
}

/// Reads the supplement. `iso3` maps English country names to ISO codes.
pub fn load(dir: &DataDir, iso3: &BTreeMap<&str, &str>) -> Result<Vec<Curated>, KbError> {
    let text = dir.read(FILE)?;
    let tsv = Tsv::parse(FILE, &text, &COLUMNS)?;
    let mut out = Vec::new();
    for row in tsv.rows() {
        let kind = row.require("kind")?;
        let kind = PlaceKind::parse(kind).ok_or_else(|| row.error(format!("unknown kind `{kind}`")))?;
        let country = row.require("country")?;
        let code = iso3.get(country).ok_or_else(|| row.error(format!("unknown country `{country}`")))?;
        let opt = |c: &str| Some(row.get(c).to_string()).filter(|s| !s.is_empty());
        let mut draft = Draft {
            place: Place {
                name: row.require("name_en")?.to_string(),
                name_ar: opt("name_ar"),
                admin1: opt("admin1"),
                admin2: opt("admin2"),
                country: country.to_string(),
                iso3: code.to_string(),
                lat: row.parse("lat")?,
                lon: row.parse("lon")?,
                kind,
                population: 0,
                geonameid: None,
            },
            names: Vec::new(),
        };
        draft.name(row.get("name_en"), Origin::Curated);
        draft.name(row.get("name_ar"), Origin::Curated);
        for v in row.list("variants") {
            draft.name(v, Origin::Curated);
        }
        let replaces = if row.get("geonameid").is_empty() { None } else { Some(row.parse("geonameid")?) };
        draft.place.geonameid = replaces;
        out.push(Curated { draft, replaces, capital: opt("capital") });
    }
    Ok(out)
}
