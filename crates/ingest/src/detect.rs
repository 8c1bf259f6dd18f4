//! Telling an input's format: by its extension, then by its first bytes; and handing it to the
//! reader of that format.

use std::io::{BufRead, Cursor, Read};

use crate::walk::describe_io;
use crate::{archive, feed, html, jsonl, text, Item, MAX_DOCUMENT_BYTES};

/// How many bytes are looked at to tell a format.
const SNIFF_BYTES: usize = 1024;

/// An opened input, not yet read.
pub(crate) struct Input {
    /// The origin of its items (the path, or `-`).
    pub origin: String,
    /// Its file name, for the extension (empty for standard input).
    pub name: String,
    /// Its bytes.
    pub reader: Box<dyn BufRead + Send>,
    /// Its size, when known before reading.
    pub size: Option<u64>,
}

/// The formats rasd reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Html,
    Feed,
    Warc,
    WarcGz,
    Jsonl,
}

/// The format a file name's extension says, if it says one.
pub(crate) fn by_name(name: &str) -> Option<Format> {
    let name = name.to_ascii_lowercase();
    let ext = |e: &str| name.ends_with(e);
    Some(if ext(".warc.gz") {
        Format::WarcGz
    } else if ext(".warc") {
        Format::Warc
    } else if ext(".txt") || ext(".text") {
        Format::Text
    } else if ext(".html") || ext(".htm") || ext(".xhtml") {
        Format::Html
    } else if ext(".xml") || ext(".rss") || ext(".atom") {
        Format::Feed
    } else if ext(".jsonl") || ext(".ndjson") {
        Format::Jsonl
    } else {
        return None;
    })
}

/// The format the first bytes suggest; text when nothing else fits.
pub(crate) fn sniff(prefix: &[u8]) -> Format {
    if prefix.starts_with(&[0x1f, 0x8b]) {
        return Format::WarcGz;
    }
    if prefix.starts_with(b"WARC/") {
        return Format::Warc;
    }
    let head = match encoding_rs::Encoding::for_bom(prefix) {
        Some((encoding, _)) => encoding.decode_with_bom_removal(prefix).0.into_owned(),
        None => String::from_utf8_lossy(prefix).into_owned(),
    };
    let head = head.trim_start_matches(['\u{feff}', '\u{fffd}']).trim_start().to_ascii_lowercase();
    if head.starts_with('{') {
        return Format::Jsonl;
    }
    if !head.starts_with('<') {
        return Format::Text;
    }
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        Format::Html
    } else if head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf") {
        Format::Feed
    } else if ["<html", "<head", "<body", "<div", "<p>", "<article"].iter().any(|t| head.contains(t)) {
        Format::Html
    } else if head.starts_with("<?xml") {
        Format::Feed
    } else {
        Format::Text
    }
}

/// The items of one input: its documents and failures, read as the format requires.
pub(crate) fn items(input: Input) -> Box<dyn Iterator<Item = Item> + Send> {
    let Input { origin, name, mut reader, size } = input;
    let mut prefix = Vec::with_capacity(SNIFF_BYTES);
    if let Err(e) = (&mut reader).take(SNIFF_BYTES as u64).read_to_end(&mut prefix) {
        return one(Item::failed(origin, describe_io(&e)));
    }
    let format = by_name(&name).unwrap_or_else(|| sniff(&prefix));
    let reader: Box<dyn BufRead + Send> = Box::new(Cursor::new(prefix).chain(reader));
    match format {
        Format::Jsonl => Box::new(jsonl::Lines::new(origin, reader)),
        Format::Warc => archive::records(origin, reader, false),
        Format::WarcGz => archive::records(origin, reader, true),
        Format::Text | Format::Html | Format::Feed => {
            let bytes = match read_whole(reader, size) {
                Ok(bytes) => bytes,
                Err(reason) => return one(Item::failed(origin, reason)),
            };
            match format {
                Format::Text => one(text::read(origin, &bytes)),
                Format::Html => one(html::read(origin, &bytes)),
                _ => Box::new(feed::read(&origin, &bytes).into_iter()),
            }
        }
    }
}

fn one(item: Item) -> Box<dyn Iterator<Item = Item> + Send> {
    Box::new(std::iter::once(item))
}

/// Reads a whole single-document input, refusing one over [`MAX_DOCUMENT_BYTES`].
fn read_whole(reader: Box<dyn BufRead + Send>, size: Option<u64>) -> Result<Vec<u8>, String> {
    let too_large = |len: u64| {
        format!(
            "too large for one document: {:.1} MB (the limit is {} MB)",
            len as f64 / 1e6,
            MAX_DOCUMENT_BYTES / (1024 * 1024)
        )
    };
    if let Some(len) = size.filter(|&len| len > MAX_DOCUMENT_BYTES) {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(size.unwrap_or(0) as usize);
    reader.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| describe_io(&e))?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_first() {
        assert_eq!(by_name("a/B.WARC.GZ"), Some(Format::WarcGz));
        assert_eq!(by_name("x.htm"), Some(Format::Html));
        assert_eq!(by_name("feed.atom"), Some(Format::Feed));
        assert_eq!(by_name("c.ndjson"), Some(Format::Jsonl));
        assert_eq!(by_name("page"), None);
    }

    #[test]
    fn sniffs_first_bytes() {
        assert_eq!(sniff(b"\xef\xbb\xbf  <!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><rss version=\"2.0\">"), Format::Feed);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"), Format::Feed);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><html>"), Format::Html);
        assert_eq!(sniff(b"{\"title\": 1}\n"), Format::Jsonl);
        assert_eq!(sniff(b"WARC/1.0\r\n"), Format::Warc);
        assert_eq!(sniff(&[0x1f, 0x8b, 8, 0]), Format::WarcGz);
        assert_eq!(sniff("قصف على إدلب".as_bytes()), Format::Text);
        assert_eq!(sniff(b"<b>not a page"), Format::Text);
        assert_eq!(sniff(b""), Format::Text);
    }

    /// Standard input: no name, no size known; sniffed, streamed, and limited while read.
    fn stdin(bytes: &[u8]) -> Vec<Item> {
        let reader = Box::new(Cursor::new(bytes.to_vec()));
        items(Input { origin: "-".into(), name: String::new(), reader, size: None }).collect()
    }

    #[test]
    fn standard_input_is_sniffed() {
        let got = stdin(b"{\"content\": \"a\"}\n{\"content\": \"b\"}\n");
        let origins: Vec<_> = got
            .iter()
            .map(|i| match i {
                Item::Document(d) => d.origin.clone(),
                Item::Failed { origin, .. } => origin.clone(),
            })
            .collect();
        assert_eq!(origins, ["-:1", "-:2"]);
        let Item::Document(d) = &stdin("<!DOCTYPE html><html><body><p>نص قصير.</p></body></html>".as_bytes())[0]
        else {
            panic!()
        };
        assert_eq!((d.origin.as_str(), d.text.as_str()), ("-", "نص قصير."));
        let too_large = stdin(&vec![b'x'; MAX_DOCUMENT_BYTES as usize + 1]);
        assert!(
            matches!(&too_large[0], Item::Failed { origin, reason } if origin == "-" && reason.starts_with("too large"))
        );
    }
}
