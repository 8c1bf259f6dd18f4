//! Fuzz target: the whole pipeline on arbitrary UTF-8 pages. Nothing may panic, every span of
//! the record must cover exactly its text, and the record must stay linear in the page
//! (at most `OUTPUT_PER_BYTE` bytes of JSON per byte, plus a constant); time per input is
//! bounded with libFuzzer's `-timeout` (see fuzz/README.md).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rasd_pipeline::{ArticleMeta, Knowledge};

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(|| Knowledge::load(&rasd_kb::DataDir::embedded()).expect("knowledge loads"))
}

/// The most JSON a record may take per byte of page (unbalanced quotes once made it quadratic).
const OUTPUT_PER_BYTE: usize = 40;

fuzz_target!(|page: &str| {
    let meta = ArticleMeta { published: chrono::NaiveDate::from_ymd_opt(2025, 10, 26), ..Default::default() };
    let record = knowledge().extract(page, &meta);
    let errors = record.span_errors();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let json = serde_json::to_string(&record).expect("a record serializes");
    assert!(json.len() <= OUTPUT_PER_BYTE * page.len() + 16_384, "{} bytes of JSON for {}", json.len(), page.len());
});
