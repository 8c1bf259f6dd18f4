//! Tokens of date expressions in a folded text: vocabulary matches and numbers, in text order,
//! each knowing what separates it from the token before.

use rasd_text::proclitics::is_proclitic_chain;
use rasd_text::NormText;

use crate::vocab::{kind, Calendar, Term, Vocab};

/// A number written in digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Number {
    pub value: u32,
    pub digits: usize,
    /// `م` or `هـ` written onto the number (`2025م`).
    pub era: Option<Calendar>,
    /// An English ordinal suffix (`15th`).
    pub ordinal: bool,
}

/// What a token is.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// A vocabulary match: indexes of its [`Term`]s in the lexicon.
    Words(Vec<u32>),
    Number(Number),
}

/// One token: a byte range of the folded text.
#[derive(Clone, Debug)]
pub(crate) struct Tok {
    /// Start of the expression part (the article included, other proclitics excluded).
    pub start: usize,
    pub end: usize,
    /// Where the word begins, proclitics included.
    pub word_start: usize,
    /// Whether the word starts with the conjunction و or ف.
    pub conj: bool,
    /// Whether the word has no proclitic or article (era words need it: لم is no م).
    pub bare: bool,
    /// The punctuation between the previous token and this one, as [`gap`] flags.
    pub gap: u8,
    /// The [`kind`] bits of its terms, or [`kind::NUMBER`].
    pub kinds: u32,
    pub kind: Kind,
}

/// Punctuation a gap between two tokens may hold, as bit flags; anything else breaks it.
pub(crate) mod gap {
    pub const COMMA: u8 = 1;
    pub const SLASH: u8 = 2;
    pub const DASH: u8 = 4;
    pub const DOT: u8 = 8;
    pub const PAREN: u8 = 16;
    /// Not punctuation: lets the next token carry the conjunction و/ف (الجمعة والسبت).
    pub const CONJ: u8 = 64;
    /// The gap has a space.
    pub const SPACE: u8 = 32;
    /// The gap has something else (a newline, a letter, other punctuation).
    pub const BREAK: u8 = 128;

    /// Classifies the text between two tokens.
    pub fn classify(s: &str) -> u8 {
        s.chars().fold(0, |acc, c| {
            acc | match c {
                ' ' => SPACE,
                ',' | '،' => COMMA,
                '/' | '\\' => SLASH,
                '-' => DASH,
                '.' => DOT,
                '(' | ')' => PAREN,
                _ => BREAK,
            }
        })
    }
}

impl Tok {
    /// The terms of a vocabulary token (none for a number).
    pub fn terms<'s, 'v: 's>(&'s self, vocab: &'v Vocab) -> impl Iterator<Item = &'v Term> + 's {
        let ids: &[u32] = match &self.kind {
            Kind::Words(ids) => ids,
            Kind::Number(_) => &[],
        };
        ids.iter().map(|&id| vocab.lexicon.value(id))
    }

    /// The number, for a number token.
    pub fn number(&self) -> Option<Number> {
        match self.kind {
            Kind::Number(n) => Some(n),
            Kind::Words(_) => None,
        }
    }
}

/// Tokenizes a folded text.
pub(crate) fn tokenize(norm: &NormText, vocab: &Vocab) -> Vec<Tok> {
    let s = norm.as_str();
    let numbers = numbers(norm, &vocab.era_letters);
    let words = vocab.lexicon.find(norm);
    let mut toks = Vec::with_capacity(numbers.len() + words.len());
    let mut numbers = numbers.into_iter().peekable();
    for m in words {
        while let Some(n) = numbers.next_if(|n| n.start < m.norm.start) {
            push(s, &mut toks, n);
        }
        if toks.last().is_some_and(|t| t.end > m.norm.start) {
            continue;
        }
        let word_start = norm.word_start(m.norm.start);
        let prefix = &s[word_start..m.norm.start];
        let start = if prefix.ends_with("ال") { m.norm.start - "ال".len() } else { m.norm.start };
        let (conj, bare) = (prefix.starts_with(['و', 'ف']), prefix.is_empty());
        let kinds = m.values.iter().fold(0, |acc, &id| acc | vocab.lexicon.value(id).kind());
        let kind = Kind::Words(m.values);
        push(s, &mut toks, Tok { start, end: m.norm.end, word_start, conj, bare, gap: 0, kinds, kind });
    }
    numbers.for_each(|n| push(s, &mut toks, n));
    toks
}

fn push(s: &str, toks: &mut Vec<Tok>, mut tok: Tok) {
    let gap_start = toks.last().map_or(tok.word_start, |t| t.end.min(tok.word_start));
    tok.gap = gap::classify(&s[gap_start..tok.word_start]);
    toks.push(tok);
}

/// Digit runs that stand as numbers: not glued to letters (`M4`), at most a clitic before and
/// an era letter (glued or after a space: `2025م`, `١٤٤٦ هـ`) or an ordinal suffix after.
fn numbers(norm: &NormText, era_letters: &[(char, Calendar)]) -> Vec<Tok> {
    let s = norm.as_str();
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let word_start = norm.word_start(start);
        let prefix = &s[word_start..start];
        // A digit run may carry proclitics and the article and still be a number (`الـ24`, `و2025`).
        if !is_proclitic_chain(prefix, true) {
            continue;
        }
        let mut word_end = norm.word_end(i);
        let era_of = |word: &str| {
            let mut chars = word.chars();
            let letter = chars.next().filter(|_| chars.next().is_none())?;
            era_letters.iter().find(|(l, _)| *l == letter).map(|&(_, era)| era)
        };
        let (mut era, ordinal) = match &s[i..word_end] {
            "" => (None, false),
            "st" | "nd" | "rd" | "th" => (None, true),
            suffix => match era_of(suffix) {
                Some(e) => (Some(e), false),
                None => continue,
            },
        };
        if era.is_none() && !ordinal && s[word_end..].starts_with(' ') {
            let next = word_end + 1;
            let next_end = norm.word_end(next);
            if let Some(e) = era_of(&s[next..next_end]) {
                (era, word_end) = (Some(e), next_end);
            }
        }
        let digits = i - start;
        let Some(value) = s[start..i].parse().ok().filter(|_| digits <= 9) else { continue };
        let (conj, bare) = (prefix.starts_with(['و', 'ف']), prefix.is_empty());
        let kind = Kind::Number(Number { value, digits, era, ordinal });
        out.push(Tok { start, end: word_end, word_start, conj, bare, gap: 0, kinds: kind::NUMBER, kind });
        i = word_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_kb::DataDir;

    #[test]
    fn reads_numbers_with_suffixes_and_skips_codes() {
        let norm = NormText::new("٢٠٢٥م و1446هـ 15th M4 الـ24 3,5 x9");
        let found: Vec<(u32, Option<Calendar>)> = numbers(&norm, &[('م', Calendar::Gregorian), ('ه', Calendar::Hijri)])
            .iter()
            .filter_map(|t| t.number())
            .map(|n| (n.value, n.era))
            .collect();
        assert_eq!(
            found,
            [
                (2025, Some(Calendar::Gregorian)),
                (1446, Some(Calendar::Hijri)),
                (15, None),
                (24, None),
                (3, None),
                (5, None)
            ]
        );
    }

    #[test]
    fn gaps_record_the_punctuation_between_tokens() {
        let vocab = Vocab::load(&DataDir::embedded()).unwrap();
        let norm = NormText::new("٣ كانون الثاني/يناير، ٢٠٢٥\nأمس");
        let toks = tokenize(&norm, &vocab);
        let gaps: Vec<u8> = toks.iter().skip(1).map(|t| t.gap).collect();
        assert_eq!(gaps, [gap::SPACE, gap::SLASH, gap::COMMA | gap::SPACE, gap::BREAK]);
    }
}
