//! A server stops the work of an abandoned request: `extract_until` checks between stages.

use rasd_pipeline::{ArticleMeta, Knowledge};

#[test]
fn extraction_stops_when_told() {
    let k = Knowledge::load(&rasd_kb::DataDir::embedded()).unwrap();
    let meta = ArticleMeta::default();
    let text = "قصف على إدلب.";
    assert!(k.extract_until(text, &meta, &|| true).is_none());
    let asked = std::cell::Cell::new(0);
    let record = k.extract_until(text, &meta, &|| {
        asked.set(asked.get() + 1);
        false
    });
    assert_eq!(record.unwrap(), k.extract(text, &meta));
    assert_eq!(asked.get(), 8, "asked after every stage");
}
