//! Hostile and careless clients: the server answers in bounded time and size, never 500, and
//! agrees with its own OpenAPI document on every generated request.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde_json::Value;

fn client() -> Client {
    Client::builder().timeout(Duration::from_secs(60)).build().unwrap()
}

#[test]
fn a_host_that_is_not_this_server_is_refused() {
    let base = common::devset_server();
    let port = base.rsplit(':').next().unwrap();
    let answer = client().get(format!("{base}/api/events")).header("Host", "rebound.example").send().unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert!(answer.text().unwrap().contains("--allow-host rebound.example"));
    let local = client().get(format!("http://localhost:{port}/api/events")).send().unwrap();
    assert_eq!(local.status(), StatusCode::OK);
}

#[test]
fn control_characters_and_like_wildcards_are_not_special() {
    let base = common::devset_server();
    let get = |query: &str| client().get(format!("{base}/api/events?{query}")).send().unwrap();
    let nul = get("text=%00");
    assert_eq!(nul.status(), StatusCode::BAD_REQUEST);
    assert!(nul.text().unwrap().contains("control character"));
    for wildcard in ["actor=%25", "actor=_", "actor=%5C"] {
        let answer: Value = get(wildcard).json().unwrap();
        assert_eq!(answer["total"], 0, "{wildcard} matched events");
    }
    let all: Value = get("actor=").json().unwrap();
    assert!(all["total"].as_u64().unwrap() > 0, "an empty value is no filter");
}

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let base = common::devset_server();
    let mut stream = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    stream.write_all(b"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    stream.set_read_timeout(Some(rasd_server::HEADER_TIMEOUT + Duration::from_secs(10))).unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = stream.read_to_end(&mut rest).is_ok();
    assert!(closed, "the connection stayed open");
    assert!(started.elapsed() < rasd_server::HEADER_TIMEOUT + Duration::from_secs(5));
}

#[test]
fn unbalanced_quotes_take_linear_time_and_output() {
    let base = common::devset_server();
    let unit = "وقال المتحدث باسم وزارة الداخلية «";
    let body = unit.repeat((rasd_server::MAX_BODY_BYTES - 1024) / unit.len());
    let started = Instant::now();
    let answer = client()
        .post(format!("{base}/api/extract"))
        .header("Content-Type", "text/plain; charset=utf-8")
        .body(body.clone())
        .send()
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let json = answer.bytes().unwrap();
    // Was 80 s and gigabytes: now a few seconds (unoptimised test build) and about 10 bytes of
    // record per byte of text.
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
    assert!(json.len() < 20 * body.len(), "{} bytes of JSON for {} of text", json.len(), body.len());
}

/// The query parameters of `/api/events` in the OpenAPI document.
fn documented_parameters() -> Vec<String> {
    let spec: Value = serde_json::from_str(include_str!("../openapi.json")).unwrap();
    spec["paths"]["/api/events"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["$ref"].as_str().unwrap().rsplit('/').next().unwrap().to_string())
        .collect()
}

fn documented_statuses(path: &str, method: &str) -> Vec<u16> {
    let spec: Value = serde_json::from_str(include_str!("../openapi.json")).unwrap();
    spec["paths"][path][method]["responses"].as_object().unwrap().keys().map(|k| k.parse().unwrap()).collect()
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("0,0,0".to_string()),
        Just("99999999999999999999".to_string()),
        Just("-1".to_string()),
        "[0-9]{1,4}(\\.[0-9]{1,3})?(,[0-9-]{1,4}){0,3}",
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
        "[a-zA-Z%_ ]{0,12}",
        "\\PC{0,20}",
        any::<String>().prop_map(|s| s.chars().take(30).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    /// Schemathesis-style: requests built from the documented parameters get a documented
    /// status, never a 500, and every error is JSON that says what is wrong.
    #[test]
    fn generated_requests_get_documented_answers(
        picks in proptest::collection::vec((0usize..13, value()), 0..4),
        id in prop_oneof![Just("0".to_string()), Just("18446744073709551616".to_string()), "[0-9]{1,20}", "\\PC{1,5}"],
    ) {
        let base = common::devset_server();
        let names = documented_parameters();
        let mut seen = std::collections::HashSet::new();
        let pairs: Vec<(String, String)> =
            picks.into_iter().filter(|(i, _)| seen.insert(*i % names.len())).map(|(i, v)| (names[i % names.len()].clone(), v)).collect();
        let query = serde_urlencoded::to_string(&pairs).unwrap();
        let answer = client().get(format!("{base}/api/events?{query}")).send().unwrap();
        let status = answer.status().as_u16();
        prop_assert!(documented_statuses("/api/events", "get").contains(&status), "{status} for ?{query}");
        let body: Value = answer.json().unwrap();
        if status >= 400 {
            prop_assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()));
        }
        let id = url_path_segment(&id);
        let answer = client().get(format!("{base}/api/events/{id}")).send().unwrap();
        let status = answer.status().as_u16();
        prop_assert!(documented_statuses("/api/events/{id}", "get").contains(&status), "{status} for /api/events/{id}");
    }
}

fn url_path_segment(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
