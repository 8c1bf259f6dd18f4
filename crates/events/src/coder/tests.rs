//! Test support: the earlier stages run on a sentence ([`Stages::article`]) to give the coder a
//! real [`Input`], and helpers that code it. Each module's tests use them on Arabic and English
//! sentences.

use std::sync::OnceLock;

use chrono::NaiveDate;
use rasd_dates::{DateMention, DateReader};
use rasd_entities::{Entities, EntityKind, Mention};
use rasd_kb::DataDir;
use rasd_places::{Gazetteer, PlaceMention};
use rasd_quotes::{Attribution, Attributor};
use rasd_text::{segment::sentences, NormText, Span, SpanIndex};

use super::Pass;
use crate::{CodedEvent, Coder, Coding, Count, Input};

/// Every stage the coder's input comes from, loaded once from the embedded `data/`.
pub(super) struct Stages {
    dates: DateReader,
    gazetteer: Gazetteer,
    entities: Entities,
    attributor: Attributor,
    coder: Coder,
}

/// An article analysed by the earlier stages, owning what an [`Input`] borrows.
pub(super) struct Article {
    text: String,
    norm: NormText,
    sentences: Vec<Span>,
    published: NaiveDate,
    dates: Vec<DateMention>,
    places: Vec<PlaceMention>,
    entities: Vec<Mention>,
    attribution: Attribution,
    counts: Vec<Count>,
}

impl Stages {
    /// The stages, loaded on first use.
    pub(super) fn get() -> &'static Stages {
        static STAGES: OnceLock<Stages> = OnceLock::new();
        STAGES.get_or_init(|| {
            let dir = DataDir::embedded();
            Stages {
                dates: DateReader::load(&dir).expect("dates load"),
                gazetteer: Gazetteer::load(&dir).expect("gazetteer loads"),
                entities: Entities::load(&dir).expect("entities load"),
                attributor: Attributor::load(&dir).expect("quotes load"),
                coder: Coder::load(&dir).expect("events load"),
            }
        })
    }

    /// Runs the stages before coding on `text` published on `published` (`YYYY-MM-DD`), as the
    /// pipeline does: places inside a name are no places.
    pub(super) fn article(&self, text: &str, published: &str) -> Article {
        let published: NaiveDate = published.parse().expect("an ISO date");
        let norm = NormText::new(text);
        let sentences = sentences(text);
        let dates = self.dates.find(text, &norm, published);
        let entities = self.entities.find(text, &norm, published);
        let names = SpanIndex::new(entities.iter().filter(|e| e.kind != EntityKind::Person).map(|e| (e.span, e.kind)));
        let mut places = self.gazetteer.find(text, &norm);
        places.retain(|p| !names.containing(p.span).any(|(span, kind)| *span != p.span || *kind == EntityKind::Outlet));
        let attribution = self.attributor.read(text, &norm, &sentences, &entities, None);
        let counts = self.coder.counts(&norm);
        Article { text: text.to_string(), norm, sentences, published, dates, places, entities, attribution, counts }
    }
}

impl Article {
    /// The coder's view of the article.
    pub(super) fn input(&self) -> Input<'_> {
        Input {
            text: &self.text,
            norm: &self.norm,
            sentences: &self.sentences,
            published: self.published,
            dates: &self.dates,
            places: &self.places,
            gazetteer: &Stages::get().gazetteer,
            entities: &self.entities,
            attribution: &self.attribution,
            counts: &self.counts,
        }
    }

    /// Runs `f` on a coding pass over the article (for tests of one rule's method).
    pub(super) fn with_pass<R>(&self, f: impl FnOnce(&Pass) -> R) -> R {
        let input = self.input();
        f(&Pass::new(&Stages::get().coder, &input))
    }

    /// The words a span of the article covers.
    pub(super) fn words(&self, span: Span) -> &str {
        span.slice(&self.text)
    }

    /// The name of the place an event is coded at.
    pub(super) fn place_name(&self, e: &CodedEvent) -> Option<&str> {
        e.place.map(|p| Stages::get().gazetteer.place(self.places[p].place).name.as_str())
    }
}

/// Codes `text` published on `published`.
pub(super) fn code(text: &str, published: &str) -> (Article, Coding) {
    let article = Stages::get().article(text, published);
    let coding = Stages::get().coder.code_explained(&article.input());
    (article, coding)
}

/// Asserts that each text codes no event (published 2025-05-17).
pub(super) fn assert_no_event(texts: &[&str]) {
    for text in texts {
        let (_, coding) = code(text, "2025-05-17");
        assert!(coding.events.is_empty(), "{text}: coded {:?}", coding.events);
    }
}

/// The only event coded from `text`, with its article.
pub(super) fn only(text: &str, published: &str) -> (Article, CodedEvent) {
    let (article, mut coding) = code(text, published);
    let kinds: Vec<_> = coding.events.iter().map(|e| e.kind.sub_event_type).collect();
    assert_eq!(coding.events.len(), 1, "{text}: {kinds:?}");
    (article, coding.events.remove(0))
}

/// The sub-event types coded from `text`.
pub(super) fn sub_types(text: &str, published: &str) -> Vec<&'static str> {
    code(text, published).1.events.iter().map(|e| e.kind.sub_event_type).collect()
}

/// The names of the places the events of `text` are coded at, sorted.
pub(super) fn sorted_places(text: &str, published: &str) -> Vec<String> {
    let (article, coding) = code(text, published);
    let mut places: Vec<String> =
        coding.events.iter().filter_map(|e| article.place_name(e)).map(String::from).collect();
    places.sort_unstable();
    places
}

#[test]
fn a_whole_report_is_coded_field_by_field() {
    let (a, e) =
        only("قتل ثلاثة مدنيين وأصيب خمسة آخرون بقصف مدفعي لقوات النظام على مدينة أريحا يوم الأربعاء.", "2024-09-14");
    assert_eq!(e.kind.sub_event_type, "Shelling/artillery/missile attack");
    assert_eq!(a.place_name(&e), Some("Ariha"));
    assert_eq!((e.fatalities, e.injured), (Some(3), Some(5)));
    assert_eq!(e.date.start.to_string(), "2024-09-11");
    assert!(e.actor1.as_ref().is_some_and(|x| x.actor.name.contains("Military Forces of Syria")), "{:?}", e.actor1);
    assert_eq!(e.status, crate::Status::Occurred);
}
