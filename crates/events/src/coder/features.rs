//! What the likelihood model reads of a coded event: named, discrete features of the event,
//! its sentence and its article (`sub=Armed clash`, `place=sentence`, `article.conflict=6+`),
//! so a score can always be explained by the features it fired on.

use rasd_places::{PlaceId, PlaceKind};
use rasd_text::fold::fold_str;
use rasd_text::proclitics::PROCLITIC_CHAINS;
use rasd_text::Span;

use std::fmt::Write;

use super::Pass;
use crate::lexicons::Cue;
use crate::likelihood::Likelihood;
use crate::CodedEvent;

/// Upper bounds of the buckets a count falls in: `0`, `1`, `2`, `3-5`, `6+`.
const SMALL_COUNTS: [(usize, &str); 4] = [(0, "0"), (1, "1"), (2, "2"), (5, "3-5")];

impl Pass<'_> {
    /// Writes the features of event `i` of the article's final `events` to `f`; `places` tells
    /// how often each place is named ([`Pass::place_tally`]).
    pub(super) fn features(&self, events: &[CodedEvent], i: usize, places: &PlaceTally, f: &mut FeatureSink) {
        let e = &events[i];
        let input = self.input;
        let sub = e.kind.sub_event_type;
        f.add(format_args!("sub={sub}"));
        let trigger = fold_str(e.trigger.slice(input.text));
        f.add(format_args!("trigger={}", bare_word(&trigger)));
        f.add(format_args!("status={}", e.status.as_str()));
        f.add(format_args!("script={}", if is_arabic(e.trigger.slice(input.text)) { "ar" } else { "latin" }));
        let sentence = self.sentence_of(e.evidence).unwrap_or(0);
        let position = match sentence {
            0 => "title",
            1 => "lead",
            2..=4 => "early",
            _ => "late",
        };
        f.add(format_args!("sentence={position}"));
        f.add(format_args!("sub={sub}&sentence={position}"));
        let clause = self.clause_of(e.trigger).unwrap_or(e.evidence);
        let place_level = self.place_feature(e, clause);
        f.add(format_args!("place={place_level}"));
        f.add(format_args!("sub={sub}&place={place_level}"));
        if let Some(p) = e.place {
            let mention = &input.places[p];
            let place = input.gazetteer.place(mention.place);
            f.add(format_args!("place.kind={}", place_kind(place.kind)));
            // A country outside the regions rasd covers: its news is mostly the world's, not war.
            let abroad = self.coder.lexicons.far_countries.binary_search(&place.iso3).is_ok();
            f.add(format_args!("place.abroad={abroad}"));
            f.add(format_args!("place.candidates={}", bucket(mention.candidates.len(), &SMALL_COUNTS, "6+")));
            let named = places.named(mention.place);
            f.add(format_args!("place.named={}", bucket(named, &SMALL_COUNTS, "6+")));
            f.add(format_args!("place.most_named={}", named == places.most));
            let title = input.sentences.first().copied().unwrap_or_default();
            let in_title = input.places.iter().any(|m| m.place == mention.place && title.contains(m.span));
            f.add(format_args!("place.in_title={in_title}"));
        }
        f.add(format_args!("date={}", self.date_feature(e, clause)));
        f.add(format_args!("date.precision={}", e.date.precision));
        let days = (input.published - e.date.end).num_days();
        f.add(format_args!(
            "date.before={}",
            match days {
                i64::MIN..=-1 => "after",
                0 => "0",
                1 => "1",
                2..=7 => "2-7",
                _ => "8+",
            }
        ));
        match &e.actor1 {
            Some(a) => f.add(format_args!(
                "actor1={}{}",
                a.actor.inter.as_str(),
                if a.span.is_some() { "" } else { " (inferred)" }
            )),
            None => f.add(format_args!("actor1=none")),
        }
        f.add(format_args!("actor2={}", e.actor2.as_ref().map_or("none", |a| a.actor.inter.as_str())));
        f.add(format_args!("fatalities={}", if e.fatalities.is_some() { "yes" } else { "no" }));
        f.add(format_args!("injured={}", if e.injured.is_some() { "yes" } else { "no" }));
        f.add(format_args!("sources={}", bucket(e.sources.len(), &SMALL_COUNTS, "6+")));
        for (name, yes) in e.confidence.flags() {
            f.add(format_args!("{name}={yes}"));
        }
        let quoted = input.attribution.quotes.iter().any(|q| q.text.contains(e.trigger));
        f.add(format_args!("quoted={quoted}"));
        let norm = input.norm;
        let from = norm.from_source(clause.start);
        let mut words: Vec<&str> = norm
            .words_from(from)
            .take_while(|w| norm.to_source(*w).end <= clause.end)
            .filter(|w| !e.trigger.contains(norm.to_source(*w)))
            .map(|w| bare_word(norm.slice(w)))
            .filter(|w| w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
            .collect();
        words.sort_unstable();
        words.dedup();
        for w in words {
            f.add(format_args!("clause.word={w}"));
        }
        for cue in self.sentence_cues(e.evidence) {
            f.add(format_args!("cue={cue}"));
        }
        f.add(format_args!(
            "article.conflict={}",
            bucket(self.article.conflict_words, &[(0, "0"), (2, "1-2"), (5, "3-5"), (10, "6-10")], "11+")
        ));
        f.add(format_args!("article.other_field={}", bucket(self.article.domain_words, &SMALL_COUNTS, "6+")));
        f.add(format_args!("article.places={}", bucket(places.counts.len(), &SMALL_COUNTS, "6+")));
        f.add(format_args!("article.events={}", bucket(events.len(), &SMALL_COUNTS, "6+")));
        f.add(format_args!("article.rank={}", bucket(i, &SMALL_COUNTS, "6+")));
        f.add(format_args!(
            "article.length={}",
            bucket(input.sentences.len(), &[(3, "1-3"), (8, "4-8"), (20, "9-20"), (40, "21-40")], "41+")
        ));
    }

    /// How often each place is named in the article.
    pub(super) fn place_tally(&self) -> PlaceTally {
        let mut ids: Vec<PlaceId> = self.input.places.iter().map(|m| m.place).collect();
        ids.sort_unstable();
        let mut counts: Vec<(PlaceId, usize)> = Vec::new();
        for id in ids {
            match counts.last_mut() {
                Some((last, n)) if *last == id => *n += 1,
                _ => counts.push((id, 1)),
            }
        }
        let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
        PlaceTally { counts, most }
    }

    /// Where the event's place was read: in the trigger's clause, its sentence, elsewhere in the
    /// article, or nowhere below country level.
    fn place_feature(&self, e: &CodedEvent, clause: Span) -> &'static str {
        let Some(p) = e.place else { return "none" };
        let span = self.input.places[p].span;
        if self.is_country(p) {
            "country"
        } else if clause.contains(span) {
            "clause"
        } else if e.evidence.contains(span) {
            "sentence"
        } else {
            "elsewhere"
        }
    }

    /// Where the event's date was read, as [`Pass::place_feature`]; `publication` when the
    /// publication date stands in.
    fn date_feature(&self, e: &CodedEvent, clause: Span) -> &'static str {
        let Some(m) = e.date.mention else { return "publication" };
        let span = self.input.dates[m].span;
        if clause.contains(span) {
            "clause"
        } else if e.evidence.contains(span) {
            "sentence"
        } else {
            "elsewhere"
        }
    }

    /// The names of the kinds of cue in a sentence, each once, in a fixed order.
    fn sentence_cues(&self, sentence: Span) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self.cues_within(sentence).filter_map(|(_, c)| cue_name(*c)).collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// Where an event's features go: each is weighed by the model as it is written, with no
/// allocation, and kept only when asked (`rasd inspect events`, `rasd eval --features`).
pub(super) struct FeatureSink<'m> {
    model: &'m Likelihood,
    buffer: String,
    /// The sum of the weights of the features written.
    sum: f32,
    /// The features written, when kept.
    kept: Option<Vec<String>>,
}

impl<'m> FeatureSink<'m> {
    /// A sink for one event; `keep` keeps the features' names.
    pub(super) fn new(model: &'m Likelihood, keep: bool) -> Self {
        FeatureSink { model, buffer: String::new(), sum: 0.0, kept: keep.then(Vec::new) }
    }

    fn add(&mut self, feature: std::fmt::Arguments) {
        self.buffer.clear();
        // Writing to a String cannot fail.
        let _ = self.buffer.write_fmt(feature);
        self.sum += self.model.weight(&self.buffer);
        if let Some(kept) = &mut self.kept {
            kept.push(self.buffer.clone());
        }
    }

    /// The model's probability for the features written, and the features when kept.
    pub(super) fn finish(self) -> (f32, Vec<String>) {
        (self.model.logistic(self.sum), self.kept.unwrap_or_default())
    }
}

/// How often each place is named in an article, sorted by place.
pub(super) struct PlaceTally {
    counts: Vec<(PlaceId, usize)>,
    /// The count of the most named place.
    most: usize,
}

impl PlaceTally {
    fn named(&self, id: PlaceId) -> usize {
        self.counts.binary_search_by_key(&id, |(p, _)| *p).map_or(0, |i| self.counts[i].1)
    }
}

/// The cue kinds that say something about an event's reality (the others place, join or
/// measure words).
fn cue_name(cue: Cue) -> Option<&'static str> {
    Some(match cue {
        Cue::Negation => "negation",
        Cue::Future => "future",
        Cue::Denial => "denial",
        Cue::Claim => "claim",
        Cue::Unclaimed => "unclaimed",
        Cue::Blame => "blame",
        Cue::Killed => "killed",
        Cue::Injured => "injured",
        Cue::Background => "background",
        Cue::Series => "series",
        Cue::Aggregate => "aggregate",
        Cue::Period => "period",
        Cue::Pluperfect => "pluperfect",
        Cue::Target => "target",
        Cue::Irrealis | Cue::Condition | Cue::Demand => "irrealis",
        Cue::Context => "context",
        Cue::ProtestContext => "protest",
        Cue::Territory => "territory",
        _ => return None,
    })
}

/// Folded words without the proclitics and article in front of an Arabic word (والقصف، بالقصف
/// → قصف): the chains of [`PROCLITIC_CHAINS`] that end in the article, and و، ف alone (ب، ل
/// alone begin too many words).
fn bare_word(folded: &str) -> &str {
    let first_len = folded.split_whitespace().next().map_or(0, |w| w.chars().count());
    PROCLITIC_CHAINS
        .iter()
        .rev()
        .filter(|chain| chain.ends_with("ال") || chain.ends_with("لل") || matches!(**chain, "و" | "ف"))
        // Keep three letters of the word: «وقف» is not و + «قف».
        .find_map(|chain| folded.strip_prefix(chain).filter(|_| first_len >= chain.chars().count() + 3))
        .unwrap_or(folded)
}

fn is_arabic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

fn place_kind(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::Country => "country",
        PlaceKind::Governorate => "governorate",
        PlaceKind::District | PlaceKind::Subdistrict => "district",
        PlaceKind::City => "city",
        PlaceKind::Town | PlaceKind::Village => "town",
        PlaceKind::Neighbourhood => "neighbourhood",
        PlaceKind::Camp | PlaceKind::Site => "site",
        _ => "other",
    }
}

/// The label of the first bucket whose upper bound holds `n`, else `more`.
fn bucket(n: usize, bounds: &[(usize, &'static str)], more: &'static str) -> &'static str {
    bounds.iter().find(|(max, _)| n <= *max).map_or(more, |(_, label)| label)
}

#[cfg(test)]
mod tests {
    use super::{bare_word, bucket, SMALL_COUNTS};
    use crate::coder::tests::only;

    #[test]
    fn an_event_reads_its_type_trigger_place_date_and_cues() {
        let (_, e) = only(
            "شنت طائرات حربية روسية غارات جوية على بلدة كفرنبل يوم الجمعة، ما أدى إلى مقتل خمسة مدنيين.",
            "2016-01-10",
        );
        for expected in [
            "sub=Air/drone strike",
            "trigger=غارات جويه",
            "place=clause",
            "place.kind=town",
            "date=clause",
            "date.before=2-7",
            "fatalities=yes",
            "cue=killed",
            "specific_trigger=true",
            "sentence=title",
            "clause.word=طايرات",
        ] {
            assert!(e.features.iter().any(|f| f == expected), "{expected} in {:?}", e.features);
        }
        assert!(!e.features.iter().any(|f| f.starts_with("clause.word=غارات")), "the trigger is no clause word");
    }

    #[test]
    fn the_shipped_model_scores_every_event() {
        let (_, e) = only(
            "Syrian government warplanes struck the town of Kafranbel on Friday, killing five civilians.",
            "2016-01-10",
        );
        assert!(e.likelihood > 0.0 && e.likelihood < 1.0, "{}", e.likelihood);
        assert!(e.features.iter().any(|f| f == "script=latin"), "{:?}", e.features);
    }

    #[test]
    fn words_lose_their_proclitics_and_article_but_keep_three_letters() {
        assert_eq!(bare_word("والقصف"), "قصف");
        assert_eq!(bare_word("بالقصف"), "قصف");
        assert_eq!(bare_word("وقف"), "وقف");
        assert_eq!(bare_word("attack"), "attack");
    }

    #[test]
    fn counts_fall_in_buckets() {
        assert_eq!(bucket(0, &SMALL_COUNTS, "6+"), "0");
        assert_eq!(bucket(4, &SMALL_COUNTS, "6+"), "3-5");
        assert_eq!(bucket(9, &SMALL_COUNTS, "6+"), "6+");
    }
}
