//! Screening: whether an article reports events at all, and whether a trigger asserts a
//! specific event. Every candidate that does not pass is kept with its reason, so an analyst
//! (`rasd inspect events`) sees why it was dropped.

use rasd_entities::{EntityKind, Inter};
use rasd_text::Span;

use crate::lexicons::{Cue, Domain, EventKind};

/// Why a candidate event was not coded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// The article is about another field (sports, economy, culture).
    ArticleKind(Domain),
    /// An ambiguous word with no conflict context in its sentence (خطف الأضواء).
    NoContext,
    /// A weapon named as a thing, with no word of its use in its sentence (ألغام in a
    /// report on demining, "chemical weapons" in one on an inquiry).
    NotUsed,
    /// An accord named as a thing, with no word of its conclusion in its sentence (talks
    /// about a truce, a ceasefire broken).
    NotConcluded,
    /// A generic attack word with no armed side attacked or defending in its sentence ("terrorist
    /// attacks in Aleppo", "a gas attack"): no battle.
    Unopposed,
    /// A demand, call, condition or opinion governs it (طالب بوقف الغارات).
    NotAsserted,
    /// It stands in a question.
    Question,
    /// A generic explosion word in a sentence that names an accidental cause (a fuel station,
    /// a gas cylinder, fireworks) and no armed side or weapon: an accident.
    Accident,
    /// A natural force right next to the trigger (داهمت السيول): what nature did.
    Nature,
    /// An arrest in a sentence that names an ordinary crime (drugs, theft) and no armed group:
    /// a police matter, not political violence or its prevention.
    OrdinaryCrime,
    /// A generic word with no place in its sentence: a general statement.
    Unspecific,
    /// One of three or more kinds of acts named in a row («للتهديد والخطف والضرب»، «الفساد
    /// والاعتداء والتفجير»): a general statement.
    KindsOfActs,
    /// Nothing in the article tells where it happened.
    NoPlace,
    /// Only a country tells where, and no day tells when: a general statement.
    CountryOnly,
    /// Dated a month or more before publication: background, not news.
    Background,
    /// Political violence foretold or threatened for a day after publication ("in the coming
    /// hours", غداً): ACLED codes violence once it happens.
    Foretold,
    /// The likelihood model (`data/events/likelihood.tsv`) finds no event of the article
    /// likely to be real: the article reports none.
    Unlikely,
    /// The likelihood model finds the event under its event floor, beside a more likely event
    /// of the same article.
    UnlikelyBeside,
}

impl DropReason {
    /// A short explanation for `inspect` and the record.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::ArticleKind(Domain::Sports) => "article about sports",
            DropReason::ArticleKind(Domain::Economy) => "article about the economy",
            DropReason::ArticleKind(Domain::Culture) => "article about culture",
            DropReason::ArticleKind(Domain::Opinion) => "opinion piece or interview",
            DropReason::NoContext => "ambiguous word without conflict context in its sentence",
            DropReason::NotUsed => "a weapon named, with no word of its use in its sentence",
            DropReason::NotConcluded => "an accord named, with no word of its conclusion in its sentence",
            DropReason::Unopposed => "an attack word, with no armed side attacked or defending in its sentence",
            DropReason::NotAsserted => "governed by a demand, call, condition or opinion",
            DropReason::Question => "stands in a question",
            DropReason::Accident => "an explosion with an accidental cause and no armed side or weapon in its sentence",
            DropReason::Nature => "a natural force (floods, a storm) is what acted",
            DropReason::OrdinaryCrime => {
                "an arrest for an ordinary crime (drugs, theft) with no armed group in its sentence"
            }
            DropReason::Unspecific => "general statement: a generic word with no place in its sentence",
            DropReason::KindsOfActs => "general statement: one of three or more kinds of acts named in a row",
            DropReason::NoPlace => "no place in the article",
            DropReason::CountryOnly => "general statement: only a country, and no day of its own",
            DropReason::Background => "background: dated a month or more before publication",
            DropReason::Foretold => "violence foretold or threatened for after publication",
            DropReason::Unlikely => "the likelihood model finds no event of the article likely to be real",
            DropReason::UnlikelyBeside => "the likelihood model finds it unlikely, beside a more likely event",
        }
    }
}

/// A candidate event that was not coded, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Dropped {
    /// The trigger words.
    pub trigger: Span,
    /// What it would have coded.
    pub kind: EventKind,
    /// Why not.
    pub reason: DropReason,
}

/// What the article is, as far as event coding is concerned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArticleReading {
    /// Another field's article (no event is coded from it), or `None`.
    pub domain: Option<Domain>,
    /// Words of that field found.
    pub domain_words: usize,
    /// Words of armed conflict found (context words, casualty cues).
    pub conflict_words: usize,
}

/// An article is another field's when that field has at least this many words …
const DOMAIN_MIN_WORDS: usize = 4;
/// … and at least this many times the conflict words.
const DOMAIN_OVER_CONFLICT: usize = 2;

/// An article with this many markers of an author's voice (question and exclamation marks
/// included) is an opinion piece or an interview.
const OPINION_MIN_MARKERS: usize = 6;

/// Reads the article's field from its domain words, conflict cues and the question and
/// exclamation marks of its text.
pub(crate) fn read_article(domains: &[Domain], cues: &[(Span, Cue)], text: &str) -> ArticleReading {
    let conflict_words = cues.iter().filter(|(_, c)| matches!(c, Cue::Context | Cue::Killed | Cue::Injured)).count();
    let mut best: Option<(Domain, usize)> = None;
    for d in [Domain::Sports, Domain::Economy, Domain::Culture] {
        let n = domains.iter().filter(|x| **x == d).count();
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((d, n));
        }
    }
    let (domain, domain_words) = best.unwrap_or((Domain::Sports, 0));
    let is_domain = domain_words >= DOMAIN_MIN_WORDS && domain_words >= DOMAIN_OVER_CONFLICT * conflict_words.max(1);
    if is_domain {
        return ArticleReading { domain: Some(domain), domain_words, conflict_words };
    }
    let marks = text.chars().filter(|c| matches!(c, '?' | '؟' | '!')).count();
    let voice = domains.iter().filter(|d| **d == Domain::Opinion).count() + marks;
    let opinion = voice >= OPINION_MIN_MARKERS;
    ArticleReading {
        domain: opinion.then_some(Domain::Opinion),
        domain_words: if opinion { voice } else { domain_words },
        conflict_words,
    }
}

/// Whether `within` (a clause or a sentence) holds conflict context for a trigger at `trigger`: a context word or
/// casualty cue, an armed actor, or another trigger that is clear on its own.
pub(crate) fn has_context(
    within: Span,
    trigger: Span,
    cues: &[(Span, Cue)],
    entities: &[rasd_entities::Mention],
    mut clear_triggers: impl Iterator<Item = Span>,
) -> bool {
    let other = |s: &Span| within.contains(*s) && !s.overlaps(trigger);
    cues.iter().any(|(s, c)| matches!(c, Cue::Context | Cue::Killed | Cue::Injured) && other(s))
        || names_armed_side(within, trigger, entities)
        || clear_triggers.any(|s| other(&s))
}

/// Whether `within` names an armed actor (not civilians) besides the words at `trigger`.
pub(crate) fn names_armed_side(within: Span, trigger: Span, entities: &[rasd_entities::Mention]) -> bool {
    names_actor(within, trigger, entities, |inter| !matches!(inter, Inter::Civilians))
}

/// Whether `within` names a non-state armed group (a rebel group or a militia) besides the
/// trigger: what makes an arrest for smuggling drugs (to fund it) a conflict event.
pub(crate) fn names_armed_group(within: Span, trigger: Span, entities: &[rasd_entities::Mention]) -> bool {
    names_actor(within, trigger, entities, |inter| {
        matches!(inter, Inter::RebelGroup | Inter::PoliticalMilitia | Inter::IdentityMilitia)
    })
}

/// Whether `within` names, besides the trigger, an actor whose category passes `category`.
fn names_actor(
    within: Span,
    trigger: Span,
    entities: &[rasd_entities::Mention],
    category: impl Fn(Inter) -> bool,
) -> bool {
    entities.iter().any(|m| {
        m.kind == EntityKind::Actor
            && within.contains(m.span)
            && !m.span.overlaps(trigger)
            && m.actor.as_ref().is_some_and(|a| category(a.inter))
    })
}

/// Whether `within` holds a word of protest (slogans, placards, demands) besides the trigger.
pub(crate) fn has_protest_context(within: Span, trigger: Span, cues: &[(Span, Cue)]) -> bool {
    cues.iter()
        .any(|(s, c)| matches!(c, Cue::ProtestContext | Cue::Demand) && within.contains(*s) && !s.overlaps(trigger))
}

/// The fewest definite nouns joined by و that make a list of kinds of acts.
const KINDS_IN_A_ROW: usize = 3;

/// Whether the word at `trigger` is one of three or more definite Arabic nouns joined by و, with
/// nothing else between them («وتعرض الصحفيون للتهديد والخطف والضرب»، «القتل والتعذيب
/// والإرهاب»): kinds of acts named, not an act. "القصف الجوي والمدفعي" names one act: an
/// adjective breaks the row.
pub(crate) fn in_kinds_of_acts(text: &str, trigger: Span) -> bool {
    let definite = |w: &str| {
        let w = w.strip_prefix('و').unwrap_or(w);
        ["ال", "بال", "لل", "كال"].iter().any(|p| w.starts_with(p))
    };
    let joined = |w: &str| w.starts_with('و') && definite(w);
    let start = text[..trigger.start]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[trigger.end..].find(char::is_whitespace).map_or(text.len(), |i| trigger.end + i);
    let word = &text[start..end];
    if !definite(word) || word.ends_with(['.', '،', ',', ':']) && !joined(word) {
        return false;
    }
    let mut items = 1;
    // Back: while the item so far is joined, the word before it is an item too.
    let mut item = word;
    for w in text[..start].split_whitespace().rev() {
        let bare = w.trim_end_matches(['،', ',']);
        if !joined(item) || !definite(bare) || bare.len() + 1 < w.len() {
            break;
        }
        items += 1;
        item = bare;
    }
    // On: each word joined to the one before, until a word ends the row.
    let mut ends = word.ends_with(['.', ':', '؛']);
    for w in text[end..].split_whitespace() {
        let bare = w.trim_end_matches(['،', ',', '.', ':', '؛']);
        if ends || !joined(bare) {
            break;
        }
        items += 1;
        ends = w.ends_with(['.', ':', '؛']);
    }
    items >= KINDS_IN_A_ROW
}

/// Whether a place mention is a dateline: the city a report was filed from (BEIRUT
/// (Reuters) -, Beirut- …, «دمشق - سانا:» at the start of a line): a name in capitals, or one
/// followed by a dash, a colon or a short parenthesis and standing at a line start or glued to
/// its dash.
pub(crate) fn is_dateline(text: &str, place: Span) -> bool {
    let words = &text[place.start..place.end];
    // A city name in capitals in running English text is a dateline (BEIRUT Thirteen …).
    if words.len() >= 4 && words.chars().all(|c| c.is_ascii_uppercase() || c == ' ' || c == '-') {
        return true;
    }
    let after = &text[place.end..];
    let rest = after.trim_start_matches([' ', ',', '،']);
    let rest = match rest.strip_prefix('(') {
        Some(inner) => match inner.find(')') {
            Some(close) if close <= 40 => inner[close + 1..].trim_start(),
            _ => return false,
        },
        None => rest,
    };
    if !rest.starts_with(['-', '–', '—', ':']) {
        return false;
    }
    let line_start = text[..place.start].rfind('\n').map_or(0, |i| i + 1);
    let at_line_start = text[line_start..place.start].trim().is_empty();
    let glued = after.starts_with(['-', '–']);
    at_line_start || glued
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(at: usize, c: Cue) -> (Span, Cue) {
        (Span::new(at, at + 1), c)
    }

    #[test]
    fn a_match_report_is_sports() {
        let domains = [Domain::Sports; 6];
        let reading = read_article(&domains, &[cue(0, Cue::Context)], "");
        assert_eq!(reading.domain, Some(Domain::Sports));
    }

    #[test]
    fn a_war_report_with_a_few_economy_words_is_not_economy() {
        let domains = [Domain::Economy; 5];
        let cues: Vec<_> = (0..4).map(|i| cue(i, Cue::Context)).collect();
        assert_eq!(read_article(&domains, &cues, "").domain, None);
    }

    #[test]
    fn an_authors_voice_is_an_opinion_piece() {
        let voice = [Domain::Opinion; 4];
        assert_eq!(read_article(&voice, &[], "أين العدالة؟ إلى متى!").domain, Some(Domain::Opinion));
        assert_eq!(read_article(&voice, &[], "نص بلا أسئلة").domain, None);
    }

    /// The span of the first `word` in `text`.
    fn span_of(text: &str, word: &str) -> Span {
        let start = text.find(word).unwrap();
        Span::new(start, start + word.len())
    }

    fn dateline(text: &str, place: &str) -> bool {
        is_dateline(text, span_of(text, place))
    }

    #[test]
    fn datelines_are_where_a_report_was_filed() {
        assert!(dateline("Tue 05 Jul 2016 BEIRUT (Reuters) - A bomb killed 16 in Hasaka.", "BEIRUT"));
        assert!(dateline("Posted by Paula Astih Beirut- Opposition factions in Aleppo", "Beirut"));
        assert!(dateline("عنوان\n\nدمشق - سانا: انفجرت عبوة في درعا", "دمشق"));
        assert!(dateline("on Monday (AFP photo) BEIRUT Thirteen civilians were killed", "BEIRUT"));
        assert!(!dateline("A bomb exploded in Beirut - the capital - on Monday.", "Beirut"));
        assert!(!dateline("انفجرت عبوة في دمشق أمس.", "دمشق"));
    }

    fn kinds(text: &str, word: &str) -> bool {
        in_kinds_of_acts(text, span_of(text, word))
    }

    #[test]
    fn three_definite_nouns_in_a_row_are_kinds_of_acts() {
        assert!(kinds("وتعرض الصحفيون للتهديد والخطف والضرب، كما تم حجب المواقع", "خطف"));
        assert!(kinds("وتولى كبر الفساد والاعتداء والتكفير والتفجير ومحاولة تشويه", "تفجير"));
        assert!(kinds("خبرتهم الوحيدة هي القتل والتعذيب والإرهاب.", "القتل"));
        assert!(kinds("عانت من التطرف\u{a0}والتفجيرات والتخريب، لكنها", "تفجيرات"));
        // Two nouns, an adjective between, or a full stop after the second are no row of three.
        assert!(!kinds("أسفر القصف والاشتباكات عن مقتل عشرة", "القصف"));
        assert!(!kinds("تعرضت المدينة للقصف الجوي والمدفعي والصاروخي أمس", "قصف"));
        assert!(!kinds("استمر القصف والاشتباكات. والغارات تتواصل", "القصف"));
    }

    proptest::proptest! {
        /// Any text, any trigger on character boundaries (no-break spaces, punctuation, Latin
        /// and Arabic mixed): an answer, never a panic.
        #[test]
        fn kinds_of_acts_reads_any_text(text in "[ \u{a0}\u{2009}،,.والقتلخطفبa-z]{0,40}", a in 0usize..40, b in 0usize..40) {
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let (a, b) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
            in_kinds_of_acts(&text, Span::new(a.min(b), a.max(b)));
        }
    }

    #[test]
    fn context_never_comes_from_the_trigger_itself() {
        let trigger = Span::new(10, 15);
        let clause = Span::new(0, 40);
        let none = std::iter::empty;
        assert!(!has_context(clause, trigger, &[(Span::new(10, 15), Cue::Context)], &[], none()));
        assert!(has_context(clause, trigger, &[(Span::new(20, 25), Cue::Killed)], &[], none()));
        assert!(!has_context(clause, trigger, &[(Span::new(50, 55), Cue::Killed)], &[], none()));
        assert!(has_context(clause, trigger, &[], &[], std::iter::once(Span::new(30, 35))));
    }
}
