//! Data checks on `data/places/supplement.tsv` and on the built gazetteer.

use std::collections::BTreeSet;

use rasd_kb::{DataDir, Tsv};
use rasd_places::{Gazetteer, PlaceKind, SYRIA_ADMIN1};
use rasd_text::NormText;

#[test]
fn supplement_rows_are_unique_in_region_and_canonical() {
    let text = DataDir::embedded().read("places/supplement.tsv").unwrap();
    let table =
        Tsv::parse("places/supplement.tsv", &text, &["name_en", "name_ar", "lat", "lon", "admin1", "country"]).unwrap();
    // The countries of ACLED's regions that rasd covers (countries.tsv's `region`).
    let countries = DataDir::embedded().read("places/countries.tsv").unwrap();
    let countries = Tsv::parse("places/countries.tsv", &countries, &["name", "region"]).unwrap();
    let region: BTreeSet<&str> =
        countries.rows().filter(|r| !r.get("region").is_empty()).map(|r| r.get("name")).collect();
    let mut seen = BTreeSet::new();
    let mut rows = 0;
    for row in table.rows() {
        rows += 1;
        let key = (row.get("name_en"), row.get("country"));
        assert!(seen.insert(key), "line {}: duplicate row {key:?}", row.line);
        let (lat, lon): (f64, f64) = (row.parse("lat").unwrap(), row.parse("lon").unwrap());
        if region.contains(row.get("country")) {
            // The Middle East and North Africa: Morocco to Iran, Sudan to Turkey.
            assert!((8.0..=43.0).contains(&lat) && (-18.0..=64.0).contains(&lon), "line {}: {lat},{lon}", row.line);
        } else {
            // Beyond it, only countries and their capitals.
            assert!(matches!(row.get("kind"), "country" | "city"), "line {}: {}", row.line, row.get("kind"));
            assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon), "line {}", row.line);
        }
        if row.get("country") == "Syria" && row.get("kind") != "country" {
            assert!(SYRIA_ADMIN1.contains(&row.get("admin1")), "line {}: admin1 {:?}", row.line, row.get("admin1"));
        }
        assert!(!row.get("source").is_empty(), "line {}: no source", row.line);
    }
    assert!(rows >= 150, "{rows} rows");
}

#[test]
fn every_syrian_place_has_a_canonical_admin1() {
    let gaz = Gazetteer::load(&DataDir::embedded()).unwrap();
    for p in gaz.places().iter().filter(|p| p.iso3 == "SYR" && p.kind != PlaceKind::Country) {
        assert!(p.admin1.as_deref().is_some_and(|a| SYRIA_ADMIN1.contains(&a)), "{p:?}");
    }
}

#[test]
fn loads_fast_and_finds_fast() {
    let started = std::time::Instant::now();
    let gaz = Gazetteer::load(&DataDir::embedded()).unwrap();
    let load = started.elapsed();
    let article = include_str!("seed-article-ar.txt");
    let norm = NormText::new(article);
    let runs = 200;
    let started = std::time::Instant::now();
    let mut found = 0;
    for _ in 0..runs {
        found += gaz.find(article, &norm).len();
    }
    let per = started.elapsed() / runs;
    println!("load {load:?}; find on {} bytes: {per:?} ({} mentions)", article.len(), found / runs as usize);
    assert!(found > 0);
}
