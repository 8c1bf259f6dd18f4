//! One coding pass over an article: triggers → clause events → events with their fields.

use rasd_entities::{EntityKind, Inter, Mention};
use rasd_places::{PlaceKind, PlaceMention};
use rasd_text::{segment::clauses, LexMatch, Span};

use std::cell::RefCell;

use crate::count::Count;
use crate::lexicons::{Context, Cue, Domain, EventKind, Trigger};
use crate::screen::{self, ArticleReading, DropReason, Dropped};
use crate::{ActorRef, CodedEvent, Coder, Coding, Input, Responsibility, Status, Window};

const SHELLING: &str = "Shelling/artillery/missile attack";
const AIR_STRIKE: EventKind =
    EventKind { event_type: "Explosions/Remote violence", sub_event_type: "Air/drone strike" };
/// The home country: its generic state actors (الشرطة، the army) are read as another
/// country's at events abroad.
const HOME: &str = "SYR";
/// A figure of dead above this is no one event's toll (a war total, a population): it is
/// flagged (`implausible_toll`), never exported as fatalities.
const MAX_EVENT_TOLL: u32 = 1000;
/// A date window ending this many days before publication makes an event background.
const BACKGROUND_DAYS: i64 = 60;
/// How far (in words) a negation, future or background cue may stand before its trigger.
const STATUS_REACH: usize = 4;
/// How far (in words) a count may stand from its casualty cue.
const COUNT_REACH_AFTER: usize = 4;
const COUNT_REACH_BEFORE: usize = 3;
/// … and how far when a subset phrase (including women and children) stands between them.
const COUNT_REACH_SUBSET: usize = 8;
/// How far (in words) a role word may follow a denial that it turns into a denial of a role.
const ROLE_REACH: usize = 6;
/// How far (in words) a change of control may stand from the place or territory it names.
const TERRITORY_REACH: usize = 4;
/// How far (in words) an actor may stand after a target, joint, claim or blame cue.
const ACTOR_REACH: usize = 4;
/// How many sentences back a definite reference (الهجوم) may reach.
const REFER_BACK_SENTENCES: usize = 3;
/// Triggers below this priority are generic words (هجوم، احتجاج، اتفاق، attack): in a clause
/// after an event of their event type they add to it, and alone they make a weak reading.
const GENERIC_PRIORITY: u8 = 40;
/// Triggers from this priority up (or of several words) name the sub-event type precisely.
const SPECIFIC_PRIORITY: u8 = 50;

/// A trigger found in the text, with what it codes after governing.
#[derive(Clone, Debug)]
struct Found<'l> {
    span: Span,
    kind: Option<EventKind>,
    priority: u8,
    entry: &'l Trigger,
}

/// An event under construction.
#[derive(Debug)]
struct Draft {
    kind: EventKind,
    trigger: Span,
    if_state: Option<EventKind>,
    sentence: usize,
    clause: Span,
    /// Every sentence that reports it (its own, and those that refer back to it).
    sentences: Vec<usize>,
    /// The words that name it: its triggers and the references back to it.
    anchors: Vec<Span>,
    place: Option<usize>,
    /// Named by a specific trigger (several words, or a high priority), not a generic word.
    specific: bool,
}

impl Draft {
    /// Sentence `s` names the event again, with the words `anchor` (الهجوم، وأسفرت المعارك).
    fn reported_again(&mut self, s: usize, anchor: Span) {
        if !self.sentences.contains(&s) {
            self.sentences.push(s);
        }
        self.anchors.push(anchor);
    }
}

/// One sentence's figure of dead for an event.
#[derive(Clone, Copy, Debug)]
struct TollReport {
    count: u32,
    /// The count's words.
    words: Span,
    /// The sentence says the toll rose to it.
    update: bool,
    /// It adds victims to those already counted (أيضاً، آخرين، also, others).
    additional: bool,
    /// Digits or number words, not a vague quantity or a noun (dozens, a woman).
    exact: bool,
}

/// An event's casualties: the chosen figures and every report of dead.
struct Casualties {
    killed: Option<u32>,
    injured: Option<u32>,
    reports: Vec<TollReport>,
    implausible: Option<u32>,
}

pub(crate) struct Pass<'a> {
    coder: &'a Coder,
    input: &'a Input<'a>,
    triggers: Vec<LexMatch>,
    cues: Vec<(Span, Cue)>,
    counts: Vec<Count>,
    word_starts: Vec<usize>,
    /// Clauses that give a tally over a period (an aggregate cue and a count).
    tallies: Vec<Span>,
    /// What the article is.
    article: ArticleReading,
    /// Per place mention: it is a dateline (BEIRUT (Reuters) -, «دمشق - سانا»), where the
    /// report was filed, not where the event happened.
    datelines: Vec<bool>,
    /// Candidates screened out, with their reasons.
    dropped: RefCell<Vec<Dropped>>,
}

impl<'a> Pass<'a> {
    pub(crate) fn new(coder: &'a Coder, input: &'a Input<'a>) -> Self {
        let triggers = coder.lexicons.triggers.find(input.norm);
        let cues = coder.lexicons.cues.find(input.norm);
        let cues: Vec<(Span, Cue)> =
            cues.into_iter().map(|m| (m.span, *coder.lexicons.cues.value(m.values[0]))).collect();
        // A count after "بينهم / including" is part of a toll, not a toll.
        let subsets: Vec<Span> = cues.iter().filter(|(_, c)| *c == Cue::Subset).map(|(s, _)| *s).collect();
        let word_starts: Vec<usize> = input.norm.words().map(|w| input.norm.to_source(w).start).collect();
        let dates = rasd_text::SpanIndex::new(input.dates.iter().map(|d| (d.span, ())));
        let counts: Vec<Count> = input
            .counts
            .iter()
            .filter(|c| dates.overlapping(c.span).next().is_none())
            .filter(|c| {
                // Only the nearest subset phrase before the count can be within two words of it.
                let before = subsets.partition_point(|s| s.end <= c.span.start);
                !subsets[..before]
                    .iter()
                    .rev()
                    .take(KNOWN_OVERLAP)
                    .any(|s| words_between(&word_starts, s.end, c.span.start) <= 2)
            })
            .copied()
            .collect();
        let tallies = tallies(input, &cues, &counts);
        let domains: Vec<Domain> = coder
            .lexicons
            .domains
            .find(input.norm)
            .iter()
            .map(|m| *coder.lexicons.domains.value(m.values[0]))
            .collect();
        let article = screen::read_article(&domains, &cues, input.text);
        let datelines = input.places.iter().map(|p| screen::is_dateline(input.text, p.span)).collect();
        Pass {
            coder,
            input,
            triggers,
            cues,
            counts,
            word_starts,
            tallies,
            article,
            datelines,
            dropped: RefCell::default(),
        }
    }

    /// Whether a place or a territory word stands within a few words of a change-of-control
    /// trigger, in its clause (استعادة مدينة الموصل، Palmyra was captured).
    fn names_territory(&self, trigger: Span, clause: Span) -> bool {
        let near = |s: Span| {
            clause.contains(s)
                && !s.overlaps(trigger)
                && if s.start >= trigger.end {
                    self.words_between(trigger.end, s.start) <= TERRITORY_REACH
                } else {
                    self.words_between(s.end, trigger.start) <= TERRITORY_REACH
                }
        };
        within(self.input.places, clause, |p| p.span).any(|p| near(p.span))
            || self.cues_within(clause).any(|(s, c)| *c == Cue::Territory && near(*s))
    }

    fn drop_candidate(&self, trigger: Span, kind: EventKind, reason: DropReason) {
        self.dropped.borrow_mut().push(Dropped { trigger, kind, reason });
    }

    /// Why the clause's best trigger does not assert a specific event, if it does not. Conflict
    /// context is looked for in the whole sentence (a clause is often a few words).
    fn screen(&self, best: &Found, clause: Span, sentence: Span, found: &[Found]) -> Option<DropReason> {
        if let Some(domain) = self.article.domain {
            return Some(DropReason::ArticleKind(domain));
        }
        let words = &self.input.text[sentence.start..sentence.end];
        if words.contains('?') || words.contains('؟') {
            return Some(DropReason::Question);
        }
        if self.cue_within(Cue::Irrealis, best.span, clause, STATUS_REACH + 2) {
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
            Context::Territory => self.names_territory(best.span, clause) && conflict(sentence),
        };
        if !context {
            return Some(DropReason::NoContext);
        }
        // A generic word (هجمات، المعارك، attacks) names a specific event only where its
        // sentence says where, below the level of a country.
        let specific = best.priority >= SPECIFIC_PRIORITY || best.entry.phrase;
        let placed =
            (0..self.input.places.len()).any(|i| sentence.contains(self.input.places[i].span) && !self.is_country(i));
        (!specific && !placed).then_some(DropReason::Unspecific)
    }

    /// Whether a span lies in a tally clause.
    fn in_tally(&self, span: Span) -> bool {
        self.tallies.iter().any(|t| t.contains(span))
    }

    pub(crate) fn run(self) -> Coding {
        let events = self.events();
        Coding { events, dropped: self.dropped.into_inner(), article: self.article }
    }

    fn events(&self) -> Vec<CodedEvent> {
        let mut drafts: Vec<Draft> = Vec::new();
        for (s, sentence) in self.input.sentences.iter().enumerate() {
            self.code_sentence(s, *sentence, &mut drafts);
        }
        let mut events: Vec<CodedEvent> = Vec::new();
        let mut kept: Vec<&Draft> = Vec::new();
        for draft in &drafts {
            let Some(event) = self.complete(draft, &kept, &events, &drafts) else { continue };
            match self.same_as(&event, draft, &events, &kept) {
                Some(i) => merge_into(&mut events[i], event),
                None => {
                    events.push(event);
                    kept.push(draft);
                }
            }
        }
        events
    }

    // ----- triggers and drafts -------------------------------------------------------------

    fn code_sentence(&self, s: usize, sentence: Span, drafts: &mut Vec<Draft>) {
        if self.is_pluperfect(sentence) {
            return;
        }
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
        // A governing trigger takes over the later triggers of the types it governs.
        for i in 0..found.len() {
            if found[i].entry.governs.is_empty() || found[i].kind.is_none() {
                continue;
            }
            let (kind, priority) = (found[i].kind, found[i].priority);
            let governs = found[i].entry.governs.clone();
            for later in found.iter_mut().skip(i + 1) {
                if later.kind.is_some_and(|k| governs.contains(&k.event_type)) {
                    later.kind = kind;
                    later.priority = priority;
                }
            }
        }
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
        for clause in clauses(self.input.text, sentence) {
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
            let place = self.best_place(clause, best.span);
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
                    specific: best.priority >= SPECIFIC_PRIORITY || best.entry.phrase,
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

    /// Whether a sentence without a trigger carries what belongs to the event before it:
    /// casualties, a claim, a denial.
    fn adds_to_previous(&self, sentence: Span) -> bool {
        self.cues_within(sentence).any(|(span, cue)| {
            !self.in_tally(*span)
                && matches!(cue, Cue::Killed | Cue::Injured | Cue::Unharmed | Cue::Claim | Cue::Unclaimed | Cue::Blame)
        })
    }

    fn is_background_cue(&self, trigger: Span, clause: Span) -> bool {
        self.cue_within(Cue::Background, trigger, clause, STATUS_REACH)
    }

    /// Whether a cue of `kind` stands in `clause` at most `reach` words before `trigger`.
    fn cue_within(&self, kind: Cue, trigger: Span, clause: Span, reach: usize) -> bool {
        self.cues_within(clause).any(|(span, cue)| {
            *cue == kind && span.end <= trigger.start && self.words_between(span.end, trigger.start) <= reach
        })
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

    // ----- completing a draft --------------------------------------------------------------

    fn complete(&self, d: &Draft, earlier: &[&Draft], events: &[CodedEvent], all: &[Draft]) -> Option<CodedEvent> {
        let input = self.input;
        let sentence = input.sentences[d.sentence];
        let date = self.date_for(d, earlier, events);
        if (input.published - date.end).num_days() > BACKGROUND_DAYS {
            return None;
        }
        let place = d
            .place
            .or_else(|| self.best_place(sentence, d.trigger))
            .map(|p| self.refine_place(d, p))
            .or_else(|| self.paragraph_place(d, earlier, events))
            .or_else(|| self.article_place())
            .or_else(|| self.country_in(sentence))
            .or_else(|| self.country_in(Span::new(0, input.text.len())));
        let Some(place) = place else {
            self.drop_candidate(d.trigger, d.kind, DropReason::NoPlace);
            return None;
        };
        let place = Some(place);
        let mut sources = input.attribution.chain_at(d.sentence, d.trigger.start);
        for &s in d.sentences.iter().skip(1) {
            add_sources(&mut sources, input.attribution.chain_at(s, usize::MAX));
        }
        let speaker_actor = self.speaker_actor(d, &sources);
        let (actor1, actor2, assoc_actors) = self.actors(d, speaker_actor);
        let abroad = place.map(|p| self.input.gazetteer.place(self.input.places[p].place)).filter(|p| p.iso3 != HOME);
        let (actor1, actor2) = match abroad {
            Some(p) => (
                actor1.map(|a| self.localised(a, &p.iso3, &p.country)),
                actor2.map(|a| self.localised(a, &p.iso3, &p.country)),
            ),
            None => (actor1, actor2),
        };
        let kind = match (&actor1, d.if_state) {
            (Some(a), Some(state_kind)) if a.actor.inter == Inter::StateForces => state_kind,
            _ => d.kind,
        };
        // "قصفت طائرات حربية", "warplanes shelled": bombardment from the air is an air strike.
        let from_air = self.cues_within(d.clause).any(|(_, c)| *c == Cue::Air);
        let kind = if kind.sub_event_type == SHELLING && from_air { AIR_STRIKE } else { kind };
        let status = self.status(d, &date);
        let casualties = self.casualties(d, all);
        let responsibility = self.responsibility(d);
        let local_place = place.is_some_and(|p| !self.is_country(p));
        let named_actor = actor1.as_ref().is_some_and(|a| a.span.is_some());
        let confidence = Confidence {
            specific_trigger: d.specific,
            repeated: d.anchors.len() > 1,
            local_place,
            dated: date.mention.is_some(),
            named_actor,
            relayed: sources.len() > 1,
        }
        .value();
        Some(CodedEvent {
            kind,
            status,
            trigger: d.trigger,
            evidence: sentence,
            date,
            place,
            actor1,
            actor2,
            assoc_actors,
            fatalities: casualties.killed,
            injured: casualties.injured,
            toll_reports: casualties.reports.iter().map(|r| r.words).collect(),
            implausible_toll: casualties.implausible,
            responsibility,
            sources,
            confidence,
        })
    }

    /// The nearest date in the clause, then the sentence, then earlier in the paragraph.
    fn date_for(&self, d: &Draft, earlier: &[&Draft], events: &[CodedEvent]) -> Window {
        let dates = self.input.dates;
        let sentence = self.input.sentences[d.sentence];
        let report_clauses: Vec<Span> = clauses(self.input.text, sentence)
            .into_iter()
            .filter(|c| !c.contains(d.trigger) && self.input.attribution.quotes.iter().any(|q| c.contains(q.verb)))
            .collect();
        // The date of a statement (أعلنت الوزارة في بيان اليوم الخميس) is not the event's.
        let is_report_date = |i: usize| report_clauses.iter().any(|c| c.contains(dates[i].span));
        let nearest = |within: Span, skip_reports: bool| {
            (0..dates.len())
                .filter(|&i| within.contains(dates[i].span) && !(skip_reports && is_report_date(i)))
                .min_by_key(|&i| dates[i].span.distance(d.trigger))
        };
        let chosen = nearest(d.clause, false).or_else(|| nearest(sentence, true)).or_else(|| nearest(sentence, false));
        if let Some(i) = chosen {
            return window(&dates[i], Some(i));
        }
        let paragraph = self.paragraph_of(d.sentence);
        let previous_event = earlier.iter().zip(events).rev().find(|(e, _)| paragraph.contains(&e.sentence));
        if let Some((_, event)) = previous_event {
            return event.date;
        }
        let before = Span::new(self.input.sentences[*paragraph.start()].start, sentence.start);
        if let Some(i) = (0..dates.len()).rev().find(|&i| before.contains(dates[i].span)) {
            return window(&dates[i], Some(i));
        }
        let published = self.input.published;
        Window { start: published.pred_opt().unwrap_or(published), end: published, precision: 2, mention: None }
    }

    /// The sentences of the paragraph holding sentence `s`.
    fn paragraph_of(&self, s: usize) -> std::ops::RangeInclusive<usize> {
        let (text, sentences) = (self.input.text, self.input.sentences);
        let breaks_before = |i: usize| i == 0 || text[sentences[i - 1].end..sentences[i].start].contains('\n');
        let start = (0..=s).rev().find(|&i| breaks_before(i)).unwrap_or(0);
        let end = (s + 1..sentences.len()).find(|&i| breaks_before(i)).map_or(sentences.len() - 1, |i| i - 1);
        start..=end
    }

    fn paragraph_place(&self, d: &Draft, earlier: &[&Draft], events: &[CodedEvent]) -> Option<usize> {
        let paragraph = self.paragraph_of(d.sentence);
        let from_event = earlier.iter().zip(events).rev().find(|(e, _)| paragraph.contains(&e.sentence));
        if let Some((_, event)) = from_event.filter(|(_, e)| e.place.is_some()) {
            return event.place;
        }
        let before = Span::new(self.input.sentences[*paragraph.start()].start, self.input.sentences[d.sentence].start);
        (0..self.input.places.len())
            .rev()
            .find(|&i| before.contains(self.input.places[i].span) && !self.is_country(i) && !self.datelines[i])
    }

    fn article_place(&self) -> Option<usize> {
        (0..self.input.places.len()).find(|&i| !self.is_country(i) && !self.datelines[i])
    }

    fn is_country(&self, i: usize) -> bool {
        self.kind_of(i) == PlaceKind::Country
    }

    fn kind_of(&self, i: usize) -> PlaceKind {
        self.input.gazetteer.place(self.input.places[i].place).kind
    }

    /// The most specific place below country level in `within`, nearest the trigger: a
    /// country never beats a local mention.
    fn best_place(&self, within: Span, trigger: Span) -> Option<usize> {
        let places = self.input.places;
        (0..places.len())
            .filter(|&i| {
                within.contains(places[i].span)
                    && !self.is_country(i)
                    && !self.datelines[i]
                    && !self.cue_before(places[i].phrase, Cue::Away, within)
            })
            .min_by_key(|&i| (places[i].geo_precision, places[i].span.distance(trigger)))
    }

    /// A region-level place made precise by a later reference: "an air strike in northwest
    /// Syria … the strike near the town of Atmeh".
    fn refine_place(&self, d: &Draft, place: usize) -> usize {
        let places = self.input.places;
        let precise = d
            .anchors
            .iter()
            .filter(|a| !d.clause.contains(**a))
            .filter_map(|a| {
                let sentence = self.input.sentences.iter().find(|s| s.contains(*a))?;
                let clause = clauses(self.input.text, *sentence).into_iter().find(|c| c.contains(*a))?;
                self.best_place(clause, *a)
            })
            .min_by_key(|&p| places[p].geo_precision);
        match precise {
            Some(p) if places[p].geo_precision < places[place].geo_precision => p,
            _ => place,
        }
    }

    fn country_in(&self, within: Span) -> Option<usize> {
        (0..self.input.places.len()).find(|&i| within.contains(self.input.places[i].span))
    }

    fn same_place(&self, a: Option<usize>, b: Option<usize>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => self.input.places[a].place == self.input.places[b].place,
            _ => false,
        }
    }

    // ----- actors --------------------------------------------------------------------------

    /// The actor behind the sentence's speaker (وزارة الداخلية speaks and acts).
    fn speaker_actor(&self, d: &Draft, sources: &[rasd_quotes::Link]) -> Option<ActorRef> {
        let spans: Vec<Span> = sources.iter().filter_map(|l| l.span).collect();
        self.input
            .entities
            .iter()
            .find(|m| {
                m.kind == EntityKind::Actor
                    && spans.contains(&m.span)
                    && self.input.sentences[d.sentence].contains(m.span)
            })
            .map(|m| actor_ref(m, false))
    }

    fn actors(&self, d: &Draft, speaker: Option<ActorRef>) -> (Option<ActorRef>, Option<ActorRef>, Vec<ActorRef>) {
        let sentence = self.input.sentences[d.sentence];
        let mut agents: Vec<(&Mention, bool)> = Vec::new();
        let mut targets: Vec<&Mention> = Vec::new();
        let mut assoc: Vec<ActorRef> = Vec::new();
        let takes_object = matches!(d.kind.sub_event_type, "Arrests" | "Abduction/forced disappearance");
        for m in self.input.entities.iter().filter(|m| m.kind == EntityKind::Actor && sentence.contains(m.span)) {
            if speaker.as_ref().is_some_and(|s| s.span == Some(m.span)) && !d.clause.contains(m.span) {
                continue;
            }
            if self.cue_before(m.span, Cue::Joint, d.clause) {
                if !assoc.iter().any(|a| a.actor.name == m.name) {
                    assoc.push(actor_ref(m, true));
                }
            } else if self.cue_before(m.span, Cue::Target, sentence)
                || (takes_object
                    && d.clause.contains(m.span)
                    && m.span.start > d.trigger.end
                    && !self.verb_subject(m, d))
            {
                targets.push(m);
            } else {
                agents.push((m, d.clause.contains(m.span)));
            }
        }
        let actor1 = agents
            .iter()
            .filter(|(m, _)| m.actor.as_ref().is_some_and(|a| a.inter != Inter::Civilians))
            .min_by_key(|(m, in_clause)| (!in_clause, m.span.distance(d.trigger)))
            .map(|(m, _)| actor_ref(m, true))
            .or(speaker);
        let actor2 = targets
            .iter()
            .chain(
                agents.iter().map(|(m, _)| m).filter(|m| m.actor.as_ref().is_some_and(|a| a.inter == Inter::Civilians)),
            )
            .find(|m| actor1.as_ref().is_none_or(|a| a.actor.name != m.name))
            .map(|m| actor_ref(m, true));
        assoc.retain(|a| actor1.as_ref().is_none_or(|b| b.actor.name != a.actor.name));
        (actor1, actor2, assoc)
    }

    /// A home-country state actor named without a home marker (الشرطة، security forces), at an
    /// event abroad, is that country's: Police Forces of Syria (2024-) → Police Forces of Turkey.
    fn localised(&self, a: ActorRef, iso3: &str, country: &str) -> ActorRef {
        let generic = a.actor.country.as_deref() == Some(HOME)
            && a.actor.inter == Inter::StateForces
            && a.span.is_some_and(|s| {
                let words = rasd_text::fold::fold_str(s.slice(self.input.text));
                !self.coder.lexicons.home_markers.iter().any(|m| words.contains(m.as_str()))
            });
        let Some((kind, _)) = a.actor.name.split_once(" of ").filter(|_| generic) else { return a };
        let actor = rasd_entities::Actor {
            name: format!("{kind} of {country}"),
            inter: a.actor.inter,
            country: Some(iso3.to_string()),
        };
        ActorRef { actor, span: a.span }
    }

    /// Whether an actor right after an arrest or abduction verb is its subject, the verb coming
    /// first (اعتقلت قوات الأمن ثلاثة أشخاص): something else is named after it in the clause.
    fn verb_subject(&self, m: &Mention, d: &Draft) -> bool {
        let object_after = |after: usize| {
            within(&self.counts, d.clause, |c| c.span).any(|c| c.span.start >= after)
                || within(self.input.entities, d.clause, |o| o.span).any(|o| o.span.start >= after)
        };
        self.words_between(d.trigger.end, m.span.start) == 0 && object_after(m.span.end)
    }

    fn cue_before(&self, span: Span, kind: Cue, within: Span) -> bool {
        self.cues_within(within)
            .any(|(c, k)| *k == kind && c.end <= span.start && self.words_between(c.end, span.start) <= 2)
    }

    // ----- status, counts, responsibility --------------------------------------------------

    fn cues_in(&self, d: &Draft) -> impl Iterator<Item = (Span, Cue)> + '_ {
        let sentences = d.sentences.clone();
        sentences.into_iter().flat_map(move |s| self.cues_within(self.input.sentences[s])).copied()
    }

    /// The cues inside `window`.
    fn cues_within(&self, window: Span) -> impl Iterator<Item = &(Span, Cue)> {
        within(&self.cues, window, |(span, _)| *span)
    }

    fn status(&self, d: &Draft, date: &Window) -> Status {
        let near_before = |kind: Cue| self.cue_within(kind, d.trigger, d.clause, STATUS_REACH);
        if near_before(Cue::Negation) {
            Status::Negated
        } else if self.cues_in(d).any(|(span, c)| c == Cue::Denial && !self.denies_a_role(span)) {
            Status::Denied
        } else if near_before(Cue::Future) || date.start > self.input.published {
            Status::Future
        } else {
            Status::Occurred
        }
    }

    /// Whether a denial is of a role, link or motive (نفت أن يكون لها علاقة بالهجوم، denied any
    /// role in the attack): a role word follows it closely, and the event itself stands.
    fn denies_a_role(&self, denial: Span) -> bool {
        self.cues.iter().any(|(s, c)| {
            *c == Cue::Role && s.start >= denial.end && self.words_between(denial.end, s.start) <= ROLE_REACH
        })
    }

    fn casualties(&self, d: &Draft, all: &[Draft]) -> Casualties {
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
        // A later "the toll rose to" replaces the figures before it; otherwise the first exact
        // figure (news leads with the toll; later figures are parts of it or other events),
        // else the first vague one (عشرات، dozens).
        // "also killed three others" adds to it.
        let base = match reports.iter().rposition(|r| r.update) {
            Some(i) => Some(reports[i].count),
            None => reports.iter().filter(|r| !r.additional).min_by_key(|r| (!r.exact, r.words.start)).map(|r| r.count),
        };
        let more: u32 = reports.iter().filter(|r| r.additional && !r.update).map(|r| r.count).sum();
        let chosen = match base {
            Some(n) => Some(n.saturating_add(more)),
            None => (!reports.is_empty()).then_some(more),
        };
        let implausible = chosen.filter(|n| *n > MAX_EVENT_TOLL);
        let mut killed = chosen.filter(|n| *n <= MAX_EVENT_TOLL);
        if unharmed {
            killed = killed.or(Some(0));
            injured = injured.or(Some(0));
        }
        Casualties { killed, injured: injured.filter(|n| *n <= MAX_EVENT_TOLL), reports, implausible }
    }

    /// The index of the sentence holding a span.
    fn sentence_of(&self, span: Span) -> Option<usize> {
        let i = self.input.sentences.partition_point(|s| s.end < span.end);
        self.input.sentences.get(i).filter(|s| s.contains(span)).map(|_| i)
    }

    /// Whether a casualty cue tells the toll of a background event: a background cue stands
    /// between the event's words and the cue in its clause ("the strike comes a month after a
    /// raid that killed another leader").
    fn background_toll(&self, cue: Span, d: &Draft) -> bool {
        let before = |b: &Span| b.end <= cue.start && d.anchors.iter().any(|a| a.end <= b.start);
        if !self.cues.iter().any(|(b, kind)| *kind == Cue::Background && before(b)) {
            return false;
        }
        let Some(sentence) = self.sentence_of(cue).map(|s| self.input.sentences[s]) else { return false };
        let Some(clause) = clauses(self.input.text, sentence).into_iter().find(|c| c.contains(cue)) else {
            return false;
        };
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
    fn count_near(&self, cue: Span, cues: &[(Span, Cue)]) -> Option<(u32, Span, bool)> {
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

    fn responsibility(&self, d: &Draft) -> Responsibility {
        let mut r = Responsibility::default();
        for (span, cue) in self.cues_in(d) {
            match cue {
                Cue::Claim => r.claimed_by = r.claimed_by.or_else(|| self.actor_next_to(span)),
                Cue::Blame => r.attributed_to = r.attributed_to.or_else(|| self.actor_next_to(span)),
                Cue::Unclaimed => r.unclaimed = true,
                _ => {}
            }
        }
        r
    }

    /// The actor named right after a cue (تبنى تنظيم داعش), else right before it (IS claimed).
    fn actor_next_to(&self, cue: Span) -> Option<String> {
        let actors = || self.input.entities.iter().filter(|m| m.kind == EntityKind::Actor);
        actors()
            .find(|m| m.span.start >= cue.end && self.words_between(cue.end, m.span.start) <= ACTOR_REACH)
            .or_else(|| {
                actors().rfind(|m| m.span.end <= cue.start && self.words_between(m.span.end, cue.start) <= ACTOR_REACH)
            })
            .map(|m| m.name.clone())
    }

    // ----- merging -------------------------------------------------------------------------

    /// An earlier event that `event` repeats: same type, overlapping dates, compatible places,
    /// from another sentence.
    fn same_as(&self, event: &CodedEvent, draft: &Draft, events: &[CodedEvent], drafts: &[&Draft]) -> Option<usize> {
        events.iter().zip(drafts).position(|(e, d)| {
            let dated = e.date.mention.is_some() && event.date.mention.is_some();
            // A sentence that names neither place nor date only elaborates (فبادر إلى تفجير نفسه).
            let elaboration = draft.place.is_none() && event.date.mention.is_none();
            (e.kind == event.kind || (elaboration && e.kind.event_type == event.kind.event_type))
                && d.sentence != draft.sentence
                && !self.distinct_towns(e.place, event.place)
                && (!dated || (e.date.start <= event.date.end && event.date.start <= e.date.end))
                && (draft.place.is_none() || d.place.is_none() || self.same_place(draft.place, d.place))
        })
    }

    /// Whether two events stand at towns (or near towns) of two different districts: a second
    /// abduction "in the city" hours after one "north of the town" is another event, even when
    /// its sentence only continues the story; a neighbourhood and its city are one place.
    fn distinct_towns(&self, a: Option<usize>, b: Option<usize>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => {
                let (a, b) = (&self.input.places[a], &self.input.places[b]);
                let district = |m: &PlaceMention| self.input.gazetteer.place(m.place).admin2.clone();
                a.place != b.place
                    && a.geo_precision <= 2
                    && b.geo_precision <= 2
                    && district(a).is_some()
                    && district(a) != district(b)
            }
            _ => false,
        }
    }

    /// Words in the folded copy between two source offsets.
    fn words_between(&self, from: usize, to: usize) -> usize {
        words_between(&self.word_starts, from, to)
    }
}

/// How many cues before a position are looked at: cues never overlap, so the nearest decide.
const KNOWN_OVERLAP: usize = 4;

/// Words (by their source start offsets) between two source offsets.
fn words_between(word_starts: &[usize], from: usize, to: usize) -> usize {
    if to <= from {
        return 0;
    }
    word_starts.partition_point(|&w| w < to) - word_starts.partition_point(|&w| w < from)
}

/// The clauses of the article that give a tally over a period: an aggregate cue (منذ بداية
/// العام، this year) with a count in the same clause.
fn tallies(input: &Input, cues: &[(Span, Cue)], counts: &[Count]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for (span, _) in cues.iter().filter(|(_, c)| *c == Cue::Aggregate) {
        let Some(sentence) = input.sentences.iter().find(|s| s.contains(*span)) else { continue };
        let Some(clause) = clauses(input.text, *sentence).into_iter().find(|c| c.contains(*span)) else { continue };
        if counts.iter().any(|c| clause.contains(c.span)) && !out.contains(&clause) {
            out.push(clause);
        }
    }
    out
}

/// What supports a reading; its [`Confidence::value`] is the event's confidence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Confidence {
    /// Named by a specific trigger (several words, or a high priority), not a generic word.
    specific_trigger: bool,
    /// Named again later (a reference back, another sentence).
    repeated: bool,
    /// Placed below country level.
    local_place: bool,
    /// Dated by words of the text, not the publication date.
    dated: bool,
    /// An actor named in the text.
    named_actor: bool,
    /// Relayed by a chain of more than one source.
    relayed: bool,
}

impl Confidence {
    /// A base of 0.3 for one trigger word, and 0.7 shared by the evidence (a specific trigger
    /// counts double): one generic word with no place, date, actor or relaying source scores
    /// 0.3, a fully supported reading 1.0. Calibrated on the audited samples
    /// (docs/accuracy.md): events at 0.7 or more are real events most of the time.
    fn value(self) -> f32 {
        const BASE: f32 = 0.3;
        let weighted = [
            (self.specific_trigger, 0.2),
            (self.repeated, 0.1),
            (self.local_place, 0.1),
            (self.dated, 0.1),
            (self.named_actor, 0.1),
            (self.relayed, 0.1),
        ];
        BASE + weighted.iter().filter(|(yes, _)| *yes).map(|(_, w)| w).sum::<f32>()
    }
}

/// Appends the links of `more` that `sources` lacks (by name).
fn add_sources(sources: &mut Vec<rasd_quotes::Link>, more: Vec<rasd_quotes::Link>) {
    for link in more {
        if !sources.iter().any(|l| l.name == link.name) {
            sources.push(link);
        }
    }
}

fn window(d: &rasd_dates::DateMention, index: Option<usize>) -> Window {
    Window { start: d.start, end: d.end, precision: d.precision, mention: index }
}

fn actor_ref(m: &Mention, named: bool) -> ActorRef {
    let actor = m.actor.clone().unwrap_or_else(|| rasd_entities::Actor {
        name: m.name.clone(),
        inter: Inter::StateForces,
        country: None,
    });
    ActorRef { actor, span: named.then_some(m.span) }
}

/// Folds a repeated report into the first: fill what the first lacks, keep the larger counts.
fn merge_into(first: &mut CodedEvent, other: CodedEvent) {
    first.place = first.place.or(other.place);
    first.actor1 = first.actor1.take().or(other.actor1);
    first.actor2 = first.actor2.take().or(other.actor2);
    // Two sentences' figures for the same dead are alternatives: the lowest stands (ACLED).
    first.fatalities = match (first.fatalities, other.fatalities) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    first.injured = first.injured.max(other.injured);
    first.toll_reports.extend(other.toll_reports);
    first.implausible_toll = first.implausible_toll.or(other.implausible_toll);
    if first.date.mention.is_none() {
        first.date = other.date;
    }
    first.responsibility.claimed_by = first.responsibility.claimed_by.take().or(other.responsibility.claimed_by);
    first.responsibility.attributed_to =
        first.responsibility.attributed_to.take().or(other.responsibility.attributed_to);
    first.responsibility.unclaimed |= other.responsibility.unclaimed;
    add_sources(&mut first.sources, other.sources);
    if first.status == Status::Occurred {
        first.status = other.status;
    }
}

/// The items of `sorted` (sorted by the start of their spans) that lie inside `window`, found by
/// binary search: a long article must not make each lookup scan the whole article.
fn within<T>(sorted: &[T], window: Span, span: impl Fn(&T) -> Span + Copy) -> impl Iterator<Item = &T> {
    let from = sorted.partition_point(|t| span(t).start < window.start);
    sorted[from..].iter().take_while(move |t| span(t).start < window.end).filter(move |t| window.contains(span(t)))
}
