//! The cost of a `rasd watch` cycle over many feeds: `cargo bench -p rasd --bench watch_cycle`.
//!
//! A local server (no internet) serves FEEDS feeds of ITEMS articles each. Three cycles of
//! `rasd watch --once` run against one database: the first stores everything; the second finds
//! every feed unchanged by its ETag (304); the third finds every feed unchanged without
//! validators (each feed read and each item recognised by its URL). Each prints its time and
//! the peak memory of the process. Target (issue 13): a cycle of 500 unchanged feeds under 5 s
//! and 200 MB. Each feed is one day of news about six towns: thousands of events on one day and
//! place would make the first cycle's clustering slow (each event is compared with the day's
//! events at its place).

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

const FEEDS: usize = 500;
const ITEMS: usize = 50;

/// Towns and what happened there: the articles differ, as real ones do.
const TOWNS: [&str; 6] = [
    "معرة النعمان بريف إدلب",
    "إعزاز بريف حلب",
    "دوما بريف دمشق",
    "اللطامنة بريف حماة",
    "كفرنبل بريف إدلب",
    "دير الزور",
];

fn feed(base: &str, feed: usize) -> String {
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Bench</title>");
    // Each feed is a day of news (a real store holds few events per place and day).
    let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(feed as u64);
    let published = day.format("%a, %d %b %Y 09:00:00 +0300");
    for item in 0..ITEMS {
        let n = feed * ITEMS + item;
        let town = TOWNS[n % TOWNS.len()];
        let text = format!(
            "قتل {} مدنيين في قصف على {town} يوم الثلاثاء، بحسب ناشطين. وقال الناشطون إن القصف استهدف الحي رقم {n} \
             وألحق أضراراً بالمنازل والمحال التجارية، فيما نقل الجرحى إلى المستشفى الميداني في المنطقة. {}",
            2 + n % 9,
            "وتواصل التوتر في المنطقة منذ أسابيع. ".repeat(10)
        );
        xml.push_str(&format!(
            "<item><title>خبر {n}</title><link>{base}/a/{n}</link><pubDate>{published}</pubDate>\
             <description>{text}</description></item>"
        ));
    }
    xml + "</channel></rss>"
}

async fn serve_feed(State(etags): State<Arc<AtomicBool>>, Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some(n) = name.strip_suffix(".xml").and_then(|n| n.parse::<usize>().ok()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or_default();
    if etags.load(Ordering::Relaxed) {
        if headers.get("if-none-match").is_some_and(|v| v == "\"1\"") {
            return StatusCode::NOT_MODIFIED.into_response();
        }
        return ([("etag", "\"1\"")], feed(&format!("http://{host}"), n)).into_response();
    }
    feed(&format!("http://{host}"), n).into_response()
}

fn main() {
    let etags = Arc::new(AtomicBool::new(true));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let shared = etags.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async move {
            let app = Router::new()
                .route("/robots.txt", get(|| async { "User-agent: *\nAllow: /\n" }))
                .route("/feed/{name}", get(serve_feed))
                .with_state(shared);
            axum::serve(tokio::net::TcpListener::from_std(listener).unwrap(), app).await.unwrap();
        });
    });
    let dir = tempfile::tempdir().unwrap();
    let mut config = String::from(
        "[http]\nuser_agent = \"rasd-bench\"\nper_host_delay = \"0s\"\nper_host_concurrency = 32\ntimeout = \"30s\"\n",
    );
    for i in 0..FEEDS {
        config
            .push_str(&format!("[[source]]\nname = \"feed-{i}\"\nurl = \"{base}/feed/{i}.xml\"\ninterval = \"1s\"\n"));
    }
    let config_path = dir.path().join("watch.toml");
    std::fs::write(&config_path, config).unwrap();
    let db = dir.path().join("bench.db");
    let cycle = |what: &str| {
        std::thread::sleep(Duration::from_millis(1100));
        let out = Command::new(env!("CARGO_BIN_EXE_rasd"))
            .args(["watch", "--once", "--config", config_path.to_str().unwrap(), "--db", db.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let summary = stderr.lines().find(|l| l.starts_with("rasd watch: cycle of")).unwrap_or("no cycle line");
        println!("{what:<44} {}", summary.trim_start_matches("rasd watch: "));
        assert!(out.status.success(), "{stderr}");
    };
    println!("{FEEDS} feeds × {ITEMS} items on a local server");
    cycle("first cycle (stores every article)");
    cycle("unchanged, answered 304 (ETag)");
    etags.store(false, Ordering::Relaxed);
    cycle("unchanged, no validators (read, all known)");
}
