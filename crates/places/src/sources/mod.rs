//! Reading the data files under `data/places/` into draft gazetteer entries.
//!
//! Each source yields [`Draft`]s: a [`Place`] plus the surface names it may be matched by.
//! Names are tagged with their [`Origin`] so that curated spellings can overrule noisy ones.

pub mod geonames;
pub mod governorates;
pub mod opensyria;
pub mod supplement;

use crate::model::Place;

/// Where a surface name comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// The curated supplement: always kept, and overrules the aliases of other sources.
    Curated,
    /// A primary name of GeoNames or OpenSyria.
    Primary,
    /// An alternate name or alias: dropped where a curated entry claims the same surface.
    Alias,
}

/// A place under construction, with its surface names.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The place.
    pub place: Place,
    /// Surface names and where each comes from.
    pub names: Vec<(String, Origin)>,
}

impl Draft {
    /// Adds a surface name (duplicates are harmless: the lexicon merges them).
    pub fn name(&mut self, surface: &str, origin: Origin) {
        let surface = surface.trim();
        if !surface.is_empty() {
            self.names.push((surface.to_string(), origin));
        }
    }
}
