//! The dataset workflow through the real binary: ingest → query → export, idempotency, a
//! SIGKILL in the middle of an ingest, and the dev-set figures as a regression floor.
//!
//! The store is a SQLite file, or with `RASD_TEST_BACKEND=postgres` a PostgreSQL schema: CI runs
//! this suite on both engines.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use rasd_store::{Location, Store};

fn rasd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rasd")).args(args).output().expect("the rasd binary runs")
}

fn devset() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/devset")
}

/// A JSONL corpus of `copies` variants of every dev-set item (each variant's text differs, so
/// each is a distinct article).
fn corpus(dir: &Path, copies: usize) -> (PathBuf, usize) {
    let items = devset().join("items");
    let mut lines = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&items).unwrap().map(|e| e.unwrap().path()).collect();
    names.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    names.sort();
    for n in 0..copies {
        for path in &names {
            let text = std::fs::read_to_string(path).unwrap();
            let (title, body) = text.split_once("\n\n").unwrap_or(("", &text));
            let content = format!("{body}\n\nنشرة رقم {n}.");
            let line = serde_json::json!({"source": format!("outlet{n}"), "url": format!("https://example.org/{n}/{}", path.display()),
                "date_extracted": "2025-06-01 10:00:00", "title": title, "content": content});
            lines.push(line.to_string());
        }
    }
    let path = dir.join("corpus.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    (path, lines.len())
}

/// The articles and events stored (0 and 0 before the database exists).
fn count(db: &Location) -> (usize, usize) {
    let exists = db.file().is_none_or(Path::exists);
    let counts = exists.then(|| Store::connect_read_only(db).and_then(|s| s.counts()).ok()).flatten();
    counts.map_or((0, 0), |c| (c.articles as usize, c.events as usize))
}

/// A new database for a test, on the engine `RASD_TEST_BACKEND` names, and its `--db` argument.
fn database(dir: &Path, name: &str) -> (Location, String) {
    let db = rasd_store::scratch::test_database(dir, name);
    let arg = db.to_string();
    (db, arg)
}

#[test]
fn ingest_twice_stores_once_then_query_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, n) = corpus(dir.path(), 1);
    let (db, db_arg) = database(dir.path(), "rasd.db");
    let first = rasd(&["ingest", &corpus.to_string_lossy(), "--db", &db_arg]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let (articles, events) = count(&db);
    assert_eq!(articles, n);
    let second = rasd(&["ingest", &corpus.to_string_lossy(), "--db", &db_arg]);
    let summary = String::from_utf8_lossy(&second.stderr).into_owned();
    assert!(summary.contains(&format!("new 0 · copies 0 · duplicates {n}")), "{summary}");
    assert_eq!(count(&db), (n, events), "nothing added twice");

    let csv = rasd(&["events", "--db", &db_arg, "--format", "csv"]);
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(
        text.starts_with("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1")
    );
    let idlib = rasd(&["events", "--db", &db_arg, "--admin1", "Idlib", "--format", "jsonl"]);
    let rows: Vec<serde_json::Value> =
        String::from_utf8(idlib.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!rows.is_empty() && rows.iter().all(|r| r["event"]["location"]["admin1"] == "Idlib"));
    let id = rows[0]["cluster_id"].as_i64().unwrap().to_string();
    let show = rasd(&["show", &id, "--db", &db_arg]);
    assert!(String::from_utf8_lossy(&show.stdout).contains("from    «"), "show prints the evidence sentence");
    let geo = dir.path().join("events.geojson");
    assert!(rasd(&["events", "--db", &db_arg, "--format", "geojson", "-o", &geo.to_string_lossy()]).status.success());
    let parquet = dir.path().join("events.parquet");
    assert!(rasd(&["events", "--db", &db_arg, "--format", "parquet", "-o", &parquet.to_string_lossy()])
        .status
        .success());
    assert!(std::fs::read(&parquet).unwrap().starts_with(b"PAR1"));
    let bad = rasd(&["events", "--db", &db_arg, "--near", "north,36,10"]);
    assert_eq!(bad.status.code(), Some(2), "a bad filter is a usage error");
    filters_are_read_as_meant(&db_arg);
}

/// `--type`, `--admin1`, `--actor` in Arabic, as aliases or in any case; unknown values refused
/// with the valid ones; a `--near` point with its coordinates swapped pointed out.
fn filters_are_read_as_meant(db: &str) {
    let jsonl = |filters: &[&str]| {
        let out = rasd(&[&["events", "--db", db, "--format", "jsonl"], filters].concat());
        assert!(out.status.success(), "{filters:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let rif = jsonl(&["--admin1", "Rif Dimashq"]);
    assert!(!rif.is_empty());
    assert_eq!(jsonl(&["--admin1", "ريف دمشق"]), rif);
    let islamic_state = jsonl(&["--actor", "Islamic State"]);
    assert!(!islamic_state.is_empty());
    assert_eq!(jsonl(&["--actor", "داعش"]), islamic_state);
    assert_eq!(jsonl(&["--actor", "Daesh"]), islamic_state);
    assert_eq!(jsonl(&["--type", "معارك"]), jsonl(&["--type", "battles"]));

    let unknown = rasd(&["events", "--db", db, "--type", "explosions"]);
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert_eq!(unknown.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--type: \"explosions\" is not an ACLED event type")
            && stderr.contains("Explosions/Remote violence")
    );
    let place = rasd(&["events", "--db", db, "--admin1", "Narnia"]);
    assert_eq!(place.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&place.stderr).contains("--admin1: \"Narnia\""));

    let swapped = rasd(&["events", "--db", db, "--near", "36.339,33.444,5", "--format", "jsonl"]);
    assert!(swapped.status.success() && swapped.stdout.is_empty());
    let warning = String::from_utf8_lossy(&swapped.stderr);
    assert!(warning.contains("warning: --near:") && warning.contains("33.444,36.339"), "{warning}");
}

#[test]
fn a_database_from_an_older_folding_is_refused_until_reindexed() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, n) = corpus(dir.path(), 1);
    let db = dir.path().join("rasd.db");
    let db_arg = db.to_string_lossy().into_owned();
    assert!(rasd(&["ingest", &corpus.to_string_lossy(), "--db", &db_arg]).status.success());
    let rows = |out: Output| -> Vec<String> {
        let rows: Vec<serde_json::Value> =
            String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        rows.iter().map(|r| r["event"].to_string()).collect()
    };
    let before = rows(rasd(&["events", "--db", &db_arg, "--format", "jsonl"]));
    assert!(!before.is_empty());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE rasd_versions SET version = 0 WHERE name = 'folding'", []).unwrap();
    drop(conn);

    for command in [vec!["events", "--db", &db_arg], vec!["ingest", &corpus.to_string_lossy(), "--db", &db_arg]] {
        let refused = Command::new(env!("CARGO_BIN_EXE_rasd")).args(&command).output().unwrap();
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(stderr.contains("folding version 0") && stderr.contains("rasd reindex --db"), "{stderr}");
    }
    let reindexed = rasd(&["reindex", "--db", &db_arg]);
    let stderr = String::from_utf8_lossy(&reindexed.stderr);
    assert!(reindexed.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("{n} articles")) && stderr.contains("before-reindex"), "{stderr}");
    assert!(dir.path().join("rasd.db.before-reindex").exists(), "the old database is kept");
    assert_eq!(count(&Location::File(db.clone())).0, n);
    assert_eq!(rows(rasd(&["events", "--db", &db_arg, "--format", "jsonl"])), before, "the same events, read again");
}

#[test]
fn killed_mid_ingest_then_rerun_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, n) = corpus(dir.path(), 20);
    let (db, db_arg) = database(dir.path(), "rasd.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(["ingest", &corpus.to_string_lossy(), "--db", &db_arg, "--batch", "10"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as the first batches are committed.
    let started = std::time::Instant::now();
    loop {
        let stored = count(&db).0 > 0;
        if stored || started.elapsed().as_secs() > 120 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let partial = count(&db).0;
    assert!(partial < n, "the kill came mid-batch ({partial} of {n} stored)");

    let rerun = rasd(&["ingest", &corpus.to_string_lossy(), "--db", &db_arg]);
    assert!(rerun.status.success(), "{}", String::from_utf8_lossy(&rerun.stderr));
    assert_eq!(count(&db).0, n, "every article stored, once");
    let (clean, clean_arg) = database(dir.path(), "clean.db");
    assert!(rasd(&["ingest", &corpus.to_string_lossy(), "--db", &clean_arg]).status.success());
    assert_eq!(count(&db), count(&clean), "the same events as an uninterrupted ingest");
}

#[test]
fn devset_figures_stay_above_the_floor() {
    let out = rasd(&["eval", &devset().to_string_lossy(), "--json"]);
    assert!(out.status.success());
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f1 = r["events"]["f1"].as_f64().unwrap();
    assert!(f1 >= 0.85, "dev-set event F1 {f1:.3} fell below 0.85");
    for lang in ["ar", "en"] {
        let f = r["by_language"][lang]["f1"].as_f64().unwrap();
        assert!(f >= 0.85, "{lang} F1 {f:.3}");
    }
    for key in ["sub_event_type", "status", "fatalities"] {
        let a = r["matched_accuracy"][key].as_f64().unwrap();
        assert!(a >= 0.9, "{key} accuracy {a:.3}");
    }
    assert!(r["attribution_chain_recall"].as_f64().unwrap() >= 0.85);
}

#[test]
fn serve_refuses_a_missing_database_and_a_busy_port() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.db");
    let out = rasd(&["serve", "--db", &missing.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("nope.db") && err.contains("no such database"), "{err}");

    let db = dir.path().join("rasd.db");
    let created = rasd(&["ingest", &devset().join("items/001.txt").to_string_lossy(), "--db", &db.to_string_lossy()]);
    assert!(created.status.success());
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let out = rasd(&["serve", "--db", &db.to_string_lossy(), "--addr", &addr]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
}
