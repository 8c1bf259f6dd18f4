//! Counts in text: digits in any script, number words with their gender and case forms,
//! compounds (خمسة عشر، خمسة وعشرون), duals that carry their number (قتيلين), and vague
//! quantities with ACLED's conventions (عشرات = 10). Words live in `data/text/numbers.tsv` (rows
//! read by `counts`).

use rasd_kb::numbers::{self, NUMBERS_FILE};
use rasd_kb::{DataDir, KbError, Tsv};
use rasd_text::proclitics::is_proclitic_chain;
use rasd_text::{Lexicon, NormSpan, NormText, ScanPart, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumberWord {
    Cardinal(u32),
    Teen,
    Noun(u32),
    Vague(Option<u32>),
    Unit,
}

/// A count read in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    /// The value; `None` for vague quantities with no conventional value (عدد من، several).
    pub value: Option<u32>,
    /// Read from digits or number words, not from a vague quantity (عشرات، dozens) or a noun
    /// that carries its number (طفلة، a woman).
    pub exact: bool,
    /// The words read, in the source.
    pub span: Span,
    /// The same words in the folded copy.
    pub norm: NormSpan,
}

/// The compiled number words.
#[derive(Debug)]
pub(crate) struct Counter {
    words: Lexicon<NumberWord>,
}

impl Counter {
    pub(crate) fn load(dir: &DataDir) -> Result<Self, KbError> {
        let text = dir.read(NUMBERS_FILE)?;
        let table = Tsv::parse(NUMBERS_FILE, &text, &numbers::COLUMNS)?;
        let mut words = Lexicon::builder().allow_article(true);
        for row in table.rows() {
            if !numbers::reads(&row, numbers::Reader::Counts)? {
                continue;
            }
            let value = || row.parse::<u32>("value");
            let word = match row.require("kind")? {
                "cardinal" => NumberWord::Cardinal(value()?),
                "teen" => NumberWord::Teen,
                "noun" => NumberWord::Noun(value()?),
                "vague" => NumberWord::Vague(if row.get("value").is_empty() { None } else { Some(value()?) }),
                "unit" => NumberWord::Unit,
                other => return Err(row.error(format!("unknown kind {other:?}: cardinal, teen, noun, vague or unit"))),
            };
            let mut any = false;
            for name in row.list("names") {
                words.add(name, word);
                any = true;
            }
            if !any {
                return Err(row.error("column `names` has no spelling"));
            }
        }
        Ok(Counter { words: words.build() })
    }

    /// The number words, for a shared scanner.
    pub(crate) fn part(&self) -> ScanPart<'_> {
        self.words.part()
    }

    /// Every count in the text, in order. Numbers directly followed by a unit (ages,
    /// distances, sums of money) are not counts.
    pub(crate) fn find(&self, norm: &NormText) -> Vec<Count> {
        let folded = norm.as_str();
        let mut tokens: Vec<(NormSpan, NumberWord)> =
            self.words.find(norm).into_iter().map(|m| (m.norm, *self.words.value(m.values[0]))).collect();
        for w in norm.words() {
            let word = norm.slice(w);
            // Digits may carry proclitics (و٣، ب٢٠), not the article.
            let digits = word.trim_start_matches(|c: char| !c.is_ascii_digit());
            let prefix = &word[..word.len() - digits.len()];
            if is_proclitic_chain(prefix, false)
                && !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && digits.len() <= 6
            {
                let start = w.end - digits.len();
                let value = digits.parse().unwrap_or(0);
                tokens.push((NormSpan { start, end: w.end }, NumberWord::Cardinal(value)));
            }
        }
        tokens.sort_by_key(|t| t.0.start);
        // A singular noun right after a number is the counted noun (خمسة عشر مدنياً), not one more.
        let mut previous_end: Option<usize> = None;
        tokens.retain(|(span, word)| {
            let counted_noun = *word == NumberWord::Noun(1)
                && previous_end.is_some_and(|end| folded[end..span.start].trim().is_empty());
            previous_end = Some(span.end);
            !counted_noun
        });
        let mut counts: Vec<Count> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let (mut span, word) = tokens[i];
            i += 1;
            let exact = matches!(word, NumberWord::Cardinal(_)) || matches!(word, NumberWord::Noun(v) if v > 1);
            let mut value = match word {
                NumberWord::Cardinal(v) | NumberWord::Noun(v) => Some(v),
                NumberWord::Vague(v) => v,
                NumberWord::Teen | NumberWord::Unit => continue,
            };
            // Compounds: a unit then عشر (teens); words joined by و (and) add up.
            while let Some(&(next, next_word)) = tokens.get(i) {
                let gap = folded[span.end..next.start].trim();
                let adjacent = gap.is_empty();
                let and = gap == "و" || gap == "and";
                match next_word {
                    NumberWord::Teen if adjacent => value = value.map(|v| v.saturating_add(10)),
                    NumberWord::Cardinal(v) if and && v < 100 => value = value.map(|u| u.saturating_add(v)),
                    NumberWord::Cardinal(v) if adjacent && v >= 100 => {
                        value = value.map(|u| u.max(1).saturating_mul(v))
                    }
                    _ => break,
                }
                span.end = next.end;
                i += 1;
            }
            let followed_by_unit = tokens
                .get(i)
                .is_some_and(|&(next, w)| w == NumberWord::Unit && folded[span.end..next.start].trim().is_empty());
            if followed_by_unit {
                continue;
            }
            counts.push(Count { value, exact, span: norm.to_source(span), norm: span });
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Option<u32>> {
        let counter = Counter::load(&DataDir::embedded()).unwrap();
        counter.find(&NormText::new(text)).iter().map(|c| c.value).collect()
    }

    #[test]
    fn reads_digits_words_compounds_and_duals() {
        assert_eq!(values("مقتل ٤ عناصر وإصابة 12 آخرين"), [Some(4), Some(12)]);
        assert_eq!(values("قتل خمسة عشر مدنياً وسبعة عناصر"), [Some(15), Some(7)]);
        assert_eq!(values("خمسة وعشرون قتيلا"), [Some(25)]);
        assert_eq!(values("مقتل عنصرين وإصابة عسكريَّين اثنين"), [Some(2), Some(2)]);
        assert_eq!(values("killed five smugglers and wounded a dozen"), [Some(5), Some(12)]);
    }

    #[test]
    fn vague_quantities_follow_conventions() {
        assert_eq!(values("سقوط عشرات القتلى"), [Some(10)]);
        assert_eq!(values("dozens of dead and several wounded"), [Some(10), None]);
    }

    #[test]
    fn ages_distances_and_money_are_not_counts() {
        assert!(values("شاب (٢٥ عاماً) على بعد ١٥ كيلومتراً وفدية ٥٠ ألف دولار")
            .iter()
            .all(|v| *v != Some(25) && *v != Some(15)));
    }
}
