//! `rasd watch` against a local HTTP fixture (no internet): feeds that change between polls,
//! 304s, 429 with Retry-After, 500s, slow answers, redirect loops, oversized bodies, a
//! windows-1256 page, robots.txt, and a webhook receiver that fails its first delivery.
//!
//! The store is a SQLite file, or with `RASD_TEST_BACKEND=postgres` a PostgreSQL schema.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rasd_store::Location;

/// The webhook key the tests sign with.
const KEY: &str = "fixture key";

/// The fixture's articles: each reports one event rasd codes.
const ARTICLES: [&str; 7] = [
    "قتل خمسة مدنيين وأصيب عشرة آخرون في غارة جوية استهدفت مدينة معرة النعمان بريف إدلب يوم الثلاثاء، بحسب المرصد السوري لحقوق الإنسان.",
    "انفجرت سيارة مفخخة في مدينة إعزاز بريف حلب الشمالي صباح الثلاثاء، ما أدى إلى مقتل ثمانية أشخاص.",
    "اعتقلت قوات الأمن السورية عشرين شخصا في مدينة دوما بريف دمشق يوم الثلاثاء.",
    "قتل ثلاثة عناصر من قوات النظام في اشتباكات مع فصائل المعارضة في بلدة اللطامنة بريف حماة الشمالي يوم الثلاثاء.",
    "سقطت قذائف هاون على حي باب توما في دمشق يوم الثلاثاء، ما أدى إلى مقتل مدنيين اثنين.",
    "قتل سبعة مدنيين في قصف مدفعي على بلدة كفرنبل بريف إدلب الجنوبي يوم الثلاثاء.",
    "قتل أربعة مدنيين في غارة جوية على مدينة دير الزور يوم الثلاثاء.",
];

/// The first article, updated: its toll rose.
const UPDATED: &str = "قتل تسعة مدنيين وأصيب عشرة آخرون في غارة جوية استهدفت مدينة معرة النعمان بريف إدلب يوم الثلاثاء، بحسب المرصد السوري لحقوق الإنسان.";

#[derive(Default)]
struct Fixture {
    /// How many of the articles the feed lists (1-based ids 1..=n, the first with its text).
    feed_items: usize,
    /// The feed's first item carries the updated text.
    updated: bool,
    /// Requests per path.
    hits: HashMap<String, usize>,
    /// 304 answers given.
    not_modified: usize,
    /// Webhook deliveries accepted: (X-Rasd-Delivery, X-Rasd-Signature, body).
    delivered: Vec<(String, String, String)>,
    /// Webhook requests refused with a 500 before accepting.
    refuse_next: usize,
    refused: usize,
}

type Shared = Arc<Mutex<Fixture>>;

fn page(n: usize) -> String {
    format!(
        "<html lang=\"ar\"><head><title>خبر {n}</title><meta property=\"article:published_time\" content=\"2026-12-02T09:00:00+03:00\"></head>\
         <body><article><h1>خبر {n}</h1><p>{}</p></article></body></html>",
        ARTICLES[n - 1]
    )
}

fn feed(base: &str, items: usize, updated: bool) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Fixture News</title><language>ar</language>");
    for n in 1..=items {
        // The first item carries its whole text (padded past a teaser); the others a teaser.
        let description = if n == 1 {
            let first = if updated { UPDATED } else { ARTICLES[0] };
            format!("{first} {}", "وتواصل القصف على المنطقة. ".repeat(30))
        } else {
            format!("خبر {n}")
        };
        xml.push_str(&format!(
            "<item><title>خبر {n}</title><link>{base}/articles/{n}</link><pubDate>Wed, 02 Dec 2026 09:00:00 +0300</pubDate><description>{description}</description></item>"
        ));
    }
    xml + "</channel></rss>"
}

/// Counts every request by path.
async fn count(State(state): State<Shared>, request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    *state.lock().unwrap().hits.entry(request.uri().path().to_string()).or_default() += 1;
    next.run(request).await
}

async fn feed_xml(State((state, base)): State<(Shared, String)>, headers: HeaderMap) -> Response {
    let (items, updated) = {
        let f = state.lock().unwrap();
        (f.feed_items, f.updated)
    };
    let etag = format!("\"v{items}-{updated}\"");
    if headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        state.lock().unwrap().not_modified += 1;
        return StatusCode::NOT_MODIFIED.into_response();
    }
    ([("content-type", "application/rss+xml"), ("etag", etag.as_str())], feed(&base, items, updated)).into_response()
}

async fn article(UrlPath(n): UrlPath<usize>) -> Response {
    match n {
        1..=7 => ([("content-type", "text/html; charset=utf-8")], page(n)).into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn legacy() -> Response {
    let html = page(5);
    let bytes = encoding_rs::WINDOWS_1256.encode(&html).0.into_owned();
    ([("content-type", "text/html; charset=windows-1256")], bytes).into_response()
}

/// The feed compressed with gzip, as servers send it to a client that accepts it.
async fn gzip_feed(State((_, base)): State<(Shared, String)>, headers: HeaderMap) -> Response {
    let accepts = headers.get("accept-encoding").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !accepts.contains("gzip") {
        return StatusCode::NOT_ACCEPTABLE.into_response();
    }
    let mut encoder = libflate::gzip::Encoder::new(Vec::new()).unwrap();
    std::io::Write::write_all(&mut encoder, feed(&base, 2, false).as_bytes()).unwrap();
    let body = encoder.finish().into_result().unwrap();
    ([("content-type", "application/rss+xml"), ("content-encoding", "gzip")], body).into_response()
}

async fn hook(State((state, _)): State<(Shared, String)>, headers: HeaderMap, body: String) -> StatusCode {
    let mut f = state.lock().unwrap();
    if f.refuse_next > 0 {
        f.refuse_next -= 1;
        f.refused += 1;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    f.delivered.push((header("x-rasd-delivery"), header("x-rasd-signature"), body));
    StatusCode::OK
}

/// Starts the fixture on a free port; returns its base URL and state.
fn start() -> (String, Shared) {
    let state: Shared = Arc::new(Mutex::new(Fixture { feed_items: 2, refuse_next: 1, ..Fixture::default() }));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let shared = (state.clone(), base.clone());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let index = "<html><body><a href=\"/articles/3\">3</a> <a href=\"/articles/3#comments\">again</a> \
                 <a href=\"/private/4\">private</a> <a href=\"/about\">about</a></body></html>";
            let sitemap = format!(
                "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{base}/articles/4</loc>\
                 <lastmod>2026-12-02</lastmod></url><url><loc>{base}/old/5</loc></url></urlset>",
                base = shared.1
            );
            let app = Router::new()
                .route("/robots.txt", get(|| async { "User-agent: *\nDisallow: /private/\n" }))
                .route("/feed.xml", get(feed_xml))
                .route("/articles/{n}", get(article))
                .route("/old/5", get(legacy))
                .route("/index.html", get(move || async move { ([("content-type", "text/html")], index) }))
                .route("/sitemap.xml", get(move || async move { sitemap }))
                .route(
                    "/busy.xml",
                    get(|| async {
                        (StatusCode::TOO_MANY_REQUESTS, [("retry-after", HeaderValue::from_static("3600"))])
                    }),
                )
                .route("/broken.xml", get(|| async { StatusCode::INTERNAL_SERVER_ERROR }))
                .route(
                    "/slow.xml",
                    get(|| async {
                        tokio::time::sleep(Duration::from_secs(3)).await;
                        "late"
                    }),
                )
                .route("/loop.xml", get(|| async { (StatusCode::FOUND, [("location", "/loop.xml")]) }))
                .route("/big.xml", get(|| async { "x".repeat(2_000_000) }))
                .route("/gzip-feed.xml", get(gzip_feed))
                .route("/garbage.xml", get(|| async { (0u8..=255).cycle().take(4096).collect::<Vec<u8>>() }))
                .route("/hook", post(hook))
                .with_state(shared.clone());
            let counted = shared.0.clone();
            let app = app.route(
                "/slow-feed.xml",
                get(move || {
                    let base = shared.1.clone();
                    async move {
                        tokio::time::sleep(Duration::from_secs(2)).await;
                        (
                            [("content-type", "application/rss+xml")],
                            feed(&base, 3, false).replace("/articles/3", "/articles/7"),
                        )
                    }
                }),
            );
            let app = app.layer(axum::middleware::from_fn_with_state(counted, count));
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (base, state)
}

/// A fake SMTP server on a free port: it accepts every message and keeps its text.
fn smtp_fixture() -> (u16, Arc<Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let messages = Arc::new(Mutex::new(Vec::new()));
    let kept = messages.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let kept = kept.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut say = |line: &str| stream.write_all(format!("{line}\r\n").as_bytes()).unwrap();
                say("220 fixture ESMTP");
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 0 {
                    let command = line.trim_end().to_ascii_uppercase();
                    if command.starts_with("EHLO") || command.starts_with("HELO") {
                        say("250 fixture");
                    } else if command == "DATA" {
                        say("354 end with <CRLF>.<CRLF>");
                        let mut message = String::new();
                        loop {
                            let mut data = String::new();
                            if reader.read_line(&mut data).unwrap_or(0) == 0 || data == ".\r\n" {
                                break;
                            }
                            message.push_str(&data);
                        }
                        kept.lock().unwrap().push(message);
                        say("250 queued");
                    } else if command == "QUIT" {
                        say("221 bye");
                        break;
                    } else {
                        say("250 OK");
                    }
                    line.clear();
                }
            });
        }
    });
    (port, messages)
}

fn config(dir: &Path, base: &str, sources: &[(&str, &str)], smtp: Option<u16>) -> PathBuf {
    let mut text = String::from(
        "serve_url = \"http://maps.example\"\n\
         [http]\nuser_agent = \"rasd-test (+https://example.invalid)\"\ntimeout = \"1s\"\nmax_bytes = 1000000\n\
         per_host_delay = \"0s\"\nper_host_concurrency = 4\n",
    );
    for (name, extra) in sources {
        text.push_str(&format!("[[source]]\nname = \"{name}\"\ninterval = \"1s\"\n{}\n", extra.replace("BASE", base)));
    }
    text.push_str(&format!(
        "[[alert]]\nname = \"all\"\nwebhook = \"{base}/hook\"\nsecret_env = \"RASD_TEST_WEBHOOK_KEY\"\nfile = \"{}\"\n\
         [[alert]]\nname = \"idlib\"\nadmin1 = \"إدلب\"\nstdout = true\n",
        dir.join("alerts.jsonl").display()
    ));
    if let Some(port) = smtp {
        text.push_str(&format!(
            "email = [\"Analyst <analyst@example.org>\"]\n\
             [smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nfrom = \"rasd <rasd@example.org>\"\n"
        ));
    }
    let path = dir.join("watch.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn rasd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rasd")).args(args).env("RASD_TEST_WEBHOOK_KEY", KEY).output().unwrap()
}

/// The URLs (or origins) of the stored articles, sorted; none before the database exists.
fn stored_urls(db: &Location) -> Vec<String> {
    if db.file().is_some_and(|f| !f.exists()) {
        return Vec::new();
    }
    let Ok(store) = rasd_store::Store::connect_read_only(db) else { return Vec::new() };
    let records = store.records_after(0, 100_000).unwrap();
    let mut urls: Vec<String> = records.into_iter().map(|(_, origin, r)| r.article.url.unwrap_or(origin)).collect();
    urls.sort();
    urls
}

/// A new database, on the engine `RASD_TEST_BACKEND` names.
fn database(dir: &Path) -> (Location, String) {
    let db = rasd_store::scratch::test_database(dir, "rasd.db");
    let arg = db.to_string();
    (db, arg)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Webhook deliveries: each signed with the key, each delivery id once.
fn check_deliveries(state: &Shared) -> usize {
    let f = state.lock().unwrap();
    let mut ids: Vec<&str> = f.delivered.iter().map(|(id, _, _)| id.as_str()).collect();
    for (id, signature, body) in &f.delivered {
        assert_eq!(signature, &rasd_watch::alerts::signature(KEY, body.as_bytes()), "delivery {id}");
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), f.delivered.len(), "a delivery arrived twice");
    f.delivered.len()
}

#[test]
fn watch_once_polls_stores_alerts_and_reports_failing_sources() {
    let (base, state) = start();
    let dir = tempfile::tempdir().unwrap();
    let (db, db_arg) = database(dir.path());
    let db_arg = db_arg.as_str();
    let sources = [
        ("feed", "url = \"BASE/feed.xml\""),
        ("index", "url = \"BASE/index.html\"\nlinks = \"/(articles|private)/\""),
        ("sitemap", "url = \"BASE/sitemap.xml\""),
        ("busy", "url = \"BASE/busy.xml\""),
        ("broken", "url = \"BASE/broken.xml\""),
        ("slow", "url = \"BASE/slow.xml\""),
        ("loop", "url = \"BASE/loop.xml\""),
        ("big", "url = \"BASE/big.xml\""),
        ("garbage", "url = \"BASE/garbage.xml\""),
    ];
    let (smtp_port, mails) = smtp_fixture();
    let cfg = config(dir.path(), &base, &sources, Some(smtp_port));
    let cfg_arg = cfg.to_str().unwrap();

    // First poll: everything new is stored and alerted; failing sources are reported.
    let out = rasd(&["watch", "--once", "--config", cfg_arg, "--db", db_arg]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "failing sources make exit status 1: {stderr}");
    let urls = stored_urls(&db);
    let expected: Vec<String> = ["/articles/1", "/articles/2", "/articles/3", "/articles/4", "/old/5"]
        .iter()
        .map(|p| format!("{base}{p}"))
        .collect();
    assert_eq!(urls, expected, "{stderr}");
    assert!(stderr.contains("robots.txt of the host disallows it"), "{stderr}");
    {
        let f = state.lock().unwrap();
        assert_eq!(f.hits.get("/private/4"), None, "robots.txt was not respected");
        assert_eq!(f.hits.get("/articles/1"), None, "a feed item with its text needs no page");
        assert_eq!(f.refused, 1);
    }
    // Every event made one alert per destination; the refused webhook delivery was retried.
    let delivered = check_deliveries(&state);
    assert_eq!(delivered, 5, "{stderr}");
    let file_alerts = std::fs::read_to_string(dir.path().join("alerts.jsonl")).unwrap();
    assert_eq!(file_alerts.lines().count(), delivered);
    let stdout = text(&out.stdout);
    let idlib: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(idlib.len(), 1, "{stdout}");
    assert_eq!(idlib[0]["rule"], "idlib");
    assert_eq!(idlib[0]["place"]["name"], "Maarat al-Numan");
    assert_eq!(idlib[0]["highest_reported_fatalities"], 5);
    assert_eq!(idlib[0]["sources"][0]["url"], format!("{base}/articles/1"));
    assert_eq!(idlib[0]["sources"][0]["outlet"], "Fixture News");
    assert!(idlib[0]["link"].as_str().unwrap().starts_with("http://maps.example/#event="));
    // The Idlib rule also e-mails, through the SMTP server.
    {
        let mails = mails.lock().unwrap();
        assert_eq!(mails.len(), 1, "{stderr}");
        assert!(mails[0].contains("To: Analyst <analyst@example.org>"), "{}", mails[0]);
        assert!(mails[0].contains("Subject: rasd alert (idlib): Air/drone strike in Maarat al-Numan"), "{}", mails[0]);
    }

    // The status names each failing source with its reason.
    let status = rasd(&["watch", "status", "--db", db_arg]);
    let table = text(&status.stdout);
    assert_eq!(status.status.code(), Some(1), "failing sources make status exit 1");
    for reason in
        ["HTTP 429 (Retry-After 3600 s)", "HTTP 500", "timed out", "too many redirects", "larger than the limit"]
    {
        assert!(table.contains(reason), "{reason:?} missing from:\n{table}");
    }
    assert!(table.contains("alerts (latest 12): 12 sent, 0 pending, 0 failed"), "{table}");

    // Second poll, a second later: the feed answers 304, nothing is stored or alerted twice,
    // and the source that asked for an hour is left alone.
    std::thread::sleep(Duration::from_millis(1100));
    let out = rasd(&["watch", "--once", "--config", cfg_arg, "--db", db_arg]);
    assert_eq!(stored_urls(&db).len(), 5, "{}", text(&out.stderr));
    assert_eq!(check_deliveries(&state), 5);
    assert!(text(&out.stdout).is_empty());
    {
        let f = state.lock().unwrap();
        assert_eq!(f.not_modified, 1);
        assert_eq!(f.hits["/busy.xml"], 1, "Retry-After was not honoured");
        assert_eq!(f.hits["/articles/3"], 1, "a stored article was fetched again");
    }

    // The feed gains an item: only it is fetched, stored and alerted.
    state.lock().unwrap().feed_items = 6;
    std::thread::sleep(Duration::from_millis(1100));
    let out = rasd(&["watch", "--once", "--config", cfg_arg, "--db", db_arg]);
    let stderr = text(&out.stderr);
    assert_eq!(stored_urls(&db).len(), 6, "{stderr}");
    assert!(stderr.contains("feed: 1 new article(s), 1 event(s), 4 known, 4 alert(s) queued"), "{stderr}");
    assert_eq!(mails.lock().unwrap().len(), 2);
    assert_eq!(check_deliveries(&state), 6);
    assert!(text(&out.stdout).contains("Kafranbel"));

    // The first item's text is updated at its URL: the toll rose. It is read again, replaces its
    // events, and each rule alerts once more, saying why.
    state.lock().unwrap().updated = true;
    std::thread::sleep(Duration::from_millis(1100));
    let out = rasd(&["watch", "--once", "--config", cfg_arg, "--db", db_arg]);
    let stderr = text(&out.stderr);
    assert_eq!(stored_urls(&db).len(), 6, "{stderr}");
    let idlib: Vec<serde_json::Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(idlib.len(), 1, "{stderr}");
    assert_eq!(idlib[0]["reason"], "toll");
    assert_eq!(idlib[0]["highest_reported_fatalities"], 9);
    assert_eq!(check_deliveries(&state), 7);
    // Polled again unchanged: nothing more.
    std::thread::sleep(Duration::from_millis(1100));
    let out = rasd(&["watch", "--once", "--config", cfg_arg, "--db", db_arg]);
    assert!(text(&out.stdout).is_empty(), "{}", text(&out.stderr));
    assert_eq!(check_deliveries(&state), 7);
}

#[test]
fn a_killed_watch_resumes_without_losing_or_repeating() {
    let (base, state) = start();
    state.lock().unwrap().refuse_next = 0;
    let dir = tempfile::tempdir().unwrap();
    let (db, db_arg) = database(dir.path());
    let db_arg = db_arg.as_str();
    let mut cfg_text = std::fs::read_to_string(config(
        dir.path(),
        &base,
        &[("feed", "url = \"BASE/feed.xml\""), ("slow", "url = \"BASE/slow-feed.xml\"")],
        None,
    ))
    .unwrap();
    cfg_text = cfg_text.replace("timeout = \"1s\"", "timeout = \"10s\"");
    let cfg = dir.path().join("watch.toml");
    std::fs::write(&cfg, cfg_text).unwrap();

    // SIGKILL while the slow source is in flight.
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(["watch", "--config", cfg.to_str().unwrap(), "--db", db_arg])
        .env("RASD_TEST_WEBHOOK_KEY", KEY)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !state.lock().unwrap().hits.contains_key("/slow-feed.xml") {
        assert!(start.elapsed() < Duration::from_secs(30), "the slow source was never polled");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = stored_urls(&db);
    assert!(before.is_empty(), "a poll cut short stored part of its work: {before:?}");
    assert_eq!(check_deliveries(&state), 0);

    // The restart polls again: each article once, each alert once.
    let out = rasd(&["watch", "--once", "--config", cfg.to_str().unwrap(), "--db", db_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let urls = stored_urls(&db);
    let expected: Vec<String> =
        ["/articles/1", "/articles/2", "/articles/7"].iter().map(|p| format!("{base}{p}")).collect();
    assert_eq!(urls, expected);
    assert_eq!(check_deliveries(&state), 3);
    std::thread::sleep(Duration::from_millis(1100));
    let out = rasd(&["watch", "--once", "--config", cfg.to_str().unwrap(), "--db", db_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(stored_urls(&db).len(), 3);
    assert_eq!(check_deliveries(&state), 3, "an alert was sent twice");
}

#[test]
fn a_bad_configuration_is_refused_with_its_file_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("watch.toml");
    std::fs::write(&cfg, "[[source]]\nurl = \"https://a.example/\"\ninterval = \"often\"\n").unwrap();
    let out = rasd(&[
        "watch",
        "--once",
        "--config",
        cfg.to_str().unwrap(),
        "--db",
        dir.path().join("x.db").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("watch.toml: [[source]] number 1: interval \"often\" is not a duration"), "{stderr}");
    assert!(!dir.path().join("x.db").exists(), "nothing is created before the configuration is read");
}

#[test]
fn a_compressed_feed_is_read() {
    let (base, _) = start();
    let dir = tempfile::tempdir().unwrap();
    let (db, db_arg) = database(dir.path());
    let cfg = config(dir.path(), &base, &[("gzip", "url = \"BASE/gzip-feed.xml\"")], None);
    let out = rasd(&["watch", "--once", "--config", cfg.to_str().unwrap(), "--db", &db_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(stored_urls(&db), [format!("{base}/articles/1"), format!("{base}/articles/2")]);
}
