//! The HTTP API against a real server over a database read from the dev set and the example
//! article: every endpoint, every answer checked against `openapi.json`, and the errors.

mod common;

use reqwest::blocking::{Client, Response};
use reqwest::StatusCode;
use serde_json::Value;

fn client() -> Client {
    Client::builder().timeout(std::time::Duration::from_secs(60)).build().unwrap()
}

fn get(path: &str) -> Response {
    client().get(format!("{}{path}", common::devset_server())).send().unwrap()
}

fn openapi() -> Value {
    serde_json::from_str(include_str!("../openapi.json")).unwrap()
}

/// How a JSON value breaks a schema of `components/schemas` of the OpenAPI document.
fn violations(value: &Value, schema: &str) -> Vec<String> {
    let mut root = openapi();
    root["$ref"] = Value::String(format!("#/components/schemas/{schema}"));
    let validator = jsonschema::validator_for(&root).expect("the OpenAPI schemas compile");
    validator.iter_errors(value).map(|e| format!("{} at {}", e, e.instance_path)).collect()
}

/// Checks a JSON answer against its schema.
fn conforms(value: &Value, schema: &str) {
    let errors = violations(value, schema);
    assert!(errors.is_empty(), "the answer does not match {schema}: {errors:#?}");
}

#[test]
fn the_schemas_catch_a_wrong_answer() {
    let page = serde_json::json!({"total": 1, "offset": 0, "limit": 1, "warnings": [], "events": [{"id": 1}]});
    assert!(
        violations(&page, "EventPage").iter().any(|v| v.contains("event_type")),
        "{:?}",
        violations(&page, "EventPage")
    );
    assert!(!violations(&serde_json::json!({"error": 5}), "Error").is_empty());
}

/// A 200 answer's JSON, checked against its schema.
fn ok(path: &str, schema: &str) -> Value {
    let response = get(path);
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let json: Value = response.json().unwrap();
    conforms(&json, schema);
    json
}

/// An error answer: its status and message.
fn error(response: Response, status: StatusCode) -> String {
    assert_eq!(response.status(), status);
    let json: Value = response.json().unwrap();
    conforms(&json, "Error");
    json["error"].as_str().unwrap().to_string()
}

fn ids(page: &Value) -> Vec<i64> {
    page["events"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect()
}

/// The example article's foiled attack on Sayyida Zaynab, as the list finds it.
fn sayyida_zaynab() -> Value {
    let page = ok("/api/events?text=%D8%A7%D9%84%D8%B3%D9%8A%D8%AF%D9%87%20%D8%B2%D9%8A%D9%86%D8%A8", "EventPage");
    let events = page["events"].as_array().unwrap();
    events.iter().find(|e| e["location"] == "Sayyida Zaynab").cloned().expect("found by folded Arabic text")
}

#[test]
fn health_reports_the_database() {
    let health = ok("/healthz", "Health");
    assert!(health["articles"].as_i64().unwrap() >= 31, "{health}");
    assert_eq!(health["ingest"], false, "no token, no ingest");
}

#[test]
fn events_are_paged_newest_first() {
    let all = ok("/api/events?limit=1000", "EventPage");
    let total = all["total"].as_i64().unwrap();
    assert!(total >= 60, "the dev set has 64 gold events: {total}");
    assert_eq!(ids(&all).len() as i64, total);
    let dates: Vec<&str> =
        all["events"].as_array().unwrap().iter().map(|e| e["date_start"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let first = ok("/api/events?limit=10", "EventPage");
    let second = ok("/api/events?limit=10&offset=10", "EventPage");
    assert_eq!(first["total"], all["total"]);
    assert_eq!([ids(&first), ids(&second)].concat(), ids(&all)[..20]);
}

#[test]
fn filters_narrow_the_answer() {
    let battles = ok("/api/events?type=battles&limit=1000", "EventPage");
    assert!(battles["total"].as_i64().unwrap() > 0);
    assert!(battles["events"].as_array().unwrap().iter().all(|e| e["event_type"] == "Battles"));
    let idlib = ok("/api/events?admin1=Idlib", "EventPage");
    assert!(idlib["events"].as_array().unwrap().iter().all(|e| e["admin1"] == "Idlib"));
    let future = ok("/api/events?status=future", "EventPage");
    assert!(future["events"].as_array().unwrap().iter().all(|e| e["status"] == "future"));
    let near = ok("/api/events?near=33.444,36.339,5", "EventPage");
    assert!(ids(&near).contains(&sayyida_zaynab()["id"].as_i64().unwrap()));
    let dated = ok("/api/events?since=2025-10-01&until=2025-10-31", "EventPage");
    assert!(dated["events"].as_array().unwrap().iter().all(|e| e["date_end"].as_str().unwrap() >= "2025-10-01"));
    let none = ok("/api/events?actor=nobody-at-all", "EventPage");
    assert_eq!(none["total"], 0);
}

/// A query string with its value percent-encoded (Arabic, spaces, slashes).
fn filtered(path: &str, key: &str, value: &str) -> String {
    format!("{path}?{}", serde_urlencoded::to_string([(key, value)]).unwrap())
}

#[test]
fn filters_read_aliases_arabic_names_and_any_case() {
    let rif = ok("/api/events?admin1=Rif%20Dimashq", "EventPage");
    assert!(ids(&rif).contains(&sayyida_zaynab()["id"].as_i64().unwrap()));
    for name in ["ريف دمشق", "Rural Damascus", "rural damascus", "rif dimashq"] {
        assert_eq!(ids(&ok(&filtered("/api/events", "admin1", name), "EventPage")), ids(&rif), "{name}");
    }
    let stats = ok(&filtered("/api/stats", "admin1", "ريف دمشق"), "Stats");
    assert_eq!(stats["total"], rif["total"]);

    let islamic_state = ok("/api/events?actor=Islamic%20State", "EventPage");
    assert!(islamic_state["total"].as_i64().unwrap() > 0);
    for alias in ["داعش", "Daesh", "ISIS", "تنظيم الدولة"] {
        let page = ok(&filtered("/api/events", "actor", alias), "EventPage");
        assert_eq!(ids(&page), ids(&islamic_state), "{alias}");
    }
    assert!(islamic_state["events"].as_array().unwrap().iter().all(|e| [&e["actor1"], &e["actor2"]]
        .iter()
        .any(|a| a.as_str().is_some_and(|a| a.starts_with("Islamic State")))));

    let battles = ok("/api/events?type=Battles", "EventPage");
    assert_eq!(ids(&ok(&filtered("/api/events", "type", "معارك"), "EventPage")), ids(&battles));
    assert_eq!(ids(&ok("/api/events?type=BATTLES", "EventPage")), ids(&battles));
}

#[test]
fn unknown_filter_values_are_refused_with_the_valid_ones() {
    let unknown = error(get("/api/events?type=explosions"), StatusCode::BAD_REQUEST);
    assert!(unknown.starts_with("type: \"explosions\" is not an ACLED event type"), "{unknown}");
    assert!(unknown.contains("Explosions/Remote violence") && unknown.contains("Strategic developments"), "{unknown}");
    let sub = error(get(&filtered("/api/events", "sub_type", "drone")), StatusCode::BAD_REQUEST);
    assert!(sub.starts_with("sub_type:") && sub.contains("Air/drone strike"), "{sub}");
    let mismatch = error(get("/api/events?type=Battles&sub_type=Air%2Fdrone%20strike"), StatusCode::BAD_REQUEST);
    assert!(mismatch.contains("sub-event type of \"Explosions/Remote violence\""), "{mismatch}");
    let place = error(get("/api/stats?admin1=Narnia"), StatusCode::BAD_REQUEST);
    assert!(place.starts_with("admin1:") && place.contains("Rif Dimashq"), "{place}");
}

#[test]
fn a_near_point_with_swapped_coordinates_is_pointed_out() {
    let right = ok("/api/events?near=33.444,36.339,5", "EventPage");
    assert_eq!(right["warnings"], serde_json::json!([]));
    let swapped = ok("/api/events?near=36.339,33.444,5", "EventPage");
    assert_eq!(swapped["total"], 0);
    let warning = swapped["warnings"][0].as_str().unwrap();
    assert!(
        warning.starts_with("near:") && warning.contains("33.444,36.339") && warning.contains("LAT,LON,KM"),
        "{warning}"
    );
    let map = ok("/api/events?near=36.339,33.444,5&format=geojson", "FeatureCollection");
    assert_eq!(map["warnings"][0], warning);
}

#[test]
fn geojson_has_a_point_for_each_placed_event() {
    let response = get("/api/events?format=geojson");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    let collection: Value = response.json().unwrap();
    conforms(&collection, "FeatureCollection");
    let features = collection["features"].as_array().unwrap();
    assert!(features.len() >= 50, "{}", features.len());
    for f in features {
        let [lon, lat] = [0, 1].map(|i| f["geometry"]["coordinates"][i].as_f64().unwrap());
        assert_eq!((f["properties"]["lon"].as_f64(), f["properties"]["lat"].as_f64()), (Some(lon), Some(lat)));
    }
}

#[test]
fn markers_are_the_geojson_features_with_what_a_marker_shows() {
    let response = get("/api/events?format=markers&type=Battles");
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    let markers: Value = response.json().unwrap();
    conforms(&markers, "FeatureCollection");
    let full = ok("/api/events?format=geojson&type=Battles", "FeatureCollection");
    assert_eq!(markers["total"], full["total"]);
    let (mine, theirs) = (markers["features"].as_array().unwrap(), full["features"].as_array().unwrap());
    assert!(!mine.is_empty());
    assert_eq!(mine.len(), theirs.len());
    for (marker, feature) in mine.iter().zip(theirs) {
        assert_eq!((&marker["id"], &marker["geometry"]), (&feature["id"], &feature["geometry"]));
        let properties = marker["properties"].as_object().unwrap();
        assert!(!properties.contains_key("evidence"), "a marker leaves out what its event page shows");
        for (key, value) in properties {
            assert_eq!(value, &feature["properties"][key], "{key}");
        }
    }
}

#[test]
fn keyset_pages_list_every_event_once_in_order() {
    let everything = ids(&ok("/api/events?limit=1000", "EventPage"));
    assert!(everything.len() > 60, "{}", everything.len());
    let (mut paged, mut after) = (Vec::new(), String::new());
    loop {
        let page = ok(&format!("/api/events?limit=25{after}"), "EventPage");
        paged.extend(ids(&page));
        assert!(page["total"].as_u64().unwrap() as usize == everything.len(), "the total is of all pages");
        match page["next"].as_str() {
            Some(next) => after = format!("&after={next}"),
            None => break,
        }
    }
    assert_eq!(paged, everything);
    let bad = error(get("/api/events?after=yesterday"), StatusCode::BAD_REQUEST);
    assert!(bad.starts_with("after:"), "{bad}");
}

#[test]
fn an_event_has_its_sources_chain_and_evidence() {
    let id = sayyida_zaynab()["id"].as_i64().unwrap();
    let cluster = ok(&format!("/api/events/{id}"), "Cluster");
    let event = &cluster["reports"][0]["event"];
    assert_eq!(event["sub_event_type"], "Disrupted weapons use");
    let chain: Vec<&str> = event["sources"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(chain, ["The National", "Nour al-Din al-Baba"], "outermost first");

    let article_id = cluster["reports"][0]["article_id"].as_i64().unwrap();
    let article = ok(&format!("/api/articles/{article_id}"), "Article");
    let record: rasd_record::Record = serde_json::from_value(article["record"].clone()).unwrap();
    assert_eq!(record.span_errors(), Vec::<String>::new(), "every span of the served record is its text's");
    assert_eq!(&record.events[0].evidence.text, event["evidence"]["text"].as_str().unwrap());
    assert!(event["evidence"]["text"].as_str().unwrap().contains("السيدة زينب"));
}

#[test]
fn stats_count_the_matching_clusters() {
    let stats = ok("/api/stats", "Stats");
    let total = stats["total"].as_u64().unwrap();
    let sum = |key: &str| stats[key].as_object().unwrap().values().map(|n| n.as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum("by_type"), total);
    assert_eq!(sum("by_status"), total);
    let by_day: u64 = stats["by_day"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["counts"].as_object().unwrap().values().map(|n| n.as_u64().unwrap()))
        .sum();
    assert_eq!(by_day, total);
    assert_eq!(total as i64, ok("/api/events", "EventPage")["total"].as_i64().unwrap());
    let protests = ok("/api/stats?type=Protests", "Stats");
    assert_eq!(protests["by_type"].as_object().unwrap().keys().collect::<Vec<_>>(), ["Protests"]);
}

#[test]
fn extract_answers_a_record_and_stores_nothing() {
    let before = ok("/healthz", "Health")["articles"].clone();
    let example = std::fs::read_to_string(common::root().join("examples/seed-article-ar.txt")).unwrap();
    let url = format!("{}/api/extract", common::devset_server());
    let response =
        client().post(&url).header("content-type", "text/plain; charset=utf-8").body(example).send().unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let record: Value = response.json().unwrap();
    conforms(&record, "Record");
    assert_eq!(record["events"].as_array().unwrap().len(), 3, "the example article has three events");

    let body = serde_json::json!({"text": "قتل ثلاثة مدنيين بقصف مدفعي على بلدة كفرنبل بريف إدلب الجنوبي أمس.", "published": "2025-03-02", "outlet": "Enab Baladi"});
    let record: Value = client().post(&url).json(&body).send().unwrap().json().unwrap();
    assert_eq!(record["events"][0]["sub_event_type"], "Shelling/artillery/missile attack");
    assert_eq!(record["events"][0]["fatalities"], 3);
    assert_eq!(ok("/healthz", "Health")["articles"], before, "nothing stored");

    let bad_date = client().post(&url).json(&serde_json::json!({"text": "x", "published": "March"})).send().unwrap();
    assert!(error(bad_date, StatusCode::BAD_REQUEST).contains("published"));
    let unknown_field = client().post(&url).json(&serde_json::json!({"body": "x"})).send().unwrap();
    assert!(error(unknown_field, StatusCode::BAD_REQUEST).contains("body"));
    let oversized = client().post(&url).body("ب".repeat(rasd_server::MAX_BODY_BYTES)).send().unwrap();
    assert!(error(oversized, StatusCode::PAYLOAD_TOO_LARGE).contains("larger than"));
}

#[test]
fn ingest_needs_the_token_and_stores_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = rasd_store::scratch::test_database(dir.path(), "empty.db");
    drop(rasd_store::Store::connect(&db).unwrap());
    let base = common::start(db, Some("s3cret-token"));
    let url = format!("{base}/api/articles");
    let body = serde_json::json!({"text": "اختطف مسلحون مجهولون شاباً في مدينة جاسم بريف درعا فجر اليوم.", "published": "2025-05-17", "outlet": "نبض حوران"});
    let anonymous = client().post(&url).json(&body).send().unwrap();
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert!(error(anonymous, StatusCode::UNAUTHORIZED).contains("Bearer"));
    let wrong = client().post(&url).bearer_auth("s3cret-tokeN").json(&body).send().unwrap();
    assert!(error(wrong, StatusCode::UNAUTHORIZED).contains("wrong"));

    let stored = client().post(&url).bearer_auth("s3cret-token").json(&body).send().unwrap();
    assert_eq!(stored.status(), StatusCode::CREATED);
    let stored: Value = stored.json().unwrap();
    assert_eq!((stored["outcome"].as_str(), stored["events"].as_u64()), (Some("new"), Some(1)));
    let again = client().post(&url).bearer_auth("s3cret-token").json(&body).send().unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().unwrap();
    conforms(&again, "Ingested");
    assert_eq!((again["outcome"].as_str(), &again["article_id"]), (Some("duplicate"), &stored["article_id"]));
    let total = || -> Value {
        let page: Value = client().get(format!("{base}/api/events?limit=1")).send().unwrap().json().unwrap();
        page["total"].clone()
    };
    assert_eq!(total(), 1);
    // A full page is counted, and the count is remembered until the database changes.
    let other = serde_json::json!({"text": "قتل مدنيان بقصف مدفعي على بلدة كفرنبل بريف إدلب الجنوبي أمس.", "published": "2025-05-18"});
    let stored = client().post(&url).bearer_auth("s3cret-token").json(&other).send().unwrap();
    assert_eq!(stored.status(), StatusCode::CREATED);
    assert_eq!(total(), 2, "a new event is counted at once");
    let page: Value = client().get(format!("{base}/api/events")).send().unwrap().json().unwrap();
    assert_eq!(page["events"][0]["sub_event_type"], "Shelling/artillery/missile attack", "newest first");
    assert_eq!(page["events"][1]["sub_event_type"], "Abduction/forced disappearance");

    // Without a token the endpoint is disabled, whatever the client sends.
    let disabled =
        client().post(format!("{}/api/articles", common::devset_server())).bearer_auth("x").json(&body).send();
    assert!(error(disabled.unwrap(), StatusCode::FORBIDDEN).contains("disabled"));
}

#[test]
fn bad_requests_say_what_is_wrong() {
    assert!(error(get("/api/events?since=yesterday"), StatusCode::BAD_REQUEST).contains("since"));
    assert!(error(get("/api/events?limit=5000"), StatusCode::BAD_REQUEST).contains("limit"));
    assert!(error(get("/api/events?colour=red"), StatusCode::BAD_REQUEST).contains("unknown parameter"));
    assert!(error(get("/api/stats?status=maybe"), StatusCode::BAD_REQUEST).contains("status"));
    assert!(error(get(&format!("/api/events?text={}", "x".repeat(3000))), StatusCode::URI_TOO_LONG).contains("limit"));
    assert!(error(get("/api/events/abc"), StatusCode::BAD_REQUEST).contains("positive whole number"));
    assert!(error(get("/api/events/999999"), StatusCode::NOT_FOUND).contains("no event 999999"));
    assert!(error(get("/api/articles/999999"), StatusCode::NOT_FOUND).contains("no article"));
    assert!(error(get("/api/nothing-here"), StatusCode::NOT_FOUND).contains("openapi.json"));
    assert!(error(get("/assets/../Cargo.toml"), StatusCode::NOT_FOUND).contains("no"));
}

#[test]
fn every_answer_carries_the_security_headers() {
    for path in ["/", "/assets/js/main.js", "/api/events", "/api/events/999999", "/healthz"] {
        let response = get(path);
        let headers = response.headers();
        assert_eq!(headers["content-security-policy"], rasd_server::CONTENT_SECURITY_POLICY, "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
    }
    let page = get("/");
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = page.text().unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("http://") && !html.contains("https://"),
        "no inline script, nothing remote"
    );
}

#[test]
fn the_openapi_document_describes_every_route() {
    let served: Value = get("/api/openapi.json").json().unwrap();
    assert_eq!(served, openapi());
    let paths: Vec<&String> = served["paths"].as_object().unwrap().keys().collect();
    for route in [
        "/healthz",
        "/api/events",
        "/api/events/{id}",
        "/api/articles/{id}",
        "/api/stats",
        "/api/extract",
        "/api/articles",
        "/api/taxonomy",
        "/api/sources",
        "/api/alerts",
        "/api/live",
    ] {
        assert!(paths.iter().any(|p| *p == route), "{route} is documented");
    }
}

#[test]
fn the_taxonomy_is_served_from_the_data_file() {
    let taxonomy = ok("/api/taxonomy", "Taxonomy");
    assert_eq!(taxonomy, serde_json::to_value(rasd_kb::Taxonomy::embedded()).unwrap());
    let types = taxonomy["event_types"].as_array().unwrap();
    assert_eq!(types.len(), 6);
    assert_eq!(
        (&types[0]["name"], &types[0]["name_ar"], &types[0]["colour"]),
        (&"Battles".into(), &"معارك".into(), &"#EE6677".into())
    );
    assert_eq!(taxonomy["sub_event_types"].as_array().unwrap().len(), 25);
}

#[test]
fn the_page_is_es_modules_served_as_javascript() {
    let html = get("/").text().unwrap();
    assert!(html.contains(r#"<script type="module" src="/assets/js/main.js">"#), "{html}");
    let dir = common::root().join("crates/server/web/js");
    let mut modules: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    modules.sort();
    assert!(modules.len() >= 8, "{modules:?}");
    for module in &modules {
        let response = get(&format!("/assets/js/{module}"));
        assert_eq!(response.status(), StatusCode::OK, "{module}");
        assert_eq!(response.headers()["content-type"], "text/javascript", "{module}");
        let source = response.text().unwrap();
        // Every import names a module that is served, so the page needs no build step.
        for import in source.split("from './").skip(1) {
            let name = import.split('\'').next().unwrap();
            assert!(modules.iter().any(|m| m == name), "{module} imports {name}, which is not in web/js/");
        }
    }
    let legacy = get("/assets/app.js");
    assert_eq!(legacy.status(), StatusCode::NOT_FOUND, "the one-file app.js is gone");
}

#[test]
fn misread_years_are_stored_as_read() {
    for (published, _) in common::OUTLIER_DATES {
        let page = ok(&format!("/api/events?since={published}&until={published}"), "EventPage");
        assert_eq!(page["total"], 1, "{published}: {page}");
        assert_eq!(page["events"][0]["date_start"], published);
    }
    let stats = ok("/api/stats", "Stats");
    let days: Vec<&str> = stats["by_day"].as_array().unwrap().iter().map(|d| d["date"].as_str().unwrap()).collect();
    assert_eq!((days.first(), days.last()), (Some(&"0002-01-01"), Some(&"2051-06-01")), "oldest first");
}

#[test]
fn the_neighbours_provinces_layer_has_their_admin1_but_not_syrias() {
    let response = get("/assets/boundaries/neighbours-adm1.geojson");
    assert_eq!(response.status(), StatusCode::OK);
    let mime = response.headers()[reqwest::header::CONTENT_TYPE].to_str().unwrap().to_string();
    assert!(mime.contains("json"), "served as JSON: {mime}");
    let bytes = response.bytes().unwrap();
    assert!(bytes.len() < 400_000, "kept small: {} bytes", bytes.len());
    let layer: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(layer["type"], "FeatureCollection");
    let features = layer["features"].as_array().unwrap();
    let count = |iso: &str| features.iter().filter(|f| f["properties"]["iso_a2"] == iso).count();
    // Turkey's 81 provinces, Iraq's 18 governorates, Lebanon's 6 (Natural Earth's edition), Jordan's 12.
    for (iso, at_least) in [("TR", 81), ("IQ", 18), ("LB", 6), ("JO", 12)] {
        assert!(count(iso) >= at_least, "{iso}: {} admin-1 units", count(iso));
    }
    assert_eq!(count("SY"), 0, "Syria is drawn from its governorates");
    for f in features {
        assert!(f["properties"]["name"].as_str().is_some_and(|n| !n.is_empty()), "named: {}", f["properties"]);
        assert!(f["properties"]["adm0"].is_string(), "{}", f["properties"]);
        assert!(["Polygon", "MultiPolygon"].contains(&f["geometry"]["type"].as_str().unwrap()), "{}", f["properties"]);
    }
    assert_in_region(features);
}

#[test]
fn the_neighbours_layer_covers_the_region_but_not_syria() {
    let response = get("/assets/boundaries/neighbours.geojson");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().unwrap();
    assert!(bytes.len() < 100_000, "kept small: {} bytes", bytes.len());
    let layer: Value = serde_json::from_slice(&bytes).unwrap();
    let features = layer["features"].as_array().unwrap();
    let names: Vec<&str> = features.iter().map(|f| f["properties"]["name"].as_str().unwrap()).collect();
    for country in
        ["Turkey", "Iraq", "Jordan", "Lebanon", "Israel", "Palestine", "Saudi Arabia", "Egypt", "Iran", "Yemen"]
    {
        assert!(names.contains(&country), "{country} in {names:?}");
    }
    assert!(!names.contains(&"Syria"), "Syria is drawn from its governorates");
    assert_in_region(features);
}

/// Every position of the features lies in the region's box (`tools/region.mjs`).
fn assert_in_region(features: &[Value]) {
    fn points(value: &Value, out: &mut Vec<[f64; 2]>) {
        match value.as_array() {
            Some(pair) if pair.len() == 2 && pair[0].is_number() => out.push([0, 1].map(|i| pair[i].as_f64().unwrap())),
            Some(items) => items.iter().for_each(|v| points(v, out)),
            None => {}
        }
    }
    let mut all = Vec::new();
    features.iter().for_each(|f| points(&f["geometry"]["coordinates"], &mut all));
    assert!(
        all.iter().all(|[lon, lat]| (24.0..=60.0).contains(lon) && (12.0..=43.0).contains(lat)),
        "clipped to the region"
    );
}

/// A store as `rasd watch` leaves it: a source that works, one that fails, a rule and its
/// alerts (one sent, one given up).
fn watched_database(location: &rasd_store::Location) {
    let mut store = rasd_store::Store::connect(location).unwrap();
    let record = common::devset_records().remove(0).0;
    let rule = r#"{"name":"damascus","admin1":"Damascus","stdout":true,"webhook":"https://hooks.example/rasd"}"#;
    store.save_alert_rules(&[("damascus".to_string(), rule.to_string())]).unwrap();
    let mut batch = store.batch().unwrap();
    let rasd_store::Outcome::New(article) = batch.put(&record, "https://news.example/1").unwrap() else { panic!() };
    let cluster = batch.clusters_of_article(article).unwrap()[0];
    let good = rasd_store::SourceState {
        name: "enab".into(),
        url: "https://www.enabbaladi.net/feed/".into(),
        kind: "feed".into(),
        last_success: Some("2026-12-07T10:00:00Z".into()),
        items: 1,
        ..Default::default()
    };
    let bad = rasd_store::SourceState {
        name: "down".into(),
        url: "https://down.example/feed".into(),
        kind: "feed".into(),
        failures: 3,
        last_error: Some("HTTP 503 (Retry-After 120 s)".into()),
        ..Default::default()
    };
    batch.save_source(&good, "2026-12-07", 1).unwrap();
    batch.save_source(&bad, "2026-12-07", 0).unwrap();
    for destination in ["stdout", "webhook:https://hooks.example/rasd"] {
        let payload = r#"{"summary":"Arrests in Damascus","reason":"new"}"#;
        let alert = rasd_store::NewAlert {
            rule: "damascus",
            cluster_id: cluster,
            fingerprint: "Arrests|Damascus|2026-12-06",
            fatalities: None,
            reason: "new",
            payload,
        };
        batch.queue_alert(&alert, destination, "2026-12-07T10:00:00Z").unwrap();
    }
    batch.commit().unwrap();
    let alerts = store.due_alerts("2026-12-07T10:00:01Z").unwrap();
    store.record_delivery(alerts[0].id, "2026-12-07T10:00:01Z", None, None).unwrap();
    store.record_delivery(alerts[1].id, "2026-12-07T10:00:01Z", Some("webhook answered HTTP 404"), None).unwrap();
}

#[test]
fn sources_alerts_and_the_live_stream_show_what_watch_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let db = rasd_store::scratch::test_database(dir.path(), "watched.db");
    watched_database(&db);
    let base = common::start(db.clone(), None);
    let fetch = |path: &str, schema: &str| {
        let json: Value = client().get(format!("{base}{path}")).send().unwrap().json().unwrap();
        conforms(&json, schema);
        json
    };
    let sources = fetch("/api/sources", "Sources");
    let names: Vec<&str> = sources["sources"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["down", "enab"]);
    assert_eq!(sources["sources"][0]["last_error"], "HTTP 503 (Retry-After 120 s)");
    assert_eq!(sources["sources"][1]["items"], 1);
    let alerts = fetch("/api/alerts", "Alerts");
    assert_eq!(alerts["rules"][0]["rule"]["admin1"], "Damascus");
    let states: Vec<&str> =
        alerts["alerts"].as_array().unwrap().iter().map(|a| a["status"].as_str().unwrap()).collect();
    assert_eq!(states, ["failed", "sent"]);
    assert_eq!(alerts["alerts"][0]["last_error"], "webhook answered HTTP 404");

    // The live stream says `change` at once, and again when another process writes.
    let mut live = client().get(format!("{base}/api/live")).send().unwrap();
    assert_eq!(live.headers()["content-type"], "text/event-stream");
    let mut read_event = || {
        let mut text = String::new();
        let mut buf = [0u8; 1024];
        while !text.contains("\n\n") {
            let n = std::io::Read::read(&mut live, &mut buf).unwrap();
            assert!(n > 0, "the stream ended");
            text.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        text
    };
    let first = read_event();
    assert!(first.starts_with("event: change\ndata: {"), "{first}");
    assert!(first.contains("\"articles\":1"), "{first}");
    let mut store = rasd_store::Store::connect(&db).unwrap();
    let mut batch = store.batch().unwrap();
    batch.put(&common::devset_records().remove(1).0, "https://news.example/2").unwrap();
    batch.commit().unwrap();
    let second = read_event();
    assert!(second.contains("\"articles\":2"), "{second}");
}
