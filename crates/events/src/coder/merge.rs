//! Merging: a later sentence that repeats an event already coded (same type, overlapping
//! dates, compatible places) is folded into it.

use rasd_places::PlaceMention;
use rasd_quotes::Link;

use super::{Draft, Pass};
use crate::{CodedEvent, Status};

impl Pass<'_> {
    /// An earlier event that `event` repeats: same type, overlapping dates, compatible places,
    /// from another sentence.
    pub(super) fn same_as(
        &self,
        event: &CodedEvent,
        draft: &Draft,
        events: &[CodedEvent],
        drafts: &[&Draft],
    ) -> Option<usize> {
        events.iter().zip(drafts).position(|(e, d)| {
            let dated = e.date.mention.is_some() && event.date.mention.is_some();
            // A sentence that names neither place nor date only elaborates (فبادر إلى تفجير نفسه).
            let elaboration = draft.place.is_none() && event.date.mention.is_none();
            (e.kind == event.kind || (elaboration && e.kind.event_type == event.kind.event_type))
                && d.sentence != draft.sentence
                && !self.distinct_towns(e.place, event.place)
                && (!dated || (e.date.start <= event.date.end && event.date.start <= e.date.end))
                && (draft.place.is_none() || d.place.is_none() || self.same_place(draft.place, d.place))
        })
    }

    /// Whether two events stand at towns (or near towns) of two different districts: a second
    /// abduction "in the city" hours after one "north of the town" is another event, even when
    /// its sentence only continues the story; a neighbourhood and its city are one place.
    fn distinct_towns(&self, a: Option<usize>, b: Option<usize>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => {
                let (a, b) = (&self.input.places[a], &self.input.places[b]);
                let district = |m: &PlaceMention| self.input.gazetteer.place(m.place).admin2.clone();
                a.place != b.place
                    && a.geo_precision <= 2
                    && b.geo_precision <= 2
                    && district(a).is_some()
                    && district(a) != district(b)
            }
            _ => false,
        }
    }
}

/// Folds a repeated report into the first: fill what the first lacks, keep the larger counts.
pub(super) fn merge_into(first: &mut CodedEvent, other: CodedEvent) {
    first.place = first.place.or(other.place);
    first.actor1 = first.actor1.take().or(other.actor1);
    first.actor2 = first.actor2.take().or(other.actor2);
    // Two sentences' figures for the same dead are alternatives: the lowest stands (ACLED).
    first.fatalities = match (first.fatalities, other.fatalities) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    first.injured = first.injured.max(other.injured);
    first.toll_reports.extend(other.toll_reports);
    first.implausible_toll = first.implausible_toll.or(other.implausible_toll);
    if first.date.mention.is_none() {
        first.date = other.date;
    }
    first.responsibility.claimed_by = first.responsibility.claimed_by.take().or(other.responsibility.claimed_by);
    first.responsibility.attributed_to =
        first.responsibility.attributed_to.take().or(other.responsibility.attributed_to);
    first.responsibility.unclaimed |= other.responsibility.unclaimed;
    add_sources(&mut first.sources, other.sources);
    if first.status == Status::Occurred {
        first.status = other.status;
    }
}

/// Appends the links of `more` that `sources` lacks (by name).
pub(super) fn add_sources(sources: &mut Vec<Link>, more: Vec<Link>) {
    for link in more {
        if !sources.iter().any(|l| l.name == link.name) {
            sources.push(link);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{code, only};

    #[test]
    fn a_later_sentence_repeating_the_event_adds_to_it() {
        let (a, e) = only(
            "شنت طائرات حربية غارة جوية على مدينة حلب أمس. وأسفرت الغارة على حي الأشرفية عن مقتل ثلاثة مدنيين.",
            "2024-09-14",
        );
        assert_eq!(a.place_name(&e), Some("Aleppo"));
        assert_eq!(e.fatalities, Some(3));
    }

    #[test]
    fn the_same_kind_of_event_in_another_district_is_another_event() {
        let (a, coding) = code(
            "اختطف مسلحون مجهولون صباح الإثنين ثلاثة شبان، على بعد نحو ١٠ كيلومترات شمالي مدينة شهبا. \
             وبعد ساعات، أقدمت مجموعة مسلحة على احتجاز أربعة أشخاص في حي المقوس بمدينة السويداء.",
            "2025-05-27",
        );
        let places: Vec<_> = coding.events.iter().map(|e| a.place_name(e)).collect();
        assert_eq!(places, [Some("Shahba"), Some("As-Suwayda")]);
    }
}
