//! Arbitrary bytes as a file of each kind never panic: every input gives documents or failures.

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use rasd_ingest::{read, Item, Options};

const NAMES: [&str; 8] = ["a.txt", "a.html", "a.xml", "a.warc", "a.warc.gz", "a.jsonl", "noext", "a.rss"];

/// Beginnings that lead the bytes into each reader's deeper paths.
const HEADS: [&[u8]; 8] = [
    b"",
    b"<!doctype html><html lang=ar><body><article><p>",
    b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><item><description>",
    b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content type=\"html\">",
    b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
    b"{\"content\": \"",
    b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00",
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
];

fn read_bytes(name: &str, bytes: &[u8]) -> Vec<Item> {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let run = RUN.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("rasd-ingest-prop-{}-{run}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let items = read(&[path.display().to_string()], &Options::default()).collect();
    std::fs::remove_dir_all(&dir).unwrap();
    items
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn arbitrary_bytes_never_panic(name in 0..NAMES.len(), head in 0..HEADS.len(), tail in proptest::collection::vec(any::<u8>(), 0..600)) {
        let bytes = [HEADS[head], &tail].concat();
        let items = read_bytes(NAMES[name], &bytes);
        for item in &items {
            match item {
                Item::Document(d) => prop_assert!(d.origin.contains(NAMES[name])),
                Item::Failed { origin, reason } => {
                    prop_assert!(origin.contains(NAMES[name]));
                    prop_assert!(!reason.is_empty());
                }
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(name in 0..NAMES.len(), head in 0..HEADS.len(), tail in "\\PC{0,300}") {
        let bytes = [HEADS[head], tail.as_bytes()].concat();
        read_bytes(NAMES[name], &bytes);
    }
}
