//! The rasd pipeline, end to end: a page of text in, an event [`Record`] out.
//!
//! ```text
//! raw page ─ clean ─▶ Page{title, text, meta} ─ analyse ─▶ sentences · dates · places ·
//!   entities · quotes ─ code ─▶ events ─ assemble ─▶ Record (docs/event-record.md)
//! ```
//!
//! [`Knowledge`] holds every stage's compiled knowledge (loaded once, shared across threads);
//! [`Knowledge::extract`] runs one article through all stages. Only this crate knows all the
//! stages, and only here do their plain types become the wire types of `rasd-record`.
//!
//! ```
//! use rasd_pipeline::{ArticleMeta, Knowledge};
//! let k = Knowledge::load(&rasd_kb::DataDir::embedded()).unwrap();
//! let meta = ArticleMeta { published: chrono::NaiveDate::from_ymd_opt(2025, 5, 17), ..Default::default() };
//! let record = k.extract("اعتقلت قوات الأمن العام أمس ثلاثة أشخاص في مدينة حمص.", &meta);
//! assert_eq!(record.events[0].sub_event_type, "Arrests");
//! assert_eq!(record.events[0].location.as_ref().unwrap().admin1.as_deref(), Some("Homs"));
//! ```
#![deny(missing_docs)]

mod assemble;
mod query;

pub use query::{needs_knowledge, resolve_types, FilterError};

use chrono::NaiveDate;
use rasd_clean::Cleaner;
use rasd_dates::DateReader;
use rasd_entities::{Entities, EntityKind};
use rasd_events::Coder;
use rasd_kb::{DataDir, KbError};
use rasd_places::Gazetteer;
use rasd_quotes::Attributor;
use rasd_record::Record;
use rasd_text::{segment::sentences, NormText, Scanner, SpanIndex};

/// What is known about an article besides its text.
#[derive(Clone, Debug, Default)]
pub struct ArticleMeta {
    /// Publication date; read from the page's metadata line when not given.
    pub published: Option<NaiveDate>,
    /// The publishing outlet.
    pub outlet: Option<String>,
    /// Where the article came from.
    pub url: Option<String>,
    /// The title, when known apart from the text.
    pub title: Option<String>,
    /// The author, when the input names one (else the page's byline is read).
    pub author: Option<String>,
    /// The language the input declares (`ar`, `en-GB`): the record's language when the text's
    /// script agrees with it (a page declared English but written in Arabic is Arabic).
    pub language: Option<String>,
}

/// Every stage's compiled knowledge.
#[derive(Debug)]
pub struct Knowledge {
    cleaner: Cleaner,
    dates: DateReader,
    gazetteer: Gazetteer,
    entities: Entities,
    attributor: Attributor,
    coder: Coder,
    /// Every stage's lexicons in one automaton: each article is searched once for all.
    scanner: Scanner,
    /// The names query filters are read against, built on first use.
    filter_names: std::sync::OnceLock<query::FilterNames>,
}

impl Knowledge {
    /// Loads and compiles all knowledge files, with the user's gazetteer
    /// (`rasd gazetteer import`, see `rasd_places::user`) when there is one.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        let dates = DateReader::load(dir)?;
        let gazetteer = Gazetteer::load_with_user(dir, rasd_places::user::default_path().as_deref())?;
        let entities = Entities::load(dir)?;
        let attributor = Attributor::load(dir)?;
        let coder = Coder::load(dir)?;
        let parts =
            [dates.lexicons(), gazetteer.lexicons(), entities.lexicons(), attributor.lexicons(), coder.lexicons()]
                .concat();
        let scanner = Scanner::new(&parts);
        Ok(Knowledge {
            cleaner: Cleaner::load(dir)?,
            dates,
            gazetteer,
            entities,
            attributor,
            coder,
            scanner,
            filter_names: std::sync::OnceLock::new(),
        })
    }

    /// The date reader (for `rasd inspect dates`).
    pub fn dates(&self) -> &DateReader {
        &self.dates
    }

    /// The gazetteer (for `rasd inspect places`).
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    fn filter_names(&self) -> &query::FilterNames {
        self.filter_names.get_or_init(|| query::FilterNames::new(&self.gazetteer))
    }

    /// Runs one page through every stage.
    pub fn extract(&self, raw: &str, meta: &ArticleMeta) -> Record {
        self.extract_timed(raw, meta, &mut StageTimes::default())
    }

    /// [`Knowledge::extract`], adding the time each stage took to `times` (for `rasd bench`).
    pub fn extract_timed(&self, raw: &str, meta: &ArticleMeta, times: &mut StageTimes) -> Record {
        match self.analyse(raw, meta, times, &|| false, false) {
            Some(explained) => explained.record,
            None => unreachable!("a pipeline told never to stop stopped"),
        }
    }

    /// [`Knowledge::extract`] that gives up (`None`) when `stop` answers true between two
    /// stages: a server stops the work of a request whose client went away or whose time ran
    /// out.
    pub fn extract_until(&self, raw: &str, meta: &ArticleMeta, stop: &dyn Fn() -> bool) -> Option<Record> {
        self.analyse(raw, meta, &mut StageTimes::default(), stop, false).map(|explained| explained.record)
    }

    /// [`Knowledge::extract`], with the candidate events that were screened out and why, and
    /// what the likelihood model read of each event (`rasd inspect events`, `rasd eval
    /// --features`).
    pub fn explain(&self, raw: &str, meta: &ArticleMeta) -> Explanation {
        match self.analyse(raw, meta, &mut StageTimes::default(), &|| false, true) {
            Some(explained) => explained,
            None => unreachable!("a pipeline told never to stop stopped"),
        }
    }

    /// The weight the likelihood model gives each of an event's features (from
    /// [`Explanation::features`]), largest effect first.
    pub fn likelihood_weights(&self, features: &[String]) -> Vec<(String, f32)> {
        self.coder.likelihood_weights(features)
    }

    fn analyse(
        &self,
        raw: &str,
        meta: &ArticleMeta,
        times: &mut StageTimes,
        stop: &dyn Fn() -> bool,
        keep_features: bool,
    ) -> Option<Explanation> {
        let mut clock = Clock::start(times, stop);
        let page = self.cleaner.clean(raw);
        clock.lap(Stage::Clean)?;
        let text = page.text.as_str();
        let norm = NormText::scanned(text, &self.scanner);
        let sentences = sentences(text);
        clock.lap(Stage::Text)?;
        let meta_date = page.meta_line.as_deref().and_then(|line| self.meta_date(line));
        let published =
            meta.published.or(meta_date.as_ref().map(|(d, _)| *d)).or_else(|| self.latest_date(text, &norm));
        // Without a publication date, relative dates cannot be read and events cannot be dated:
        // the page codes no event (never dated from the machine's clock).
        let reference = published.unwrap_or(NaiveDate::MIN);
        let names = SpanIndex::new(rasd_text::segment::quoted_names(text).into_iter().map(|s| (s, ())));
        let mut dates = if published.is_some() { self.dates.find(text, &norm, reference) } else { Vec::new() };
        // "اليوم" in “الفرات اليوم” names an outlet, not a day; a year far from publication
        // is a misreading (a count of years, a resolution number), not a date.
        dates.retain(|d| names.containing(d.span).next().is_none() && plausible_year(d, reference));
        clock.lap(Stage::Dates)?;
        // Actors' period-dependent names: an undated page reads today's names.
        let entities = self.entities.find(text, &norm, published.unwrap_or(NaiveDate::MAX));
        clock.lap(Stage::Entities)?;
        let mut places = self.gazetteer.find(text, &norm);
        // A place inside a name (the Damascus government, مجلس دير الزور العسكري) is no place.
        // An outlet named like a place (Petra, the Jordanian agency) is no place either.
        let names = SpanIndex::new(entities.iter().filter(|e| e.kind != EntityKind::Person).map(|e| (e.span, e.kind)));
        places.retain(|p| !names.containing(p.span).any(|(span, kind)| *span != p.span || *kind == EntityKind::Outlet));
        clock.lap(Stage::Places)?;
        let attribution = self.attributor.read(text, &norm, &sentences, &entities, meta.outlet.as_deref());
        clock.lap(Stage::Quotes)?;
        let counts = self.coder.counts(&norm);
        let input = rasd_events::Input {
            text,
            norm: &norm,
            sentences: &sentences,
            published: reference,
            dates: &dates,
            places: &places,
            gazetteer: &self.gazetteer,
            entities: &entities,
            attribution: &attribution,
            counts: &counts,
        };
        let coding = match (published, keep_features) {
            (None, _) => rasd_events::Coding::default(),
            (Some(_), false) => self.coder.code(&input),
            (Some(_), true) => self.coder.code_explained(&input),
        };
        clock.lap(Stage::Events)?;
        let section = page.meta_line.as_deref().and_then(|line| self.cleaner.section(line, meta_date.map(|(_, r)| r)));
        let record = assemble::Assembly { input: &input, gazetteer: &self.gazetteer }.record(
            assemble::ArticleFields {
                title: meta.title.clone().or(page.title),
                published,
                outlet: meta.outlet.clone(),
                section,
                author: meta.author.clone().or(page.author),
                url: meta.url.clone(),
                language: language(text, meta.language.as_deref()),
            },
            &coding,
        );
        // The record is made: a stop now would only waste it.
        let _ = clock.lap(Stage::Assemble);
        let dropped = coding
            .dropped
            .iter()
            .map(|d| DroppedCandidate {
                trigger: d.trigger.slice(text).to_string(),
                span: d.trigger.to_pair(),
                sub_event_type: d.kind.sub_event_type,
                reason: d.reason.as_str(),
            })
            .collect();
        let features = coding.events.into_iter().map(|e| e.features).collect();
        Some(Explanation { record, dropped, features })
    }

    /// The absolute date on a metadata line, and where it stands on the line.
    fn meta_date(&self, line: &str) -> Option<(NaiveDate, std::ops::Range<usize>)> {
        let today = chrono::Utc::now().date_naive();
        let norm = NormText::scanned(line, &self.scanner);
        let d = self.dates.find(line, &norm, today).into_iter().find(|d| !d.relative && d.precision == 1)?;
        Some((d.start, d.span.start..d.span.end))
    }

    /// Without a publication date, the latest day-precise absolute date in the text stands in.
    fn latest_date(&self, text: &str, norm: &NormText) -> Option<NaiveDate> {
        let far = NaiveDate::from_ymd_opt(2100, 1, 1)?;
        self.dates.find(text, norm, far).into_iter().filter(|d| !d.relative && d.precision == 1).map(|d| d.end).max()
    }
}

/// A date mention lies within this many years of publication, or it is dropped.
const PLAUSIBLE_YEARS: i32 = 30;

fn plausible_year(d: &rasd_dates::DateMention, published: NaiveDate) -> bool {
    use chrono::Datelike;
    let year = published.year();
    (year - PLAUSIBLE_YEARS..=year + PLAUSIBLE_YEARS).contains(&d.start.year())
        && (year - PLAUSIBLE_YEARS..=year + PLAUSIBLE_YEARS).contains(&d.end.year())
}

/// A record with the reasons behind it.
#[derive(Clone, Debug)]
pub struct Explanation {
    /// The record [`Knowledge::extract`] gives.
    pub record: Record,
    /// The candidate events screened out, each with its reason.
    pub dropped: Vec<DroppedCandidate>,
    /// Per event of the record, in order: the features the likelihood model read (empty in
    /// the records of [`Knowledge::extract`], which only weighs them).
    pub features: Vec<Vec<String>>,
}

/// A candidate event that was not coded, and why (the trigger's words and span in
/// `article.text`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DroppedCandidate {
    /// The trigger words.
    pub trigger: String,
    /// Their span.
    pub span: [usize; 2],
    /// What they would have coded.
    pub sub_event_type: &'static str,
    /// Why they code nothing.
    pub reason: &'static str,
}

/// The stages of the pipeline, in order, as `rasd bench` reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Cleaning the page.
    Clean,
    /// Folding, offset map, words, sentences.
    Text,
    /// Date expressions.
    Dates,
    /// Actors, organizations, outlets, persons.
    Entities,
    /// Place mentions.
    Places,
    /// Quotes and attribution.
    Quotes,
    /// Event coding and counts.
    Events,
    /// The wire record.
    Assemble,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 8] = [
        Stage::Clean,
        Stage::Text,
        Stage::Dates,
        Stage::Entities,
        Stage::Places,
        Stage::Quotes,
        Stage::Events,
        Stage::Assemble,
    ];

    /// The stage's name.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Clean => "clean",
            Stage::Text => "text",
            Stage::Dates => "dates",
            Stage::Entities => "entities",
            Stage::Places => "places",
            Stage::Quotes => "quotes",
            Stage::Events => "events",
            Stage::Assemble => "assemble",
        }
    }
}

/// Time spent in each stage, summed over the articles extracted with it.
#[derive(Clone, Debug, Default)]
pub struct StageTimes {
    totals: [std::time::Duration; Stage::ALL.len()],
}

impl StageTimes {
    /// Time spent in `stage`.
    pub fn of(&self, stage: Stage) -> std::time::Duration {
        self.totals[stage as usize]
    }

    /// Adds another tally to this one.
    pub fn add(&mut self, other: &StageTimes) {
        for (a, b) in self.totals.iter_mut().zip(other.totals) {
            *a += b;
        }
    }
}

/// Charges the time since the last lap to a stage.
struct Clock<'t> {
    times: &'t mut StageTimes,
    last: std::time::Instant,
    stop: &'t dyn Fn() -> bool,
}

impl<'t> Clock<'t> {
    fn start(times: &'t mut StageTimes, stop: &'t dyn Fn() -> bool) -> Self {
        Clock { times, last: std::time::Instant::now(), stop }
    }

    /// Charges the stage, then says whether to go on (`None`: stop).
    fn lap(&mut self, stage: Stage) -> Option<()> {
        let now = std::time::Instant::now();
        self.times.totals[stage as usize] += now - self.last;
        self.last = now;
        (!(self.stop)()).then_some(())
    }
}

/// Languages written in the Arabic script.
const ARABIC_SCRIPT_LANGUAGES: [&str; 6] = ["ar", "fa", "ur", "ps", "ku", "ckb"];

/// ISO 639 code of the text's language: the declared one (its primary subtag, `en` of `en-GB`)
/// when the text's script agrees with it, else the one the text shows (`ar`, `en` …; `und`
/// when unknown).
fn language(text: &str, declared: Option<&str>) -> String {
    let detected = detected_language(text);
    let declared = declared
        .and_then(|tag| tag.split(['-', '_']).next())
        .map(str::to_ascii_lowercase)
        .filter(|code| (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase()));
    match declared {
        Some(code) if detected == "und" || (detected == "ar") == ARABIC_SCRIPT_LANGUAGES.contains(&code.as_str()) => {
            code
        }
        _ => detected,
    }
}

/// ISO 639-1 code of the language the text shows (`ar`, `en` …; `und` when unknown).
fn detected_language(text: &str) -> String {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if ('\u{0600}'..='\u{06FF}').contains(&c) {
            arabic += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if arabic > latin {
        return "ar".to_string();
    }
    match whatlang::detect_lang(text) {
        Some(whatlang::Lang::Eng) => "en".to_string(),
        Some(whatlang::Lang::Fra) => "fr".to_string(),
        Some(whatlang::Lang::Tur) => "tr".to_string(),
        Some(whatlang::Lang::Deu) => "de".to_string(),
        Some(lang) => lang.code().to_string(),
        None if latin > 0 => "en".to_string(),
        None => "und".to_string(),
    }
}

impl Knowledge {
    /// The id an article's record will have ([`article_id`] of its cleaned, folded text),
    /// without analysing it: tells a changed text at a known URL from the same one.
    pub fn article_key(&self, raw: &str) -> String {
        article_id(&NormText::new(&self.cleaner.clean(raw).text))
    }
}

/// The stable id of an article: hex of a 64-bit hash of its folded body text.
pub fn article_id(norm: &NormText) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(norm.as_str().trim().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::language;

    #[test]
    fn a_declared_language_is_kept_when_the_script_agrees() {
        let arabic = "اعتقلت قوات الأمن ثلاثة أشخاص في مدينة جبلة.";
        let english = "Syrian forces arrested three men in Homs on Tuesday.";
        assert_eq!(language(arabic, None), "ar");
        assert_eq!(language(arabic, Some("fa-IR")), "fa", "Persian is written in the Arabic script");
        assert_eq!(language(arabic, Some("en")), "ar", "a page declared English but written in Arabic");
        assert_eq!(language(english, Some("en-GB")), "en");
        assert_eq!(language(english, Some("ar")), "en");
        assert_eq!(language(english, Some("not a tag!")), "en");
        assert_eq!(language("12345", Some("tr")), "tr", "nothing to read: the declaration decides");
    }
}
