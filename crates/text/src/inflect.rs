//! Regular English inflection, so that a lexicon entry in its base form also matches its
//! inflected forms ("attack" → attacks, attacked) without listing each.

/// The regular inflected forms of an English base word: third person / plural and past. (The
/// participle is left out: "according" is not a form of the noun "accord".) Words that already look inflected (ending in -ed, -ing or -s) and
/// words of fewer than three letters or with characters other than ASCII letters get none.
pub fn english_forms(word: &str) -> Vec<String> {
    let w = word.trim();
    if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_lowercase()) || ["ed", "ing", "s"].iter().any(|e| w.ends_with(e)) {
        return Vec::new();
    }
    let consonant_y = w.ends_with('y') && !w[..w.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    let stem = &w[..w.len() - 1];
    let plural = if consonant_y {
        format!("{stem}ies")
    } else if ["x", "z", "ch", "sh"].iter().any(|e| w.ends_with(e)) {
        format!("{w}es")
    } else {
        format!("{w}s")
    };
    let past = if consonant_y {
        format!("{stem}ied")
    } else if w.ends_with('e') {
        format!("{w}d")
    } else {
        format!("{w}ed")
    };
    vec![plural, past]
}

#[cfg(test)]
mod tests {
    use super::english_forms;

    #[test]
    fn regular_verbs_and_nouns() {
        assert_eq!(english_forms("attack"), ["attacks", "attacked"]);
        assert_eq!(english_forms("clash"), ["clashes", "clashed"]);
        assert_eq!(english_forms("seize"), ["seizes", "seized"]);
        assert_eq!(english_forms("bury"), ["buries", "buried"]);
        assert_eq!(english_forms("destroy"), ["destroys", "destroyed"]);
    }

    #[test]
    fn inflected_words_and_phrases_get_nothing() {
        assert!(english_forms("attacked").is_empty());
        assert!(english_forms("fighting").is_empty());
        assert!(english_forms("strikes").is_empty());
        assert!(english_forms("tear gas").is_empty());
        assert!(english_forms("قصف").is_empty());
    }
}
