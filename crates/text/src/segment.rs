//! Sentence and clause splitting on Arabic and Latin punctuation, over the source text.
//!
//! Sentences end at `.` `!` `?` `؟` `؛` followed by a space, a quote or the end of a line, and
//! at line breaks. A `.` between digits (`2.5`) or after a single capital or a common
//! abbreviation (`U.S.`, `Mr.`, `Gen.`) does not end a sentence. Clauses inside a sentence
//! are separated by `،` `,` `;` `:` and dashes between spaces.
//!
//! A sentence is at most [`MAX_SENTENCE_BYTES`] long: a longer run without punctuation (a
//! scraped page without full stops, a hostile input) is cut at its last clause mark or space
//! before the limit, so that every stage's work per sentence stays bounded.

use crate::span::Span;

const ABBREVIATIONS: [&str; 14] =
    ["Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "St", "Jan", "Feb", "No"];

/// Splits `text` into sentence spans (trimmed of surrounding whitespace; empty ones dropped).
pub fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while let Some((i, c)) = next_char_among(text, at, &SENTENCE_BYTES) {
        at = i + c.len_utf8();
        let boundary = match c {
            '\n' | '!' | '?' | '؟' | '؛' => true,
            '.' => ends_sentence(text, i),
            _ => false,
        };
        if boundary {
            // Keep closing quotes and brackets with the sentence they close.
            let closing =
                text[at..].find(|q| !matches!(q, '"' | '”' | '»' | '\'' | '’' | ')')).unwrap_or(text.len() - at);
            let cut = at + closing;
            push_trimmed(text, start, cut, &mut out);
            start = cut;
            at = cut;
        }
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

/// The bytes that announce a sentence end: `\n ! ? .`, and the last bytes of `؟` (D8 9F) and
/// `؛` (D8 9B).
const SENTENCE_BYTES: [bool; 256] = byte_set(b"\n!?.\x9F\x9B");
/// The bytes that announce a clause break: `, ; : -`, the last byte of `،` (D8 8C), and the
/// first byte of `–` and `—` (E2 80 93/94).
const CLAUSE_BYTES: [bool; 256] = byte_set(b",;:-\x8C\xE2");
/// The bytes that announce a quotation mark: `"`, and the first bytes of `« »` (C2) and `“ ”`
/// (E2).
const QUOTE_BYTES: [bool; 256] = byte_set(b"\"\xC2\xE2");

const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

/// The first character at or after byte `from` (a character boundary) that holds a byte of
/// `set`: a byte scan that decodes only the characters that may matter.
fn next_char_among(text: &str, from: usize, set: &[bool; 256]) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut i = from + bytes[from..].iter().position(|&b| set[usize::from(b)])?;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    Some((i, text[i..].chars().next()?))
}

fn ends_sentence(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let after = &text[dot + 1..];
    let next = after.chars().next();
    if next.is_some_and(|c| c.is_alphanumeric()) {
        return false; // 2.5, example.com, U.S
    }
    let word: &str = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    if word.chars().count() == 1 && word.chars().all(|c| c.is_ascii_uppercase()) {
        return false; // U.S. / A.
    }
    !ABBREVIATIONS.contains(&word)
}

/// The longest sentence, in bytes (about 1,000 Arabic letters, 200 words).
pub const MAX_SENTENCE_BYTES: usize = 2048;

fn push_trimmed(text: &str, mut start: usize, end: usize, out: &mut Vec<Span>) {
    while end - start > MAX_SENTENCE_BYTES {
        let cut = long_sentence_cut(text, start);
        push_piece(text, start, cut, out);
        start = cut;
    }
    push_piece(text, start, end, out);
}

/// Where to cut a run longer than [`MAX_SENTENCE_BYTES`] that starts at `start`: after its last
/// clause mark in the second half of the limit, else at its last space, else at a character
/// boundary.
fn long_sentence_cut(text: &str, start: usize) -> usize {
    let mut limit = start + MAX_SENTENCE_BYTES;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text[start..limit];
    let half = MAX_SENTENCE_BYTES / 2;
    let after = |i: usize, c: char| start + i + c.len_utf8();
    window
        .char_indices()
        .rev()
        .take_while(|&(i, _)| i >= half)
        .find(|&(_, c)| matches!(c, '،' | ',' | ';' | ':'))
        .or_else(|| window.char_indices().rev().find(|&(i, c)| i > 0 && c.is_whitespace()))
        .map_or(limit, |(i, c)| after(i, c))
}

fn push_piece(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push(Span::new(start + lead, end - trail));
    }
}

/// Whether the character `c` at byte `i` of a sentence ends a clause: a comma (Arabic or
/// Latin), semicolon or colon, or a dash standing between spaces.
fn cuts_clause(body: &str, i: usize, c: char) -> bool {
    match c {
        '،' | ',' | ';' | ':' => true,
        '-' | '–' | '—' => body[..i].ends_with(' ') && body[i + c.len_utf8()..].starts_with(' '),
        _ => false,
    }
}

/// Splits a sentence (a span of `text`) into clause spans.
pub fn clauses(text: &str, sentence: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let body = sentence.slice(text);
    let mut start = sentence.start;
    let mut at = 0;
    while let Some((i, c)) = next_char_among(body, at, &CLAUSE_BYTES) {
        at = i + c.len_utf8();
        let abs = sentence.start + i;
        if cuts_clause(body, i, c) {
            push_trimmed(text, start, abs, &mut out);
            start = abs + c.len_utf8();
        }
    }
    push_trimmed(text, start, sentence.end, &mut out);
    out
}

/// The insides of the quotation marks in `within` (“…”, «…», "…"), in order.
pub fn quotations(text: &str, within: Span) -> Vec<Span> {
    let body = within.slice(text);
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut from = 0;
    while let Some((i, c)) = next_char_among(body, from, &QUOTE_BYTES) {
        from = i + c.len_utf8();
        let at = within.start + i;
        match (c, open) {
            ('“' | '«', _) | ('"', None) => open = Some(at + c.len_utf8()),
            ('”' | '»' | '"', Some(start)) => {
                if start < at {
                    out.push(Span::new(start, at));
                }
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// Quotations of at most three words: names set in quotation marks (“الفرات اليوم”، "قسد"),
/// not speech.
pub fn quoted_names(text: &str) -> Vec<Span> {
    let all = Span::new(0, text.len());
    quotations(text, all).into_iter().filter(|q| q.slice(text).split_whitespace().count() <= 3).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, spans: &[Span]) -> Vec<String> {
        spans.iter().map(|s| s.slice(text).to_string()).collect()
    }

    #[test]
    fn splits_arabic_sentences_and_keeps_quotes() {
        let t = "قال إن \"سوريا عادت.\" وأضاف أمراً؟ نعم؛ لا\nسطر جديد";
        assert_eq!(texts(t, &sentences(t)), ["قال إن \"سوريا عادت.\"", "وأضاف أمراً؟", "نعم؛", "لا", "سطر جديد"]);
    }

    #[test]
    fn cuts_sentences_longer_than_the_limit() {
        let unit = "وقال المتحدث باسم وزارة الداخلية «";
        let text = unit.repeat(400);
        let spans = sentences(&text);
        assert!(spans.len() >= text.len() / MAX_SENTENCE_BYTES);
        for s in &spans {
            assert!(s.len() <= MAX_SENTENCE_BYTES, "{} bytes", s.len());
        }
        // Cut at spaces: no word is split, nothing is lost but the spaces between pieces.
        let joined: String = spans.iter().map(|s| s.slice(&text)).collect::<Vec<_>>().join(" ");
        assert_eq!(joined, text.trim_end());
        let commas = "كلمة، ".repeat(1000);
        assert!(sentences(&commas).iter().all(|s| s.slice(&commas).ends_with('،')));
    }

    #[test]
    fn keeps_decimals_and_abbreviations() {
        let t = "The U.S. Army said 2.5 tons were seized. Gen. Smith agreed.";
        assert_eq!(texts(t, &sentences(t)), ["The U.S. Army said 2.5 tons were seized.", "Gen. Smith agreed."]);
    }

    #[test]
    fn finds_quotations_and_quoted_names() {
        let t = "أفادت مصادر لـ\"الفرات اليوم\" بأن «الهجوم أسفر عن مقتل أربعة عناصر» من “قسد”";
        let all = quotations(t, Span::new(0, t.len()));
        assert_eq!(texts(t, &all), ["الفرات اليوم", "الهجوم أسفر عن مقتل أربعة عناصر", "قسد"]);
        assert_eq!(texts(t, &quoted_names(t)), ["الفرات اليوم", "قسد"]);
    }

    #[test]
    fn splits_clauses_on_commas_and_spaced_dashes() {
        let t = "وفي ريف حمص، أصيب ثلاثة على طريق تدمر – السخنة، بحسب مصادر";
        let s = sentences(t)[0];
        assert_eq!(texts(t, &clauses(t, s)), ["وفي ريف حمص", "أصيب ثلاثة على طريق تدمر", "السخنة", "بحسب مصادر"]);
    }

    /// The former char-by-char splitters: the byte scans must agree with them.
    mod reference {
        use super::super::{cuts_clause, ends_sentence, push_trimmed};
        use crate::span::Span;

        pub fn sentences(text: &str) -> Vec<Span> {
            let mut out = Vec::new();
            let mut start = 0;
            let mut chars = text.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                let end = i + c.len_utf8();
                let boundary = match c {
                    '\n' => true,
                    '!' | '?' | '؟' | '؛' => true,
                    '.' => ends_sentence(text, i),
                    _ => false,
                };
                if boundary {
                    let mut cut = end;
                    while let Some(&(j, q)) = chars.peek() {
                        if matches!(q, '"' | '”' | '»' | '\'' | '’' | ')') {
                            cut = j + q.len_utf8();
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    push_trimmed(text, start, cut, &mut out);
                    start = cut;
                }
            }
            push_trimmed(text, start, text.len(), &mut out);
            out
        }

        pub fn clauses(text: &str, sentence: Span) -> Vec<Span> {
            let mut out = Vec::new();
            let body = sentence.slice(text);
            let mut start = sentence.start;
            for (i, c) in body.char_indices() {
                let abs = sentence.start + i;
                if cuts_clause(body, i, c) {
                    push_trimmed(text, start, abs, &mut out);
                    start = abs + c.len_utf8();
                }
            }
            push_trimmed(text, start, sentence.end, &mut out);
            out
        }

        pub fn quotations(text: &str, within: Span) -> Vec<Span> {
            let body = within.slice(text);
            let mut out = Vec::new();
            let mut open: Option<usize> = None;
            for (i, c) in body.char_indices() {
                let at = within.start + i;
                match (c, open) {
                    ('“' | '«', _) | ('"', None) => open = Some(at + c.len_utf8()),
                    ('”' | '»' | '"', Some(start)) => {
                        if start < at {
                            out.push(Span::new(start, at));
                        }
                        open = None;
                    }
                    _ => {}
                }
            }
            out
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn byte_scans_split_like_the_char_by_char_splitters(
            text in "([a-zA-Z0-9]{1,3}|[بدلعؤ]{1,3}|[ .!?؟؛،,;:\n\"'”»’)“«–—-]|\u{2013}|\u{00AB}|\u{00A0}|\u{2019}|\u{201C}|\u{065B}|\u{065F}|\u{064C}|\u{2014}| – | — | - |U\\.S\\.|Gen\\.|2\\.5){0,30}"
        ) {
            let sentences = sentences(&text);
            proptest::prop_assert_eq!(&sentences, &reference::sentences(&text));
            for s in sentences {
                proptest::prop_assert_eq!(clauses(&text, s), reference::clauses(&text, s));
                proptest::prop_assert_eq!(quotations(&text, s), reference::quotations(&text, s));
            }
            let all = Span::new(0, text.len());
            proptest::prop_assert_eq!(quotations(&text, all), reference::quotations(&text, all));
            proptest::prop_assert_eq!(clauses(&text, all), reference::clauses(&text, all));
        }
    }
}
