//! Parquet export through Arrow: the contract's columns with their types (text `Utf8`, whole
//! numbers `Int64`, real numbers `Float64`, days `Date32`), nullable where the contract says a
//! column may be empty, for pandas, DuckDB and R.

use std::io::Write;
use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Array, Float64Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use rasd_store::Cluster;

use crate::contract::{self, Cell, Column, ColumnType, COLUMNS};
use crate::ExportError;

/// The Arrow type of a contract type.
fn arrow_type(kind: ColumnType) -> DataType {
    match kind {
        ColumnType::Text => DataType::Utf8,
        ColumnType::Integer => DataType::Int64,
        ColumnType::Float => DataType::Float64,
        ColumnType::Date => DataType::Date32,
    }
}

/// The Arrow schema of the contract.
pub(crate) fn schema() -> Schema {
    Schema::new(COLUMNS.iter().map(|c| Field::new(c.name, arrow_type(c.kind), c.nullable)).collect::<Vec<_>>())
}

fn days_since_epoch(day: NaiveDate) -> Option<i32> {
    i32::try_from((day - NaiveDate::from_ymd_opt(1970, 1, 1)?).num_days()).ok()
}

/// One column's array from the rows' cells at `index`.
fn array(column: &Column, index: usize, rows: &[Vec<Cell>]) -> ArrayRef {
    let cells = rows.iter().map(|r| &r[index]);
    match column.kind {
        ColumnType::Text => Arc::new(
            cells.map(|c| if let Cell::Text(t) = c { Some(t.as_str()) } else { None }).collect::<StringArray>(),
        ),
        ColumnType::Integer => {
            Arc::new(cells.map(|c| if let Cell::Integer(n) = c { Some(*n) } else { None }).collect::<Int64Array>())
        }
        ColumnType::Float => {
            Arc::new(cells.map(|c| if let Cell::Float(x) = c { Some(*x) } else { None }).collect::<Float64Array>())
        }
        ColumnType::Date => Arc::new(
            cells.map(|c| if let Cell::Date(d) = c { days_since_epoch(*d) } else { None }).collect::<Date32Array>(),
        ),
    }
}

/// Writes every cluster (located or not).
pub(crate) fn write(clusters: &[Cluster], out: &mut (impl Write + Send)) -> Result<(), ExportError> {
    let rows: Vec<Vec<Cell>> = clusters.iter().map(contract::row).collect();
    for (row, cluster) in rows.iter().zip(clusters) {
        if let Some(column) = COLUMNS.iter().zip(row).find(|(c, cell)| !c.nullable && **cell == Cell::Empty) {
            return Err(ExportError::Parquet(format!("cluster {}: {} is empty", cluster.id, column.0.name)));
        }
    }
    let schema = Arc::new(schema());
    let arrays = COLUMNS.iter().enumerate().map(|(i, c)| array(c, i, &rows)).collect();
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| ExportError::Parquet(e.to_string()))?;
    let mut writer = ArrowWriter::try_new(out, schema, None).map_err(|e| ExportError::Parquet(e.to_string()))?;
    writer.write(&batch).map_err(|e| ExportError::Parquet(e.to_string()))?;
    writer.close().map_err(|e| ExportError::Parquet(e.to_string()))?;
    Ok(())
}
