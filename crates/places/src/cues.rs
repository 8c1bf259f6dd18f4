//! Cue words (`cues.tsv`) and the stop list (`stoplist.tsv`): the data that tells a name in
//! context from an ordinary word.

use rasd_kb::{DataDir, KbError, Tsv};

use crate::geo::Direction;
use crate::model::PlaceKind;

/// Where a cue stands relative to the name it qualifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// Before the name (`مدينة حلب`, `east of Idlib`).
    Before,
    /// After the name (`ريف حلب الشمالي`, `Idlib province`).
    After,
    /// On its own: the cue is a mention (`العاصمة`).
    Alone,
}

/// What a cue says about the name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Names the kind of place.
    Kind,
    /// The countryside of the place.
    Countryside,
    /// Near the place.
    Near,
    /// In a direction from the place.
    Direction,
    /// Narrows a countryside to one side of it.
    Side,
    /// The capital of the country the text is about.
    Capital,
    /// A small word allowed between a cue and its name.
    Glue,
    /// Makes the name part of another name: a street or square named after a place
    /// (شارع تل أبيض, Tal Abyad Street) is not that place.
    Named,
}

/// One cue word.
#[derive(Clone, Debug)]
pub struct Cue {
    /// Where it stands.
    pub position: Position,
    /// What it says.
    pub role: Role,
    /// The kind of place it points to, if any.
    pub kind: Option<PlaceKind>,
    /// The direction it names, if any.
    pub direction: Option<Direction>,
}

/// The cue table: surfaces with their cue, glue words apart (they are not matched, only
/// allowed in gaps).
pub struct Cues {
    /// Surface and cue, in file order.
    pub cues: Vec<(String, Cue)>,
    /// Folded glue words.
    pub glue: Vec<String>,
}

const CUES: &str = "places/cues.tsv";
const STOP: &str = "places/stoplist.tsv";

/// Reads `cues.tsv`.
pub fn load(dir: &DataDir) -> Result<Cues, KbError> {
    let text = dir.read(CUES)?;
    let tsv = Tsv::parse(CUES, &text, &["cue", "position", "role", "kind", "direction"])?;
    let mut out = Cues { cues: Vec::new(), glue: Vec::new() };
    for row in tsv.rows() {
        let position = match row.require("position")? {
            "before" => Position::Before,
            "after" => Position::After,
            "alone" => Position::Alone,
            p => return Err(row.error(format!("position `{p}`: expected before, after or alone"))),
        };
        let role = match row.require("role")? {
            "kind" => Role::Kind,
            "countryside" => Role::Countryside,
            "near" => Role::Near,
            "direction" => Role::Direction,
            "side" => Role::Side,
            "capital" => Role::Capital,
            "glue" => Role::Glue,
            "named" => Role::Named,
            r => return Err(row.error(format!("unknown role `{r}`"))),
        };
        let kind = match row.get("kind") {
            "" => None,
            k => Some(PlaceKind::parse(k).ok_or_else(|| row.error(format!("unknown kind `{k}`")))?),
        };
        let direction = match row.get("direction") {
            "" => None,
            d => Some(Direction::parse(d).ok_or_else(|| row.error(format!("unknown direction `{d}`")))?),
        };
        let cue = row.require("cue")?;
        if role == Role::Glue {
            out.glue.push(rasd_text::fold::fold_str(cue));
        } else {
            out.cues.push((cue.to_string(), Cue { position, role, kind, direction }));
        }
    }
    Ok(out)
}

/// How the stop list treats a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopMode {
    /// Never a place name.
    Never,
    /// A place name only after a cue word.
    Cue,
    /// A longer name (an organisation) that hides the place inside it.
    Phrase,
}

/// Reads `stoplist.tsv` as (folded name, mode) pairs.
pub fn stoplist(dir: &DataDir) -> Result<Vec<(String, StopMode)>, KbError> {
    let text = dir.read(STOP)?;
    let tsv = Tsv::parse(STOP, &text, &["name", "mode"])?;
    tsv.rows()
        .map(|row| {
            let mode = match row.require("mode")? {
                "never" => StopMode::Never,
                "cue" => StopMode::Cue,
                "phrase" => StopMode::Phrase,
                m => return Err(row.error(format!("mode `{m}`: expected never, cue or phrase"))),
            };
            Ok((row.require("name")?.to_string(), mode))
        })
        .collect()
}
