//! The output contract of rasd (`docs/event-record.md`) as wire types.
//!
//! These are the only types of rasd that serialize: the analysis stages keep their own plain
//! types, and `rasd-pipeline` converts them into a [`Record`] at the edge. Field names and value
//! sets here are fixed by the contract; add fields freely, never rename or drop one without
//! updating the contract in the same change.
//!
//! A span is `[start, end]`: half-open UTF-8 byte offsets into `article.text`, always with the
//! exact `text` it covers ([`Record::span_errors`] checks them all).
#![deny(missing_docs)]

use serde::{Deserialize, Serialize};

mod spans;

/// A confidence as written on the wire: three decimals at most.
pub fn wire_confidence(value: f32) -> f64 {
    (f64::from(value) * 1000.0).round() / 1000.0
}

fn three_decimals<S: serde::Serializer>(value: &f32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(wire_confidence(*value))
}

/// A span on the wire: `[start, end)` in UTF-8 bytes of `article.text`.
pub type WireSpan = [usize; 2];

/// One article read by rasd: one JSONL line of `rasd extract`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The article and its cleaned text.
    pub article: Article,
    /// The events the article reports.
    pub events: Vec<Event>,
    /// Reported speech, with who said it and through whom.
    pub quotes: Vec<Quote>,
    /// Persons, organizations, places, dates, numbers and outlets mentioned.
    pub entities: Vec<Mention>,
    /// The versions of the record format and of the text folding this record was made with;
    /// both 0 in records made before they were written.
    #[serde(default)]
    pub versions: Versions,
}

/// The version of this record format: raised whenever a field changes meaning or shape, so a
/// reader (and the store) can tell a record made by an older rasd.
pub const FORMAT_VERSION: u32 = 1;

/// What a record was made with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Versions {
    /// The record format ([`FORMAT_VERSION`] when made).
    pub format: u32,
    /// The text folding (`rasd_text::fold::FOLDING_VERSION` when made).
    pub folding: u32,
}

/// The article fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Hex of a hash of the normalized body text: stable across runs and machines.
    pub id: String,
    /// The headline, once.
    pub title: Option<String>,
    /// Publication date, ISO.
    pub published: Option<String>,
    /// `ar` or `en` (ISO 639-1).
    pub language: String,
    /// The publishing site, when known.
    pub outlet: Option<String>,
    /// The site's section line.
    pub section: Option<String>,
    /// The byline.
    pub author: Option<String>,
    /// Where the article came from, when known.
    pub url: Option<String>,
    /// What the article is for event coding: `event_report` (events were coded), `no_event`
    /// (none were), another field's article that codes none (`sports`, `economy`, `culture`,
    /// `opinion` for opinion pieces and interviews),
    /// or `undated`: no publication date was given or found, so no event can be dated (pass
    /// `--published`).
    #[serde(default = "no_event")]
    pub kind: String,
    /// The cleaned body text that every span points into.
    pub text: String,
}

fn no_event() -> String {
    "no_event".to_string()
}

/// One event, coded in ACLED's taxonomy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable within the article (`e1`, `e2`, …).
    pub id: String,
    /// ACLED event type, exact English string.
    pub event_type: String,
    /// ACLED sub-event type, exact English string.
    pub sub_event_type: String,
    /// `occurred`, `future`, `denied` or `negated`.
    pub status: String,
    /// When: a window with ACLED time precision.
    pub date: EventDate,
    /// Where, when the text says.
    pub location: Option<Location>,
    /// The one who acts.
    pub actor1: Option<Actor>,
    /// The one acted on.
    pub actor2: Option<Actor>,
    /// Coalition partners, joint forces.
    pub assoc_actors: Vec<Actor>,
    /// Killed; `None` when the text gives no count.
    pub fatalities: Option<u32>,
    /// Injured; `None` when the text gives no count.
    pub injured: Option<u32>,
    /// Every figure of dead read for the event, with its words: several sentences or sources
    /// may give different figures; `fatalities` is the lowest (ACLED), or the latest "rose to".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fatalities_reports: Vec<Evidence>,
    /// A figure of dead too large for one event (a war total, a population), read but left out
    /// of `fatalities`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implausible_fatalities: Option<u32>,
    /// Who claimed it, who is blamed, whether nobody claimed it.
    pub responsibility: Responsibility,
    /// The attribution chain, outermost first.
    pub sources: Vec<Source>,
    /// The sentence(s) the event was read from.
    pub evidence: Evidence,
    /// 0..1, written with at most three decimals whatever the serializer (a JSON value
    /// widens an `f32` to 0.8999999761…).
    #[serde(serialize_with = "three_decimals")]
    pub confidence: f32,
    /// The words that triggered the coding (rasd extension).
    pub trigger: Evidence,
}

/// The date window of an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDate {
    /// First day, ISO, inclusive.
    pub start: String,
    /// Last day, ISO, inclusive.
    pub end: String,
    /// 1 day, 2 up to a week (or "about"), 3 a month or longer.
    pub precision: u8,
    /// The words read, `None` when the publication date stands in.
    pub text: Option<String>,
    /// Where those words are.
    pub span: Option<WireSpan>,
}

/// Where an event happened, resolved against the gazetteer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// English name.
    pub name: String,
    /// Arabic name.
    pub name_ar: Option<String>,
    /// First-level unit (the contract's canonical list for Syria).
    pub admin1: Option<String>,
    /// Second-level unit.
    pub admin2: Option<String>,
    /// Country, English.
    pub country: String,
    /// ISO 3166-1 alpha-3.
    pub iso3: String,
    /// Latitude, WGS84.
    pub lat: f64,
    /// Longitude, WGS84.
    pub lon: f64,
    /// 1 the site itself, 2 near it or part of a district, 3 a region or governorate.
    pub geo_precision: u8,
    /// GeoNames id when the entry comes from GeoNames.
    pub geonameid: Option<u64>,
    /// The words read.
    pub text: String,
    /// Where they are.
    pub span: WireSpan,
}

/// An actor of an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    /// Canonical name from the actor dictionary.
    pub name: String,
    /// ACLED `inter` category.
    pub inter: String,
    /// The words read, when the actor is named in the text.
    pub text: Option<String>,
    /// Where they are.
    pub span: Option<WireSpan>,
}

/// Responsibility for an event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Responsibility {
    /// Who claimed it.
    pub claimed_by: Option<String>,
    /// Who others blame.
    pub attributed_to: Option<String>,
    /// Whether the text says nobody claimed it.
    pub unclaimed: bool,
}

/// One link of an attribution chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// `outlet`, `person`, `organization`, `platform` or `unnamed`.
    pub kind: String,
    /// Who.
    pub name: String,
    /// Their role, when the text gives it.
    pub role: Option<String>,
    /// The words naming them (`None` for the publishing outlet known from metadata).
    pub span: Option<WireSpan>,
}

/// A piece of text and where it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The exact text.
    pub text: String,
    /// Where it is.
    pub span: WireSpan,
}

/// Reported speech.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Who said it.
    pub speaker: Speaker,
    /// Through whom it reached this article, outermost first.
    pub via: Vec<Source>,
    /// The reporting verb.
    pub verb: String,
    /// What was said (the quoted or reported words).
    pub text: String,
    /// Where that is.
    pub span: WireSpan,
    /// Where it was posted (X, Telegram, Facebook …), when said.
    pub platform: Option<String>,
}

/// The speaker of a quote.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Speaker {
    /// Name (canonical when known), `None` for unnamed speakers.
    pub name: Option<String>,
    /// Role or title.
    pub role: Option<String>,
    /// The organization they speak for.
    pub organization: Option<String>,
    /// The words naming the speaker.
    pub text: Option<String>,
    /// Where they are.
    pub span: Option<WireSpan>,
}

/// A mention of an entity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// `person`, `organization`, `place`, `date`, `number` or `outlet`.
    pub kind: String,
    /// The exact text.
    pub text: String,
    /// Where it is.
    pub span: WireSpan,
    /// Canonical name, ISO interval (`start/end`), integer, or gazetteer name.
    pub normalized: Normalized,
}

/// The normalized value of a mention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Normalized {
    /// A number.
    Number(i64),
    /// A name, an ISO interval, a gazetteer entry.
    Text(String),
}
