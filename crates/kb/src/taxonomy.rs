//! ACLED's event taxonomy (`data/events/taxonomy.tsv`): the fixed value set of `event_type` and
//! `sub_event_type`, with ACLED's disorder types, Arabic labels and map colours.
//!
//! ```
//! let t = rasd_kb::Taxonomy::embedded();
//! assert_eq!(t.sub_event_type("air/drone strike").unwrap().event_type, "Explosions/Remote violence");
//! assert_eq!(t.event_type("احتجاجات").unwrap().name, "Protests");
//! assert_eq!(t.disorder_type("Riots"), Some("Demonstrations"));
//! ```

use std::sync::OnceLock;

use crate::{DataDir, KbError, Tsv};

/// The file the taxonomy is read from, relative to `data/`.
pub const TAXONOMY_FILE: &str = "events/taxonomy.tsv";

/// One ACLED event type.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EventType {
    /// ACLED's name (`Battles`).
    pub name: String,
    /// Its label in Arabic.
    pub name_ar: String,
    /// ACLED's disorder type (`Political violence`).
    pub disorder_type: String,
    /// Its colour on the map (`#RRGGBB`).
    pub colour: String,
}

/// One ACLED sub-event type.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubEventType {
    /// ACLED's name (`Armed clash`).
    pub name: String,
    /// Its label in Arabic.
    pub name_ar: String,
    /// The event type it belongs to.
    pub event_type: String,
}

/// ACLED's taxonomy, in ACLED's order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Taxonomy {
    /// The event types, in order.
    pub event_types: Vec<EventType>,
    /// The sub-event types, in order.
    pub sub_event_types: Vec<SubEventType>,
}

impl Taxonomy {
    /// Reads `events/taxonomy.tsv` from a data directory, checking that sub-event types are
    /// unique, that every row of an event type agrees on its label, disorder type and colour, and
    /// that colours are `#RRGGBB`.
    pub fn load(dir: &DataDir) -> Result<Taxonomy, KbError> {
        let text = dir.read(TAXONOMY_FILE)?;
        let columns = ["disorder_type", "event_type", "event_type_ar", "sub_event_type", "sub_event_type_ar", "colour"];
        let table = Tsv::parse(TAXONOMY_FILE, &text, &columns)?;
        let mut taxonomy = Taxonomy { event_types: Vec::new(), sub_event_types: Vec::new() };
        for row in table.rows() {
            let colour = row.require("colour")?;
            let is_hex =
                colour.len() == 7 && colour.starts_with('#') && colour[1..].bytes().all(|b| b.is_ascii_hexdigit());
            if !is_hex {
                return Err(row.error(format!("colour {colour:?} is not #RRGGBB")));
            }
            let event_type = EventType {
                name: row.require("event_type")?.to_string(),
                name_ar: row.require("event_type_ar")?.to_string(),
                disorder_type: row.require("disorder_type")?.to_string(),
                colour: colour.to_string(),
            };
            match taxonomy.event_types.iter().find(|t| t.name == event_type.name) {
                None => taxonomy.event_types.push(event_type.clone()),
                Some(known) if *known == event_type => {}
                Some(_) => {
                    return Err(row.error(format!(
                        "event type `{}` has another label, disorder type or colour on an earlier row",
                        event_type.name
                    )))
                }
            }
            let sub = row.require("sub_event_type")?;
            if taxonomy.sub_event_types.iter().any(|s| s.name == sub) {
                return Err(row.error(format!("sub-event type `{sub}` is listed twice")));
            }
            taxonomy.sub_event_types.push(SubEventType {
                name: sub.to_string(),
                name_ar: row.require("sub_event_type_ar")?.to_string(),
                event_type: event_type.name,
            });
        }
        if taxonomy.sub_event_types.is_empty() {
            return Err(KbError::file(TAXONOMY_FILE, "no rows"));
        }
        Ok(taxonomy)
    }

    /// The taxonomy embedded in the binary, read once.
    pub fn embedded() -> &'static Taxonomy {
        static EMBEDDED: OnceLock<Taxonomy> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            // The embedded file is checked by this crate's tests; a failure here is a build defect.
            Taxonomy::load(&DataDir::embedded()).unwrap_or_else(|e| panic!("embedded taxonomy: {e}"))
        })
    }

    /// The event type named `name` in English (any case) or Arabic.
    pub fn event_type(&self, name: &str) -> Option<&EventType> {
        let name = name.trim();
        self.event_types.iter().find(|t| t.name.eq_ignore_ascii_case(name) || t.name_ar == name)
    }

    /// The sub-event type named `name` in English (any case) or Arabic.
    pub fn sub_event_type(&self, name: &str) -> Option<&SubEventType> {
        let name = name.trim();
        self.sub_event_types.iter().find(|s| s.name.eq_ignore_ascii_case(name) || s.name_ar == name)
    }

    /// ACLED's disorder type of an event type.
    pub fn disorder_type(&self, event_type: &str) -> Option<&str> {
        self.event_types.iter().find(|t| t.name == event_type).map(|t| t.disorder_type.as_str())
    }

    /// The sub-event types of one event type, in order.
    pub fn sub_event_types_of<'a>(&'a self, event_type: &'a str) -> impl Iterator<Item = &'a SubEventType> + 'a {
        self.sub_event_types.iter().filter(move |s| s.event_type == event_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_taxonomy_is_acleds() {
        let t = Taxonomy::embedded();
        assert_eq!(t.event_types.len(), 6);
        assert_eq!(t.sub_event_types.len(), 25);
        assert_eq!(
            t.sub_event_types_of("Riots").map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["Violent demonstration", "Mob violence"]
        );
        assert_eq!(t.disorder_type("Strategic developments"), Some("Strategic developments"));
        assert!(t.event_type("battle").is_none());
    }

    #[test]
    fn rows_that_disagree_are_errors_with_their_line() {
        let dir = std::env::temp_dir().join(format!("rasd-kb-taxonomy-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("events")).unwrap();
        let header = "disorder_type\tevent_type\tevent_type_ar\tsub_event_type\tsub_event_type_ar\tcolour\n";
        let write = |rows: &str| std::fs::write(dir.join(TAXONOMY_FILE), format!("{header}{rows}")).unwrap();
        write("D\tT\tت\tA\tأ\t#112233\nD\tT\tت\tB\tب\t#445566\n");
        let e = Taxonomy::load(&DataDir::at(&dir)).unwrap_err();
        assert_eq!((e.line, e.message.contains("colour")), (Some(3), true), "{e}");
        write("D\tT\tت\tA\tأ\t#112233\nD\tT\tت\tA\tب\t#112233\n");
        assert!(Taxonomy::load(&DataDir::at(&dir)).unwrap_err().message.contains("listed twice"));
        write("D\tT\tت\tA\tأ\tred\n");
        assert!(Taxonomy::load(&DataDir::at(&dir)).unwrap_err().message.contains("#RRGGBB"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
