//! Reading place mentions in context.
//!
//! 1. One pass of the lexicon finds names, cue words and blocking phrases; runs of capitalised
//!    Latin words whose spelling the lexicon lacks are matched by their transliteration key
//!    (`translit.rs`: Talbeesah = Talbisah).
//! 2. Each name collects the cue words right before it (`بريف`، `شرق`، `مدينة`, `east of`) and
//!    after it (`الشرقي`، `العسكرية`, `countryside`), with only spaces or glue words between.
//! 3. Names that are also ordinary words count only after a cue (or where the same name is
//!    cued elsewhere in the text); Latin names must be capitalised; a word with tanween
//!    (دوماً، درعاً) is never a name; a Latin name followed by another capitalised word and a
//!    kind cue is part of a longer name (Salah Eddin neighborhood).
//! 4. The article's countries are weighed from its names (each name's weight shared by the
//!    countries of its plausible candidates; names in the first paragraph count double).
//! 5. Candidates are scored by kind, population, cue agreement and the article's countries,
//!    then again with the other places of the text as context (same governorate, distance).
//! 6. The relation maps the chosen place: the countryside of a governorate capital is its
//!    governorate (or one side of it), precision 3; near/direction give precision 2.

use rasd_text::geo::haversine_km;
use rasd_text::{LexMatch, NormSpan, NormText, Span};

use crate::cues::{Position, Role};
use crate::geo::Direction;
use crate::model::{Place, PlaceId, PlaceKind, PlaceMention, Relation};
use crate::{Entry, Gazetteer};

/// Most cue words read on each side of a name.
const MAX_CUES: usize = 3;
/// Mentions closer than this (bytes) are read as one passage: full weight as context.
const NEAR_BYTES: usize = 250;
/// How far (bytes) other mentions count as context: the whole of any news article, a window
/// of a longer document.
const CONTEXT_WINDOW_BYTES: usize = 50_000;
/// Places within this distance of another mentioned place gain context weight.
const CONTEXT_KM: f64 = 60.0;
/// Places within this distance of another mentioned place are in the same region: Tripoli,
/// Lebanon in a story about Homs; Tripoli, Libya in one about Misrata.
const REGION_KM: f64 = 500.0;
/// What being in the region of the other places adds at most.
const REGION_BONUS: f32 = 0.3;
/// The most context can add to a candidate.
const MAX_CONTEXT: f32 = 1.5;
/// What the article's main country adds to a candidate in it (others in proportion to their
/// weight); without any country evidence, Syria's candidates get it.
const COUNTRY_BONUS: f32 = 0.4;
/// A name's weight is shared by the countries whose best candidate scores within this of the
/// best candidate overall (a city of millions outweighs a village of the same name).
const COUNTRY_MARGIN: f32 = 0.3;
/// What being a national capital adds to a place.
const CAPITAL_BONUS: f32 = 0.15;
/// How much more a name in the first paragraph counts towards the article's countries.
const LEAD_WEIGHT: f32 = 2.0;
/// How much more a name in the title counts (see `Gazetteer::title_countries`).
pub(crate) const TITLE_WEIGHT: f32 = 3.0;

/// A name found in the text, with what its context says.
struct Reading {
    /// Index of the name's lexicon match.
    at: usize,
    candidates: Vec<PlaceId>,
    phrase: Span,
    relation: Relation,
    side: Option<Direction>,
    kind_hint: Option<PlaceKind>,
    has_cue: bool,
    capital: bool,
}

pub(crate) fn find(g: &Gazetteer, text: &str, norm: &NormText, hint: &[(String, f32)]) -> Vec<PlaceMention> {
    let mut matches = g.lexicon.find(norm);
    let respelled = g
        .latin
        .extend(text, norm, &mut matches, |m| m.values.iter().any(|v| matches!(g.lexicon.value(*v), Entry::Cue(_))));
    let mut readings: Vec<Reading> = Vec::new();
    for i in 0..matches.len() {
        if let Some(r) = read(g, text, norm, &matches, i, readings.last()) {
            readings.push(r);
        }
    }
    // A name that is also an ordinary word counts where it is cued, and wherever the same name is
    // cued elsewhere in the text.
    let folded = |r: &Reading| norm.slice(matches[r.at].norm);
    let cued: std::collections::HashSet<&str> = readings.iter().filter(|r| r.has_cue).map(folded).collect();
    readings.retain(|r| r.has_cue || !g.cued_only.contains(folded(r)) || cued.contains(&folded(r)));

    let lead = lead_end(text);
    let mut weights = countries_of_readings(g, &readings, |r| {
        // A respelled name is no evidence of the country: it must fit the others.
        let span = matches[r.at].span;
        if respelled.contains(&span) {
            0.0
        } else if span.start < lead {
            LEAD_WEIGHT
        } else {
            1.0
        }
    });
    for (iso3, w) in hint {
        add_weight(&mut weights, iso3, *w);
    }
    let countries = Countries::new(weights, g.home_country());

    let first: Vec<Vec<(PlaceId, f32)>> = readings.iter().map(|r| score(g, r, &countries)).collect();
    let best: Vec<Option<PlaceId>> =
        first.iter().zip(&readings).map(|(c, r)| if r.capital { None } else { c.first().map(|c| c.0) }).collect();
    let capital = countries.capital(g);
    let context: Vec<(Span, &str, Option<PlaceId>)> =
        readings.iter().zip(&best).map(|(r, b)| (matches[r.at].span, folded(r), *b)).collect();

    // The other mentions of the text within CONTEXT_WINDOW_BYTES, by place, so that each
    // candidate is measured once against each place (and a long text stays linear).
    let starts: Vec<usize> = context.iter().map(|c| c.0.start).collect();
    let respelled: Vec<bool> = context.iter().map(|c| respelled.contains(&c.0)).collect();
    // The places below country level the text names with a listed spelling.
    let listed: Vec<&Place> = best
        .iter()
        .zip(&respelled)
        .filter(|(_, respelled)| !**respelled)
        .filter_map(|(place, _)| Some(g.place((*place)?)))
        .filter(|p| p.kind != PlaceKind::Country)
        .collect();
    let mut out = Vec::with_capacity(readings.len());
    let mut others: Vec<Other> = Vec::new();
    for (i, r) in readings.iter_mut().enumerate() {
        if r.capital {
            r.candidates = vec![capital];
        }
        // Each place's weight as context: its mentions under another name, in full within
        // NEAR_BYTES of this one, half beyond.
        let (span, surface) = (context[i].0, context[i].1);
        let from = starts.partition_point(|&s| s + CONTEXT_WINDOW_BYTES < span.start);
        let to = starts.partition_point(|&s| s <= span.end + CONTEXT_WINDOW_BYTES);
        others.clear();
        for (j, (other_span, other_surface, place)) in context.iter().enumerate().take(to).skip(from) {
            let Some(place) = *place else { continue };
            if j == i || *other_surface == surface {
                continue;
            }
            let w = if span.distance(*other_span) < NEAR_BYTES { 1.0 } else { 0.5 };
            match others.iter_mut().find(|o| o.place == place) {
                Some(o) => {
                    o.sum += w;
                    o.max = o.max.max(w);
                }
                None => others.push(Other { place, sum: w, max: w }),
            }
        }
        let scored = score_in_context(g, r, &others, &countries);
        // A spelling the gazetteer does not list names a place only in a country the text is
        // about (al-Jadida in Aleppo is not El Jadida in Morocco), and only near a place the
        // text names with a listed spelling, if it names any (Duwayleh near Kafr Takharim in
        // Idlib is not al-Dweila in Damascus).
        let chosen = g.place(scored[0].0);
        if respelled[i] && (!countries.is_main(&chosen.iso3) || !near_any(chosen, &listed)) {
            continue;
        }
        out.push(mention(g, r, span, scored));
    }
    keep_inside_containers(g, text, &mut out);
    out
}

/// English words that place what comes before inside what follows.
const INSIDE_WORDS: [&str; 2] = ["in", "of"];

/// English words that may stand with them: the unit or the part of the place after them.
const PART_WORDS: [&str; 18] = [
    "the",
    "rural",
    "countryside",
    "province",
    "governorate",
    "district",
    "neighbourhood",
    "neighborhood",
    "area",
    "region",
    "town",
    "city",
    "east",
    "west",
    "north",
    "south",
    "eastern",
    "western",
];

/// Whether the English `words` of a gap place the name before them inside the one after them:
/// at most three words, one of them "in" or "of" and the others [`PART_WORDS`] ("in rural
/// Aleppo", "neighbourhood of east Aleppo"; not "after fighting in", "and in").
fn placed_inside<'a>(words: impl Iterator<Item = &'a str>) -> bool {
    let (mut count, mut inside) = (0, false);
    for word in words {
        count += 1;
        if INSIDE_WORDS.contains(&word) {
            inside = true;
        } else if !PART_WORDS.iter().any(|part| part.eq_ignore_ascii_case(word)) {
            return false;
        }
    }
    count <= 3 && inside
}

/// How far a place may lie from a town or region said to contain it, beyond its governorate.
const CONTAINED_KM: f64 = 60.0;

/// Whether `place` lies inside `container`, the place a text puts it in: in its country, in
/// its governorate, or within [`CONTAINED_KM`] of a smaller container (a plain, a district).
fn inside(place: &Place, container: &Place) -> bool {
    if place.iso3 != container.iso3 {
        return false;
    }
    let same_admin1 = place.admin1.is_some() && place.admin1 == container.admin1;
    match container.kind {
        PlaceKind::Country => true,
        PlaceKind::Governorate => same_admin1,
        _ => same_admin1 || haversine_km(place.lat, place.lon, container.lat, container.lon) <= CONTAINED_KM,
    }
}

/// The words of a gap between two mentions.
fn gap_words(gap: &str) -> impl Iterator<Item = &str> {
    gap.split(|c: char| c.is_whitespace() || c == '،' || c == ',').filter(|w| !w.is_empty())
}

/// Whether `word` may be a list member the gazetteer lacks, joined by «و» («والعنكاوي»).
fn unknown_member(word: &str) -> bool {
    word.starts_with('و') && word.chars().count() <= 12
}

/// Members of a list the gazetteer lacks, at most, between two of its mentions.
const MAX_UNKNOWN_MEMBERS: usize = 4;

/// Whether the text between two mentions joins them as members of one list: «و», a comma, or
/// names the gazetteer lacks, each with «و» («الحواش والعنكاوي والزقوم»).
fn list_glue(gap: &str) -> bool {
    let mut words = 0;
    gap_words(gap).all(|w| {
        words += 1;
        words <= MAX_UNKNOWN_MEMBERS && unknown_member(w)
    })
}

/// Whether `gap` puts the name before it (and the list members the gazetteer lacks after it)
/// inside the place after it: the proclitic «ب» («المنصورة بسهل الغاب»، «الحويجة وقسطون بسهل
/// الغاب») or «في» alone («ثم في» is another place), or English words that do
/// ([`placed_inside`]).
fn inside_glue(gap: &str) -> bool {
    let members = gap_words(gap).take(MAX_UNKNOWN_MEMBERS).take_while(|w| unknown_member(w)).count();
    let rest = || gap_words(gap).skip(members);
    if rest().all(|w| w.is_ascii()) {
        return placed_inside(rest());
    }
    let mut words = rest();
    match (words.next(), words.next()) {
        (Some("ب"), None) => true,
        // «في» after a word the gazetteer lacks is another phrase («صنعاء، واشتباكات في عدن»).
        (Some("في"), None) => members == 0,
        _ => false,
    }
}

/// The mention that contains the one at `i`: the next place after it, past the other members of
/// its list, joined by [`inside_glue`].
fn container_of(text: &str, out: &[PlaceMention], i: usize) -> Option<usize> {
    for j in i + 1..out.len().min(i + MAX_LIST) {
        let (end, start) = (out[j - 1].phrase.end, out[j].phrase.start);
        if start < end || start - end > MAX_GAP_BYTES {
            return None;
        }
        let gap = &text[end..start];
        if inside_glue(gap) {
            return Some(j);
        }
        if !list_glue(gap) {
            return None;
        }
    }
    None
}

/// The longest text read between two members of a list, or a member and its container.
const MAX_GAP_BYTES: usize = 120;

/// Members of a list read before the place that contains them all, at most.
const MAX_LIST: usize = 12;

/// Reads a name inside the place the text puts it in («المنصورة بسهل الغاب»، «قرى الحواش
/// والحويجة بسهل الغاب»، "the town of Mansoura in rural Aleppo", «الطيبة بالغوطة الغربية»): a
/// mention resolved outside it takes its best candidate inside it, or is dropped when it has none
/// (the gazetteer lacks the village), and the container then stands for the event. Containers
/// are towns and larger places; a town across a border ("Suruc near Kobani") is not put inside.
fn keep_inside_containers(g: &Gazetteer, text: &str, out: &mut Vec<PlaceMention>) {
    let mut dropped = Vec::new();
    for i in 0..out.len() {
        let Some(k) = container_of(text, out, i) else { continue };
        let container = g.place(out[k].place);
        if matches!(container.kind, PlaceKind::Village | PlaceKind::Neighbourhood | PlaceKind::Camp | PlaceKind::Site) {
            continue;
        }
        let m = &mut out[i];
        // Only a town or a smaller place is put inside another, named as such: a governorate's
        // countryside before another's is a list («ريف حلب واشتباكات بريف دير الزور»).
        let finer = !matches!(g.place(m.place).kind, PlaceKind::Country | PlaceKind::Governorate);
        if !finer || inside(g.place(m.place), container) {
            continue;
        }
        match m.candidates.iter().position(|&(id, _)| inside(g.place(id), container)) {
            Some(c) => {
                let candidate = m.candidates.remove(c);
                m.candidates.insert(0, candidate);
                m.place = candidate.0;
                let precision = g.place(candidate.0).kind.precision();
                m.geo_precision = if m.relation == Relation::In { precision } else { precision.max(2) };
            }
            _ => dropped.push(i),
        }
    }
    for &i in dropped.iter().rev() {
        out.remove(i);
    }
}

/// How far a respelled name's place may lie from every place named with a listed spelling.
const RESPELLED_REACH_KM: f64 = 200.0;

/// Whether `place` lies within [`RESPELLED_REACH_KM`] of one of `listed`, or `listed` is empty.
fn near_any(place: &Place, listed: &[&Place]) -> bool {
    listed.is_empty() || listed.iter().any(|p| haversine_km(p.lat, p.lon, place.lat, place.lon) <= RESPELLED_REACH_KM)
}

/// Another place of the text as context: the sum and the largest of its mentions' weights.
struct Other {
    place: PlaceId,
    sum: f32,
    max: f32,
}

/// Where the first paragraph of `text` ends (its first line break after some text).
pub(crate) fn lead_end(text: &str) -> usize {
    let start = text.len() - text.trim_start().len();
    text[start..].find('\n').map_or(text.len(), |i| start + i)
}

/// Adds `w` to the weight of `iso3`.
pub(crate) fn add_weight(weights: &mut Vec<(String, f32)>, iso3: &str, w: f32) {
    match weights.iter_mut().find(|c| c.0 == iso3) {
        Some(c) => c.1 += w,
        None => weights.push((iso3.to_string(), w)),
    }
}

/// Sorts country weights, heaviest first (ties: the home country, then by code).
pub(crate) fn sort_weights(weights: &mut [(String, f32)], home: &str) {
    weights.sort_by(|a, b| b.1.total_cmp(&a.1).then((a.0 != home).cmp(&(b.0 != home))).then(a.0.cmp(&b.0)));
}

/// The countries the names of a text point to: each name's weight (`weight(reading)`) is shared
/// equally by the countries whose best candidate scores, on its own, within [`COUNTRY_MARGIN`]
/// of the best candidate. The capital cue points to no country.
fn countries_of_readings(g: &Gazetteer, readings: &[Reading], weight: impl Fn(&Reading) -> f32) -> Vec<(String, f32)> {
    let mut weights = Vec::new();
    let mut best: Vec<(&str, f32)> = Vec::new();
    for r in readings.iter().filter(|r| !r.capital && !r.candidates.is_empty()) {
        best.clear();
        for &id in &r.candidates {
            let p = g.place(id);
            let s = prior(g, id, r.kind_hint);
            match best.iter_mut().find(|b| b.0 == p.iso3) {
                Some(b) => b.1 = b.1.max(s),
                None => best.push((&p.iso3, s)),
            }
        }
        let top = best.iter().map(|b| b.1).fold(f32::MIN, f32::max);
        best.retain(|b| b.1 >= top - COUNTRY_MARGIN);
        let share = weight(r) / best.len() as f32;
        for b in &best {
            add_weight(&mut weights, b.0, share);
        }
    }
    weights
}

/// The countries of an article, by weight, and the bonus they give their candidates.
pub(crate) struct Countries<'g> {
    /// Heaviest first.
    weights: Vec<(String, f32)>,
    /// The home country ([`Gazetteer::home_country`]).
    home: &'g str,
}

impl<'g> Countries<'g> {
    fn new(mut weights: Vec<(String, f32)>, home: &'g str) -> Self {
        weights.retain(|w| w.1 > 0.0);
        sort_weights(&mut weights, home);
        Countries { weights, home }
    }

    /// [`COUNTRY_BONUS`] in proportion to the country's weight against the heaviest; the home
    /// country's when the text has no country evidence at all.
    fn bonus(&self, iso3: &str) -> f32 {
        match self.weights.first() {
            None => {
                if iso3 == self.home {
                    COUNTRY_BONUS
                } else {
                    0.0
                }
            }
            Some(top) => self.weights.iter().find(|w| w.0 == iso3).map_or(0.0, |w| COUNTRY_BONUS * w.1 / top.1),
        }
    }

    /// Whether the text is mostly about `iso3`: it weighs at least half the heaviest country
    /// (the home country when the text names none).
    fn is_main(&self, iso3: &str) -> bool {
        self.bonus(iso3) >= COUNTRY_BONUS / 2.0
    }

    /// The capital of the heaviest country that has one (the home country's when none does).
    fn capital(&self, g: &Gazetteer) -> PlaceId {
        self.weights.iter().find_map(|w| g.capitals.get(&w.0)).copied().unwrap_or(g.home_capital)
    }
}

/// Reads the name at `matches[i]` with its cues; `None` when the match is not a usable name.
fn read(
    g: &Gazetteer,
    text: &str,
    norm: &NormText,
    matches: &[LexMatch],
    i: usize,
    prev: Option<&Reading>,
) -> Option<Reading> {
    let m = &matches[i];
    let mut candidates = Vec::new();
    let mut capital = false;
    for v in &m.values {
        match *g.lexicon.value(*v) {
            Entry::Phrase => return None,
            Entry::Place(p) => candidates.push(p),
            Entry::Cue(c) => capital |= g.cues[c as usize].role == Role::Capital,
        }
    }
    if candidates.is_empty() && !capital {
        return None;
    }
    if candidates.is_empty() && !capital_alone(g, text, norm, matches, i) {
        return None;
    }
    let source = m.span.slice(text);
    if source.is_ascii() && !source.chars().any(|c| c.is_ascii_uppercase()) && !capital {
        return None;
    }
    // Tanween marks an indefinite noun or adverb (دوماً "always", درعاً "a shield"), never a name.
    if has_tanween(text, m.span) {
        return None;
    }
    // "Salah Eddin neighborhood": a capitalised word and a neighbourhood cue follow, so the name
    // of a small place is part of a longer name (a city's name there names one of its quarters:
    // the Daraa Mahatta neighborhood is in Daraa).
    let small = candidates
        .iter()
        .all(|&p| !matches!(g.place(p).kind, PlaceKind::City | PlaceKind::Country | PlaceKind::Governorate));
    if source.is_ascii() && small && inside_longer_name(g, text, matches, i) {
        return None;
    }
    let mut r = Reading {
        at: i,
        candidates,
        phrase: m.span,
        relation: Relation::In,
        side: None,
        kind_hint: None,
        has_cue: false,
        capital,
    };
    let (mut countryside, mut near, mut direction) = (false, false, false);
    let mut apply = |r: &mut Reading, cue: &crate::cues::Cue, span: Span| {
        r.phrase = r.phrase.cover(span);
        // A side adjective alone (الحراك الجنوبي) does not make an ordinary word a place.
        r.has_cue |= cue.role != Role::Side;
        match cue.role {
            Role::Countryside => countryside = true,
            Role::Near => near = true,
            Role::Direction => direction = true,
            Role::Kind => r.kind_hint = r.kind_hint.or(cue.kind),
            Role::Side | Role::Capital | Role::Glue | Role::Named => {}
        }
        r.side = r.side.or(cue.direction.filter(|_| cue.role != Role::Direction));
        if cue.role == Role::Direction {
            r.side = None;
        }
    };
    // Cues before the name, innermost first.
    let mut start = norm.word_start(m.norm.start);
    for k in (i.saturating_sub(MAX_CUES)..i).rev() {
        let Some(cue) = cue_at(g, &matches[k], Position::Before) else { break };
        if !gap_ok(g, norm, matches[k].norm.end, start, true) {
            break;
        }
        if cue.role == Role::Named {
            return None;
        }
        apply(&mut r, cue, matches[k].span);
        start = norm.word_start(matches[k].norm.start);
    }
    // Cues after the name.
    let mut end = m.norm.end;
    for next in matches.iter().skip(i + 1).take(MAX_CUES) {
        let Some(cue) = cue_at(g, next, Position::After) else { break };
        if !gap_ok(g, norm, end, norm.word_start(next.norm.start), false) {
            break;
        }
        if cue.role == Role::Named {
            return None;
        }
        apply(&mut r, cue, next.span);
        end = next.norm.end;
    }
    r.relation = if countryside {
        Relation::Countryside
    } else if direction {
        Relation::Direction
    } else if near {
        Relation::Near
    } else {
        Relation::In
    };
    // "أرياف حماة وادلب": a name joined by و to a countryside reads as a countryside too.
    if let Some(p) = prev {
        let joined = text.get(m.word.start..m.span.start).is_some_and(|s| s.starts_with('و'));
        let between = text.get(p.phrase.end..m.word.start).unwrap_or("x");
        if !r.has_cue && joined && p.relation == Relation::Countryside && between.trim().is_empty() {
            r.relation = Relation::Countryside;
        }
    }
    Some(r)
}

/// Whether the capital cue `matches[i]` stands for the capital of the text's country: not when a
/// name follows it (العاصمة دمشق: the name is the mention; "the capital Sanaa") and not when an
/// adjective no entry covers qualifies it (العاصمة الفرنسية، العاصمة الاقتصادية: another capital,
/// or no city at all). A side adjective (أحياء العاصمة الجنوبية) is a cue and keeps it.
fn capital_alone(g: &Gazetteer, text: &str, norm: &NormText, matches: &[LexMatch], i: usize) -> bool {
    let m = &matches[i];
    let rest = &norm.as_str()[m.norm.end..];
    let gap = rest.len() - rest.trim_start_matches(' ').len();
    let next_start = m.norm.end + gap;
    let word = rest[gap..].split(|c: char| !rasd_text::fold::is_word_char(c)).next().unwrap_or("");
    let covered = matches.get(i + 1).filter(|n| n.norm.start == next_start);
    if let Some(next) = covered {
        let is_place = next.values.iter().any(|v| matches!(*g.lexicon.value(*v), Entry::Place(_)));
        return !(gap > 0 && is_place);
    }
    if gap == 0 || word.is_empty() {
        return true;
    }
    if m.span.slice(text).is_ascii() {
        // "the capital Sanaa", "the capital Nouakchott": a capitalised name follows.
        let source = &text[norm.to_source(NormSpan { start: next_start, end: next_start }).start..];
        return !source.starts_with(|c: char| c.is_ascii_uppercase());
    }
    !word.starts_with("ال")
}

/// Whether the name at `span`, or the marks right after it, carry tanween (ً ٌ ٍ).
fn has_tanween(text: &str, span: Span) -> bool {
    const TANWEEN: [char; 3] = ['\u{064B}', '\u{064C}', '\u{064D}'];
    let marks = text[span.end..].chars().take_while(|c| matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}'));
    span.slice(text).chars().chain(marks).any(|c| TANWEEN.contains(&c))
}

/// Whether the Latin name `matches[i]` is followed, across one or two capitalised words that are
/// no entry, by a cue that names a quarter (`neighborhood`, `district`) or a named thing
/// (`Street`): the cue then qualifies the longer name (Salah Eddin neighborhood, not the village
/// of Salah).
fn inside_longer_name(g: &Gazetteer, text: &str, matches: &[LexMatch], i: usize) -> bool {
    let Some(next) = matches.get(i + 1) else { return false };
    let follows = next.values.iter().any(|v| match *g.lexicon.value(*v) {
        Entry::Cue(c) => {
            let cue = &g.cues[c as usize];
            // `neighborhood of` (a cue before the next name) counts too.
            cue.position != Position::Alone && (cue.role == Role::Named || cue.kind == Some(PlaceKind::Neighbourhood))
        }
        _ => false,
    });
    let Some(gap) = text.get(matches[i].span.end..next.span.start) else { return false };
    let words: Vec<&str> = gap.split(' ').filter(|w| !w.is_empty()).collect();
    follows
        && gap.starts_with(' ')
        && (1..=2).contains(&words.len())
        && words.iter().all(|w| {
            w.starts_with(|c: char| c.is_ascii_uppercase())
                && w.chars().all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'')
        })
}

/// The cue of a match, when it is one and stands at `position`.
fn cue_at<'g>(g: &'g Gazetteer, m: &LexMatch, position: Position) -> Option<&'g crate::cues::Cue> {
    m.values.iter().find_map(|v| match *g.lexicon.value(*v) {
        Entry::Cue(c) => Some(&g.cues[c as usize]).filter(|c| c.position == position),
        _ => None,
    })
}

/// Whether only spaces (and, before a name, glue words such as `من` or `of`) stand between
/// folded offsets `from` and `to`.
fn gap_ok(g: &Gazetteer, norm: &NormText, from: usize, to: usize, glue: bool) -> bool {
    if from > to {
        return false;
    }
    norm.as_str()
        .get(from..to)
        .is_some_and(|gap| gap.split(' ').all(|w| w.is_empty() || (glue && g.glue.iter().any(|x| x == w))))
}

/// How well a place fits on its own and with the cue's kind (the article's countries apart).
fn prior(g: &Gazetteer, id: PlaceId, kind_hint: Option<PlaceKind>) -> f32 {
    let p = g.place(id);
    use PlaceKind::*;
    let kind = match p.kind {
        City | Country => 1.0,
        Town | Camp | Site | Governorate => 0.9,
        Region => 0.85,
        Neighbourhood => 0.8,
        Village => 0.75,
        District => 0.55,
        Subdistrict => 0.45,
    };
    // The population of an administrative unit is not that of a settlement: only places count.
    let population = if p.kind.precision() == 1 { 0.05 * ((p.population + 1) as f32).log10() } else { 0.0 };
    let fits = kind_hint.is_some_and(|h| match h {
        City => matches!(p.kind, City | Town),
        Town => matches!(p.kind, Town | City | Village),
        Village => matches!(p.kind, Village | Town),
        Neighbourhood => matches!(p.kind, Neighbourhood | Camp),
        h => p.kind == h,
    });
    // A national capital is the likelier reading of its name (طرابلس: Tripoli, Libya before
    // Tripoli, Lebanon, unless the text is about Lebanon).
    let capital = if g.capitals.values().any(|&c| c == id) { CAPITAL_BONUS } else { 0.0 };
    kind + population + capital + if fits { 1.0 } else { 0.0 }
}

/// Candidates scored on their own and with the article's countries, best first.
fn score(g: &Gazetteer, r: &Reading, countries: &Countries) -> Vec<(PlaceId, f32)> {
    rank(r.candidates.iter().map(|&id| (id, prior(g, id, r.kind_hint) + countries.bonus(&g.place(id).iso3))).collect())
}

/// Candidates scored with the other places of the text as context, best first.
fn score_in_context(g: &Gazetteer, r: &Reading, others: &[Other], countries: &Countries) -> Vec<(PlaceId, f32)> {
    let scored = r.candidates.iter().map(|&id| {
        let p = g.place(id);
        let mut bonus = 0.0f32;
        let mut region = 0.0f32;
        for o in others {
            let q = g.place(o.place);
            if p.iso3 == q.iso3 && p.admin1.is_some() && p.admin1 == q.admin1 {
                bonus += 0.4 * o.sum;
            }
            if q.kind == PlaceKind::Country && q.iso3 == p.iso3 {
                bonus += 0.3 * o.sum;
            }
            if far_apart(p, q) {
                continue;
            }
            let d = haversine_km(p.lat, p.lon, q.lat, q.lon);
            if d < CONTEXT_KM {
                bonus += 0.5 * o.sum * (1.0 - (d / CONTEXT_KM) as f32);
            }
            if d < REGION_KM {
                region = region.max(o.max * (1.0 - (d / REGION_KM) as f32));
            }
        }
        let context = bonus.min(MAX_CONTEXT) + REGION_BONUS * region;
        (id, prior(g, id, r.kind_hint) + countries.bonus(&p.iso3) + context)
    });
    rank(scored.collect())
}

/// Whether two places are surely more than [`REGION_KM`] apart, without trigonometry: a degree
/// of latitude is 111 km everywhere, a degree of longitude at least 77 km below 45°.
fn far_apart(p: &crate::model::Place, q: &crate::model::Place) -> bool {
    const KM_PER_DEGREE: f64 = 111.0;
    let dlat = (p.lat - q.lat).abs() * KM_PER_DEGREE;
    let low = p.lat.abs() < 45.0 && q.lat.abs() < 45.0;
    let dlon = (p.lon - q.lon).abs().min(360.0 - (p.lon - q.lon).abs()) * KM_PER_DEGREE * 0.7;
    dlat > REGION_KM || (low && dlon > REGION_KM)
}

fn rank(mut scored: Vec<(PlaceId, f32)>) -> Vec<(PlaceId, f32)> {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
}

/// Maps the chosen place through the relation and builds the mention.
fn mention(g: &Gazetteer, r: &Reading, span: Span, mut scored: Vec<(PlaceId, f32)>) -> PlaceMention {
    let (chosen, top) = scored[0];
    let place = g.place(chosen);
    let governorate_side = place.kind == PlaceKind::Governorate && r.side.is_some();
    let (mut relation, mut target, precision) = (r.relation, chosen, place.kind.precision());
    let precision = match r.relation {
        Relation::Countryside | Relation::In if r.relation == Relation::Countryside || governorate_side => {
            match g.countryside.get(&chosen) {
                Some(&pi) => {
                    let province = &g.provinces[pi];
                    target = r.side.and_then(|d| province.sides[d as usize]).unwrap_or(province.place);
                    relation = Relation::Countryside;
                    3
                }
                None => precision.max(2),
            }
        }
        Relation::In => precision,
        Relation::Near | Relation::Direction | Relation::Countryside => precision.max(2),
    };
    if target != chosen {
        scored.insert(0, (target, top));
    }
    PlaceMention { span, phrase: r.phrase, place: target, geo_precision: precision, relation, candidates: scored }
}
