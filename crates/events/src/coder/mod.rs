//! One coding pass over an article: triggers → clause events → events with their fields.
//!
//! [`Pass`] holds what is read once per article (trigger matches, cues, counts, word starts,
//! clauses of each sentence, tallies, the place mentions that name no event's place) and drives the stages, each in its own module:
//!
//! - `triggers`: triggers per sentence, governing, references back, clause grouping → drafts;
//! - `screening`: why a clause's trigger asserts no event (`DropReason`), tallies;
//! - `when_where`: the date and place of an event;
//! - `actors`: actor1, actor2, associates, responsibility;
//! - `status`: occurred, future, denied, negated;
//! - `toll`: killed and injured, every report of dead;
//! - `merge`: repeated reports of one event folded into the first;
//! - `confidence`: what supports a reading ([`Confidence`]).

mod actors;
mod confidence;
mod features;
mod merge;
mod screening;
mod status;
mod toll;
mod triggers;
mod when_where;

#[cfg(test)]
mod tests;

use std::cell::RefCell;

use rasd_dates::DateMention;
use rasd_entities::Inter;
use rasd_places::{PlaceKind, PlaceMention, Relation};
use rasd_text::{segment::clauses, LexMatch, Span};

pub use confidence::Confidence;

use crate::count::Count;
use crate::lexicons::{Cue, Domain, EventKind, Trigger};
use crate::screen::{self, ArticleReading, DropReason, Dropped};
use crate::{CodedEvent, Coder, Coding, Input, Status};
use features::FeatureSink;
use rasd_kb::Taxonomy;

/// A date window starting this many days before publication makes an event background: the
/// blind gold of rounds 1-15 codes 1 event of 51 so dated (a month's report, a campaign "since
/// March", an attack recalled as context).
const BACKGROUND_DAYS: i64 = 30;
/// How far (in words) a negation, future or background cue may stand before its trigger.
const STATUS_REACH: usize = 4;
/// How many sentences back a definite reference (الهجوم) may reach.
const REFER_BACK_SENTENCES: usize = 3;

/// ACLED's disorder type of battles, explosions and violence against civilians.
const POLITICAL_VIOLENCE: &str = "Political violence";
/// Triggers from this priority up (or of several words) name the sub-event type precisely.
const SPECIFIC_PRIORITY: u8 = 50;
/// How many cues before a position are looked at: cues never overlap, so the nearest decide.
const KNOWN_OVERLAP: usize = 4;

/// A trigger found in the text, with what it codes after governing.
#[derive(Clone, Debug)]
struct Found<'l> {
    span: Span,
    kind: Option<EventKind>,
    priority: u8,
    entry: &'l Trigger,
}

impl Found<'_> {
    /// Named precisely: several words, or a high priority.
    fn is_specific(&self) -> bool {
        self.priority >= SPECIFIC_PRIORITY || self.entry.phrase
    }
}

/// An event under construction.
#[derive(Debug, Clone)]
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

pub(crate) struct Pass<'a> {
    coder: &'a Coder,
    input: &'a Input<'a>,
    triggers: Vec<LexMatch>,
    cues: Vec<(Span, Cue)>,
    counts: Vec<Count>,
    word_starts: Vec<usize>,
    /// The clauses of each sentence, computed once.
    clauses: Vec<Vec<Span>>,
    /// Clauses that give a tally over a period (an aggregate cue and a count).
    tallies: Vec<Span>,
    /// What the article is.
    article: ArticleReading,
    /// Per place mention: it names no event's place. A dateline (BEIRUT (Reuters) -, «دمشق -
    /// سانا») is where the report was filed; a seat of government named bare (الغارات التي
    /// تشنها أنقرة) stands for the government (`data/events/seats.tsv`).
    not_event_places: Vec<bool>,
    /// Per date mention: it is the page's own date line ("Tuesday 26 April 2016 21:41" at the
    /// head of the body, "Published April 8 2017"), the publication date, not an event's.
    dateline_dates: Vec<bool>,
    /// Candidates screened out, with their reasons.
    dropped: RefCell<Vec<Dropped>>,
    /// Keep each event's features (to explain its confidence), not only their weight.
    keep_features: bool,
}

impl<'a> Pass<'a> {
    pub(crate) fn new(coder: &'a Coder, input: &'a Input<'a>) -> Self {
        let triggers = coder.lexicons.triggers.find(input.norm);
        let cues = coder.lexicons.cues.find(input.norm);
        // A word may be listed twice (حاجز: territory, and an armed side attacked): every
        // reading counts.
        let cues: Vec<(Span, Cue)> = cues
            .into_iter()
            .flat_map(|m| {
                let span = m.span;
                m.values.into_iter().map(move |v| (span, *coder.lexicons.cues.value(v)))
            })
            .collect();
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
        let clauses: Vec<Vec<Span>> = input.sentences.iter().map(|s| clauses(input.text, *s)).collect();
        let tallies = screening::tallies(input, &clauses, &cues, &counts, &word_starts);
        let domains: Vec<Domain> = coder
            .lexicons
            .domains
            .find(input.norm)
            .iter()
            .map(|m| *coder.lexicons.domains.value(m.values[0]))
            .collect();
        let article = screen::read_article(&domains, &cues, input.text);
        let mut not_event_places: Vec<bool> = Vec::with_capacity(input.places.len());
        for (i, p) in input.places.iter().enumerate() {
            // A seat listed after a place of an event is one too («في إسطنبول وأنقرة وأضنة»).
            let listed = i > 0 && !not_event_places[i - 1] && listed_after(input, i);
            not_event_places.push(
                screen::is_dateline(input.text, p.span)
                    || agency_dateline(input, p.span)
                    || (!listed && bare_seat(coder, input, p, &cues, &word_starts))
                    || locates_the_place_before(input, i),
            );
        }
        let dateline_dates = input.dates.iter().map(|d| is_dateline_date(input, d, &word_starts)).collect();
        Pass {
            coder,
            input,
            triggers,
            cues,
            counts,
            word_starts,
            clauses,
            tallies,
            article,
            not_event_places,
            dateline_dates,
            dropped: RefCell::default(),
            keep_features: false,
        }
    }

    /// The pass, keeping each event's features in [`CodedEvent::features`].
    pub(crate) fn keeping_features(self) -> Self {
        Pass { keep_features: true, ..self }
    }

    pub(crate) fn run(self) -> Coding {
        let events = self.judged(self.events());
        Coding { events, dropped: self.dropped.into_inner(), article: self.article }
    }

    /// The events with their features and probabilities, or none when even the article's most
    /// likely event is unlikely (an article that reports no event: commentary, another
    /// field's news). An article with one likely event keeps all of its events, each with its
    /// probability as its confidence, except those under the model's event floor: a side
    /// reading of a story (an arrest word in the biography of a man killed in an air strike).
    fn judged(&self, mut events: Vec<CodedEvent>) -> Vec<CodedEvent> {
        if events.is_empty() {
            return events;
        }
        let model = &self.coder.likelihood;
        let places = self.place_tally();
        for i in 0..events.len() {
            let mut sink = FeatureSink::new(model, self.keep_features);
            self.features(&events, i, &places, &mut sink);
            (events[i].likelihood, events[i].features) = sink.finish();
        }
        let most_likely = events.iter().map(|e| e.likelihood).fold(0.0, f32::max);
        if !model.keeps(most_likely) {
            for e in events.drain(..) {
                self.drop_candidate(e.trigger, e.kind, DropReason::Unlikely);
            }
        }
        events.retain(|e| {
            let keep = model.keeps_event(e.likelihood, most_likely);
            if !keep {
                self.drop_candidate(e.trigger, e.kind, DropReason::UnlikelyBeside);
            }
            keep
        });
        events
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
                Some(i) => {
                    // A repeat dated only by the statement that mentions it («أعلن أمس أن …
                    // بالهجوم») does not date the event.
                    let mut event = event;
                    if self.is_statement_date(draft, &event.date) {
                        event.date = events[i].date;
                    }
                    merge::merge_into(&mut events[i], event)
                }
                None => {
                    events.push(event);
                    kept.push(draft);
                }
            }
        }
        let events = self.fold_regions(events);
        self.fold_same_day(events)
    }

    /// A draft with every field: `None` when it is background (dated a month or more before publication),
    /// has no place, or has only a country and no day.
    fn complete(&self, d: &Draft, earlier: &[&Draft], events: &[CodedEvent], all: &[Draft]) -> Option<CodedEvent> {
        let input = self.input;
        let sentence = input.sentences[d.sentence];
        let date = self.date_for(d, earlier, events);
        if (input.published - date.start).num_days() > BACKGROUND_DAYS {
            self.drop_candidate(d.trigger, d.kind, DropReason::Background);
            return None;
        }
        let Some(place) = self.place_for(d, earlier, events) else {
            self.drop_candidate(d.trigger, d.kind, DropReason::NoPlace);
            return None;
        };
        // Only a country, and no date of its own or one of a month or more: the campaign talked
        // about («الضربات الجوية على سوريا»), not an event.
        if self.is_country(place) && (date.mention.is_none() || date.precision >= 3) {
            self.drop_candidate(d.trigger, d.kind, DropReason::CountryOnly);
            return None;
        }
        let mut sources = input.attribution.chain_at(d.sentence, d.trigger.start);
        for &s in d.sentences.iter().skip(1) {
            merge::add_sources(&mut sources, input.attribution.chain_at(s, usize::MAX));
        }
        let speaker_actor = self.speaker_actor(d, &sources);
        let (actor1, actor2, assoc_actors) = self.actors(d, speaker_actor);
        let (actor1, actor2) = self.localised_at(place, actor1, actor2);
        let kind = match (&actor1, d.if_state) {
            (Some(a), Some(state_kind)) if a.actor.inter == Inter::StateForces => state_kind,
            _ => d.kind,
        };
        let kind = self.kind_by_air(kind, d.clause);
        let status = self.status(d, &date);
        // Violence foretold for after publication («خلال الساعات المقبلة», غداً) has not
        // happened; a planned protest or an announced campaign is a future event.
        // An absolute date after publication is more often a wrong page date than a forecast.
        let violent = Taxonomy::embedded().disorder_type(kind.event_type) == Some(POLITICAL_VIOLENCE);
        let forward = date.mention.is_some_and(|i| input.dates[i].relative) || self.foretold_by_cue(d);
        if status == Status::Future && violent && date.start > input.published && forward {
            self.drop_candidate(d.trigger, kind, DropReason::Foretold);
            return None;
        }
        let casualties = self.casualties(d, all);
        let responsibility = self.responsibility(d);
        let confidence = Confidence {
            specific_trigger: d.specific,
            repeated: d.anchors.len() > 1,
            local_place: !self.is_country(place),
            dated: date.mention.is_some(),
            named_actor: actor1.as_ref().is_some_and(|a| a.span.is_some()),
            relayed: sources.len() > 1,
        };
        Some(CodedEvent {
            kind,
            status,
            trigger: d.trigger,
            evidence: sentence,
            date,
            place: Some(place),
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
            features: Vec::new(),
            likelihood: 1.0,
        })
    }

    // ----- lookups shared by the stages ----------------------------------------------------

    /// The clauses of sentence `s`.
    fn clauses_of(&self, s: usize) -> &[Span] {
        &self.clauses[s]
    }

    /// The clause holding `span`, if it lies in one.
    fn clause_of(&self, span: Span) -> Option<Span> {
        let s = self.sentence_of(span)?;
        self.clauses_of(s).iter().find(|c| c.contains(span)).copied()
    }

    /// The index of the sentence holding a span.
    fn sentence_of(&self, span: Span) -> Option<usize> {
        let i = self.input.sentences.partition_point(|s| s.end < span.end);
        self.input.sentences.get(i).filter(|s| s.contains(span)).map(|_| i)
    }

    /// The cues inside `window`.
    fn cues_within(&self, window: Span) -> impl Iterator<Item = &(Span, Cue)> {
        within(&self.cues, window, |(span, _)| *span)
    }

    /// The cues of every sentence that reports a draft.
    fn cues_in(&self, d: &Draft) -> impl Iterator<Item = (Span, Cue)> + '_ {
        let sentences = d.sentences.clone();
        sentences.into_iter().flat_map(move |s| self.cues_within(self.input.sentences[s])).copied()
    }

    /// Whether a cue of `kind` stands in `clause` at most `reach` words before `trigger`.
    fn cue_within(&self, kind: Cue, trigger: Span, clause: Span, reach: usize) -> bool {
        self.cues_within(clause).any(|(span, cue)| {
            *cue == kind && span.end <= trigger.start && self.words_between(span.end, trigger.start) <= reach
        })
    }

    /// Whether a cue of `kind` in `within` stands at most two words before `span`.
    fn cue_before(&self, span: Span, kind: Cue, within: Span) -> bool {
        self.cues_within(within)
            .any(|(c, k)| *k == kind && c.end <= span.start && self.words_between(c.end, span.start) <= 2)
    }

    /// Words in the folded copy between two source offsets.
    fn words_between(&self, from: usize, to: usize) -> usize {
        words_between(&self.word_starts, from, to)
    }
}

/// Whether place mention `p` is a seat of government, or a country outside the regions rasd
/// A city named right before a news outlet that opens a report, as text stripped of its
/// punctuation gives a dateline ("Moscow AFP Saturday 7 Oct 2017 Russia said …", "Damascus (AFP)
/// The army …"): the outlet is followed by a capital, a digit or a dash, and no locative word
/// precedes the city ("killed in Aleppo AFP reported" is an event's place).
fn agency_dateline(input: &Input, place: Span) -> bool {
    const LOCATIVES: [&str; 10] = ["in", "at", "near", "from", "of", "on", "to", "into", "outside", "around"];
    let text = input.text;
    let after = text[place.end..].trim_start_matches([' ', '(']);
    let outlet_at = text.len() - after.len();
    let Some(outlet) = input.entities.iter().find(|m| {
        m.kind == rasd_entities::EntityKind::Outlet && m.span.start == outlet_at && outlet_at - place.end <= 2
    }) else {
        return false;
    };
    let next = text[outlet.span.end..].trim_start_matches([' ', ')']);
    let opens = next.chars().next().is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "-–—:".contains(c));
    let before = text[..place.start].split_whitespace().next_back().unwrap_or("").to_ascii_lowercase();
    opens && !LOCATIVES.contains(&before.as_str())
}

/// covers, named bare (no place cue, no locative word right before it, no proclitic ب on it):
/// «الغارات التي تشنها أنقرة», "Riyadh said", «شنت الولايات المتحدة غارات». The state acts; the
/// event happened elsewhere.
fn bare_seat(coder: &Coder, input: &Input, p: &PlaceMention, cues: &[(Span, Cue)], word_starts: &[usize]) -> bool {
    let place = input.gazetteer.place(p.place);
    let lexicons = &coder.lexicons;
    let far_country = place.kind == PlaceKind::Country && lexicons.far_countries.binary_search(&place.iso3).is_ok();
    let seat = far_country || place.geonameid.is_some_and(|id| lexicons.seats.binary_search(&id).is_ok());
    if !seat || p.phrase != p.span {
        return false;
    }
    let attached_b = input.text[..p.span.start].chars().rev().take_while(|c| c.is_alphabetic()).any(|c| c == 'ب');
    // Only the last few cues before the name can end right before it.
    let before = cues.partition_point(|(s, _)| s.start < p.span.start);
    let locative = cues[..before].iter().rev().take(KNOWN_OVERLAP).any(|(s, c)| {
        *c == Cue::Locative && s.end <= p.span.start && words_between(word_starts, s.end, p.span.start) == 0
    });
    !attached_b && !locative
}

/// Whether place mention `i` follows the one before it as the next member of a list: only «و»,
/// a comma or "and" between them.
fn listed_after(input: &Input, i: usize) -> bool {
    let (before, this) = (&input.places[i - 1], &input.places[i]);
    before.phrase.end <= this.phrase.start
        && matches!(input.text[before.phrase.end..this.phrase.start].trim(), "و" | "،" | "," | "، و" | ", and" | "and")
}

/// Whether place mention `i` only says where the place named right before it lies: a place
/// of another first-level unit, in a direction from it or near it, with nothing but a space or
/// a comma between («تظاهر المئات بمحافظة ذي قار جنوب بغداد»: the protest is in Dhi Qar). "ريف
/// حلب شمال منبج" names a part of the same province, and stays a place of the event.
fn locates_the_place_before(input: &Input, i: usize) -> bool {
    let places = input.places;
    let (Some(before), p) = (i.checked_sub(1).map(|b| &places[b]), &places[i]) else { return false };
    if !matches!(p.relation, Relation::Direction | Relation::Near) || before.phrase.end > p.phrase.start {
        return false;
    }
    let gap = input.text[before.phrase.end..p.phrase.start].trim_matches([' ', ',', '،']);
    let (a, b) = (input.gazetteer.place(before.place), input.gazetteer.place(p.place));
    gap.is_empty() && a.kind != PlaceKind::Country && a.country == b.country && a.admin1 != b.admin1
}

/// Whether date mention `d` is the page's date line: a full date (not relative) of the
/// publication day or the day before, among the first words of its line.
fn is_dateline_date(input: &Input, d: &DateMention, word_starts: &[usize]) -> bool {
    let line_start = input.text[..d.span.start].rfind('\n').map_or(0, |i| i + 1);
    let published = input.published;
    !d.relative
        && d.precision == 1
        && d.end <= published
        && d.start >= published.pred_opt().unwrap_or(published)
        && words_between(word_starts, line_start, d.span.start) <= DATELINE_WORDS
}

/// Words before a date on its line that still leave it a date line ("Date of publication").
const DATELINE_WORDS: usize = 3;

/// Words (by their source start offsets) between two source offsets.
fn words_between(word_starts: &[usize], from: usize, to: usize) -> usize {
    if to <= from {
        return 0;
    }
    word_starts.partition_point(|&w| w < to) - word_starts.partition_point(|&w| w < from)
}

/// The items of `sorted` (sorted by the start of their spans) that lie inside `window`, found by
/// binary search: a long article must not make each lookup scan the whole article.
fn within<T>(sorted: &[T], window: Span, span: impl Fn(&T) -> Span + Copy) -> impl Iterator<Item = &T> {
    let from = sorted.partition_point(|t| span(t).start < window.start);
    sorted[from..].iter().take_while(move |t| span(t).start < window.end).filter(move |t| window.contains(span(t)))
}
