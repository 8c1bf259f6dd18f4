//! `countries.tsv`: ISO 3166-1 countries by GeoNames country code, with ISO alpha-3 and the
//! English short name written in records.

use std::collections::BTreeMap;

use rasd_kb::{DataDir, KbError, Tsv};

const FILE: &str = "places/countries.tsv";

/// One country.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code (`SYR`).
    pub iso3: String,
    /// English short name (`Syria`).
    pub name: String,
}

/// The table, by alpha-2 code and by English name.
#[derive(Clone, Debug, Default)]
pub struct Countries {
    by_code: BTreeMap<String, Country>,
}

impl Countries {
    /// Reads the table; errors name the line.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        let text = dir.read(FILE)?;
        let tsv = Tsv::parse(FILE, &text, &["code", "iso3", "name"])?;
        let mut by_code = BTreeMap::new();
        for row in tsv.rows() {
            let country = Country { iso3: row.require("iso3")?.to_string(), name: row.require("name")?.to_string() };
            if by_code.insert(row.require("code")?.to_string(), country).is_some() {
                return Err(row.error("code listed twice"));
            }
        }
        Ok(Countries { by_code })
    }

    /// The country of a GeoNames (ISO alpha-2) code.
    pub fn by_code(&self, code: &str) -> Option<&Country> {
        self.by_code.get(code)
    }

    /// English name → ISO alpha-3, for tables that name countries in English.
    pub fn iso3_by_name(&self) -> BTreeMap<&str, &str> {
        self.by_code.values().map(|c| (c.name.as_str(), c.iso3.as_str())).collect()
    }
}
