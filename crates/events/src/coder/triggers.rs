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
                    // "The attack occurred in Qaboun, a district in the east of the city": a
                    // reference back that names a place inside the event's places it there.
                    let named = self.clause_of(f.span).and_then(|clause| self.best_place(clause, f.span));
                    if let Some(finer) = self.finer_within(named, d.place) {
                        d.place = Some(finer);
                    }
                    refers_back = true;
                    false
                }
                None => f.kind.is_some(),
            }
        });
        let mut in_sentence: Vec<Draft> = Vec::new();
        for &clause in self.clauses_of(s) {
            // The highest priority, then the earliest, of the clause's triggers before `end`.
            let best_before = |end: usize| {
                found
                    .iter()
                    .filter(|f| clause.contains(f.span) && f.span.start < end)
                    .max_by(|a, b| a.priority.cmp(&b.priority).then(b.span.start.cmp(&a.span.start)))
            };
            let mut best = best_before(usize::MAX);
            // What a demand asks for is no event, but the act named before the demand is
            // («شارك مئات في احتجاج … للمطالبة بإعدام …»: the protest, not the execution). A
            // habit or a condition governs the whole clause («ويقصف النظام بانتظام …»).
            while let Some(governed) = best {
                let Some(kind) = governed.kind else { break };
                let demand = self.cues_within(clause).find(|(c, k)| {
                    *k == Cue::Demand
                        && c.end <= governed.span.start
                        && self.words_between(c.end, governed.span.start) <= STATUS_REACH + 2
                });
                let Some((demand, _)) = demand else { break };
                if self.screen(governed, clause, sentence, &found) != Some(DropReason::NotAsserted) {
                    break;
                }
                self.drop_candidate(governed.span, kind, DropReason::NotAsserted);
                best = best_before(demand.start);
            }
            // A past event named as the time of another («شن سلاح الجو أولى غاراته … بعد 4 أيام
            // على هجوم انتحاري») leaves its clause to the act told before it.
            while let Some(background) = best.and_then(|b| self.background_cue(b.span, clause)) {
                best = best_before(background.start);
            }
            let Some(best) = best else { continue };
            let Some(kind) = best.kind else { continue };
            if self.in_tally(clause) {
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
            // متظاهرين …، احتجاجاً على …" is one protest event), unless its clause names another
            // province ("تظاهر المئات في البصرة …، كما شهدت مدينة كربلاء تظاهرة أخرى": two protests).
            let generic = best.priority < GENERIC_PRIORITY && !best.entry.phrase;
            let adds_to = |d: &&mut Draft| {
                generic && d.kind.event_type == kind.event_type && !self.other_provinces(d.place, place)
            };
            if let Some(d) = in_sentence.iter_mut().find(adds_to) {
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
            // "وبحسب المرصد، قتل عشرات المقاتلين": a toll or claim right after an event is its,
            // unless it tells the dead of another place: then it is that place's event.
            if let Some(d) = drafts.last_mut() {
                let last = d.sentences.iter().max().copied().unwrap_or(d.sentence);
                if last + REFER_BACK_SENTENCES >= s {
                    in_sentence = self.breakdown(s, d);
                }
                if in_sentence.is_empty() && last + 1 >= s {
                    d.sentences.push(s);
                }
            }
        }
        self.add_list_places(&mut in_sentence);
        drafts.extend(in_sentence);
    }

    /// One draft more per other place of the list each draft's place stands in: one act at
    /// several places is an event at each (ACLED). The first keeps the casualties.
    fn add_list_places(&self, in_sentence: &mut Vec<Draft>) {
        let mut more: Vec<Draft> = Vec::new();
        for d in in_sentence.iter() {
            let Some(place) = d.place else { continue };
            for other in self.list_places(place, d.clause, self.coder.lexicons.subtypes.per_province(d.kind)) {
                let known = in_sentence.iter().chain(&more).any(|e| self.same_place(e.place, Some(other)));
                if !known {
                    more.push(Draft { place: Some(other), sentences: vec![d.sentence], ..d.clone() });
                }
            }
        }
        in_sentence.extend(more);
    }

    /// The events a sentence without a trigger tells by their dead, one per clause that ties
    /// a casualty word to a place of its own, at least as precise as the story's and another
    /// one: "nine civilians were killed in Qaterji and two others died in Mayssar" after "air
    /// strikes on Aleppo killed 16" are two strikes. Each takes the kind of the story's event.
    fn breakdown(&self, s: usize, story: &Draft) -> Vec<Draft> {
        let places = self.input.places;
        let sentence = self.input.sentences[s];
        let Some(story_place) = story.place else { return Vec::new() };
        // A sentence with words of its own that were set aside (background, talk) tells no
        // event of the story's kind.
        if !self.coder.lexicons.subtypes.kills(story.kind) || self.triggers.iter().any(|t| sentence.contains(t.span)) {
            return Vec::new();
        }
        let kind = self.kind_by_air(story.kind, story.clause);
        let mut drafts: Vec<Draft> = Vec::new();
        for &clause in self.clauses_of(s) {
            let cues: Vec<(Span, Cue)> = self.cues_within(clause).copied().collect();
            let killed: Vec<Span> = cues
                .iter()
                .filter(|(span, cue)| {
                    *cue == Cue::Killed
                        && !self.in_tally(*span)
                        && !self.is_background_cue(*span, clause)
                        && self.count_near(*span, &cues).is_some()
                })
                .map(|(span, _)| *span)
                .collect();
            // Each casualty word tells the dead of the place after it, up to the next one
            // ("nine were killed in Qaterji and two died in Sukkari"), else of the place before.
            for (i, &cue) in killed.iter().enumerate() {
                let after = Span::new(cue.start, killed.get(i + 1).map_or(clause.end, |next| next.start));
                let before = Span::new(if i == 0 { clause.start } else { killed[i - 1].end }, cue.start);
                let statements = self.statement_spans(s, cue);
                let place = self
                    .best_place_outside(after, cue, &statements)
                    .or_else(|| self.best_place_outside(before, cue, &statements))
                    .filter(|&p| {
                        !self.same_place(Some(p), Some(story_place))
                            && self.in_story_province(p, story)
                            && places[p].geo_precision <= places[story_place].geo_precision
                            && !drafts.iter().any(|d| self.same_place(d.place, Some(p)))
                    });
                let Some(place) = place else { continue };
                drafts.push(Draft {
                    kind,
                    trigger: cue,
                    if_state: story.if_state,
                    sentence: s,
                    clause,
                    sentences: vec![s],
                    anchors: vec![cue],
                    place: Some(place),
                    specific: false,
                });
            }
        }
        drafts
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

    /// Whether place mention `p` lies in a first-level unit of a place the story's sentences
    /// name: a breakdown of a story's dead stays within its provinces.
    fn in_story_province(&self, p: usize, story: &Draft) -> bool {
        let place = |i: usize| self.input.gazetteer.place(self.input.places[i].place);
        let (country, admin1) = (&place(p).country, &place(p).admin1);
        admin1.is_some()
            && story.sentences.iter().any(|&s| {
                let sentence = self.input.sentences[s];
                (0..self.input.places.len()).any(|i| {
                    sentence.contains(self.input.places[i].span)
                        && !self.not_event_places[i]
                        && place(i).country == *country
                        && place(i).admin1 == *admin1
                })
            })
    }

    /// Whether a background cue (منذ، since) stands shortly before the trigger in its clause.
    fn is_background_cue(&self, trigger: Span, clause: Span) -> bool {
        self.background_cue(trigger, clause).is_some()
    }

    /// The background cue (منذ، بعد أيام على، في ذكرى) a few words before `trigger` in its clause,
    /// or before the killing `trigger` tells the means of: in «في ذكرى مقتل المراهق … براون
    /// برصاص شرطي» the gunfire is that of the remembered killing.
    fn background_cue(&self, trigger: Span, clause: Span) -> Option<Span> {
        self.background_cue_before(trigger, clause)
            .or_else(|| self.killing_told_by_means(trigger, clause).and_then(|k| self.background_cue_before(k, clause)))
    }

    /// The casualty word (مقتل) whose means a trigger written with «ب» (برصاص، بقصف، بغارة) tells:
    /// the last one before it in its clause, with no other trigger between them.
    fn killing_told_by_means(&self, trigger: Span, clause: Span) -> Option<Span> {
        let text = self.input.text;
        let word_start = text[clause.start..trigger.start].rfind(char::is_whitespace).map_or(clause.start, |i| {
            let at = clause.start + i;
            at + text[at..].chars().next().map_or(1, char::len_utf8)
        });
        if !text[word_start..].starts_with('ب') {
            return None;
        }
        let (killing, _) =
            self.cues_within(clause).filter(|(span, cue)| *cue == Cue::Killed && span.end <= trigger.start).last()?;
        let between = Span::new(killing.end, trigger.start);
        (!self.triggers.iter().any(|t| between.contains(t.span))).then_some(*killing)
    }

    /// The background cue a few words before `span` in its clause.
    fn background_cue_before(&self, trigger: Span, clause: Span) -> Option<Span> {
        self.cues_within(clause)
            .find(|(span, cue)| {
                *cue == Cue::Background
                    && span.end <= trigger.start
                    && self.words_between(span.end, trigger.start) <= STATUS_REACH
            })
            .map(|(span, _)| *span)
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
    use super::super::tests::{assert_no_event, code, only, sorted_places, sub_types};

    /// The sub-event type and trigger words of the one event of `text`.
    fn coded(text: &str, published: &str) -> (&'static str, String) {
        let (a, e) = only(text, published);
        (e.kind.sub_event_type, a.words(e.trigger).to_string())
    }

    #[test]
    fn a_sentence_a_purpose_or_a_hold_on_control_codes_no_event() {
        assert_no_event(&[
            "أصدرت محكمة في مدينة حلب أمس حكما بالإعدام على ثلاثة متهمين.",
            "أقر البرلمان في مدينة حلب أمس قانونا ينص على عقوبات تصل إلى الإعدام.",
            "شنت القوات الحكومية أمس معركة للسيطرة على بلدات جنوب مدينة درعا.",
            "أعلنت القوات الموالية للحكومة أمس أنها عززت سيطرتها على مدينة عدن.",
        ]);
        // The same words as an act still code it.
        assert_eq!(sub_types("أعدم التنظيم ثلاثة مدنيين في مدينة الرقة أمس.", "2025-05-17"), ["Attack"]);
        assert_eq!(
            sub_types("سيطرت فصائل المعارضة أمس على بلدة اليادودة في ريف درعا.", "2025-05-17"),
            ["Non-state actor overtakes territory"]
        );
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

    #[test]
    fn arabic_weapon_words_match_in_their_dual_and_plural_forms() {
        // «هجوم بسيارتين مفخختين»: the attack was made with car bombs, not an armed clash.
        let (a, e) = only("قتل تسعة جنود يمنيين أمس في هجوم بسيارتين مفخختين في محافظة حضرموت.", "2015-07-30");
        assert_eq!(e.kind.sub_event_type, "Remote explosive/landmine/IED");
        assert_eq!(a.words(e.trigger), "مفخختين");
    }

    #[test]
    fn a_generic_word_at_the_same_place_as_before_is_placed_there() {
        let story = "خطفت جبهة النصرة ثمانية مقاتلين قرب مدينة إعزاز أمس. وهاجمت جبهة النصرة الجمعة الماضي \
                     مقرا للفرقة 30 في المنطقة نفسها، ووقعت اشتباكات مع المدافعين عن المقر.";
        let (a, coding) = code(story, "2015-08-02");
        let clash = coding.events.iter().find(|e| e.kind.sub_event_type == "Armed clash").expect("the attack is coded");
        assert_eq!((a.place_name(clash), clash.date.start.to_string()), (Some("Azaz"), "2015-07-31".to_string()));
    }

    #[test]
    fn an_aircraft_shot_down_is_a_battle_not_an_air_strike() {
        // ACLED codes ground fire that brings an aircraft down as an armed clash.
        let (_, e) = only(
            "IS shot down a Syrian helicopter east of Palmyra on Friday, killing two Russian pilots.",
            "2016-07-09",
        );
        assert_eq!(e.kind.sub_event_type, "Armed clash");
        let (a, e) = only(
            "تمكن مقاتلو التنظيم من إسقاط مروحية للنظام قرب مدينة سراقب أمس ما أدى إلى مقتل طاقمها.",
            "2016-08-02",
        );
        assert_eq!((e.kind.sub_event_type, a.words(e.trigger)), ("Armed clash", "إسقاط مروحية"));
        // Helicopters that strike stay an air strike.
        let (_, e) = only(
            "Russian helicopter gunships struck rebel positions near Saraqib on Monday, killing five.",
            "2016-08-02",
        );
        assert_eq!(e.kind.sub_event_type, "Air/drone strike");
    }

    #[test]
    fn dead_told_at_another_place_of_the_province_are_another_event_of_the_story() {
        let story = "Air strikes by regime war planes on Aleppo killed at least 16 civilians on Sunday. \
                     The Observatory said nine civilians were killed in Qaterji and two others died in Sukkari.";
        let (a, coding) = code(story, "2016-06-05");
        let events: Vec<(&str, Option<&str>, Option<u32>)> =
            coding.events.iter().map(|e| (e.kind.sub_event_type, a.place_name(e), e.fatalities)).collect();
        assert_eq!(
            events,
            [
                ("Air/drone strike", Some("Aleppo"), Some(16)),
                ("Air/drone strike", Some("Karm al-Qaterji, Aleppo"), Some(9)),
                ("Air/drone strike", Some("Al-Sukkari, Aleppo"), Some(2)),
            ]
        );
        // Dead of another province, or after an event that kills nobody, stay the story's.
        let elsewhere = "Air strikes by regime war planes on Aleppo killed at least 16 civilians on Sunday. \
                         The Observatory said nine civilians were killed in Homs.";
        assert_eq!(sub_types(elsewhere, "2016-06-05"), ["Air/drone strike"]);
        let arrests = "Police arrested 16 men in Aleppo on Sunday. Nine civilians were killed in Qaterji.";
        assert_eq!(sub_types(arrests, "2016-06-05"), ["Arrests"]);
    }

    #[test]
    fn one_act_at_a_list_of_towns_is_an_event_at_each() {
        let text = "ردت قوات النظام أمس بقصف بلدتي اليادودة وطفس وبلدة المسيفرة في ريف درعا.";
        assert_eq!(sorted_places(text, "2015-07-26"), ["Al Musayfirah", "Al-Yadudah", "Tafas"]);
        // Cities in a list mostly stand for their provinces: one event.
        let provinces = "Syrian warplanes struck Aleppo and Idlib on Sunday.";
        assert_eq!(sub_types(provinces, "2016-08-15"), ["Air/drone strike"]);
        // Cities the text places near are each a target.
        let near = "شنت القوات غارات جوية يوم السبت شملت خمس غارات قرب الموصل وثلاث قرب الرمادي وثلاث قرب سنجار.";
        assert_eq!(sorted_places(near, "2015-08-09"), ["Mosul", "Ramadi", "Sinjar"]);
        // A city after a town, with no conjunction, says where the town lies.
        let apposition = "فجر انتحاري حزاماً ناسفاً عند حاجز على المدخل الجنوبي لمدينة منبج شرقي حلب اليوم.";
        let (a, e) = only(apposition, "2025-02-26");
        assert_eq!(a.place_name(&e), Some("Manbij"));
    }
}
