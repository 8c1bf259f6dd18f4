//! Reading article files: every way a file can be unreadable becomes one clear message.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The largest article rasd reads, in bytes. News articles are kilobytes; a larger file is
/// almost certainly not one article.
pub const MAX_ARTICLE_BYTES: u64 = 10 * 1024 * 1024;

/// How far into a file a NUL byte marks it as binary.
const BINARY_SNIFF_BYTES: usize = 8192;

/// Reads one article file (or standard input for `-`) as UTF-8 text, or says why not.
pub fn read_article(path: &str) -> Result<String, String> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(MAX_ARTICLE_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        buf
    } else {
        read_file(Path::new(path))?
    };
    decode(bytes)
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| describe_io(&e))?;
    if meta.is_dir() {
        return Err("is a directory; pass the files in it (e.g. DIR/*.txt)".to_string());
    }
    if meta.len() > MAX_ARTICLE_BYTES {
        return Err(format!(
            "too large for one article: {:.1} MB (the limit is {} MB); split it into articles",
            meta.len() as f64 / 1e6,
            MAX_ARTICLE_BYTES / (1024 * 1024)
        ));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    File::open(path).and_then(|mut f| f.read_to_end(&mut buf)).map_err(|e| describe_io(&e))?;
    Ok(buf)
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => format!("cannot read: {e}"),
    }
}

fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(format!("too large for one article (over {} MB)", MAX_ARTICLE_BYTES / (1024 * 1024)));
    }
    if let Some(at) = bytes.iter().take(BINARY_SNIFF_BYTES).position(|&b| b == 0) {
        return Err(format!("binary file (NUL byte at offset {at}); rasd reads UTF-8 text"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (invalid byte at offset {}); convert it first, e.g. iconv -f WINDOWS-1256 -t UTF-8",
            e.utf8_error().valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{FEFF}').map(str::to_string).unwrap_or(text);
    if text.trim().is_empty() {
        return Err("empty file: no text to read".to_string());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_each_kind_of_bad_input() {
        assert!(decode(Vec::new()).unwrap_err().starts_with("empty file"));
        assert!(decode(b" \n\t".to_vec()).unwrap_err().starts_with("empty file"));
        assert_eq!(
            decode(b"ab\0cd".to_vec()).unwrap_err(),
            "binary file (NUL byte at offset 2); rasd reads UTF-8 text"
        );
        assert!(decode(vec![b'a', 0xC7, 0x28]).unwrap_err().contains("invalid byte at offset 1"));
        assert_eq!(decode("\u{FEFF}نص".as_bytes().to_vec()).unwrap(), "نص");
        assert_eq!(read_article("/no/such/file").unwrap_err(), "no such file");
        assert!(read_article("/").unwrap_err().starts_with("is a directory"));
    }
}
