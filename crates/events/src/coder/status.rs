//! Status: whether the text says the event happened, did not (negation), is denied by a
//! source, or is still to come (future cues, a date after publication).

use rasd_text::Span;

use super::{Draft, Pass, STATUS_REACH};
use crate::lexicons::Cue;
use crate::{Status, Window};

/// How far (in words) a role word may follow a denial that it turns into a denial of a role.
const ROLE_REACH: usize = 6;

impl Pass<'_> {
    /// The status of a draft dated `date`.
    pub(super) fn status(&self, d: &Draft, date: &Window) -> Status {
        if self.cue_within(Cue::Negation, d.trigger, d.clause, STATUS_REACH) {
            Status::Negated
        } else if self.cues_in(d).any(|(span, c)| c == Cue::Denial && !self.denies_a_role(span)) {
            Status::Denied
        } else if self.foretold_by_cue(d) || date.start > self.input.published {
            Status::Future
        } else {
            Status::Occurred
        }
    }

    /// Whether a future cue (سوف، will, plans to) stands shortly before the draft's trigger.
    pub(super) fn foretold_by_cue(&self, d: &Draft) -> bool {
        self.cue_within(Cue::Future, d.trigger, d.clause, STATUS_REACH)
    }

    /// Whether a denial is of a role, link or motive (نفت أن يكون لها علاقة بالهجوم، denied any
    /// role in the attack): a role word follows it closely, and the event itself stands.
    fn denies_a_role(&self, denial: Span) -> bool {
        self.cues.iter().any(|(s, c)| {
            *c == Cue::Role && s.start >= denial.end && self.words_between(denial.end, s.start) <= ROLE_REACH
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{only, sub_types};
    use crate::Status;

    fn status(text: &str, published: &str) -> Status {
        only(text, published).1.status
    }

    #[test]
    fn negation_future_and_denial() {
        assert_eq!(status("لم تشهد مدينة درعا أي اشتباكات خلال الليلة الماضية.", "2025-05-17"), Status::Negated);
        assert_eq!(
            status("دعا ناشطون إلى اعتصام أمام مبنى المحافظة في السويداء يوم غد الأحد.", "2024-03-16"),
            Status::Future
        );
        assert_eq!(status("نفت وزارة الدفاع وقوع اشتباكات في مدينة تلكلخ.", "2025-05-17"), Status::Denied);
    }

    #[test]
    fn denying_a_role_leaves_the_event_standing() {
        let text = "انفجرت سيارة مفخخة في مدينة أعزاز، ونفت قسد أن يكون لها أي علاقة بالتفجير.";
        assert_eq!(status(text, "2025-05-17"), Status::Occurred);
    }

    #[test]
    fn violence_foretold_for_after_publication_is_no_event() {
        let text = "قال قائد ميداني إن قوات المعارضة ستقصف مطار مدينة حماة العسكري خلال الساعات المقبلة.";
        assert_eq!(sub_types(text, "2015-08-06"), Vec::<&str>::new());
        // A protest called for tomorrow is a future event.
        let protest = "دعا ناشطون إلى اعتصام أمام مبنى المحافظة في السويداء يوم غد الأحد.";
        assert_eq!(sub_types(protest, "2024-03-16"), ["Peaceful protest"]);
    }
}
