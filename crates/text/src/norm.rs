//! [`NormText`]: the folded copy of a source text, with its map back to source offsets.

use crate::fold::{fold_char, is_word_char, Folded};
use crate::lexicon;
use crate::scanner::{ScanMatches, Scanner};
use crate::span::{NormSpan, Span};

/// A folded copy of a source text (see [`crate::fold`]) that remembers, for every byte it
/// holds, the source character it came from.
///
/// Runs of horizontal whitespace fold to one space; newlines are kept. The source text is
/// not stored: a `NormText` is a view made for one text, and its spans are meaningful only
/// for that text.
#[derive(Clone, Debug, Default)]
pub struct NormText {
    text: String,
    src_start: Vec<u32>,
    src_end: Vec<u32>,
    src_len: usize,
    words: Vec<NormSpan>,
    /// Where dictionary entries may begin (see [`crate::lexicon::entry_starts`]), in order.
    entry_starts: Vec<u32>,
    /// The raw dictionary matches of a [`Scanner`], when made with [`NormText::scanned`].
    scan: Option<ScanMatches>,
}

impl NormText {
    /// Folds `src` and records the offset map.
    pub fn new(src: &str) -> Self {
        let mut text = String::with_capacity(src.len());
        let mut src_start: Vec<u32> = Vec::with_capacity(src.len());
        let mut src_end: Vec<u32> = Vec::with_capacity(src.len());
        // The words (maximal runs of letters and digits) are collected on the way.
        let mut words = Vec::with_capacity(src.len() / 6);
        let mut word_start: Option<usize> = None;
        for (i, c) in src.char_indices() {
            let end = (i + c.len_utf8()) as u32;
            let f = match fold_char(c) {
                Folded::Char(f) if f != ' ' || !text.ends_with(' ') => f,
                // A dropped mark (diacritic, tatweel) belongs to the character before it, and
                // so does a space after a space.
                _ => {
                    if let Some(last) = src_end.last_mut() {
                        *last = end;
                    }
                    continue;
                }
            };
            let at = text.len();
            match (is_word_char(f), word_start) {
                (true, None) => word_start = Some(at),
                (false, Some(s)) => {
                    words.push(NormSpan { start: s, end: at });
                    word_start = None;
                }
                _ => {}
            }
            text.push(f);
            for _ in 0..f.len_utf8() {
                src_start.push(i as u32);
                src_end.push(end);
            }
        }
        if let Some(s) = word_start {
            words.push(NormSpan { start: s, end: text.len() });
        }
        let mut entry_starts = Vec::with_capacity(words.len() * 2);
        for w in &words {
            lexicon::entry_starts(&text[w.start..w.end], w.start, &mut entry_starts);
        }
        NormText { text, src_start, src_end, src_len: src.len(), words, entry_starts, scan: None }
    }

    /// Folds `src` and searches it once for the entries of every lexicon in `scanner`; those
    /// lexicons then read their matches from this scan instead of searching again.
    pub fn scanned(src: &str, scanner: &Scanner) -> Self {
        let mut norm = NormText::new(src);
        norm.scan = Some(scanner.scan(&norm));
        norm
    }

    /// The raw matches of the lexicon with this id, when it was part of this text's scan.
    pub(crate) fn scanned_matches(&self, lexicon: u64) -> Option<&[(u32, u32)]> {
        self.scan.as_ref()?.of(lexicon)
    }

    /// The folded offsets where a dictionary entry that starts with a letter or digit may
    /// begin: word starts, and the ends of proclitic chains (وال، لل …) at word starts.
    pub(crate) fn entry_starts(&self) -> &[u32] {
        &self.entry_starts
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a span of the folded copy to the source span it was folded from.
    pub fn to_source(&self, span: NormSpan) -> Span {
        let start = self.src_pos(span.start);
        if span.end <= span.start {
            return Span::new(start, start);
        }
        let end = self.src_end.get(span.end - 1).map_or(self.src_len, |&e| e as usize);
        Span::new(start, end)
    }

    /// The source offset where the folded byte `pos` comes from (`pos` may be the end).
    fn src_pos(&self, pos: usize) -> usize {
        self.src_start.get(pos).map_or(self.src_len, |&s| s as usize)
    }

    /// The first folded byte whose source character starts at or after `src` (for turning a
    /// source span, such as a sentence, into a range of the folded copy).
    pub fn from_source(&self, src: usize) -> usize {
        self.src_start.partition_point(|&s| (s as usize) < src)
    }

    /// A source span as a span of the folded copy covering the same characters.
    pub fn from_source_span(&self, span: Span) -> NormSpan {
        NormSpan { start: self.from_source(span.start), end: self.from_source(span.end) }
    }

    /// The start of the word that contains (or begins at) folded byte `pos`.
    pub fn word_start(&self, pos: usize) -> usize {
        let before = &self.text[..pos];
        before.char_indices().rev().take_while(|&(_, c)| is_word_char(c)).last().map_or(pos, |(i, _)| i)
    }

    /// The end of the word that contains (or ends at) folded byte `pos`.
    pub fn word_end(&self, pos: usize) -> usize {
        let after = &self.text[pos..];
        pos + after.find(|c: char| !is_word_char(c)).unwrap_or(after.len())
    }

    /// Iterates over the words of the folded copy (maximal runs of letters and digits).
    pub fn words(&self) -> impl Iterator<Item = NormSpan> + '_ {
        self.words.iter().copied()
    }

    /// The words that start at or after folded byte `pos`, in order.
    pub fn words_from(&self, pos: usize) -> impl Iterator<Item = NormSpan> + '_ {
        let first = self.words.partition_point(|w| w.start < pos);
        self.words[first..].iter().copied()
    }

    /// The folded text of a span of the folded copy.
    pub fn slice(&self, span: NormSpan) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(src: &str, folded: &str) {
        let n = NormText::new(src);
        assert_eq!(n.as_str(), folded);
    }

    #[test]
    fn maps_folded_words_back_to_source_bytes() {
        let src = "أعلنت وزارةُ الداخليّة «إحباط» هجومٍ في ٢٦ أكتوبر";
        check(src, "اعلنت وزاره الداخليه \"احباط\" هجوم في 26 اكتوبر");
        let n = NormText::new(src);
        let words: Vec<&str> = n.words().map(|w| n.to_source(w).slice(src)).collect();
        assert_eq!(words, ["أعلنت", "وزارةُ", "الداخليّة", "إحباط", "هجومٍ", "في", "٢٦", "أكتوبر"]);
    }

    #[test]
    fn collapses_spaces_but_keeps_newlines() {
        let src = "a \u{a0}\t b\nc";
        check(src, "a b\nc");
        let n = NormText::new(src);
        assert_eq!(n.to_source(NormSpan { start: 1, end: 2 }).slice(src), " \u{a0}\t ");
    }

    #[test]
    fn from_source_inverts_to_source_on_char_starts() {
        let src = "سـوريـا ولبنان";
        let n = NormText::new(src);
        let span = Span::new(src.find(" ").unwrap_or(0) + 1, src.len());
        let ns = n.from_source_span(span);
        assert_eq!(n.slice(ns), "ولبنان");
        assert_eq!(n.to_source(ns), span);
    }

    proptest! {
        #[test]
        fn every_word_maps_to_a_char_boundary_slice(src in "\\PC{0,80}") {
            let n = NormText::new(&src);
            for w in n.words() {
                let s = n.to_source(w);
                prop_assert!(src.is_char_boundary(s.start) && src.is_char_boundary(s.end));
                prop_assert!(s.start <= s.end && s.end <= src.len());
            }
            prop_assert_eq!(n.to_source(NormSpan { start: 0, end: n.as_str().len() }).end <= src.len(), true);
        }
    }
}
