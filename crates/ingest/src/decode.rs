//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, and legacy encodings — a
//! declared charset, or one detected by chardetng (old Arabic sites still serve windows-1256).

use encoding_rs::{Encoding, UTF_8};

/// Decodes a document's bytes, or says why they are not text. `declared` is a charset label the
/// container gives (an HTTP `Content-Type`, a `<meta charset>`); valid UTF-8 wins over it.
pub(crate) fn decode(bytes: &[u8], declared: Option<&str>) -> Result<String, String> {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return Ok(encoding.decode_with_bom_removal(bytes).0.into_owned());
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(format!("binary file (NUL byte at offset {at})"));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let encoding = declared.and_then(|label| Encoding::for_label(label.trim().as_bytes())).filter(|&e| e != UTF_8);
    let encoding = encoding.unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        detector.guess(None, chardetng::Utf8Detection::Deny)
    });
    Ok(encoding.decode_without_bom_handling(bytes).0.into_owned())
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
