//! The span check: every span of a [`Record`] must point into `article.text`, on character
//! boundaries, and cover exactly the words the record says it covers.
//!
//! One function for every test, property test and fuzz target that checks records
//! ([`Record::span_errors`]), so a span-bearing field added to the record is checked everywhere
//! once it is added here.

use crate::{Actor, Evidence, Record, Source, WireSpan};

impl Record {
    /// Every span of the record that is wrong, one message each naming the field
    /// (`events[0].actor1.span [12, 20]: covers «…», but the record says «…»`); empty when all
    /// are right.
    ///
    /// Checked: each event's trigger, evidence, fatality reports, date, location, actor1,
    /// actor2, associated actors and attribution-chain links; each quote, its speaker and its
    /// chain; each entity mention. A span must lie within `article.text`, start no later than
    /// it ends, begin and end on character boundaries and, where the record gives the words,
    /// cover exactly those words; words without a span (or a span without its words) are an
    /// error too. Chain links carry a name rather than the words, so only their position is
    /// checked.
    pub fn span_errors(&self) -> Vec<String> {
        let mut check = Check { text: &self.article.text, errors: Vec::new() };
        for (i, e) in self.events.iter().enumerate() {
            let at = format!("events[{i}]");
            check.evidence(&format!("{at}.trigger"), &e.trigger);
            check.evidence(&format!("{at}.evidence"), &e.evidence);
            for (j, report) in e.fatalities_reports.iter().enumerate() {
                check.evidence(&format!("{at}.fatalities_reports[{j}]"), report);
            }
            check.words(&format!("{at}.date"), e.date.span, e.date.text.as_deref());
            if let Some(l) = &e.location {
                check.span(&format!("{at}.location.span"), l.span, Some(&l.text));
            }
            for (field, actor) in [("actor1", &e.actor1), ("actor2", &e.actor2)] {
                if let Some(actor) = actor {
                    check.actor(&format!("{at}.{field}"), actor);
                }
            }
            for (j, actor) in e.assoc_actors.iter().enumerate() {
                check.actor(&format!("{at}.assoc_actors[{j}]"), actor);
            }
            check.sources(&format!("{at}.sources"), &e.sources);
        }
        for (i, q) in self.quotes.iter().enumerate() {
            check.span(&format!("quotes[{i}].span"), q.span, Some(&q.text));
            check.words(&format!("quotes[{i}].speaker"), q.speaker.span, q.speaker.text.as_deref());
            check.sources(&format!("quotes[{i}].via"), &q.via);
        }
        for (i, m) in self.entities.iter().enumerate() {
            check.span(&format!("entities[{i}].span"), m.span, Some(&m.text));
        }
        check.errors
    }
}

/// The text checked against and the errors found so far.
struct Check<'a> {
    text: &'a str,
    errors: Vec<String>,
}

impl Check<'_> {
    fn evidence(&mut self, at: &str, e: &Evidence) {
        self.span(&format!("{at}.span"), e.span, Some(&e.text));
    }

    fn actor(&mut self, at: &str, a: &Actor) {
        self.words(at, a.span, a.text.as_deref());
    }

    fn sources(&mut self, at: &str, links: &[Source]) {
        for (j, link) in links.iter().enumerate() {
            if let Some(span) = link.span {
                self.span(&format!("{at}[{j}].span"), span, None);
            }
        }
    }

    /// An optional span with its optional words (`{at}.span`, `{at}.text`): both or neither.
    fn words(&mut self, at: &str, span: Option<WireSpan>, said: Option<&str>) {
        match (span, said) {
            (Some(span), Some(said)) => self.span(&format!("{at}.span"), span, Some(said)),
            (Some(span), None) => self.errors.push(format!("{at}.span {span:?}: a span without its text")),
            (None, Some(said)) => self.errors.push(format!("{at}.text «{said}»: words without a span")),
            (None, None) => {}
        }
    }

    /// One span, and the words it should cover when the record gives them.
    fn span(&mut self, at: &str, span: WireSpan, said: Option<&str>) {
        let [start, end] = span;
        let len = self.text.len();
        let error = if start > end {
            "starts after it ends".to_string()
        } else if end > len {
            format!("out of bounds: article.text has {len} bytes")
        } else if let Some(inside) = [start, end].into_iter().find(|&b| !self.text.is_char_boundary(b)) {
            format!("byte {inside} is inside a character")
        } else {
            match said {
                Some(said) if self.text[start..end] != *said => {
                    format!("covers «{}», but the record says «{said}»", &self.text[start..end])
                }
                _ => return,
            }
        };
        self.errors.push(format!("{at} {span:?}: {error}"));
    }
}

#[cfg(test)]
mod tests {
    use crate::{Actor, Article, Event, EventDate, Evidence, Record, Responsibility, Source, Versions};

    const TEXT: &str = "قصفت قوات النظام بلدة كفرنبل أمس";

    fn at(words: &str) -> [usize; 2] {
        let start = TEXT.find(words).expect("the words are in TEXT");
        [start, start + words.len()]
    }

    fn evidence(words: &str) -> Evidence {
        Evidence { text: words.to_string(), span: at(words) }
    }

    /// A record whose every span is right.
    fn record() -> Record {
        let event = Event {
            id: "e1".to_string(),
            event_type: "Explosions/Remote violence".to_string(),
            sub_event_type: "Shelling/artillery/missile attack".to_string(),
            status: "occurred".to_string(),
            date: EventDate {
                start: "2025-03-09".to_string(),
                end: "2025-03-09".to_string(),
                precision: 1,
                text: Some("أمس".to_string()),
                span: Some(at("أمس")),
            },
            location: None,
            actor1: Some(Actor {
                name: "Military Forces of Syria".to_string(),
                inter: "1".to_string(),
                text: Some("قوات النظام".to_string()),
                span: Some(at("قوات النظام")),
            }),
            actor2: None,
            assoc_actors: Vec::new(),
            fatalities: None,
            injured: None,
            fatalities_reports: Vec::new(),
            implausible_fatalities: None,
            responsibility: Responsibility::default(),
            sources: vec![Source {
                kind: "unnamed".to_string(),
                name: "local sources".to_string(),
                role: None,
                span: Some(at("بلدة")),
            }],
            evidence: evidence(TEXT),
            confidence: 0.8,
            trigger: evidence("قصفت"),
        };
        Record {
            article: Article {
                id: "0".to_string(),
                title: None,
                published: Some("2025-03-10".to_string()),
                language: "ar".to_string(),
                outlet: None,
                section: None,
                author: None,
                url: None,
                kind: "event_report".to_string(),
                text: TEXT.to_string(),
            },
            events: vec![event],
            quotes: Vec::new(),
            entities: Vec::new(),
            versions: Versions::default(),
        }
    }

    fn errors(change: impl FnOnce(&mut Record)) -> Vec<String> {
        let mut r = record();
        change(&mut r);
        r.span_errors()
    }

    #[test]
    fn a_right_record_has_no_errors() {
        assert_eq!(record().span_errors(), Vec::<String>::new());
    }

    #[test]
    fn an_actor_span_off_by_one_names_the_actor() {
        let errors = errors(|r| {
            let actor = r.events[0].actor1.as_mut().unwrap();
            // One letter short at the start (Arabic letters are two bytes).
            actor.span = actor.span.map(|[s, e]| [s + 2, e]);
        });
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("events[0].actor1.span ") && errors[0].contains("covers «"), "{errors:?}");
    }

    #[test]
    fn a_date_span_out_of_bounds_names_the_date() {
        let errors = errors(|r| r.events[0].date.span = Some([TEXT.len() - 6, TEXT.len() + 1]));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("events[0].date.span ") && errors[0].contains("out of bounds"), "{errors:?}");
    }

    #[test]
    fn a_source_span_inside_a_character_names_the_link() {
        let errors = errors(|r| r.events[0].sources[0].span = Some([1, 8]));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("events[0].sources[0].span ") && errors[0].contains("inside a character"),
            "{errors:?}"
        );
    }

    #[test]
    fn words_without_a_span_and_reversed_spans_are_errors() {
        let errors = errors(|r| {
            r.events[0].date.span = None;
            r.events[0].trigger.span = [4, 0];
        });
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("events[0].trigger.span ") && errors[0].contains("starts after it ends"));
        assert!(errors[1].starts_with("events[0].date.text ") && errors[1].contains("without a span"));
    }
}
