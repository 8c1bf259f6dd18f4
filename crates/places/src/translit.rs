//! Spelling-tolerant matching of Latin place names (`data/places/transliteration.tsv`).
//!
//! English news spells an Arabic name many ways (Khan Sheikhoun, Khan Shaykhun; Talbiseh,
//! Talbeesah). The gazetteer's lexicon matches the spellings it lists; [`LatinKeys`] reduces
//! every Latin name of the gazetteer and every run of capitalised words of a text to a *key*
//! (articles dropped, vowels and digraphs folded, doubled letters collapsed) and adds a match
//! where a run's key names a place and no listed spelling matched there.

use std::collections::HashMap;

use rasd_kb::{DataDir, KbError, Tsv};
use rasd_text::{LexMatch, NormSpan, NormText, Span};

/// The equivalences, relative to `data/`.
pub(crate) const FILE: &str = "places/transliteration.tsv";
/// The fewest letters a key needs to be looked up: shorter keys collide with ordinary words.
const MIN_KEY_LETTERS: usize = 5;
/// The fewest letters left of a word once a joined article is taken off (Albab → Bab).
const MIN_FUSED_REST: usize = 3;
/// The most words of a name.
const MAX_WORDS: usize = 4;

/// The reduction rules and the keys of the gazetteer's Latin names.
#[derive(Debug, Default)]
pub(crate) struct LatinKeys {
    articles: Vec<String>,
    /// Articles written joined to the name (Alwaer = al-Waer).
    fused: Vec<String>,
    /// The countries (ISO alpha-3) whose places get keys.
    countries: Vec<String>,
    /// The words after which a run may name a place.
    before: Vec<String>,
    rules: Vec<(String, String)>,
    finals: Vec<(String, String)>,
    /// Key → the lexicon values (places) whose names reduce to it.
    keys: HashMap<String, Vec<u32>>,
}

impl LatinKeys {
    /// Reads the rules of [`FILE`].
    pub(crate) fn load(dir: &DataDir) -> Result<Self, KbError> {
        let text = dir.read(FILE)?;
        let table = Tsv::parse(FILE, &text, &["kind", "from", "to"])?;
        let mut keys = LatinKeys::default();
        for row in table.rows() {
            let from = row.require("from")?.to_ascii_lowercase();
            let to = row.get("to").to_ascii_lowercase();
            match row.require("kind")? {
                "article" => keys.articles.push(from),
                "fused" => keys.fused.push(from),
                "country" => keys.countries.push(from.to_ascii_uppercase()),
                "before" => keys.before.push(from),
                "rule" => keys.rules.push((from, to)),
                "final" => keys.finals.push((from, to)),
                other => {
                    return Err(
                        row.error(format!("kind {other:?}: expected article, fused, country, before, rule or final"))
                    )
                }
            }
        }
        Ok(keys)
    }

    /// Records that the Latin name `surface` of a place in `iso3` names the lexicon value
    /// `value` (nothing for a country outside the file's list).
    pub(crate) fn add(&mut self, surface: &str, iso3: &str, value: u32) {
        if !self.countries.iter().any(|c| c == iso3) {
            return;
        }
        if let Some(key) = self.key(surface) {
            let values = self.keys.entry(key).or_default();
            if !values.contains(&value) {
                values.push(value);
            }
        }
    }

    /// The key of the Latin name `surface` (Al-Atareb and Atarib share one), if it has one.
    pub(crate) fn key(&self, surface: &str) -> Option<String> {
        let words: Vec<&str> = surface.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
        let mut key = String::new();
        self.key_into(&words, &mut key, &mut String::new()).then_some(key)
    }

    /// Reduces `words` to their key in `out` (`scratch` is working space); false when a word is
    /// not ASCII letters or the key is too short to look up.
    fn key_into(&self, words: &[&str], out: &mut String, scratch: &mut String) -> bool {
        out.clear();
        for w in words {
            if !w.bytes().all(|b| b.is_ascii_alphabetic()) {
                return false;
            }
            if !self.is_article(w) {
                out.extend(w.chars().map(|c| c.to_ascii_lowercase()));
            }
        }
        for (from, to) in &self.rules {
            if out.contains(from.as_str()) {
                scratch.clear();
                let mut rest = out.as_str();
                while let Some(i) = rest.find(from.as_str()) {
                    scratch.push_str(&rest[..i]);
                    scratch.push_str(to);
                    rest = &rest[i + from.len()..];
                }
                scratch.push_str(rest);
                std::mem::swap(out, scratch);
            }
        }
        scratch.clear();
        for c in out.chars() {
            if !scratch.ends_with(c) {
                scratch.push(c);
            }
        }
        std::mem::swap(out, scratch);
        for (from, to) in &self.finals {
            if out.len() > from.len() && out.ends_with(from.as_str()) {
                out.truncate(out.len() - from.len());
                out.push_str(to);
            }
        }
        out.len() >= MIN_KEY_LETTERS
    }

    /// The places whose key `run` has once the article joined to its first word is taken off
    /// (Alqusayr → Qusayr); `run` keeps its first word.
    fn without_fused_article(&self, run: &mut [&str], key: &mut String, scratch: &mut String) -> Option<&Vec<u32>> {
        let first = run[0];
        let article = self.fused.iter().find(|a| {
            first.len() >= a.len() + MIN_FUSED_REST && first.get(..a.len()).is_some_and(|p| p.eq_ignore_ascii_case(a))
        })?;
        run[0] = &first[article.len()..];
        let found = if self.key_into(run, key, scratch) { self.keys.get(key.as_str()) } else { None };
        run[0] = first;
        found
    }

    fn is_article(&self, word: &str) -> bool {
        self.articles.iter().any(|a| a.eq_ignore_ascii_case(word))
    }

    /// Adds to `matches` (the lexicon's matches in `text`, in text order) a match for every
    /// run of capitalised words whose key names a place, where no listed spelling matched:
    /// the longest run at each word wins, and it replaces the shorter names it covers
    /// ("Khan" inside "Khan Sheikhoun"). A run follows one of the file's `before` words, never
    /// ends in an article and never swallows a cue word.
    /// Returns the spans of the matches it added.
    pub(crate) fn extend(
        &self,
        text: &str,
        norm: &NormText,
        matches: &mut Vec<LexMatch>,
        is_cue: impl Fn(&LexMatch) -> bool,
    ) -> Vec<Span> {
        if self.keys.is_empty() || !text.bytes().any(|b| b.is_ascii_uppercase()) {
            return Vec::new();
        }
        let words: Vec<NormSpan> = norm.words().collect();
        let (mut key, mut scratch) = (String::new(), String::new());
        let mut run: Vec<&str> = Vec::with_capacity(MAX_WORDS);
        let mut added = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let first = norm.to_source(words[i]);
            if !self.may_start(text, norm, &words, i) || !self.follows_cue(text, norm, &words, i) {
                i += 1;
                continue;
            }
            let mut found = None;
            let longest = self.run_len(text, norm, &words[i..]);
            for n in (1..=longest).rev() {
                run.clear();
                run.extend(words[i..i + n].iter().map(|w| norm.slice(*w)));
                if self.is_article(run[n - 1]) || !self.key_into(&run, &mut key, &mut scratch) {
                    continue;
                }
                let Some(values) =
                    self.keys.get(&key).or_else(|| self.without_fused_article(&mut run, &mut key, &mut scratch))
                else {
                    continue;
                };
                let span = Span::new(first.start, norm.to_source(words[i + n - 1]).end);
                let covered = |m: &LexMatch| m.span.overlaps(span);
                if matches.iter().filter(|m| covered(m)).any(|m| !span.contains(m.span) || m.span == span || is_cue(m))
                {
                    continue;
                }
                found = Some((n, span, values.clone()));
                break;
            }
            match found {
                Some((n, span, values)) => {
                    let norm_span = NormSpan { start: words[i].start, end: words[i + n - 1].end };
                    added.push(LexMatch { span, norm: norm_span, word: span, values });
                    i += n;
                }
                None => i += 1,
            }
        }
        let spans: Vec<Span> = added.iter().map(|a| a.span).collect();
        if !spans.is_empty() {
            matches.retain(|m| !spans.iter().any(|a| a.overlaps(m.span)));
            matches.extend(added);
            matches.sort_by_key(|m| (m.span.start, m.span.end));
        }
        spans
    }

    /// Blocks the key of a word that is never a place name here (`stoplist.tsv`, `never`).
    pub(crate) fn block(&mut self, word: &str) {
        if let Some(key) = self.key(word) {
            self.keys.remove(&key);
        }
    }

    /// Whether a name may begin at word `i`: a capitalised word, or an article joined by a
    /// hyphen to one (al-Bab).
    fn may_start(&self, text: &str, norm: &NormText, words: &[NormSpan], i: usize) -> bool {
        let source = norm.to_source(words[i]).slice(text);
        if !source.starts_with(|c: char| c.is_ascii_uppercase()) {
            return self.is_article(source)
                && text[norm.to_source(words[i]).end..].starts_with('-')
                && words
                    .get(i + 1)
                    .is_some_and(|w| norm.to_source(*w).slice(text).starts_with(|c: char| c.is_ascii_uppercase()));
        }
        !self.is_article(source) || text[norm.to_source(words[i]).end..].starts_with('-')
    }

    /// Whether word `i` follows one of the `before` words, with only spaces between.
    fn follows_cue(&self, text: &str, norm: &NormText, words: &[NormSpan], i: usize) -> bool {
        let Some(prev) = i.checked_sub(1).map(|p| norm.to_source(words[p])) else { return false };
        let gap = &text[prev.end..norm.to_source(words[i]).start];
        gap.bytes().all(|b| b == b' ') && self.before.iter().any(|b| b.eq_ignore_ascii_case(prev.slice(text)))
    }

    /// How many words from the first of `words` may form one name: joined by a space, hyphen or
    /// apostrophe, each capitalised unless an article, at most [`MAX_WORDS`].
    fn run_len(&self, text: &str, norm: &NormText, words: &[NormSpan]) -> usize {
        let mut n = 1;
        while n < words.len().min(MAX_WORDS) {
            let (prev, next) = (norm.to_source(words[n - 1]), norm.to_source(words[n]));
            let gap = &text[prev.end..next.start];
            let joined = matches!(gap, " " | "-" | "'" | "’" | "‘");
            let word = next.slice(text);
            if !joined || !(word.starts_with(|c: char| c.is_ascii_uppercase()) || self.is_article(word)) {
                break;
            }
            n += 1;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> LatinKeys {
        LatinKeys::load(&DataDir::embedded()).unwrap()
    }

    fn key(k: &LatinKeys, name: &str) -> String {
        let words: Vec<&str> = name.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
        let mut out = String::new();
        assert!(k.key_into(&words, &mut out, &mut String::new()), "{name}");
        out
    }

    #[test]
    fn spellings_of_one_name_share_a_key() {
        let k = keys();
        for group in [
            &["Khan Sheikhoun", "Khan Shaykhun", "Khan Sheikhun"][..],
            &["Deir ez-Zor", "Dayr az Zawr", "Deir al-Zour"],
            &["Talbiseh", "Talbisah", "Talbeesah", "Talbisseh"],
            &["Maarat al-Numan", "Maarrat an Numan", "Ma'arat al-Nu'man"],
            &["Salamiyeh", "Salamiyah", "Salamieh"],
            &["Sweida", "As-Suwayda", "Sweyda"],
            &["Qusair", "al-Qusayr", "Kusayr"],
        ] {
            let first = key(&k, group[0]);
            for other in &group[1..] {
                assert_eq!(key(&k, other), first, "{other} vs {}", group[0]);
            }
        }
        assert_ne!(key(&k, "Aleppo"), key(&k, "Idlib"));
        let mut out = String::new();
        assert!(!k.key_into(&["Hass"], &mut out, &mut String::new()), "four letters are too few");
    }
}
