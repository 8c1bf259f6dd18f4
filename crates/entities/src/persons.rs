//! Persons the dictionary lacks, found after role cues (العميد، المتحدث باسم، the envoy …), and
//! surnames that refer back to a person named earlier.

use std::collections::{HashMap, HashSet};

use rasd_kb::{DataDir, KbError, Tsv};
use rasd_text::proclitics::PROCLITICS;
use rasd_text::{fold::fold_str, Lexicon, NormSpan, NormText, ScanPart, Span, SpanIndex};

use crate::{EntityKind, Mention};

const ROLES_FILE: &str = "entities/roles.tsv";
const STOPS_FILE: &str = "entities/name_stops.txt";
/// The longest name read after a role cue, in words.
const MAX_NAME_WORDS: usize = 3;
/// How many words of organization, adjective or rank may stand between a cue and the name.
const MAX_GAP_WORDS: usize = 8;

#[derive(Debug)]
struct Role {
    role: String,
}

/// Role cues and the words that end a name.
#[derive(Debug)]
pub(crate) struct RoleCues {
    cues: Lexicon<Role>,
    /// The one-word cues, folded.
    cue_words: HashSet<String>,
    stops: HashSet<String>,
}

impl RoleCues {
    pub(crate) fn load(dir: &DataDir) -> Result<Self, KbError> {
        let text = dir.read(ROLES_FILE)?;
        let table = Tsv::parse(ROLES_FILE, &text, &["cue", "role_en"])?;
        let mut cues = Lexicon::builder();
        let mut cue_words = HashSet::new();
        for row in table.rows() {
            let cue = row.require("cue")?;
            cues.add(cue, Role { role: row.require("role_en")?.to_string() });
            let folded = fold_str(cue);
            if !folded.contains(' ') {
                cue_words.insert(folded);
            }
        }
        let stops = dir.read(STOPS_FILE)?;
        let stops = stops.lines().filter(|l| !l.starts_with('#')).map(fold_str).filter(|w| !w.is_empty()).collect();
        Ok(RoleCues { cues: cues.build(), cue_words, stops })
    }

    /// Persons introduced by a role cue. Dictionary persons the cue introduces get the cue's
    /// role and organization when they have none.
    /// The role cues, for a shared scanner.
    pub(crate) fn part(&self) -> ScanPart<'_> {
        self.cues.part()
    }

    pub(crate) fn find_persons(&self, text: &str, norm: &NormText, found: &[Mention]) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::new();
        let cues = self.cues.find(norm);
        if cues.is_empty() {
            return out;
        }
        let mut known: Vec<(NormSpan, &Mention)> = found.iter().map(|m| (norm.from_source_span(m.span), m)).collect();
        known.sort_by_key(|(ks, _)| ks.start);
        let persons = SpanIndex::new(found.iter().filter(|m| m.kind == EntityKind::Person).map(|m| (m.span, m)));
        // Each surname with the persons named in full who bear it, in text order.
        let mut by_surname: HashMap<String, Vec<&Mention>> = HashMap::new();
        for m in found.iter().filter(|m| m.kind == EntityKind::Person) {
            if let Some(last) = fold_str(m.span.slice(text)).rsplit(' ').next() {
                by_surname.entry(last.to_string()).or_default().push(m);
            }
        }
        for cue in cues {
            let role = &self.cues.value(cue.values[0]).role;
            let mut organization: Option<&Mention> = None;
            let mut words = norm.words_from(cue.norm.end).peekable();
            let mut gap = 0;
            let mut name: Vec<NormSpan> = Vec::new();
            while let Some(w) = words.next() {
                let at = known.partition_point(|(ks, _)| ks.start <= w.start);
                let holding = known[..at].iter().rev().take(KNOWN_OVERLAP).find(|(ks, _)| w.start < ks.end);
                if let Some((ks, k)) = holding {
                    if k.kind == EntityKind::Person {
                        if name.is_empty() {
                            // A dictionary person: nothing to add but the role (see below).
                            name.push(*ks);
                        }
                        break;
                    }
                    if !name.is_empty() {
                        break;
                    }
                    organization.get_or_insert(k);
                    while words.peek().is_some_and(|n| n.start < ks.end) {
                        words.next();
                    }
                    continue;
                }
                let word = norm.slice(w);
                let between = &norm.as_str()[name.last().map_or(w.start, |l| l.end)..w.start];
                if self.stops.contains(word) || (!name.is_empty() && between != " ") {
                    break;
                }
                if name.is_empty() && (is_adjective(word) || self.is_cue_word(word)) {
                    gap += 1;
                    if gap > MAX_GAP_WORDS {
                        break;
                    }
                    continue;
                }
                let source = norm.to_source(w).slice(text);
                if source.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
                    break;
                }
                name.push(w);
                if name.len() == MAX_NAME_WORDS {
                    break;
                }
            }
            let (Some(first), Some(last)) = (name.first(), name.last()) else { continue };
            let span = norm.to_source(NormSpan { start: first.start, end: last.end });
            let role_text = match organization {
                Some(org) => format!("{role} {}", org.name),
                None => role.clone(),
            };
            if out.iter().rev().take(KNOWN_OVERLAP).any(|m| m.span.overlaps(span)) {
                continue;
            }
            let written = fold_str(span.slice(text));
            let existing = persons.overlapping(span).map(|(_, m)| *m).min_by_key(|m| m.span.start).or_else(|| {
                // A surname alone after a title (العميد التامر) is the person named in full before.
                by_surname.get(&written).and_then(|named| named.iter().find(|m| m.span.end <= span.start).copied())
            });
            let overlapping = existing.filter(|m| m.span.overlaps(span));
            out.push(Mention {
                span: overlapping.map_or(span, |m| m.span),
                kind: EntityKind::Person,
                name: existing.map_or_else(|| span.slice(text).to_string(), |m| m.name.clone()),
                actor: None,
                role: existing.and_then(|m| m.role.clone()).or(Some(role_text)),
                organization: existing.and_then(|m| m.organization.clone()).or(organization.map(|o| o.name.clone())),
                anaphoric: false,
            });
        }
        out
    }
}

/// How many earlier matches may overlap a position: names found in a text barely nest.
const KNOWN_OVERLAP: usize = 4;

impl RoleCues {
    /// Whether a single folded word is itself a role cue (a rank after a title: قائد … العميد).
    fn is_cue_word(&self, word: &str) -> bool {
        self.cue_words.contains(word)
    }
}

/// A nisba adjective (السورية، الأمريكي، البريطانية) standing between a title and a name.
fn is_adjective(word: &str) -> bool {
    word.starts_with("ال") && (word.ends_with('ي') || word.ends_with("يه"))
}

/// Adds a mention for each later use of a named person's surname alone (وأشار التامر).
pub(crate) fn link_surnames(text: &str, norm: &NormText, found: &mut Vec<Mention>) {
    // Each surname once, with the first person who bears it.
    let mut surnames: HashMap<String, (usize, &Mention)> = HashMap::new();
    for m in found.iter().filter(|m| m.kind == EntityKind::Person && !m.anaphoric) {
        let written = m.span.slice(text);
        if written.split_whitespace().count() < 2 {
            continue;
        }
        let Some(last) = written.split_whitespace().last().map(fold_str) else { continue };
        if last.chars().count() >= 3 {
            surnames.entry(last).or_insert((m.span.end, m));
        }
    }
    if surnames.is_empty() {
        return;
    }
    let taken = SpanIndex::new(found.iter().map(|m| (m.span, ())));
    // The last two bytes of each surname: most words end otherwise and are never looked up.
    let endings: Vec<&[u8]> = surnames.keys().map(|s| &s.as_bytes()[s.len().saturating_sub(2)..]).collect();
    let mut added = Vec::new();
    for w in norm.words() {
        let word = norm.slice(w);
        if !endings.iter().any(|e| word.as_bytes().ends_with(e)) {
            continue;
        }
        for prefix in PROCLITICS {
            let Some((after, person)) = word.strip_prefix(prefix).and_then(|rest| surnames.get(rest)) else {
                continue;
            };
            let span: Span = norm.to_source(NormSpan { start: w.start + prefix.len(), end: w.end });
            if span.start < *after || taken.overlapping(span).next().is_some() {
                continue;
            }
            added.push(Mention { span, anaphoric: true, ..(*person).clone() });
        }
    }
    found.extend(added);
}
