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
        let near_before = |kind: Cue| self.cue_within(kind, d.trigger, d.clause, STATUS_REACH);
        if near_before(Cue::Negation) {
            Status::Negated
        } else if self.cues_in(d).any(|(span, c)| c == Cue::Denial && !self.denies_a_role(span)) {
            Status::Denied
        } else if near_before(Cue::Future) || date.start > self.input.published {
            Status::Future
        } else {
            Status::Occurred
        }
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
    use super::super::tests::only;
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
}
