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
//!
//! Building: the first [`BASE_EVENTS`] events go through the store as `rasd ingest` writes them
//! (duplicates, copies, clusters, summaries); beyond, that base is copied again in SQL, each copy
//! moved [`SHIFT_DAYS`] further back in time (about ten years for a million events), because
//! storing a million events one statement at a time takes hours on PostgreSQL.

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
    "/api/events?after=2019-06-30%2C1&limit=100",
    "/api/events?type=Battles",
    "/api/events?admin1=Aleppo&since=2024-01-01",
    "/api/events?status=future&limit=50",
    "/api/events?text=%D8%AF%D8%B1%D8%B9%D8%A7",
    "/api/events?sub_type=Air%2Fdrone%20strike&until=2023-06-30",
    "/api/events?format=geojson&limit=500&type=Protests",
    "/api/events?actor=Islamic%20State&limit=50",
    "/api/stats?since=2024-01-01",
    "/api/events?format=markers&limit=5000",
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
    let first = runtime.block_on(first_answers(&base));
    let latencies = runtime.block_on(hammer(&base, Duration::from_secs(seconds), concurrency));
    report(&first, latencies, seconds, concurrency);
}

/// Events stored through the store; the rest are SQL copies of these.
const BASE_EVENTS: u64 = 20_000;
/// How much further back in time each SQL copy of the base is.
const SHIFT_DAYS: u64 = 73;

/// A database of `events` events: the dev set's records again and again, each copy shifted by
/// a few days so that copies are distinct events, not one cluster; then copies of that base.
fn build(db: &Location, events: u64) {
    let started = Instant::now();
    let base = events.min(BASE_EVENTS);
    store_base(db, base);
    let copies = events.div_ceil(base) - 1;
    if copies > 0 {
        multiply(db, copies);
    }
    println!("built {db} in {:.1} s", started.elapsed().as_secs_f64());
}

fn store_base(db: &Location, events: u64) {
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
}

/// Appends `copies` copies of every article, event and cluster in SQL, ids moved past the
/// base's and dates moved back by [`SHIFT_DAYS`] a copy; then refreshes the planner's statistics.
fn multiply(db: &Location, copies: u64) {
    let shift = |column: &str, days: u64| match db {
        Location::File(_) => format!("date({column}, '-{days} days')"),
        Location::Postgres(_) => format!("to_char({column}::date - {days}, 'YYYY-MM-DD')"),
    };
    let statements = |k: u64, articles: i64, events: i64| {
        let (a, e) = (k as i64 * articles, k as i64 * events);
        let days = k * SHIFT_DAYS;
        [
            format!(
                "INSERT INTO articles (id, key, url, origin, title, published, outlet, language, section, author, text, \
                 copy_of, record) SELECT id + {a}, key || '-{k}', url || '#{k}', origin, title, {}, outlet, language, \
                 section, author, text, copy_of + {a}, record FROM articles WHERE id <= {articles}",
                shift("published", days)
            ),
            format!(
                "INSERT INTO events (id, article_id, local_id, cluster_id, event_type, sub_event_type, status, date_start, \
                 date_end, precision, location, admin1, admin2, country, iso3, lat, lon, geo_precision, actor1, actor2, \
                 fatalities, injured, outlet, published, confidence, evidence, location_ar) \
                 SELECT id + {e}, article_id + {a}, local_id, cluster_id + {e}, event_type, sub_event_type, status, {}, {}, \
                 precision, location, admin1, admin2, country, iso3, lat, lon, geo_precision, actor1, actor2, fatalities, \
                 injured, outlet, {}, confidence, evidence, location_ar FROM events WHERE id <= {events}",
                shift("date_start", days),
                shift("date_end", days),
                shift("published", days)
            ),
            format!("INSERT INTO event_docs (event_id, event) SELECT event_id + {e}, event FROM event_docs WHERE event_id <= {events}"),
            format!("INSERT INTO events_fts (rowid, words) SELECT rowid + {e}, words FROM events_fts WHERE rowid <= {events}"),
            format!(
                "INSERT INTO clusters (id, event_type, sub_event_type, status, date_start, date_end, precision, location, \
                 location_ar, admin1, country, lat, lon, geo_precision, actor1, actor2, article_id, evidence, confidence, \
                 fatalities, reports, sources) SELECT id + {e}, event_type, sub_event_type, status, {}, {}, precision, \
                 location, location_ar, admin1, country, lat, lon, geo_precision, actor1, actor2, article_id + {a}, \
                 evidence, confidence, fatalities, reports, sources FROM clusters WHERE id <= {events}",
                shift("date_start", days),
                shift("date_end", days)
            ),
            // After the clusters: PostgreSQL's search rows keep their cluster's first day.
            match db {
                Location::File(_) => format!(
                    "INSERT INTO clusters_fts (rowid, words) SELECT rowid + {e}, words FROM clusters_fts \
                     WHERE rowid <= {events}"
                ),
                Location::Postgres(_) => format!(
                    "INSERT INTO clusters_fts (rowid, date_start, words) SELECT f.rowid + {e}, c.date_start, f.words \
                     FROM clusters_fts f JOIN clusters c ON c.id = f.rowid + {e} WHERE f.rowid <= {events}"
                ),
            },
        ]
    };
    let started = Instant::now();
    match db {
        Location::File(path) => {
            let mut conn = rusqlite::Connection::open(path).unwrap();
            let max =
                |table: &str| conn.query_row(&format!("SELECT max(rowid) FROM {table}"), [], |r| r.get(0)).unwrap();
            let (articles, events): (i64, i64) = (max("articles"), max("events"));
            let tx = conn.transaction().unwrap();
            for k in 1..=copies {
                for sql in statements(k, articles, events) {
                    tx.execute_batch(&sql).unwrap();
                }
            }
            tx.commit().unwrap();
            conn.execute_batch("ANALYZE").unwrap();
        }
        Location::Postgres(url) => {
            let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
            let mut max = |table: &str| client.query_one(&format!("SELECT max(id) FROM {table}"), &[]).unwrap().get(0);
            let (articles, events): (i64, i64) = (max("articles"), max("events"));
            let mut tx = client.transaction().unwrap();
            for k in 1..=copies {
                for sql in statements(k, articles, events) {
                    tx.batch_execute(&sql).unwrap();
                }
            }
            tx.batch_execute(
                "UPDATE rasd_changes SET n = n + 1; \
                 SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles)); \
                 SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events))",
            )
            .unwrap();
            tx.commit().unwrap();
            // As autovacuum would in time: statistics, and the visibility map that lets the
            // covering indexes answer without reading the rows.
            client.batch_execute("VACUUM ANALYZE").unwrap();
        }
    }
    println!("copied the base {copies} times in SQL in {:.1} s", started.elapsed().as_secs_f64());
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

/// Each request once, one at a time, before the clients start: what the first user of a
/// freshly started server waits (nothing remembered yet, the database's pages perhaps on disk).
async fn first_answers(base: &str) -> Vec<Duration> {
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    for request in REQUESTS {
        let started = Instant::now();
        let response = client.get(format!("{base}{request}")).send().await.unwrap();
        assert!(response.status().is_success(), "{request} {}", response.status());
        response.bytes().await.unwrap();
        times.push(started.elapsed());
    }
    times
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

fn report(first: &[Duration], latencies: Vec<Vec<Duration>>, seconds: u64, concurrency: usize) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let percentile = |sorted: &[Duration], p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
    println!("each request once (first ms), then {concurrency} clients for {seconds} s, loopback");
    println!("{:>8}  {:>8}  {:>8}  {:>8}  {:>8}  request", "first ms", "count", "p50 ms", "p99 ms", "max ms");
    let mut everything = Vec::new();
    for ((request, mut times), first) in REQUESTS.iter().zip(latencies).zip(first) {
        times.sort_unstable();
        if times.is_empty() {
            continue;
        }
        println!(
            "{:>8.1}  {:>8}  {:>8.1}  {:>8.1}  {:>8.1}  {request}",
            ms(*first),
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
