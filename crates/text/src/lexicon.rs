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
//! * `طالب* ب` — a last word that is a lone proclitic (ب، ل) is read joined to the next word
//!   (`طالبوا بوقف`), as it is written.
//! * Latin entries (`Idlib`, `air strike`) match whole words, case-insensitively, with no prefix.
//!
//! With [`LexiconBuilder::allow_article`], the article `ال` (and `لل`) is also accepted in front
//! of entries that do not start with it (`غارة` matches `والغارة`): for common nouns, not names.
//!
//! Entries are searched only where one may begin (word starts, and the ends of proclitic
//! chains at word starts), with anchored searches. A [`crate::Scanner`] compiles several
//! lexicons into one automaton so that a text is searched once for all of them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa, nfa, Anchored, MatchKind, StartKind};

use crate::fold::{fold_str, is_word_char};
use crate::norm::NormText;
use crate::proclitics::{PROCLITICS, PROCLITIC_CHAINS};
use crate::scanner::ScanPart;
use crate::span::{NormSpan, Span};

/// The chains of [`PROCLITICS`] that end in the preposition ل: after them an entry starting
/// with ال has lost its alef (للشبكة for الشبكة).
const LAM_PREFIXES: [&str; 3] = ["ل", "ول", "فل"];
/// [`PROCLITIC_CHAINS`] as (byte length, bytes packed big-endian into a `u64`).
static ENTRY_PREFIX_KEYS: [(usize, u64); PROCLITIC_CHAINS.len()] = {
    let mut keys = [(0, 0); PROCLITIC_CHAINS.len()];
    let mut i = 0;
    while i < keys.len() {
        let bytes = PROCLITIC_CHAINS[i].as_bytes();
        assert!(bytes.len() <= 8);
        keys[i] = (bytes.len(), pack(bytes));
        i += 1;
    }
    keys
};

/// The first eight bytes of `bytes` (zero-padded) as a big-endian `u64`.
const fn pack(bytes: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < 8 {
        key <<= 8;
        if i < bytes.len() {
            key |= bytes[i] as u64;
        }
        i += 1;
    }
    key
}

/// The largest lexicon compiled to a DFA.
const DFA_MAX_PATTERNS: usize = 4000;
/// What an inner `*` (`ضبط* شحنة`) expands to: the bare word and its common verb and noun
/// endings.
const INNER_SUFFIXES: [&str; 11] = ["", "ت", "وا", "ا", "ن", "تا", "ه", "ها", "هم", "ون", "ين"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Alternative {
    value: u32,
    open_end: bool,
    /// The `ل`-variant of an entry starting with `ال`: must follow a lam.
    after_lam: bool,
    /// The entry ends in a lone proclitic (طالب ب): it may end inside the next word.
    joins_next: bool,
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

/// Adds to `out` every folded byte offset in `word` (which starts at `at`) where a dictionary
/// entry may begin, in order: the word's start and the end of each proclitic chain that the
/// word starts with.
pub(crate) fn entry_starts(word: &str, at: usize, out: &mut Vec<u32>) {
    out.push(at as u32);
    let bytes = word.as_bytes();
    // Chains are made of the letters و ف ب ل ا (two bytes each): how far do they run?
    let run = bytes
        .chunks_exact(2)
        .take(4)
        .take_while(|c| matches!(c, [0xD9, 0x88 | 0x81 | 0x84] | [0xD8, 0xA8 | 0xA7]))
        .count();
    if run == 0 {
        return;
    }
    let key = pack(bytes);
    for &(len, prefix) in ENTRY_PREFIX_KEYS.iter().take_while(|&&(len, _)| len <= 2 * run) {
        if len < bytes.len() && key & (u64::MAX << (64 - 8 * len)) == prefix {
            out.push((at + len) as u32);
        }
    }
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
        // A last word that is a lone proclitic (طالب ب، وفقا ل) is written joined to the word
        // after it (طالب بوقف).
        let joins_next = folded.rsplit_once(' ').is_some_and(|(_, last)| ["ب", "ل"].contains(&last));
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
                self.push(format!("ل{rest}"), Alternative { value, open_end, after_lam: true, joins_next });
            }
        }
        if self.allow_article && folded.contains(' ') && !folded.split(' ').any(|w| w.starts_with("ال")) {
            let definite: Vec<String> = folded.split(' ').map(|w| format!("ال{w}")).collect();
            self.push(definite.join(" "), Alternative { value, open_end, after_lam: false, joins_next });
        }
        if let Some(accusative) = inner_accusative(&folded) {
            self.push(accusative, Alternative { value, open_end, after_lam: false, joins_next });
        }
        self.push(folded, Alternative { value, open_end, after_lam: false, joins_next });
        true
    }

    fn push(&mut self, pattern: String, alt: Alternative) {
        let next = self.patterns.len();
        let slot = *self.index.entry(pattern.clone()).or_insert(next);
        if slot == next {
            self.patterns.push((pattern, Vec::new()));
        }
        let alts = &mut self.patterns[slot].1;
        if !alts.contains(&alt) {
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

    /// Compiles the lexicon. Its own automaton is built on its first search without a
    /// [`Scanner`](crate::Scanner) (see [`NormText::scanned`]).
    pub fn build(self) -> Lexicon<T> {
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        let (patterns, alternatives): (Vec<String>, Vec<Vec<Alternative>>) = self.patterns.into_iter().unzip();
        let latin = patterns.iter().map(|p| p.starts_with(|c: char| c.is_ascii_alphanumeric())).collect();
        Lexicon {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            patterns: Patterns::new(patterns),
            automaton: OnceLock::new(),
            alternatives,
            latin,
            values: self.values,
            allow_article: self.allow_article,
        }
    }
}

/// The folded patterns of a lexicon, with what a search needs to know about them.
#[derive(Debug)]
pub(crate) struct Patterns {
    pub(crate) strings: Vec<String>,
    /// Byte length of each pattern.
    pub(crate) lens: Vec<usize>,
    /// The first characters of the patterns that start with something other than a letter or
    /// digit (these may begin anywhere, not only at [`NormText::entry_starts`]).
    pub(crate) odd_starts: Vec<char>,
}

impl Patterns {
    fn new(strings: Vec<String>) -> Self {
        let lens = strings.iter().map(String::len).collect();
        let mut odd_starts: Vec<char> =
            strings.iter().filter_map(|p| p.chars().next()).filter(|&c| !is_word_char(c)).collect();
        odd_starts.sort_unstable();
        odd_starts.dedup();
        Patterns { strings, lens, odd_starts }
    }
}

/// An automaton compiled for anchored searches only: a DFA (fastest) or, for many patterns,
/// a contiguous NFA (far smaller).
#[derive(Debug)]
pub(crate) enum Matcher {
    Dfa(dfa::DFA),
    Nfa(nfa::contiguous::NFA),
}

impl Matcher {
    /// A DFA for up to `dfa_max` patterns, else an NFA with dense states down to `dense_depth`.
    pub(crate) fn new(patterns: &[String], dfa_max: usize, dense_depth: usize) -> Self {
        const ALWAYS: &str = "lexicon patterns are plain strings and always compile";
        if patterns.len() <= dfa_max {
            let mut builder = dfa::DFA::builder();
            builder.match_kind(MatchKind::Standard).start_kind(StartKind::Anchored).prefilter(false);
            Matcher::Dfa(builder.build(patterns).expect(ALWAYS))
        } else {
            let mut builder = nfa::contiguous::NFA::builder();
            builder.match_kind(MatchKind::Standard).prefilter(false).dense_depth(dense_depth);
            Matcher::Nfa(builder.build(patterns).expect(ALWAYS))
        }
    }

    /// Calls `found(pattern, end)` for every pattern that occurs in `hay` at one of `starts`,
    /// in the order of `starts`, shortest first at each.
    pub(crate) fn matches(
        &self,
        lens: &[usize],
        hay: &[u8],
        starts: impl Iterator<Item = usize>,
        found: impl FnMut(usize, usize),
    ) {
        match self {
            Matcher::Dfa(aut) => matches_at(aut, lens, hay, starts, found),
            Matcher::Nfa(aut) => matches_at(aut, lens, hay, starts, found),
        }
    }
}

fn matches_at<A: Automaton>(
    aut: &A,
    lens: &[usize],
    hay: &[u8],
    starts: impl Iterator<Item = usize>,
    mut found: impl FnMut(usize, usize),
) {
    let Ok(start_state) = aut.start_state(Anchored::Yes) else { return };
    for start in starts {
        let mut sid = start_state;
        for (i, &b) in hay[start..].iter().enumerate() {
            sid = aut.next_state(Anchored::Yes, sid, b);
            if !aut.is_special(sid) {
                continue;
            }
            if aut.is_dead(sid) {
                break;
            }
            // A match state also lists the patterns that end here but began later.
            for k in 0..aut.match_len(sid) {
                let pid = aut.match_pattern(sid, k).as_usize();
                if lens[pid] == i + 1 {
                    found(pid, start + i + 1);
                }
            }
        }
    }
}

/// An indefinite Arabic phrase in the accusative, its inner words with the tanween alef (حزام
/// ناسف → حزاما ناسف; the last word's alef is read at match time, [`accusative_alef`]): `None`
/// when a word cannot take it (definite, or ending in ا، ء or ه — folded ة, which takes none) or
/// the entry is one word.
fn inner_accusative(folded: &str) -> Option<String> {
    let words: Vec<&str> = folded.split(' ').collect();
    let takes_alef = |w: &str| {
        w.chars().next().is_some_and(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
            && !w.starts_with("ال")
            && !w.ends_with(['ا', 'ه', 'ء'])
    };
    (words.len() > 1 && words.iter().all(|w| takes_alef(w))).then(|| {
        let (last, inner) = words.split_last().expect("two words or more");
        let mut out: Vec<String> = inner.iter().map(|w| format!("{w}ا")).collect();
        out.push((*last).to_string());
        out.join(" ")
    })
}

/// Whether `rest` (the text after an Arabic entry `entry`) is only the alef of the indefinite
/// accusative (تنوين الفتح: انفجاراً، هجوماً، قتيلاً), which leaves the word the entry's: the
/// folded copy drops the tanween mark, not its alef. After «و» the alef is the verb's plural
/// (كانوا، قاموا), not tanween: «كانو» (Kano) is not in «كانوا».
fn accusative_alef(entry: &str, rest: &str) -> bool {
    !entry.ends_with(['ا', 'و'])
        && rest.strip_prefix('ا').is_some_and(|after| after.chars().next().is_none_or(|c| !is_word_char(c)))
}

/// The offsets where the patterns may begin: [`NormText::entry_starts`], then the positions of
/// each character in `odd_starts` (only the matches at one start need to come in order).
pub(crate) fn search_starts<'a>(text: &'a NormText, odd_starts: &'a [char]) -> impl Iterator<Item = usize> + 'a {
    let odd = odd_starts.iter().flat_map(|&c| text.as_str().match_indices(c).map(|(at, _)| at));
    text.entry_starts().iter().map(|&at| at as usize).chain(odd)
}

/// A compiled dictionary: immutable, shareable across threads.
#[derive(Debug)]
pub struct Lexicon<T> {
    /// Tells this lexicon's matches apart in a [`Scanner`]'s scan.
    id: u64,
    patterns: Patterns,
    automaton: OnceLock<Matcher>,
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

    /// This lexicon as a part of a [`Scanner`](crate::Scanner).
    pub fn part(&self) -> ScanPart<'_> {
        ScanPart { id: self.id, patterns: &self.patterns }
    }

    /// Finds entries in `text`: the longest valid matches, non-overlapping, in text order.
    pub fn find(&self, text: &NormText) -> Vec<LexMatch> {
        if let Some(raw) = text.scanned_matches(self.id) {
            return self.select(text, raw);
        }
        let automaton = self.automaton.get_or_init(|| Matcher::new(&self.patterns.strings, DFA_MAX_PATTERNS, 2));
        let mut raw = Vec::new();
        let starts = search_starts(text, &self.patterns.odd_starts);
        automaton.matches(&self.patterns.lens, text.as_str().as_bytes(), starts, |pid, end| {
            raw.push((pid as u32, end as u32));
        });
        self.select(text, &raw)
    }

    /// The matches among the raw pattern occurrences `raw` (pattern, end), which come ordered by
    /// start, then end: those with accepted proclitics, the longest first, non-overlapping.
    fn select(&self, text: &NormText, raw: &[(u32, u32)]) -> Vec<LexMatch> {
        let s = text.as_str();
        let mut found: Vec<(NormSpan, usize, Vec<u32>)> = Vec::new();
        for &(pid, end) in raw {
            let (pid, end) = (pid as usize, end as usize);
            let start = end - self.patterns.lens[pid];
            // Most raw matches start inside a longer word: reject them before any other work.
            let Some(prefix) = proclitic_room(s, start) else { continue };
            let word_start = start - prefix.len();
            let ends_word = s[end..].chars().next().is_none_or(|c| !is_word_char(c))
                || (!self.latin[pid] && accusative_alef(&s[start..end], &s[end..]));
            let starts_name = s[start..].starts_with("ال");
            let mut values = Vec::new();
            let mut open = false;
            for alt in &self.alternatives[pid] {
                if !(alt.open_end || alt.joins_next || ends_word) {
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
        // Equal spans keep the order found (by start, then end).
        found.sort_by(|a, b| (b.0.end - b.0.start).cmp(&(a.0.end - a.0.start)).then(a.0.start.cmp(&b.0.start)));
        // Longest first, never overlapping: `taken` is keyed by start, for the neighbours.
        let mut taken: std::collections::BTreeMap<usize, (NormSpan, usize, Vec<u32>)> =
            std::collections::BTreeMap::new();
        for f in found {
            // The same words matched by another entry (مقاتلات, and مقاتل* run on to the word's
            // end) are another reading of them: both count.
            if let Some(same) = taken.get_mut(&f.0.start).filter(|t| t.0 == f.0) {
                for v in f.2 {
                    if !same.2.contains(&v) {
                        same.2.push(v);
                    }
                }
                continue;
            }
            let clear_before = taken.range(..f.0.start).next_back().is_none_or(|(_, t)| t.0.end <= f.0.start);
            let clear_after = taken.range(f.0.start..).next().is_none_or(|(_, t)| f.0.end <= t.0.start);
            if clear_before && clear_after {
                taken.insert(f.0.start, f);
            }
        }
        taken
            .into_values()
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
    use crate::Scanner;

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
    fn an_entry_takes_the_alef_of_the_indefinite_accusative() {
        let lex = Lexicon::builder().entry("انفجار", 1).entry("قتيل", 2).entry("درعا", 3).build();
        assert_eq!(found(&lex, "سمع انفجاراً ضخماً وسقط قتيلا"), ["انفجار", "قتيل"]);
        // Only a final alef: a longer word is another word, and an entry ending in alef takes none.
        assert!(found(&lex, "انفجارات درعاا").is_empty());
        // After «و» the alef is a verb's plural: «كانوا» (they were) is not Kano.
        let lex = Lexicon::builder().entry("كانو", 1).build();
        assert!(found(&lex, "مسلحين كانوا يستقلون").is_empty());
        assert_eq!(found(&lex, "في كانو"), ["كانو"]);
        // Every word of an indefinite phrase takes it; a word in ة (سيارةً مفخخةً) takes none.
        let lex = Lexicon::builder().entry("حزام ناسف", 1).entry("عبوة ناسفة", 2).build();
        assert_eq!(found(&lex, "فجر حزاماً ناسفاً وعبوةً ناسفةً"), ["حزاماً ناسف", "عبوةً ناسفةً"]);
    }

    #[test]
    fn a_lone_proclitic_at_the_end_joins_the_next_word() {
        let lex = Lexicon::builder().entry("طالب* ب", 1).entry("وفقا ل", 2).build();
        assert_eq!(found(&lex, "وطالبوا بتوقيفه وفقا لمصادر"), ["طالبوا ب", "وفقا ل"]);
        // Only a word that begins with it.
        assert!(found(&lex, "طالبوا الحكومة").is_empty());
    }

    #[test]
    fn a_word_two_entries_match_whole_has_both_readings() {
        let lex = Lexicon::builder().entry("مقاتل*", 1).entry("مقاتلات", 2).build();
        let text = NormText::new("قصفت مقاتلات التحالف");
        let values: Vec<Vec<u32>> = lex.find(&text).into_iter().map(|m| m.values).collect();
        assert_eq!(values.len(), 1);
        let mut readings: Vec<u32> = values[0].iter().map(|v| *lex.value(*v)).collect();
        readings.sort();
        assert_eq!(readings, [1, 2]);
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

    /// Every occurrence of every pattern, found by trying each position of the text: the search
    /// the anchored one must agree with.
    fn every_occurrence<T>(lex: &Lexicon<T>, text: &NormText) -> Vec<(u32, u32)> {
        let s = text.as_str();
        let mut raw = Vec::new();
        for (start, _) in s.char_indices() {
            let mut here: Vec<(u32, u32)> = (0..lex.patterns.strings.len())
                .filter(|&p| s[start..].starts_with(lex.patterns.strings[p].as_str()))
                .map(|p| (p as u32, (start + lex.patterns.lens[p]) as u32))
                .collect();
            here.sort_by_key(|&(_, end)| end);
            raw.extend(here);
        }
        raw
    }

    fn test_lexicons() -> (Lexicon<u8>, Lexicon<u8>) {
        let names = Lexicon::builder()
            .entry("الشبكة", 1)
            .entry("دير الزور", 2)
            .entry("ريف", 3)
            .entry("Homs", 4)
            .entry("~التنظيم", 5)
            .entry("(داعش)", 6)
            .build();
        let words = Lexicon::builder()
            .allow_article(true)
            .entry("اعتقل*", 1)
            .entry("غارة جوية", 2)
            .entry("ضبط* شحنة", 3)
            .entry("بلد", 4)
            .entry("لبن", 5)
            .build();
        (names, words)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        #[test]
        fn anchored_search_finds_what_a_search_at_every_position_finds(
            src in "((و|ف|ب|ل|وب|ول|فل|ال|وال|فبال|فلال|لال|لل|فلل|ولل|ك|بب|ا)?(الشبكة|دير|الزور|ريف|Homs|~التنظيم|\\(داعش\\)|اعتقل|غارة|جوية|ضبط|شحنة|بلد|لبن|ت|وا|ه|ا) ?[ ،.]?){0,12}"
        ) {
            let (names, words) = test_lexicons();
            let norm = NormText::new(&src);
            let scanner = Scanner::new(&[names.part(), words.part()]);
            let scanned = NormText::scanned(&src, &scanner);
            for lex in [&names, &words] {
                let expected = lex.select(&norm, &every_occurrence(lex, &norm));
                proptest::prop_assert_eq!(&lex.find(&norm), &expected);
                proptest::prop_assert_eq!(&lex.find(&scanned), &expected);
            }
        }
    }

    #[test]
    fn entry_starts_follow_proclitic_chains() {
        let norm = NormText::new("وبالغارة للشبكة فلان ال بلد");
        let starts: Vec<&str> = norm.entry_starts().iter().map(|&at| &norm.as_str()[at as usize..]).collect();
        let words: Vec<&str> = starts.iter().map(|s| s.split(' ').next().unwrap_or("")).collect();
        assert_eq!(
            words,
            ["وبالغاره", "بالغاره", "الغاره", "غاره", "للشبكه", "لشبكه", "شبكه", "فلان", "لان", "ان", "ال", "بلد", "لد"]
        );
    }
}
