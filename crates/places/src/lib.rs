//! An offline gazetteer for Syria, the Middle East and North Africa, and in-context geocoding
//! of Arabic and English place mentions.
//!
//! * [`Gazetteer`]: built once at start-up from the files under `data/places/` (GeoNames
//!   populated places of Syria, Iraq, Jordan, Lebanon and the Turkish border provinces, and the
//!   larger places of the rest of the Middle East and North Africa; OpenSyria governorates,
//!   districts and subdistricts; a curated supplement of countries, capitals, neighbourhoods,
//!   camps, bases, crossings, fields and regions). Every name and every cue word is compiled
//!   into one automaton.
//! * [`Gazetteer::find`] reads a text and returns [`PlaceMention`]s in text order: the name
//!   as written, the phrase around it (ريف إدلب الجنوبي، east of Idlib, قاعدة التنف
//!   العسكرية), the place it resolves to in the context of the whole text, a geo-precision
//!   and the candidates that were weighed. Ambiguous names resolve to the country the text is
//!   about ([`Gazetteer::article_countries`]).
//!
//! Conventions (precision, disambiguation order, sources) are written up in `docs/places.md`.
//!
//! ```
//! use rasd_kb::DataDir;
//! use rasd_places::{Gazetteer, Relation};
//! use rasd_text::NormText;
//!
//! let gaz = Gazetteer::load(&DataDir::embedded()).unwrap();
//! let text = "قصف مدفعي بريف ادلب الجنوبي. Clashes erupted east of Deir ez-Zor.";
//! let found = gaz.find(text, &NormText::new(text));
//! let idlib = &found[0];
//! assert_eq!(idlib.span.slice(text), "ادلب");
//! assert_eq!(idlib.phrase.slice(text), "ريف ادلب الجنوبي");
//! assert_eq!((idlib.relation, idlib.geo_precision), (Relation::Countryside, 3));
//! assert_eq!(gaz.place(idlib.place).admin1.as_deref(), Some("Idlib"));
//! let deir = &found[1];
//! assert_eq!(deir.phrase.slice(text), "east of Deir ez-Zor");
//! assert_eq!((gaz.place(deir.place).name.as_str(), deir.geo_precision), ("Deir ez-Zor", 2));
//! ```
#![deny(missing_docs)]

mod cues;
pub mod geo;
pub mod import;
mod load;
mod model;
mod names;
mod resolve;
mod sources;
mod translit;
pub mod user;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rasd_kb::{DataDir, KbError};
use rasd_text::{Lexicon, NormText, ScanPart};

pub use model::{Place, PlaceId, PlaceKind, PlaceMention, Relation};

/// The canonical admin1 names of Syria's governorates in the output contract.
pub const SYRIA_ADMIN1: [&str; 14] = [
    "Damascus",
    "Rif Dimashq",
    "Aleppo",
    "Idlib",
    "Hama",
    "Homs",
    "Latakia",
    "Tartus",
    "Deir ez-Zor",
    "Raqqa",
    "Al-Hasakah",
    "Daraa",
    "As-Suwayda",
    "Quneitra",
];

/// What a lexicon entry stands for.
#[derive(Clone, Copy, Debug)]
enum Entry {
    /// A name of a place.
    Place(PlaceId),
    /// A cue word (index into `Gazetteer::cues`).
    Cue(u16),
    /// A longer name that hides a place name inside it (an organisation).
    Phrase,
}

/// A Syrian governorate with the eight sides of its countryside.
#[derive(Clone, Debug)]
struct Province {
    place: PlaceId,
    sides: [Option<PlaceId>; 8],
}

/// The gazetteer: immutable, shareable across threads, built once at start-up.
pub struct Gazetteer {
    places: Vec<Place>,
    lexicon: Lexicon<Entry>,
    /// Spelling-tolerant keys of the Latin names, for spellings the lexicon does not list.
    latin: translit::LatinKeys,
    cues: Vec<cues::Cue>,
    glue: Vec<String>,
    cued_only: HashSet<String>,
    provinces: Vec<Province>,
    /// Capital cities and governorates → the province their countryside lies in.
    countryside: HashMap<PlaceId, usize>,
    /// ISO alpha-3 → capital city.
    capitals: BTreeMap<String, PlaceId>,
    /// The home country (`data/places/home.tsv`, ISO alpha-3).
    home_country: String,
    /// Its capital (Damascus): the capital when a text names no other country's.
    home_capital: PlaceId,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer").field("places", &self.places.len()).finish_non_exhaustive()
    }
}

impl Gazetteer {
    /// Reads `data/places/` and builds the gazetteer. Errors name the file and line.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        load::load(dir, None)
    }

    /// Like [`Gazetteer::load`], adding the places of the user gazetteer at `user` (see
    /// [`user::default_path`]): a missing file adds nothing; a malformed one is an error naming
    /// it. User places whose GeoNames id the built-in data already has are left out.
    pub fn load_with_user(dir: &DataDir, user: Option<&Path>) -> Result<Self, KbError> {
        load::load(dir, user)
    }

    /// The place with this id.
    ///
    /// # Panics
    /// If the id did not come from this gazetteer.
    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.0 as usize]
    }

    /// All places, indexed by [`PlaceId`].
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Every place mention in `text` (`norm` = `NormText::new(text)`), resolved in the context
    /// of the whole text, in text order. An ambiguous name goes to the country the text is
    /// about (see [`Gazetteer::article_countries`]), and «العاصمة» / "the capital" to that
    /// country's capital.
    pub fn find(&self, text: &str, norm: &NormText) -> Vec<PlaceMention> {
        resolve::find(self, text, norm, &[])
    }

    /// [`Gazetteer::find`], with country evidence from outside the text added to the text's
    /// own: `(ISO alpha-3, weight)` pairs such as [`Gazetteer::title_countries`] of the
    /// article's title. One mention of a place in the body weighs 1 (2 in the first paragraph).
    pub fn find_with_countries(&self, text: &str, norm: &NormText, countries: &[(String, f32)]) -> Vec<PlaceMention> {
        resolve::find(self, text, norm, countries)
    }

    /// The countries a text is about, heaviest first, as `(ISO alpha-3, weight)`: each mention
    /// found in it (by [`Gazetteer::find`]) adds 1 to the country of its place, 2 in the first
    /// paragraph (up to the first line break); «العاصمة» adds nothing. Weights are relative:
    /// divide by their sum for shares. Ties put the home country first, then go by code.
    pub fn article_countries(&self, text: &str, mentions: &[PlaceMention]) -> Vec<(String, f32)> {
        let lead = resolve::lead_end(text);
        let mut weights = Vec::new();
        for m in mentions {
            let w = if m.span.start < lead { 2.0 } else { 1.0 };
            resolve::add_weight(&mut weights, &self.place(m.place).iso3, w);
        }
        resolve::sort_weights(&mut weights, &self.home_country);
        weights
    }

    /// The countries a title names, weighted for [`Gazetteer::find_with_countries`]: each place
    /// mention of the title counts three times a mention in the body (`norm` = the title's
    /// `NormText`, from the pipeline's scanner).
    pub fn title_countries(&self, title: &str, norm: &NormText) -> Vec<(String, f32)> {
        let found = resolve::find(self, title, norm, &[]);
        let mut weights = Vec::new();
        for m in &found {
            resolve::add_weight(&mut weights, &self.place(m.place).iso3, resolve::TITLE_WEIGHT);
        }
        resolve::sort_weights(&mut weights, &self.home_country);
        weights
    }

    /// The home country (ISO alpha-3, `data/places/home.tsv`): the country a text is about when
    /// it names none, and whose generic state actors (الشرطة، the army) are another country's
    /// at events abroad.
    pub fn home_country(&self) -> &str {
        &self.home_country
    }

    /// The capital city of a country (ISO alpha-3), when the data names one.
    pub fn capital(&self, iso3: &str) -> Option<PlaceId> {
        self.capitals.get(iso3).copied()
    }

    /// The lexicons this stage searches, for a shared [`rasd_text::Scanner`].
    pub fn lexicons(&self) -> Vec<ScanPart<'_>> {
        vec![self.lexicon.part()]
    }
}
