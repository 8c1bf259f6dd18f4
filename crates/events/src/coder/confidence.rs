//! Confidence: what supports a reading. The record's score is the likelihood model's
//! probability (`likelihood.rs`), which reads these flags among its features.

/// What supports an event's reading.
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
    /// Each flag with its name, in a fixed order (features of the likelihood model).
    pub fn flags(self) -> [(&'static str, bool); 6] {
        [
            ("specific_trigger", self.specific_trigger),
            ("repeated", self.repeated),
            ("local_place", self.local_place),
            ("dated", self.dated),
            ("named_actor", self.named_actor),
            ("relayed", self.relayed),
        ]
    }
}
