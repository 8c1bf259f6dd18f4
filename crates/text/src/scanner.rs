//! [`Scanner`]: several [`Lexicon`](crate::Lexicon)s compiled into one automaton, so that a text
//! is searched once for all of them instead of once per lexicon.
//!
//! ```
//! use rasd_text::{Lexicon, NormText, Scanner};
//! let places = Lexicon::builder().entry("إدلب", "Idlib").build();
//! let verbs = Lexicon::builder().entry("قصف*", "shelled").build();
//! let scanner = Scanner::new(&[places.part(), verbs.part()]);
//! let text = "قصفت الطائرات ريف إدلب";
//! let norm = NormText::scanned(text, &scanner);
//! // Each lexicon reads its matches from the one scan: the same matches as a search of its own.
//! assert_eq!(places.find(&norm), places.find(&NormText::new(text)));
//! assert_eq!(verbs.find(&norm)[0].span.slice(text), "قصفت");
//! ```

use crate::lexicon::{search_starts, Matcher, Patterns};
use crate::norm::NormText;

/// Dense states (fast transitions) this deep into the shared automaton; deeper states are
/// sparse, which keeps it a few megabytes where a DFA of every entry would take tens.
const DENSE_DEPTH: usize = 4;

/// One lexicon's patterns, to be compiled into a [`Scanner`] (see
/// [`Lexicon::part`](crate::Lexicon::part)).
#[derive(Clone, Copy, Debug)]
pub struct ScanPart<'a> {
    pub(crate) id: u64,
    pub(crate) patterns: &'a Patterns,
}

/// The patterns of several lexicons in one automaton: immutable, shareable across threads.
#[derive(Debug)]
pub struct Scanner {
    matcher: Matcher,
    /// Byte length of each pattern.
    lens: Vec<usize>,
    /// For each pattern: its part's index and its index among the part's patterns.
    owners: Vec<(u32, u32)>,
    /// The lexicon id of each part.
    ids: Vec<u64>,
    /// The first characters of the patterns that do not start with a letter or digit.
    odd_starts: Vec<char>,
}

impl Scanner {
    /// Compiles the patterns of `parts` into one automaton.
    pub fn new(parts: &[ScanPart<'_>]) -> Scanner {
        let mut strings = Vec::new();
        let mut owners = Vec::new();
        let mut odd_starts = Vec::new();
        for (p, part) in parts.iter().enumerate() {
            strings.extend(part.patterns.strings.iter().cloned());
            owners.extend((0..part.patterns.strings.len()).map(|i| (p as u32, i as u32)));
            odd_starts.extend_from_slice(&part.patterns.odd_starts);
        }
        odd_starts.sort_unstable();
        odd_starts.dedup();
        Scanner {
            matcher: Matcher::new(&strings, 0, DENSE_DEPTH),
            lens: strings.iter().map(String::len).collect(),
            owners,
            ids: parts.iter().map(|p| p.id).collect(),
            odd_starts,
        }
    }

    /// Every raw match in `text`, by part.
    pub(crate) fn scan(&self, text: &NormText) -> ScanMatches {
        let mut by_part = vec![Vec::new(); self.ids.len()];
        let starts = search_starts(text, &self.odd_starts);
        self.matcher.matches(&self.lens, text.as_str().as_bytes(), starts, |pid, end| {
            let (part, local) = self.owners[pid];
            by_part[part as usize].push((local, end as u32));
        });
        ScanMatches { ids: self.ids.clone(), by_part }
    }
}

/// The raw matches of a scan: for each part (by lexicon id), its patterns as (pattern, end) in
/// the order a search of the lexicon's own would find them.
#[derive(Clone, Debug, Default)]
pub(crate) struct ScanMatches {
    ids: Vec<u64>,
    by_part: Vec<Vec<(u32, u32)>>,
}

impl ScanMatches {
    /// The raw matches of the lexicon with this id, if it was part of the scan.
    pub(crate) fn of(&self, id: u64) -> Option<&[(u32, u32)]> {
        let part = self.ids.iter().position(|&i| i == id)?;
        Some(&self.by_part[part])
    }
}
