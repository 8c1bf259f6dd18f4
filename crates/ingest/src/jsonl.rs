//! JSONL corpora (`.jsonl`, `.ndjson`): one article per line, read one line at a time. Fields
//! (unknown ones ignored): `title`; text from `content`, `text` or `body`; date from
//! `published`, `date_published`, `date` or `date_extracted`; `url` or `link`; outlet from
//! `source` or `outlet`; `author`; `language` or `lang` — the shared corpus's
//! `source, url, date_extracted, title, author, content` among them. A bad line gives a failure
//! with its origin `path:LINE`; the following lines go on. A date that cannot be read leaves the
//! document undated.

use std::io::{BufRead, Read};

use serde::Deserialize;

use crate::walk::describe_io;
use crate::{date, non_empty, titled_text, Document, Item, MAX_DOCUMENT_BYTES};

/// One line's fields.
#[derive(Deserialize)]
struct Line {
    title: Option<String>,
    content: Option<String>,
    text: Option<String>,
    body: Option<String>,
    published: Option<String>,
    date_published: Option<String>,
    date: Option<String>,
    date_extracted: Option<String>,
    url: Option<String>,
    link: Option<String>,
    source: Option<String>,
    outlet: Option<String>,
    author: Option<String>,
    language: Option<String>,
    lang: Option<String>,
}

/// The items of a JSONL input, one line at a time.
pub(crate) struct Lines {
    origin: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    buf: Vec<u8>,
    done: bool,
}

impl Lines {
    /// Lines of `reader`, items named `origin:LINE`.
    pub(crate) fn new(origin: String, reader: Box<dyn BufRead + Send>) -> Lines {
        Lines { origin, reader, line: 0, buf: Vec::new(), done: false }
    }

    /// Reads the next line into `buf` (without its end); `Ok(false)` at the end, `Err` for a
    /// line over the size limit (skipped) or a read error.
    fn read_line(&mut self) -> Result<bool, String> {
        self.buf.clear();
        let n = (&mut self.reader).take(MAX_DOCUMENT_BYTES + 1).read_until(b'\n', &mut self.buf);
        let n = n.map_err(|e| {
            self.done = true;
            describe_io(&e)
        })?;
        if n == 0 {
            return Ok(false);
        }
        self.line += 1;
        if self.buf.len() as u64 > MAX_DOCUMENT_BYTES {
            self.skip_rest_of_line()?;
            return Err(format!("line too long for one document (over {} MB)", MAX_DOCUMENT_BYTES / (1024 * 1024)));
        }
        while self.buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
            self.buf.pop();
        }
        Ok(true)
    }

    fn skip_rest_of_line(&mut self) -> Result<(), String> {
        if self.buf.last() == Some(&b'\n') {
            return Ok(());
        }
        loop {
            let chunk = self.reader.fill_buf().map_err(|e| {
                self.done = true;
                describe_io(&e)
            })?;
            if chunk.is_empty() {
                return Ok(());
            }
            let (used, end) = match chunk.iter().position(|&b| b == b'\n') {
                Some(at) => (at + 1, true),
                None => (chunk.len(), false),
            };
            self.reader.consume(used);
            if end {
                return Ok(());
            }
        }
    }
}

impl Iterator for Lines {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            let read = self.read_line();
            let origin = format!("{}:{}", self.origin, self.line);
            match read {
                Ok(false) => self.done = true,
                Err(reason) => return Some(Item::failed(origin, reason)),
                Ok(true) => {
                    let mut line = &self.buf[..];
                    if self.line == 1 {
                        line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
                    }
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(parse(origin, line));
                }
            }
        }
        None
    }
}

/// The document of one line.
fn parse(origin: String, line: &[u8]) -> Item {
    let line: Line = match serde_json::from_slice(line) {
        Ok(line) => line,
        Err(e) => return Item::failed(origin, format!("invalid JSON: {e}")),
    };
    let Some(body) = [line.content, line.text, line.body].into_iter().flatten().find_map(non_empty) else {
        return Item::failed(origin, "no text (fields content, text or body)");
    };
    let title = line.title.and_then(non_empty);
    let published = [line.published, line.date_published, line.date, line.date_extracted]
        .into_iter()
        .flatten()
        .find_map(|d| date::parse(&d));
    Item::Document(Document {
        origin,
        text: titled_text(title.as_deref(), &body),
        title,
        published,
        outlet: line.source.or(line.outlet).and_then(non_empty),
        url: line.url.or(line.link).and_then(non_empty),
        language: line.language.or(line.lang).and_then(non_empty),
        author: line.author.and_then(non_empty),
        warnings: Vec::new(),
    })
}
