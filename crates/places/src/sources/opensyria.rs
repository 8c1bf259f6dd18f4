//! OpenSyria: Syria's governorates, districts and subdistricts (`opensyria/*.json`) with
//! Arabic and English names, aliases and centroids.

use serde::Deserialize;

use rasd_kb::{DataDir, KbError};

use super::governorates::Governorate;
use super::{Draft, Origin};
use crate::model::{Place, PlaceKind};
use crate::names::is_usable_latin;

#[derive(Deserialize)]
struct Unit {
    id: String,
    #[serde(rename = "governorateId")]
    governorate: Option<String>,
    #[serde(rename = "districtId")]
    district: Option<String>,
    name: Names,
    #[serde(default)]
    aliases: Vec<Alias>,
    centroid: Option<Centroid>,
    population: Option<Population>,
    #[serde(rename = "externalIds", default)]
    external: External,
}

#[derive(Deserialize)]
struct Names {
    en: String,
    ar: Option<String>,
}

#[derive(Deserialize)]
struct Alias {
    value: String,
    language: String,
}

#[derive(Deserialize)]
struct Centroid {
    latitude: f64,
    longitude: f64,
}

#[derive(Deserialize)]
struct Population {
    value: u64,
}

#[derive(Deserialize, Default)]
struct External {
    geonames: Option<String>,
}

/// A subdistrict's centroid and district, used to name the district of other places and to
/// place the directional countrysides (ريف حلب الشمالي).
#[derive(Clone, Debug)]
pub struct Subdistrict {
    /// Canonical admin1 name.
    pub admin1: String,
    /// English name of its district.
    pub district: String,
    /// Centroid latitude.
    pub lat: f64,
    /// Centroid longitude.
    pub lon: f64,
}

/// What OpenSyria contributes: the drafts of its units, and the subdistrict table.
pub struct Units {
    /// Governorates, districts and subdistricts as gazetteer drafts.
    pub drafts: Vec<Draft>,
    /// All subdistricts with their centroids.
    pub subdistricts: Vec<Subdistrict>,
}

fn read(dir: &DataDir, file: &str) -> Result<Vec<Unit>, KbError> {
    let text = dir.read(file)?;
    serde_json::from_str(&text).map_err(|e| KbError::file(file, format!("invalid JSON: {e}")))
}

/// Reads the three levels.
pub fn load(dir: &DataDir, governorates: &[Governorate]) -> Result<Units, KbError> {
    let admin1_of = |gid: &str, file: &str| {
        governorates
            .iter()
            .find(|g| g.opensyria == gid)
            .map(|g| g.admin1.clone())
            .ok_or_else(|| KbError::file(file, format!("governorate id `{gid}` is not in places/governorates.tsv")))
    };
    let districts = read(dir, "places/opensyria/districts.json")?;
    let mut drafts = Vec::new();
    let mut subdistricts = Vec::new();
    for (file, kind) in [
        ("places/opensyria/governorates.json", PlaceKind::Governorate),
        ("places/opensyria/districts.json", PlaceKind::District),
        ("places/opensyria/subdistricts.json", PlaceKind::Subdistrict),
    ] {
        let units = if kind == PlaceKind::District { Vec::new() } else { read(dir, file)? };
        for unit in if kind == PlaceKind::District { &districts } else { &units } {
            let Some(c) = &unit.centroid else { continue };
            let admin1 = admin1_of(unit.governorate.as_deref().unwrap_or(&unit.id), file)?;
            let admin2 = match kind {
                PlaceKind::District => Some(unit.name.en.clone()),
                PlaceKind::Subdistrict => unit
                    .district
                    .as_deref()
                    .and_then(|d| districts.iter().find(|x| x.id == d))
                    .map(|d| d.name.en.clone()),
                _ => None,
            };
            if kind == PlaceKind::Subdistrict {
                subdistricts.push(Subdistrict {
                    admin1: admin1.clone(),
                    district: admin2.clone().unwrap_or_default(),
                    lat: c.latitude,
                    lon: c.longitude,
                });
            }
            drafts.push(draft(unit, kind, admin1, admin2, c));
        }
    }
    Ok(Units { drafts, subdistricts })
}

fn draft(unit: &Unit, kind: PlaceKind, admin1: String, admin2: Option<String>, c: &Centroid) -> Draft {
    // "مركز X" is the central subdistrict of X: not a name the news uses for it.
    let name_ar = unit.name.ar.clone().filter(|n| !n.starts_with("مركز"));
    let mut d = Draft {
        place: Place {
            name: unit.name.en.clone(),
            name_ar: name_ar.clone(),
            admin1: Some(admin1),
            admin2,
            country: "Syria".to_string(),
            iso3: "SYR".to_string(),
            lat: c.latitude,
            lon: c.longitude,
            kind,
            population: unit.population.as_ref().map_or(0, |p| p.value),
            geonameid: unit.external.geonames.as_deref().and_then(|g| g.parse().ok()),
        },
        names: Vec::new(),
    };
    if let Some(ar) = &name_ar {
        d.name(ar, Origin::Primary);
    }
    d.name(&unit.name.en, Origin::Primary);
    for a in &unit.aliases {
        let usable = if a.language == "ar" {
            // "مدينة X" names the city, not the unit.
            !a.value.contains("مركز") && !a.value.starts_with("مدينة")
        } else {
            is_usable_latin(&a.value) && !a.value.contains("Nahiy") && !a.value.contains("Markaz")
        };
        if usable {
            d.name(&a.value, Origin::Alias);
        }
    }
    d
}
