//! The character folding used for matching: one function, applied identically to article
//! text and to every dictionary entry, so the two always meet in the same form.
//!
//! | source | folded |
//! | --- | --- |
//! | أ إ آ ٱ | ا |
//! | ى ی | ي |
//! | ة | ه |
//! | ؤ | و |
//! | ئ | ي |
//! | ک | ك |
//! | ھ ہ | ه |
//! | harakat, tanwin, shadda, sukun, superscript alef, Quranic marks | (dropped) |
//! | tatweel ـ, zero-width and bidi marks | (dropped) |
//! | ٠-٩ ۰-۹ | 0-9 |
//! | « » “ ” „ ‟ ″ | `"` |
//! | ‘ ’ ‚ ‛ ′ | `'` |
//! | – — ‒ − | `-` |
//! | NBSP, tabs and other horizontal spaces | space |
//! | Latin capitals | lowercase |

/// What one source character becomes in the folded copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folded {
    /// The character vanishes (diacritics, tatweel, invisible marks).
    Drop,
    /// The character is replaced by (or kept as) this one.
    Char(char),
}

/// The characters below this code point (Latin, Greek, Cyrillic, Hebrew, Arabic) are folded
/// from a table.
const TABLE_END: usize = 0x800;

/// [`fold_rule`] for every character below [`TABLE_END`], computed once.
static TABLE: std::sync::LazyLock<Vec<Folded>> =
    std::sync::LazyLock::new(|| (0..TABLE_END as u32).map(|u| fold_rule(char::from_u32(u).unwrap_or('\0'))).collect());

/// Folds one character for matching.
#[inline]
pub fn fold_char(c: char) -> Folded {
    match TABLE.get(c as usize) {
        Some(&f) => f,
        None => fold_rule(c),
    }
}

/// The folding rules themselves (see the table in the module documentation).
fn fold_rule(c: char) -> Folded {
    use Folded::{Char, Drop};
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => Char('ا'),
        'ى' | 'ی' | 'ئ' => Char('ي'),
        'ة' | 'ھ' | 'ہ' => Char('ه'),
        'ؤ' => Char('و'),
        'ک' => Char('ك'),
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0610}'..='\u{061A}' => Drop,
        'ـ' => Drop,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => Drop,
        '٠'..='٩' => Char(char::from(b'0' + (c as u32 - '٠' as u32) as u8)),
        '۰'..='۹' => Char(char::from(b'0' + (c as u32 - '۰' as u32) as u8)),
        '«' | '»' | '“' | '”' | '„' | '‟' | '″' => Char('"'),
        '‘' | '’' | '‚' | '‛' | '′' => Char('\''),
        '–' | '—' | '‒' | '−' => Char('-'),
        '\t' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => Char(' '),
        'A'..='Z' => Char(c.to_ascii_lowercase()),
        c if !c.is_ascii() && c.is_uppercase() => Char(c.to_lowercase().next().unwrap_or(c)),
        c => Char(c),
    }
}

/// The version of the folding: raise it whenever [`fold_str`] or [`crate::NormText`] fold any
/// text differently. Stores keep data derived from folded text (article keys, search words,
/// near-duplicate signatures) and refuse to mix versions (`rasd reindex` rebuilds them).
pub const FOLDING_VERSION: u32 = 1;

/// Folds a whole string (dictionary entries, queries): the same folding as
/// [`crate::NormText::new`], spaces collapsed and trimmed.
pub fn fold_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if let Folded::Char(f) = fold_char(c) {
            if f == ' ' && (out.is_empty() || out.ends_with(' ')) {
                continue;
            }
            out.push(f);
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether a folded character is part of a word (letters and digits of any script).
///
/// ASCII and the Arabic letters are answered from their ranges; only other scripts pay for
/// the general Unicode lookup, which would otherwise dominate the pipeline's time.
#[inline]
pub fn is_word_char(c: char) -> bool {
    match c {
        '0'..='9' | 'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7F}' => false,
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}' | '\u{0671}'..='\u{06D3}' => true,
        '\u{0600}'..='\u{06FF}' => c.is_alphanumeric(),
        _ => c.is_alphanumeric(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_arabic_letter_variants() {
        assert_eq!(fold_str("إدلب"), "ادلب");
        assert_eq!(fold_str("آمنة"), "امنه");
        assert_eq!(fold_str("مستشفى"), "مستشفي");
        assert_eq!(fold_str("حماة"), fold_str("حماه"));
        assert_eq!(fold_str("مسؤول"), "مسوول");
    }

    #[test]
    fn drops_diacritics_and_tatweel() {
        assert_eq!(fold_str("تبنّى"), "تبني");
        assert_eq!(fold_str("سـوريـا"), "سوريا");
        assert_eq!(fold_str("وُصفت"), "وصفت");
        assert_eq!(fold_str("سابقًا"), "سابقا");
    }

    #[test]
    fn word_chars_agree_with_unicode() {
        for c in ('\0'..='\u{07FF}').chain('\u{2000}'..='\u{2100}') {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn folds_digits_quotes_and_case() {
        assert_eq!(fold_str("٢٦ أكتوبر ٢٠٢٥"), "26 اكتوبر 2025");
        assert_eq!(fold_str("۱۴"), "14");
        assert_eq!(fold_str("«داعش» “ذا ناشونال”"), "\"داعش\" \"ذا ناشونال\"");
        assert_eq!(fold_str("Deir  ez-Zor"), "deir ez-zor");
    }
}
