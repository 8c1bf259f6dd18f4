//! Tests against a real NATS server with JetStream: `RASD_NATS_URL` (default
//! `nats://127.0.0.1:4222`). Set `RASD_SKIP_NATS=1` to skip them where no server runs.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use rasd_queue::{Queue, QueueConfig, WorkItem};

fn nats_url() -> String {
    std::env::var("RASD_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".to_string())
}

/// Deletes a test's streams when the test ends, even when it fails.
struct Streams(String);

impl Drop for Streams {
    fn drop(&mut self) {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
            return;
        };
        runtime.block_on(async {
            if let Ok(client) = async_nats::connect(nats_url()).await {
                let js = async_nats::jetstream::new(client);
                let _ = js.delete_stream(&self.0).await;
                let _ = js.delete_stream(format!("{}_DEAD", self.0)).await;
            }
        });
    }
}

/// A configuration on a fresh stream of its own, or `None` when NATS is down and
/// `RASD_SKIP_NATS=1`.
fn setup(n: u32) -> Option<(QueueConfig, Streams)> {
    let url = nats_url();
    let config = QueueConfig {
        url: url.clone(),
        stream: format!("RASD_TEST_{}_{n}", std::process::id()),
        ..QueueConfig::default()
    };
    match Queue::connect(&config) {
        Ok(_) => Some((config.clone(), Streams(config.stream))),
        Err(rasd_queue::QueueError::Connect { .. }) => {
            if std::env::var("RASD_SKIP_NATS").as_deref() == Ok("1") {
                eprintln!("note: NATS is not running at {url}; skipped (RASD_SKIP_NATS=1)");
                None
            } else {
                panic!("NATS is not running at {url}: start nats-server -js");
            }
        }
        Err(e) => panic!("{e}"),
    }
}

fn item(key: &str, payload: &str) -> WorkItem {
    WorkItem {
        key: key.to_string(),
        kind: "file".to_string(),
        origin: format!("/data/أخبار/{key}.html"),
        payload: payload.as_bytes().to_vec(),
    }
}

#[test]
fn pushed_items_are_deduplicated_pulled_and_acknowledged() {
    let Some((config, _streams)) = setup(1) else { return };
    let queue = Queue::connect(&config).unwrap();
    assert!(queue.push("a", "file", "/data/a.html", b"payload a").unwrap());
    assert!(queue.push("b", "warc", "x.warc\r\nInjected: yes", b"payload b").unwrap());
    assert!(!queue.push("a", "file", "/data/a.html", b"payload a").unwrap(), "same key twice");
    let summary = queue.push_many(vec![item("c", "payload c"), item("b", "again")]).unwrap();
    assert_eq!((summary.pushed, summary.duplicates), (1, 1));
    let status = queue.status(5).unwrap();
    assert_eq!((status.waiting, status.in_flight), (3, 0), "{status:?}");

    // Three items are there: pull returns them without waiting out the 10 s.
    let start = Instant::now();
    let mut got = queue.pull(10, Duration::from_secs(10)).unwrap();
    assert!(start.elapsed() < Duration::from_secs(5), "pull took {:?}", start.elapsed());
    got.sort_by(|x, y| x.key.cmp(&y.key));
    let keys: Vec<&str> = got.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(keys, ["a", "b", "c"]);
    assert_eq!(got[0].payload, b"payload a");
    assert_eq!(got[1].kind, "warc");
    assert_eq!(got[1].origin, "x.warc  Injected: yes", "line breaks cannot reach the headers");
    assert_eq!(got[2].origin, "/data/أخبار/c.html");
    assert!(got.iter().all(|d| d.tries == 1 && !d.exhausted(&queue)));
    let status = queue.status(5).unwrap();
    assert_eq!((status.waiting, status.in_flight), (0, 3), "{status:?}");

    for delivery in &got {
        delivery.ack(&queue).unwrap();
    }
    let status = queue.status(5).unwrap();
    assert_eq!((status.waiting, status.in_flight, status.stuck, status.dead), (0, 0, 0, 0), "{status:?}");
    assert!(queue.pull(10, Duration::ZERO).unwrap().is_empty());
}

#[test]
fn an_unacknowledged_item_is_redelivered_after_ack_wait() {
    let Some((mut config, _streams)) = setup(2) else { return };
    config.ack_wait = Duration::from_secs(1);
    let queue = Queue::connect(&config).unwrap();
    queue.push("k", "jsonl", "feed.jsonl:7", b"{}").unwrap();

    // A worker takes the item and dies without settling it.
    let first = queue.pull(1, Duration::from_secs(2)).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].tries, 1);
    drop(first);
    assert_eq!(queue.status(0).unwrap().in_flight, 1);
    assert!(queue.pull(1, Duration::from_millis(300)).unwrap().is_empty(), "not before ack_wait");

    let again = queue.pull(1, Duration::from_secs(5)).unwrap();
    assert_eq!(again.len(), 1, "redelivered after ack_wait");
    assert_eq!((again[0].key.as_str(), again[0].tries), ("k", 2));
    again[0].ack(&queue).unwrap();
    let status = queue.status(0).unwrap();
    assert_eq!((status.waiting, status.in_flight), (0, 0), "{status:?}");
}

#[test]
fn an_item_retried_until_exhausted_is_dead_lettered() {
    let Some((mut config, _streams)) = setup(3) else { return };
    config.max_tries = 2;
    let queue = Queue::connect(&config).unwrap();
    queue.push("poison", "feed-item", "https://example.com/feed#3", b"bad").unwrap();
    queue.push("fine", "feed-item", "https://example.com/feed#4", b"good").unwrap();

    let mut tries_seen = Vec::new();
    loop {
        let got = queue.pull(1, Duration::from_secs(3)).unwrap();
        assert_eq!(got.len(), 1, "the item keeps coming back until exhausted: {tries_seen:?}");
        let delivery = &got[0];
        assert_eq!(delivery.key, "poison", "a retried item is delivered again first");
        tries_seen.push(delivery.tries);
        if delivery.exhausted(&queue) {
            delivery.dead_letter(&queue, "parse error:\nline 1").unwrap();
            break;
        }
        delivery.retry(&queue, Duration::ZERO).unwrap();
        assert!(tries_seen.len() < 10, "never exhausted: {tries_seen:?}");
    }
    assert_eq!(tries_seen, [1, 2, 3], "max_tries deliveries, then one to dead-letter it");

    // Redeliveries came first: the good item is still waiting, the poison one is gone.
    let status = queue.status(10).unwrap();
    assert_eq!((status.waiting, status.in_flight, status.stuck, status.dead), (1, 0, 0, 1), "{status:?}");
    let letter = &status.dead_letters[0];
    assert_eq!(status.dead_letters.len(), 1);
    assert_eq!(letter.key, "poison");
    assert_eq!(letter.kind, "feed-item");
    assert_eq!(letter.origin, "https://example.com/feed#3");
    assert_eq!(letter.reason, "parse error: line 1");
    assert_eq!(letter.tries, 3);
    assert_eq!(letter.payload, b"bad");
    assert!(letter.time.elapsed().unwrap_or_default() < Duration::from_secs(60));
    let rest = queue.pull(10, Duration::from_secs(1)).unwrap();
    let keys: Vec<&str> = rest.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(keys, ["fine"]);
    rest[0].ack(&queue).unwrap();
    assert!(queue.pull(1, Duration::from_millis(500)).unwrap().is_empty());
    assert_eq!(queue.status(0).unwrap().dead, 1);
}

#[test]
fn two_processes_can_connect_at_once() {
    let Some((config, _streams)) = setup(4) else { return };
    // A second stream, created by both threads at the same moment.
    let config = QueueConfig { stream: format!("{}_B", config.stream), ..config };
    let _more = Streams(config.stream.clone());
    let barrier = Arc::new(Barrier::new(2));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (config, barrier) = (config.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                Queue::connect(&config).map(|_| ())
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("thread panicked").unwrap();
    }
    // And a later worker with other settings updates the consumer instead of failing.
    let config = QueueConfig { max_tries: 9, ack_wait: Duration::from_secs(5), ..config };
    Queue::connect(&config).unwrap();
    let (max_deliver, ack_wait) = consumer_settings(&config.stream);
    assert_eq!((max_deliver, ack_wait), (10, Duration::from_secs(5)));
}

/// The `workers` consumer's max_deliver and ack_wait, as the server has them.
fn consumer_settings(stream: &str) -> (i64, Duration) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let client = async_nats::connect(nats_url()).await.unwrap();
        let js = async_nats::jetstream::new(client);
        let stream = js.get_stream(stream).await.unwrap();
        let info = stream.consumer_info(rasd_queue::CONSUMER).await.unwrap();
        (info.config.max_deliver, info.config.ack_wait)
    })
}

#[test]
fn an_item_whose_worker_died_on_its_last_try_is_reported_stuck() {
    let Some((mut config, _streams)) = setup(5) else { return };
    config.max_tries = 1;
    let queue = Queue::connect(&config).unwrap();
    queue.push("k", "file", "f", b"p").unwrap();
    // Deliveries 1 (processed) and 2 (should have been dead-lettered) are both given back.
    for tries in 1..=2 {
        let got = queue.pull(1, Duration::from_secs(2)).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].tries, got[0].exhausted(&queue)), (tries, tries == 2));
        got[0].retry(&queue, Duration::ZERO).unwrap();
    }
    assert!(queue.pull(1, Duration::from_millis(500)).unwrap().is_empty(), "no third delivery");
    let status = queue.status(5).unwrap();
    assert_eq!((status.waiting, status.in_flight, status.stuck, status.dead), (0, 0, 1, 0), "{status:?}");
}

#[test]
fn a_bad_url_fails_quickly_naming_it() {
    let config = QueueConfig { url: "nats://127.0.0.1:1".to_string(), ..QueueConfig::default() };
    let start = Instant::now();
    let err = Queue::connect(&config).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(6), "took {:?}", start.elapsed());
    let message = err.to_string();
    assert!(message.contains("nats://127.0.0.1:1"), "{message}");
    assert!(matches!(err, rasd_queue::QueueError::Connect { .. }), "{message}");
}
