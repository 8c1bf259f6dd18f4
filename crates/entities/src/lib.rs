//! Named entities of conflict reporting, read from dictionaries under `data/entities/`.
//!
//! [`Entities`] compiles seven analyst-edited tables into one clitic-aware automaton:
//! armed and state **actors** (canonical ACLED-style names, `inter` category, validity period),
//! **organizations**, news **outlets**, public-figure **persons**, **platforms** (X, Telegram …)
//! and **unnamed sources** (مصادر محلية, a security source). Role cues (العميد، المتحدث باسم،
//! المبعوث …) find persons the dictionary lacks, and a person's surname alone (وأشار التامر) is
//! linked back to the full name met earlier. [`Entities::find`] returns [`Mention`]s with source
//! spans; a span that names several things (وزارة الداخلية: an actor and an organization)
//! yields one mention for each.
//!
//! ```
//! use rasd_entities::{Entities, EntityKind};
//! use rasd_text::NormText;
//! let ents = Entities::load(&rasd_kb::DataDir::embedded()).unwrap();
//! let text = "وقال المتحدث باسم وزارة الداخلية نور الدين البابا لشبكة “ذا ناشونال” إن خلايا داعش تنشط.";
//! let date = chrono::NaiveDate::from_ymd_opt(2025, 10, 26).unwrap();
//! let found = ents.find(text, &NormText::new(text), date);
//! let names: Vec<(&str, EntityKind)> = found.iter().map(|m| (m.name.as_str(), m.kind)).collect();
//! assert!(names.contains(&("Nour al-Din al-Baba", EntityKind::Person)));
//! assert!(names.contains(&("The National", EntityKind::Outlet)));
//! assert!(names.contains(&("Islamic State", EntityKind::Actor)));
//! ```
#![deny(missing_docs)]

mod dictionary;
mod persons;

use chrono::NaiveDate;
use rasd_kb::{DataDir, KbError};
use rasd_text::{NormText, ScanPart, Span};

pub use dictionary::{Actor, Inter};

/// What a mention names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// An armed or state actor, a group of civilians, protesters, rioters.
    Actor,
    /// A ministry, agency, monitor, NGO, think tank.
    Organization,
    /// A news outlet or agency.
    Outlet,
    /// A public figure, or a person introduced by a role cue.
    Person,
    /// A social platform.
    Platform,
    /// An unnamed source (local sources, a security source, activists).
    Unnamed,
}

impl EntityKind {
    /// The contract's name for the kind (`person`, `organization`, `outlet` …).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Actor | EntityKind::Organization => "organization",
            EntityKind::Outlet => "outlet",
            EntityKind::Person => "person",
            EntityKind::Platform => "platform",
            EntityKind::Unnamed => "unnamed",
        }
    }
}

/// One mention of an entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// The words naming it, proclitics excluded.
    pub span: Span,
    /// What it is.
    pub kind: EntityKind,
    /// Canonical name (English), or the name as written for persons found by a role cue.
    pub name: String,
    /// The actor, for [`EntityKind::Actor`] mentions.
    pub actor: Option<Actor>,
    /// Role (persons: "Interior Ministry spokesman"; unnamed sources: their kind).
    pub role: Option<String>,
    /// The organization a person speaks for, when the text says.
    pub organization: Option<String>,
    /// Whether the mention only refers back to an entity named earlier (التنظيم, a surname).
    pub anaphoric: bool,
}

/// The compiled entity dictionaries.
#[derive(Debug)]
pub struct Entities {
    dictionary: dictionary::Dictionary,
    roles: persons::RoleCues,
}

impl Entities {
    /// Loads and compiles `data/entities/*.tsv`.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        Ok(Entities { dictionary: dictionary::Dictionary::load(dir)?, roles: persons::RoleCues::load(dir)? })
    }

    /// The lexicons this stage searches, for a shared [`rasd_text::Scanner`].
    pub fn lexicons(&self) -> Vec<ScanPart<'_>> {
        vec![self.dictionary.part(), self.roles.part()]
    }

    /// Finds the entities of `text` (`norm` is its folded copy), choosing period-dependent
    /// actor names valid on `date`. Mentions come in text order.
    pub fn find(&self, text: &str, norm: &NormText, date: NaiveDate) -> Vec<Mention> {
        let mut found = self.dictionary.find(norm, date);
        let cued = self.roles.find_persons(text, norm, &found);
        found.extend(cued);
        persons::link_surnames(text, norm, &mut found);
        found.sort_by(|a, b| {
            a.span.start.cmp(&b.span.start).then(b.span.end.cmp(&a.span.end)).then(a.kind.cmp(&b.kind))
        });
        // A role cue in front of a dictionary person repeats it: keep one, with every detail.
        found.dedup_by(|later, first| {
            let same = later.span == first.span && later.kind == first.kind && later.name == first.name;
            if same {
                first.role = first.role.take().or(later.role.take());
                first.organization = first.organization.take().or(later.organization.take());
            }
            same
        });
        found
    }

    /// The canonical names of the actors a whole phrase names, in any period: `داعش`, `Daesh`
    /// and `ISIS` all give `Islamic State`; `الجيش السوري` gives the army before and after
    /// December 2024. Empty when the phrase is no actor's name or alias.
    pub fn actors_called(&self, phrase: &str) -> Vec<String> {
        self.dictionary.actors_called(phrase)
    }

    /// The actor with this canonical name, valid on `date` when names are period-dependent.
    pub fn actor(&self, name: &str, date: NaiveDate) -> Option<Actor> {
        self.dictionary.actor_named(name, date)
    }
}
