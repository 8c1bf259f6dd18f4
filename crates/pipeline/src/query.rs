//! Filters as people type them, read with the knowledge files: `--type`/`?type=` in any case or
//! in Arabic, `--admin1 "ريف دمشق"`, `--actor داعش` (an alias: every actor it names). `rasd events` and `rasd serve` share this reading, so
//! the command line and the API accept and refuse the same values.

use std::collections::HashMap;

use rasd_kb::Taxonomy;
use rasd_places::{Gazetteer, PlaceKind};
use rasd_store::EventQuery;
use rasd_text::{fold::fold_str, NormText};

use crate::Knowledge;

/// A filter value that names nothing rasd knows: which parameter (`type`, `sub_type`,
/// `admin1`), and why, listing the valid values where they are few.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{parameter}: {message}")]
pub struct FilterError {
    /// The parameter, as the API names it (`type`, `sub_type`, `admin1`).
    pub parameter: &'static str,
    /// What is wrong.
    pub message: String,
}

/// The names filters are read against, built once from the gazetteer.
#[derive(Debug)]
pub(crate) struct FilterNames {
    /// Folded name (English or Arabic, of the unit or of its governorate entry) → admin1.
    admin1: HashMap<String, String>,
    /// Syria's governorates, for error messages.
    syrian_admin1: Vec<String>,
}

impl FilterNames {
    pub(crate) fn new(gazetteer: &Gazetteer) -> Self {
        let mut admin1 = HashMap::new();
        let mut syrian_admin1 = Vec::new();
        for p in gazetteer.places() {
            let Some(unit) = &p.admin1 else { continue };
            admin1.entry(fold_str(unit)).or_insert_with(|| unit.clone());
            if p.kind == PlaceKind::Governorate {
                for name in std::iter::once(&p.name).chain(&p.name_ar) {
                    admin1.entry(fold_str(name)).or_insert_with(|| unit.clone());
                }
                if p.iso3 == "SYR" && !syrian_admin1.contains(unit) {
                    syrian_admin1.push(unit.clone());
                }
            }
        }
        syrian_admin1.sort();
        FilterNames { admin1, syrian_admin1 }
    }
}

/// Reads a query's event and sub-event types as a user meant them: in any case or in Arabic,
/// they become ACLED's names; an unknown one is an error listing the valid ones, and a
/// sub-event type of another event type than the one asked for is an error too. Needs no
/// knowledge files beyond the taxonomy, so `rasd events --type` stays instant.
pub fn resolve_types(mut query: EventQuery) -> Result<EventQuery, FilterError> {
    let taxonomy = Taxonomy::embedded();
    if let Some(name) = &query.event_type {
        let found = taxonomy.event_type(name).ok_or_else(|| FilterError {
            parameter: "type",
            message: format!("{name:?} is not an ACLED event type; one of: {}", event_types(taxonomy)),
        })?;
        query.event_type = Some(found.name.clone());
    }
    if let Some(name) = &query.sub_event_type {
        let found = taxonomy.sub_event_type(name).ok_or_else(|| FilterError {
            parameter: "sub_type",
            message: format!(
                "{name:?} is not an ACLED sub-event type; one of: {}",
                taxonomy.sub_event_types.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
        })?;
        if let Some(event_type) = query.event_type.as_ref().filter(|t| **t != found.event_type) {
            return Err(FilterError {
                parameter: "sub_type",
                message: format!(
                    "{:?} is a sub-event type of {:?}, not of {event_type:?}",
                    found.name, found.event_type
                ),
            });
        }
        query.sub_event_type = Some(found.name.clone());
    }
    Ok(query)
}

/// Whether reading a query's filters needs the knowledge files (a place or an actor), or only
/// the taxonomy ([`resolve_types`]).
pub fn needs_knowledge(query: &EventQuery) -> bool {
    query.admin1.is_some() || query.actor.is_some()
}

impl Knowledge {
    /// Reads a query's filters as a user meant them: types as [`resolve_types`] reads them; a
    /// first-level unit in English or Arabic becomes the name events are stored under; an
    /// actor alias becomes every canonical actor it names (a phrase that is no alias stays a
    /// search within names).
    pub fn resolve_query(&self, query: EventQuery) -> Result<EventQuery, FilterError> {
        let mut query = resolve_types(query)?;
        let names = self.filter_names();
        if let Some(name) = &query.admin1 {
            query.admin1 = Some(self.admin1_called(names, name).ok_or_else(|| FilterError {
                parameter: "admin1",
                message: format!(
                    "{name:?} is not a first-level unit rasd knows (Syria's governorates: {}; elsewhere the \
                     province's English name, as `rasd inspect places` shows it)",
                    names.syrian_admin1.join(", ")
                ),
            })?);
        }
        if let Some(phrase) = &query.actor {
            let actors = self.entities.actors_called(phrase);
            if !actors.is_empty() {
                query.actor = None;
                query.actors = actors;
            }
        }
        Ok(query)
    }

    fn admin1_called(&self, names: &FilterNames, name: &str) -> Option<String> {
        if let Some(unit) = names.admin1.get(&fold_str(name)) {
            return Some(unit.clone());
        }
        // A spelling the gazetteer knows for a governorate ("Rural Damascus", "Deir Ezzor"),
        // as typed or capitalised (the gazetteer reads Latin names only when capitalised).
        let name = name.trim();
        [name.to_string(), capitalised(name)].iter().find_map(|name| {
            let mentions = self.gazetteer.find(name, &NormText::new(name));
            mentions.iter().find_map(|m| {
                let place = self.gazetteer.place(m.place);
                let whole = m.phrase.start == 0 && m.phrase.end == name.len();
                (whole && place.kind == PlaceKind::Governorate).then(|| place.admin1.clone()).flatten()
            })
        })
    }
}

/// Each word with its first letter in capitals: "rural damascus" → "Rural Damascus".
fn capitalised(name: &str) -> String {
    let word = |w: &str| {
        let mut chars = w.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
    };
    name.split(' ').map(word).collect::<Vec<_>>().join(" ")
}

fn event_types(taxonomy: &Taxonomy) -> String {
    taxonomy.event_types.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ")
}
