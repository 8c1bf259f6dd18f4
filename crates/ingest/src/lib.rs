//! Inputs of rasd: the paths a user gives, read as a stream of documents.
//!
//! [`read`] takes paths (files, directories, `-` for standard input) and yields one [`Item`] per
//! article: a [`Document`] with its plain text and whatever metadata the input carries, or
//! [`Item::Failed`] with the origin and the reason. It never panics and never stops at a bad
//! item; it streams, so a large JSONL corpus or WARC archive is read one record at a time and a
//! directory is listed one level at a time, in sorted order.
//!
//! Each input's format is told by its extension, then by its first bytes:
//!
//! | format | extensions | one document per | module |
//! |---|---|---|---|
//! | plain text | `.txt` (and any text not recognised otherwise) | file | `text` |
//! | HTML page | `.html`, `.htm`, `.xhtml`; `<!doctype`, `<html` | file (main text only) | `html` |
//! | RSS / Atom | `.xml`, `.rss`, `.atom`; `<rss`, `<feed`, `<rdf:RDF` | item | `feed` |
//! | WARC | `.warc`, `.warc.gz`; `WARC/`, gzip | HTML `response` record | `archive` |
//! | JSONL | `.jsonl`, `.ndjson`; `{` | line | `jsonl` |
//!
//! Bytes become text in `decode` (UTF-8 with or without BOM, UTF-16 with BOM, legacy
//! encodings such as windows-1256 detected); directories and standard input in `walk`.
//!
//! ```
//! use rasd_ingest::{read, Item, Options};
//!
//! let dir = std::env::temp_dir().join(format!("rasd-ingest-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("a.txt"), "قصف على ريف إدلب\n\nقتل خمسة مدنيين.").unwrap();
//! std::fs::write(
//!     dir.join("b.jsonl"),
//!     "{\"title\": \"T\", \"content\": \"Body.\", \"date\": \"2015-07-21 02:51:48\", \"source\": \"aawsat\"}\nnot json\n",
//! )
//! .unwrap();
//!
//! let items: Vec<Item> = read(&[dir.display().to_string()], &Options::default()).collect();
//! assert_eq!(items.len(), 3);
//! let Item::Document(a) = &items[0] else { panic!() };
//! assert!(a.origin.ends_with("a.txt"));
//! assert_eq!(a.text, "قصف على ريف إدلب\n\nقتل خمسة مدنيين.");
//! let Item::Document(b) = &items[1] else { panic!() };
//! assert!(b.origin.ends_with("b.jsonl:1"));
//! assert_eq!(b.text, "T\n\nBody.");
//! assert_eq!(b.published, chrono::NaiveDate::from_ymd_opt(2015, 7, 21));
//! assert_eq!(b.outlet.as_deref(), Some("aawsat"));
//! let Item::Failed { origin, reason } = &items[2] else { panic!() };
//! assert!(origin.ends_with("b.jsonl:2"));
//! assert!(reason.starts_with("invalid JSON"));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
#![deny(missing_docs)]

mod archive;
mod date;
mod decode;
mod detect;
mod feed;
mod html;
mod jsonl;
mod text;
mod walk;

use chrono::NaiveDate;

pub use decode::{content_type_charset, decode_text, Decoded};
pub use walk::read_file;

/// The largest single document rasd reads, in bytes: a text or HTML file, a feed, a JSONL line
/// or a WARC record. JSONL and WARC files themselves may be larger: they are streamed.
pub const MAX_DOCUMENT_BYTES: u64 = 10 * 1024 * 1024;

/// One article read from an input, before analysis. It is also what `rasd queue push` sends
/// to `rasd worker` (as JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// Where it came from: `path`, `path:LINE` for JSONL, `path#N` for feed items and WARC
    /// records, `-` for standard input.
    pub origin: String,
    /// Plain text for the pipeline. For HTML, feeds and JSONL: the title line first, then the
    /// paragraphs separated by blank lines; for plain text, the whole file.
    pub text: String,
    /// The headline, when the input names one.
    pub title: Option<String>,
    /// The publication date, as the input gives it (the local date of a timestamp).
    pub published: Option<NaiveDate>,
    /// The outlet (site name, feed title, JSONL `source`).
    pub outlet: Option<String>,
    /// The article's URL (canonical URL, feed item link, WARC target URI).
    pub url: Option<String>,
    /// The language the input declares (`<html lang>`, a feed's or a JSON line's language).
    pub language: Option<String>,
    /// The author or byline, when the input names one.
    pub author: Option<String>,
    /// What the reader should know about how it was read (bad bytes replaced).
    pub warnings: Vec<String>,
}

/// What reading yields: a document, or a failure with its origin and reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// An article read successfully.
    Document(Document),
    /// An input (or one line or record of it) that could not be read.
    Failed {
        /// Where it came from, as in [`Document::origin`].
        origin: String,
        /// Why it could not be read, in words.
        reason: String,
    },
}

impl Item {
    pub(crate) fn failed(origin: impl Into<String>, reason: impl Into<String>) -> Item {
        Item::Failed { origin: origin.into(), reason: reason.into() }
    }
}

/// Options for [`read`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Drop dated documents published before this day.
    pub since: Option<NaiveDate>,
    /// Drop dated documents published after this day.
    pub until: Option<NaiveDate>,
}

impl Options {
    /// Whether a document falls inside the window. Undated documents always do.
    pub fn admits(&self, doc: &Document) -> bool {
        match doc.published {
            None => true,
            Some(day) => self.since.is_none_or(|s| day >= s) && self.until.is_none_or(|u| day <= u),
        }
    }
}

/// Reads every input in order (directories recursively, entries sorted by path); never panics,
/// never stops at a bad item. See [`Reader::dropped`] for documents outside the date window.
pub fn read(paths: &[String], options: &Options) -> Reader {
    Reader { walk: walk::Walk::new(paths), current: None, options: options.clone(), dropped: 0 }
}

/// Reads one input given as bytes (a page fetched over HTTP, a fuzzer's input): its format is
/// told by `name`'s extension, then by sniffing, as for a file; items are named from `origin`.
/// The date window does not apply.
///
/// ```
/// use rasd_ingest::{read_bytes, Item};
/// let html = b"<html lang=ar><body><article><p>\xd9\x86\xd8\xb5.</p></article></body></html>".to_vec();
/// let items: Vec<Item> = read_bytes("page-1", "", html).collect();
/// assert!(matches!(&items[0], Item::Document(d) if d.text == "نص." && d.language.as_deref() == Some("ar")));
/// ```
pub fn read_bytes(origin: &str, name: &str, bytes: Vec<u8>) -> impl Iterator<Item = Item> {
    let size = Some(bytes.len() as u64);
    let reader = Box::new(std::io::Cursor::new(bytes));
    detect::items(detect::Input { origin: origin.to_string(), name: name.to_string(), reader, size })
}

/// The targets of an HTML page's links (`<a href>`), as written, in document order (an index
/// page's articles, for `rasd watch`).
///
/// ```
/// let links = rasd_ingest::links("<p><a href='/a/1'>one</a> <a name=x>no</a> <a href=' https://b.example/2 '>two</a>");
/// assert_eq!(links, ["/a/1", "https://b.example/2"]);
/// ```
pub fn links(html: &str) -> Vec<String> {
    html::links(html)
}

/// The stream of [`Item`]s that [`read`] returns. It is `Send`: one thread can read while
/// others analyse.
pub struct Reader {
    walk: walk::Walk,
    current: Option<Box<dyn Iterator<Item = Item> + Send>>,
    options: Options,
    dropped: usize,
}

impl Reader {
    /// How many documents so far fell outside [`Options::since`]/[`Options::until`] and were
    /// dropped.
    pub fn dropped(&self) -> usize {
        self.dropped
    }
}

impl Iterator for Reader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(current) = &mut self.current {
                match current.next() {
                    Some(Item::Document(doc)) if !self.options.admits(&doc) => self.dropped += 1,
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
                continue;
            }
            self.current = Some(self.walk.next()?);
        }
    }
}

/// Joins a title and a body into the text the pipeline reads: the title line, a blank line, the
/// body; the title is not repeated when the body already starts with it.
pub(crate) fn titled_text(title: Option<&str>, body: &str) -> String {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) if !body.starts_with(t) && !body.is_empty() => format!("{t}\n\n{body}"),
        Some(t) if body.is_empty() => t.to_string(),
        _ => body.to_string(),
    }
}

/// A non-empty trimmed string, or `None`.
pub(crate) fn non_empty(s: impl AsRef<str>) -> Option<String> {
    let s = s.as_ref().trim();
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reader_is_send() {
        fn send<T: Send>(_: T) {}
        send(super::read(&[], &super::Options::default()));
    }
}
