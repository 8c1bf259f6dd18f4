//! Clustering across sources, measured: every dev-set item is stored twice — as published and as
//! another outlet's rewrite (paragraphs in another order, a closing line added) —
//! and the events of the two copies must fall into the same clusters, while events of different
//! items must not. Prints pairwise precision and recall; asserts both stay high.

use std::path::Path;

use rasd_pipeline::{ArticleMeta, Knowledge};
use rasd_store::scratch::ScratchSchema;
use rasd_store::{EventQuery, Store};

fn rewrite(text: &str) -> String {
    let (title, body) = text.split_once("\n\n").unwrap_or(("", text));
    let mut paragraphs: Vec<&str> = body.split("\n\n").filter(|p| !p.trim().is_empty()).collect();
    paragraphs.reverse();
    format!("{title}\n\n{}\n\nوتتابع الشبكة تطورات الحادثة.", paragraphs.join("\n\n"))
}

#[test]
fn the_same_events_from_two_outlets_cluster_together() {
    let knowledge = Knowledge::load(&rasd_kb::DataDir::embedded()).unwrap();
    let sqlite = measure(&knowledge, Store::open_in_memory().unwrap());
    if let Some(schema) = ScratchSchema::new("clustering").unwrap() {
        let postgres = measure(&knowledge, Store::connect(&schema.location()).unwrap());
        assert_eq!(postgres, sqlite, "both engines build the same clusters");
    }
}

/// Stores the dev set twice in `store`; the clustering's pairwise precision and recall.
fn measure(knowledge: &Knowledge, mut store: Store) -> (String, String) {
    let items = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/devset/items");
    let mut paths: Vec<_> = std::fs::read_dir(&items).unwrap().map(|e| e.unwrap().path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    paths.sort();
    let mut batch = store.batch().unwrap();
    for path in &paths {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        let gold: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(items.join(format!("{id}.gold.json"))).unwrap()).unwrap();
        let published: chrono::NaiveDate = gold["published"].as_str().unwrap().parse().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let original =
            ArticleMeta { published: Some(published), outlet: Some(format!("{id}-A")), ..Default::default() };
        let copy = ArticleMeta { published: Some(published), outlet: Some(format!("{id}-B")), ..Default::default() };
        batch.put(&knowledge.extract(&text, &original), &format!("{id}-A")).unwrap();
        batch.put(&knowledge.extract(&rewrite(&text), &copy), &format!("{id}-B")).unwrap();
    }
    batch.commit().unwrap();

    // Pairs of reports (outlet, cluster): same item → should share a cluster when the two
    // copies read the same event; different items → should never share one.
    let clusters = store.events(&EventQuery::default()).unwrap();
    let item = |outlet: &Option<String>| outlet.as_deref().and_then(|o| o.split('-').next()).unwrap_or("").to_string();
    let (mut together_right, mut together_wrong) = (0usize, 0usize);
    for c in &clusters {
        for (i, a) in c.reports.iter().enumerate() {
            for b in &c.reports[i + 1..] {
                if item(&a.outlet) == item(&b.outlet) {
                    together_right += 1;
                } else {
                    together_wrong += 1;
                }
            }
        }
    }
    // The pairs that should be together: for each item, events of copy A and copy B with the
    // same sub-type, place and date window, clustered or not.
    let reports: Vec<_> = clusters.iter().flat_map(|c| c.reports.iter().map(move |r| (c.id, r))).collect();
    let key = |r: &rasd_store::SourceReport| {
        let e = &r.event;
        (item(&r.outlet), e.sub_event_type.clone(), e.location.as_ref().map(|l| l.name.clone()), e.date.precision <= 2)
    };
    let (mut expected, mut found) = (0usize, 0usize);
    for (ca, a) in &reports {
        if !a.outlet.as_deref().is_some_and(|o| o.ends_with("-A")) {
            continue;
        }
        let (_, _, place, precise) = key(a);
        if !precise || place.is_none() {
            continue;
        }
        for (cb, b) in &reports {
            if b.outlet.as_deref().is_some_and(|o| o.ends_with("-B")) && key(b) == key(a) {
                expected += 1;
                found += usize::from(ca == cb);
            }
        }
    }
    let precision = together_right as f64 / (together_right + together_wrong).max(1) as f64;
    let recall = found as f64 / expected.max(1) as f64;
    println!(
        "clustering: pairwise precision {precision:.3} ({together_right}/{}), recall {recall:.3} ({found}/{expected})",
        together_right + together_wrong
    );
    assert!(precision >= 0.9, "precision {precision:.3}");
    assert!(recall >= 0.8, "recall {recall:.3}");
    (format!("{precision:.3}"), format!("{recall:.3}"))
}
