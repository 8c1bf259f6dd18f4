//! Counts and tolls: the killed and injured of an event. Each casualty cue gives its own
//! figure (the count next to it, counts joined by و/and adding up); figures of several cues
//! are alternatives: a later "rose to" replaces them, else the first exact figure stands,
//! "also" adds to it, and a figure above [`MAX_EVENT_TOLL`] is flagged, never a toll.

use rasd_text::Span;

use super::{Draft, Pass};
use crate::count::Count;
use crate::lexicons::Cue;

/// A figure of dead above this is no one event's toll (a war total, a population): it is
/// flagged (`implausible_toll`), never exported as fatalities.
const MAX_EVENT_TOLL: u32 = 1000;
/// How far (in words) a count may stand from its casualty cue.
const COUNT_REACH_AFTER: usize = 4;
const COUNT_REACH_BEFORE: usize = 3;
/// … and how far when a subset phrase (including women and children) stands between them.
const COUNT_REACH_SUBSET: usize = 8;

/// One sentence's figure of dead for an event.
#[derive(Clone, Copy, Debug)]
pub(super) struct TollReport {
    count: u32,
    /// The count's words.
    pub(super) words: Span,
    /// The sentence says the toll rose to it.
    update: bool,
    /// It adds victims to those already counted (أيضاً، آخرين، also, others).
    additional: bool,
    /// Digits or number words, not a vague quantity or a noun (dozens, a woman).
    exact: bool,
}

/// An event's casualties: the chosen figures and every report of dead.
pub(super) struct Casualties {
    pub(super) killed: Option<u32>,
    pub(super) injured: Option<u32>,
    pub(super) reports: Vec<TollReport>,
    pub(super) implausible: Option<u32>,
}

impl Pass<'_> {
    /// The casualties of a draft, from the casualty cues of the sentences reporting it that
    /// belong to it (not to another event of the sentence, a tally or a background event).
    pub(super) fn casualties(&self, d: &Draft, all: &[Draft]) -> Casualties {
        let cues: Vec<(Span, Cue)> = self
            .cues_in(d)
            .filter(|(span, _)| {
                !self.in_tally(*span)
                    && !self.background_toll(*span, d)
                    && self.owner(*span, all).is_some_and(|o| std::ptr::eq(o, d))
            })
            .collect();
        // Each casualty cue gives its own figure (counts joined by و/and next to it add up:
        // "خمسة عشر عنصراً … وسبعة"); figures of different cues are reports of the same dead —
        // a headline and its lead, two sources — kept as alternatives.
        let mut reports: Vec<TollReport> = Vec::new();
        let mut injured: Option<u32> = None;
        let mut unharmed = false;
        for (i, (span, cue)) in cues.iter().enumerate() {
            match cue {
                Cue::Killed => {
                    let combined = cues
                        .get(i + 1)
                        .is_some_and(|(next, c)| *c == Cue::Injured && self.words_between(span.end, next.start) == 0);
                    if combined {
                        continue;
                    }
                    let Some((count, words, exact)) = self.count_near(*span, &cues) else { continue };
                    if reports.iter().any(|r| r.words == words) {
                        continue;
                    }
                    let sentence = self.sentence_of(*span);
                    let update = sentence
                        .is_some_and(|s| self.cues_within(self.input.sentences[s]).any(|(_, c)| *c == Cue::Update));
                    // "أسفر أيضاً عن مقتل ثلاثة", "killed three others": on top of the rest.
                    let region = span.cover(words);
                    let additional = self.cues.iter().any(|(a, c)| {
                        *c == Cue::Additional
                            && ((a.end <= region.start && self.words_between(a.end, region.start) <= 3)
                                || (a.start >= region.start && self.words_between(region.end, a.start) <= 1))
                    });
                    reports.push(TollReport { count, words, update, additional, exact });
                }
                Cue::Injured => {
                    if let Some((n, _, _)) = self.count_near(*span, &cues) {
                        injured = Some(injured.unwrap_or(0).saturating_add(n));
                    }
                }
                Cue::Unharmed => unharmed = true,
                _ => {}
            }
        }
        let chosen = chosen_toll(&reports);
        let implausible = chosen.filter(|n| *n > MAX_EVENT_TOLL);
        let mut killed = chosen.filter(|n| *n <= MAX_EVENT_TOLL);
        if unharmed {
            killed = killed.or(Some(0));
            injured = injured.or(Some(0));
        }
        Casualties { killed, injured: injured.filter(|n| *n <= MAX_EVENT_TOLL), reports, implausible }
    }

    /// Whether a casualty cue tells the toll of a background event: a background cue stands
    /// between the event's words and the cue in its clause ("the strike comes a month after a
    /// raid that killed another leader").
    fn background_toll(&self, cue: Span, d: &Draft) -> bool {
        let before = |b: &Span| b.end <= cue.start && d.anchors.iter().any(|a| a.end <= b.start);
        if !self.cues.iter().any(|(b, kind)| *kind == Cue::Background && before(b)) {
            return false;
        }
        let Some(clause) = self.clause_of(cue) else { return false };
        self.cues_within(clause).any(|(b, kind)| {
            *kind == Cue::Background
                && b.end <= cue.start
                && d.anchors.iter().any(|a| clause.contains(*a) && a.end <= b.start)
        })
    }

    /// The event a cue belongs to: among the events reported in the cue's sentence, the one
    /// named nearest to it (two strikes, two tolls); in a sentence that only adds to an event,
    /// that event.
    fn owner<'d>(&self, cue: Span, all: &'d [Draft]) -> Option<&'d Draft> {
        let s = self.sentence_of(cue)?;
        let sentence = self.input.sentences[s];
        let reporting = || all.iter().filter(|d| d.sentences.contains(&s));
        let anchored = reporting()
            .flat_map(|d| d.anchors.iter().filter(|a| sentence.contains(**a)).map(move |a| (a.distance(cue), d)))
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, d)| d);
        anchored.or_else(|| reporting().next())
    }

    /// The count standing next to a casualty cue: after it (مقتل ٤ عناصر), else before it
    /// (five people were killed), never across another casualty cue.
    pub(super) fn count_near(&self, cue: Span, cues: &[(Span, Cue)]) -> Option<(u32, Span, bool)> {
        let blocked = |a: usize, b: usize| {
            cues.iter().any(|(s, c)| matches!(c, Cue::Killed | Cue::Injured) && s.start >= a && s.end <= b && *s != cue)
        };
        // A count joined by و/and after the cue starts the next clause ("three were killed and
        // two others wounded"): it is not the cue's.
        let after = self.counts.iter().find(|c| {
            c.span.start >= cue.end
                && self.words_between(cue.end, c.span.start) <= COUNT_REACH_AFTER
                && !blocked(cue.end, c.span.start)
        });
        let after = after.filter(|c| !self.joined_by_and(c));
        // "At least 16 civilians, including women and children, were killed": a subset
        // phrase between the count and the cue stretches the reach.
        let subset_between =
            |a: usize, b: usize| self.cues.iter().any(|(s, c)| *c == Cue::Subset && s.start >= a && s.end <= b);
        let before = || {
            self.counts.iter().rev().find(|c| {
                let reach = if subset_between(c.span.end, cue.start) { COUNT_REACH_SUBSET } else { COUNT_REACH_BEFORE };
                c.span.end <= cue.start
                    && self.words_between(c.span.end, cue.start) <= reach
                    && !blocked(c.span.end, cue.start)
            })
        };
        let first = after.or_else(before)?;
        // "خمسة عشر عنصراً من قوات النظام وسبعة من الفصائل", "طفلان وامرأة": counts joined by و add up.
        let mut total = first.value?;
        let mut last = first.span;
        for c in self.counts.iter().filter(|c| c.span.start >= first.span.end) {
            if self.words_between(last.end, c.span.start) > COUNT_REACH_AFTER + 1
                || blocked(last.end, c.span.start)
                || (first.span.end <= cue.start && c.span.start >= cue.end)
                || !self.joined_by_and(c)
            {
                break;
            }
            total = total.saturating_add(c.value.unwrap_or(0));
            last = c.span;
        }
        Some((total, first.span.cover(last), first.exact))
    }

    /// Whether a count is joined to what precedes it by و / and (وسبعة، و٢، and seven).
    fn joined_by_and(&self, c: &Count) -> bool {
        let folded = self.input.norm.as_str();
        let word_start = self.input.norm.word_start(c.norm.start);
        if word_start < c.norm.start {
            return folded[word_start..c.norm.start].ends_with('و');
        }
        let before = folded[..c.norm.start].trim_end();
        before.ends_with(" و") || before.ends_with(" and")
    }
}

/// The toll of several reports of dead: a later "the toll rose to" replaces the figures before
/// it; otherwise the first exact figure (news leads with the toll; later figures are parts of
/// it or other events), else the first vague one (عشرات، dozens). "also killed three others"
/// adds to it.
fn chosen_toll(reports: &[TollReport]) -> Option<u32> {
    let base = match reports.iter().rposition(|r| r.update) {
        Some(i) => Some(reports[i].count),
        None => reports.iter().filter(|r| !r.additional).min_by_key(|r| (!r.exact, r.words.start)).map(|r| r.count),
    };
    let more: u32 = reports.iter().filter(|r| r.additional && !r.update).map(|r| r.count).sum();
    match base {
        Some(n) => Some(n.saturating_add(more)),
        None => (!reports.is_empty()).then_some(more),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{code, only};
    use super::{chosen_toll, TollReport};
    use rasd_text::Span;

    fn report(count: u32, at: usize, update: bool, additional: bool, exact: bool) -> TollReport {
        TollReport { count, words: Span::new(at, at + 1), update, additional, exact }
    }

    #[test]
    fn the_first_exact_figure_stands_a_later_rise_replaces_it_and_also_adds() {
        assert_eq!(chosen_toll(&[report(10, 0, false, false, false), report(7, 5, false, false, true)]), Some(7));
        assert_eq!(chosen_toll(&[report(7, 0, false, false, true), report(12, 5, true, false, true)]), Some(12));
        assert_eq!(chosen_toll(&[report(7, 0, false, false, true), report(3, 5, false, true, true)]), Some(10));
        assert_eq!(chosen_toll(&[]), None);
    }

    fn toll(text: &str) -> (Option<u32>, Option<u32>) {
        let (_, e) = only(text, "2025-05-17");
        (e.fatalities, e.injured)
    }

    #[test]
    fn killed_and_injured_are_counted_apart() {
        assert_eq!(toll("قتل خمسة عشر مدنياً وأصيب ٧ آخرون جراء غارة جوية على مدينة إدلب."), (Some(15), Some(7)));
        assert_eq!(toll("أسفر القصف على مدينة أريحا عن إصابة عسكريَّين اثنين."), (None, Some(2)));
    }

    #[test]
    fn vague_quantities_and_no_casualties() {
        assert_eq!(toll("قتل عشرات المقاتلين في اشتباكات قرب مدينة منبج.").0, Some(10), "عشرات = 10");
        assert_eq!(toll("انفجرت عبوة ناسفة في مدينة درعا من دون تسجيل أي إصابات."), (Some(0), Some(0)));
    }

    #[test]
    fn counts_joined_by_and_add_up() {
        let (a, e) = only("قتل طفلان وامرأة بقصف مدفعي على بلدة كفرنبل.", "2025-05-17");
        assert_eq!(e.fatalities, Some(3));
        assert_eq!(e.toll_reports.iter().map(|s| a.words(*s)).collect::<Vec<_>>(), ["طفلان وامرأة"]);
    }

    #[test]
    fn killed_and_injured_together_give_no_toll() {
        let (_, coding) = code("أسفر هجوم على حاجز في بلدة ذيبان عن مقتل وإصابة ثمانية عناصر.", "2025-05-17");
        assert_eq!(coding.events.iter().map(|e| e.fatalities).collect::<Vec<_>>(), [None]);
    }

    #[test]
    fn a_war_total_is_flagged_not_a_toll() {
        let (_, e) = only("قتل ٥٠٠٠ شخص في قصف مدينة حلب.", "2025-05-17");
        assert_eq!((e.fatalities, e.implausible_toll), (None, Some(5000)));
    }
}
