//! Text analysis for rasd that never rewrites the source.
//!
//! The three principal types:
//!
//! * [`Span`]: a half-open range of UTF-8 byte offsets into the *source* text
//!   (`article.text`). Every annotation rasd produces is a `Span`.
//! * [`NormText`]: a folded copy of the source used for matching (alef variants, ى/ي, ة/ه,
//!   tatweel and diacritics removed, Arabic-Indic and Persian digits as ASCII, quote marks
//!   unified, Latin lowercased), with a byte-offset map back to the source. Positions in the
//!   folded copy are [`NormSpan`]s and become `Span`s only through the map.
//! * [`Lexicon`]: a dictionary compiled into one Aho-Corasick automaton that finds entries in a
//!   `NormText` while accepting Arabic proclitics (و ف ب ل ال لل) in front of them.
//!
//! A [`Scanner`] compiles several lexicons into one automaton, and [`NormText::scanned`] searches
//! a text once for all of them.
//!
//! [`proclitics`] is the one list of Arabic proclitic chains; [`geo`] the one great-circle
//! distance.
//!
//! [`segment`] splits sentences and clauses on Arabic and Latin punctuation.
//!
//! ```
//! use rasd_text::{Lexicon, NormText};
//! let text = "غارات على أرياف حماة وإدلب، and shelling near Idleb.";
//! let norm = NormText::new(text);
//! let lex = Lexicon::builder().entry("ادلب", "Idlib").entry("Idleb", "Idlib").build();
//! let found: Vec<&str> = lex.find(&norm).iter().map(|m| m.span.slice(text)).collect();
//! assert_eq!(found, ["إدلب", "Idleb"]);
//! ```
#![deny(missing_docs)]

pub mod fold;
pub mod geo;
pub mod inflect;
pub mod lexicon;
pub mod norm;
pub mod proclitics;
pub mod scanner;
pub mod segment;
pub mod span;

pub use lexicon::{LexMatch, Lexicon, LexiconBuilder};
pub use norm::NormText;
pub use scanner::{ScanPart, Scanner};
pub use span::{NormSpan, Span, SpanIndex};
