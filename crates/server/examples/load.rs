//! A bounded local load test of `rasd serve` (loopback only): builds a database of N events
//! from the dev set's real records, starts the server, and fires concurrent requests at
//! `/api/events` (lists, filters, the map's 5,000 markers) and `/api/stats` for a fixed time; prints requests/s and latency
//! percentiles per request and over all.
//!
//! ```text
//! cargo run --release -p rasd-server --example load -- [EVENTS] [SECONDS] [CONCURRENCY]
//! ```
//! Defaults: 100000 events, 10 s, 8 concurrent clients. The database is kept in the system's
//! temporary directory (`rasd-load-EVENTS.db`) and reused by later runs; `RASD_LOAD_DB` names
//! another (a PostgreSQL URL, to measure that engine), built when it holds no article.

#[path = "../tests/common/mod.rs"]
#[allow(dead_code)]
mod common;

use std::time::{Duration, Instant};

use rasd_record::Record;
use rasd_store::{Location, Prepared, Store};

/// What the clients ask, in turn: the map's and the list's requests.
const REQUESTS: &[&str] = &[
    "/api/events",
    "/api/events?offset=2000",
    "/api/events?type=Battles",
    "/api/events?admin1=Aleppo&since=2024-01-01",
    "/api/events?status=future&limit=50",
    "/api/events?text=%D8%AF%D8%B1%D8%B9%D8%A7",
    "/api/events?sub_type=Air%2Fdrone%20strike&until=2023-06-30",
    "/api/events?format=geojson&limit=500&type=Protests",
    "/api/events?actor=Islamic%20State&limit=50",
    "/api/stats?since=2024-01-01",
    "/api/events?format=geojson&limit=5000",
];

fn main() {
    let args: Result<Vec<u64>, _> = std::env::args().skip(1).map(|a| a.parse::<u64>()).collect();
    let args = match args {
        Ok(args) if args.len() <= 3 && !args.contains(&0) => args,
        _ => {
            eprintln!("usage: load [EVENTS [SECONDS [CLIENTS]]] (positive whole numbers; default 100000 10 8)");
            std::process::exit(2);
        }
    };
    let events = args.first().copied().unwrap_or(100_000);
    let seconds = args.get(1).copied().unwrap_or(10);
    let concurrency = args.get(2).copied().unwrap_or(8) as usize;
    let db = match std::env::var("RASD_LOAD_DB") {
        Ok(location) => location.parse().unwrap_or_else(|e| match e {}),
        Err(_) => Location::File(std::env::temp_dir().join(format!("rasd-load-{events}.db"))),
    };
    if Store::connect(&db).unwrap().counts().unwrap().articles == 0 {
        build(&db, events);
    }
    let counts = Store::connect(&db).unwrap().counts().unwrap();
    let size =
        db.file().map_or(String::new(), |f| format!(", {:.0} MB", std::fs::metadata(f).unwrap().len() as f64 / 1e6));
    println!(
        "database {db}: {} articles, {} events, {} clusters{size}",
        counts.articles, counts.events, counts.clusters
    );
    let base = common::start(db, None);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let latencies = runtime.block_on(hammer(&base, Duration::from_secs(seconds), concurrency));
    report(latencies, seconds, concurrency);
}

/// A database of `events` events: the dev set's records again and again, each copy shifted by
/// a few days (over about ten years) so that copies are distinct events, not one cluster.
fn build(db: &Location, events: u64) {
    let started = Instant::now();
    let templates: Vec<Record> = common::devset_records().into_iter().map(|(r, _)| r).collect();
    let mut store = Store::connect(db).unwrap();
    let (mut stored, mut copy) = (0u64, 0i64);
    while stored < events {
        let mut batch = store.batch().unwrap();
        for template in &templates {
            let record = shifted(template, copy);
            // A signature of a unique text: the copies share the template's words, and would
            // otherwise all be marked syndicated copies of one another.
            let mut marker = record.clone();
            marker.article.text = format!("load{copy} copy{copy} {}", record.article.id);
            batch.put_prepared(&record, &Prepared::of(&marker), "load").unwrap();
            stored += record.events.len() as u64;
            if stored >= events {
                break;
            }
        }
        batch.commit().unwrap();
        copy += 1;
    }
    println!("built {db} in {:.1} s", started.elapsed().as_secs_f64());
}

fn shifted(template: &Record, copy: i64) -> Record {
    let mut r = template.clone();
    let days = chrono::Duration::days(-(copy * 5 % 3650));
    let shift = |d: &mut String| {
        if let Ok(date) = d.parse::<chrono::NaiveDate>() {
            *d = (date + days).to_string();
        }
    };
    r.article.id = format!("{}-{copy}", template.article.id);
    if let Some(p) = r.article.published.as_mut() {
        shift(p);
    }
    for e in &mut r.events {
        shift(&mut e.date.start);
        shift(&mut e.date.end);
    }
    r
}

async fn hammer(base: &str, duration: Duration, concurrency: usize) -> Vec<Vec<Duration>> {
    let client = reqwest::Client::new();
    let until = Instant::now() + duration;
    let tasks: Vec<_> = (0..concurrency)
        .map(|worker| {
            let (client, base) = (client.clone(), base.to_string());
            tokio::spawn(async move {
                let mut seen = vec![Vec::new(); REQUESTS.len()];
                let mut i = worker;
                while Instant::now() < until {
                    let which = i % REQUESTS.len();
                    let started = Instant::now();
                    let response = client.get(format!("{base}{}", REQUESTS[which])).send().await.unwrap();
                    assert!(response.status().is_success(), "{} {}", REQUESTS[which], response.status());
                    response.bytes().await.unwrap();
                    seen[which].push(started.elapsed());
                    i += 1;
                }
                seen
            })
        })
        .collect();
    let mut all = vec![Vec::new(); REQUESTS.len()];
    for task in tasks {
        for (which, mut times) in task.await.unwrap().into_iter().enumerate() {
            all[which].append(&mut times);
        }
    }
    all
}

fn report(latencies: Vec<Vec<Duration>>, seconds: u64, concurrency: usize) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let percentile = |sorted: &[Duration], p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
    println!("{concurrency} clients for {seconds} s, loopback");
    println!("{:>8}  {:>8}  {:>8}  {:>8}  request", "count", "p50 ms", "p99 ms", "max ms");
    let mut everything = Vec::new();
    for (request, mut times) in REQUESTS.iter().zip(latencies) {
        times.sort_unstable();
        if times.is_empty() {
            continue;
        }
        println!(
            "{:>8}  {:>8.1}  {:>8.1}  {:>8.1}  {request}",
            times.len(),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(times[times.len() - 1])
        );
        everything.extend(times);
    }
    everything.sort_unstable();
    println!(
        "all: {} requests, {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms",
        everything.len(),
        everything.len() as f64 / seconds as f64,
        ms(percentile(&everything, 0.5)),
        ms(percentile(&everything, 0.99))
    );
}
