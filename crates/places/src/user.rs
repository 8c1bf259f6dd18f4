//! The user's gazetteer: places imported with `rasd gazetteer import`, kept in one TSV file
//! outside the built-in data and loaded with it by [`crate::Gazetteer::load_with_user`].
//!
//! Format (`gazetteer.tsv`): `#` comment lines, a header row, then one row per place, sorted by
//! GeoNames id, with the columns of [`COLUMNS`]; `names` is a `|`-separated list of the other
//! spellings the place is matched by.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use rasd_kb::{KbError, Tsv};

use crate::model::{Place, PlaceKind};
use crate::sources::{Draft, Origin};

/// The columns of the user gazetteer, in order.
pub const COLUMNS: [&str; 13] = [
    "geonameid",
    "name",
    "name_ar",
    "names",
    "kind",
    "lat",
    "lon",
    "admin1",
    "admin2",
    "country",
    "iso3",
    "population",
    "feature",
];

const HEADER: &str =
    "# rasd user gazetteer: places added with `rasd gazetteer import` (GeoNames country dumps, CC BY 4.0,
# \"Contains data from GeoNames (geonames.org)\"). One row per place, sorted by geonameid; names: |-separated
# spellings the place is also matched by; feature: the GeoNames feature class.code. Rows whose geonameid the
# built-in gazetteer already has are ignored when loading.
";

/// Where the user gazetteer lives: `$RASD_HOME/gazetteer.tsv`, else
/// `$XDG_DATA_HOME/rasd/gazetteer.tsv`, else `$HOME/.local/share/rasd/gazetteer.tsv`; `None`
/// when none of these variables is set (empty values count as unset).
pub fn default_path() -> Option<PathBuf> {
    path_from(std::env::var_os("RASD_HOME"), std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
}

fn path_from(rasd_home: Option<OsString>, xdg: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let set = |v: Option<OsString>| v.filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = set(rasd_home) {
        return Some(dir.join("gazetteer.tsv"));
    }
    if let Some(dir) = set(xdg) {
        return Some(dir.join("rasd").join("gazetteer.tsv"));
    }
    set(home).map(|h| h.join(".local").join("share").join("rasd").join("gazetteer.tsv"))
}

/// One place of the user gazetteer.
#[derive(Clone, Debug, PartialEq)]
pub struct UserPlace {
    /// The GeoNames id (the row's key).
    pub geonameid: u64,
    /// The place (its `geonameid` is `Some(self.geonameid)`).
    pub place: Place,
    /// Other spellings it is matched by (Arabic script or usable Latin).
    pub names: Vec<String>,
    /// GeoNames feature class and code (`P.PPLA2`).
    pub feature: String,
}

impl UserPlace {
    /// The draft the gazetteer is built from: display names primary, other spellings aliases.
    pub(crate) fn draft(&self) -> Draft {
        let mut d = Draft { place: self.place.clone(), names: Vec::new() };
        d.name(&self.place.name, Origin::Primary);
        if let Some(ar) = &self.place.name_ar {
            d.name(ar, Origin::Primary);
        }
        for n in &self.names {
            d.name(n, Origin::Alias);
        }
        d
    }

    fn row(&self) -> String {
        let p = &self.place;
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        [
            self.geonameid.to_string(),
            p.name.clone(),
            opt(&p.name_ar),
            self.names.join("|"),
            p.kind.as_str().to_string(),
            p.lat.to_string(),
            p.lon.to_string(),
            opt(&p.admin1),
            opt(&p.admin2),
            p.country.clone(),
            p.iso3.clone(),
            p.population.to_string(),
            self.feature.clone(),
        ]
        .join("\t")
    }
}

/// What a merge did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// Places the gazetteer did not have.
    pub added: usize,
    /// Places it had with other values, now replaced.
    pub updated: usize,
    /// Places it had with the same values.
    pub unchanged: usize,
}

/// The user gazetteer in memory: places by GeoNames id.
#[derive(Clone, Debug, Default)]
pub struct UserGazetteer {
    places: BTreeMap<u64, UserPlace>,
}

impl UserGazetteer {
    /// Reads the file at `path`; a missing file (or one whose directory cannot be searched) is
    /// an empty gazetteer. Errors name the file
    /// and line.
    pub fn read(path: &Path) -> Result<Self, KbError> {
        let label = path.display().to_string();
        match std::fs::read(path) {
            // No file, or none that this user could ever have made there (an unreadable or
            // non-directory $HOME): no user gazetteer, not an error that stops every command.
            Err(_) if !matches!(path.try_exists(), Ok(true)) => Ok(Self::default()),
            Err(e) => Err(KbError::file(&label, format!("cannot read the user gazetteer: {e}"))),
            Ok(bytes) => {
                let text = String::from_utf8(bytes)
                    .map_err(|e| KbError::file(&label, format!("user gazetteer is not UTF-8: {e}")))?;
                Self::parse(&label, &text)
            }
        }
    }

    /// Parses the text of a user gazetteer file named `file`.
    pub fn parse(file: &str, text: &str) -> Result<Self, KbError> {
        let tsv = Tsv::parse(file, text, &COLUMNS)?;
        let mut places = BTreeMap::new();
        for row in tsv.rows() {
            let geonameid: u64 = row.parse("geonameid")?;
            let kind = row.require("kind")?;
            let kind = PlaceKind::parse(kind).ok_or_else(|| row.error(format!("unknown kind `{kind}`")))?;
            let (lat, lon): (f64, f64) = (row.parse("lat")?, row.parse("lon")?);
            if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
                return Err(row.error(format!("coordinates {lat},{lon} out of range")));
            }
            let opt = |c: &str| Some(row.get(c).to_string()).filter(|s| !s.is_empty());
            let place = Place {
                name: row.require("name")?.to_string(),
                name_ar: opt("name_ar"),
                admin1: opt("admin1"),
                admin2: opt("admin2"),
                country: row.require("country")?.to_string(),
                iso3: row.require("iso3")?.to_string(),
                lat,
                lon,
                kind,
                population: if row.get("population").is_empty() { 0 } else { row.parse("population")? },
                geonameid: Some(geonameid),
            };
            let names = row.list("names").map(str::to_string).collect();
            let p = UserPlace { geonameid, place, names, feature: row.get("feature").to_string() };
            if places.insert(geonameid, p).is_some() {
                return Err(row.error(format!("geonameid {geonameid} is listed twice")));
            }
        }
        Ok(UserGazetteer { places })
    }

    /// The places, by GeoNames id.
    pub fn places(&self) -> impl Iterator<Item = &UserPlace> {
        self.places.values()
    }

    /// How many places it holds.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether it holds no place.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Adds places, replacing those with the same GeoNames id.
    pub fn merge(&mut self, places: impl IntoIterator<Item = UserPlace>) -> Merged {
        let mut merged = Merged::default();
        for p in places {
            match self.places.get(&p.geonameid) {
                None => merged.added += 1,
                Some(old) if *old == p => merged.unchanged += 1,
                Some(_) => merged.updated += 1,
            }
            self.places.insert(p.geonameid, p);
        }
        merged
    }

    /// The file's text: header comment, column row, one row per place sorted by id.
    pub fn to_tsv(&self) -> String {
        let mut out = String::from(HEADER);
        out.push_str(&COLUMNS.join("\t"));
        out.push('\n');
        for p in self.places.values() {
            out.push_str(&p.row());
            out.push('\n');
        }
        out
    }

    /// Writes the file (creating its directory), through a temporary file renamed into place
    /// so that an interrupted write never leaves half a gazetteer.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        std::fs::write(&tmp, self.to_tsv())?;
        std::fs::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_follows_rasd_home_then_xdg_then_home() {
        let s = |v: &str| Some(OsString::from(v));
        assert_eq!(path_from(s("/r"), s("/x"), s("/h")), Some(PathBuf::from("/r/gazetteer.tsv")));
        assert_eq!(path_from(s(""), s("/x"), s("/h")), Some(PathBuf::from("/x/rasd/gazetteer.tsv")));
        assert_eq!(path_from(None, None, s("/h")), Some(PathBuf::from("/h/.local/share/rasd/gazetteer.tsv")));
        assert_eq!(path_from(None, None, None), None);
    }

    #[test]
    fn a_home_that_cannot_hold_the_file_means_no_user_gazetteer() {
        // $HOME set to a file (or to a directory this user cannot search): nothing to read.
        let home = std::env::temp_dir().join(format!("rasd-home-file-{}", std::process::id()));
        std::fs::write(&home, "not a directory").unwrap();
        let path = path_from(None, None, Some(home.clone().into_os_string())).unwrap();
        assert!(UserGazetteer::read(&path).unwrap().places.is_empty());
        // A file that exists but cannot be read is still an error.
        assert!(UserGazetteer::read(&std::env::temp_dir()).is_err());
        std::fs::remove_file(home).unwrap();
    }

    #[test]
    fn malformed_files_name_the_line() {
        let head = COLUMNS.join("\t");
        let e = UserGazetteer::parse("g.tsv", &format!("{head}\n1\tX\t\t\tcity\tnorth\t0\t\t\tY\tYYY\t0\tP.PPL\n"))
            .unwrap_err();
        assert_eq!(e.line, Some(2));
        let row = "1\tX\t\t\tcity\t1\t2\t\t\tY\tYYY\t0\tP.PPL";
        let e = UserGazetteer::parse("g.tsv", &format!("{head}\n{row}\n{row}\n")).unwrap_err();
        assert!(e.message.contains("twice"), "{e}");
    }
}
