//! Exports of event clusters (one row per event, every source of it): the formats analysts
//! already use.
//!
//! CSV, Parquet and GeoJSON share one data contract ([`COLUMNS`], `docs/data-contract.md`):
//! ACLED's columns in ACLED's order, so notebooks written for ACLED exports run unchanged, then
//! rasd's own, with the same names, meanings and types in every format.
//!
//! * [`Format::Csv`]: the contract, one row per event with a place (ACLED rows always have one,
//!   and so every integer column loads as integers); [`Written::left_out`] counts the others.
//! * [`Format::Parquet`]: the contract with typed, nullable columns; every event.
//! * [`Format::Geojson`]: a FeatureCollection, each feature's properties the contract's columns;
//!   every event, those without a place with a null geometry (RFC 7946, section 3.2).
//! * [`Format::Jsonl`]: one cluster per line, with every source's reading.
//! * [`Format::Table`]: a readable table for a terminal.
//!
//! Only this crate (and `rasd-record`) defines wire formats; the store hands it plain clusters.
#![deny(missing_docs)]

mod contract;
mod csv_out;
mod parquet_out;

use std::io::Write;

use rasd_store::{Cluster, ClusterSummary};

pub use contract::{acled_columns, Column, ColumnType, COLUMNS};

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A readable table.
    Table,
    /// One JSON object per cluster per line.
    Jsonl,
    /// ACLED-compatible CSV.
    Csv,
    /// GeoJSON FeatureCollection.
    Geojson,
    /// Apache Parquet.
    Parquet,
}

/// What can go wrong while exporting.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing failed.
    #[error("write: {0}")]
    Io(#[from] std::io::Error),
    /// CSV writing failed.
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    /// JSON writing failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// Parquet writing failed.
    #[error("parquet: {0}")]
    Parquet(String),
}

/// What an export wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    /// Events written.
    pub events: usize,
    /// Events the format leaves out (the CSV's events without a place).
    pub left_out: usize,
}

/// Writes clusters in a format.
pub fn write(format: Format, clusters: &[Cluster], out: &mut (impl Write + Send)) -> Result<Written, ExportError> {
    let every = Written { events: clusters.len(), left_out: 0 };
    match format {
        Format::Table => table(clusters, out).map(|()| every),
        Format::Jsonl => jsonl(clusters, out).map(|()| every),
        Format::Csv => {
            csv_out::write(clusters, out).map(|events| Written { events, left_out: clusters.len() - events })
        }
        Format::Geojson => geojson(clusters, out).map(|()| every),
        Format::Parquet => parquet_out::write(clusters, out).map(|()| every),
    }
}

/// The JSON of one cluster: its id, the first report's reading, the best estimates and every
/// source's report.
pub fn cluster_json(c: &Cluster) -> serde_json::Value {
    serde_json::json!({
        "cluster_id": c.id,
        "event": c.event(),
        "fatalities_best": c.fatalities(),
        "outlets": c.outlets(),
        "reports": c.reports.iter().map(|r| serde_json::json!({
            "event_id": r.event_id, "article_id": r.article_id, "outlet": r.outlet,
            "published": r.published, "fatalities": r.fatalities, "sources": r.event.sources,
            "evidence": r.event.evidence,
        })).collect::<Vec<_>>(),
    })
}

fn jsonl(clusters: &[Cluster], out: &mut impl Write) -> Result<(), ExportError> {
    for c in clusters {
        serde_json::to_writer(&mut *out, &cluster_json(c))?;
        writeln!(out)?;
    }
    Ok(())
}

/// The flat summary of one cluster (its first report's reading, the best fatality estimate and
/// every outlet): the properties of a GeoJSON feature and a row of `GET /api/events`.
pub fn summary_json(s: &ClusterSummary) -> serde_json::Value {
    let m = &s.marker;
    serde_json::json!({
        "id": m.id, "event_type": m.event_type, "sub_event_type": m.sub_event_type, "status": m.status,
        "date_start": m.date_start, "date_end": m.date_end, "precision": s.precision,
        "location": m.location, "location_ar": m.location_ar,
        "admin1": m.admin1, "country": s.country,
        "lat": m.point.map(|p| p[1]), "lon": m.point.map(|p| p[0]), "geo_precision": s.geo_precision,
        "actor1": s.actor1, "actor2": s.actor2,
        "fatalities": m.fatalities, "sources": s.sources, "reports": s.reports,
        "article_id": s.article_id, "evidence": s.evidence, "confidence": rasd_record::wire_confidence(s.confidence),
    })
}

/// A GeoJSON FeatureCollection of the clusters that have a place, each feature's properties
/// its [`summary_json`].
pub fn geojson_value(summaries: &[ClusterSummary]) -> serde_json::Value {
    let features: Vec<serde_json::Value> = summaries
        .iter()
        .filter_map(|s| {
            let point = s.marker.point?;
            Some(serde_json::json!({
                "type": "Feature",
                "id": s.marker.id,
                "geometry": {"type": "Point", "coordinates": point},
                "properties": summary_json(s),
            }))
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features})
}

/// The exported GeoJSON: every cluster a feature whose properties are the contract's columns,
/// a point where the event has a place and a null geometry where it has none.
fn geojson(clusters: &[Cluster], out: &mut impl Write) -> Result<(), ExportError> {
    write!(out, r#"{{"type":"FeatureCollection","features":["#)?;
    for (i, c) in clusters.iter().enumerate() {
        let properties: serde_json::Map<String, serde_json::Value> =
            COLUMNS.iter().zip(contract::row(c)).map(|(column, cell)| (column.name.to_string(), cell.into())).collect();
        let geometry =
            c.event().location.as_ref().map(|l| serde_json::json!({"type": "Point", "coordinates": [l.lon, l.lat]}));
        let feature =
            serde_json::json!({"type": "Feature", "id": c.id, "geometry": geometry, "properties": properties});
        if i > 0 {
            write!(out, ",")?;
        }
        serde_json::to_writer(&mut *out, &feature)?;
    }
    writeln!(out, "]}}")?;
    Ok(())
}

fn table(clusters: &[Cluster], out: &mut impl Write) -> Result<(), ExportError> {
    writeln!(out, "{:>6}  {:<23}  {:<34}  {:<28}  {:>6}  sources", "id", "date", "sub-event type", "place", "killed")?;
    for c in clusters {
        let e = c.event();
        let date = if e.date.start == e.date.end {
            e.date.start.clone()
        } else {
            format!("{}…{}", e.date.start, e.date.end)
        };
        let place = e
            .location
            .as_ref()
            .map_or("—".to_string(), |l| format!("{}, {}", l.name, l.admin1.as_deref().unwrap_or(&l.country)));
        let killed = c.fatalities().map_or("—".to_string(), |f| f.to_string());
        let status = if e.status == "occurred" { String::new() } else { format!(" [{}]", e.status) };
        writeln!(
            out,
            "{:>6}  {:<23}  {:<34}  {:<28}  {:>6}  {}",
            c.id,
            date,
            format!("{}{status}", e.sub_event_type),
            truncate(&place, 28),
            killed,
            c.outlets().join("; ")
        )?;
    }
    Ok(())
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}
