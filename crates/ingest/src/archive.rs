//! WARC archives (`.warc`, `.warc.gz`), read record by record: each `response` record whose
//! HTTP status is 2xx and whose payload is HTML becomes a document — HTTP headers stripped,
//! chunked and gzip/deflate transfer undone, the charset from `Content-Type` honoured, and the
//! record's target URI as url. Other records (requests, metadata, images, redirects) are
//! skipped. Records are numbered from 1 in their origin, `path#N`, counting every record.
//!
//! The warc crate parses each header block; the framing around it is bounded here, so that a
//! hostile archive cannot take unbounded memory or lose the good records after a bad one:
//! header lines and blocks have a size limit, a body is read only up to
//! [`MAX_DOCUMENT_BYTES`] (a gzip bomb is never inflated whole), and after a malformed,
//! oversized or truncated record the reader looks for the next `WARC/` line (within
//! [`RESYNC_BYTES`]) and goes on.

use std::io::{BufRead, BufReader, Read};

use warc::{BufferedBody, RawRecordHeader, Record, RecordType, WarcHeader};

use crate::{decode, html, Item, MAX_DOCUMENT_BYTES};

/// The largest WARC header block read.
const MAX_HEADER_BYTES: u64 = 64 * 1024;
/// How far past a bad record the reader looks for the next one before giving up on the file.
pub(crate) const RESYNC_BYTES: u64 = 64 * 1024 * 1024;

/// The items of a WARC file, gzip-compressed or not.
pub(crate) fn records(
    origin: String,
    reader: Box<dyn BufRead + Send>,
    gzip: bool,
) -> Box<dyn Iterator<Item = Item> + Send> {
    let reader: Box<dyn BufRead + Send> = if gzip {
        match libflate::gzip::MultiDecoder::new(reader) {
            Ok(decoder) => Box::new(BufReader::new(decoder)),
            Err(e) => return Box::new(std::iter::once(Item::failed(origin, format!("not a gzip file: {e}")))),
        }
    } else {
        reader
    };
    Box::new(Records { origin, reader, pending: None, count: 0, done: false })
}

/// The documents of a WARC file, one record at a time.
struct Records {
    origin: String,
    reader: Box<dyn BufRead + Send>,
    /// A `WARC/` line found while looking for the next record.
    pending: Option<Vec<u8>>,
    count: usize,
    done: bool,
}

/// Why a record could not be read, and whether the reader must look for the next one.
struct Bad {
    reason: String,
    resync: bool,
}

impl Iterator for Records {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            let record = match self.next_record() {
                Ok(None) => return None,
                Ok(Some(record)) => record,
                Err(bad) => {
                    let origin = format!("{}#{}", self.origin, self.count);
                    if bad.resync {
                        if let Err(reason) = self.resync() {
                            self.done = true;
                            return Some(Item::failed(origin, format!("{}; {reason}", bad.reason)));
                        }
                    } else {
                        self.done = true;
                    }
                    return Some(Item::failed(origin, bad.reason));
                }
            };
            let origin = format!("{}#{}", self.origin, self.count);
            if let Some(item) = response(origin, &record) {
                return Some(item);
            }
        }
        None
    }
}

impl Records {
    /// The next record, `None` at the end of the file.
    fn next_record(&mut self) -> Result<Option<Record<BufferedBody>>, Bad> {
        let Some(block) = self.header_block()? else { return Ok(None) };
        self.count += 1;
        let bad = |reason: String| Bad { reason, resync: true };
        let (version, headers, length) = warc::parser::headers(&block)
            .map(|(_, parsed)| parsed)
            .map_err(|_| bad("malformed WARC record header".to_string()))?;
        let raw = RawRecordHeader {
            version: version.to_string(),
            headers: headers.into_iter().map(|(name, value)| (WarcHeader::from(name), value.to_vec())).collect(),
        };
        let record: Record<warc::EmptyBody> =
            raw.try_into().map_err(|e| bad(format!("malformed WARC record header: {e}")))?;
        if length as u64 > MAX_DOCUMENT_BYTES {
            return Err(bad(format!("WARC record of {length} bytes is too large for one document")));
        }
        let mut body = Vec::with_capacity(length);
        (&mut self.reader)
            .take(length as u64)
            .read_to_end(&mut body)
            .map_err(|e| Bad { reason: format!("cannot read the WARC record: {e}"), resync: false })?;
        if body.len() < length {
            return Err(Bad {
                reason: format!("truncated WARC record: {} of its {length} bytes", body.len()),
                resync: false,
            });
        }
        Ok(Some(record.add_body(body)))
    }

    /// The next header block (from a `WARC/` line to the blank line), `None` at the end.
    fn header_block(&mut self) -> Result<Option<Vec<u8>>, Bad> {
        let mut block = self.pending.take().unwrap_or_default();
        while block.is_empty() {
            match self.line()? {
                None => return Ok(None),
                Some(line) if line.iter().all(u8::is_ascii_whitespace) => {}
                Some(line) => block = line,
            }
        }
        if !block.starts_with(b"WARC/") {
            self.count += 1;
            return Err(Bad { reason: "not a WARC record (no WARC/ version line)".to_string(), resync: true });
        }
        loop {
            let truncated = || Bad { reason: "truncated WARC record header".to_string(), resync: false };
            let Some(line) = self.line()? else {
                self.count += 1;
                return Err(truncated());
            };
            block.extend_from_slice(&line);
            if line == b"\r\n" || line == b"\n" {
                return Ok(Some(block));
            }
            if block.len() as u64 > MAX_HEADER_BYTES {
                self.count += 1;
                return Err(Bad {
                    reason: format!("WARC record header longer than {} KB", MAX_HEADER_BYTES / 1024),
                    resync: true,
                });
            }
        }
    }

    /// One line, at most [`MAX_HEADER_BYTES`] long; `None` at the end of the file.
    fn line(&mut self) -> Result<Option<Vec<u8>>, Bad> {
        let mut line = Vec::new();
        (&mut self.reader)
            .take(MAX_HEADER_BYTES)
            .read_until(b'\n', &mut line)
            .map_err(|e| Bad { reason: format!("cannot read the WARC file: {e}"), resync: false })?;
        Ok((!line.is_empty()).then_some(line))
    }

    /// Skips to the next line that starts a record, within [`RESYNC_BYTES`].
    fn resync(&mut self) -> Result<(), String> {
        let mut skipped = 0u64;
        while skipped < RESYNC_BYTES {
            let Some(line) = self.line().map_err(|bad| bad.reason)? else { return Ok(()) };
            if line.starts_with(b"WARC/") {
                self.pending = Some(line);
                return Ok(());
            }
            skipped += line.len() as u64;
        }
        Err(format!("no WARC record in the next {} MB: the rest of the file is not read", RESYNC_BYTES >> 20))
    }
}

/// The document of a `response` record with an HTML payload; `None` for any other record.
fn response(origin: String, record: &Record<BufferedBody>) -> Option<Item> {
    if *record.warc_type() != RecordType::Response {
        return None;
    }
    if record.body().len() as u64 > MAX_DOCUMENT_BYTES {
        return Some(Item::failed(origin, "WARC record too large for one document"));
    }
    let payload = match http_payload(record.body()) {
        Ok(Some(payload)) => payload,
        Ok(None) => return None,
        Err(reason) => return Some(Item::failed(origin, reason)),
    };
    let charset = payload.charset.or_else(|| decode::declared_charset(&payload.body));
    let item = match decode::decode(&payload.body, charset.as_deref()) {
        Ok(text) => html::document(origin, &text),
        Err(reason) => Item::failed(origin, reason),
    };
    let target = record.header(WarcHeader::TargetURI).map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
    Some(match item {
        Item::Document(mut doc) => {
            doc.url = target.or(doc.url);
            Item::Document(doc)
        }
        failed => failed,
    })
}

/// An HTML payload of an HTTP response.
#[derive(Debug, PartialEq, Eq)]
struct Payload {
    body: Vec<u8>,
    charset: Option<String>,
}

/// The HTML payload of an HTTP response, `None` for a non-2xx status or a non-HTML type.
fn http_payload(message: &[u8]) -> Result<Option<Payload>, String> {
    let (head_len, sep) = match message.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(at) => (at, 4),
        None => (message.windows(2).position(|w| w == b"\n\n").ok_or("no HTTP header in the response record")?, 2),
    };
    let head = String::from_utf8_lossy(&message[..head_len]);
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("no HTTP status line in the response record")?;
    if !(200..300).contains(&status) {
        return Ok(None);
    }
    let header = |name: &str| {
        head.lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_ascii_lowercase())
    };
    let mut body = message[head_len + sep..].to_vec();
    if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        body = dechunk(&body)?;
    }
    match header("content-encoding").as_deref() {
        None | Some("" | "identity") => {}
        Some("gzip" | "x-gzip") => body = inflate(libflate::gzip::Decoder::new(&body[..]))?,
        Some("deflate") => body = inflate(libflate::zlib::Decoder::new(&body[..]))?,
        Some(other) => return Err(format!("unsupported HTTP content encoding: {other}")),
    }
    let content_type = header("content-type");
    let is_html = match &content_type {
        Some(t) => t.contains("html"),
        None => {
            let start = String::from_utf8_lossy(&body[..body.len().min(512)]).trim_start().to_ascii_lowercase();
            start.starts_with("<!doctype html") || start.starts_with("<html")
        }
    };
    if !is_html {
        return Ok(None);
    }
    let charset = content_type.as_deref().and_then(decode::content_type_charset);
    Ok(Some(Payload { body, charset }))
}

/// Undoes HTTP chunked transfer encoding.
fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, String> {
    let bad = || "malformed chunked HTTP body".to_string();
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").ok_or_else(bad)?;
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| bad())?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = body.get(..size).ok_or_else(bad)?;
        out.extend_from_slice(chunk);
        body = body.get(size..).ok_or_else(bad)?;
        body = body.strip_prefix(b"\r\n").unwrap_or(body);
    }
}

/// Reads a decompressing reader to the end, within the document size limit.
fn inflate<R: Read>(decoder: std::io::Result<R>) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    decoder
        .and_then(|d| d.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut out))
        .map_err(|e| format!("cannot decompress the HTTP body: {e}"))?;
    if out.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err("decompressed HTTP body too large for one document".to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_of_a_response() {
        let m = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1256\r\n\r\n<html>x</html>";
        let p = http_payload(m).unwrap().unwrap();
        assert_eq!(p.body, b"<html>x</html>");
        assert_eq!(p.charset.as_deref(), Some("windows-1256"));
        assert_eq!(http_payload(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html>").unwrap(), None);
        assert_eq!(http_payload(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG").unwrap(), None);
        assert!(http_payload(b"garbage").is_err());
    }

    fn warc_record(body: &str, length: Option<usize>) -> String {
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{body}");
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
            length.unwrap_or(http.len())
        )
    }

    fn read_warc(bytes: Vec<u8>) -> Vec<Item> {
        records("a.warc".into(), Box::new(std::io::Cursor::new(bytes)), false).collect()
    }

    #[test]
    fn a_bad_record_loses_nothing_after_it() {
        let good = warc_record("<html><body><p>قصف على مدينة إدلب اليوم.</p></body></html>", None);
        let absurd = warc_record("<html>x</html>", Some(usize::MAX / 2));
        let junk = "WARC/1.0\r\nthis is not a header\r\n\r\n";
        let items = read_warc(format!("{good}{absurd}{junk}{good}").into_bytes());
        let kinds: Vec<&str> =
            items.iter().map(|i| if matches!(i, Item::Document(_)) { "doc" } else { "failed" }).collect();
        assert_eq!(kinds, ["doc", "failed", "failed", "doc"]);
        let Item::Failed { origin, reason } = &items[1] else { panic!() };
        assert_eq!(origin, "a.warc#2");
        assert!(reason.contains("too large"), "{reason}");
    }

    #[test]
    fn junk_and_truncation_are_reported() {
        let items = read_warc(b"WARC/1.0\r\n\x01\x02 junk without an end".to_vec());
        assert!(matches!(&items[..], [Item::Failed { reason, .. }] if reason.contains("truncated")));
        let good = warc_record("<html><body><p>نص.</p></body></html>", None);
        let items = read_warc(good.as_bytes()[..good.len() - 20].to_vec());
        assert!(matches!(&items[..], [Item::Failed { reason, .. }] if reason.starts_with("truncated WARC record")));
    }

    #[test]
    fn a_gzip_bomb_is_never_inflated_whole() {
        use std::io::Write;
        let header = format!("WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nContent-Length: {}\r\n\r\n", 1u64 << 31);
        let mut encoder = libflate::gzip::Encoder::new(Vec::new()).unwrap();
        encoder.write_all(header.as_bytes()).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..70 {
            encoder.write_all(&zeros).unwrap();
        }
        let bomb = encoder.finish().into_result().unwrap();
        assert!(bomb.len() < 1 << 20);
        let items: Vec<Item> = records("b.warc.gz".into(), Box::new(std::io::Cursor::new(bomb)), true).collect();
        assert!(matches!(&items[..], [Item::Failed { reason, .. }] if reason.contains("too large")), "{items:?}");
    }

    #[test]
    fn chunked_body() {
        let m = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n6\r\n<html>\r\n7\r\n</html>\r\n0\r\n\r\n";
        assert_eq!(http_payload(m).unwrap().unwrap().body, b"<html></html>");
        assert!(dechunk(b"zz\r\n").is_err());
        assert!(dechunk(b"10\r\nshort").is_err());
    }
}
