//! Reading place mentions in context.
//!
//! 1. One pass of the lexicon finds names, cue words and blocking phrases.
//! 2. Each name collects the cue words right before it (`بريف`، `شرق`، `مدينة`, `east of`) and
//!    after it (`الشرقي`، `العسكرية`, `countryside`), with only spaces or glue words between.
//! 3. Names that are also ordinary words count only after a cue (or where the same name is
//!    cued elsewhere in the text); Latin names must be capitalised.
//! 4. Candidates are scored by kind, population, country and cue agreement, then again with
//!    the other places of the text as context (same governorate, distance).
//! 5. The relation maps the chosen place: the countryside of a governorate capital is its
//!    governorate (or one side of it), precision 3; near/direction give precision 2.

use rasd_text::{LexMatch, NormText, Span};

use crate::cues::{Position, Role};
use crate::geo::{haversine_km, Direction};
use crate::model::{Place, PlaceId, PlaceKind, PlaceMention, Relation};
use crate::{Entry, Gazetteer};

/// Most cue words read on each side of a name.
const MAX_CUES: usize = 3;
/// Mentions closer than this (bytes) are read as one passage: full weight as context.
const NEAR_BYTES: usize = 250;
/// Places within this distance of another mentioned place gain context weight.
const CONTEXT_KM: f64 = 60.0;
/// The most context can add to a candidate.
const MAX_CONTEXT: f32 = 1.5;

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

pub(crate) fn find(g: &Gazetteer, text: &str, norm: &NormText) -> Vec<PlaceMention> {
    let matches = g.lexicon.find(norm);
    let mut readings: Vec<Reading> = Vec::new();
    for i in 0..matches.len() {
        if let Some(r) = read(g, text, norm, &matches, i, readings.last()) {
            readings.push(r);
        }
    }
    // A name that is also an ordinary word counts where it is cued, and wherever the same
    // name is cued elsewhere in the text.
    let folded = |r: &Reading| norm.slice(matches[r.at].norm);
    let cued: Vec<&str> = readings.iter().filter(|r| r.has_cue).map(folded).collect();
    readings.retain(|r| r.has_cue || !g.cued_only.contains(folded(r)) || cued.contains(&folded(r)));

    let first: Vec<Vec<(PlaceId, f32)>> = readings.iter().map(|r| score(g, r)).collect();
    let best: Vec<Option<PlaceId>> =
        first.iter().zip(&readings).map(|(c, r)| if r.capital { None } else { c.first().map(|c| c.0) }).collect();
    let capital = article_capital(g, &best);
    let context: Vec<(Span, &str, Option<PlaceId>)> =
        readings.iter().zip(&best).map(|(r, b)| (matches[r.at].span, folded(r), *b)).collect();

    let mut out = Vec::with_capacity(readings.len());
    for (i, r) in readings.iter_mut().enumerate() {
        if r.capital {
            r.candidates = vec![capital];
        }
        let others: Vec<(Span, PlaceId)> = context
            .iter()
            .enumerate()
            .filter(|(j, c)| *j != i && c.1 != context[i].1)
            .filter_map(|(_, c)| c.2.map(|p| (c.0, p)))
            .collect();
        let scored = score_in_context(g, r, matches[r.at].span, &others);
        out.push(mention(g, r, matches[r.at].span, scored));
    }
    out
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
    let source = m.span.slice(text);
    if source.is_ascii() && !source.chars().any(|c| c.is_ascii_uppercase()) && !capital {
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

/// How well a place fits on its own and with the cue's kind.
fn prior(p: &Place, kind_hint: Option<PlaceKind>) -> f32 {
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
    let syria = if p.iso3 == "SYR" { 0.4 } else { 0.0 };
    let fits = kind_hint.is_some_and(|h| match h {
        City => matches!(p.kind, City | Town),
        Town => matches!(p.kind, Town | City | Village),
        Village => matches!(p.kind, Village | Town),
        Neighbourhood => matches!(p.kind, Neighbourhood | Camp),
        h => p.kind == h,
    });
    kind + population + syria + if fits { 1.0 } else { 0.0 }
}

/// Candidates scored on their own, best first.
fn score(g: &Gazetteer, r: &Reading) -> Vec<(PlaceId, f32)> {
    rank(r.candidates.iter().map(|&id| (id, prior(g.place(id), r.kind_hint))).collect())
}

/// Candidates scored with the other places of the text as context, best first.
fn score_in_context(g: &Gazetteer, r: &Reading, span: Span, others: &[(Span, PlaceId)]) -> Vec<(PlaceId, f32)> {
    let scored = r.candidates.iter().map(|&id| {
        let p = g.place(id);
        let mut bonus = 0.0f32;
        for &(other_span, q) in others {
            let q = g.place(q);
            let w = if span.distance(other_span) < NEAR_BYTES { 1.0 } else { 0.5 };
            if p.iso3 == q.iso3 && p.admin1.is_some() && p.admin1 == q.admin1 {
                bonus += 0.4 * w;
            }
            if q.kind == PlaceKind::Country && q.iso3 == p.iso3 {
                bonus += 0.3 * w;
            }
            let d = haversine_km(p.lat, p.lon, q.lat, q.lon);
            if d < CONTEXT_KM {
                bonus += 0.5 * w * (1.0 - (d / CONTEXT_KM) as f32);
            }
        }
        (id, prior(p, r.kind_hint) + bonus.min(MAX_CONTEXT))
    });
    rank(scored.collect())
}

fn rank(mut scored: Vec<(PlaceId, f32)>) -> Vec<(PlaceId, f32)> {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
}

/// The capital of the country most places of the text lie in (Syria on a tie or when none).
fn article_capital(g: &Gazetteer, best: &[Option<PlaceId>]) -> PlaceId {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for p in best.iter().flatten() {
        let iso3 = g.place(*p).iso3.as_str();
        match counts.iter_mut().find(|c| c.0 == iso3) {
            Some(c) => c.1 += 1,
            None => counts.push((iso3, 1)),
        }
    }
    let syria = counts.iter().find(|c| c.0 == "SYR").map_or(0, |c| c.1);
    counts
        .iter()
        .filter(|c| c.1 > syria)
        .max_by_key(|c| c.1)
        .and_then(|c| g.capitals.get(c.0))
        .copied()
        .unwrap_or(g.home)
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
