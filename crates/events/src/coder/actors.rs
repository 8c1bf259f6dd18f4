//! Actors: who acts (actor1), who is acted on (actor2: after a target cue, the object of an
//! arrest, civilians), who acts jointly (associates), the speaker as the actor of its own acts,
//! home-country forces at events abroad, and who claimed or is blamed (responsibility).

use rasd_entities::{Actor, EntityKind, Inter, Mention};
use rasd_quotes::Link;

use super::{within, Draft, Pass};
use crate::lexicons::Cue;
use crate::{ActorRef, Responsibility};

/// How far (in words) an actor may stand after a target, joint, claim or blame cue.
const ACTOR_REACH: usize = 4;

/// Actor1, actor2 and the associates of an event.
type Actors = (Option<ActorRef>, Option<ActorRef>, Vec<ActorRef>);

impl Pass<'_> {
    /// The actor behind the sentence's speaker (وزارة الداخلية speaks and acts).
    pub(super) fn speaker_actor(&self, d: &Draft, sources: &[Link]) -> Option<ActorRef> {
        let spans: Vec<_> = sources.iter().filter_map(|l| l.span).collect();
        self.input
            .entities
            .iter()
            .find(|m| {
                m.kind == EntityKind::Actor
                    && spans.contains(&m.span)
                    && self.input.sentences[d.sentence].contains(m.span)
            })
            .map(|m| actor_ref(m, false))
    }

    /// The actors of a draft from the actor mentions of its sentence; the speaker stands in
    /// for a missing actor1.
    pub(super) fn actors(&self, d: &Draft, speaker: Option<ActorRef>) -> Actors {
        let sentence = self.input.sentences[d.sentence];
        let mut agents: Vec<(&Mention, bool)> = Vec::new();
        let mut targets: Vec<&Mention> = Vec::new();
        let mut assoc: Vec<ActorRef> = Vec::new();
        let takes_object = self.coder.lexicons.subtypes.object_is_target(d.kind);
        for m in self.input.entities.iter().filter(|m| m.kind == EntityKind::Actor && sentence.contains(m.span)) {
            if speaker.as_ref().is_some_and(|s| s.span == Some(m.span)) && !d.clause.contains(m.span) {
                continue;
            }
            if self.cue_before(m.span, Cue::Joint, d.clause) {
                if !assoc.iter().any(|a| a.actor.name == m.name) {
                    assoc.push(actor_ref(m, true));
                }
            } else if self.cue_before(m.span, Cue::Target, sentence)
                || (takes_object
                    && d.clause.contains(m.span)
                    && m.span.start > d.trigger.end
                    && !self.verb_subject(m, d))
            {
                targets.push(m);
            } else {
                agents.push((m, d.clause.contains(m.span)));
            }
        }
        let actor1 = agents
            .iter()
            .filter(|(m, _)| m.actor.as_ref().is_some_and(|a| a.inter != Inter::Civilians))
            .min_by_key(|(m, in_clause)| (!in_clause, m.span.distance(d.trigger)))
            .map(|(m, _)| actor_ref(m, true))
            .or(speaker);
        let actor2 = targets
            .iter()
            .chain(
                agents.iter().map(|(m, _)| m).filter(|m| m.actor.as_ref().is_some_and(|a| a.inter == Inter::Civilians)),
            )
            .find(|m| actor1.as_ref().is_none_or(|a| a.actor.name != m.name))
            .map(|m| actor_ref(m, true));
        assoc.retain(|a| actor1.as_ref().is_none_or(|b| b.actor.name != a.actor.name));
        (actor1, actor2, assoc)
    }

    /// Actor1 and actor2 of an event at place mention `place`: abroad, generic home-country
    /// state actors become that country's ([`Pass::localised`]).
    pub(super) fn localised_at(
        &self,
        place: usize,
        actor1: Option<ActorRef>,
        actor2: Option<ActorRef>,
    ) -> (Option<ActorRef>, Option<ActorRef>) {
        let at = self.input.gazetteer.place(self.input.places[place].place);
        if at.iso3 == self.input.gazetteer.home_country() {
            return (actor1, actor2);
        }
        let localise = |a: ActorRef| self.localised(a, &at.iso3, &at.country);
        (actor1.map(localise), actor2.map(localise))
    }

    /// A home-country state actor named without a home marker (الشرطة، security forces), at an
    /// event abroad, is that country's: Police Forces of Syria (2024-) → Police Forces of Turkey.
    fn localised(&self, a: ActorRef, iso3: &str, country: &str) -> ActorRef {
        let generic = a.actor.country.as_deref() == Some(self.input.gazetteer.home_country())
            && a.actor.inter == Inter::StateForces
            && a.span.is_some_and(|s| {
                let words = rasd_text::fold::fold_str(s.slice(self.input.text));
                !self.coder.lexicons.home_markers.iter().any(|m| words.contains(m.as_str()))
            });
        let Some((kind, _)) = a.actor.name.split_once(" of ").filter(|_| generic) else { return a };
        let actor =
            Actor { name: format!("{kind} of {country}"), inter: a.actor.inter, country: Some(iso3.to_string()) };
        ActorRef { actor, span: a.span }
    }

    /// Whether an actor right after an arrest or abduction verb is its subject, the verb coming
    /// first (اعتقلت قوات الأمن ثلاثة أشخاص): something else is named after it in the clause.
    fn verb_subject(&self, m: &Mention, d: &Draft) -> bool {
        let object_after = |after: usize| {
            within(&self.counts, d.clause, |c| c.span).any(|c| c.span.start >= after)
                || within(self.input.entities, d.clause, |o| o.span).any(|o| o.span.start >= after)
        };
        self.words_between(d.trigger.end, m.span.start) == 0 && object_after(m.span.end)
    }

    /// Who claimed the event, who is blamed, whether nobody claimed it: from the cues of the
    /// sentences that report it.
    pub(super) fn responsibility(&self, d: &Draft) -> Responsibility {
        let mut r = Responsibility::default();
        for (span, cue) in self.cues_in(d) {
            match cue {
                Cue::Claim => r.claimed_by = r.claimed_by.or_else(|| self.actor_next_to(span)),
                Cue::Blame => r.attributed_to = r.attributed_to.or_else(|| self.actor_next_to(span)),
                Cue::Unclaimed => r.unclaimed = true,
                _ => {}
            }
        }
        r
    }

    /// The actor named right after a cue (تبنى تنظيم داعش), else right before it (IS claimed).
    fn actor_next_to(&self, cue: rasd_text::Span) -> Option<String> {
        let actors = || self.input.entities.iter().filter(|m| m.kind == EntityKind::Actor);
        actors()
            .find(|m| m.span.start >= cue.end && self.words_between(cue.end, m.span.start) <= ACTOR_REACH)
            .or_else(|| {
                actors().rfind(|m| m.span.end <= cue.start && self.words_between(m.span.end, cue.start) <= ACTOR_REACH)
            })
            .map(|m| m.name.clone())
    }
}

/// An actor mention as an event's actor; `named` keeps the words naming it.
fn actor_ref(m: &Mention, named: bool) -> ActorRef {
    let actor =
        m.actor.clone().unwrap_or_else(|| Actor { name: m.name.clone(), inter: Inter::StateForces, country: None });
    ActorRef { actor, span: named.then_some(m.span) }
}

#[cfg(test)]
mod tests {
    use super::super::tests::only;

    fn name(a: &Option<crate::ActorRef>) -> Option<&str> {
        a.as_ref().map(|a| a.actor.name.as_str())
    }

    #[test]
    fn the_object_of_an_arrest_is_actor2_and_the_verb_subject_actor1() {
        let (_, e) = only("اعتقلت قوات الأمن العام عناصر من تنظيم داعش في مدينة جبلة.", "2025-05-17");
        assert_eq!(name(&e.actor1), Some("Police Forces of Syria (2024-)"));
        assert_eq!(name(&e.actor2), Some("Islamic State"));
    }

    #[test]
    fn a_claim_names_who_claimed() {
        let (_, e) = only("تبنى تنظيم داعش هجوماً على حاجز لقسد في بلدة ذيبان.", "2025-06-12");
        assert_eq!(e.responsibility.claimed_by.as_deref(), Some("Islamic State"));
        assert!(!e.responsibility.unclaimed);
    }

    #[test]
    fn nobody_claimed_it() {
        let (_, e) = only("انفجرت عبوة ناسفة بدورية في مدينة تدمر فجر اليوم. ولم تتبنَّ أي جهة الهجوم.", "2025-05-17");
        assert!(e.responsibility.unclaimed);
        assert_eq!(e.responsibility.claimed_by, None);
    }

    #[test]
    fn home_police_at_an_event_abroad_are_that_countrys() {
        let (_, e) = only("اعتقلت الشرطة ثلاثة أشخاص في مدينة إسطنبول.", "2025-05-17");
        assert_eq!(name(&e.actor1), Some("Police Forces of Turkey"));
        assert_eq!(e.actor1.unwrap().actor.country.as_deref(), Some("TUR"));
    }
}
