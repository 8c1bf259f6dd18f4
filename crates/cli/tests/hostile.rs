//! Hostile and careless inputs through the real binary (issue 15): every item ends in bounded
//! time with one clear line, and every good item in the same batch is stored. The small items
//! are kept in `tests/data/hostile/`; the large ones are generated here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Generous for an unoptimised test build; a release build takes well under 5 s per item
/// (docs/reliability.md).
const ITEM_BUDGET: Duration = Duration::from_secs(60);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs rasd, killing it past `budget`; answers its output and how long it took.
fn rasd_within(args: &[&str], budget: Duration) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the rasd binary runs");
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > budget {
            child.kill().unwrap();
            panic!("rasd {args:?} ran past {budget:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut output = child.wait_with_output().unwrap();
    output.stdout = reader.join().unwrap().into_bytes();
    (output, started.elapsed())
}

fn seed() -> String {
    std::fs::read_to_string(root().join("examples/seed-article-ar.txt")).expect("the seed article")
}

/// The generated hostile items: (file name, bytes).
fn generated() -> Vec<(&'static str, Vec<u8>)> {
    let unit = "وقال المتحدث باسم وزارة الداخلية «";
    let quotes = unit.repeat(512 * 1024 / unit.len()).into_bytes();
    let mut plain = String::from("أرشيف نشرات طويل\n\n");
    let mut n = 0;
    while plain.len() < 2 * 1024 * 1024 {
        n += 1;
        plain.push_str(&format!("{}\n\nنشرة رقم {n}.\n\n", seed()));
    }
    let deep = format!(
        "<html><body><article>{}<p>نص.</p>{}</article></body></html>",
        "<div>".repeat(20_000),
        "</div>".repeat(20_000)
    );
    let mut x: u32 = 7;
    let random: Vec<u8> = (0..1 << 20)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ((x >> 16) as u8).max(1)
        })
        .collect();
    let header = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nContent-Length: {}\r\n\r\n",
        1u64 << 31
    );
    let mut encoder = libflate::gzip::Encoder::new(Vec::new()).unwrap();
    encoder.write_all(header.as_bytes()).unwrap();
    for _ in 0..100 {
        encoder.write_all(&[0u8; 1 << 20]).unwrap();
    }
    let bomb = encoder.finish().into_result().unwrap();
    vec![
        ("quotes-512k.txt", quotes),
        ("plain-2m.txt", plain.into_bytes()),
        ("deep-divs.html", deep.into_bytes()),
        ("random.txt", random),
        ("bomb.warc.gz", bomb),
    ]
}

/// A directory of good articles, the kept hostile items, the generated ones, a FIFO and a link
/// to /dev/zero.
fn hostile_dir(dir: &Path) {
    std::fs::write(dir.join("good-1.txt"), seed()).unwrap();
    std::fs::write(dir.join("good-2.txt"), format!("{}\n\nتحديث.", seed().replace("داعش", "تنظيم الدولة"))).unwrap();
    for entry in std::fs::read_dir(root().join("tests/data/hostile")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e != "md") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    for (name, bytes) in generated() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    #[cfg(unix)]
    {
        assert!(Command::new("mkfifo").arg(dir.join("pipe")).status().unwrap().success());
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero")).unwrap();
    }
}

#[test]
fn a_hostile_batch_reports_each_bad_item_and_stores_every_good_one() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    hostile_dir(&inputs);
    let db = dir.path().join("h.db");
    let (out, took) = rasd_within(&["ingest", inputs.to_str().unwrap(), "--db", db.to_str().unwrap()], ITEM_BUDGET * 3);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line = |name: &str, reason: &str| {
        assert!(
            stderr.lines().any(|l| l.contains(name) && l.contains(reason)),
            "no line for {name} with {reason:?} in:\n{stderr}"
        )
    };
    line("pipe", "named pipe");
    line("zero", "device");
    line("nul.txt", "binary");
    line("empty.txt", "empty");
    line("random.txt", "not text");
    line("deep.html", "nested");
    line("deep-divs.html", "nested");
    line("junk-after-version.warc", "truncated WARC record header");
    line("bomb.warc.gz", "too large");
    line("bad-bytes.txt", "warning: 2 invalid UTF-8");
    // Stored: the two good articles, the damaged one, the long ones.
    for stored in
        ["good-1.txt", "good-2.txt", "bad-bytes.txt", "quotes-512k.txt", "plain-2m.txt", "unbalanced-quotes.txt"]
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM articles WHERE origin LIKE ?1", [format!("%{stored}")], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "{stored} not stored; {stderr}");
    }
    eprintln!("hostile batch ingested in {took:?}");
}

#[test]
fn extract_of_each_large_item_is_bounded_in_time_and_output() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in generated() {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let (out, took) = rasd_within(&["extract", path.to_str().unwrap(), "--published", "2025-01-01"], ITEM_BUDGET);
        assert!(out.stdout.len() <= 20 * bytes.len() + 65_536, "{name}: {} bytes out", out.stdout.len());
        assert!(out.status.success() || !out.stderr.is_empty(), "{name}: failed without a reason");
        eprintln!("{name}: {} bytes → {} bytes in {took:?}", bytes.len(), out.stdout.len());
    }
    #[cfg(unix)]
    {
        let fifo = dir.path().join("pipe");
        assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        for path in [fifo.to_str().unwrap(), "/dev/zero"] {
            let (out, _) = rasd_within(&["extract", path], ITEM_BUDGET);
            assert_eq!(out.status.code(), Some(1), "{path}");
            assert!(!out.stderr.is_empty());
        }
    }
}

#[test]
fn three_writers_at_once_store_what_one_writer_does() {
    let dir = tempfile::tempdir().unwrap();
    let items = root().join("tests/data/devset/items");
    let mut texts: Vec<PathBuf> = std::fs::read_dir(&items).unwrap().map(|e| e.unwrap().path()).collect();
    texts.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    texts.sort();
    let shards: Vec<PathBuf> = (0..3).map(|i| dir.path().join(format!("shard{i}"))).collect();
    for (i, path) in texts.iter().enumerate() {
        let shard = &shards[i % 3];
        std::fs::create_dir_all(shard).unwrap();
        std::fs::copy(path, shard.join(path.file_name().unwrap())).unwrap();
    }
    let one = dir.path().join("one.db");
    let all: Vec<&str> = shards.iter().map(|s| s.to_str().unwrap()).collect();
    let (out, _) = rasd_within(&[&["ingest", "--db", one.to_str().unwrap()][..], &all].concat(), ITEM_BUDGET);
    assert!(out.status.success());
    let many = dir.path().join("many.db");
    let writers: Vec<_> = shards
        .iter()
        .map(|shard| {
            let args = ["ingest".to_string(), shard.display().to_string(), "--db".into(), many.display().to_string()];
            std::thread::spawn(move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                rasd_within(&args, ITEM_BUDGET).0
            })
        })
        .collect();
    for writer in writers {
        let out = writer.join().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let keys = |db: &Path| -> Vec<(String, i64)> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare("SELECT a.key, (SELECT count(*) FROM events e WHERE e.article_id = a.id) FROM articles a ORDER BY a.key")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(keys(&many), keys(&one));
    assert!(!keys(&one).is_empty());
}
