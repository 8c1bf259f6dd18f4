//! [`Lexicon`]: dictionary entries compiled into one Aho-Corasick automaton, matched on a
//! [`NormText`] with Arabic proclitics accepted in front of an entry.
//!
//! Entry syntax (as written in the `data/` files):
//!
//! * `دير الزور` — the folded form must appear as whole words, optionally preceded by
//!   proclitics: `و ف ب ل` and their pairs (`وب`, `ول`, `فب` …). An entry that starts with
//!   `ال` also matches after `ل`/`لل` (`للشبكة` for `الشبكة`).
//! * `اعتقل*` — a trailing `*` lets the word continue (`اعتقلت`, `اعتقلوا`). Inside a
//!   multi-word entry (`ضبط* شحنة`) a `*` stands for the common endings (ت، وا، ا، ن، ه، ها …).
//! * Latin entries (`Idlib`, `air strike`) match whole words, case-insensitively, with no prefix.
//!
//! With [`LexiconBuilder::allow_article`], the article `ال` (and `لل`) is also accepted in front
//! of entries that do not start with it (`غارة` matches `والغارة`): for common nouns, not names.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::fold::{fold_str, is_word_char};
use crate::norm::NormText;
use crate::span::{NormSpan, Span};

/// Proclitic chains accepted in front of an entry. The comparative ك (كـ "like") is left out:
/// it rarely precedes a name or trigger and too often begins an ordinary word (كبيرين).
const PROCLITICS: [&str; 9] = ["", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"];
const LAM_PREFIXES: [&str; 3] = ["ل", "ول", "فل"];
/// The largest lexicon compiled to a DFA.
const DFA_MAX_PATTERNS: usize = 4000;
/// What an inner `*` (`ضبط* شحنة`) expands to: the bare word and its common verb and noun
/// endings.
const INNER_SUFFIXES: [&str; 11] = ["", "ت", "وا", "ا", "ن", "تا", "ه", "ها", "هم", "ون", "ين"];

#[derive(Clone, Copy, Debug)]
struct Alternative {
    value: u32,
    open_end: bool,
    /// The `ل`-variant of an entry starting with `ال`: must follow a lam.
    after_lam: bool,
}

/// The letters between the start of the word holding `start` and `start`, when they are few
/// enough to be proclitics (at most four letters: وبال); `None` when the word began further back.
fn proclitic_room(s: &str, start: usize) -> Option<&str> {
    const MAX_PROCLITIC_CHARS: usize = 4;
    let mut from = start;
    for (n, (i, c)) in s[..start].char_indices().rev().enumerate() {
        if !is_word_char(c) {
            break;
        }
        if n == MAX_PROCLITIC_CHARS {
            return None;
        }
        from = i;
    }
    Some(&s[from..start])
}

/// Collects entries for a [`Lexicon`].
#[derive(Debug)]
pub struct LexiconBuilder<T> {
    index: HashMap<String, usize>,
    patterns: Vec<(String, Vec<Alternative>)>,
    values: Vec<T>,
    allow_article: bool,
}

impl<T> Default for LexiconBuilder<T> {
    fn default() -> Self {
        LexiconBuilder { index: HashMap::new(), patterns: Vec::new(), values: Vec::new(), allow_article: false }
    }
}

impl<T> LexiconBuilder<T> {
    /// Accepts the article `ال` in front of entries that lack it (for common nouns), and on
    /// every word of a multi-word entry (`غارة جوية` → `الغارة الجوية`). Call before adding.
    pub fn allow_article(mut self, yes: bool) -> Self {
        self.allow_article = yes;
        self
    }

    /// Adds one entry (chainable form of [`LexiconBuilder::add`]).
    pub fn entry(mut self, surface: &str, value: T) -> Self {
        self.add(surface, value);
        self
    }

    /// Adds a value and one surface form for it; returns the value's index, or `None` when the
    /// surface folds to nothing (the value is then not kept).
    pub fn add(&mut self, surface: &str, value: T) -> Option<u32> {
        let id = self.values.len() as u32;
        if !self.add_alias(surface, id) {
            return None;
        }
        self.values.push(value);
        Some(id)
    }

    /// Adds another surface form for a value already added. Returns `false` when the surface
    /// folds to nothing.
    pub fn add_alias(&mut self, surface: &str, value: u32) -> bool {
        let surface = surface.trim();
        let (surface, open_end) = match surface.strip_suffix('*') {
            Some(s) => (s, true),
            None => (surface, false),
        };
        let folded = fold_str(surface);
        if folded.is_empty() {
            return false;
        }
        if let Some((head, tail)) = folded.split_once("* ") {
            // An inner `*` stands for the common suffixes of the word it ends.
            let rest = if open_end { format!("{tail}*") } else { tail.to_string() };
            for suffix in INNER_SUFFIXES {
                self.add_alias(&format!("{head}{suffix} {rest}"), value);
            }
            return true;
        }
        if let Some(rest) = folded.strip_prefix("ال") {
            if !rest.is_empty() {
                self.push(format!("ل{rest}"), Alternative { value, open_end, after_lam: true });
            }
        }
        if self.allow_article && folded.contains(' ') && !folded.split(' ').any(|w| w.starts_with("ال")) {
            let definite: Vec<String> = folded.split(' ').map(|w| format!("ال{w}")).collect();
            self.push(definite.join(" "), Alternative { value, open_end, after_lam: false });
        }
        self.push(folded, Alternative { value, open_end, after_lam: false });
        true
    }

    fn push(&mut self, pattern: String, alt: Alternative) {
        let next = self.patterns.len();
        let slot = *self.index.entry(pattern.clone()).or_insert(next);
        if slot == next {
            self.patterns.push((pattern, Vec::new()));
        }
        let alts = &mut self.patterns[slot].1;
        if !alts.iter().any(|a| a.value == alt.value && a.open_end == alt.open_end && a.after_lam == alt.after_lam) {
            alts.push(alt);
        }
    }

    /// Number of values added so far.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no value was added.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Compiles the automaton.
    pub fn build(self) -> Lexicon<T> {
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            // A DFA searches fastest; past a few thousand patterns its memory and build time
            // outweigh that, and the automaton picks its own kind.
            .kind((self.patterns.len() <= DFA_MAX_PATTERNS).then_some(AhoCorasickKind::DFA))
            .build(self.patterns.iter().map(|(p, _)| p.as_str()))
            .expect("lexicon patterns are plain strings and always compile");
        let (patterns, alternatives): (Vec<String>, Vec<Vec<Alternative>>) = self.patterns.into_iter().unzip();
        let latin = patterns.iter().map(|p| p.starts_with(|c: char| c.is_ascii_alphanumeric())).collect();
        Lexicon { ac, alternatives, latin, values: self.values, allow_article: self.allow_article }
    }
}

/// A compiled dictionary: immutable, shareable across threads.
#[derive(Debug)]
pub struct Lexicon<T> {
    ac: AhoCorasick,
    alternatives: Vec<Vec<Alternative>>,
    latin: Vec<bool>,
    values: Vec<T>,
    allow_article: bool,
}

/// One match of a [`Lexicon`] in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexMatch {
    /// Where the entry stands in the source text (proclitics excluded).
    pub span: Span,
    /// Where the entry stands in the folded copy.
    pub norm: NormSpan,
    /// Where the whole word(s) stand in the source, proclitics included.
    pub word: Span,
    /// The values whose entries matched here (several when a name is ambiguous).
    pub values: Vec<u32>,
}

impl Lexicon<()> {
    /// Starts a lexicon.
    pub fn builder<V>() -> LexiconBuilder<V> {
        LexiconBuilder::default()
    }
}

impl<T> Lexicon<T> {
    /// The value with this index.
    pub fn value(&self, id: u32) -> &T {
        &self.values[id as usize]
    }

    /// All values, by index.
    pub fn values(&self) -> &[T] {
        &self.values
    }

    /// Finds entries in `text`: the longest valid matches, non-overlapping, in text order.
    pub fn find(&self, text: &NormText) -> Vec<LexMatch> {
        let s = text.as_str();
        let mut found: Vec<(NormSpan, usize, Vec<u32>)> = Vec::new();
        for m in self.ac.find_overlapping_iter(s) {
            let pid = m.pattern().as_usize();
            let (start, end) = (m.start(), m.end());
            // Most raw matches start inside a longer word: reject them before any other work.
            let Some(prefix) = proclitic_room(s, start) else { continue };
            let word_start = start - prefix.len();
            let ends_word = s[end..].chars().next().is_none_or(|c| !is_word_char(c));
            let starts_name = s[start..].starts_with("ال");
            let mut values = Vec::new();
            let mut open = false;
            for alt in &self.alternatives[pid] {
                if !(alt.open_end || ends_word) {
                    continue;
                }
                let prefix_ok = if self.latin[pid] {
                    prefix.is_empty()
                } else if alt.after_lam {
                    LAM_PREFIXES.contains(&prefix)
                } else {
                    self.prefix_ok(prefix, starts_name)
                };
                if prefix_ok && !values.contains(&alt.value) {
                    values.push(alt.value);
                    open |= alt.open_end && !ends_word;
                }
            }
            if !values.is_empty() {
                let end = if open { text.word_end(end) } else { end };
                found.push((NormSpan { start, end }, word_start, values));
            }
        }
        found.sort_by(|a, b| (b.0.end - b.0.start).cmp(&(a.0.end - a.0.start)).then(a.0.start.cmp(&b.0.start)));
        // Longest first, never overlapping: `taken` stays sorted by start for a binary search.
        let mut taken: Vec<(NormSpan, usize, Vec<u32>)> = Vec::with_capacity(found.len());
        for f in found {
            let at = taken.partition_point(|t| t.0.start < f.0.start);
            let clear_before = at == 0 || taken[at - 1].0.end <= f.0.start;
            let clear_after = taken.get(at).is_none_or(|t| f.0.end <= t.0.start);
            if clear_before && clear_after {
                taken.insert(at, f);
            }
        }
        taken
            .into_iter()
            .map(|(norm, word_start, values)| {
                let word_end = text.word_end(norm.end);
                LexMatch {
                    span: text.to_source(norm),
                    norm,
                    word: text.to_source(NormSpan { start: word_start, end: word_end.max(norm.end) }),
                    values,
                }
            })
            .collect()
    }

    fn prefix_ok(&self, prefix: &str, entry_has_article: bool) -> bool {
        if PROCLITICS.contains(&prefix) {
            return true;
        }
        if !self.allow_article || entry_has_article {
            return false;
        }
        if let Some(p) = prefix.strip_suffix("ال") {
            return PROCLITICS.contains(&p);
        }
        matches!(prefix, "لل" | "ولل" | "فلل")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found<T>(lex: &Lexicon<T>, src: &str) -> Vec<String> {
        lex.find(&NormText::new(src)).iter().map(|m| m.span.slice(src).to_string()).collect()
    }

    #[test]
    fn accepts_proclitics_and_spelling_variants() {
        let lex = Lexicon::builder().entry("إدلب", 1).entry("دير الزور", 2).entry("الرقة", 3).build();
        assert_eq!(found(&lex, "في ادلب وبإدلب ولدير الزور والرقه"), ["ادلب", "إدلب", "دير الزور", "الرقه"]);
    }

    #[test]
    fn rejects_matches_inside_words() {
        let lex = Lexicon::builder().entry("حمص", 1).entry("Homs", 2).build();
        assert!(found(&lex, "الحمصي و Homsville").is_empty());
        assert_eq!(found(&lex, "Homs, وحمص"), ["Homs", "حمص"]);
    }

    #[test]
    fn lam_absorbs_the_article() {
        let lex = Lexicon::builder().entry("الشبكة", 1).build();
        assert_eq!(found(&lex, "في حديثه للشبكة ذاتها"), ["لشبكة"]);
        assert!(found(&lex, "لشبكة").is_empty());
    }

    #[test]
    fn open_entries_take_suffixes_and_article_is_optional() {
        let lex = Lexicon::builder().allow_article(true).entry("اعتقل*", 1).entry("غارة جوية", 2).build();
        assert_eq!(found(&lex, "اعتقلت القوات واعتقلوا، والغارة الجوية"), ["اعتقلت", "اعتقلوا", "الغارة الجوية"]);
        assert!(found(&lex, "المعتقلين").is_empty());
    }

    #[test]
    fn inner_star_takes_common_endings() {
        let lex = Lexicon::builder().entry("ضبط* شحنة أسلحة", 1).entry("أعلن* مسؤولي*", 2).build();
        assert_eq!(found(&lex, "ضبطت شحنة أسلحة، وأعلنوا مسؤوليتهم"), ["ضبطت شحنة أسلحة", "أعلنوا مسؤوليتهم"]);
        assert!(found(&lex, "ضبطناهم شحنة أسلحة").is_empty());
    }

    #[test]
    fn longest_match_wins_and_ambiguity_is_kept() {
        let lex =
            Lexicon::builder().entry("ريف دمشق", 1).entry("دمشق", 2).entry("الطيبة", 3).entry("الطيبه", 4).build();
        let norm = NormText::new("بريف دمشق وفي الطيبة");
        let m = lex.find(&norm);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].values, [0]);
        assert_eq!(m[1].values, [2, 3]);
    }
}
