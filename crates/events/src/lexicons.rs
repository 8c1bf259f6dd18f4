//! The event knowledge files: taxonomy, triggers and cues (`data/events/`).

use rasd_kb::{DataDir, KbError, Tsv};
use rasd_text::{Lexicon, LexiconBuilder};

const TRIGGERS_FILE: &str = "events/triggers.tsv";
const CUES_FILE: &str = "events/cues.tsv";

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
}

/// What a cue does (see `data/events/cues.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cue {
    Negation,
    Future,
    Denial,
    DeniesRole,
    Claim,
    Unclaimed,
    Blame,
    Killed,
    Injured,
    Unharmed,
    Background,
    Series,
    Aggregate,
    Accompanying,
    Pluperfect,
    Joint,
    Target,
    Away,
}

impl Cue {
    fn parse(s: &str) -> Option<Cue> {
        Some(match s {
            "negation" => Cue::Negation,
            "future" => Cue::Future,
            "denial" => Cue::Denial,
            "denies_role" => Cue::DeniesRole,
            "claim" => Cue::Claim,
            "unclaimed" => Cue::Unclaimed,
            "blame" => Cue::Blame,
            "killed" => Cue::Killed,
            "injured" => Cue::Injured,
            "unharmed" => Cue::Unharmed,
            "background" => Cue::Background,
            "series" => Cue::Series,
            "aggregate" => Cue::Aggregate,
            "accompanying" => Cue::Accompanying,
            "pluperfect" => Cue::Pluperfect,
            "joint" => Cue::Joint,
            "target" => Cue::Target,
            "away" => Cue::Away,
            _ => return None,
        })
    }
}

pub(crate) struct Lexicons {
    pub triggers: Lexicon<Trigger>,
    pub cues: Lexicon<Cue>,
}

impl Lexicons {
    pub(crate) fn load(dir: &DataDir) -> Result<Self, KbError> {
        let text = dir.read(TRIGGERS_FILE)?;
        let table = Tsv::parse(TRIGGERS_FILE, &text, &["trigger", "sub_event_type", "priority"])?;
        let mut triggers: LexiconBuilder<Trigger> = Lexicon::builder().allow_article(true);
        let kind_of = |name: &str, row: &rasd_kb::Row| {
            sub_event(name)
                .ok_or_else(|| row.error(format!("unknown sub-event type {name:?}: expected one of ACLED's 25")))
        };
        for row in table.rows() {
            let sub = row.require("sub_event_type")?;
            let kind = if sub == "-" { None } else { Some(kind_of(sub, &row)?) };
            let mut governs = Vec::new();
            for t in row.list("governs") {
                let known = TAXONOMY.iter().find(|k| k.event_type == t);
                governs
                    .push(known.ok_or_else(|| row.error(format!("unknown event type {t:?} in `governs`")))?.event_type);
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
            let trigger = Trigger { kind, priority: row.parse("priority")?, governs, if_state, refers_back, phrase };
            if triggers.add(surface, trigger).is_none() {
                return Err(row.error("the trigger is empty once folded"));
            }
        }
        let text = dir.read(CUES_FILE)?;
        let table = Tsv::parse(CUES_FILE, &text, &["cue", "kind"])?;
        let mut cues = Lexicon::builder().allow_article(true);
        for row in table.rows() {
            let kind = row.require("kind")?;
            let cue = Cue::parse(kind).ok_or_else(|| row.error(format!("unknown cue kind {kind:?}")))?;
            cues.add(row.require("cue")?, cue);
        }
        Ok(Lexicons { triggers: triggers.build(), cues: cues.build() })
    }
}

/// ACLED's taxonomy (the output contract's fixed value set): event type, sub-event type.
pub const TAXONOMY: [EventKind; 25] = {
    const fn k(event_type: &'static str, sub_event_type: &'static str) -> EventKind {
        EventKind { event_type, sub_event_type }
    }
    const B: &str = "Battles";
    const E: &str = "Explosions/Remote violence";
    const V: &str = "Violence against civilians";
    const P: &str = "Protests";
    const R: &str = "Riots";
    const S: &str = "Strategic developments";
    [
        k(B, "Armed clash"),
        k(B, "Government regains territory"),
        k(B, "Non-state actor overtakes territory"),
        k(E, "Chemical weapon"),
        k(E, "Air/drone strike"),
        k(E, "Suicide bomb"),
        k(E, "Shelling/artillery/missile attack"),
        k(E, "Remote explosive/landmine/IED"),
        k(E, "Grenade"),
        k(V, "Sexual violence"),
        k(V, "Attack"),
        k(V, "Abduction/forced disappearance"),
        k(P, "Peaceful protest"),
        k(P, "Protest with intervention"),
        k(P, "Excessive force against protesters"),
        k(R, "Violent demonstration"),
        k(R, "Mob violence"),
        k(S, "Agreement"),
        k(S, "Arrests"),
        k(S, "Change to group/activity"),
        k(S, "Disrupted weapons use"),
        k(S, "Headquarters or base established"),
        k(S, "Looting/property destruction"),
        k(S, "Non-violent transfer of territory"),
        k(S, "Other"),
    ]
};

fn sub_event(name: &str) -> Option<EventKind> {
    TAXONOMY.iter().find(|k| k.sub_event_type == name).copied()
}
