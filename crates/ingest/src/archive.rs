//! WARC archives (`.warc`, `.warc.gz`), read record by record with the warc crate: each
//! `response` record whose HTTP status is 2xx and whose payload is HTML becomes a document —
//! HTTP headers stripped, chunked and gzip/deflate transfer undone, the charset from
//! `Content-Type` honoured, and the record's target URI as url. Other records (requests,
//! metadata, images, redirects) are skipped. Records are numbered from 1 in their origin,
//! `path#N`, counting every record. A malformed record ends the file with one failure.

use std::io::{BufRead, BufReader, Read};

use warc::{BufferedBody, Record, RecordIter, RecordType, WarcHeader, WarcReader};

use crate::{decode, html, Item, MAX_DOCUMENT_BYTES};

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
    Box::new(Records { origin, records: WarcReader::new(reader).iter_records(), count: 0, done: false })
}

/// The documents of a WARC file, one record at a time.
struct Records {
    origin: String,
    records: RecordIter<Box<dyn BufRead + Send>>,
    count: usize,
    done: bool,
}

impl Iterator for Records {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            let record = self.records.next()?;
            self.count += 1;
            let origin = format!("{}#{}", self.origin, self.count);
            match record {
                Err(e) => {
                    self.done = true;
                    let detail = std::error::Error::source(&e).map(|s| format!(" ({s})")).unwrap_or_default();
                    return Some(Item::failed(origin, format!("malformed WARC record: {e}{detail}")));
                }
                Ok(record) => {
                    if let Some(item) = response(origin, &record) {
                        return Some(item);
                    }
                }
            }
        }
        None
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
    let charset = content_type.and_then(|t| {
        t.split(';').find_map(|p| p.trim().strip_prefix("charset=").map(|c| c.trim_matches('"').to_string()))
    });
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

    #[test]
    fn chunked_body() {
        let m = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n6\r\n<html>\r\n7\r\n</html>\r\n0\r\n\r\n";
        assert_eq!(http_payload(m).unwrap().unwrap().body, b"<html></html>");
        assert!(dechunk(b"zz\r\n").is_err());
        assert!(dechunk(b"10\r\nshort").is_err());
    }
}
