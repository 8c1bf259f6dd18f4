//! End to end in headless Chromium (Debian's `chromium` and `chromium-driver`): the page's ES
//! modules load without a console error, the legend and menus come from `/api/taxonomy`, the map
//! draws its base layers, shows and filters the events and zooms to them, the timeline lists the outlier dates, and the
//! panel explains the Sayyida Zaynab event with its evidence highlighted.
//!
//! A libtest-mimic harness (`harness = false`): without `/usr/bin/chromedriver` and
//! `/usr/bin/chromium` (or the programs `RASD_CHROMEDRIVER` and `RASD_CHROMIUM` name) every trial is
//! reported "ignored", unless `RASD_BROWSER_TESTS=require` (as `.ci/run` sets it, after
//! installing both packages), when every trial fails.

mod common;

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Value};

const INSTALL: &str = "apt-get install chromium chromium-driver";

/// chromedriver: `$RASD_CHROMEDRIVER`, else Debian's.
fn chromedriver() -> String {
    std::env::var("RASD_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

/// Chromium: `$RASD_CHROMIUM`, else Debian's.
fn chromium() -> String {
    std::env::var("RASD_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

fn main() {
    let args = Arguments::from_args();
    let (driver, browser) = (chromedriver(), chromium());
    let missing = !std::path::Path::new(&driver).exists() || !std::path::Path::new(&browser).exists();
    let absent = format!("{driver} or {browser} is missing ({INSTALL})");
    let required = std::env::var("RASD_BROWSER_TESTS").is_ok_and(|v| v == "require");
    let trials: [(&str, Body); 5] = [
        ("the_page_loads_its_modules_without_console_errors", |c, base| Box::pin(modules_load(c, base))),
        ("the_legend_and_menus_come_from_the_taxonomy", |c, base| Box::pin(taxonomy_legend(c, base))),
        ("the_map_filters_zooms_and_explains_an_event", |c, base| Box::pin(map_filters_and_explains(c, base))),
        ("the_timeline_lists_outlier_dates", |c, base| Box::pin(timeline_outliers(c, base))),
        ("the_map_and_the_sources_page_follow_new_events", |c, _| Box::pin(live_updates(c))),
    ];
    let trials = trials
        .into_iter()
        .map(|(name, body)| {
            let absent = absent.clone();
            Trial::test(name, move || {
                if missing {
                    return Err(format!("RASD_BROWSER_TESTS=require but {absent}").into());
                }
                in_browser(body)
            })
            .with_ignored_flag(missing && !required)
        })
        .collect();
    if missing && !required {
        eprintln!("browser trials ignored: {absent}");
    }
    libtest_mimic::run(&args, trials).exit();
}

/// One trial's work in the page.
type Page<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>;

/// A trial: its work in a browser session on the server at a base URL.
type Body = for<'a> fn(&'a Client, &'a str) -> Page<'a>;

/// Runs `body` in a fresh Chromium session over the dev-set server; a panic is the failure.
fn in_browser(body: Body) -> Result<(), Failed> {
    let driver = Driver::start();
    let base = common::devset_server().to_string();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser(&driver).await;
        let outcome = futures_catch(body(&client, &base)).await;
        let _ = client.close().await;
        outcome
    })
}

/// Awaits a future, turning a panic (a failed assertion) into the trial's failure.
async fn futures_catch(page: Page<'_>) -> Result<(), Failed> {
    let mut page = std::panic::AssertUnwindSafe(page);
    let poll = std::future::poll_fn(move |cx| {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| page.as_mut().poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(())) => std::task::Poll::Ready(Ok(())),
            Err(panic) => std::task::Poll::Ready(Err(panic)),
        }
    });
    poll.await.map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the trial panicked".to_string());
        Failed::from(message)
    })
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port, profile: tempfile::tempdir().unwrap() }
    }
}

async fn browser(driver: &Driver) -> Client {
    let args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1050",
    ];
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    args.push(format!("--user-data-dir={}", driver.profile.path().display()));
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), json!({"binary": chromium(), "args": args}));
    caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session starts")
}

/// chromedriver's console log of the page since the last call (`POST /session/{id}/se/log`).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (axum::http::Method::POST, Some(json!({"type": "browser"}).to_string()))
    }
}

/// The console errors (and failed loads, CSP refusals) the page logged since the last call.
async fn console_errors(client: &Client) -> Vec<String> {
    let log = client.issue_cmd(BrowserLog).await.expect("chromedriver gives the browser log");
    let entries = log.as_array().cloned().unwrap_or_default();
    entries.iter().filter(|e| e["level"] == "SEVERE").map(|e| e["message"].as_str().unwrap_or("").to_string()).collect()
}

/// Evaluates a JavaScript expression in the page.
async fn eval(client: &Client, expression: &str) -> Value {
    client.execute(&format!("return {expression};"), vec![]).await.unwrap()
}

/// Opens `url` and waits until the page has loaded its data.
async fn goto(client: &Client, url: &str) {
    client.goto(url).await.unwrap();
    ready(client).await;
}

/// Waits until the page has (re)loaded its data.
async fn ready(client: &Client) {
    let started = Instant::now();
    loop {
        if eval(client, "document.body.dataset.ready").await == "1" {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the page never became ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn marker_ids(client: &Client) -> Vec<i64> {
    let ids = eval(client, "document.body.dataset.markerIds").await;
    let mut ids: Vec<i64> = ids.as_str().unwrap_or("").split(',').filter_map(|s| s.parse().ok()).collect();
    ids.sort_unstable();
    ids
}

/// The ids of the API's GeoJSON answer to `query`, sorted.
async fn feature_ids(base: &str, query: &str) -> Vec<i64> {
    let collection = api(base, &format!("/api/events?format=geojson&{query}")).await;
    let mut ids: Vec<i64> =
        collection["features"].as_array().unwrap().iter().map(|f| f["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    ids
}

/// The API's answer, for comparison with what the page shows.
async fn api(base: &str, path: &str) -> Value {
    reqwest::get(format!("{base}{path}")).await.unwrap().json().await.unwrap()
}

/// Applies the filter form after `select` has chosen `value`.
async fn filter(client: &Client, select: &str, value: &str) {
    client.find(Locator::Id(select)).await.unwrap().select_by_value(value).await.unwrap();
    client.find(Locator::Id("apply-filters")).await.unwrap().click().await.unwrap();
    ready(client).await;
}

async fn modules_load(client: &Client, base: &str) {
    goto(client, &format!("{base}?min_confidence=0")).await;
    assert_eq!(console_errors(client).await, Vec::<String>::new(), "no console error on load");
    let scripts = eval(client, "[...document.scripts].filter(s => s.type === 'module').map(s => s.src)").await;
    assert_eq!(scripts, json!([format!("{base}/assets/js/main.js")]));
    let modules = eval(
        client,
        "performance.getEntriesByType('resource').map(r => new URL(r.name).pathname).filter(p => p.startsWith('/assets/js/')).length",
    )
    .await;
    assert!(modules.as_u64().unwrap() >= 8, "every module is fetched: {modules}");
    assert!(!marker_ids(client).await.is_empty(), "markers appear");
    // Arabic labels, right to left, and still no error.
    client.find(Locator::Id("lang-toggle")).await.unwrap().click().await.unwrap();
    assert_eq!(eval(client, "document.documentElement.dir").await, "rtl");
    assert_eq!(console_errors(client).await, Vec::<String>::new(), "no console error in Arabic");
    // Nothing was fetched from another origin.
    let foreign = eval(
        client,
        "performance.getEntriesByType('resource').map(r => r.name).filter(n => !n.startsWith(location.origin))",
    )
    .await;
    assert_eq!(foreign, json!([]), "offline: every resource is served by rasd");
}

async fn taxonomy_legend(client: &Client, base: &str) {
    let taxonomy = api(base, "/api/taxonomy").await;
    let types = taxonomy["event_types"].as_array().unwrap();
    let names: Vec<&Value> = types.iter().map(|t| &t["name"]).collect();
    goto(client, base).await;
    let legend = eval(client, "[...document.querySelectorAll('#legend .lg-row')].map(r => r.dataset.type)").await;
    assert_eq!(
        legend.as_array().unwrap().iter().collect::<Vec<_>>(),
        names,
        "the legend lists the taxonomy's types in order"
    );
    let options = eval(client, "[...document.getElementById('filter-type').options].slice(1).map(o => o.value)").await;
    assert_eq!(options.as_array().unwrap().iter().collect::<Vec<_>>(), names, "so does the type menu");
    let colours = eval(
        client,
        "[...document.querySelectorAll('#legend .lg-row .swatch')].map(s => getComputedStyle(s).backgroundColor)",
    )
    .await;
    let expected: Vec<String> = types
        .iter()
        .map(|t| {
            let hex = t["colour"].as_str().unwrap();
            let [r, g, b] = [1, 3, 5].map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap());
            format!("rgb({r}, {g}, {b})")
        })
        .collect();
    assert_eq!(colours, json!(expected), "the colours are the taxonomy's");
    client.find(Locator::Id("lang-toggle")).await.unwrap().click().await.unwrap();
    let labels = eval(client, "[...document.querySelectorAll('#legend .lg-label')].map(l => l.textContent)").await;
    let arabic: Vec<&Value> = types.iter().map(|t| &t["name_ar"]).collect();
    assert_eq!(labels.as_array().unwrap().iter().collect::<Vec<_>>(), arabic, "Arabic labels from the taxonomy");
}

async fn map_filters_and_explains(client: &Client, base: &str) {
    let all = api(base, "/api/events?limit=1000").await;
    let example: Vec<&Value> = all["events"].as_array().unwrap().iter().filter(|e| e["article_id"] == 1).collect();
    assert_eq!(example.len(), 3, "the example article's three events are stored");
    let zaynab = example.iter().find(|e| e["location"] == "Sayyida Zaynab").unwrap()["id"].as_i64().unwrap();
    let hostile = all["events"].as_array().unwrap().iter().find(|e| e["evidence"].as_str().unwrap().contains("pwned"));
    let hostile = hostile.expect("the hostile article's event is stored")["id"].as_i64().unwrap();
    let confident = api(base, "/api/events?limit=1000&min_confidence=0.7").await;
    assert!(confident["total"].as_u64() < all["total"].as_u64(), "the threshold leaves some events out");

    // The map opens on every event, whatever its confidence …
    goto(client, base).await;
    let threshold = eval(client, "document.getElementById('filter-min_confidence').value").await;
    assert_eq!(threshold, "0", "the map's default confidence threshold");
    let total = client.find(Locator::Id("total")).await.unwrap().text().await.unwrap();
    assert_eq!(total, all["total"].to_string());
    // … keeps the confident ones when asked to …
    goto(client, &format!("{base}?min_confidence=0.7")).await;
    let total = client.find(Locator::Id("total")).await.unwrap().text().await.unwrap();
    assert_eq!(total, confident["total"].to_string());
    goto(client, base).await;
    // The base layers, one path a feature: the countries, their provinces, Syria's governorates.
    let drawn = eval(
        client,
        "['countries', 'provinces', 'admin'].map(p => document.querySelectorAll(`.leaflet-${p}-pane path`).length)",
    )
    .await;
    let mut served = Vec::new();
    for layer in ["neighbours", "neighbours-adm1", "syria-adm1"] {
        served.push(
            api(base, &format!("/assets/boundaries/{layer}.geojson")).await["features"].as_array().unwrap().len(),
        );
    }
    assert_eq!(drawn, json!(served), "every feature of the base layers is drawn");
    // … and shows every event, the example's included.
    goto(client, &format!("{base}?min_confidence=0")).await;
    let markers = marker_ids(client).await;
    for e in &example {
        assert!(markers.contains(&e["id"].as_i64().unwrap()), "event {} is on the map: {markers:?}", e["id"]);
    }
    let total = client.find(Locator::Id("total")).await.unwrap().text().await.unwrap();
    assert_eq!(total, all["total"].to_string());
    let everywhere = view(client).await;

    // Filtering by type leaves that type's markers only.
    filter(client, "filter-type", "Strategic developments").await;
    assert_eq!(marker_ids(client).await, feature_ids(base, "type=Strategic%20developments&min_confidence=0").await);
    filter(client, "filter-type", "").await;

    // A governorate: its markers only, and the map zooms to them.
    filter(client, "filter-admin1", "Idlib").await;
    let idlib = api(base, "/api/events?format=geojson&admin1=Idlib&min_confidence=0").await;
    let points: Vec<[f64; 2]> = idlib["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| [1, 0].map(|i| f["geometry"]["coordinates"][i].as_f64().unwrap()))
        .collect();
    assert!(!points.is_empty());
    let area = |v: &[f64; 4]| (v[2] - v[0]) * (v[3] - v[1]);
    let started = Instant::now();
    let zoomed = loop {
        // The zoom may be animated: wait for it to end.
        let zoomed = view(client).await;
        if area(&zoomed) < area(&everywhere) / 4.0 || started.elapsed() > Duration::from_secs(5) {
            break zoomed;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        area(&zoomed) < area(&everywhere) / 4.0,
        "the map zooms to Idlib {points:?}: {zoomed:?} within {everywhere:?}"
    );
    for [lat, lon] in &points {
        assert!(
            zoomed[0] <= *lat && *lat <= zoomed[2] && zoomed[1] <= *lon && *lon <= zoomed[3],
            "{lat},{lon} in {zoomed:?}"
        );
    }
    filter(client, "filter-admin1", "").await;

    // The Sayyida Zaynab event: its sentence highlighted, The National outermost in its chain.
    let row = format!("#event-list [data-event-id=\"{zaynab}\"]");
    client.find(Locator::Css(&row)).await.unwrap().click().await.unwrap();
    let panel = format!("#event-panel[data-event-id=\"{zaynab}\"] #article-text mark.hl-evidence");
    let evidence = client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(&panel)).await.unwrap();
    assert!(evidence.is_displayed().await.unwrap());
    let highlighted = eval(
        client,
        "[...document.querySelectorAll('#article-text mark.hl-evidence')].map(m => m.textContent).join('')",
    )
    .await;
    assert!(highlighted.as_str().unwrap().contains("السيدة زينب"), "{highlighted}");
    let trigger = eval(
        client,
        "[...document.querySelectorAll('#article-text mark.hl-trigger')].map(m => m.textContent).join('')",
    )
    .await;
    assert_eq!(trigger, "أحبطت");
    let chain = client.find_all(Locator::Css("#chain li")).await.unwrap();
    assert!(chain.len() >= 2, "a chain of {}", chain.len());
    assert!(chain[0].text().await.unwrap().contains("The National"), "outermost first");
    // Each name in the chain is isolated, so Latin names keep their place in Arabic.
    let isolated =
        eval(client, "[...document.querySelectorAll('#chain li')].every(li => li.querySelector('bdi.chain-name'))")
            .await;
    assert_eq!(isolated, true);

    eval(client, "window.scrollTo(0, 0)").await;
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("rasd-serve.png");
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());

    // Markup in an article, its title or its outlet is shown as text, never run.
    let row = format!("#event-list [data-event-id=\"{hostile}\"]");
    client.find(Locator::Css(&row)).await.unwrap().click().await.unwrap();
    let panel = format!("#event-panel[data-event-id=\"{hostile}\"] #article-text mark.hl-evidence");
    client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(&panel)).await.unwrap();
    let shown = eval(client, "document.querySelector('#article-text').textContent").await;
    assert!(shown.as_str().unwrap().contains("<script>document.body.dataset.pwned=3</script>"), "{shown}");
    assert_eq!(
        eval(client, "document.querySelectorAll('#event-panel img, #event-panel script, #event-panel b').length").await,
        0
    );
    assert_eq!(eval(client, "document.body.dataset.pwned === undefined").await, true, "no script ran");
}

/// The map's view: south, west, north, east.
async fn view(client: &Client) -> [f64; 4] {
    let view = eval(client, "document.body.dataset.mapView").await;
    let parts: Vec<f64> = view.as_str().unwrap_or("").split(',').filter_map(|s| s.parse().ok()).collect();
    parts.try_into().unwrap_or_else(|p| panic!("the map records its view: {p:?}"))
}

async fn timeline_outliers(client: &Client, base: &str) {
    goto(client, &format!("{base}?min_confidence=0")).await;
    let note = client.find(Locator::Id("tl-outliers")).await.unwrap();
    assert!(note.is_displayed().await.unwrap(), "the outlier note is shown");
    let text = note.text().await.unwrap();
    assert!(text.starts_with("2 events outside the range shown"), "{text}");
    let dates =
        eval(client, "[...document.querySelectorAll('#tl-outliers [data-date]')].map(b => b.dataset.date)").await;
    let outliers: Vec<&str> = common::OUTLIER_DATES.iter().map(|(d, _)| *d).collect();
    assert_eq!(dates, json!(outliers), "each outlier date is listed");
    // The axis spans the other events only: its first label is not in year 2.
    let first_tick = eval(client, "document.querySelector('#timeline .tl-axis:last-of-type text').textContent").await;
    assert!(first_tick.as_str().unwrap().contains("20"), "{first_tick}");
    // A listed date shows its events.
    let late = outliers[1];
    client.find(Locator::Css(&format!("#tl-outliers [data-date=\"{late}\"]"))).await.unwrap().click().await.unwrap();
    ready(client).await;
    let shown = feature_ids(base, &format!("since={late}&until={late}&min_confidence=0")).await;
    assert_eq!(marker_ids(client).await, shown);
    assert_eq!(eval(client, "document.getElementById('filter-since').value").await, late);
    // When every matching event has an implausible date, the timeline draws nothing and says so.
    let early = outliers[0];
    let words = "%D8%A8%D8%AA%D9%87%D9%85%D8%A9%20%D8%A7%D9%84%D8%AA%D8%B8%D8%A7%D9%87%D8%B1"; // بتهمة التظاهر
    assert_eq!(api(base, &format!("/api/events?min_confidence=0&text={words}")).await["total"], 1);
    goto(client, &format!("{base}?min_confidence=0&text={words}")).await;
    let text = client.find(Locator::Id("tl-outliers")).await.unwrap().text().await.unwrap();
    assert!(text.starts_with("1 event, without a plausible date") && text.contains(early), "{text}");
    assert_eq!(eval(client, "document.querySelectorAll('#timeline .tl-bar').length").await, 0);
}

/// Runs blocking work on a thread outside the async runtime.
fn off_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| scope.spawn(work).join().unwrap())
}

/// A server of its own, over a store that another process writes to as the page is open (as
/// `rasd watch` does): the map shows the new event without a reload, and the sources page lists
/// the watched source.
async fn live_updates(client: &Client) {
    let dir = tempfile::tempdir().unwrap();
    // Store calls run on a thread of their own: a store's client may block, which an async
    // test must not do.
    let db = off_runtime(|| rasd_store::scratch::test_database(dir.path(), "live.db"));
    let records = common::devset_records();
    let store_one = |index: usize| {
        let mut store = rasd_store::Store::connect(&db).unwrap();
        let mut batch = store.batch().unwrap();
        batch.put(&records[index].0, &records[index].1).unwrap();
        let source = rasd_store::SourceState {
            name: "fixture-feed".into(),
            url: "https://news.example/feed".into(),
            kind: "feed".into(),
            items: index as u64 + 1,
            ..Default::default()
        };
        batch.save_source(&source, "2026-12-07", 1).unwrap();
        batch.commit().unwrap();
    };
    let put = |index: usize| off_runtime(|| store_one(index));
    put(0);
    let base = common::start(db.clone(), None);
    goto(client, &format!("{base}?min_confidence=0")).await;
    let before = marker_ids(client).await.len();
    let added = records.iter().skip(1).position(|(r, _)| r.events.iter().any(|e| e.location.is_some())).unwrap() + 1;
    put(added);
    let started = Instant::now();
    while marker_ids(client).await.len() <= before {
        assert!(started.elapsed() < Duration::from_secs(20), "the map did not follow the new event");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(console_errors(client).await, Vec::<String>::new(), "no console error on a live reload");
    goto(client, &format!("{base}/sources")).await;
    let rows = eval(client, "[...document.querySelectorAll('#source-list tr')].map(r => r.cells[0].textContent)").await;
    assert_eq!(rows, json!(["fixture-feed"]));
    assert_eq!(console_errors(client).await, Vec::<String>::new(), "no console error on the sources page");
}
