//! Cleaning of scraped text pages into an article body.
//!
//! A page scraped as text carries more than the article: the title repeated, a metadata line
//! (section, bullet, date), a byline, and trailing site furniture (share buttons, tag lists,
//! related links, rule lines). [`Cleaner::clean`] turns such a page into a [`Page`]: the title
//! once, the metadata line and byline set aside, and the body paragraphs as `text` — the text
//! every later span points into. The rules are general; the phrases they look for live in
//! `data/clean/lines.tsv`, never in code and never for one site.
//!
//! ```
//! use rasd_clean::Cleaner;
//! let cleaner = Cleaner::load(&rasd_kb::DataDir::embedded()).unwrap();
//! let page = cleaner.clean("عنوان الخبر\nعنوان الخبر\n● أخبار سورية ٢٦ أكتوبر ٢٠٢٥\n\nنص الخبر.\n\nالكاتب: فريق العمل\nمشاركة:\n");
//! assert_eq!(page.title.as_deref(), Some("عنوان الخبر"));
//! assert_eq!(page.text, "نص الخبر.");
//! assert_eq!(page.author.as_deref(), Some("فريق العمل"));
//! assert_eq!(page.meta_line.as_deref(), Some("● أخبار سورية ٢٦ أكتوبر ٢٠٢٥"));
//!
//! let page = cleaner.clean("Title\n\nBody text here.\nShare\nTags: Syria");
//! assert_eq!(page.text, "Body text here.");
//! ```
#![deny(missing_docs)]

use rasd_kb::{DataDir, KbError, Tsv};
use rasd_text::fold::fold_str;

const RULES_FILE: &str = "clean/lines.tsv";
/// Longest line (in words) that can be a title, metadata line, byline or furniture marker.
const TITLE_MAX_WORDS: usize = 40;
const META_MAX_WORDS: usize = 12;
const MARKER_MAX_WORDS: usize = 8;
/// How many body lines from the top may hold the metadata line.
const META_WINDOW: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineKind {
    Cut,
    Drop,
    Author,
    Bullet,
}

/// The cleaning rules, compiled from `data/clean/lines.tsv`.
#[derive(Debug)]
pub struct Cleaner {
    /// Folded phrases with their kind, longest first.
    phrases: Vec<(String, LineKind)>,
    bullets: Vec<String>,
}

/// A cleaned page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// The headline, once (`None` when the page is a single paragraph).
    pub title: Option<String>,
    /// The body: paragraphs separated by a blank line.
    pub text: String,
    /// The metadata or dateline line set aside (section, date, place), verbatim.
    pub meta_line: Option<String>,
    /// The byline, without its prefix.
    pub author: Option<String>,
}

impl Cleaner {
    /// Loads the rules.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        let text = dir.read(RULES_FILE)?;
        let table = Tsv::parse(RULES_FILE, &text, &["phrase", "kind"])?;
        let mut phrases = Vec::new();
        let mut bullets = Vec::new();
        for row in table.rows() {
            let phrase = row.require("phrase")?;
            let kind = match row.require("kind")? {
                "cut" => LineKind::Cut,
                "drop" => LineKind::Drop,
                "author" => LineKind::Author,
                "bullet" => LineKind::Bullet,
                other => return Err(row.error(format!("unknown kind {other:?}: expected cut, drop, author or bullet"))),
            };
            if kind == LineKind::Bullet {
                bullets.push(phrase.to_string());
            } else {
                phrases.push((fold_str(phrase), kind));
            }
        }
        phrases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Ok(Cleaner { phrases, bullets })
    }

    /// Cleans a page scraped as text.
    pub fn clean(&self, raw: &str) -> Page {
        let raw = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
        let mut lines: Vec<&str> = raw.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let mut page = Page::default();

        if lines.len() > 1 && is_title_like(lines[0]) {
            let title = lines.remove(0);
            let folded = fold_str(title);
            // Only lines of about the title's length can repeat it: skip folding the rest.
            let similar = |l: &str| l.len().abs_diff(title.len()) <= title.len() / 4;
            lines.retain(|l| !similar(l) || fold_str(l) != folded);
            page.title = Some(title.to_string());
        }
        if let Some(i) = lines.iter().take(META_WINDOW).position(|l| self.is_meta_line(l)) {
            page.meta_line = Some(lines.remove(i).to_string());
        }
        let mut body = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            match self.marker(line) {
                Some((LineKind::Author, rest)) if page.author.is_none() && !rest.is_empty() => {
                    page.author = Some(rest.to_string());
                }
                Some((LineKind::Cut, _)) if i > 0 => break,
                Some((LineKind::Drop, _)) => {}
                _ if is_rule_line(line) => {}
                _ => body.push(*line),
            }
        }
        page.text = body.join("\n\n");
        page
    }

    /// The section named on a metadata line (`● أخبار سورية ٢٦ أكتوبر ٢٠٢٥` → `أخبار سورية`),
    /// given the byte range of the date on that line. `None` when the line has no bullet
    /// (a dateline such as `حمص – السبت ١٧ أيار ٢٠٢٥` names a place, not a section).
    pub fn section(&self, meta_line: &str, date: Option<std::ops::Range<usize>>) -> Option<String> {
        if !self.bullets.iter().any(|b| meta_line.contains(b.as_str())) {
            return None;
        }
        let mut rest = meta_line.to_string();
        if let Some(r) = date.filter(|r| meta_line.get(r.clone()).is_some()) {
            rest.replace_range(r, " ");
        }
        for b in &self.bullets {
            rest = rest.replace(b.as_str(), " ");
        }
        let section = rest.trim_matches(|c: char| c.is_whitespace() || "-–—،,:".contains(c));
        let section = section.split_whitespace().collect::<Vec<_>>().join(" ");
        (!section.is_empty()).then_some(section)
    }

    /// The rule a line starts with, and what follows the phrase (for bylines).
    fn marker<'l>(&self, line: &'l str) -> Option<(LineKind, &'l str)> {
        if more_words_than(line, MARKER_MAX_WORDS) {
            return None;
        }
        let folded = fold_str(line);
        for (phrase, kind) in &self.phrases {
            let Some(after) = folded.strip_prefix(phrase.as_str()) else { continue };
            let separated = after.is_empty() || after.starts_with([':', ' ', '-', '|', '،']);
            if !separated {
                continue;
            }
            let after = after.trim_start_matches([':', ' ', '-', '|', '،']);
            if *kind == LineKind::Author && !after.is_empty() {
                // Return the rest of the *original* line: skip as many words as the phrase has.
                let rest = skip_words(line, phrase.split(' ').count());
                return Some((*kind, rest.trim_start_matches([':', ' ', '-', '|', '،']).trim()));
            }
            return Some((*kind, ""));
        }
        None
    }

    fn is_meta_line(&self, line: &str) -> bool {
        if more_words_than(line, META_MAX_WORDS) || line.ends_with(['.', '؟', '?', '!']) {
            return false;
        }
        let starts_with_bullet = self.bullets.iter().any(|b| line.starts_with(b.as_str()));
        starts_with_bullet || has_year(&fold_str(line))
    }
}

fn is_title_like(line: &str) -> bool {
    !more_words_than(line, TITLE_MAX_WORDS) && !line.ends_with(['.', ':'])
}

/// Whether `line` has more than `n` words (counting no further than that).
fn more_words_than(line: &str, n: usize) -> bool {
    line.split_whitespace().nth(n).is_some()
}

/// The line after its first `n` words (the separator kept).
fn skip_words(line: &str, n: usize) -> &str {
    let mut rest = line.trim_start();
    for _ in 0..n {
        let cut = rest.find(|c: char| c.is_whitespace() || c == ':').unwrap_or(rest.len());
        rest = &rest[cut..];
        if n > 1 {
            rest = rest.trim_start();
        }
    }
    rest
}

/// A run of exactly four ASCII digits that reads as a Gregorian (19xx, 20xx) or Hijri (14xx) year.
fn has_year(folded: &str) -> bool {
    folded
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() == 4 && (run.starts_with("19") || run.starts_with("20") || run.starts_with("14")))
}

/// A line drawn with rule characters only (`ـــــ ــ`, `-----`, `=====`).
fn is_rule_line(line: &str) -> bool {
    // The character test first: it fails on the first letter of an ordinary line.
    line.chars().all(|c| c.is_whitespace() || "ـ-_=*~.·•–—".contains(c))
        && line.chars().filter(|c| !c.is_whitespace()).count() >= 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cleaner() -> Cleaner {
        Cleaner::load(&DataDir::embedded()).unwrap()
    }

    #[test]
    fn cleans_the_seed_page_shape() {
        let raw = "عنوان\nعنوان\n● أخبار سورية ٢٦ أكتوبر ٢٠٢٥\n\nعنوان\n\nفقرة أولى.\n\nفقرة ثانية.\n\nالكاتب: فريق العمل\nمشاركة: \nالكلمات الدليلية:\n\nاقرأ أيضاً:\n\nـــــــ ــ";
        let page = cleaner().clean(raw);
        assert_eq!(page.title.as_deref(), Some("عنوان"));
        assert_eq!(page.text, "فقرة أولى.\n\nفقرة ثانية.");
        assert_eq!(page.author.as_deref(), Some("فريق العمل"));
        let meta = page.meta_line.unwrap();
        let date = meta.find('٢').unwrap()..meta.len();
        assert_eq!(cleaner().section(&meta, Some(date)).as_deref(), Some("أخبار سورية"));
    }

    #[test]
    fn keeps_body_lines_that_merely_start_with_a_marker_word() {
        let raw = "Title\n\nمشاركة واسعة في المظاهرات التي خرجت اليوم في عدة مدن سورية للمطالبة بالإفراج عن المعتقلين.\nRelated\nheadline one";
        let page = cleaner().clean(raw);
        assert_eq!(
            page.text,
            "مشاركة واسعة في المظاهرات التي خرجت اليوم في عدة مدن سورية للمطالبة بالإفراج عن المعتقلين."
        );
    }

    #[test]
    fn sets_a_dateline_aside_and_reads_english_furniture() {
        let raw = "Headline here\n\nHOMS – Saturday 17 May 2025\n\nBody one.\nBy Jane Doe\nRead also: other story\nmore links";
        let page = cleaner().clean(raw);
        assert_eq!(page.meta_line.as_deref(), Some("HOMS – Saturday 17 May 2025"));
        assert_eq!(page.text, "Body one.");
        assert_eq!(page.author.as_deref(), Some("Jane Doe"));
        assert_eq!(cleaner().section("HOMS – Saturday 17 May 2025", None), None);
    }

    #[test]
    fn a_single_paragraph_is_all_body() {
        let page = cleaner().clean("قصف مدفعي على بلدة في ريف إدلب.");
        assert_eq!(page.title, None);
        assert_eq!(page.text, "قصف مدفعي على بلدة في ريف إدلب.");
    }

    proptest! {
        #[test]
        fn never_panics_and_body_lines_come_from_the_page(raw in "\\PC{0,200}") {
            let page = cleaner().clean(&raw);
            for para in page.text.split("\n\n").filter(|p| !p.is_empty()) {
                prop_assert!(raw.contains(para));
            }
        }
    }
}
