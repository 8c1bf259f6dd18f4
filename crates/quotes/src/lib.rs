//! Reported speech and attribution chains.
//!
//! News rarely speaks for itself: "نقلت “ذا ناشونال” عن المبعوث الأمريكي توم باراك قوله …" is
//! this site ← The National ← Tom Barrack. [`Attributor::read`] finds the reporting
//! constructions of an article (verbs and phrases in `data/quotes/verbs.tsv`: قال، أكد، نقلت …
//! عن، بحسب، according to, told …), their speaker (a person, organization, outlet or unnamed
//! source found by `rasd-entities`), the outlets that relayed them (لشبكة “ذا ناشونال”، للشبكة
//! ذاتها — anaphors in `data/quotes/anaphors.tsv`), the platform (على منصة “إكس”) and the words
//! quoted. Each sentence gets the chain of its reporting construction, or inherits the chain of
//! the sentence before it in the same paragraph.
//!
//! ```
//! use rasd_quotes::Attributor;
//! use rasd_text::{segment::sentences, NormText};
//! let dir = rasd_kb::DataDir::embedded();
//! let ents = rasd_entities::Entities::load(&dir).unwrap();
//! let attributor = Attributor::load(&dir).unwrap();
//! let text = "ونقلت “ذا ناشونال” عن المبعوث الأمريكي توم باراك قوله في منشور على منصة “إكس” إن “سوريا عادت إلى صفّنا”.";
//! let norm = NormText::new(text);
//! let date = chrono::NaiveDate::from_ymd_opt(2025, 10, 26).unwrap();
//! let mentions = ents.find(text, &norm, date);
//! let reading = attributor.read(text, &norm, &sentences(text), &mentions, None);
//! let quote = &reading.quotes[0];
//! assert_eq!(quote.speaker.as_ref().unwrap().name, "Tom Barrack");
//! assert_eq!(quote.via[0].name, "The National");
//! assert_eq!(quote.platform.as_deref(), Some("X"));
//! assert_eq!(quote.text.slice(text), "سوريا عادت إلى صفّنا");
//! ```
#![deny(missing_docs)]

use rasd_entities::{EntityKind, Mention};
use rasd_kb::{DataDir, KbError, Tsv};
use rasd_text::{LexMatch, Lexicon, NormText, ScanPart, Span};

const VERBS_FILE: &str = "quotes/verbs.tsv";
const ANAPHORS_FILE: &str = "quotes/anaphors.tsv";
const CONTENT_MARKERS_FILE: &str = "quotes/content_markers.tsv";

/// How many mentions back an outlet anaphor (للشبكة ذاتها) looks for the outlet it names.
const OUTLET_LOOKBACK: usize = 200;

/// What kind of source a link of a chain is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A news outlet or agency.
    Outlet,
    /// A named person.
    Person,
    /// An organization, ministry, armed group speaking as such.
    Organization,
    /// A social platform.
    Platform,
    /// An unnamed source.
    Unnamed,
}

impl SourceKind {
    /// The contract's name (`outlet`, `person` …).
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Outlet => "outlet",
            SourceKind::Person => "person",
            SourceKind::Organization => "organization",
            SourceKind::Platform => "platform",
            SourceKind::Unnamed => "unnamed",
        }
    }
}

/// One link of an attribution chain.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// What it is.
    pub kind: SourceKind,
    /// Canonical name.
    pub name: String,
    /// Role, for persons and unnamed sources.
    pub role: Option<String>,
    /// The organization a person speaks for.
    pub organization: Option<String>,
    /// The words naming it (`None` for the publisher known from metadata).
    pub span: Option<Span>,
}

/// A piece of reported speech.
#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    /// Who said it, when the text says.
    pub speaker: Option<Link>,
    /// Outlets it came through, outermost first (the publisher excluded).
    pub via: Vec<Link>,
    /// The reporting verb or phrase.
    pub verb: Span,
    /// What was said.
    pub text: Span,
    /// Where it was posted.
    pub platform: Option<String>,
    /// Index of the sentence it is in.
    pub sentence: usize,
}

impl Quote {
    /// The chain of this quote below the publisher: relaying outlets, then the speaker.
    pub fn chain(&self) -> Vec<Link> {
        let mut chain = self.via.clone();
        if let Some(s) = &self.speaker {
            if !chain.iter().any(|l| l.name == s.name) {
                chain.push(s.clone());
            }
        }
        chain
    }
}

/// The attribution of an article.
#[derive(Clone, Debug, Default)]
pub struct Attribution {
    /// Every piece of reported speech, in text order.
    pub quotes: Vec<Quote>,
    /// Per sentence: the chain below the publisher.
    chains: Vec<Vec<Link>>,
    publisher: Option<Link>,
}

impl Attribution {
    /// The full chain, outermost first, for something read at byte `pos` of sentence
    /// `sentence`: the publisher, then the chain of the last reporting construction before `pos`
    /// in that sentence (or the sentence's own chain).
    pub fn chain_at(&self, sentence: usize, pos: usize) -> Vec<Link> {
        let mut chain: Vec<Link> = self.publisher.iter().cloned().collect();
        let in_sentence: Vec<&Quote> = self
            .quotes
            .iter()
            .filter(|q| q.sentence == sentence && (q.speaker.is_some() || !q.via.is_empty()))
            .collect();
        // The sentence's first reporting verb governs it (قال … إن …، مؤكداً …); a verb after
        // the event's words can only govern it when none comes before (…, the army said).
        let own = in_sentence.iter().find(|q| q.verb.start <= pos).or(in_sentence.first());
        match own {
            Some(q) => chain.extend(q.chain()),
            None => chain.extend(self.chains.get(sentence).cloned().unwrap_or_default()),
        }
        chain
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VerbKind {
    Say,
    Relay,
    According,
    Carry,
}

/// The compiled reporting lexicons.
#[derive(Debug)]
pub struct Attributor {
    verbs: Lexicon<VerbKind>,
    anaphors: Lexicon<bool>,
    /// Folded words after which the reported content begins, each with whether it opens the
    /// content itself (إن، that) or announces the marker that does (قوله).
    content_markers: Vec<(String, bool)>,
}

impl Attributor {
    /// Loads `data/quotes/*.tsv`.
    pub fn load(dir: &DataDir) -> Result<Self, KbError> {
        let text = dir.read(VERBS_FILE)?;
        let table = Tsv::parse(VERBS_FILE, &text, &["verb", "kind"])?;
        let mut verbs = Lexicon::builder();
        for row in table.rows() {
            let kind = match row.require("kind")? {
                "say" => VerbKind::Say,
                "relay" => VerbKind::Relay,
                "according" => VerbKind::According,
                "carry" => VerbKind::Carry,
                other => {
                    return Err(row.error(format!("unknown kind {other:?}: expected say, relay, according or carry")))
                }
            };
            verbs.add(row.require("verb")?, kind);
        }
        let text = dir.read(ANAPHORS_FILE)?;
        let table = Tsv::parse(ANAPHORS_FILE, &text, &["phrase", "refers"])?;
        let mut anaphors = Lexicon::builder();
        for row in table.rows() {
            let to_outlet = match row.require("refers")? {
                "outlet" => true,
                "speaker" => false,
                other => return Err(row.error(format!("unknown refers {other:?}: expected outlet or speaker"))),
            };
            anaphors.add(row.require("phrase")?, to_outlet);
        }
        let text = dir.read(CONTENT_MARKERS_FILE)?;
        let table = Tsv::parse(CONTENT_MARKERS_FILE, &text, &["word", "opens"])?;
        let mut content_markers = Vec::new();
        for row in table.rows() {
            let opens_here = match row.require("opens")? {
                "here" => true,
                "next" => false,
                other => return Err(row.error(format!("unknown opens {other:?}: expected here or next"))),
            };
            content_markers.push((rasd_text::fold::fold_str(row.require("word")?), opens_here));
        }
        Ok(Attributor { verbs: verbs.build(), anaphors: anaphors.build(), content_markers })
    }

    /// The lexicons this stage searches, for a shared [`rasd_text::Scanner`].
    pub fn lexicons(&self) -> Vec<ScanPart<'_>> {
        vec![self.verbs.part(), self.anaphors.part()]
    }

    /// Reads the attribution of an article: `sentences` are its sentence spans, `mentions`
    /// the entities found in it (in text order), `publisher` the outlet that published it.
    /// Time and output are linear in the text: quotes never overlap, sentences are bounded
    /// (`rasd_text::segment::MAX_SENTENCE_BYTES`) and mentions are looked up by position.
    pub fn read(
        &self,
        text: &str,
        norm: &NormText,
        sentences: &[Span],
        mentions: &[Mention],
        publisher: Option<&str>,
    ) -> Attribution {
        let verbs = self.verbs.find(norm);
        let anaphors = self.anaphors.find(norm);
        let ctx = Context {
            text,
            norm,
            mentions,
            anaphors: &anaphors,
            anaphor_lex: &self.anaphors,
            content_markers: &self.content_markers,
        };
        let mut quotes = Vec::new();
        let mut chains: Vec<Vec<Link>> = Vec::with_capacity(sentences.len());
        let mut last_speaker: Option<Link> = None;
        for (i, sentence) in sentences.iter().enumerate() {
            let before = quotes.len();
            // Words reported before a verb begin after the previous reporting verb, so that
            // quotes never overlap and the record stays linear in the text.
            let mut floor = sentence.start;
            let first = verbs.partition_point(|v| v.span.start < sentence.start);
            for verb in verbs[first..].iter().take_while(|v| v.span.start < sentence.end) {
                if !sentence.contains(verb.span) {
                    continue;
                }
                let kind = *self.verbs.value(verb.values[0]);
                let earliest = std::mem::replace(&mut floor, verb.span.end);
                if let Some(q) = ctx.quote(i, *sentence, earliest, verb, kind, last_speaker.as_ref()) {
                    // A participle (مؤكداً) that only repeats its verb's quotation adds nothing.
                    if quotes.last().is_some_and(|p: &Quote| p.text.contains(q.text) && p.sentence == i) {
                        continue;
                    }
                    if q.speaker.is_some() {
                        last_speaker.clone_from(&q.speaker);
                    }
                    quotes.push(q);
                }
            }
            let own = quotes[before..].iter().find(|q| q.speaker.is_some()).map(Quote::chain);
            let same_paragraph = i > 0 && !text[sentences[i - 1].end..sentence.start].contains("\n\n");
            let inherited = if same_paragraph { chains.last().cloned().unwrap_or_default() } else { Vec::new() };
            chains.push(own.unwrap_or(inherited));
        }
        relay_throughout(&mut quotes);
        let publisher = publisher.map(|name| Link {
            kind: SourceKind::Outlet,
            name: name.to_string(),
            role: Some("publisher".to_string()),
            organization: None,
            span: None,
        });
        Attribution { quotes, chains, publisher }
    }
}

/// When every relaying outlet of an article is one outlet (a site retelling The National's
/// report), the quotes that do not name it came through it too: they get it, without a span
/// (inferred, not read).
fn relay_throughout(quotes: &mut [Quote]) {
    let outlets =
        || quotes.iter().flat_map(|q| q.via.iter().chain(&q.speaker)).filter(|l| l.kind == SourceKind::Outlet);
    let Some(first) = outlets().next().cloned() else { return };
    let relayed = quotes.iter().filter(|q| q.via.iter().any(|l| l.name == first.name)).count();
    if relayed < 2 || outlets().any(|l| l.name != first.name) {
        return;
    }
    for q in quotes.iter_mut().filter(|q| q.via.is_empty()) {
        if q.speaker.as_ref().is_none_or(|s| s.name != first.name) {
            q.via.push(Link { span: None, ..first.clone() });
        }
    }
}

struct Context<'a> {
    text: &'a str,
    norm: &'a NormText,
    mentions: &'a [Mention],
    anaphors: &'a [LexMatch],
    anaphor_lex: &'a Lexicon<bool>,
    /// The attributor's content markers.
    content_markers: &'a [(String, bool)],
}

impl Context<'_> {
    fn quote(
        &self,
        index: usize,
        sentence: Span,
        earliest: usize,
        verb: &LexMatch,
        kind: VerbKind,
        last: Option<&Link>,
    ) -> Option<Quote> {
        let content = self.content_start(verb.span.end, sentence);
        let after = Span::new(verb.span.end, content);
        let before = Span::new(self.clause_start(sentence, verb.span.start), verb.span.start);
        let mut via: Vec<Link> = Vec::new();
        let speaker = match kind {
            VerbKind::Relay => {
                let relay = self.first(after, |k| k == EntityKind::Outlet).or_else(|| self.outlet_anaphor(after));
                let rest =
                    relay.as_ref().and_then(|r| r.span).map_or(after, |s| Span::new(s.end, after.end.max(s.end)));
                if let Some(r) = relay {
                    via.push(r);
                }
                self.speaker_in(rest).or_else(|| self.speaker_in(before))
            }
            VerbKind::According => self.speaker_in(after),
            // English puts the subject first (the army said), Arabic after the verb (قال المصدر).
            VerbKind::Say if verb.span.slice(self.text).is_ascii() => {
                self.speaker_in(before).or_else(|| self.speaker_in(after))
            }
            VerbKind::Say => self.speaker_in(after).or_else(|| self.speaker_in(before)),
            VerbKind::Carry => self.speaker_in(after).or_else(|| last.cloned()),
        };
        let speaker = speaker.or_else(|| self.speaker_anaphor(sentence, verb.span.start).and(last.cloned()));
        for outlet in self.outlets_in(sentence) {
            let is_speaker = speaker.as_ref().is_some_and(|s| s.name == outlet.name);
            if !is_speaker && !via.iter().any(|v| v.name == outlet.name) {
                via.push(outlet);
            }
        }
        via.sort_by_key(|l| l.span.map_or(0, |s| s.start));
        if speaker.is_none() && via.is_empty() {
            return None;
        }
        let platform = self.mentions_in(sentence).find(|m| m.kind == EntityKind::Platform).map(|m| m.name.clone());
        let mut text = self.quoted(sentence, content);
        if text.is_empty() {
            // بحسب ما أفادت به مصادر محلية / the network reported: the words reported come first.
            let mut end = verb.span.start;
            if let Some(s) =
                speaker.as_ref().and_then(|s| s.span).filter(|s| earliest <= s.start && s.end <= verb.span.start)
            {
                // "…, the local news network Suwayda 24 reported": the report ends at the comma.
                end = self.text[earliest..s.start].rfind([',', '،']).map_or(s.start, |i| earliest + i);
            }
            text = trim_span(self.text, Span::new(earliest, end.max(earliest)));
        }
        Some(Quote { speaker, via, verb: verb.span, text, platform, sentence: index })
    }

    /// Where the reported content starts: after the first content marker
    /// (`data/quotes/content_markers.tsv`: إن/أن/that; قوله announces the إن that opens its
    /// content), else at the first quotation.
    fn content_start(&self, from: usize, sentence: Span) -> usize {
        let range = self.norm.from_source_span(Span::new(from, sentence.end));
        let quotation = self.quotations(Span::new(from, sentence.end)).first().map(|q| mark_start(self.text, q.start));
        // Each marker with whether it opens the content itself, and where it ends.
        let markers: Vec<(bool, usize)> = self
            .norm
            .words_from(range.start)
            .take_while(|w| w.end <= range.end)
            .filter_map(|w| {
                let word = self.norm.slice(w);
                let (_, opens_here) = self.content_markers.iter().find(|(m, _)| m == word)?;
                Some((*opens_here, self.norm.to_source(w).end))
            })
            .collect();
        let marker = match markers.as_slice() {
            [(false, _), (_, next), ..] => Some(*next),
            [(_, first), ..] => Some(*first),
            [] => None,
        };
        match (marker, quotation) {
            (Some(m), Some(q)) => m.min(q),
            (m, q) => m.or(q).unwrap_or(sentence.end),
        }
    }

    /// The quoted words: the first quotation after `content`, else the rest of the sentence.
    fn quoted(&self, sentence: Span, content: usize) -> Span {
        let rest = Span::new(content, sentence.end);
        // A quotation right after the marker is the speech; one further in is a phrase quoted
        // inside reported speech (إن السلطات أحبطت “هجومين”): then the whole clause is the quote.
        if let Some(q) = self.quotations(rest).first() {
            let lead = Span::new(content, mark_start(self.text, q.start)).slice(self.text);
            if lead.split_whitespace().count() <= 1 {
                return *q;
            }
        }
        let body = rest.slice(self.text);
        let trimmed = body.trim_start_matches(|c: char| c.is_whitespace() || c == ':' || c == '،' || c == ',');
        let start = rest.start + (body.len() - trimmed.len());
        let end = sentence.end - (body.len() - body.trim_end_matches(['.', '،', ',']).len());
        Span::new(start, end.max(start))
    }

    /// The insides of the quotation marks in `within`, leaving out quoted names (“ذا ناشونال”،
    /// "قسد", “إكس”): a quotation that is one entity mention is not speech.
    fn quotations(&self, within: Span) -> Vec<Span> {
        rasd_text::segment::quotations(self.text, within)
            .into_iter()
            .filter(|inner| !self.mentions_in(*inner).any(|m| m.span.len() + 4 >= inner.len()))
            .collect()
    }

    fn clause_start(&self, sentence: Span, pos: usize) -> usize {
        self.text[sentence.start..pos].rfind(['،', ',', ';']).map_or(sentence.start, |i| sentence.start + i + 1)
    }

    /// The speaker mentioned in `window`: a person first, then an unnamed source, an
    /// organization, an outlet (or an outlet anaphor), an actor.
    fn speaker_in(&self, window: Span) -> Option<Link> {
        const ORDER: [EntityKind; 4] =
            [EntityKind::Person, EntityKind::Unnamed, EntityKind::Organization, EntityKind::Outlet];
        ORDER
            .iter()
            .find_map(|&kind| self.first(window, |k| k == kind))
            .or_else(|| self.outlet_anaphor(window))
            .or_else(|| self.first(window, |k| k == EntityKind::Actor))
    }

    fn first(&self, window: Span, want: impl Fn(EntityKind) -> bool) -> Option<Link> {
        self.mentions_in(window).find(|m| want(m.kind)).map(|m| link(m, self.text))
    }

    /// The mentions inside `window`, found by binary search over the sorted mentions.
    fn mentions_in(&self, window: Span) -> impl Iterator<Item = &Mention> {
        let from = self.mentions.partition_point(|m| m.span.start < window.start);
        self.mentions[from..]
            .iter()
            .take_while(move |m| m.span.start < window.end)
            .filter(move |m| window.contains(m.span))
    }

    fn outlets_in(&self, window: Span) -> Vec<Link> {
        let mut out: Vec<Link> =
            self.mentions_in(window).filter(|m| m.kind == EntityKind::Outlet).map(|m| link(m, self.text)).collect();
        let anaphors = self.anaphors_in(window).filter(|a| *self.anaphor_lex.value(a.values[0]));
        out.extend(anaphors.filter_map(|a| self.resolve_outlet(a.span)));
        out
    }

    fn outlet_anaphor(&self, window: Span) -> Option<Link> {
        let a = self.anaphors_in(window).find(|a| *self.anaphor_lex.value(a.values[0]))?;
        self.resolve_outlet(a.span)
    }

    /// The outlet named last before `at`, pointed to by the anaphor's words.
    fn resolve_outlet(&self, at: Span) -> Option<Link> {
        let before = self.mentions.partition_point(|m| m.span.start < at.start);
        let named = self.mentions[..before]
            .iter()
            .rev()
            .take(OUTLET_LOOKBACK)
            .find(|m| m.kind == EntityKind::Outlet && m.span.end <= at.start)?;
        Some(Link { span: Some(at), ..link(named, self.text) })
    }

    fn speaker_anaphor(&self, sentence: Span, before: usize) -> Option<()> {
        self.anaphors_in(Span::new(sentence.start, before)).any(|a| !*self.anaphor_lex.value(a.values[0])).then_some(())
    }

    /// The anaphors inside `window`, found by binary search.
    fn anaphors_in(&self, window: Span) -> impl Iterator<Item = &LexMatch> {
        let from = self.anaphors.partition_point(|a| a.span.start < window.start);
        self.anaphors[from..]
            .iter()
            .take_while(move |a| a.span.start < window.end)
            .filter(move |a| window.contains(a.span))
    }
}

/// `span` without the spaces and punctuation at its ends.
fn trim_span(text: &str, span: Span) -> Span {
    let body = span.slice(text);
    let junk = |c: char| c.is_whitespace() || ",،.:;".contains(c);
    let start = span.start + (body.len() - body.trim_start_matches(junk).len());
    let end = span.end - (body.len() - body.trim_end_matches(junk).len());
    Span::new(start, end.max(start))
}

/// Where the quotation mark opening a quotation that starts at `inner` stands.
fn mark_start(text: &str, inner: usize) -> usize {
    text[..inner].char_indices().next_back().map_or(inner, |(i, _)| i)
}

/// A chain link for a mention. State forces speaking (the Jordanian army said, وزارة الداخلية)
/// are named as the text names the institution, their canonical actor name going in
/// `organization`; every other source by its canonical name.
fn link(m: &Mention, text: &str) -> Link {
    let kind = match m.kind {
        EntityKind::Outlet => SourceKind::Outlet,
        EntityKind::Person => SourceKind::Person,
        EntityKind::Platform => SourceKind::Platform,
        EntityKind::Unnamed => SourceKind::Unnamed,
        EntityKind::Organization | EntityKind::Actor => SourceKind::Organization,
    };
    let state_forces = m.actor.as_ref().is_some_and(|a| a.inter == rasd_entities::Inter::StateForces);
    if state_forces {
        let written = m.span.slice(text);
        let written = ["the ", "The "].iter().find_map(|a| written.strip_prefix(a)).unwrap_or(written);
        return Link {
            kind,
            name: written.to_string(),
            role: None,
            organization: Some(m.name.clone()),
            span: Some(m.span),
        };
    }
    Link { kind, name: m.name.clone(), role: m.role.clone(), organization: m.organization.clone(), span: Some(m.span) }
}
