//! The entity dictionaries (`data/entities/*.tsv`) compiled into one automaton.

use std::collections::HashMap;

use chrono::NaiveDate;
use rasd_kb::{DataDir, KbError, Row, Tsv};
use rasd_text::{fold::fold_str, Lexicon, LexiconBuilder, NormText, ScanPart};

use crate::{EntityKind, Mention};

/// ACLED's actor categories (`inter`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Inter {
    /// State forces.
    StateForces,
    /// Rebel group.
    RebelGroup,
    /// Political militia.
    PoliticalMilitia,
    /// Identity militia.
    IdentityMilitia,
    /// Rioters.
    Rioters,
    /// Protesters.
    Protesters,
    /// Civilians.
    Civilians,
    /// External/Other forces.
    External,
}

const INTERS: [(&str, Inter); 8] = [
    ("State forces", Inter::StateForces),
    ("Rebel group", Inter::RebelGroup),
    ("Political militia", Inter::PoliticalMilitia),
    ("Identity militia", Inter::IdentityMilitia),
    ("Rioters", Inter::Rioters),
    ("Protesters", Inter::Protesters),
    ("Civilians", Inter::Civilians),
    ("External/Other forces", Inter::External),
];

impl Inter {
    /// ACLED's exact string.
    pub fn as_str(self) -> &'static str {
        INTERS.iter().find(|(_, i)| *i == self).map_or("", |(s, _)| s)
    }

    fn parse(s: &str) -> Option<Inter> {
        INTERS.iter().find(|(name, _)| *name == s).map(|(_, i)| *i)
    }
}

/// An actor of the dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// Canonical ACLED-style name.
    pub name: String,
    /// ACLED category.
    pub inter: Inter,
    /// ISO3 of the actor's state, when it has one.
    pub country: Option<String>,
}

#[derive(Debug)]
struct ActorRow {
    actor: Actor,
    valid_from: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
}

impl ActorRow {
    /// Days between `date` and the row's validity period (0 inside it).
    fn distance(&self, date: NaiveDate) -> i64 {
        let before = self.valid_from.map_or(0, |f| (f - date).num_days().max(0));
        let after = self.valid_until.map_or(0, |u| (date - u).num_days().max(0));
        before + after
    }

    fn overlaps(&self, other: &ActorRow) -> bool {
        let starts_before_other_ends = match (self.valid_from, other.valid_until) {
            (Some(f), Some(u)) => f < u,
            _ => true,
        };
        let other_starts_before_self_ends = match (other.valid_from, self.valid_until) {
            (Some(f), Some(u)) => f < u,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_self_ends
    }
}

/// A non-actor entry: organization, outlet, person, platform or unnamed source.
#[derive(Debug)]
struct Named {
    kind: EntityKind,
    name: String,
    role: Option<String>,
    organization: Option<String>,
}

#[derive(Clone, Copy, Debug)]
enum Entry {
    Actor { row: u32, anaphoric: bool },
    Named { index: u32, anaphoric: bool },
}

/// All entity tables, compiled.
#[derive(Debug)]
pub(crate) struct Dictionary {
    lexicon: Lexicon<Entry>,
    actors: Vec<ActorRow>,
    named: Vec<Named>,
}

/// Which columns hold the canonical name and the aliases of a table.
#[derive(Clone, Copy)]
struct Columns {
    name: &'static str,
    aliases: &'static str,
}

struct Loader {
    builder: LexiconBuilder<Entry>,
    actors: Vec<ActorRow>,
    named: Vec<Named>,
}

impl Dictionary {
    pub(crate) fn load(dir: &DataDir) -> Result<Self, KbError> {
        let mut loader = Loader { builder: Lexicon::builder(), actors: Vec::new(), named: Vec::new() };
        loader.actors(dir)?;
        let names = Columns { name: "name", aliases: "aliases" };
        loader.named(dir, "entities/organizations.tsv", EntityKind::Organization, names, |_| (None, None))?;
        loader.named(dir, "entities/outlets.tsv", EntityKind::Outlet, names, |_| (None, None))?;
        loader.named(dir, "entities/persons.tsv", EntityKind::Person, names, |row| {
            (Some(row.get("role")), Some(row.get("organization")))
        })?;
        loader.named(dir, "entities/platforms.tsv", EntityKind::Platform, names, |_| (None, None))?;
        let unnamed = Columns { name: "name_en", aliases: "phrase" };
        loader.named(dir, "entities/unnamed_sources.tsv", EntityKind::Unnamed, unnamed, |_| (None, None))?;
        Ok(Dictionary { lexicon: loader.builder.build(), actors: loader.actors, named: loader.named })
    }

    /// The lexicon, for a shared scanner.
    pub(crate) fn part(&self) -> ScanPart<'_> {
        self.lexicon.part()
    }

    pub(crate) fn find(&self, norm: &NormText, date: NaiveDate) -> Vec<Mention> {
        let mut out = Vec::new();
        // Rows named in full so far: a `~` alias (المرصد after المرصد السوري لحقوق الإنسان) refers
        // back to one of them and names nothing on its own.
        let mut named_actors: Vec<u32> = Vec::new();
        let mut named_entries: Vec<u32> = Vec::new();
        for m in self.lexicon.find(norm) {
            let entries: Vec<Entry> = m.values.iter().map(|&v| *self.lexicon.value(v)).collect();
            let actor_rows: Vec<(u32, bool)> = entries
                .iter()
                .filter_map(|e| match e {
                    Entry::Actor { row, anaphoric } => Some((*row, *anaphoric)),
                    Entry::Named { .. } => None,
                })
                .collect();
            if let Some(&(row, anaphoric)) =
                actor_rows.iter().min_by_key(|(row, _)| (self.actors[*row as usize].distance(date), *row))
            {
                let actor = &self.actors[row as usize].actor;
                let canonical_row = self.actor_row_named(&actor.name);
                if !anaphoric {
                    named_actors.push(canonical_row);
                }
                if !anaphoric || named_actors.contains(&canonical_row) {
                    out.push(Mention {
                        span: m.span,
                        kind: EntityKind::Actor,
                        name: actor.name.clone(),
                        actor: Some(actor.clone()),
                        role: None,
                        organization: None,
                        anaphoric,
                    });
                }
            }
            for e in entries {
                let Entry::Named { index, anaphoric } = e else { continue };
                if !anaphoric {
                    named_entries.push(index);
                } else if !named_entries.contains(&index) {
                    continue;
                }
                let n = &self.named[index as usize];
                out.push(Mention {
                    span: m.span,
                    kind: n.kind,
                    name: n.name.clone(),
                    actor: None,
                    role: n.role.clone(),
                    organization: n.organization.clone(),
                    anaphoric,
                });
            }
        }
        out
    }

    /// The first row with this actor's name (anaphora is tracked per name, not per period).
    fn actor_row_named(&self, name: &str) -> u32 {
        self.actors.iter().position(|r| r.actor.name == name).unwrap_or(0) as u32
    }

    /// The canonical names of the actors `phrase` names as a whole (an alias or a canonical
    /// name, in any period), in table order.
    pub(crate) fn actors_called(&self, phrase: &str) -> Vec<String> {
        let phrase = phrase.trim();
        let norm = NormText::new(phrase);
        let mut names: Vec<String> = Vec::new();
        for m in self.lexicon.find(&norm) {
            if m.word.start != 0 || m.word.end != phrase.len() {
                continue;
            }
            for value in &m.values {
                if let Entry::Actor { row, .. } = self.lexicon.value(*value) {
                    let name = &self.actors[*row as usize].actor.name;
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
            }
        }
        names
    }

    pub(crate) fn actor_named(&self, name: &str, date: NaiveDate) -> Option<Actor> {
        self.actors.iter().filter(|r| r.actor.name == name).min_by_key(|r| r.distance(date)).map(|r| r.actor.clone())
    }
}

impl Loader {
    fn actors(&mut self, dir: &DataDir) -> Result<(), KbError> {
        const FILE: &str = "entities/actors.tsv";
        let text = dir.read(FILE)?;
        let table = Tsv::parse(FILE, &text, &["name", "inter", "aliases"])?;
        let mut seen: HashMap<String, Vec<u32>> = HashMap::new();
        for row in table.rows() {
            let inter = row.require("inter")?;
            let inter = Inter::parse(inter).ok_or_else(|| {
                row.error(format!("unknown inter {inter:?}: expected one of {}", INTERS.map(|(s, _)| s).join(", ")))
            })?;
            let actor_row = ActorRow {
                actor: Actor {
                    name: row.require("name")?.to_string(),
                    inter,
                    country: Some(row.get("country")).filter(|c| !c.is_empty()).map(str::to_string),
                },
                valid_from: optional_date(&row, "valid_from")?,
                valid_until: optional_date(&row, "valid_until")?,
            };
            let index = self.actors.len() as u32;
            let mut ids: [Option<u32>; 2] = [None, None];
            let name = actor_row.actor.name.clone();
            for alias in row.list("aliases").chain(std::iter::once(name.as_str())) {
                let (alias, anaphoric) = match alias.strip_prefix('~') {
                    Some(a) => (a, true),
                    None => (alias, false),
                };
                let key = fold_str(alias);
                let clash = seen.get(&key).and_then(|rows| {
                    rows.iter().find(|&&r| r != index && actor_row.overlaps(&self.actors[r as usize]))
                });
                if let Some(&other) = clash {
                    let other = &self.actors[other as usize].actor.name;
                    if *other != actor_row.actor.name {
                        return Err(row
                            .error(format!("alias {alias:?} is also an alias of {other:?} in an overlapping period")));
                    }
                }
                seen.entry(key).or_default().push(index);
                let slot = &mut ids[usize::from(anaphoric)];
                match *slot {
                    Some(id) => {
                        self.builder.add_alias(alias, id);
                    }
                    None => *slot = self.builder.add(alias, Entry::Actor { row: index, anaphoric }),
                }
            }
            self.actors.push(actor_row);
        }
        Ok(())
    }

    fn named(
        &mut self,
        dir: &DataDir,
        file: &str,
        kind: EntityKind,
        columns: Columns,
        extra: impl for<'r> Fn(&Row<'_, 'r>) -> (Option<&'r str>, Option<&'r str>),
    ) -> Result<(), KbError> {
        let text = dir.read(file)?;
        let table = Tsv::parse(file, &text, &[columns.name, columns.aliases])?;
        let mut seen: HashMap<String, String> = HashMap::new();
        for row in table.rows() {
            let name = row.require(columns.name)?;
            let index = self.named.len() as u32;
            let (role, organization) = extra(&row);
            let mut ids: [Option<u32>; 2] = [None, None];
            for alias in row.list(columns.aliases).chain(std::iter::once(name)) {
                let (alias, anaphoric) = match alias.strip_prefix('~') {
                    Some(a) => (a, true),
                    None => (alias, false),
                };
                let key = fold_str(alias);
                if let Some(other) = seen.get(&key).filter(|o| o.as_str() != name) {
                    return Err(row.error(format!("alias {alias:?} is also an alias of {other:?}")));
                }
                seen.insert(key, name.to_string());
                let slot = &mut ids[usize::from(anaphoric)];
                match *slot {
                    Some(id) => {
                        self.builder.add_alias(alias, id);
                    }
                    None => *slot = self.builder.add(alias, Entry::Named { index, anaphoric }),
                }
            }
            let text_or_none = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_string);
            self.named.push(Named {
                kind,
                name: name.to_string(),
                role: text_or_none(role),
                organization: text_or_none(organization),
            });
        }
        Ok(())
    }
}

fn optional_date(row: &Row, column: &str) -> Result<Option<NaiveDate>, KbError> {
    let v = row.get(column);
    if v.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| row.error(format!("column `{column}`: {v:?} is not an ISO date (YYYY-MM-DD)")))
}
