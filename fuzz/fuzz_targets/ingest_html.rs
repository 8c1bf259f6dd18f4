//! Fuzzes the input readers on untrusted bytes — HTML main-text extraction, RSS/Atom feeds, and
//! the other formats for good measure: `cargo fuzz run ingest_html` (from `fuzz/`). Every input
//! must give documents or failures, never a panic, and every item must name its origin; the
//! text read stays linear in the input (at most `TEXT_PER_BYTE` bytes per byte: a legacy
//! encoding widens, nothing else may).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasd_ingest::{read_bytes, Item};

/// File names whose extensions pick each reader; the empty name makes the reader sniff.
const NAMES: [&str; 6] = ["page.html", "feed.xml", "feed.atom", "", "crawl.warc", "corpus.jsonl"];

/// The most text per input byte (a windows-1256 byte becomes up to three UTF-8 bytes).
const TEXT_PER_BYTE: usize = 4;

fuzz_target!(|input: (u8, &[u8])| {
    let (kind, bytes) = input;
    let name = NAMES[usize::from(kind) % NAMES.len()];
    let mut text = 0;
    for item in read_bytes("fuzz", name, bytes.to_vec()) {
        match item {
            Item::Document(doc) => {
                assert!(doc.origin.starts_with("fuzz"));
                text += doc.text.len();
                assert!(text <= TEXT_PER_BYTE * bytes.len() + 64, "{text} bytes of text from {}", bytes.len());
            }
            Item::Failed { origin, reason } => assert!(origin.starts_with("fuzz") && !reason.is_empty()),
        }
    }
});
