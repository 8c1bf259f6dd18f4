//! Team scale through the real binary: a shared PostgreSQL store written by several processes
//! at once, `rasd copy` between SQLite and PostgreSQL, and distributed ingest over NATS
//! JetStream with a worker killed mid-item.
//!
//! PostgreSQL is `RASD_TEST_POSTGRES` (default postgres://127.0.0.1:5432/test) and NATS
//! `RASD_NATS_URL` (default nats://127.0.0.1:4222); `RASD_SKIP_POSTGRES=1` / `RASD_SKIP_NATS=1`
//! skip the tests that need them, otherwise a server that does not answer fails the test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rasd_store::scratch::ScratchSchema;
use rasd_store::{EventQuery, Location, Store};

fn rasd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rasd")).args(args).output().expect("the rasd binary runs")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn devset_texts() -> Vec<PathBuf> {
    let items = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/devset/items");
    let mut texts: Vec<PathBuf> = std::fs::read_dir(&items).unwrap().map(|e| e.unwrap().path()).collect();
    texts.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    texts.sort();
    texts
}

/// The dev set as JSON lines with their publication dates, twice: as published and as another
/// outlet's rewrite (paragraphs reversed), so that events cluster across articles; dealt into
/// three files, each item's two versions into different files.
fn shards(dir: &Path) -> Vec<String> {
    let mut shards = [Vec::new(), Vec::new(), Vec::new()];
    for (i, path) in devset_texts().iter().enumerate() {
        let gold: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path.with_extension("gold.json")).unwrap()).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let (title, body) = text.split_once("\n\n").unwrap_or(("", &text));
        let mut paragraphs: Vec<&str> = body.split("\n\n").collect();
        for (version, outlet) in ["A", "B"].iter().enumerate() {
            let line = serde_json::json!({"source": format!("outlet {outlet}"), "title": title,
                "date_extracted": format!("{} 10:00:00", gold["published"].as_str().unwrap()),
                "content": paragraphs.join("\n\n")});
            shards[(i + version) % 3].push(line.to_string());
            paragraphs.reverse();
        }
    }
    shards
        .iter()
        .enumerate()
        .map(|(i, lines)| {
            let path = dir.join(format!("shard{i}.jsonl"));
            std::fs::write(&path, lines.join("\n")).unwrap();
            path.display().to_string()
        })
        .collect()
}

/// What a store holds, independent of row ids: each article's key with its event count, and
/// each cluster as the set of (article key, event id in the article) it groups.
#[derive(Debug, PartialEq)]
struct Contents {
    articles: BTreeSet<(String, usize)>,
    clusters: BTreeSet<Vec<(String, String)>>,
}

fn contents(location: &Location) -> Contents {
    let store = Store::connect_read_only(location).unwrap();
    let mut keys = std::collections::HashMap::new();
    let mut articles = BTreeSet::new();
    let mut after = 0;
    loop {
        let page = store.records_after(after, 100).unwrap();
        let Some((last, _, _)) = page.last() else { break };
        after = *last;
        for (id, _, record) in page {
            articles.insert((record.article.id.clone(), record.events.len()));
            keys.insert(id, record.article.id);
        }
    }
    let clusters = store
        .events(&EventQuery::default())
        .unwrap()
        .iter()
        .map(|c| {
            let mut members: Vec<(String, String)> =
                c.reports.iter().map(|r| (keys[&r.article_id].clone(), r.event.id.clone())).collect();
            members.sort();
            members
        })
        .collect();
    Contents { articles, clusters }
}

fn postgres(tag: &str) -> Option<ScratchSchema> {
    ScratchSchema::new(tag).unwrap()
}

#[test]
fn three_writers_into_postgres_store_and_cluster_what_one_writer_does() {
    let (Some(one), Some(many)) = (postgres("one"), postgres("many")) else { return };
    let dir = tempfile::tempdir().unwrap();
    let shards = shards(dir.path());
    let all: Vec<&str> = shards.iter().map(String::as_str).collect();
    ok(rasd(&[&["ingest", "--db", &one.url()][..], &all].concat()));
    let writers: Vec<_> = shards
        .iter()
        .map(|shard| {
            let args = ["ingest".to_string(), shard.clone(), "--db".into(), many.url(), "--batch".into(), "4".into()];
            std::thread::spawn(move || rasd(&args.iter().map(String::as_str).collect::<Vec<_>>()))
        })
        .collect();
    for writer in writers {
        ok(writer.join().unwrap());
    }
    let single = contents(&one.location());
    assert_eq!(single.articles.len(), 2 * devset_texts().len());
    assert!(single.clusters.iter().filter(|c| c.len() > 1).count() > 20, "events reported twice cluster");
    assert_eq!(contents(&many.location()), single, "same articles, same clusters");
}

#[test]
fn copy_moves_a_sqlite_store_to_postgres_and_back_unchanged() {
    let Some(schema) = postgres("copy") else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rasd.db");
    let (db_arg, url) = (db.display().to_string(), schema.url());
    ok(rasd(&["ingest", &shards(dir.path())[0], "--db", &db_arg]));
    let copied = rasd(&["copy", "--from", &db_arg, "--to", &url]);
    let said = String::from_utf8_lossy(&copied.stderr).into_owned();
    assert!(copied.status.success() && said.contains("already there 0"), "{said}");
    let events = |db: &str| ok(rasd(&["events", "--db", db, "--format", "jsonl"]));
    let from_sqlite = events(&db_arg);
    assert!(from_sqlite.lines().count() > 5);
    assert_eq!(events(&url), from_sqlite, "PostgreSQL answers what SQLite answered");
    // Again: nothing new; and back into a new file.
    let again = rasd(&["copy", "--from", &db_arg, "--to", &url]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("new 0"));
    let back = dir.path().join("back.db").display().to_string();
    ok(rasd(&["copy", "--from", &url, "--to", &back]));
    assert_eq!(events(&back), from_sqlite);
    assert_eq!(contents(&Location::File(back.into())), contents(&schema.location()));
    // The same database twice is refused, naming it, and the password stays hidden.
    let same =
        rasd(&["copy", "--from", "postgres://u:hunter2@127.0.0.1:1/x", "--to", "postgres://u:hunter2@127.0.0.1:1/x"]);
    let said = String::from_utf8_lossy(&same.stderr);
    assert_eq!(same.status.code(), Some(2));
    assert!(said.contains("the same database (postgres://u:***@127.0.0.1:1/x)") && !said.contains("hunter2"), "{said}");
}

#[test]
fn an_unreachable_postgres_is_named_in_the_error() {
    let out = rasd(&["events", "--db", "postgres://rasd:secret@127.0.0.1:1/news"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(said.contains("cannot connect to postgres://rasd:***@127.0.0.1:1/news"), "{said}");
    assert!(!said.contains("secret"), "{said}");
}

fn nats_url() -> Option<String> {
    if std::env::var("RASD_SKIP_NATS").is_ok_and(|v| v == "1") {
        eprintln!("note: RASD_SKIP_NATS=1: the NATS test is skipped");
        return None;
    }
    Some(std::env::var("RASD_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".into()))
}

#[test]
fn a_worker_killed_mid_item_leaves_it_to_another_and_bad_items_are_dead_lettered() {
    let (Some(schema), Some(nats)) = (postgres("queue"), nats_url()) else { return };
    let stream = format!("RASD_CLI_TEST_{}", std::process::id());
    let queue_args = ["--nats", &nats, "--stream", &stream, "--ack-wait", "2", "--max-tries", "3"];
    let dir = tempfile::tempdir().unwrap();
    let shards = shards(dir.path());
    let pushed = ok(rasd(
        &[&["queue", "push"][..], &shards.iter().map(String::as_str).collect::<Vec<_>>(), &queue_args].concat(),
    ));
    let _ = pushed;
    let n = 2 * devset_texts().len();
    // A payload that is no document: it must end in the dead letters with the reason.
    let queue = rasd_queue::Queue::connect(&rasd_queue::QueueConfig {
        url: nats.clone(),
        stream: stream.clone(),
        max_tries: 3,
        ack_wait: Duration::from_secs(2),
        ..Default::default()
    })
    .unwrap();
    assert!(queue.push("poison", "file", "broken.bin", b"\x00 not json").unwrap());

    // The first worker is killed while it works through small batches.
    let url = schema.url();
    let worker = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rasd"))
            .args([&["worker", "--db", &url, "--batch", "2"][..], &queue_args, extra].concat())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut first = worker(&[]);
    let started = Instant::now();
    while Store::connect_read_only(&schema.location()).map_or(0, |s| s.counts().unwrap().articles) < 3 {
        assert!(started.elapsed() < Duration::from_secs(120), "the first worker stored nothing");
        std::thread::sleep(Duration::from_millis(50));
    }
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    let stored_before = Store::connect_read_only(&schema.location()).unwrap().counts().unwrap().articles;
    assert!((stored_before as usize) < n, "killed before the end ({stored_before} of {n})");

    let second = worker(&["--exit-when-empty"]).wait_with_output().unwrap();
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let store = Store::connect_read_only(&schema.location()).unwrap();
    assert_eq!(store.counts().unwrap().articles as usize, n, "every item stored once, none lost");
    let mut keys: Vec<String> =
        store.records_after(0, 1000).unwrap().into_iter().map(|(_, _, r)| r.article.id).collect();
    keys.dedup();
    assert_eq!(keys.len(), n);

    let status = rasd(&[&["queue", "status"][..], &queue_args].concat());
    let said = String::from_utf8_lossy(&status.stdout).into_owned();
    assert_eq!(status.status.code(), Some(1), "a dead letter is a failure to report: {said}");
    assert!(said.contains("0 waiting · 0 in flight"), "{said}");
    assert!(said.contains("1 failed") && said.contains("broken.bin") && said.contains("not a rasd document"), "{said}");
    queue.delete().unwrap();
}
