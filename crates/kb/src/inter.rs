//! ACLED's actor categories (`data/entities/inter.tsv`): the value set of an actor's `inter`,
//! with ACLED's codes, which order an event's `interaction`.
//!
//! ```
//! let inter = rasd_kb::InterCategories::embedded();
//! assert_eq!(inter.code("Civilians"), Some(7));
//! assert_eq!(inter.interaction(Some("Civilians"), Some("State forces")).as_deref(), Some("State forces-Civilians"));
//! assert_eq!(inter.interaction(None, Some("Rebel group")).as_deref(), Some("Rebel group only"));
//! ```

use std::sync::OnceLock;

use crate::{DataDir, KbError, Tsv};

/// The file, relative to `data/`.
pub const INTER_FILE: &str = "entities/inter.tsv";

/// One actor category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InterCategory {
    /// ACLED's code (1 State forces … 8 External/Other forces).
    pub code: u8,
    /// ACLED's name.
    pub name: String,
    /// The name in Arabic.
    pub name_ar: String,
}

/// ACLED's actor categories, in code order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InterCategories {
    /// The categories.
    pub categories: Vec<InterCategory>,
}

impl InterCategories {
    /// Reads `entities/inter.tsv`, checking that codes and names are unique.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        let text = dir.read(INTER_FILE)?;
        let table = Tsv::parse(INTER_FILE, &text, &["code", "inter", "inter_ar"])?;
        let mut categories: Vec<InterCategory> = Vec::new();
        for row in table.rows() {
            let code = row.require("code")?;
            let code = code.parse().map_err(|_| row.error(format!("code `{code}` is not a number from 0 to 255")))?;
            let name = row.require("inter")?.to_string();
            if categories.iter().any(|c| c.code == code || c.name == name) {
                return Err(row.error(format!("code {code} or category `{name}` is listed twice")));
            }
            categories.push(InterCategory { code, name, name_ar: row.require("inter_ar")?.to_string() });
        }
        categories.sort_by_key(|c| c.code);
        Ok(InterCategories { categories })
    }

    /// The categories embedded in the binary, read once.
    pub fn embedded() -> &'static InterCategories {
        static EMBEDDED: OnceLock<InterCategories> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            // The embedded file is checked by this crate's tests; a failure here is a build defect.
            InterCategories::load(&DataDir::embedded()).unwrap_or_else(|e| panic!("embedded inter categories: {e}"))
        })
    }

    /// The code of a category.
    pub fn code(&self, name: &str) -> Option<u8> {
        self.categories.iter().find(|c| c.name == name).map(|c| c.code)
    }

    /// ACLED's `interaction` of two actors' categories: the lower code first
    /// (`State forces-Civilians`), `X only` when one actor is known, nothing when neither is.
    /// A category not in the table sorts last.
    pub fn interaction(&self, inter1: Option<&str>, inter2: Option<&str>) -> Option<String> {
        match (inter1, inter2) {
            (Some(a), Some(b)) => {
                let rank = |name| self.code(name).unwrap_or(u8::MAX);
                let (first, second) = if rank(b) < rank(a) { (b, a) } else { (a, b) };
                Some(format!("{first}-{second}"))
            }
            (Some(only), None) | (None, Some(only)) => Some(format!("{only} only")),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_actor_category_in_the_dictionary_is_acleds() {
        let inter = InterCategories::embedded();
        assert_eq!(inter.categories.len(), 8);
        let actors = DataDir::embedded().read("entities/actors.tsv").unwrap();
        let table = Tsv::parse("entities/actors.tsv", &actors, &["name", "inter"]).unwrap();
        for row in table.rows() {
            let name = row.get("inter");
            assert!(inter.code(name).is_some(), "entities/actors.tsv:{}: inter `{name}` is not ACLED's", row.line);
        }
    }

    #[test]
    fn interaction_puts_the_lower_code_first() {
        let inter = InterCategories::embedded();
        assert_eq!(inter.interaction(Some("Rebel group"), Some("State forces")).unwrap(), "State forces-Rebel group");
        assert_eq!(inter.interaction(Some("State forces"), Some("State forces")).unwrap(), "State forces-State forces");
        assert_eq!(inter.interaction(Some("Protesters"), None).unwrap(), "Protesters only");
        assert_eq!(inter.interaction(None, None), None);
    }
}
