//! Which name strings become lexicon entries: script checks, Latin de-accenting and the
//! filter for GeoNames' noisy alternate names.

/// Whether `s` is written in Arabic script (letters, spaces and joiners only).
pub fn is_arabic(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        match c {
            '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' => letters += 1,
            ' ' | '-' | '\u{200C}' | '\u{200D}' => {}
            _ => return false,
        }
    }
    letters > 0
}

/// Removes the diacritics of Latin transliterations (`Ḩamāh` → `Hamah`, `Ma‘arrat` →
/// `Maarrat`) and drops the ayn/hamza marks; other characters are kept.
pub fn deaccent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let base = match c {
            'à'..='å' | 'ā' | 'ă' | 'ą' | 'ạ' => 'a',
            'À'..='Å' | 'Ā' | 'Ă' | 'Ą' | 'Ạ' => 'A',
            'ç' | 'ć' | 'č' => 'c',
            'Ç' | 'Ć' | 'Č' => 'C',
            'ḍ' | 'ḏ' | 'ḑ' | 'ď' => 'd',
            'Ḍ' | 'Ḏ' | 'Ḑ' | 'Ď' => 'D',
            'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'ẹ' => 'e',
            'È'..='Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' | 'Ẹ' => 'E',
            'ğ' | 'ġ' => 'g',
            'Ğ' | 'Ġ' => 'G',
            'ḥ' | 'ḩ' | 'ḫ' | 'ħ' => 'h',
            'Ḥ' | 'Ḩ' | 'Ḫ' | 'Ħ' => 'H',
            'ì'..='ï' | 'ī' | 'ı' | 'ị' => 'i',
            'Ì'..='Ï' | 'Ī' | 'İ' | 'Ị' => 'I',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò'..='ö' | 'ō' | 'ő' | 'ọ' | 'ø' => 'o',
            'Ò'..='Ö' | 'Ō' | 'Ő' | 'Ọ' | 'Ø' => 'O',
            'ş' | 'ṣ' | 'š' | 'ś' => 's',
            'Ş' | 'Ṣ' | 'Š' | 'Ś' => 'S',
            'ţ' | 'ṭ' | 'ť' | 'ṯ' => 't',
            'Ţ' | 'Ṭ' | 'Ť' | 'Ṯ' => 'T',
            'ù'..='ü' | 'ū' | 'ů' | 'ű' | 'ụ' => 'u',
            'Ù'..='Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ụ' => 'U',
            'ý' | 'ÿ' => 'y',
            'Ý' => 'Y',
            'ẓ' | 'ž' | 'ź' | 'ż' => 'z',
            'Ẓ' | 'Ž' | 'Ź' | 'Ż' => 'Z',
            '‘' | '’' | 'ʿ' | 'ʾ' | 'ʼ' | '`' | '\'' => continue,
            c => c,
        };
        out.push(base);
    }
    out
}

/// Whether a (de-accented) Latin name is fit to match English text: ASCII letters, spaces
/// and hyphens only, at least four letters, starting with a capital (GeoNames lists
/// lowercase romanizations such as `almwsl` and codes such as `BGW`, which are dropped).
pub fn is_usable_latin(s: &str) -> bool {
    let letters = s.chars().filter(char::is_ascii_alphabetic).count();
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && letters >= 4
        && s.chars().all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-')
        && s.chars().any(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_deaccents() {
        assert_eq!(deaccent("Ma‘arrat an Nu‘mān"), "Maarrat an Numan");
        assert_eq!(deaccent("Ḩamāh"), "Hamah");
        assert!(is_usable_latin("Deir ez-Zor"));
        assert!(!is_usable_latin("BGW"));
        assert!(!is_usable_latin("almwsl"));
        assert!(!is_usable_latin("Багдад"));
        assert!(is_arabic("دير الزور"));
        assert!(!is_arabic("Idlib"));
    }
}
