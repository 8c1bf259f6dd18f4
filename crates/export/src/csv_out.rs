//! ACLED-compatible CSV: the contract's columns (ACLED's, then rasd's), one row per located
//! event, as in ACLED's exports, so every integer column loads as integers.

use std::io::Write;

use rasd_store::Cluster;

use crate::contract::{self, Cell, COLUMNS};
use crate::ExportError;

/// The text of a cell in a CSV field.
fn field(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Integer(n) => n.to_string(),
        Cell::Float(x) => x.to_string(),
        Cell::Date(day) => day.format("%Y-%m-%d").to_string(),
        Cell::Empty => String::new(),
    }
}

/// Writes the located clusters; returns how many rows were written.
pub(crate) fn write(clusters: &[Cluster], out: &mut impl Write) -> Result<usize, ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS.iter().map(|c| c.name))?;
    let mut rows = 0;
    for c in clusters.iter().filter(|c| c.event().location.is_some()) {
        w.write_record(contract::row(c).iter().map(field))?;
        rows += 1;
    }
    w.flush()?;
    Ok(rows)
}
