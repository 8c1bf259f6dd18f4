//! Gazetteer benchmark (not run in CI): build time, memory, and place-matching throughput over
//! a JSONL corpus (one article per line, `content` field).
//!
//! ```text
//! cargo run --release -p rasd-places --example bench_places -- CORPUS.jsonl [TOP]
//! ```
//!
//! With `TOP`, also lists the TOP most frequent matched surface forms (folded) with the place
//! each resolved to: the list to review for ordinary words read as places (`stoplist.tsv`).

use std::collections::BTreeMap;
use std::time::Instant;

use rasd_kb::DataDir;
use rasd_places::Gazetteer;
use rasd_text::fold::fold_str;
use rasd_text::NormText;

/// Resident set size in KiB (Linux `/proc/self/status`), when known.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: bench_places CORPUS.jsonl [TOP]")?;
    let top: usize = args.next().map_or(Ok(0), |t| t.parse())?;
    let articles: Vec<String> = std::fs::read_to_string(&path)?
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("content").and_then(|c| c.as_str()).map(str::to_string))
        .collect();
    let bytes: usize = articles.iter().map(String::len).sum();

    let dir = DataDir::embedded();
    let before = rss_kib();
    let started = Instant::now();
    let gaz = Gazetteer::load(&dir)?;
    let first = started.elapsed();
    let after = rss_kib();
    let runs = 5;
    let started = Instant::now();
    for _ in 0..runs {
        drop(Gazetteer::load(&dir)?);
    }
    let mean = started.elapsed() / runs;
    println!("gazetteer: {} places; build {first:.2?} (first), {mean:.2?} (mean of {runs})", gaz.places().len());
    match (before, after) {
        (Some(b), Some(a)) => println!("memory: RSS {b} KiB before load, {a} KiB after (+{} KiB)", a.saturating_sub(b)),
        _ => println!("memory: RSS not available on this system"),
    }

    let norms: Vec<NormText> = articles.iter().map(|a| NormText::new(a)).collect();
    let started = Instant::now();
    let mut mentions = 0;
    for (a, n) in articles.iter().zip(&norms) {
        mentions += gaz.find(a, n).len();
    }
    let find = started.elapsed();
    let started = Instant::now();
    for a in &articles {
        mentions -= gaz.find(a, &NormText::new(a)).len();
    }
    let with_fold = started.elapsed();
    let mb = bytes as f64 / 1e6;
    println!(
        "matching: {} articles, {mb:.1} MB: find {:.1} MB/s ({find:.2?}); fold + find {:.1} MB/s ({with_fold:.2?})",
        articles.len(),
        mb / find.as_secs_f64(),
        mb / with_fold.as_secs_f64(),
    );
    debug_assert_eq!(mentions, 0);

    if top > 0 {
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut total = 0;
        for (a, n) in articles.iter().zip(&norms) {
            for m in gaz.find(a, n) {
                total += 1;
                let p = gaz.place(m.place);
                *counts.entry((fold_str(m.span.slice(a)), format!("{} ({})", p.name, p.iso3))).or_default() += 1;
            }
        }
        let mut ranked: Vec<_> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        println!("mentions: {total}; most frequent surface forms:");
        for ((surface, place), n) in ranked.into_iter().take(top) {
            println!("{n}\t{surface}\t{place}");
        }
    }
    Ok(())
}
