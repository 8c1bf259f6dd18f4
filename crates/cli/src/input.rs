//! Reading article files: every way a file can be unreadable becomes one clear message.

use std::io::Read;
use std::path::Path;

/// The largest article rasd reads, in bytes. News articles are kilobytes; a larger file is
/// almost certainly not one article.
pub const MAX_ARTICLE_BYTES: u64 = 10 * 1024 * 1024;

/// Reads one article file (or standard input for `-`) as text, or says why not: through
/// `rasd-ingest`'s bounded reader (named pipes and devices included) and its decoding policy
/// (UTF-8, a few bad bytes replaced with a warning, or a legacy encoding that reads as text).
pub fn read_article(path: &str) -> Result<String, String> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(MAX_ARTICLE_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        buf
    } else {
        rasd_ingest::read_file(Path::new(path), MAX_ARTICLE_BYTES)?
    };
    let decoded = decode(bytes)?;
    if let Some(warning) = &decoded.warning {
        eprintln!("rasd: {path}: warning: {warning}");
    }
    Ok(decoded.text)
}

fn decode(bytes: Vec<u8>) -> Result<rasd_ingest::Decoded, String> {
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(format!("too large for one article (over {} MB)", MAX_ARTICLE_BYTES / (1024 * 1024)));
    }
    let mut decoded = rasd_ingest::decode_text(&bytes, None).map_err(|e| format!("{e}; rasd reads text"))?;
    if let Some(text) = decoded.text.strip_prefix('\u{FEFF}') {
        decoded.text = text.to_string();
    }
    if decoded.text.trim().is_empty() {
        return Err("empty file: no text to read".to_string());
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_each_kind_of_bad_input() {
        assert!(decode(Vec::new()).unwrap_err().starts_with("empty file"));
        assert!(decode(b" \n\t".to_vec()).unwrap_err().starts_with("empty file"));
        assert_eq!(decode(b"ab\0cd".to_vec()).unwrap_err(), "binary file (NUL byte at offset 2); rasd reads text");
        let symbols: Vec<u8> = (0..4000u32).map(|i| [0x01, 0x81, 0x8d, 0x02, 0x9d][i as usize % 5]).collect();
        assert!(decode(symbols).unwrap_err().starts_with("not text"));
        assert_eq!(decode("\u{FEFF}نص".as_bytes().to_vec()).unwrap().text, "نص");
        assert_eq!(read_article("/no/such/file").unwrap_err(), "no such file or directory");
        assert!(read_article("/").unwrap_err().starts_with("is a directory"));
    }
}
