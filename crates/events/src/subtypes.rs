//! What the coder knows of each sub-event type beyond its name (`data/events/subtypes.tsv`):
//! when its single words need conflict context, whether the actor after its verb is acted on,
//! what it becomes from the air, whether it kills, whether its generic words can name an accident,
//! whether a list of provinces names one event in each.

use rasd_kb::{DataDir, KbError, Taxonomy, Tsv, TAXONOMY_FILE};

use crate::lexicons::{sub_event, EventKind};

const SUBTYPES_FILE: &str = "events/subtypes.tsv";

/// One row of `subtypes.tsv`.
#[derive(Clone, Copy, Debug)]
struct Properties {
    kind: EventKind,
    needs_context_below: u8,
    object_is_target: bool,
    by_air: Option<EventKind>,
    kills: bool,
    accidental: bool,
    criminal: bool,
    per_province: bool,
}

/// The properties of every sub-event type of the taxonomy.
#[derive(Debug)]
pub(crate) struct SubTypes {
    rows: Vec<Properties>,
}

impl SubTypes {
    /// Reads `events/subtypes.tsv`: one row per sub-event type of the taxonomy, none missing,
    /// none twice.
    pub(crate) fn load(dir: &DataDir) -> Result<Self, KbError> {
        let text = dir.read(SUBTYPES_FILE)?;
        let columns = [
            "sub_event_type",
            "needs_context_below",
            "object_is_target",
            "by_air",
            "kills",
            "accidental",
            "criminal",
            "per_province",
        ];
        let table = Tsv::parse(SUBTYPES_FILE, &text, &columns)?;
        let kind_of = |row: &rasd_kb::Row, name: &str| {
            sub_event(name).ok_or_else(|| row.error(format!("unknown sub-event type {name:?} (see {TAXONOMY_FILE})")))
        };
        let mut rows: Vec<Properties> = Vec::new();
        for row in table.rows() {
            let kind = kind_of(&row, row.require("sub_event_type")?)?;
            if rows.iter().any(|p| p.kind == kind) {
                return Err(row.error(format!("`{}` is listed twice", kind.sub_event_type)));
            }
            let yes = |column: &str| match row.get(column) {
                "" | "no" => Ok(false),
                "yes" => Ok(true),
                other => Err(row.error(format!("{column} must be yes or empty, not {other:?}"))),
            };
            let (object_is_target, kills, accidental) = (yes("object_is_target")?, yes("kills")?, yes("accidental")?);
            let by_air = match row.get("by_air") {
                "" => None,
                name => Some(kind_of(&row, name)?),
            };
            rows.push(Properties {
                kind,
                needs_context_below: row.parse("needs_context_below")?,
                object_is_target,
                by_air,
                kills,
                accidental,
                criminal: yes("criminal")?,
                per_province: yes("per_province")?,
            });
        }
        let missing =
            Taxonomy::embedded().sub_event_types.iter().find(|s| !rows.iter().any(|p| p.kind.sub_event_type == s.name));
        if let Some(missing) = missing {
            return Err(KbError::file(SUBTYPES_FILE, format!("no row for the sub-event type `{}`", missing.name)));
        }
        Ok(SubTypes { rows })
    }

    fn of(&self, kind: EventKind) -> &Properties {
        // Every sub-event type has a row (checked at load).
        self.rows.iter().find(|p| p.kind == kind).expect("every sub-event type has a row")
    }

    /// Whether a single-word trigger of `kind` with this priority needs conflict context.
    pub(crate) fn needs_context(&self, kind: EventKind, priority: u8) -> bool {
        priority < self.of(kind).needs_context_below
    }

    /// Whether events of `kind` kill: dead told at another place are another such event.
    pub(crate) fn kills(&self, kind: EventKind) -> bool {
        self.of(kind).kills
    }

    /// Whether a generic word of `kind` beside an accidental cause names an accident (انفجار
    /// بمحطة وقود), not an event.
    pub(crate) fn accidental(&self, kind: EventKind) -> bool {
        self.of(kind).accidental
    }

    /// Whether an actor named after the verb of an event of `kind` is the one acted on.
    pub(crate) fn object_is_target(&self, kind: EventKind) -> bool {
        self.of(kind).object_is_target
    }

    /// Whether an act of `kind` beside an ordinary crime (cues.tsv `crime`: drugs, theft) is a
    /// police matter, no event (an arrest of a drug smuggler).
    pub(crate) fn criminal(&self, kind: EventKind) -> bool {
        self.of(kind).criminal
    }

    /// Whether places listed together, each in a province of its own, are one event of `kind`
    /// each (protests in several cities), where a city of a list otherwise stands for its province.
    pub(crate) fn per_province(&self, kind: EventKind) -> bool {
        self.of(kind).per_province
    }

    /// What an event of `kind` becomes when an aircraft word stands in its clause.
    pub(crate) fn by_air(&self, kind: EventKind) -> Option<EventKind> {
        self.of(kind).by_air
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protests_need_no_weapon_arrests_take_an_object_and_strikes_kill() {
        let t = SubTypes::load(&DataDir::embedded()).unwrap();
        let kind = |name| sub_event(name).unwrap();
        assert!(!t.needs_context(kind("Peaceful protest"), 10));
        assert!(t.needs_context(kind("Armed clash"), 10));
        assert!(!t.needs_context(kind("Armed clash"), 50));
        assert!(t.object_is_target(kind("Arrests")) && !t.object_is_target(kind("Attack")));
        assert_eq!(t.by_air(kind("Shelling/artillery/missile attack")), Some(kind("Air/drone strike")));
        assert!(t.kills(kind("Air/drone strike")) && !t.kills(kind("Arrests")));
        assert!(t.accidental(kind("Remote explosive/landmine/IED")) && !t.accidental(kind("Armed clash")));
        assert!(t.per_province(kind("Peaceful protest")) && !t.per_province(kind("Air/drone strike")));
        assert!(t.criminal(kind("Arrests")) && !t.criminal(kind("Attack")));
    }

    #[test]
    fn a_missing_sub_event_type_is_an_error_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("rasd-events-subtypes-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("events")).unwrap();
        let header = "sub_event_type\tneeds_context_below\tobject_is_target\tby_air\tkills\taccidental\tcriminal\tper_province\n";
        std::fs::write(dir.join(SUBTYPES_FILE), format!("{header}Armed clash\t50\t\t\n")).unwrap();
        let e = SubTypes::load(&DataDir::at(&dir)).unwrap_err();
        assert!(e.to_string().contains("no row for the sub-event type"), "{e}");
        std::fs::write(dir.join(SUBTYPES_FILE), format!("{header}Armed clash\t50\tmaybe\t\n")).unwrap();
        let e = SubTypes::load(&DataDir::at(&dir)).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
