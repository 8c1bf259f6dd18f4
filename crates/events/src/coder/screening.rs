//! Screening: why a clause's best trigger asserts no event (another field's article, a
//! question, a demand, no conflict context, a generic word without a place), and the tally
//! clauses whose figures are totals over a period.

use rasd_text::Span;

use super::{within, words_between, Found, Pass, STATUS_REACH};
use crate::count::Count;
use crate::lexicons::{Context, Cue, EventKind};
use crate::screen::{self, DropReason, Dropped};
use crate::Input;

/// The priority of the generic explosion words (انفجار، explosion) and below: an accidental
/// cause in their sentence makes them an accident.
const EXPLOSION_WORD_PRIORITY: u8 = 50;

/// How far (in words) a natural force may stand from the trigger it is the subject of.
const NATURE_REACH: usize = 2;

/// How far (in words) a change of control may stand from the place or territory it names.
const TERRITORY_REACH: usize = 4;

impl Pass<'_> {
    /// Why the clause's best trigger does not assert a specific event, if it does not. Conflict
    /// context is looked for in the whole sentence (a clause is often a few words).
    pub(super) fn screen(&self, best: &Found, clause: Span, sentence: Span, found: &[Found]) -> Option<DropReason> {
        if let Some(domain) = self.article.domain {
            return Some(DropReason::ArticleKind(domain));
        }
        let words = &self.input.text[sentence.start..sentence.end];
        if words.contains('?') || words.contains('؟') {
            return Some(DropReason::Question);
        }
        if self.is_accident(best, sentence, found) {
            return Some(DropReason::Accident);
        }
        if self.nature_acted(best.span, clause) {
            return Some(DropReason::Nature);
        }
        if self.is_ordinary_crime(best, sentence) {
            return Some(DropReason::OrdinaryCrime);
        }
        let conditional = self.cues_within(sentence).any(|(c, k)| *k == Cue::Condition && c.end <= best.span.start);
        let governed = |cue| self.cue_within(cue, best.span, clause, STATUS_REACH + 2);
        if conditional || governed(Cue::Irrealis) || governed(Cue::Demand) {
            return Some(DropReason::NotAsserted);
        }
        // Conflict context in `within`, from the cues, the actors or a trigger clear on its own.
        let conflict = |within: Span| {
            let clear = found.iter().filter(|f| f.kind.is_some() && f.entry.context == Context::None).map(|f| f.span);
            screen::has_context(within, best.span, &self.cues, self.input.entities, clear)
        };
        let context = match best.entry.context {
            Context::None => true,
            Context::Conflict => conflict(sentence),
            Context::ConflictInClause => conflict(clause),
            Context::Protest => screen::has_protest_context(sentence, best.span, &self.cues),
            Context::Territory => self.names_territory(best.span, sentence) && conflict(sentence),
            Context::Used if !self.says(sentence, best.span, &[Cue::Used, Cue::Killed, Cue::Injured]) => {
                return Some(DropReason::NotUsed)
            }
            Context::Concluded | Context::Accord if !self.says(sentence, best.span, &[Cue::Concluded]) => {
                return Some(DropReason::NotConcluded)
            }
            Context::Opposed if !self.says(sentence, best.span, &[Cue::Opposed]) => return Some(DropReason::Unopposed),
            Context::Used | Context::Concluded => true,
            Context::Opposed => conflict(sentence),
            Context::Accord => conflict(clause),
        };
        if !context {
            return Some(DropReason::NoContext);
        }
        if screen::in_kinds_of_acts(self.input.text, best.span) {
            return Some(DropReason::KindsOfActs);
        }
        // A generic word (هجمات، المعارك، attacks) names a specific event only where its
        // sentence says where, below the level of a country, or refers to the place named
        // before (في المنطقة نفسها).
        let placed = (0..self.input.places.len())
            .any(|i| sentence.contains(self.input.places[i].span) && !self.is_country(i))
            || self.says(sentence, best.span, &[Cue::SamePlace]);
        (!best.is_specific() && !placed).then_some(DropReason::Unspecific)
    }

    /// Whether the best trigger is a generic word of a type that can name an accident
    /// (`accidental` in subtypes.tsv: انفجار، explosion) in a sentence that names an accidental
    /// cause (محطة وقود، fireworks) and neither an armed side nor a weapon's trigger (سيارة
    /// مفخخة، قصف): «مقتل 90 في انفجار بمحطة وقود» is an accident.
    fn is_accident(&self, best: &Found, sentence: Span, found: &[Found]) -> bool {
        best.kind.is_some_and(|k| self.coder.lexicons.subtypes.accidental(k))
            && best.priority <= EXPLOSION_WORD_PRIORITY
            && !best.entry.phrase
            && self.says(sentence, best.span, &[Cue::Accident])
            && !screen::names_armed_side(sentence, best.span, self.input.entities)
            && found.iter().all(|f| f.kind.is_none() || f.priority <= EXPLOSION_WORD_PRIORITY)
    }

    /// Whether the best trigger is of a type an ordinary crime makes a police matter
    /// (`criminal` in subtypes.tsv: an arrest) in a sentence that names such a crime (cues.tsv
    /// `crime`: «القبض على … إثر قيامه بتهريب حبوب الإمفيتامين») and no armed group (the police
    /// that arrest may be named).
    fn is_ordinary_crime(&self, best: &Found, sentence: Span) -> bool {
        best.kind.is_some_and(|k| self.coder.lexicons.subtypes.criminal(k))
            && self.says(sentence, best.span, &[Cue::Crime])
            && !screen::names_armed_group(sentence, best.span, self.input.entities)
    }

    /// Whether a natural force (cues.tsv `nature`) stands within two words of the trigger in its
    /// clause, before or after it: «داهمت السيول أحياءهم», «السيول احتجزت المركبات».
    fn nature_acted(&self, trigger: Span, clause: Span) -> bool {
        self.cues_within(clause).any(|(span, cue)| *cue == Cue::Nature && self.near(trigger, *span, NATURE_REACH))
    }

    /// Whether `other` stands apart from `trigger`, at most `reach` words before or after it.
    fn near(&self, trigger: Span, other: Span, reach: usize) -> bool {
        !other.overlaps(trigger)
            && if other.start >= trigger.end {
                self.words_between(trigger.end, other.start) <= reach
            } else {
                self.words_between(other.end, trigger.start) <= reach
            }
    }

    /// Records a candidate that codes no event, with its reason.
    pub(super) fn drop_candidate(&self, trigger: Span, kind: EventKind, reason: DropReason) {
        self.dropped.borrow_mut().push(Dropped { trigger, kind, reason });
    }

    /// Whether a span lies in a tally clause.
    pub(super) fn in_tally(&self, span: Span) -> bool {
        self.tallies.iter().any(|t| t.contains(span))
    }

    /// Whether `sentence` holds a cue of one of `kinds` apart from the trigger itself: a weapon
    /// named as a thing codes an event only where its sentence says it was used, an accord only
    /// where it was concluded (the sentence, not the clause: «ألقى مجهولون، فجر اليوم، قنبلة»).
    fn says(&self, sentence: Span, trigger: Span, kinds: &[Cue]) -> bool {
        self.cues_within(sentence).any(|(span, cue)| kinds.contains(cue) && !span.overlaps(trigger))
    }

    /// Whether a place or a territory word stands within a few words of a change-of-control
    /// trigger, in its sentence (استعادة مدينة الموصل، Palmyra was captured; the commas around a
    /// time word do not part the verb from what it took: «سيطر الثوار أمس، على تلة»).
    fn names_territory(&self, trigger: Span, sentence: Span) -> bool {
        let near = |s: Span| sentence.contains(s) && self.near(trigger, s, TERRITORY_REACH);
        within(self.input.places, sentence, |p| p.span).any(|p| near(p.span))
            || self.cues_within(sentence).any(|(s, c)| *c == Cue::Territory && near(*s))
    }
}

/// A window this long or longer, measured by a [`Cue::Period`] word, is a period a tally covers
/// ("2,000 barrel bombs during last July"), not the day of one event.
const TALLY_WINDOW_DAYS: i64 = 27;

/// The clauses of the article that give a tally over a period, with a count in the same clause:
/// an aggregate cue (منذ بداية العام، this year), or a period word (خلال، منذ، during) right
/// before a date window of four weeks or more («خلال يوليو الماضي»، "since October 2014").
pub(super) fn tallies(
    input: &Input,
    clauses: &[Vec<Span>],
    cues: &[(Span, Cue)],
    counts: &[Count],
    word_starts: &[usize],
) -> Vec<Span> {
    let measures_a_long_window = |cue: Span| {
        input.dates.iter().any(|d| {
            d.span.start >= cue.end
                && words_between(word_starts, cue.end, d.span.start) <= 1
                && (d.end - d.start).num_days() >= TALLY_WINDOW_DAYS
        })
    };
    let mut out: Vec<Span> = Vec::new();
    let tally_cues = cues.iter().filter(|(span, c)| match c {
        Cue::Aggregate => true,
        Cue::Period => measures_a_long_window(*span),
        _ => false,
    });
    for (span, _) in tally_cues {
        let Some(s) = input.sentences.iter().position(|s| s.contains(*span)) else { continue };
        let Some(clause) = clauses[s].iter().find(|c| c.contains(*span)) else { continue };
        if counts.iter().any(|c| clause.contains(c.span)) && !out.contains(clause) {
            out.push(*clause);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_no_event, code};
    use crate::DropReason;

    /// A generic attack word is a battle when state forces are attacked (ACLED): policemen,
    /// gendarmes, a border post.
    #[test]
    fn an_attack_on_police_or_gendarmes_is_a_battle() {
        for text in [
            "قتل مسلحون شرطيين في هجوم قرب مدينة ديار بكر أمس.",
            "Gunmen killed two policemen in an attack in Diyarbakir on Wednesday.",
            "Three gendarmes were killed in an attack in the town of Silopi on Sunday.",
        ] {
            let (_, coding) = code(text, "2015-07-30");
            let kinds: Vec<&str> = coding.events.iter().map(|e| e.kind.sub_event_type).collect();
            assert_eq!(kinds, ["Armed clash"], "{text}");
        }
    }

    /// Each sentence codes no event, and its one candidate is dropped for the reason given.
    #[test]
    fn each_screen_drops_its_candidate_with_its_reason() {
        let cases = [
            ("هل قصفت الطائرات الحربية مدينة إدلب؟", DropReason::Question),
            ("طالب الأهالي بوقف الغارات الجوية على مدينة إدلب.", DropReason::NotAsserted),
            // خطف needs conflict context.
            ("خطف الشاب الأنظار في حفل أقيم في مدينة حلب.", DropReason::NoContext),
            // A weapon named as a thing needs a word of its use, an accord one of its conclusion.
            ("عثرت دورية على ألغام في مدينة درعا أمس.", DropReason::NotUsed),
            ("The inspectors visited a chemical weapons depot in Hama on Monday.", DropReason::NotUsed),
            ("ناقش الوزيران الهدنة في مدينة حلب أمس.", DropReason::NotConcluded),
            // A generic word needs a place below the country.
            ("وقعت هجمات على مواقع عسكرية في سوريا أمس.", DropReason::Unspecific),
            ("وقعت هجمات على مواقع عسكرية في مكان ما أمس.", DropReason::Unspecific),
            // A generic attack word is a battle only with an armed side attacked or defending.
            ("Three civilians were killed in terrorist attacks in Aleppo on Monday.", DropReason::Unopposed),
            ("قتل ثلاثة مدنيين في هجمات إرهابية على مدينة حلب أمس.", DropReason::Unopposed),
            // A battle named as a campaign is no event either.
            ("وقال قائد معركة تحرير مدينة حلب في تصريح أمس إن القوات تتقدم.", DropReason::Unopposed),
            ("اعتقلت الشرطة ثلاثة أشخاص أمس.", DropReason::NoPlace),
            ("تواصل الطائرات الحربية الغارات الجوية على سوريا.", DropReason::CountryOnly),
            // Dated more than a month before publication: background.
            ("قصفت طائرات حربية مدينة أريحا في الأول من نيسان/أبريل.", DropReason::Background),
        ];
        for (text, reason) in cases {
            let (_, coding) = code(text, "2025-05-17");
            assert!(coding.events.is_empty(), "{text}: coded {:?}", coding.events);
            assert_eq!(coding.dropped.iter().map(|d| d.reason).collect::<Vec<_>>(), [reason], "{text}");
        }
    }

    #[test]
    fn an_attack_on_an_armed_side_is_a_battle() {
        for text in [
            "ISIS militants attacked army positions near Palmyra on Sunday.",
            "صدت القوات الحكومية هجوما لتنظيم داعش على مدينة تدمر أمس.",
            "The fighting in Azaz on Tuesday was between IS militants and a joint force of rebels.",
            "قتل جنديان في قتال بين قوات الحكومة ومقاتلين في وسط مدينة بنغازي أمس.",
        ] {
            let (_, coding) = code(text, "2025-05-17");
            let kinds: Vec<&str> = coding.events.iter().map(|e| e.kind.sub_event_type).collect();
            assert_eq!(kinds, ["Armed clash"], "{text}: dropped {:?}", coding.dropped);
        }
    }

    #[test]
    fn a_count_over_a_month_or_more_is_a_tally() {
        assert_no_event(&[
            "وثقت الشبكة إلقاء المروحيات 2000 برميل متفجر على ريف دمشق خلال يوليو الماضي.",
            "وثق المرصد 300 غارة على مدينة إدلب منذ 20 أكتوبر 2024.",
        ]);
        // A short window is the time of one event.
        let (_, coding) = code("قتل ثلاثة مدنيين في غارة على مدينة إدلب خلال الساعات الماضية.", "2025-05-17");
        assert_eq!(coding.events.len(), 1, "{:?}", coding.dropped);
    }

    #[test]
    fn a_count_over_this_period_or_since_a_war_began_is_a_tally() {
        assert_no_event(&[
            "وقال المرصد إن 170 مدنيا قتلوا في مدينة إدلب جراء هذه الغارات خلال هذه الفترة.",
            "قتل أكثر من 250 ألف شخص في سوريا منذ اندلاع النزاع في مدينة درعا.",
            "The Observatory said 170 civilians were killed in the air strikes on Idlib during this period.",
            "More than 250,000 people have been killed in Aleppo since the outbreak of the war.",
        ]);
    }

    #[test]
    fn a_warning_of_attacks_or_a_duty_to_fight_is_no_event() {
        assert_no_event(&[
            "حذرت وزارة الخارجية الألمانية من هجمات محتملة تستهدف محطات الحافلات في مدينة إسطنبول.",
            "وقال إنه من الواجب قتال الجيش في مدينة سرت.",
            "The embassy warned of attacks on the bus stations of Istanbul.",
        ]);
    }

    #[test]
    fn a_tally_over_a_period_is_no_event() {
        let (a, coding) = code("قتل ٣٠٠ مدني في مدينة إدلب منذ بداية العام.", "2025-05-17");
        assert!(coding.events.is_empty(), "{:?}", coding.events);
        a.with_pass(|pass| {
            assert_eq!(pass.tallies.len(), 1);
            assert!(pass.in_tally(pass.tallies[0]));
        });
    }
}
