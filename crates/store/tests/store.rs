//! The store on records made by the real pipeline: idempotency, updates, copies, clustering of
//! one event reported by two outlets, and queries.

use std::sync::OnceLock;

use rasd_pipeline::{ArticleMeta, Knowledge};
use rasd_record::Record;
use rasd_store::scratch::ScratchSchema;
use rasd_store::{ClusterSummary, EventQuery, Outcome, Store};

fn read(text: &str, outlet: &str, published: &str, url: Option<&str>) -> Record {
    static K: OnceLock<Knowledge> = OnceLock::new();
    let k = K.get_or_init(|| Knowledge::load(&rasd_kb::DataDir::embedded()).expect("knowledge loads"));
    let meta = ArticleMeta {
        published: Some(published.parse().unwrap()),
        outlet: Some(outlet.to_string()),
        url: url.map(str::to_string),
        ..Default::default()
    };
    k.extract(text, &meta)
}

/// Runs a test on an in-memory SQLite store, then on a PostgreSQL store in a schema of its own.
fn on_both(test: impl Fn(Store)) {
    test(Store::open_in_memory().unwrap());
    if let Some(schema) = ScratchSchema::new("store").unwrap() {
        test(Store::connect(&schema.location()).unwrap());
    }
}

const HOMS: &str = "أحبطت وزارة الداخلية السورية مساء الجمعة محاولة تفجير سيارة مفخخة في حي الخالدية بمدينة حمص، وفككت العبوة قبل انفجارها.";
const HOMS_REWRITTEN: &str = "تمكنت وحدات الهندسة من إحباط تفجير سيارة مفخخة كانت مركونة قرب سوق شعبي في مدينة حمص مساء الجمعة، بحسب وزارة الداخلية.";
const DARAA: &str = "اختطف مسلحون مجهولون شاباً في مدينة جاسم بريف درعا فجر اليوم واقتادوه إلى جهة مجهولة.";

#[test]
fn the_same_article_twice_is_stored_once() {
    on_both(|mut store| {
        let r = read(HOMS, "الراصد الشامي", "2025-05-17", None);
        let mut batch = store.batch().unwrap();
        let first = batch.put(&r, "a.txt").unwrap();
        let again = batch.put(&r, "a-copy.txt").unwrap();
        batch.commit().unwrap();
        assert!(matches!(first, Outcome::New(_)));
        assert!(matches!(again, Outcome::Duplicate(_)));
        let counts = store.counts().unwrap();
        assert_eq!((counts.articles, counts.events), (1, 1));
    });
}

#[test]
fn an_updated_article_replaces_its_events() {
    on_both(|mut store| {
        let url = Some("https://example.org/news/1");
        let mut batch = store.batch().unwrap();
        batch.put(&read(HOMS, "الراصد الشامي", "2025-05-17", url), "v1").unwrap();
        let outcome = batch.put(&read(DARAA, "الراصد الشامي", "2025-05-17", url), "v2").unwrap();
        batch.commit().unwrap();
        assert!(matches!(outcome, Outcome::Updated(_)));
        let counts = store.counts().unwrap();
        assert_eq!((counts.articles, counts.events), (1, 1));
        let clusters = store.events(&EventQuery::default()).unwrap();
        assert_eq!(clusters[0].event().sub_event_type, "Abduction/forced disappearance");
    });
}

#[test]
fn a_syndicated_copy_is_marked() {
    on_both(|mut store| {
        let original = format!("{HOMS}\n\n{DARAA}\n\nوقالت مصادر محلية إن الأهالي يعيشون حالة من القلق بسبب تكرار الحوادث الأمنية في المنطقة خلال الأشهر الماضية.");
        let copy = format!("{original} وتابعت المصادر أن الوضع هادئ حالياً.");
        let mut batch = store.batch().unwrap();
        let a = batch.put(&read(&original, "الراصد الشامي", "2025-05-17", None), "a").unwrap();
        let b = batch.put(&read(&copy, "نبض حوران", "2025-05-17", None), "b").unwrap();
        batch.commit().unwrap();
        let Outcome::New(first) = a else { panic!("{a:?}") };
        assert_eq!(b, Outcome::Copy(first + 1, first));
        assert_eq!(store.counts().unwrap().copies, 1);
    });
}

#[test]
fn one_event_from_two_outlets_is_one_cluster_with_both_sources() {
    on_both(|mut store| {
        store_homs_twice_and_daraa(&mut store, "2025-05-17");
        let clusters = store.events(&EventQuery::default()).unwrap();
        assert_eq!(clusters.len(), 2, "{clusters:#?}");
        let homs = clusters.iter().find(|c| c.event().sub_event_type == "Disrupted weapons use").unwrap();
        assert_eq!(homs.outlets(), ["الراصد الشامي", "نداء الساحل"]);
    });
}

/// The Homs attack from two outlets (one cluster) and the Daraa abduction published on `day`.
fn store_homs_twice_and_daraa(store: &mut Store, day: &str) {
    let mut batch = store.batch().unwrap();
    batch.put(&read(HOMS, "الراصد الشامي", "2025-05-17", None), "a").unwrap();
    batch.put(&read(HOMS_REWRITTEN, "نداء الساحل", "2025-05-17", None), "b").unwrap();
    batch.put(&read(DARAA, "نبض حوران", day, None), "c").unwrap();
    batch.commit().unwrap();
}

/// The Homs report moved north by `km` and keyed as another article.
fn moved(km: f64, key: &str) -> Record {
    let mut r = read(HOMS, "الراصد الشامي", "2025-05-17", None);
    r.article.id = key.to_string();
    for e in &mut r.events {
        let place = e.location.as_mut().unwrap();
        place.lat += km / 111.0;
        place.admin2 = None;
    }
    r
}

#[test]
fn an_event_between_two_clusters_joins_them_whatever_the_order() {
    on_both(|mut store| {
        // 40 km apart: two events; the report 20 km from each links them into one.
        let mut batch = store.batch().unwrap();
        batch.put(&moved(0.0, "south"), "south").unwrap();
        batch.put(&moved(40.0, "north"), "north").unwrap();
        batch.commit().unwrap();
        assert_eq!(store.count_events(&EventQuery::default()).unwrap(), 2);
        let mut batch = store.batch().unwrap();
        batch.put(&moved(20.0, "middle"), "middle").unwrap();
        batch.commit().unwrap();
        let clusters = store.events(&EventQuery::default()).unwrap();
        assert_eq!(clusters.len(), 1, "{clusters:#?}");
        assert_eq!(clusters[0].reports.len(), 3);
        assert_eq!(clusters[0].id, clusters[0].reports[0].event_id, "the oldest report heads it");
        assert_summaries_are_current(&store);
    });
}

/// The summary rows the store keeps (what lists, counts and the map read) say what the clusters
/// read whole say, after whatever merges and replacements happened.
fn assert_summaries_are_current(store: &Store) {
    let all = EventQuery::default();
    let whole: Vec<ClusterSummary> = store.events(&all).unwrap().iter().map(ClusterSummary::of).collect();
    assert_eq!(store.summaries(&all).unwrap(), whole);
    assert_eq!(store.counts().unwrap().clusters, whole.len() as u64);
}

#[test]
fn queries_filter_by_type_place_actor_and_folded_text() {
    on_both(|mut store| {
        let mut batch = store.batch().unwrap();
        batch.put(&read(HOMS, "الراصد الشامي", "2025-05-17", None), "a").unwrap();
        batch.put(&read(DARAA, "نبض حوران", "2025-07-09", None), "b").unwrap();
        batch.commit().unwrap();
        let count = |q: EventQuery| store.events(&q).unwrap().len();
        assert_eq!(count(EventQuery { admin1: Some("homs".into()), ..Default::default() }), 1);
        assert_eq!(count(EventQuery { since: Some("2025-06-01".into()), ..Default::default() }), 1);
        assert_eq!(count(EventQuery { sub_event_type: Some("Disrupted weapons use".into()), ..Default::default() }), 1);
        assert_eq!(
            count(EventQuery { near: Some((32.99, 36.06, 10.0)), ..Default::default() }),
            1,
            "Jasim is near 32.99, 36.06"
        );
        assert_eq!(count(EventQuery { actor: Some("unidentified".into()), ..Default::default() }), 1);
        // Canonical names (what an alias stands for) match whole names, in any case.
        let actors =
            |names: &[&str]| EventQuery { actors: names.iter().map(|n| n.to_string()).collect(), ..Default::default() };
        let named = store.events(&EventQuery { actor: Some("unidentified".into()), ..Default::default() }).unwrap();
        let actor1 = named[0].event().actor1.as_ref().unwrap().name.to_uppercase();
        assert_eq!(count(actors(&["Nobody", &actor1])), 1, "{actor1}");
        assert_eq!(count(actors(&["unidentified"])), 0, "a part of a name is not a name");
        // Full text ignores hamza, ta-marbuta and diacritics: "مفخخه" and "اَلخالدية" find "مفخخة" and "الخالدية".
        assert_eq!(count(EventQuery { text: Some("مفخخه اَلخالدية".into()), ..Default::default() }), 1);
        assert_eq!(
            count(EventQuery { text: Some("Khalidiya".into()), ..Default::default() }),
            1,
            "place names are searchable"
        );
        assert_eq!(count(EventQuery { text: Some("طائرة".into()), ..Default::default() }), 0);
    });
}

#[test]
fn pages_counts_and_stats_agree() {
    on_both(|mut store| {
        store_homs_twice_and_daraa(&mut store, "2025-07-09");
        let all = EventQuery::default();
        assert_eq!(store.count_events(&all).unwrap(), 2, "two clusters, not three reports");
        let newest = store.events(&EventQuery { newest_first: true, limit: Some(1), ..Default::default() }).unwrap();
        assert_eq!(newest[0].event().sub_event_type, "Abduction/forced disappearance");
        let second = store.events(&EventQuery { newest_first: true, limit: Some(1), offset: 1, ..Default::default() });
        assert_eq!(second.unwrap()[0].reports.len(), 2, "the Homs cluster has both outlets");
        let stats = store.stats(&all).unwrap();
        assert_eq!(stats.total, 2);
        assert_eq!(stats.by_admin1, [("Daraa".to_string(), 1), ("Homs".to_string(), 1)]);
        let days: Vec<&str> = stats.by_day.iter().map(|(d, _, _)| d.as_str()).collect();
        assert_eq!(days, ["2025-05-16", "2025-07-09"]);
        let only_homs = EventQuery { admin1: Some("HOMS".into()), ..Default::default() };
        assert_eq!(store.stats(&only_homs).unwrap().by_type, [("Strategic developments".to_string(), 1)]);
    });
}

#[test]
fn summaries_read_from_rows_say_what_whole_clusters_say() {
    on_both(|mut store| {
        store_homs_twice_and_daraa(&mut store, "2025-07-09");
        for query in [
            EventQuery::default(),
            EventQuery { newest_first: true, limit: Some(1), offset: 1, ..Default::default() },
            EventQuery { admin1: Some("homs".into()), ..Default::default() },
        ] {
            let whole: Vec<ClusterSummary> = store.events(&query).unwrap().iter().map(ClusterSummary::of).collect();
            assert!(!whole.is_empty());
            assert_eq!(store.summaries(&query).unwrap(), whole, "{query:?}");
        }
        let homs = &store.summaries(&EventQuery { admin1: Some("Homs".into()), ..Default::default() }).unwrap()[0];
        assert_eq!((homs.reports, homs.sources.len()), (2, 2));
        assert!(homs.evidence.contains("مفخخة") && homs.marker.location_ar.is_some(), "{homs:?}");
    });
}

#[test]
fn a_cluster_whose_first_report_is_replaced_keeps_its_other_sources() {
    on_both(|mut store| {
        let url = Some("https://example.org/news/1");
        let mut batch = store.batch().unwrap();
        batch.put(&read(HOMS, "الراصد الشامي", "2025-05-17", url), "v1").unwrap();
        batch.put(&read(HOMS_REWRITTEN, "نداء الساحل", "2025-05-17", None), "b").unwrap();
        batch.put(&read(DARAA, "الراصد الشامي", "2025-05-17", url), "v2").unwrap();
        batch.commit().unwrap();
        let homs = EventQuery { admin1: Some("Homs".into()), ..Default::default() };
        let clusters = store.events(&homs).unwrap();
        assert_eq!(clusters.len(), 1, "the rewritten report still stands for the Homs event");
        assert_eq!(clusters[0].outlets(), ["نداء الساحل"]);
        assert_eq!(store.count_events(&EventQuery::default()).unwrap(), 2);
        assert_summaries_are_current(&store);
    });
}

#[test]
fn keyset_pages_follow_one_another_as_offset_pages_do() {
    on_both(|mut store| {
        let mut batch = store.batch().unwrap();
        for (i, km) in [0.0, 40.0, 80.0, 120.0, 160.0].into_iter().enumerate() {
            batch.put(&moved(km, &format!("k{i}")), "k").unwrap();
        }
        batch.commit().unwrap();
        store_homs_twice_and_daraa(&mut store, "2025-05-17");
        for newest_first in [true, false] {
            let query = EventQuery { newest_first, ..Default::default() };
            let everything: Vec<i64> = store.summaries(&query).unwrap().iter().map(|s| s.marker.id).collect();
            assert_eq!(everything.len(), 6, "five places apart, and Daraa");
            let (mut keyset, mut after) = (Vec::new(), None);
            loop {
                let page =
                    store.summaries(&EventQuery { limit: Some(2), after: after.clone(), ..query.clone() }).unwrap();
                let Some(last) = page.last() else { break };
                after = Some((last.marker.date_start.clone(), last.marker.id));
                keyset.extend(page.iter().map(|s| s.marker.id));
            }
            assert_eq!(keyset, everything, "newest first: {newest_first}");
            let offset = store.summaries(&EventQuery { limit: Some(2), offset: 2, ..query.clone() }).unwrap();
            assert_eq!(offset.iter().map(|s| s.marker.id).collect::<Vec<_>>(), everything[2..4]);
        }
    });
}

#[test]
fn a_store_file_is_reopened_and_a_newer_schema_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rasd.db");
    {
        let mut store = Store::open(&path).unwrap();
        let mut batch = store.batch().unwrap();
        batch.put(&read(HOMS, "الراصد الشامي", "2025-05-17", None), "a").unwrap();
        batch.commit().unwrap();
    }
    assert_eq!(Store::open(&path).unwrap().counts().unwrap().articles, 1);
    let conn = rusqlite_version_bump(&path);
    drop(conn);
    let err = Store::open(&path).unwrap_err().to_string();
    assert!(err.contains("newer rasd"), "{err}");
}

#[test]
fn a_store_made_with_another_folding_or_format_is_refused_and_can_be_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rasd.db");
    {
        let mut store = Store::open(&path).unwrap();
        let mut batch = store.batch().unwrap();
        batch.put(&read(HOMS, "الراصد الشامي", "2025-05-17", Some("https://example.org/homs")), "homs.txt").unwrap();
        batch.commit().unwrap();
    }
    let set = |name: &str, version: i64| {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute("UPDATE rasd_versions SET version = ?2 WHERE name = ?1", rusqlite::params![name, version])
            .unwrap();
    };
    set("folding", 0);
    for err in [Store::open(&path).unwrap_err(), Store::open_read_only(&path).unwrap_err()] {
        let message = err.to_string();
        assert!(message.contains("folding version 0") && message.contains("rasd reindex"), "{message}");
    }
    let sources = rasd_store::stored_sources(&path).unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!((sources[0].origin.as_str(), sources[0].url.as_deref()), ("homs.txt", Some("https://example.org/homs")));
    assert_eq!((sources[0].published.as_deref(), sources[0].language.as_str()), (Some("2025-05-17"), "ar"));
    set("folding", i64::from(rasd_text::fold::FOLDING_VERSION));
    set("format", i64::from(rasd_record::FORMAT_VERSION) + 1);
    assert!(Store::open(&path).unwrap_err().to_string().contains("newer rasd: upgrade rasd"));
}

#[test]
fn records_say_which_format_and_folding_made_them() {
    let record = read(DARAA, "عنب بلدي", "2025-05-17", None);
    assert_eq!(record.versions.format, rasd_record::FORMAT_VERSION);
    assert_eq!(record.versions.folding, rasd_text::fold::FOLDING_VERSION);
    let old: Record = serde_json::from_str(include_str!("data/record.json")).unwrap();
    assert_eq!(old.versions, rasd_record::Versions::default(), "a record from before versions reads as version 0");
}

fn rusqlite_version_bump(path: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    conn
}

#[test]
fn a_read_only_store_reads_and_refuses_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.db");
    {
        let mut store = Store::open(&path).unwrap();
        let mut batch = store.batch().unwrap();
        batch.put(&read("قتل خمسة مدنيين في قصف على بلدة سرمين في ريف إدلب.", "X", "2025-01-02", None), "a").unwrap();
        batch.commit().unwrap();
    }
    let mut store = Store::open_read_only(&path).unwrap();
    assert_eq!(store.counts().unwrap().articles, 1);
    assert!(store.batch().and_then(|mut b| b.put(&read("نص آخر.", "X", "2025-01-02", None), "b")).is_err());
    // Mode 444: a user cannot write it (root can, so what is asserted is that the check
    // agrees with the system), and queries still open it.
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let writable = std::fs::OpenOptions::new().write(true).open(&path).is_ok();
    assert_eq!(rasd_store::is_read_only(&path), !writable);
    assert_eq!(Store::open_read_only(&path).unwrap().counts().unwrap().articles, 1);
}

#[test]
fn two_first_runs_create_the_schema_once() {
    // The race is short: run it on several new files, with more openers than cores, so that
    // an opener answered "busy" without waiting (SQLite's deadlock rule) shows up.
    let dir = tempfile::tempdir().unwrap();
    for round in 0..12 {
        first_runs_race(rasd_store::Location::File(dir.path().join(format!("race-{round}.db"))), round);
    }
    // On PostgreSQL, a migration that waited for another's lock must see the tables it made.
    for round in 0..6 {
        let Some(schema) = ScratchSchema::new("race").unwrap() else { return };
        first_runs_race(schema.location(), round);
    }
}

/// Six processes' worth of first runs at once on a new store: each stores the same article.
fn first_runs_race(location: rasd_store::Location, round: usize) {
    let openers: Vec<_> = (0..6)
        .map(|_| {
            let location = location.clone();
            std::thread::spawn(move || {
                let mut store = Store::connect(&location)?;
                let mut batch = store.batch()?;
                let text = "قتل خمسة مدنيين في قصف على بلدة سرمين في ريف إدلب.";
                batch.put(&read(text, "X", "2025-01-02", None), "a")?;
                batch.commit()
            })
        })
        .collect();
    for opener in openers {
        opener.join().unwrap().unwrap_or_else(|e| panic!("round {round}: {e}"));
    }
    assert_eq!(Store::connect(&location).unwrap().counts().unwrap().articles, 1);
}
