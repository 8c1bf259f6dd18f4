//! Confidence: what supports a reading, and the score it gives.

/// What supports an event's reading; [`Confidence::value`] is the score (0.3 to 1.0) the
/// record carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Confidence {
    /// Named by a specific trigger (several words, or a high priority), not a generic word.
    pub specific_trigger: bool,
    /// Named again later (a reference back, another sentence).
    pub repeated: bool,
    /// Placed below country level.
    pub local_place: bool,
    /// Dated by words of the text, not the publication date.
    pub dated: bool,
    /// An actor named in the text.
    pub named_actor: bool,
    /// Relayed by a chain of more than one source.
    pub relayed: bool,
}

impl Confidence {
    /// A base of 0.3 for one trigger word, and 0.7 shared by the evidence (a specific trigger
    /// counts double): one generic word with no place, date, actor or relaying source scores
    /// 0.3, a fully supported reading 1.0. Calibrated on the audited samples
    /// (docs/accuracy.md): events at 0.7 or more are real events most of the time.
    pub fn value(self) -> f32 {
        const BASE: f32 = 0.3;
        let weighted = [
            (self.specific_trigger, 0.2),
            (self.repeated, 0.1),
            (self.local_place, 0.1),
            (self.dated, 0.1),
            (self.named_actor, 0.1),
            (self.relayed, 0.1),
        ];
        BASE + weighted.iter().filter(|(yes, _)| *yes).map(|(_, w)| w).sum::<f32>()
    }
}

#[cfg(test)]
mod tests {
    use super::Confidence;

    #[test]
    fn a_bare_generic_word_scores_the_base_and_full_support_scores_one() {
        assert!((Confidence::default().value() - 0.3).abs() < 1e-6);
        let full = Confidence {
            specific_trigger: true,
            repeated: true,
            local_place: true,
            dated: true,
            named_actor: true,
            relayed: true,
        };
        assert!((full.value() - 1.0).abs() < 1e-6);
        let specific = Confidence { specific_trigger: true, ..Confidence::default() };
        assert!((specific.value() - 0.5).abs() < 1e-6, "a specific trigger counts double");
    }
}
