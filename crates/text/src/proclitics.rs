//! Arabic proclitics: the one list of the chains (و ف ب ل، the article ال، لل) that may stand
//! in front of a word, for every crate that looks past them (dictionary entries, digits of
//! dates and counts, surnames).
//!
//! ```
//! use rasd_text::proclitics::is_proclitic_chain;
//! assert!(is_proclitic_chain("وب", false));
//! assert!(!is_proclitic_chain("وال", false));
//! assert!(is_proclitic_chain("وال", true));
//! assert!(!is_proclitic_chain("ك", true));
//! ```

/// Proclitic chains without the article, the empty chain first. The comparative ك (كـ "like")
/// is left out: it rarely precedes a name or trigger and too often begins an ordinary word
/// (كبيرين).
pub const PROCLITICS: [&str; 9] = ["", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"];

/// Every non-empty proclitic chain, shortest first (each of the letters و ف ب ل ا):
/// [`PROCLITICS`], each followed by the article `ال`, and `لل` (with و/ف).
pub const PROCLITIC_CHAINS: [&str; 20] = [
    "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل", "ال", "لل", "وال", "فال", "بال", "لال", "ولل", "فلل", "وبال", "ولال",
    "فبال", "فلال",
];

/// Whether `prefix` is a proclitic chain (the empty one included); the article (ال، لل) only
/// `with_article`.
pub fn is_proclitic_chain(prefix: &str, with_article: bool) -> bool {
    PROCLITICS.contains(&prefix) || (with_article && PROCLITIC_CHAINS.contains(&prefix))
}
