//! Reading throughput: `cargo run --release -p rasd-ingest --example throughput -- PATH...`
//! prints documents, failures, documents/s, MB/s of input and ms per document.

use std::time::Instant;

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let bytes: u64 = paths.iter().map(|p| input_bytes(std::path::Path::new(p))).sum();
    let start = Instant::now();
    let (mut docs, mut failed, mut text_bytes) = (0usize, 0usize, 0usize);
    for item in rasd_ingest::read(&paths, &rasd_ingest::Options::default()) {
        match item {
            rasd_ingest::Item::Document(d) => {
                docs += 1;
                text_bytes += d.text.len();
            }
            rasd_ingest::Item::Failed { .. } => failed += 1,
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{docs} documents, {failed} failed, {:.1} MB in, {:.1} MB text; {:.0} documents/s, {:.1} MB/s, {:.3} ms/document",
        bytes as f64 / 1e6,
        text_bytes as f64 / 1e6,
        docs as f64 / secs,
        bytes as f64 / 1e6 / secs,
        secs * 1000.0 / docs.max(1) as f64
    );
}

fn input_bytes(path: &std::path::Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            std::fs::read_dir(path).map(|entries| entries.flatten().map(|e| input_bytes(&e.path())).sum()).unwrap_or(0)
        }
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}
