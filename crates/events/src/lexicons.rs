//! The event knowledge files: triggers, cues, domains and home markers (`data/events/`), read
//! against ACLED's taxonomy (`rasd_kb::Taxonomy`).

use rasd_kb::{DataDir, KbError, Taxonomy, Tsv};

use crate::subtypes::SubTypes;
use rasd_text::{inflect, Lexicon, LexiconBuilder};

const TRIGGERS_FILE: &str = "events/triggers.tsv";
const CUES_FILE: &str = "events/cues.tsv";
const CONTEXT_FILE: &str = "events/context.tsv";
const DOMAINS_FILE: &str = "events/domains.tsv";
const HOME_MARKERS_FILE: &str = "events/home_markers.tsv";
const SEATS_FILE: &str = "events/seats.tsv";
const DAILY_REPORTERS_FILE: &str = "events/daily_reporters.tsv";

/// A sub-event type and its event type, ACLED's exact strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventKind {
    /// ACLED event type.
    pub event_type: &'static str,
    /// ACLED sub-event type.
    pub sub_event_type: &'static str,
}

/// What a trigger entry does.
#[derive(Clone, Debug)]
pub(crate) struct Trigger {
    /// `None` for blockers.
    pub kind: Option<EventKind>,
    pub priority: u8,
    pub governs: Vec<&'static str>,
    pub if_state: Option<EventKind>,
    pub refers_back: bool,
    /// Several words (غارة جوية، roadside bomb): more specific than one word.
    pub phrase: bool,
    /// The context the word needs to code an event (`context` column).
    pub context: Context,
}

/// What an ambiguous trigger needs in its sentence to code an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    /// Nothing: the word is clear on its own.
    None,
    /// Armed conflict (خطف، سيطرة، attack) in the sentence: the default for generic words.
    Conflict,
    /// Armed conflict in the trigger's own clause (اتفاق، deal: a sentence about a war often
    /// names a diplomatic accord).
    ConflictInClause,
    /// A protest (تجمع، احتشد، gathered): slogans, placards, demands.
    Protest,
    /// A change of control (سيطرة، استعادة، captured): a place or a territory word near it in
    /// its clause, and conflict context in its sentence.
    Territory,
    /// A weapon named as a thing (ألغام، سيارة مفخخة، chemical weapons): a word of use (انفجر،
    /// ألقى، used, hit) or a casualty cue in its sentence.
    Used,
    /// A truce named as a thing (هدنة، وقف إطلاق النار، ceasefire): a word of conclusion (توصل،
    /// وقع، signed, reached) in its sentence.
    Concluded,
    /// A generic accord word (اتفاق، deal): a word of conclusion in its sentence and conflict
    /// context in its clause (most accords in the news are diplomatic: the nuclear deal).
    Accord,
    /// A generic attack word (هجوم، attack): an armed side attacked or defending (مواقع، حاجز،
    /// صد، positions, checkpoint, repelled) in its sentence, since a battle has two; most
    /// attacks in the news are on civilians, by shells or bombs, or the event of another
    /// sentence.
    Opposed,
}

/// What a cue does (see `data/events/cues.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cue {
    Negation,
    Future,
    Denial,
    DeniesRole,
    /// Words that hold another cue's word without its sense (لا يزال: still, not a negation):
    /// consumed, they change nothing.
    Idiom,
    Claim,
    Unclaimed,
    Blame,
    Killed,
    Injured,
    Unharmed,
    Background,
    Series,
    Aggregate,
    /// A word that measures a stretch of time (خلال، منذ، طوال، during, since): followed by a
    /// window of four weeks or more, it makes its clause a tally like [`Cue::Aggregate`].
    Period,
    Accompanying,
    Pluperfect,
    Joint,
    Target,
    Away,
    /// "The day after" (غداة، a day after): the event after it happened the day before the
    /// date its sentence stands on.
    DayAfter,
    /// A demand, call, condition, question or opinion before the trigger: the event is not
    /// asserted (طالب بوقف الغارات، if the attack …).
    Irrealis,
    /// A condition (إذا، في حال): neither it nor what would follow from it, to the end of its
    /// sentence, is asserted.
    Condition,
    /// A demand (طالب بـ، للمطالبة بـ، demanding): what it governs is not asserted, as after
    /// [`Cue::Irrealis`], and it is a word of protest for a gathering word before it.
    Demand,
    /// A word naming a role, link or motive (علاقة، مسؤولية، involvement): a denial that governs
    /// it denies the role, not the event.
    Role,
    /// A toll that supersedes earlier ones (ارتفعت حصيلة … إلى، the toll rose to).
    Update,
    /// A word placing what follows (في، in, at): a seat of government right after it is a place.
    Locative,
    /// A word joining the items of a list (and, or, أو): places joined by it, or by the
    /// proclitic و, are a list.
    Conjunction,
    /// An accidental cause (محطة وقود، أسطوانة غاز، fireworks): a generic explosion word in its
    /// sentence is an accident unless an armed side or a weapon's trigger is named there.
    Accident,
    /// A natural force (السيول، العاصفة، floods): a trigger right next to it («داهمت السيول
    /// أحياءهم»، «احتجزت السيول المركبات») tells what nature did, not an act of violence.
    Nature,
    /// An ordinary crime (مخدرات، سرقة، drugs, theft): an act of a `criminal` sub-event type
    /// (subtypes.tsv: an arrest) in its sentence is a police matter unless an armed group is named there.
    Crime,
    /// A reference to the place named before (في المنطقة نفسها، in the same area): the sentence
    /// says where, as the story's earlier sentences did.
    SamePlace,
    /// Victims in addition to those already counted (أيضاً، آخرين، also, others).
    Additional,
    /// A part of the victims (بينهم، including): the count after it is no toll.
    Subset,
    /// A word of armed conflict (weapons, fighters, security forces), from
    /// `data/events/context.tsv`: an ambiguous trigger needs one in its sentence.
    Context,
    /// A word of protest (شعارات، لافتات، منددين، chanting), from the same file: a gathering
    /// word needs one to be a protest.
    ProtestContext,
    /// A word naming territory (مواقع، بلدة، villages), from the same file: a change of control
    /// needs one (or a place) near it.
    Territory,
    /// A word naming aircraft (طائرات، warplanes), from the same file: shelling words in its
    /// clause name an air strike.
    Air,
    /// A word saying a weapon was used (انفجر، ألقى، used, hit), from the same file.
    Used,
    /// A word saying an accord was reached (توصل، وقع، signed, reached), from the same file.
    Concluded,
    /// A word naming an armed side attacked or defending (مواقع، حاجز، صد، positions,
    /// repelled), from the same file: a generic attack word needs one to be a battle.
    Opposed,
}

impl Cue {
    fn parse(s: &str) -> Option<Cue> {
        Some(match s {
            "negation" => Cue::Negation,
            "future" => Cue::Future,
            "denial" => Cue::Denial,
            "denies_role" => Cue::DeniesRole,
            "idiom" => Cue::Idiom,
            "claim" => Cue::Claim,
            "unclaimed" => Cue::Unclaimed,
            "blame" => Cue::Blame,
            "killed" => Cue::Killed,
            "injured" => Cue::Injured,
            "unharmed" => Cue::Unharmed,
            "background" => Cue::Background,
            "series" => Cue::Series,
            "aggregate" => Cue::Aggregate,
            "period" => Cue::Period,
            "accompanying" => Cue::Accompanying,
            "pluperfect" => Cue::Pluperfect,
            "joint" => Cue::Joint,
            "target" => Cue::Target,
            "away" => Cue::Away,
            "day_after" => Cue::DayAfter,
            "irrealis" => Cue::Irrealis,
            "condition" => Cue::Condition,
            "demand" => Cue::Demand,
            "role" => Cue::Role,
            "update" => Cue::Update,
            "additional" => Cue::Additional,
            "subset" => Cue::Subset,
            "locative" => Cue::Locative,
            "conjunction" => Cue::Conjunction,
            "same_place" => Cue::SamePlace,
            "accident" => Cue::Accident,
            "nature" => Cue::Nature,
            "crime" => Cue::Crime,
            _ => return None,
        })
    }
}

/// A field of news that is not armed conflict (`data/events/domains.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Domain {
    /// Matches, players, tournaments.
    Sports,
    /// Markets, prices, companies.
    Economy,
    /// Arts, cinema, books, festivals.
    Culture,
    /// An author's voice: an opinion piece or an interview.
    Opinion,
}

impl Domain {
    fn parse(s: &str) -> Option<Domain> {
        Some(match s {
            "sports" => Domain::Sports,
            "economy" => Domain::Economy,
            "culture" => Domain::Culture,
            "opinion" => Domain::Opinion,
            _ => return None,
        })
    }

    /// The record's name for the article kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Sports => "sports",
            Domain::Economy => "economy",
            Domain::Culture => "culture",
            Domain::Opinion => "opinion",
        }
    }
}

pub(crate) struct Lexicons {
    pub triggers: Lexicon<Trigger>,
    pub cues: Lexicon<Cue>,
    pub domains: Lexicon<Domain>,
    /// Folded words that tie a state actor's name to the home country (سوري، regime).
    pub home_markers: Vec<String>,
    /// What each sub-event type implies (`subtypes.tsv`).
    pub subtypes: SubTypes,
    /// GeoNames ids of the seats of government that, named bare, stand for the government
    /// (`seats.tsv`), sorted.
    pub seats: Vec<u64>,
    /// ISO alpha-3 codes of the countries outside the regions rasd covers (no `region` in
    /// `places/countries.tsv`), sorted: named bare, such a country is a state acting («شنت
    /// الولايات المتحدة غارات»), like a seat of government.
    pub far_countries: Vec<String>,
    /// Speakers whose statements report the day before (`daily_reporters.tsv`), sorted.
    pub daily_reporters: Vec<String>,
}

impl Lexicons {
    pub(crate) fn load(dir: &DataDir) -> Result<Self, KbError> {
        let subtypes = SubTypes::load(dir)?;
        let text = dir.read(TRIGGERS_FILE)?;
        let table = Tsv::parse(TRIGGERS_FILE, &text, &["trigger", "sub_event_type", "priority"])?;
        let mut triggers: LexiconBuilder<Trigger> = Lexicon::builder().allow_article(true);
        let kind_of = |name: &str, row: &rasd_kb::Row| {
            sub_event(name).ok_or_else(|| {
                row.error(format!("unknown sub-event type {name:?}: expected one of data/events/taxonomy.tsv"))
            })
        };
        let mut listed: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut base_words: Vec<(u32, String)> = Vec::new();
        for row in table.rows() {
            let sub = row.require("sub_event_type")?;
            let kind = if sub == "-" { None } else { Some(kind_of(sub, &row)?) };
            let mut governs = Vec::new();
            for t in row.list("governs") {
                governs.push(event_type(t).ok_or_else(|| row.error(format!("unknown event type {t:?} in `governs`")))?);
            }
            let if_state = match row.get("if_state") {
                "" => None,
                s => Some(kind_of(s, &row)?),
            };
            let refers_back = match row.get("refers_back") {
                "" | "no" => false,
                "yes" => true,
                other => return Err(row.error(format!("refers_back must be yes or empty, not {other:?}"))),
            };
            let surface = row.require("trigger")?;
            let phrase = surface.trim().contains(' ');
            let priority: u8 = row.parse("priority")?;
            let context = match row.get("context") {
                "" if !phrase && kind.is_some_and(|k| subtypes.needs_context(k, priority)) => Context::Conflict,
                "" | "self" => Context::None,
                "needs" => Context::Conflict,
                "clause" => Context::ConflictInClause,
                "protest" => Context::Protest,
                "territory" => Context::Territory,
                "used" => Context::Used,
                "concluded" => Context::Concluded,
                "accord" => Context::Accord,
                "opposed" => Context::Opposed,
                other => {
                    let allowed = "needs, clause, protest, territory, used, concluded, accord, opposed, self or empty";
                    return Err(row.error(format!("context must be {allowed}, not {other:?}")));
                }
            };
            let trigger = Trigger { kind, priority, governs, if_state, refers_back, phrase, context };
            let Some(id) = triggers.add(surface, trigger) else {
                return Err(row.error("the trigger is empty once folded"));
            };
            listed.insert(surface.trim().to_lowercase());
            base_words.push((id, surface.trim().to_string()));
        }
        // English entries in their base form match their regular inflections too.
        for (id, word) in &base_words {
            for form in inflect::english_forms(word) {
                if !listed.contains(&form) {
                    triggers.add_alias(&form, *id);
                }
            }
        }
        let mut cues = Lexicon::builder().allow_article(true);
        add_rows(dir, CUES_FILE, ["cue", "kind"], &mut cues, Cue::parse)?;
        add_rows(dir, CONTEXT_FILE, ["word", "kind"], &mut cues, context_cue)?;
        let mut domains = Lexicon::builder().allow_article(true);
        add_rows(dir, DOMAINS_FILE, ["word", "domain"], &mut domains, Domain::parse)?;
        let text = dir.read(HOME_MARKERS_FILE)?;
        let table = Tsv::parse(HOME_MARKERS_FILE, &text, &["word"])?;
        let home_markers =
            table.rows().map(|r| r.require("word").map(rasd_text::fold::fold_str)).collect::<Result<_, _>>()?;
        let text = dir.read(SEATS_FILE)?;
        let table = Tsv::parse(SEATS_FILE, &text, &["geonameid", "name", "reason"])?;
        let mut seats = table.rows().map(|r| r.parse::<u64>("geonameid")).collect::<Result<Vec<_>, _>>()?;
        seats.sort_unstable();
        let text = dir.read(DAILY_REPORTERS_FILE)?;
        let table = Tsv::parse(DAILY_REPORTERS_FILE, &text, &["actor", "reason"])?;
        let mut daily_reporters =
            table.rows().map(|r| r.require("actor").map(str::to_string)).collect::<Result<Vec<_>, _>>()?;
        daily_reporters.sort_unstable();
        let countries = rasd_kb::Countries::load(dir)?;
        let mut far_countries: Vec<String> =
            countries.all().filter(|c| c.region.is_none()).map(|c| c.iso3.clone()).collect();
        far_countries.sort_unstable();
        Ok(Lexicons {
            triggers: triggers.build(),
            cues: cues.build(),
            domains: domains.build(),
            home_markers,
            subtypes,
            seats,
            far_countries,
            daily_reporters,
        })
    }
}

/// Adds a two-column table (the words, and what they are) to a lexicon; an unknown value is an
/// error naming the file and line.
fn add_rows<T>(
    dir: &DataDir,
    file: &str,
    [word, kind]: [&str; 2],
    lexicon: &mut LexiconBuilder<T>,
    value: impl Fn(&str) -> Option<T>,
) -> Result<(), KbError> {
    let text = dir.read(file)?;
    let table = Tsv::parse(file, &text, &[word, kind])?;
    for row in table.rows() {
        let name = row.require(kind)?;
        let v = value(name).ok_or_else(|| row.error(format!("unknown {kind} {name:?}")))?;
        lexicon.add(row.require(word)?, v);
    }
    Ok(())
}

/// The cue a `context.tsv` kind compiles to.
fn context_cue(kind: &str) -> Option<Cue> {
    Some(match kind {
        "weapon" | "armed" | "security" | "harm" => Cue::Context,
        "protest" => Cue::ProtestContext,
        "territory" => Cue::Territory,
        "air" => Cue::Air,
        "used" => Cue::Used,
        "concluded" => Cue::Concluded,
        "opposed" => Cue::Opposed,
        _ => return None,
    })
}

/// The sub-event type named `name` (ACLED's exact string), from the embedded taxonomy
/// (`data/events/taxonomy.tsv`, the output contract's fixed value set).
pub(crate) fn sub_event(name: &str) -> Option<EventKind> {
    let taxonomy = Taxonomy::embedded();
    let sub = taxonomy.sub_event_types.iter().find(|s| s.name == name)?;
    Some(EventKind { event_type: &sub.event_type, sub_event_type: &sub.name })
}

/// The event type named `name` (ACLED's exact string).
fn event_type(name: &str) -> Option<&'static str> {
    Taxonomy::embedded().event_types.iter().find(|t| t.name == name).map(|t| t.name.as_str())
}
