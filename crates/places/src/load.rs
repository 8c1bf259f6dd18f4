//! Assembling a [`Gazetteer`] from the data files: merging the sources, deriving the
//! directional countrysides, and compiling every name and cue into one automaton.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rasd_kb::{DataDir, KbError, Tsv};
use rasd_text::fold::fold_str;
use rasd_text::geo::haversine_km;
use rasd_text::Lexicon;

use crate::cues::{self, StopMode};
use crate::geo::Direction;
use crate::model::{Place, PlaceId, PlaceKind};
use crate::sources::governorates::Governorate;
use crate::sources::opensyria::Subdistrict;
use crate::sources::{geonames, governorates, opensyria, supplement, Draft, Origin};
use crate::translit::LatinKeys;
use crate::user::UserGazetteer;
use crate::{Entry, Gazetteer, Province};
use rasd_kb::Countries;

/// The home country, relative to `data/`.
const HOME_FILE: &str = "places/home.tsv";
/// The adjectives naming the sides of a countryside, relative to `data/`.
const DIRECTIONS_FILE: &str = "places/directions.tsv";

/// Subdistricts closer than this to the capital belong to the city, not to a side of its
/// countryside.
const CITY_RADIUS_KM: f64 = 5.0;
/// How far a unit's centroid may lie from the settlement it is named after.
const SEAT_KM: f64 = 20.0;

pub(crate) fn load(dir: &DataDir, user: Option<&Path>) -> Result<Gazetteer, KbError> {
    let govs = governorates::load(dir)?;
    let countries = Countries::load(dir)?;
    let admin1 = geonames::admin1_names(dir, &govs)?;
    let mut drafts = geonames::load(dir, &countries, &admin1, &govs)?;
    let iso3 = countries.iso3_by_name();
    // Countries the GeoNames files cover: there a curated row's id must name one of their places.
    let covered: HashSet<String> = drafts.iter().map(|d| d.place.iso3.clone()).collect();
    let mut capital_names = Vec::new();
    for c in supplement::load(dir, &iso3)? {
        if let Some(capital) = &c.capital {
            capital_names.push((c.draft.place.iso3.clone(), capital.clone()));
        }
        match c.replaces {
            // A place of a country the GeoNames files leave out (a capital far from the region)
            // is new, and keeps its GeoNames id.
            Some(_) if !covered.contains(&c.draft.place.iso3) => drafts.push(c.draft),
            Some(id) => {
                let Some(d) = drafts.iter_mut().find(|d| d.place.geonameid == Some(id)) else {
                    return Err(KbError::file(supplement::FILE, format!("geonameid {id} is not in the GeoNames file")));
                };
                // The curated row takes the place and its names; GeoNames' Latin spellings stay
                // as aliases (Al Bab, El Bab), which any curated name overrules. Its Arabic ones
                // go: the curated row lists those it trusts.
                let population = d.place.population;
                let latin: Vec<String> =
                    std::mem::take(&mut d.names).into_iter().map(|(name, _)| name).filter(|n| n.is_ascii()).collect();
                *d = c.draft;
                d.place.population = population;
                d.names.extend(latin.into_iter().map(|name| (name, Origin::Alias)));
            }
            None => drafts.push(c.draft),
        }
    }
    let units = opensyria::load(dir, &govs)?;
    let mut latin = LatinKeys::load(dir)?;
    lend_names_to_seats(&mut drafts, &units.drafts, &latin);
    drafts.extend(units.drafts);
    name_districts(&mut drafts, &units.subdistricts);
    let (provinces, countryside) = provinces(&mut drafts, &govs, &units.subdistricts, &direction_names(dir)?)?;
    if let Some(path) = user {
        // User places come last, so built-in ids (and ties between them) do not move.
        let known: HashSet<u64> = drafts.iter().filter_map(|d| d.place.geonameid).collect();
        let start = drafts.len();
        drafts.extend(UserGazetteer::read(path)?.places().filter(|p| !known.contains(&p.geonameid)).map(|p| p.draft()));
        name_districts(&mut drafts[start..], &units.subdistricts);
    }

    let places: Vec<Place> = drafts.iter().map(|d| d.place.clone()).collect();
    let find_city = |iso3: &str, name: &str| {
        places.iter().position(|p| p.iso3 == iso3 && p.kind == PlaceKind::City && p.name == name)
    };
    let mut capitals = BTreeMap::new();
    for (iso3, name) in &capital_names {
        let id = find_city(iso3, name)
            .ok_or_else(|| KbError::file(supplement::FILE, format!("capital `{name}` of {iso3} is not a city")))?;
        capitals.insert(iso3.clone(), PlaceId(id as u32));
    }
    let home_country = home_country(dir)?;
    let home_capital = *capitals.get(&home_country).ok_or_else(|| {
        KbError::file(HOME_FILE, format!("the home country {home_country} has no capital in {}", supplement::FILE))
    })?;

    let cue_table = cues::load(dir)?;
    let stops = cues::stoplist(dir)?;
    let never: HashSet<String> =
        stops.iter().filter(|(_, m)| *m == StopMode::Never).map(|(n, _)| fold_str(n)).collect();
    // «للمهاجرين» is ل + المهاجرين with the article's alef dropped: both surfaces are the name.
    let cued_only: HashSet<String> = stops
        .iter()
        .filter(|(_, m)| *m == StopMode::Cue)
        .map(|(n, _)| fold_str(n))
        .flat_map(|n| {
            let after_li = n.strip_prefix('ا').filter(|rest| rest.starts_with('ل')).map(str::to_string);
            std::iter::once(n.clone()).chain(after_li)
        })
        .collect();
    let curated: HashSet<String> = drafts
        .iter()
        .flat_map(|d| d.names.iter().filter(|(_, o)| *o == Origin::Curated).map(|(n, _)| fold_str(n)))
        .collect();

    let mut builder = Lexicon::builder();
    for (i, d) in drafts.iter().enumerate() {
        let mut value = None;
        let mut latin_names = Vec::new();
        for (surface, origin) in &d.names {
            let folded = fold_str(surface);
            if !usable(&folded, *origin) || never.contains(&folded) {
                continue;
            }
            if *origin == Origin::Alias && curated.contains(&folded) {
                continue;
            }
            if surface.is_ascii() && !cued_only.contains(&folded) {
                latin_names.push(surface);
            }
            match value {
                None => value = builder.add(surface, Entry::Place(PlaceId(i as u32))),
                Some(v) => {
                    builder.add_alias(surface, v);
                }
            }
        }
        if let Some(v) = value {
            for surface in latin_names {
                latin.add(surface, &d.place.iso3, v);
            }
        }
    }
    for (name, _) in stops.iter().filter(|(_, m)| *m == StopMode::Never) {
        latin.block(name);
    }
    for (name, _) in stops.iter().filter(|(_, m)| *m == StopMode::Phrase) {
        builder.add(name, Entry::Phrase);
    }
    let mut cue_list = Vec::with_capacity(cue_table.cues.len());
    for (surface, cue) in cue_table.cues {
        builder.add(&surface, Entry::Cue(cue_list.len() as u16));
        cue_list.push(cue);
    }
    Ok(Gazetteer {
        places,
        lexicon: builder.build(),
        latin,
        cues: cue_list,
        glue: cue_table.glue,
        cued_only,
        provinces,
        countryside,
        capitals,
        home_country,
        home_capital,
    })
}

/// The English and Arabic adjective of each direction ([`DIRECTIONS_FILE`]), in the order of
/// [`Direction::ALL`]: every direction once.
fn direction_names(dir: &DataDir) -> Result<[(String, String); 8], KbError> {
    let text = dir.read(DIRECTIONS_FILE)?;
    let table = Tsv::parse(DIRECTIONS_FILE, &text, &["direction", "adjective", "adjective_ar"])?;
    let mut names: [Option<(String, String)>; 8] = Default::default();
    for row in table.rows() {
        let code = row.require("direction")?;
        let d = Direction::parse(code).ok_or_else(|| row.error(format!("unknown direction `{code}`")))?;
        if names[d as usize].is_some() {
            return Err(row.error(format!("direction {code} is listed twice")));
        }
        names[d as usize] = Some((row.require("adjective")?.to_string(), row.require("adjective_ar")?.to_string()));
    }
    let missing = Direction::ALL.into_iter().find(|d| names[*d as usize].is_none());
    if let Some(d) = missing {
        return Err(KbError::file(DIRECTIONS_FILE, format!("no row for direction {}", d.code())));
    }
    Ok(names.map(|n| n.unwrap_or_default()))
}

/// Reads the home country's ISO alpha-3 code from [`HOME_FILE`] (one row).
fn home_country(dir: &DataDir) -> Result<String, KbError> {
    let text = dir.read(HOME_FILE)?;
    let table = Tsv::parse(HOME_FILE, &text, &["iso3"])?;
    let mut rows = table.rows();
    let first = rows.next().ok_or_else(|| KbError::file(HOME_FILE, "no row: name the home country"))?;
    if let Some(second) = rows.next() {
        return Err(second.error("one home country only"));
    }
    let iso3 = first.require("iso3")?;
    if iso3.len() != 3 || !iso3.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(first.error(format!("{iso3:?} is not an ISO alpha-3 code (SYR)")));
    }
    Ok(iso3.to_string())
}

/// Whether a folded surface is long enough to be matched: three letters for Arabic, four
/// for Latin, unless curated (`T4`).
fn usable(folded: &str, origin: Origin) -> bool {
    let letters = folded.chars().filter(|c| c.is_alphanumeric()).count();
    let min = if origin == Origin::Curated {
        2
    } else if folded.is_ascii() {
        4
    } else {
        3
    };
    letters >= min
}

/// Most districts and subdistricts are named after their seat, and the news names the town by
/// the unit's spelling ("the town of Atareb": OpenSyria's Atareb subdistrict, GeoNames' Al
/// Atārib). Each settlement within [`SEAT_KM`] of a unit of its governorate whose Latin name
/// has the same transliteration key takes the unit's Latin names as aliases, so the name has
/// both readings and the settlement, the likelier one, can win.
fn lend_names_to_seats(drafts: &mut [Draft], units: &[Draft], latin: &LatinKeys) {
    let latin_keys = |d: &Draft| -> Vec<String> {
        d.names.iter().filter(|(n, _)| n.is_ascii()).filter_map(|(n, _)| latin.key(n)).collect()
    };
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (u, unit) in units.iter().enumerate() {
        if matches!(unit.place.kind, PlaceKind::District | PlaceKind::Subdistrict) {
            for key in latin_keys(unit) {
                by_key.entry(key).or_default().push(u);
            }
        }
    }
    for d in drafts.iter_mut().filter(|d| d.place.iso3 == "SYR") {
        if !matches!(d.place.kind, PlaceKind::City | PlaceKind::Town | PlaceKind::Village) {
            continue;
        }
        let seat_of: Vec<usize> = latin_keys(d)
            .iter()
            .filter_map(|k| by_key.get(k))
            .flatten()
            .copied()
            .filter(|&u| {
                let unit = &units[u].place;
                unit.admin1 == d.place.admin1 && haversine_km(unit.lat, unit.lon, d.place.lat, d.place.lon) < SEAT_KM
            })
            .collect();
        for u in seat_of {
            for (name, _) in units[u].names.iter().filter(|(n, _)| n.is_ascii()) {
                if !d.names.iter().any(|(n, _)| n == name) {
                    d.names.push((name.clone(), Origin::Alias));
                }
            }
        }
    }
}

/// Gives Syrian places without a district the district of the nearest subdistrict centroid
/// in the same governorate.
fn name_districts(drafts: &mut [Draft], subdistricts: &[Subdistrict]) {
    for d in drafts.iter_mut().filter(|d| d.place.iso3 == "SYR" && d.place.admin2.is_none()) {
        let p = &d.place;
        if matches!(p.kind, PlaceKind::Country | PlaceKind::Governorate) {
            continue;
        }
        let nearest = subdistricts
            .iter()
            .filter(|s| Some(&s.admin1) == p.admin1.as_ref())
            .map(|s| (haversine_km(p.lat, p.lon, s.lat, s.lon), s))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, s)) = nearest {
            d.place.admin2 = Some(s.district.clone());
        }
    }
}

/// Finds each governorate's place (adding its curated variants), derives the eight sides of each capital's countryside
/// (the mean centroid of the subdistricts in that direction from the capital, named with
/// `direction_names`), and maps capitals and governorates to the province their countryside
/// lies in.
fn provinces(
    drafts: &mut Vec<Draft>,
    govs: &[Governorate],
    subdistricts: &[Subdistrict],
    direction_names: &[(String, String); 8],
) -> Result<(Vec<Province>, HashMap<PlaceId, usize>), KbError> {
    let mut provinces = Vec::with_capacity(govs.len());
    let mut countryside = HashMap::new();
    for g in govs {
        let place = drafts
            .iter()
            .position(|d| d.place.kind == PlaceKind::Governorate && d.place.admin1.as_ref() == Some(&g.admin1))
            .ok_or_else(|| {
                KbError::file("places/governorates.tsv", format!("no OpenSyria governorate for {}", g.admin1))
            })?;
        for v in &g.variants {
            drafts[place].name(v, Origin::Curated);
        }
        provinces.push(Province { place: PlaceId(place as u32), sides: [None; 8] });
    }
    for (gi, g) in govs.iter().enumerate() {
        countryside.insert(provinces[gi].place, g.countryside);
        let Some(capital) = g.capital else { continue };
        let Some(ci) = drafts.iter().position(|d| d.place.geonameid == Some(capital)) else { continue };
        countryside.insert(PlaceId(ci as u32), g.countryside);
        let target = &govs[g.countryside];
        let city = drafts[ci].place.clone();
        let centre = (city.lat, city.lon);
        for dir in Direction::ALL {
            let points: Vec<(f64, f64)> = subdistricts
                .iter()
                .filter(|s| s.admin1 == target.admin1)
                .map(|s| (s.lat, s.lon))
                .filter(|&p| haversine_km(centre.0, centre.1, p.0, p.1) > CITY_RADIUS_KM && dir.contains(centre, p))
                .collect();
            if points.is_empty() {
                continue;
            }
            let n = points.len() as f64;
            let (lat, lon) = (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n);
            let (adjective, adjective_ar) = &direction_names[dir as usize];
            let name_ar = city.name_ar.as_deref().map(|ar| format!("ريف {ar} {adjective_ar}"));
            let place = Place {
                name: format!("{} {adjective} countryside", city.name),
                name_ar,
                admin1: Some(target.admin1.clone()),
                admin2: None,
                country: city.country.clone(),
                iso3: city.iso3.clone(),
                lat,
                lon,
                kind: PlaceKind::Region,
                population: 0,
                geonameid: None,
            };
            provinces[g.countryside].sides[dir as usize] = Some(PlaceId(drafts.len() as u32));
            drafts.push(Draft { place, names: Vec::new() });
        }
    }
    Ok((provinces, countryside))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_country_is_one_iso_code() {
        assert_eq!(home_country(&DataDir::embedded()).unwrap(), "SYR");
        let dir = std::env::temp_dir().join(format!("rasd-places-home-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("places")).unwrap();
        std::fs::write(dir.join(HOME_FILE), "iso3\treason\nSYR\t\nIRQ\t\n").unwrap();
        let e = home_country(&DataDir::at(&dir)).unwrap_err();
        assert_eq!((e.line, e.to_string().contains("one home country")), (Some(3), true), "{e}");
        std::fs::write(dir.join(HOME_FILE), "iso3\treason\nSyria\t\n").unwrap();
        assert!(home_country(&DataDir::at(&dir)).unwrap_err().to_string().contains("ISO alpha-3"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn every_direction_has_its_adjectives() {
        let names = direction_names(&DataDir::embedded()).unwrap();
        assert_eq!(names[Direction::NW as usize], ("north-western".to_string(), "الشمالي الغربي".to_string()));
        let dir = std::env::temp_dir().join(format!("rasd-places-directions-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("places")).unwrap();
        std::fs::write(dir.join(DIRECTIONS_FILE), "direction\tadjective\tadjective_ar\nN\tnorthern\tالشمالي\n")
            .unwrap();
        let e = direction_names(&DataDir::at(&dir)).unwrap_err();
        assert!(e.to_string().contains("no row for direction NE"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
