//! Merging: a later sentence that repeats an event already coded (same type, overlapping
//! dates, the same place) is folded into it; and an event placed only at a region folds into
//! the one event of its kind placed inside that region ("airstrikes on rural Aleppo" in the
//! title, "in the town of Al-Atareb" in the body: one event, at Al-Atareb); and events of one
//! type at one place on overlapping days are one act.

use rasd_places::{PlaceKind, PlaceMention};
use rasd_quotes::Link;
use rasd_text::geo::haversine_km;

use super::{Draft, Pass};
use crate::{CodedEvent, Status};

/// Event types whose sub-event types at one place and day name one act in several words (a
/// blast told as a bomb and as a suicide attack; an air raid and the shelling beside it; a
/// march and its dispersal). Strategic developments and violence against civilians are
/// different acts (an arrest beside a foiled attack, an abduction beside a killing).
const ONE_ACT_TYPES: [&str; 4] = ["Battles", "Explosions/Remote violence", "Protests", "Riots"];

/// Sub-event types that change who holds a place.
const TERRITORY_CHANGES: [&str; 2] = ["Government regains territory", "Non-state actor overtakes territory"];

/// How far from a city's centre its quarters, camps and sites lie.
const QUARTER_KM: f64 = 15.0;

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
                // A finer place inside an earlier region is left to `fold_regions`, which
                // keeps each of several as its own event.
                && self.finer_inside(event.place, e.place).is_none()
                && (!dated || (e.date.start <= event.date.end && event.date.start <= e.date.end))
                && (draft.place.is_none() || self.same_place(draft.place, d.place) || self.placed_from_within(d, e, draft))
        })
    }

    /// Whether the earlier event, placed from outside its own sentence, takes a later sentence
    /// that names a place: only one at its place, inside it or around it ("air strikes in Iraq
    /// and Syria" placed at Mosul does not take "the strikes in Syria around Hasakah"; clashes
    /// placed at Khan al-Assal take "the fighting in the Aleppo countryside").
    fn placed_from_within(&self, earlier: &Draft, event: &CodedEvent, later: &Draft) -> bool {
        earlier.place.is_none()
            && (self.same_place(later.place, event.place)
                || self.finer_within(later.place, event.place).is_some()
                || self.finer_within(event.place, later.place).is_some())
    }

    /// Folds each event placed only at a region into the one event of the same kind, with
    /// overlapping dates, placed inside that region, which then keeps its finer place. A region
    /// with two or more such events is a summary of several, and stays as it is.
    pub(super) fn fold_regions(&self, mut events: Vec<CodedEvent>) -> Vec<CodedEvent> {
        let mut i = 0;
        while i < events.len() {
            let region = &events[i];
            let mut inside = (0..events.len()).filter(|&j| {
                let e = &events[j];
                j != i
                    && e.kind == region.kind
                    && e.date.start <= region.date.end
                    && region.date.start <= e.date.end
                    && self.finer_inside(e.place, region.place).is_some()
            });
            // Exactly one: a second makes the region a summary.
            if let (Some(j), None) = (inside.next(), inside.next()) {
                let (keep, gone) = (i.min(j), i.max(j));
                let place = events[j].place;
                let other = events.remove(gone);
                merge_into(&mut events[keep], other);
                events[keep].place = place;
                i = keep;
            }
            i += 1;
        }
        events
    }

    /// Folds each event into an earlier one that is the same act ([`Pass::one_act`]): ACLED
    /// counts one event per type, place and day, however many words the article spends on it
    /// (تفجير and انتحاري for one blast). The earlier keeps its sub-event type.
    pub(super) fn fold_same_day(&self, mut events: Vec<CodedEvent>) -> Vec<CodedEvent> {
        let mut i = 0;
        while i < events.len() {
            let mut j = i + 1;
            while j < events.len() {
                if self.one_act(&events[i], &events[j]) {
                    let other = events.remove(j);
                    merge_into(&mut events[i], other);
                } else {
                    j += 1;
                }
            }
            i += 1;
        }
        events
    }

    /// Whether two events are one act by ACLED's count: same status, same place, overlapping
    /// days, and the same sub-event type or two names of one act ([`ONE_ACT_TYPES`]). A change
    /// of territory is an act of its own beside the fighting that won it (the dev set's
    /// convention).
    fn one_act(&self, a: &CodedEvent, b: &CodedEvent) -> bool {
        let territory = |e: &CodedEvent| TERRITORY_CHANGES.contains(&e.kind.sub_event_type);
        let named_twice = a.kind.event_type == b.kind.event_type
            && ONE_ACT_TYPES.contains(&a.kind.event_type)
            && territory(a) == territory(b);
        (a.kind == b.kind || named_twice)
            && a.status == b.status
            && self.same_place(a.place, b.place)
            && a.date.start <= b.date.end
            && b.date.start <= a.date.end
    }

    /// `inner` when it lies inside the region that `outer` names (geo precision 3: a
    /// governorate, a countryside, a country), and is itself finer.
    fn finer_inside(&self, inner: Option<usize>, outer: Option<usize>) -> Option<usize> {
        let (i, o) = (inner?, outer?);
        let (im, om) = (&self.input.places[i], &self.input.places[o]);
        let (ip, op) = (self.input.gazetteer.place(im.place), self.input.gazetteer.place(om.place));
        let inside =
            ip.iso3 == op.iso3 && (op.kind == PlaceKind::Country || (op.admin1.is_some() && ip.admin1 == op.admin1));
        (om.geo_precision >= 3 && im.geo_precision < om.geo_precision && inside).then_some(i)
    }

    /// `inner` when it lies inside the place `outer` names: a town in a region
    /// ([`Pass::finer_inside`]), or a quarter, camp or site of a city or town (within
    /// [`QUARTER_KM`] of it).
    pub(super) fn finer_within(&self, inner: Option<usize>, outer: Option<usize>) -> Option<usize> {
        self.finer_inside(inner, outer).or_else(|| {
            let (i, o) = (inner?, outer?);
            let places = self.input.gazetteer;
            let (ip, op) = (places.place(self.input.places[i].place), places.place(self.input.places[o].place));
            let quarter = matches!(ip.kind, PlaceKind::Neighbourhood | PlaceKind::Camp | PlaceKind::Site);
            let town = matches!(op.kind, PlaceKind::City | PlaceKind::Town);
            (quarter && town && haversine_km(ip.lat, ip.lon, op.lat, op.lon) <= QUARTER_KM).then_some(i)
        })
    }

    /// Whether two places lie in two different first-level units (provinces), both known:
    /// two acts, not one told twice («في البصرة … كما شهدت مدينة كربلاء تظاهرة أخرى»).
    pub(super) fn other_provinces(&self, a: Option<usize>, b: Option<usize>) -> bool {
        let province = |m: usize| {
            let place = self.input.gazetteer.place(self.input.places[m].place);
            place.admin1.clone().map(|admin1| (place.iso3.clone(), admin1))
        };
        match (a.and_then(province), b.and_then(province)) {
            (Some(a), Some(b)) => a != b,
            _ => false,
        }
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
    use super::super::tests::{code, only, sorted_places, sub_types};

    #[test]
    fn a_later_sentence_repeating_the_event_adds_to_it_and_places_it_in_a_quarter_it_names() {
        let (a, e) = only(
            "شنت طائرات حربية غارة جوية على مدينة حلب أمس. وأسفرت الغارة على حي الأشرفية عن مقتل ثلاثة مدنيين.",
            "2024-09-14",
        );
        assert_eq!(a.place_name(&e), Some("Ashrafieh, Aleppo"));
        assert_eq!(e.fatalities, Some(3));
        let (a, e) = only(
            "At least 11 children were killed in Damascus when a mortar attack targeted a school in an eastern \
             district of the Syrian capital. The attack occurred in Qaboun, a district in the east of the city.",
            "2014-11-05",
        );
        assert_eq!(a.place_name(&e), Some("Qaboun, Damascus"));
    }

    #[test]
    fn an_event_placed_from_elsewhere_does_not_take_a_sentence_about_another_place() {
        let text = "قال الجيش الأمريكي إن القوات شنت 16 غارة جوية في العراق يوم السبت ضد أهداف لتنظيم داعش. \
                    وقالت قوة المهام المشتركة إن الغارات شملت خمس غارات قرب الموصل. \
                    وأضاف البيان أن الغارات الجوية التي جرت في سوريا يوم السبت تركزت حول الحسكة.";
        let places = sorted_places(text, "2015-08-09");
        assert!(places.iter().any(|p| p == "Al-Hasakah"), "{places:?}");
    }

    #[test]
    fn one_blast_told_with_two_words_is_one_event() {
        let (a, e) = only(
            "قتل عشرة من رجال الأمن في تفجير استهدف مسجدا في مدينة أبها أمس. وقالت الوزارة إن انتحاريا فجر نفسه داخل المسجد في أبها أمس.",
            "2015-08-07",
        );
        assert_eq!(a.place_name(&e), Some("Abha"));
        assert_eq!(e.kind.event_type, "Explosions/Remote violence");
        // The fighting and the capture it won stay two events.
        let fighting =
            "اندلعت اشتباكات عنيفة بين قوات النظام وتنظيم داعش في مدينة تدمر أمس. وسيطر تنظيم داعش على مدينة تدمر أمس.";
        assert_eq!(sub_types(fighting, "2015-05-21"), ["Armed clash", "Non-state actor overtakes territory"]);
        // So do an arrest and a foiled attack in one city.
        let foiled = "أحبطت قوات الأمن محاولة تفجير بدراجة نارية في مدينة دمشق أمس. واعتقلت قوات الأمن ثلاثة أشخاص في مدينة دمشق أمس.";
        assert_eq!(sub_types(foiled, "2025-10-26"), ["Disrupted weapons use", "Arrests"]);
    }

    #[test]
    fn a_reference_back_naming_another_town_does_not_move_the_event() {
        let (a, e) = only(
            "شنت طائرات حربية غارة جوية على مدينة سراقب أمس. وجاءت الغارة بعد يوم من زيارة وفد إلى مدينة حلب.",
            "2024-09-14",
        );
        assert_eq!(a.place_name(&e), Some("Saraqib"));
    }

    #[test]
    fn a_repeat_dated_only_by_its_statement_does_not_date_the_event() {
        let (_, e) = only(
            "شنت طائرات حربية غارة جوية على مدينة سراقب. وقال المرصد السوري لحقوق الإنسان أمس إن الغارة الجوية على سراقب قتلت ثلاثة.",
            "2025-05-17",
        );
        assert_eq!((e.date.mention, e.date.precision), (None, 2), "{:?}", e.date);
        assert_eq!(e.fatalities, Some(3), "the repeat's toll joins the event");
    }

    #[test]
    fn a_region_then_a_town_inside_it_is_one_event_at_the_town() {
        let (a, e) = only(
            "Airstrikes on rural Aleppo kill five rescue workers. Five rescue workers died on Monday in \
             airstrikes on a civil defence centre in the town of Al-Atareb.",
            "2016-04-26",
        );
        assert_eq!(a.place_name(&e), Some("Al-Atarib"));
        assert_eq!(e.fatalities, Some(5));
    }

    #[test]
    fn a_town_outside_the_region_named_first_is_another_event() {
        let (a, coding) = code(
            "شنت طائرات حربية غارات جوية على ريف إدلب أمس. وقتل ثلاثة مدنيين في غارة جوية على مدينة الأتارب أمس.",
            "2016-04-26",
        );
        let places: Vec<_> = coding.events.iter().map(|e| a.place_name(e)).collect();
        assert_eq!(places, [Some("Idlib"), Some("Al-Atarib")]);
    }

    #[test]
    fn a_region_with_several_towns_inside_it_stays_a_summary() {
        let (a, coding) = code(
            "قتل ١٩ مدنياً في غارات جوية على ريف إدلب أمس. وقتل مدنيان في غارة جوية على مدينة معرة النعمان أمس، \
             وقتل ١٥ مدنياً في غارة جوية على مدينة سراقب أمس.",
            "2015-07-31",
        );
        let places: Vec<_> = coding.events.iter().map(|e| a.place_name(e)).collect();
        assert_eq!(places, [Some("Idlib"), Some("Maarat al-Numan"), Some("Saraqib")]);
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
