//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, and legacy encodings — a
//! declared charset, or one detected by chardetng (old Arabic sites still serve windows-1256).

use encoding_rs::{Encoding, UTF_8};

/// At most this share of a UTF-8 text's bytes may be invalid and replaced (U+FFFD) rather than
/// the text refused: a few bad bytes in an otherwise UTF-8 article are damage, not an encoding.
const MAX_REPLACED_SHARE: f64 = 0.001;
/// Bad bytes always tolerated in a UTF-8 text, however short.
const MIN_REPLACED: usize = 8;
/// The least share of letters, digits, spaces and punctuation in a text decoded from a legacy
/// encoding: random bytes decode to symbols and control characters.
const MIN_TEXT_SHARE: f64 = 0.9;

/// Text decoded from bytes, with what the reader should know about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// A remark on the decoding (bad bytes replaced), to report.
    pub warning: Option<String>,
}

/// Decodes a document's bytes, or says why they are not text. One policy for every input:
/// a BOM's encoding; else valid UTF-8; else UTF-8 with a few bad bytes replaced (and a
/// warning); else a legacy encoding (`declared`, a charset label the container gives, or one
/// detected by chardetng) whose decoding reads as text; else a clear failure.
pub fn decode_text(bytes: &[u8], declared: Option<&str>) -> Result<Decoded, String> {
    let clean = |text: String| Ok(Decoded { text, warning: None });
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return clean(encoding.decode_with_bom_removal(bytes).0.into_owned());
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(format!("binary file (NUL byte at offset {at})"));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return clean(text.to_string());
    }
    let (bad, multibyte) = utf8_damage(bytes);
    if multibyte > bad && bad <= MIN_REPLACED.max((bytes.len() as f64 * MAX_REPLACED_SHARE) as usize) {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let first = std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to());
        return Ok(Decoded {
            text,
            warning: Some(format!(
                "{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD (the first at offset {first})"
            )),
        });
    }
    let declared = declared.and_then(|label| Encoding::for_label(label.trim().as_bytes())).filter(|&e| e != UTF_8);
    let encoding = declared.unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        detector.guess(None, chardetng::Utf8Detection::Deny)
    });
    let text = encoding.decode_without_bom_handling(bytes).0.into_owned();
    let share = text_share(&text);
    if share < MIN_TEXT_SHARE {
        return Err(format!(
            "not text: neither UTF-8 ({bad} invalid sequences) nor {} ({:.0}% of it would be letters, digits or punctuation)",
            encoding.name(),
            share * 100.0
        ));
    }
    clean(text)
}

/// Invalid sequences and valid multi-byte characters in bytes that are not valid UTF-8.
fn utf8_damage(bytes: &[u8]) -> (usize, usize) {
    let (mut bad, mut multibyte) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    (bad, multibyte)
}

/// The share of a text's characters that text is made of: letters, marks, digits, spaces and
/// punctuation (not control characters, symbols or replacement characters).
fn text_share(text: &str) -> f64 {
    let (mut good, mut all) = (0usize, 0usize);
    for c in text.chars() {
        all += 1;
        let control = c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}');
        if !control
            && (c.is_alphanumeric() || c.is_whitespace() || c.is_ascii_punctuation() || "،؛؟«»“”’‘–—…".contains(c))
        {
            good += 1;
        }
    }
    if all == 0 {
        1.0
    } else {
        good as f64 / all as f64
    }
}

/// [`decode_text`] for readers that have no way to pass a warning on.
pub(crate) fn decode(bytes: &[u8], declared: Option<&str>) -> Result<String, String> {
    decode_text(bytes, declared).map(|d| d.text)
}

/// The `charset` parameter of an HTTP `Content-Type` ("text/html; charset=windows-1256"), as
/// a WARC response or a fetched page declares it.
///
/// ```
/// assert_eq!(rasd_ingest::content_type_charset("text/html; Charset=\"windows-1256\"").as_deref(), Some("windows-1256"));
/// assert_eq!(rasd_ingest::content_type_charset("text/html"), None);
/// ```
pub fn content_type_charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches('"').to_string())
    })
}

/// The charset an HTML page declares in its first kilobyte (`<meta charset=…>` or
/// `content="text/html; charset=…"`), if any.
pub(crate) fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower = head.to_ascii_lowercase();
    let at = lower.windows(8).position(|w| w == b"charset=")? + 8;
    let label: String = lower[at..]
        .iter()
        .skip_while(|&&b| b == b'"' || b == b'\'' || b == b' ')
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        .map(|&b| b as char)
        .collect();
    (!label.is_empty()).then_some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("قصف".as_bytes(), None).unwrap(), "قصف");
        assert_eq!(decode(b"\xef\xbb\xbfabc", None).unwrap(), "abc");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xff, 0xfe];
        le.extend("غارة".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le, None).unwrap(), "غارة");
        let mut be = vec![0xfe, 0xff];
        be.extend("غارة".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be, None).unwrap(), "غارة");
    }

    #[test]
    fn windows_1256_detected_and_declared() {
        let text = "قتل خمسة مدنيين جراء قصف مدفعي استهدف بلدة سرمين في ريف إدلب الشرقي";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(decode(&bytes, None).unwrap(), text);
        assert_eq!(decode(&bytes, Some("windows-1256")).unwrap(), text);
    }

    #[test]
    fn a_few_bad_bytes_are_replaced_and_reported() {
        let mut bytes = "قتل خمسة مدنيين جراء قصف ".as_bytes().to_vec();
        bytes.push(0xFF);
        bytes.extend("مدفعي استهدف بلدة سرمين ".as_bytes());
        bytes.push(0xC3);
        bytes.extend("في ريف إدلب".as_bytes());
        let decoded = decode_text(&bytes, None).unwrap();
        assert!(decoded.text.contains("سرمين"));
        assert_eq!(decoded.text.matches('\u{FFFD}').count(), 2);
        assert!(decoded.warning.unwrap().starts_with("2 invalid UTF-8"));
    }

    #[test]
    fn random_bytes_are_not_text() {
        // A fixed pseudo-random sequence without NUL bytes.
        let mut x: u32 = 12345;
        let bytes: Vec<u8> = (0..100_000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                ((x >> 16) as u8).max(1)
            })
            .collect();
        assert!(decode_text(&bytes, None).unwrap_err().starts_with("not text"));
    }

    #[test]
    fn binary_refused() {
        assert!(decode(b"PK\x03\x04\x00\x00", None).unwrap_err().starts_with("binary file"));
    }

    #[test]
    fn charset_declarations() {
        assert_eq!(declared_charset(b"<meta charset=\"windows-1256\">").as_deref(), Some("windows-1256"));
        assert_eq!(
            declared_charset(b"<meta http-equiv=Content-Type content='text/html; charset=ISO-8859-6'>").as_deref(),
            Some("iso-8859-6")
        );
        assert_eq!(declared_charset(b"<html>"), None);
    }
}
