//! Parquet export through Arrow: typed columns (dates as Date32, coordinates as Float64,
//! counts as Int32) for pandas, DuckDB and R.

use std::io::Write;
use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Array, Float64Array, Int32Array, Int64Array, StringArray, UInt8Array};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use rasd_store::Cluster;

use crate::ExportError;

fn days_since_epoch(iso: &str) -> Option<i32> {
    let date: chrono::NaiveDate = iso.parse().ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((date - epoch).num_days()).ok()
}

pub(crate) fn write(clusters: &[Cluster], out: &mut (impl Write + Send)) -> Result<(), ExportError> {
    let events: Vec<&rasd_record::Event> = clusters.iter().map(|c| c.event()).collect();
    let text = |f: &dyn Fn(&rasd_record::Event) -> Option<String>| -> ArrayRef {
        Arc::new(events.iter().map(|e| f(e)).collect::<StringArray>())
    };
    let columns: Vec<(&str, DataType, bool, ArrayRef)> = vec![
        ("cluster_id", DataType::Int64, false, Arc::new(clusters.iter().map(|c| c.id).collect::<Int64Array>())),
        ("event_type", DataType::Utf8, false, text(&|e| Some(e.event_type.clone()))),
        ("sub_event_type", DataType::Utf8, false, text(&|e| Some(e.sub_event_type.clone()))),
        ("status", DataType::Utf8, false, text(&|e| Some(e.status.clone()))),
        (
            "date_start",
            DataType::Date32,
            true,
            Arc::new(events.iter().map(|e| days_since_epoch(&e.date.start)).collect::<Date32Array>()),
        ),
        (
            "date_end",
            DataType::Date32,
            true,
            Arc::new(events.iter().map(|e| days_since_epoch(&e.date.end)).collect::<Date32Array>()),
        ),
        (
            "time_precision",
            DataType::UInt8,
            false,
            Arc::new(events.iter().map(|e| Some(e.date.precision)).collect::<UInt8Array>()),
        ),
        ("location", DataType::Utf8, true, text(&|e| e.location.as_ref().map(|l| l.name.clone()))),
        ("admin1", DataType::Utf8, true, text(&|e| e.location.as_ref().and_then(|l| l.admin1.clone()))),
        ("country", DataType::Utf8, true, text(&|e| e.location.as_ref().map(|l| l.country.clone()))),
        (
            "latitude",
            DataType::Float64,
            true,
            Arc::new(events.iter().map(|e| e.location.as_ref().map(|l| l.lat)).collect::<Float64Array>()),
        ),
        (
            "longitude",
            DataType::Float64,
            true,
            Arc::new(events.iter().map(|e| e.location.as_ref().map(|l| l.lon)).collect::<Float64Array>()),
        ),
        (
            "geo_precision",
            DataType::UInt8,
            true,
            Arc::new(events.iter().map(|e| e.location.as_ref().map(|l| l.geo_precision)).collect::<UInt8Array>()),
        ),
        ("actor1", DataType::Utf8, true, text(&|e| e.actor1.as_ref().map(|a| a.name.clone()))),
        ("actor2", DataType::Utf8, true, text(&|e| e.actor2.as_ref().map(|a| a.name.clone()))),
        (
            "fatalities",
            DataType::Int32,
            true,
            Arc::new(clusters.iter().map(|c| c.fatalities().map(|f| f as i32)).collect::<Int32Array>()),
        ),
        (
            "injured",
            DataType::Int32,
            true,
            Arc::new(events.iter().map(|e| e.injured.map(|f| f as i32)).collect::<Int32Array>()),
        ),
        (
            "sources",
            DataType::Utf8,
            false,
            Arc::new(clusters.iter().map(|c| Some(c.outlets().join("; "))).collect::<StringArray>()),
        ),
        ("evidence", DataType::Utf8, false, text(&|e| Some(e.evidence.text.clone()))),
        (
            "confidence",
            DataType::Float64,
            false,
            Arc::new(events.iter().map(|e| Some(rasd_record::wire_confidence(e.confidence))).collect::<Float64Array>()),
        ),
    ];
    let schema = Arc::new(Schema::new(
        columns.iter().map(|(n, t, null, _)| Field::new(*n, t.clone(), *null)).collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, _, _, a)| a).collect())
        .map_err(|e| ExportError::Parquet(e.to_string()))?;
    let mut writer = ArrowWriter::try_new(out, schema, None).map_err(|e| ExportError::Parquet(e.to_string()))?;
    writer.write(&batch).map_err(|e| ExportError::Parquet(e.to_string()))?;
    writer.close().map_err(|e| ExportError::Parquet(e.to_string()))?;
    Ok(())
}
