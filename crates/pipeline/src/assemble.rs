//! Assembly of the stages' plain types into the wire record of `rasd-record`.

use chrono::NaiveDate;
use rasd_entities::EntityKind;
use rasd_events::{ActorRef, CodedEvent, Coding, Input};
use rasd_places::{Gazetteer, PlaceMention};
use rasd_quotes::Link;
use rasd_record as wire;
use rasd_text::Span;

/// The article fields known before analysis.
pub(crate) struct ArticleFields {
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub outlet: Option<String>,
    pub section: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub language: String,
}

pub(crate) struct Assembly<'a> {
    pub input: &'a Input<'a>,
    pub gazetteer: &'a Gazetteer,
}

impl Assembly<'_> {
    pub(crate) fn record(&self, fields: ArticleFields, coding: &Coding) -> wire::Record {
        let text = self.input.text;
        let events = &coding.events;
        let kind = match coding.article.domain {
            _ if fields.published.is_none() => "undated",
            Some(domain) => domain.as_str(),
            None if events.is_empty() => "no_event",
            None => "event_report",
        };
        wire::Record {
            article: wire::Article {
                id: crate::article_id(self.input.norm),
                title: fields.title,
                published: fields.published.map(|d| d.to_string()),
                language: fields.language,
                outlet: fields.outlet,
                section: fields.section,
                author: fields.author,
                url: fields.url,
                kind: kind.to_string(),
                text: text.to_string(),
            },
            events: events.iter().enumerate().map(|(i, e)| self.event(i, e)).collect(),
            quotes: self.input.attribution.quotes.iter().map(|q| self.quote(q)).collect(),
            entities: self.mentions(),
            versions: wire::Versions { format: wire::FORMAT_VERSION, folding: rasd_text::fold::FOLDING_VERSION },
        }
    }

    fn slice(&self, span: Span) -> String {
        span.slice(self.input.text).to_string()
    }

    fn event(&self, i: usize, e: &CodedEvent) -> wire::Event {
        let date_words = e.date.mention.map(|m| self.input.dates[m].span);
        wire::Event {
            id: format!("e{}", i + 1),
            event_type: e.kind.event_type.to_string(),
            sub_event_type: e.kind.sub_event_type.to_string(),
            status: e.status.as_str().to_string(),
            date: wire::EventDate {
                start: e.date.start.to_string(),
                end: e.date.end.to_string(),
                precision: e.date.precision,
                text: date_words.map(|s| self.slice(s)),
                span: date_words.map(Span::to_pair),
            },
            location: e.place.map(|p| self.location(&self.input.places[p])),
            actor1: e.actor1.as_ref().map(|a| self.actor(a)),
            actor2: e.actor2.as_ref().map(|a| self.actor(a)),
            assoc_actors: e.assoc_actors.iter().map(|a| self.actor(a)).collect(),
            fatalities: e.fatalities,
            injured: e.injured,
            fatalities_reports: e
                .toll_reports
                .iter()
                .map(|s| wire::Evidence { text: self.slice(*s), span: s.to_pair() })
                .collect(),
            implausible_fatalities: e.implausible_toll,
            responsibility: wire::Responsibility {
                claimed_by: e.responsibility.claimed_by.clone(),
                attributed_to: e.responsibility.attributed_to.clone(),
                unclaimed: e.responsibility.unclaimed,
            },
            sources: e.sources.iter().map(source).collect(),
            evidence: wire::Evidence { text: self.slice(e.evidence), span: e.evidence.to_pair() },
            confidence: (e.likelihood * 100.0).round() / 100.0,
            trigger: wire::Evidence { text: self.slice(e.trigger), span: e.trigger.to_pair() },
        }
    }

    fn location(&self, m: &PlaceMention) -> wire::Location {
        let p = self.gazetteer.place(m.place);
        wire::Location {
            name: p.name.clone(),
            name_ar: p.name_ar.clone(),
            admin1: p.admin1.clone(),
            admin2: p.admin2.clone(),
            country: p.country.clone(),
            iso3: p.iso3.clone(),
            lat: p.lat,
            lon: p.lon,
            geo_precision: m.geo_precision,
            geonameid: p.geonameid,
            text: self.slice(m.phrase),
            span: m.phrase.to_pair(),
        }
    }

    fn actor(&self, a: &ActorRef) -> wire::Actor {
        wire::Actor {
            name: a.actor.name.clone(),
            inter: a.actor.inter.as_str().to_string(),
            text: a.span.map(|s| self.slice(s)),
            span: a.span.map(Span::to_pair),
        }
    }

    fn quote(&self, q: &rasd_quotes::Quote) -> wire::Quote {
        let speaker = q.speaker.as_ref().map_or_else(wire::Speaker::default, |s| wire::Speaker {
            name: Some(s.name.clone()),
            role: s.role.clone(),
            organization: s.organization.clone(),
            text: s.span.map(|sp| self.slice(sp)),
            span: s.span.map(Span::to_pair),
        });
        wire::Quote {
            speaker,
            via: q.via.iter().map(source).collect(),
            verb: self.slice(q.verb),
            text: self.slice(q.text),
            span: q.text.to_pair(),
            platform: q.platform.clone(),
        }
    }

    /// Persons, organizations, outlets, places, dates and numbers, in text order; one mention
    /// per span and kind.
    fn mentions(&self) -> Vec<wire::Mention> {
        let mut out: Vec<wire::Mention> = Vec::new();
        let mut seen: std::collections::HashSet<(Span, &str)> = std::collections::HashSet::new();
        let mut push = |kind: &'static str, span: Span, normalized: wire::Normalized| {
            if seen.insert((span, kind)) {
                out.push(wire::Mention {
                    kind: kind.to_string(),
                    text: self.slice(span),
                    span: span.to_pair(),
                    normalized,
                });
            }
        };
        // Named organizations first: وزارة الداخلية is listed as the ministry, not the forces.
        let entities = self.input.entities.iter().filter(|m| m.kind != EntityKind::Actor);
        for m in entities.chain(self.input.entities.iter().filter(|m| m.kind == EntityKind::Actor)) {
            let kind = match m.kind {
                EntityKind::Person => "person",
                EntityKind::Outlet => "outlet",
                EntityKind::Actor | EntityKind::Organization => "organization",
                EntityKind::Platform | EntityKind::Unnamed => continue,
            };
            push(kind, m.span, wire::Normalized::Text(m.name.clone()));
        }
        for m in self.input.places {
            let p = self.gazetteer.place(m.place);
            push("place", m.span, wire::Normalized::Text(p.name.clone()));
        }
        for d in self.input.dates {
            push("date", d.span, wire::Normalized::Text(format!("{}/{}", d.start, d.end)));
        }
        for c in self.input.counts.iter().filter(|c| !self.input.dates.iter().any(|d| d.span.overlaps(c.span))) {
            if let Some(v) = c.value {
                push("number", c.span, wire::Normalized::Number(i64::from(v)));
            }
        }
        out.sort_by_key(|m| (m.span[0], m.span[1]));
        out
    }
}

fn source(l: &Link) -> wire::Source {
    wire::Source {
        kind: l.kind.as_str().to_string(),
        name: l.name.clone(),
        role: l.role.clone(),
        span: l.span.map(Span::to_pair),
    }
}
