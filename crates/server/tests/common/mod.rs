//! A database read from the dev set and the example article, and a real server on a free port.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rasd_pipeline::{ArticleMeta, Knowledge};
use rasd_record::Record;
use rasd_store::{Location, Store};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The knowledge, loaded once per test binary.
pub fn knowledge() -> Arc<Knowledge> {
    static K: OnceLock<Arc<Knowledge>> = OnceLock::new();
    K.get_or_init(|| Arc::new(Knowledge::load(&rasd_kb::DataDir::embedded()).expect("knowledge loads"))).clone()
}

/// The example article (with no outlet: The National relays it) and every dev-set item read
/// with its gold publication date and outlet, each with its origin.
pub fn devset_records() -> Vec<(Record, String)> {
    let k = knowledge();
    let example = std::fs::read_to_string(root().join("examples/seed-article-ar.txt")).unwrap();
    let mut records = vec![(k.extract(&example, &ArticleMeta::default()), "examples/seed-article-ar.txt".to_string())];
    let items = root().join("tests/data/devset/items");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&items).unwrap().map(|e| e.unwrap().path()).collect();
    names.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    names.sort();
    for path in names {
        let gold: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path.with_extension("gold.json")).unwrap()).unwrap();
        let meta = ArticleMeta {
            published: gold["published"].as_str().map(|d| d.parse().unwrap()),
            outlet: gold["outlet"].as_str().map(str::to_string),
            ..Default::default()
        };
        let text = std::fs::read_to_string(&path).unwrap();
        records.push((k.extract(&text, &meta), path.file_name().unwrap().to_string_lossy().into_owned()));
    }
    records
}

/// An article whose title, outlet and text carry markup and script: the page must show them
/// as text.
pub const HOSTILE: &str = "قصف على كفرنبل <img src=x onerror=\"document.body.dataset.pwned=1\">\n\n\
    قتل ثلاثة مدنيين <img src=x onerror=\"document.body.dataset.pwned=2\"> بقصف مدفعي على بلدة كفرنبل بريف إدلب \
    الجنوبي أمس، وقال ناشطون إن <script>document.body.dataset.pwned=3</script> القصف استمر ساعات.";

/// Articles whose dates are misread years (publication dates of year 2 and 2051, as a broken feed
/// or a bad date parse gives them): the timeline must list them, not stretch its axis to them.
pub const OUTLIER_DATES: [(&str, &str); 2] = [
    ("0002-01-01", "اعتقلت قوات الأمن عشرة أشخاص في مدينة دوما بريف دمشق اليوم بتهمة التظاهر."),
    ("2051-06-01", "قتل ثلاثة مدنيين بقصف مدفعي على بلدة كفرنبل بريف إدلب الجنوبي اليوم."),
];

/// Stores [`devset_records`], the [`HOSTILE`] article and the [`OUTLIER_DATES`] articles in a
/// database.
pub fn devset_database(location: &Location) {
    let mut store = Store::connect(location).unwrap();
    let mut batch = store.batch().unwrap();
    for (record, origin) in devset_records() {
        batch.put(&record, &origin).unwrap();
    }
    let meta = ArticleMeta {
        published: Some("2025-03-02".parse().unwrap()),
        outlet: Some("<b onmouseover=\"document.body.dataset.pwned=4\">Outlet</b>".to_string()),
        ..Default::default()
    };
    batch.put(&knowledge().extract(HOSTILE, &meta), "hostile.txt").unwrap();
    for (published, text) in OUTLIER_DATES {
        let meta = ArticleMeta { published: Some(published.parse().unwrap()), ..Default::default() };
        batch.put(&knowledge().extract(text, &meta), &format!("outlier-{published}.txt")).unwrap();
    }
    batch.commit().unwrap();
}

/// Starts `rasd serve` on a free loopback port over `db`, in a thread that lives as long as
/// the test binary; answers its base URL.
pub fn start(db: Location, token: Option<&str>) -> String {
    let config = rasd_server::Config {
        db,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        token: token.map(str::to_string),
        allow_hosts: Vec::new(),
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let k = knowledge();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(rasd_server::serve(config, k, move |addr| tx.send(addr).unwrap())).expect("the server runs");
    });
    let addr = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("the server starts");
    format!("http://{addr}")
}

/// The server over the dev-set database, started once per test binary.
pub fn devset_server() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let db = rasd_store::scratch::test_database(&dir, "devset.db");
        devset_database(&db);
        start(db, None)
    })
}
