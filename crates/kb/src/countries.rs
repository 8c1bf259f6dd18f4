//! `places/countries.tsv`: ISO 3166-1 countries by GeoNames (alpha-2) code, with the alpha-3
//! and numeric codes, the English short name written in records and ACLED's region. Read by
//! the gazetteer (GeoNames rows, `rasd gazetteer import`) and by the exports (`iso`, `region`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::{DataDir, KbError, Tsv};

/// The file, relative to `data/`.
pub const COUNTRIES_FILE: &str = "places/countries.tsv";

/// One country.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code (`SYR`).
    pub iso3: String,
    /// ISO 3166-1 numeric code (760), ACLED's `iso`; 0 where ISO has none (Kosovo).
    pub numeric: u16,
    /// English short name (`Syria`).
    pub name: String,
    /// ACLED's region (`Middle East`, `Northern Africa`), where the table gives one.
    pub region: Option<String>,
}

/// The table, by alpha-2 code, with an index by alpha-3 (exports look a country up per row).
#[derive(Clone, Debug, Default)]
pub struct Countries {
    by_code: BTreeMap<String, Country>,
    code_by_iso3: BTreeMap<String, String>,
}

impl Countries {
    /// Reads the table; errors name the line.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        let text = dir.read(COUNTRIES_FILE)?;
        let tsv = Tsv::parse(COUNTRIES_FILE, &text, &["code", "iso3", "numeric", "name", "region"])?;
        let mut by_code = BTreeMap::new();
        for row in tsv.rows() {
            let numeric = row.require("numeric")?;
            let country = Country {
                iso3: row.require("iso3")?.to_string(),
                numeric: numeric.parse().map_err(|_| row.error(format!("numeric `{numeric}` is not a number")))?,
                name: row.require("name")?.to_string(),
                region: Some(row.get("region")).filter(|r| !r.is_empty()).map(str::to_string),
            };
            if by_code.insert(row.require("code")?.to_string(), country).is_some() {
                return Err(row.error("code listed twice"));
            }
        }
        let code_by_iso3 = by_code.iter().map(|(code, c)| (c.iso3.clone(), code.clone())).collect();
        Ok(Countries { by_code, code_by_iso3 })
    }

    /// The table embedded in the binary, read once.
    pub fn embedded() -> &'static Countries {
        static EMBEDDED: OnceLock<Countries> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            // The embedded file is checked by this crate's tests; a failure here is a build defect.
            Countries::load(&DataDir::embedded()).unwrap_or_else(|e| panic!("embedded countries: {e}"))
        })
    }

    /// The country of a GeoNames (ISO alpha-2) code.
    pub fn by_code(&self, code: &str) -> Option<&Country> {
        self.by_code.get(code)
    }

    /// The country of an ISO alpha-3 code.
    pub fn by_iso3(&self, iso3: &str) -> Option<&Country> {
        self.code_by_iso3.get(iso3).and_then(|code| self.by_code.get(code))
    }

    /// Every country, by alpha-2 code.
    pub fn all(&self) -> impl Iterator<Item = &Country> {
        self.by_code.values()
    }

    /// English name → ISO alpha-3, for tables that name countries in English.
    pub fn iso3_by_name(&self) -> BTreeMap<&str, &str> {
        self.by_code.values().map(|c| (c.name.as_str(), c.iso3.as_str())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_has_acleds_codes_and_regions() {
        let countries = Countries::embedded();
        let syria = countries.by_code("SY").unwrap();
        assert_eq!((syria.iso3.as_str(), syria.numeric, syria.region.as_deref()), ("SYR", 760, Some("Middle East")));
        assert_eq!(countries.by_iso3("EGY").unwrap().region.as_deref(), Some("Northern Africa"));
        assert_eq!(countries.by_iso3("LBN").unwrap().numeric, 422);
        assert_eq!(countries.by_code("AR").unwrap().region, None);
        assert!(countries.by_iso3("XXX").is_none());
    }

    #[test]
    fn a_bad_numeric_code_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("places")).unwrap();
        std::fs::write(dir.path().join(COUNTRIES_FILE), "code\tiso3\tnumeric\tname\tregion\nSY\tSYR\tseven\tSyria\t\n")
            .unwrap();
        let e = Countries::load(&DataDir::at(dir.path())).unwrap_err().to_string();
        assert!(e.contains("places/countries.tsv:2") && e.contains("seven"), "{e}");
    }
}
