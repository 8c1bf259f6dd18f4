//! Triggers and governing: the triggers of each sentence, what they code once a governing
//! trigger has taken over the words after it, references back to an event already reported,
//! and the clause grouping that turns them into drafts.

use rasd_text::Span;

use super::{Draft, Found, Pass, REFER_BACK_SENTENCES, STATUS_REACH};
use crate::lexicons::{Cue, EventKind};
use crate::screen::DropReason;

/// Triggers below this priority are generic words (هجوم، احتجاج، اتفاق، attack): in a clause
/// after an event of their event type they add to it, and alone they make a weak reading.
const GENERIC_PRIORITY: u8 = 40;

/// ACLED's event type of armed clashes and changes of territory.
const BATTLES: &str = "Battles";

impl Pass<'_> {
    /// The drafts of sentence `s`, added to `drafts`; references back and continuations add to
    /// the drafts already there.
    pub(super) fn code_sentence(&self, s: usize, sentence: Span, drafts: &mut Vec<Draft>) {
        if self.is_pluperfect(sentence) {
            return;
        }
        let mut found = self.found_in(sentence);
        // After "the second of its kind" / "the latest in a string of", triggers name earlier
        // events of the series: background.
        let series = self.cues_within(sentence).find(|(_, cue)| *cue == Cue::Series);
        if let Some((series, _)) = series {
            found.retain(|f| f.entry.refers_back || f.span.start < series.start);
        }
        // Definite references join the event already reported.
        let mut refers_back = false;
        found.retain(|f| {
            if !f.entry.refers_back {
                return f.kind.is_some();
            }
            let target = drafts.iter_mut().rev().find(|d| {
                d.sentence + REFER_BACK_SENTENCES >= s && f.kind.is_none_or(|k| k.event_type == d.kind.event_type)
            });
            match target {
                Some(d) => {
                    d.reported_again(s, f.span);
                    refers_back = true;
                    false
                }
                None => f.kind.is_some(),
            }
        });
        let mut in_sentence: Vec<Draft> = Vec::new();
        for &clause in self.clauses_of(s) {
            let best = found
                .iter()
                .filter(|f| clause.contains(f.span))
                .max_by(|a, b| a.priority.cmp(&b.priority).then(b.span.start.cmp(&a.span.start)));
            let Some(best) = best else { continue };
            let Some(kind) = best.kind else { continue };
            if self.is_background_cue(best.span, clause) || self.in_tally(clause) {
                continue;
            }
            if let Some(reason) = self.screen(best, clause, sentence, &found) {
                // A generic word that only continues the story (وأسفرت المعارك عن مقتل …) adds to
                // the event of its type already reported.
                let earlier = (reason == DropReason::Unspecific)
                    .then(|| {
                        drafts
                            .iter_mut()
                            .find(|d| d.kind.event_type == kind.event_type && d.sentence + REFER_BACK_SENTENCES >= s)
                    })
                    .flatten();
                match earlier {
                    Some(d) => {
                        d.reported_again(s, best.span);
                        refers_back = true;
                    }
                    None => self.drop_candidate(best.span, kind, reason),
                }
                continue;
            }
            let place = self.best_place_outside(clause, best.span, &self.statement_spans(s, best.span));
            if !in_sentence.is_empty() && self.cue_within(Cue::Accompanying, best.span, clause, 2) {
                continue;
            }
            // A generic word after an event of its type adds to it ("أطلقوا الرصاص على
            // متظاهرين …، احتجاجاً على …" is one protest event).
            let generic = best.priority < GENERIC_PRIORITY && !best.entry.phrase;
            if let Some(d) = in_sentence.iter_mut().find(|d| generic && d.kind.event_type == kind.event_type) {
                d.anchors.push(best.span);
                continue;
            }
            let same = in_sentence.iter_mut().rev().find(|d| d.kind == kind);
            match same {
                Some(d) if place.is_none() || d.place.is_none() || self.same_place(d.place, place) => {
                    d.clause = d.clause.cover(clause);
                    d.place = d.place.or(place);
                    d.anchors.push(best.span);
                }
                _ => in_sentence.push(Draft {
                    kind,
                    trigger: best.span,
                    if_state: best.entry.if_state,
                    sentence: s,
                    clause,
                    sentences: vec![s],
                    anchors: vec![best.span],
                    place,
                    specific: best.is_specific(),
                }),
            }
        }
        if in_sentence.is_empty() && !refers_back && self.adds_to_previous(sentence) {
            // "وبحسب المرصد، قتل عشرات المقاتلين": a toll or claim right after an event is its.
            if let Some(d) = drafts.last_mut().filter(|d| d.sentences.iter().max().is_some_and(|&l| l + 1 >= s)) {
                d.sentences.push(s);
            }
        }
        drafts.extend(in_sentence);
    }

    /// The triggers of a sentence, in text order, each with what it codes once governing
    /// triggers have taken over the later triggers of the event types they govern (أحبط …
    /// محاولة تفجير: a foiled bombing).
    fn found_in(&self, sentence: Span) -> Vec<Found<'_>> {
        let lex = &self.coder.lexicons.triggers;
        let mut found: Vec<Found> = self
            .triggers
            .iter()
            .filter(|t| sentence.contains(t.span))
            .map(|t| {
                let entry = lex.value(t.values[0]);
                Found { span: t.span, kind: entry.kind, priority: entry.priority, entry }
            })
            .collect();
        // An armed side named in the sentence besides the words at `trigger`.
        let armed_side = |trigger: Span| {
            self.cues_within(sentence).any(|(span, cue)| *cue == Cue::Opposed && !span.overlaps(trigger))
        };
        for i in 0..found.len() {
            if found[i].entry.governs.is_empty() || found[i].kind.is_none() {
                continue;
            }
            let governs = found[i].entry.governs.clone();
            let governed = |f: &Found| f.kind.is_some_and(|k| governs.contains(&k.event_type));
            // "The army foiled an attack on its posts": an attack fought off by an armed side is
            // a battle; «أحبطت السلطات هجومين» on an area is a disrupted weapon (ACLED).
            let fought_off = found[i + 1..]
                .iter()
                .filter(|f| governed(f))
                .find_map(|f| f.kind.filter(|k| k.event_type == BATTLES))
                .filter(|_| armed_side(found[i].span));
            let (kind, priority) = (fought_off.or(found[i].kind), found[i].priority);
            found[i].kind = kind;
            for later in found.iter_mut().skip(i + 1) {
                if governed(later) {
                    later.kind = kind;
                    later.priority = priority;
                }
            }
        }
        found
    }

    /// Whether a sentence without a trigger carries what belongs to the event before it:
    /// casualties, a claim, a denial.
    fn adds_to_previous(&self, sentence: Span) -> bool {
        self.cues_within(sentence).any(|(span, cue)| {
            !self.in_tally(*span)
                && matches!(cue, Cue::Killed | Cue::Injured | Cue::Unharmed | Cue::Claim | Cue::Unclaimed | Cue::Blame)
        })
    }

    /// Whether a background cue (منذ، since) stands shortly before the trigger in its clause.
    fn is_background_cue(&self, trigger: Span, clause: Span) -> bool {
        self.cue_within(Cue::Background, trigger, clause, STATUS_REACH)
    }

    /// A sentence that opens with كان/كانت and has قد soon after (وكانت القوات قد سيطرت …)
    /// tells what had happened before: background, not events of the article.
    fn is_pluperfect(&self, sentence: Span) -> bool {
        let opening: Vec<Span> = self
            .cues_within(sentence)
            .filter(|(_, cue)| *cue == Cue::Pluperfect)
            .map(|(span, _)| *span)
            .take_while(|span| self.words_between(sentence.start, span.start) <= STATUS_REACH + 1)
            .collect();
        opening.len() >= 2 && self.words_between(sentence.start, opening[0].start) <= 1
    }

    /// The kind an event of `kind` has when an aircraft word stands in its clause: "قصفت طائرات
    /// حربية", "warplanes shelled": bombardment from the air is an air strike.
    pub(super) fn kind_by_air(&self, kind: EventKind, clause: Span) -> EventKind {
        let from_air = self.cues_within(clause).any(|(_, c)| *c == Cue::Air);
        match self.coder.lexicons.subtypes.by_air(kind) {
            Some(by_air) if from_air => by_air,
            _ => kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{only, sub_types};

    /// The sub-event type and trigger words of the one event of `text`.
    fn coded(text: &str, published: &str) -> (&'static str, String) {
        let (a, e) = only(text, published);
        (e.kind.sub_event_type, a.words(e.trigger).to_string())
    }

    #[test]
    fn a_governing_trigger_takes_over_the_explosion_words_after_it() {
        let text = "أحبطت وحدات الأمن الداخلي محاولة تفجير سيارة مفخخة في حي الخالدية بمدينة حمص مساء الجمعة.";
        assert_eq!(coded(text, "2025-05-17"), ("Disrupted weapons use", "أحبطت".to_string()));
    }

    #[test]
    fn an_attack_fought_off_is_a_battle() {
        let text = "The Syrian army foiled an attack by terrorists on military posts in the town of Morek on Saturday.";
        assert_eq!(coded(text, "2016-07-10"), ("Armed clash", "foiled".to_string()));
        // Foiled on an area, with no armed side fighting it off: a disrupted weapon (ACLED).
        let (_, e) = only("أحبطت السلطات هجوماً إرهابياً كان يستهدف منطقة السيدة زينب في ريف دمشق أمس.", "2025-10-26");
        assert_eq!(e.kind.sub_event_type, "Disrupted weapons use");
    }

    #[test]
    fn aircraft_turn_shelling_into_an_air_strike() {
        assert_eq!(sub_types("قصفت طائرات حربية مدينة أريحا.", "2024-09-14"), ["Air/drone strike"]);
        assert_eq!(
            sub_types("قصفت قوات النظام بالمدفعية الثقيلة مدينة أريحا.", "2024-09-14"),
            ["Shelling/artillery/missile attack"]
        );
    }

    #[test]
    fn a_definite_reference_joins_the_event_already_reported() {
        let (a, e) = only(
            "شنت طائرات حربية غارة جوية على مدينة جسر الشغور أمس. وأسفرت الغارة عن مقتل ثلاثة مدنيين.",
            "2024-09-14",
        );
        assert_eq!(e.kind.sub_event_type, "Air/drone strike");
        assert_eq!(a.words(e.trigger), "غارة جوية");
        assert!(e.confidence.repeated);
        assert_eq!(e.fatalities, Some(3));
    }

    #[test]
    fn a_pluperfect_sentence_is_background() {
        let text = "وكانت القوات قد سيطرت على المدينة مطلع الشهر. واعتقلت الشرطة أمس ثلاثة في مدينة حمص.";
        assert_eq!(sub_types(text, "2025-10-26"), ["Arrests"]);
    }

    #[test]
    fn english_verbs_match_in_their_inflected_forms() {
        let (a, e) = only("Syrian security forces arrested five men in Homs on Tuesday.", "2025-05-17");
        assert_eq!(e.kind.sub_event_type, "Arrests");
        assert_eq!(a.words(e.trigger), "arrested");
    }
}
