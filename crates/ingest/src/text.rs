//! Plain text pages: the whole file is the text, decoded; the pipeline's cleaner deals with
//! titles and site furniture.

use crate::{decode, Document, Item};

/// Reads a text file's bytes as one document.
pub(crate) fn read(origin: String, bytes: &[u8]) -> Item {
    match decode::decode(bytes, None) {
        Ok(text) if text.trim().is_empty() => Item::failed(origin, "empty file: no text to read"),
        Ok(text) => Item::Document(Document { origin, text, ..Document::default() }),
        Err(reason) => Item::failed(origin, reason),
    }
}
