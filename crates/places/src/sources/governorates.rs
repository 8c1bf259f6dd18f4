//! `governorates.tsv`: Syria's 14 governorates under the contract's admin1 names, with their
//! GeoNames admin1 codes, OpenSyria ids, capitals and the governorate `"ريف <capital>"` means.

use rasd_kb::{DataDir, KbError, Tsv};

const FILE: &str = "places/governorates.tsv";

/// One Syrian governorate.
#[derive(Clone, Debug)]
pub struct Governorate {
    /// Canonical admin1 name (`Deir ez-Zor`).
    pub admin1: String,
    /// GeoNames admin1 code (`SY.07`).
    pub geonames: String,
    /// OpenSyria governorate id (`sy-deir-ez-zor`).
    pub opensyria: String,
    /// GeoNames id of the capital city, if the governorate has its own.
    pub capital: Option<u64>,
    /// Index (in the list) of the governorate that the countryside of the capital lies in.
    pub countryside: usize,
    /// Curated names of the governorate itself (`ريف دمشق`, `Rural Damascus`).
    pub variants: Vec<String>,
}

/// Reads the table; errors name the line.
pub fn load(dir: &DataDir) -> Result<Vec<Governorate>, KbError> {
    let text = dir.read(FILE)?;
    let tsv = Tsv::parse(FILE, &text, &["admin1", "geonames", "opensyria", "capital", "countryside"])?;
    let rows: Vec<_> = tsv.rows().collect();
    let names: Vec<&str> = rows.iter().map(|r| r.get("admin1")).collect();
    rows.iter()
        .map(|row| {
            let countryside = row.require("countryside")?;
            let countryside = names
                .iter()
                .position(|n| *n == countryside)
                .ok_or_else(|| row.error(format!("countryside `{countryside}` is not an admin1 of this table")))?;
            Ok(Governorate {
                admin1: row.require("admin1")?.to_string(),
                geonames: row.require("geonames")?.to_string(),
                opensyria: row.require("opensyria")?.to_string(),
                capital: if row.get("capital").is_empty() { None } else { Some(row.parse("capital")?) },
                countryside,
                variants: row.list("variants").map(str::to_string).collect(),
            })
        })
        .collect()
}
