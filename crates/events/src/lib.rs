//! Event coding: what happened, by whom, to whom, where, when, how many killed, according to
//! whom — in ACLED's taxonomy, every field tied to the words it was read from.
//!
//! [`Coder`] compiles `data/events/` (trigger lexicon, status/responsibility/casualty cues, number
//! words) and codes an analysed article ([`Input`]: sentences, dates, places, entities and
//! attribution found by the earlier stages) into [`CodedEvent`]s:
//!
//! 1. **Triggers** are found per sentence. A governing trigger (أحبط، foiled) takes over the
//!    explosion words after it (محاولة تفجير); blockers (شديدة الانفجار) code nothing; a
//!    definite reference (الهجوم، the attack) joins the event already reported.
//! 2. In each **clause** the highest-priority trigger names the event; clauses of one sentence
//!    with the same type merge unless each has its own place (two foiled attacks, two places).
//! 3. Each event gets its **date** (the nearest date in the clause, the sentence, the paragraph,
//!    else the publication window), **place** (the most specific in the clause, then the
//!    sentence, the paragraph, the article), **actors** (target and joint cues decide actor2
//!    and associates), **status** (negation, future, denial cues and future dates), **counts**
//!    of killed and injured, **responsibility** and the **attribution chain** of its sentence.
//! 4. Background events (a date long before publication, منذ/since before the trigger) are
//!    dropped, and repeated reports of one event across sentences merge.
#![deny(missing_docs)]

mod coder;
mod count;
mod lexicons;
mod likelihood;
mod screen;
mod subtypes;

use chrono::NaiveDate;
use rasd_dates::DateMention;
use rasd_entities::{Actor, Mention};
use rasd_kb::{DataDir, KbError};
use rasd_places::{Gazetteer, PlaceMention};
use rasd_quotes::{Attribution, Link};
use rasd_text::{NormText, ScanPart, Span};

pub use coder::Confidence;
pub use count::Count;
pub use lexicons::{Domain, EventKind};
pub use screen::{ArticleReading, DropReason, Dropped};

/// Whether the event happened, according to the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// It happened (the default).
    Occurred,
    /// Planned, called for, announced or threatened.
    Future,
    /// A source denies it.
    Denied,
    /// The text says it did not happen.
    Negated,
}

impl Status {
    /// The contract's string.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Occurred => "occurred",
            Status::Future => "future",
            Status::Denied => "denied",
            Status::Negated => "negated",
        }
    }
}

/// An analysed article, as the earlier stages left it.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// `article.text`.
    pub text: &'a str,
    /// Its folded copy.
    pub norm: &'a NormText,
    /// Its sentences.
    pub sentences: &'a [Span],
    /// The publication date.
    pub published: NaiveDate,
    /// Date mentions.
    pub dates: &'a [DateMention],
    /// Place mentions.
    pub places: &'a [PlaceMention],
    /// The gazetteer the places point into.
    pub gazetteer: &'a Gazetteer,
    /// Entity mentions.
    pub entities: &'a [Mention],
    /// Quotes and chains.
    pub attribution: &'a Attribution,
    /// Every count in the text ([`Coder::counts`]).
    pub counts: &'a [Count],
}

/// The date window of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// ACLED time precision.
    pub precision: u8,
    /// Index into [`Input::dates`] of the words read; `None` when the publication date stands in.
    pub mention: Option<usize>,
}

/// An actor of an event, and where the text names it.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorRef {
    /// The dictionary actor.
    pub actor: Actor,
    /// The words naming it (`None` when inferred, e.g. from the speaker).
    pub span: Option<Span>,
}

/// Who claimed an event, who is blamed, whether nobody claimed it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Responsibility {
    /// Who claimed it.
    pub claimed_by: Option<String>,
    /// Who others blame.
    pub attributed_to: Option<String>,
    /// The text says nobody claimed it.
    pub unclaimed: bool,
}

/// One coded event.
#[derive(Clone, Debug, PartialEq)]
pub struct CodedEvent {
    /// ACLED type and sub-type.
    pub kind: EventKind,
    /// Happened, future, denied, negated.
    pub status: Status,
    /// The words that named the event.
    pub trigger: Span,
    /// The sentence it was read from.
    pub evidence: Span,
    /// When.
    pub date: Window,
    /// Index into [`Input::places`] of where.
    pub place: Option<usize>,
    /// Who acts.
    pub actor1: Option<ActorRef>,
    /// Who is acted on.
    pub actor2: Option<ActorRef>,
    /// Joint forces, partners.
    pub assoc_actors: Vec<ActorRef>,
    /// Killed.
    pub fatalities: Option<u32>,
    /// Injured.
    pub injured: Option<u32>,
    /// The words of every figure of dead read for it (alternatives from several sentences or
    /// sources; `fatalities` is the lowest, or the latest "rose to").
    pub toll_reports: Vec<Span>,
    /// A figure of dead too large for one event (a war total), left out of `fatalities`.
    pub implausible_toll: Option<u32>,
    /// Claims and blame.
    pub responsibility: Responsibility,
    /// Attribution chain, outermost first.
    pub sources: Vec<Link>,
    /// What supports the reading.
    pub confidence: Confidence,
    /// What the likelihood model read of the event (`sub=Armed clash`, `place=clause`, …),
    /// kept by [`Coder::code_explained`] only.
    pub features: Vec<String>,
    /// The model's probability that the event is real and right: the record's confidence.
    pub likelihood: f32,
}

/// What coding an article gives: its events, the candidates screened out, and what the
/// article is.
#[derive(Clone, Debug, Default)]
pub struct Coding {
    /// The coded events.
    pub events: Vec<CodedEvent>,
    /// Candidates that were not coded, each with its reason.
    pub dropped: Vec<Dropped>,
    /// Whether the article is another field's (sports, economy, culture).
    pub article: ArticleReading,
}

/// The compiled event knowledge.
pub struct Coder {
    lexicons: lexicons::Lexicons,
    counter: count::Counter,
    likelihood: likelihood::Likelihood,
}

impl std::fmt::Debug for Coder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Coder")
    }
}

impl Coder {
    /// Loads `data/events/*.tsv`.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        Ok(Coder {
            lexicons: lexicons::Lexicons::load(dir)?,
            counter: count::Counter::load(dir)?,
            likelihood: likelihood::Likelihood::load(dir)?,
        })
    }

    /// The lexicons this stage searches, for a shared [`rasd_text::Scanner`].
    pub fn lexicons(&self) -> Vec<ScanPart<'_>> {
        vec![
            self.lexicons.triggers.part(),
            self.lexicons.cues.part(),
            self.lexicons.domains.part(),
            self.counter.part(),
        ]
    }

    /// Codes the events of an analysed article.
    pub fn code(&self, input: &Input) -> Coding {
        coder::Pass::new(self, input).run()
    }

    /// [`Coder::code`], keeping each event's features in [`CodedEvent::features`] (they are
    /// otherwise only weighed): what `rasd inspect events` shows.
    pub fn code_explained(&self, input: &Input) -> Coding {
        coder::Pass::new(self, input).keeping_features().run()
    }

    /// The weight the likelihood model gives each of an event's features, largest effect first:
    /// why its confidence is what it is.
    pub fn likelihood_weights(&self, features: &[String]) -> Vec<(String, f32)> {
        self.likelihood.contributions(features)
    }

    /// Every count (number) in a text.
    pub fn counts(&self, norm: &NormText) -> Vec<Count> {
        self.counter.find(norm)
    }
}
