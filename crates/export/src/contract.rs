//! The data contract: one list of columns, with one meaning and one type each, that the CSV,
//! Parquet and GeoJSON exports all write (documented as a table in `docs/data-contract.md`).
//! ACLED's columns come first, in ACLED's order, so notebooks written for ACLED exports run
//! unchanged; rasd's own columns follow.
//!
//! Every cell of a row is computed here, once; the writers only encode cells.

use chrono::NaiveDate;
use rasd_kb::{Countries, InterCategories, Taxonomy};
use rasd_store::Cluster;

/// The type of a column, as each format encodes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Text: CSV as is, Parquet `Utf8`, GeoJSON string.
    Text,
    /// A whole number: CSV digits, Parquet `Int64`, GeoJSON number.
    Integer,
    /// A real number: CSV decimal, Parquet `Float64`, GeoJSON number.
    Float,
    /// A day: CSV and GeoJSON `YYYY-MM-DD`, Parquet `Date32`.
    Date,
}

/// One column of the contract.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// Its name, the same in every format.
    pub name: &'static str,
    /// Its type.
    pub kind: ColumnType,
    /// Whether it may be empty (null in Parquet and GeoJSON, blank in CSV). Columns that are
    /// empty only for events without a place are never empty in the CSV, which holds located
    /// events only, as ACLED's does.
    pub nullable: bool,
    /// Whether it is one of ACLED's columns (else rasd's own).
    pub acled: bool,
    /// What it holds.
    pub meaning: &'static str,
}

const fn column(name: &'static str, kind: ColumnType, nullable: bool, acled: bool, meaning: &'static str) -> Column {
    Column { name, kind, nullable, acled, meaning }
}

use ColumnType::{Date, Float, Integer, Text};

/// The columns, in export order: ACLED's 31, then rasd's.
pub const COLUMNS: [Column; 41] = [
    column(
        "event_id_cnty",
        Text,
        false,
        true,
        "ISO alpha-3 of the event's country, then rasd_cluster_id (SYR42); XXX when the event has no place",
    ),
    column("event_date", Date, false, true, "first day of the event's date window"),
    column("year", Integer, false, true, "year of event_date"),
    column("time_precision", Integer, false, true, "1 day, 2 week or a few days, 3 month or longer"),
    column("disorder_type", Text, false, true, "ACLED's disorder type of event_type (data/events/taxonomy.tsv)"),
    column("event_type", Text, false, true, "ACLED event type"),
    column("sub_event_type", Text, false, true, "ACLED sub-event type"),
    column("actor1", Text, true, true, "the actor who acted (canonical name, data/entities/actors.tsv)"),
    column("assoc_actor_1", Text, true, true, "actors acting with actor1, joined with '; '"),
    column("inter1", Text, true, true, "actor1's ACLED category (data/entities/inter.tsv)"),
    column("actor2", Text, true, true, "the actor acted upon"),
    column("assoc_actor_2", Text, true, true, "actors associated with actor2 (not read by rasd: always empty)"),
    column("inter2", Text, true, true, "actor2's ACLED category"),
    column(
        "interaction",
        Text,
        true,
        true,
        "inter1 and inter2, lower ACLED code first (State forces-Civilians), or 'X only'",
    ),
    column("civilian_targeting", Text, true, true, "'Civilian targeting' when actor2 is civilians"),
    column("iso", Integer, true, true, "ISO 3166-1 numeric code of the country (760 Syria); empty without a place"),
    column("region", Text, true, true, "ACLED's region of the country (Middle East, Northern Africa)"),
    column("country", Text, true, true, "country's English short name"),
    column("admin1", Text, true, true, "first-level unit (governorate, province)"),
    column("admin2", Text, true, true, "second-level unit (district)"),
    column("admin3", Text, true, true, "third-level unit (not resolved by rasd: always empty)"),
    column("location", Text, true, true, "the place's English name"),
    column("latitude", Float, true, true, "WGS84 latitude, 4 decimals"),
    column("longitude", Float, true, true, "WGS84 longitude, 4 decimals"),
    column(
        "geo_precision",
        Integer,
        true,
        true,
        "1 the town itself, 2 near it or part of a region, 3 only a larger region",
    ),
    column("source", Text, false, true, "every outlet that reported the event, joined with '; '"),
    column("source_scale", Text, true, true, "ACLED's source scale (not assessed by rasd: always empty)"),
    column("notes", Text, false, true, "the sentence the event was read from (first report)"),
    column(
        "fatalities",
        Integer,
        false,
        true,
        "best reported death toll; 0 when no source gave one (ACLED's convention)",
    ),
    column("tags", Text, true, true, "ACLED's tags (not used by rasd: always empty)"),
    column(
        "timestamp",
        Integer,
        false,
        true,
        "Unix time of the last report's publication day, else of the event's last day",
    ),
    column("rasd_cluster_id", Integer, false, false, "the cluster's id in the database (rasd show ID)"),
    column("date_start", Date, false, false, "first day of the date window"),
    column("date_end", Date, false, false, "last day of the date window"),
    column("status", Text, false, false, "occurred, future, denied or negated"),
    column("injured", Integer, true, false, "reported number of injured, when a source gave one"),
    column("location_ar", Text, true, false, "the place's Arabic name"),
    column("reports", Integer, false, false, "number of reports (articles) of the event"),
    column("article_ids", Text, false, false, "the reports' article ids, joined with ';'"),
    column("evidence", Text, false, false, "the sentence the event was read from (first report)"),
    column(
        "confidence",
        Float,
        false,
        false,
        "rasd's confidence that the event is real and right (0..1; docs/accuracy.md)",
    ),
];

/// The names of ACLED's columns, in ACLED's order.
pub fn acled_columns() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().filter(|c| c.acled).map(|c| c.name)
}

/// One cell of a row.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Integer(i64),
    Float(f64),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    fn text(value: Option<&str>) -> Cell {
        value.filter(|v| !v.is_empty()).map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
    }

    fn integer(value: Option<impl Into<i64>>) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Integer(v.into()))
    }

    fn date(iso: &str) -> Cell {
        iso.parse().map_or(Cell::Empty, Cell::Date)
    }
}

impl From<Cell> for serde_json::Value {
    fn from(cell: Cell) -> Self {
        match cell {
            Cell::Text(text) => text.into(),
            Cell::Integer(n) => n.into(),
            Cell::Float(x) => x.into(),
            Cell::Date(day) => day.format("%Y-%m-%d").to_string().into(),
            Cell::Empty => serde_json::Value::Null,
        }
    }
}

/// A number rounded to `places` decimals, the same in every format.
fn rounded(value: f64, places: i32) -> Cell {
    let scale = 10f64.powi(places);
    Cell::Float((value * scale).round() / scale)
}

/// Unix time of midnight (UTC) of a day.
fn unix_day(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp())
}

/// The row of one cluster: one cell per column of [`COLUMNS`], in order.
pub(crate) fn row(c: &Cluster) -> Vec<Cell> {
    let e = c.event();
    let l = e.location.as_ref();
    let country = l.and_then(|l| Countries::embedded().by_iso3(&l.iso3));
    let inter1 = e.actor1.as_ref().map(|a| a.inter.as_str()).filter(|i| !i.is_empty());
    let inter2 = e.actor2.as_ref().map(|a| a.inter.as_str()).filter(|i| !i.is_empty());
    let start: Option<NaiveDate> = e.date.start.parse().ok();
    let end: Option<NaiveDate> = e.date.end.parse().ok();
    let last_report = c.reports.iter().filter_map(|r| r.published.as_deref()?.parse::<NaiveDate>().ok()).max();
    let assoc = e.assoc_actors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join("; ");
    let cells = vec![
        Cell::Text(format!("{}{}", l.map_or("XXX", |l| l.iso3.as_str()), c.id)),
        Cell::date(&e.date.start),
        Cell::integer(start.map(|d| chrono::Datelike::year(&d))),
        Cell::Integer(e.date.precision.into()),
        Cell::text(Taxonomy::embedded().disorder_type(&e.event_type)),
        Cell::Text(e.event_type.clone()),
        Cell::Text(e.sub_event_type.clone()),
        Cell::text(e.actor1.as_ref().map(|a| a.name.as_str())),
        Cell::text(Some(&assoc)),
        Cell::text(inter1),
        Cell::text(e.actor2.as_ref().map(|a| a.name.as_str())),
        Cell::Empty,
        Cell::text(inter2),
        Cell::text(InterCategories::embedded().interaction(inter1, inter2).as_deref()),
        Cell::text((inter2 == Some("Civilians")).then_some("Civilian targeting")),
        Cell::integer(country.map(|c| c.numeric)),
        Cell::text(country.and_then(|c| c.region.as_deref())),
        Cell::text(l.map(|l| l.country.as_str())),
        Cell::text(l.and_then(|l| l.admin1.as_deref())),
        Cell::text(l.and_then(|l| l.admin2.as_deref())),
        Cell::Empty,
        Cell::text(l.map(|l| l.name.as_str())),
        l.map_or(Cell::Empty, |l| rounded(l.lat, 4)),
        l.map_or(Cell::Empty, |l| rounded(l.lon, 4)),
        Cell::integer(l.map(|l| l.geo_precision)),
        Cell::Text(c.outlets().join("; ")),
        Cell::Empty,
        Cell::Text(e.evidence.text.clone()),
        Cell::Integer(c.fatalities().unwrap_or(0).into()),
        Cell::Empty,
        Cell::Integer(last_report.or(end).or(start).map_or(0, unix_day)),
        Cell::Integer(c.id),
        Cell::date(&e.date.start),
        Cell::date(&e.date.end),
        Cell::Text(e.status.clone()),
        Cell::integer(e.injured),
        Cell::text(l.and_then(|l| l.name_ar.as_deref())),
        Cell::Integer(c.reports.len() as i64),
        Cell::Text(c.reports.iter().map(|r| r.article_id.to_string()).collect::<Vec<_>>().join(";")),
        Cell::Text(e.evidence.text.clone()),
        rounded(rasd_record::wire_confidence(e.confidence), 2),
    ];
    debug_assert_eq!(cells.len(), COLUMNS.len());
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acleds_columns_come_first_in_acleds_order() {
        let acled: Vec<&str> = acled_columns().collect();
        assert_eq!(acled.len(), 31);
        assert_eq!(acled[..4], ["event_id_cnty", "event_date", "year", "time_precision"]);
        assert_eq!(acled[30], "timestamp");
        assert!(COLUMNS[31..].iter().all(|c| !c.acled), "rasd's columns follow ACLED's");
    }

    #[test]
    fn column_names_are_unique() {
        let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len());
    }
}
