//! Plain text pages: the whole file is the text, decoded; the pipeline's cleaner deals with
//! titles and site furniture.

use crate::{decode, Document, Item};

/// Reads a text file's bytes as one document.
pub(crate) fn read(origin: String, bytes: &[u8]) -> Item {
    match decode::decode_text(bytes, None) {
        Ok(d) if d.text.trim().is_empty() => Item::failed(origin, "empty file: no text to read"),
        Ok(d) => Item::Document(Document {
            origin,
            text: d.text,
            warnings: d.warning.into_iter().collect(),
            ..Document::default()
        }),
        Err(reason) => Item::failed(origin, reason),
    }
}
