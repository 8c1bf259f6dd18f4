//! End to end in headless Chromium (Debian's `chromium` and `chromium-driver`): the page loads,
//! shows the example article's events on the map, filters by type, and explains the Sayyida
//! Zaynab event with its evidence highlighted and The National in its chain.
//!
//! Without `/usr/bin/chromedriver` the test is skipped, unless `RASD_BROWSER_TESTS=require`
//! (as `.ci/run` sets it, after installing both packages).

mod common;

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn driver() -> Option<Driver> {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        let required = std::env::var("RASD_BROWSER_TESTS").is_ok_and(|v| v == "require");
        assert!(
            !required,
            "RASD_BROWSER_TESTS=require but {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)");
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(CHROMEDRIVER)
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
    Some(Driver { child, port, _profile: tempfile::tempdir().unwrap() })
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
    args.push(format!("--user-data-dir={}", driver._profile.path().display()));
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), json!({"binary": CHROMIUM, "args": args}));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session starts")
}

/// Evaluates a JavaScript expression in the page.
async fn eval(client: &Client, expression: &str) -> Value {
    client.execute(&format!("return {expression};"), vec![]).await.unwrap()
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

/// The API's answer, for comparison with what the page shows.
fn api(base: &str, path: &str) -> Value {
    reqwest::blocking::get(format!("{base}{path}")).unwrap().json().unwrap()
}

#[test]
fn the_map_filters_and_explains_an_event() {
    let Some(driver) = driver() else { return };
    let base = common::devset_server().to_string();
    let all = api(&base, "/api/events?limit=1000");
    let example: Vec<&Value> = all["events"].as_array().unwrap().iter().filter(|e| e["article_id"] == 1).collect();
    assert_eq!(example.len(), 3, "the example article's three events are stored");
    let zaynab = example.iter().find(|e| e["location"] == "Sayyida Zaynab").unwrap()["id"].as_i64().unwrap();
    let hostile = all["events"].as_array().unwrap().iter().find(|e| e["evidence"].as_str().unwrap().contains("pwned"));
    let hostile = hostile.expect("the hostile article's event is stored")["id"].as_i64().unwrap();
    let strategic = api(&base, "/api/events?format=geojson&type=Strategic%20developments");
    let mut strategic_ids: Vec<i64> =
        strategic["features"].as_array().unwrap().iter().map(|f| f["id"].as_i64().unwrap()).collect();
    strategic_ids.sort_unstable();

    let confident = api(&base, "/api/events?limit=1000&min_confidence=0.7");
    assert!(confident["total"].as_u64() < all["total"].as_u64(), "the threshold leaves some events out");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser(&driver).await;
        // The map opens at the calibrated confidence threshold …
        client.goto(&base).await.unwrap();
        ready(&client).await;
        let threshold = eval(&client, "document.getElementById('filter-min_confidence').value").await;
        assert_eq!(threshold, "0.7", "the map's default confidence threshold");
        let total = client.find(Locator::Id("total")).await.unwrap().text().await.unwrap();
        assert_eq!(total, confident["total"].to_string());
        // … and shows every event when asked to.
        client.goto(&format!("{base}?min_confidence=0")).await.unwrap();
        ready(&client).await;

        // The example article's events are on the map.
        let markers = marker_ids(&client).await;
        for e in &example {
            assert!(markers.contains(&e["id"].as_i64().unwrap()), "event {} is on the map: {markers:?}", e["id"]);
        }
        let total = client.find(Locator::Id("total")).await.unwrap().text().await.unwrap();
        assert_eq!(total, all["total"].to_string());

        // Filtering by type leaves that type's markers only.
        client.find(Locator::Id("filter-type")).await.unwrap().select_by_value("Strategic developments").await.unwrap();
        client.find(Locator::Id("apply-filters")).await.unwrap().click().await.unwrap();
        ready(&client).await;
        assert_eq!(marker_ids(&client).await, strategic_ids);

        // The Sayyida Zaynab event: its sentence highlighted, The National outermost in its chain.
        let row = format!("#event-list [data-event-id=\"{zaynab}\"]");
        client.find(Locator::Css(&row)).await.unwrap().click().await.unwrap();
        let panel = format!("#event-panel[data-event-id=\"{zaynab}\"] #article-text mark.hl-evidence");
        let evidence = client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(&panel)).await.unwrap();
        assert!(evidence.is_displayed().await.unwrap());
        let highlighted = eval(
            &client,
            "[...document.querySelectorAll('#article-text mark.hl-evidence')].map(m => m.textContent).join('')",
        )
        .await;
        assert!(highlighted.as_str().unwrap().contains("السيدة زينب"), "{highlighted}");
        let trigger = eval(
            &client,
            "[...document.querySelectorAll('#article-text mark.hl-trigger')].map(m => m.textContent).join('')",
        )
        .await;
        assert_eq!(trigger, "أحبطت");
        let chain = client.find_all(Locator::Css("#chain li")).await.unwrap();
        assert!(chain.len() >= 2, "a chain of {}", chain.len());
        assert!(chain[0].text().await.unwrap().contains("The National"), "outermost first");

        eval(&client, "window.scrollTo(0, 0)").await;
        let png = client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("rasd-serve.png");
        std::fs::write(&path, png).unwrap();
        eprintln!("screenshot: {}", path.display());
        // Markup in an article, its title or its outlet is shown as text, never run.
        client.find(Locator::Id("filter-type")).await.unwrap().select_by_value("").await.unwrap();
        client.find(Locator::Id("apply-filters")).await.unwrap().click().await.unwrap();
        ready(&client).await;
        let row = format!("#event-list [data-event-id=\"{hostile}\"]");
        client.find(Locator::Css(&row)).await.unwrap().click().await.unwrap();
        let panel = format!("#event-panel[data-event-id=\"{hostile}\"] #article-text mark.hl-evidence");
        client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(&panel)).await.unwrap();
        let shown = eval(&client, "document.querySelector('#article-text').textContent").await;
        assert!(shown.as_str().unwrap().contains("<script>document.body.dataset.pwned=3</script>"), "{shown}");
        assert_eq!(
            eval(&client, "document.querySelectorAll('#event-panel img, #event-panel script, #event-panel b').length")
                .await,
            0
        );
        assert_eq!(eval(&client, "document.body.dataset.pwned === undefined").await, true, "no script ran");

        // Arabic labels, right to left.
        client.find(Locator::Id("lang-toggle")).await.unwrap().click().await.unwrap();
        assert_eq!(eval(&client, "document.documentElement.dir").await, "rtl");

        // Nothing was fetched from another origin.
        let foreign = eval(
            &client,
            "performance.getEntriesByType('resource').map(r => r.name).filter(n => !n.startsWith(location.origin))",
        )
        .await;
        assert_eq!(foreign, json!([]), "offline: every resource is served by rasd");

        client.close().await.unwrap();
    });
}
