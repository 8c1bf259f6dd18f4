//! Every input format end to end, on files the tests write.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rasd_ingest::{read, Document, Item, Options};

const NEWS_AR: &str = include_str!("pages/news-ar.html");
const NEWS_EN: &str = include_str!("pages/news-en.html");

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rasd-ingest-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn items(paths: &[String]) -> Vec<Item> {
    read(paths, &Options::default()).collect()
}

fn doc(item: &Item) -> &Document {
    match item {
        Item::Document(d) => d,
        Item::Failed { origin, reason } => panic!("{origin}: {reason}"),
    }
}

fn failure(item: &Item) -> (&str, &str) {
    match item {
        Item::Failed { origin, reason } => (origin, reason),
        Item::Document(d) => panic!("expected a failure, got {d:?}"),
    }
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn arabic_news_page_main_text_and_metadata() {
    let dir = scratch("html-ar");
    let path = write(&dir, "idlib.html", NEWS_AR);
    let got = items(std::slice::from_ref(&path));
    assert_eq!(got.len(), 1);
    let d = doc(&got[0]);
    assert_eq!(d.origin, path);
    assert_eq!(d.title.as_deref(), Some("مقتل خمسة مدنيين في قصف على ريف إدلب"));
    assert_eq!(d.published, day(2024, 3, 14));
    assert_eq!(d.outlet.as_deref(), Some("شبكة الأخبار"));
    assert_eq!(d.url.as_deref(), Some("https://news.example/ar/2024/03/14/idlib"));
    assert_eq!(d.language.as_deref(), Some("ar"));
    let paragraphs: Vec<&str> = d.text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 5, "{}", d.text);
    assert_eq!(paragraphs[0], "مقتل خمسة مدنيين في قصف على ريف إدلب");
    assert!(paragraphs[1].starts_with("قتل خمسة مدنيين بينهم طفلان"));
    assert!(paragraphs[4].ends_with("وحماية المدنيين."));
    // The text is the page's own characters (tanwin kept where the page puts it).
    assert!(d.text.contains("مشيراً إلى"));
    for furniture in
        ["الرئيسية", "اقرأ أيضاً", "غارات جوية على ريف حلب", "حسبنا الله", "الأكثر قراءة", "جميع الحقوق", "شارك على"]
    {
        assert!(!d.text.contains(furniture), "{furniture} left in:\n{}", d.text);
    }
}

#[test]
fn english_news_page_main_text_and_metadata() {
    let dir = scratch("html-en");
    let got = items(&[write(&dir, "sanaa.htm", NEWS_EN)]);
    let d = doc(&got[0]);
    assert_eq!(d.title.as_deref(), Some("Airstrike kills 12 in Sanaa"));
    assert_eq!(d.published, day(2023, 11, 2), "from <time datetime>");
    assert_eq!(d.outlet.as_deref(), Some("Daily Monitor"));
    assert_eq!(d.url.as_deref(), Some("https://monitor.example/world/sanaa-airstrike"), "canonical");
    assert_eq!(d.language.as_deref(), Some("en-GB"));
    assert!(d.text.starts_with("Airstrike kills 12 in Sanaa\n\nAt least twelve people were killed"));
    assert!(d.text.ends_with("No party immediately claimed responsibility for the attack."));
    for furniture in ["Subscribe", "Ceasefire talks", "tragedy", "Most popular", "All rights reserved"] {
        assert!(!d.text.contains(furniture), "{furniture} left in:\n{}", d.text);
    }
}

#[test]
fn html_sniffed_without_extension_and_legacy_encoding() {
    let dir = scratch("html-1256");
    let page = NEWS_AR.replace("<meta charset=\"utf-8\">", "");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&page);
    assert!(!unmappable);
    let got = items(&[write(&dir, "page", &bytes)]);
    let d = doc(&got[0]);
    assert_eq!(d.title.as_deref(), Some("مقتل خمسة مدنيين في قصف على ريف إدلب"));
    assert!(d.text.contains("بلدة سرمين في ريف إدلب الشرقي"));
}

#[test]
fn text_files_in_utf8_utf16_and_windows_1256() {
    let dir = scratch("text");
    let text =
        "قصف مدفعي على بلدة سرمين\n\nقتل خمسة مدنيين بينهم طفلان جراء قصف مدفعي استهدف بلدة سرمين في ريف إدلب الشرقي.";
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(text);
    let paths = [
        write(&dir, "a.txt", text),
        write(&dir, "b.txt", [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat()),
        write(&dir, "c.txt", &utf16),
        write(&dir, "d.txt", &cp1256),
    ];
    let got = items(&paths);
    assert_eq!(got.len(), 4);
    for (item, path) in got.iter().zip(&paths) {
        let d = doc(item);
        assert_eq!(&d.origin, path);
        assert_eq!(d.text, text);
        assert_eq!(d.title, None);
    }
}

#[test]
fn bad_files_fail_with_reasons() {
    let dir = scratch("bad");
    let binary = write(&dir, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    let empty = write(&dir, "empty.txt", "  \n");
    let huge = write(&dir, "huge.html", vec![b'a'; 10 * 1024 * 1024 + 1]);
    let missing = dir.join("missing.txt").display().to_string();
    let not_feed = write(&dir, "sitemap.xml", "<?xml version=\"1.0\"?><urlset><url/></urlset>");
    let got = items(&[binary.clone(), empty.clone(), huge.clone(), missing.clone(), not_feed.clone()]);
    let reasons: Vec<(&str, &str)> = got.iter().map(failure).collect();
    assert_eq!(reasons[0].0, binary);
    assert!(reasons[0].1.starts_with("binary file"), "{}", reasons[0].1);
    assert_eq!(reasons[1], (empty.as_str(), "empty file: no text to read"));
    assert_eq!(reasons[2].0, huge);
    assert!(reasons[2].1.starts_with("too large for one document: 10.5 MB"), "{}", reasons[2].1);
    assert_eq!(reasons[3], (missing.as_str(), "no such file or directory"));
    assert_eq!(reasons[4].0, not_feed);
    assert!(reasons[4].1.starts_with("not a valid RSS/Atom feed"), "{}", reasons[4].1);
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>وكالة الأنباء</title>
  <link>https://agency.example/</link>
  <language>ar</language>
  <item>
    <title>غارة على دير الزور</title>
    <link>https://agency.example/1</link>
    <pubDate>Mon, 05 Feb 2024 10:00:00 +0000</pubDate>
    <description>ملخص قصير</description>
    <content:encoded><![CDATA[<p>قتل ثلاثة أشخاص في غارة جوية على <b>دير الزور</b>.</p><p>وقال شاهد إن الغارة استهدفت سيارة.</p>]]></content:encoded>
  </item>
  <item>
    <title>اشتباكات في درعا</title>
    <link>https://agency.example/2</link>
    <pubDate>Sat, 20 Jan 2024 08:00:00 +0000</pubDate>
    <description>&lt;p&gt;اندلعت اشتباكات في ريف درعا الغربي.&lt;/p&gt;</description>
  </item>
  <item>
    <title>بيان بلا تاريخ</title>
    <description>نص البيان.</description>
  </item>
</channel>
</rss>"#;

#[test]
fn rss_items_are_documents() {
    let dir = scratch("rss");
    let path = write(&dir, "agency.rss", RSS);
    let got = items(std::slice::from_ref(&path));
    assert_eq!(got.len(), 3);
    let first = doc(&got[0]);
    assert_eq!(first.origin, format!("{path}#1"));
    assert_eq!(first.title.as_deref(), Some("غارة على دير الزور"));
    assert_eq!(
        first.text,
        "غارة على دير الزور\n\nقتل ثلاثة أشخاص في غارة جوية على دير الزور.\n\nوقال شاهد إن الغارة استهدفت سيارة."
    );
    assert_eq!(first.published, day(2024, 2, 5));
    assert_eq!(first.url.as_deref(), Some("https://agency.example/1"));
    assert_eq!(first.outlet.as_deref(), Some("وكالة الأنباء"));
    assert_eq!(first.language.as_deref(), Some("ar"));
    let second = doc(&got[1]);
    assert_eq!(second.origin, format!("{path}#2"));
    assert_eq!(second.text, "اشتباكات في درعا\n\nاندلعت اشتباكات في ريف درعا الغربي.");
    assert_eq!(doc(&got[2]).published, None);
}

#[test]
fn since_until_drop_documents_outside_the_window() {
    let dir = scratch("window");
    let path = write(&dir, "agency.xml", RSS);
    let options = Options { since: day(2024, 2, 1), until: day(2024, 2, 29) };
    let mut reader = read(&[path], &options);
    let kept: Vec<Item> = reader.by_ref().collect();
    let titles: Vec<_> = kept.iter().map(|i| doc(i).title.clone().unwrap()).collect();
    assert_eq!(titles, ["غارة على دير الزور", "بيان بلا تاريخ"], "undated items are kept");
    assert_eq!(reader.dropped(), 1);
}

#[test]
fn atom_feed_sniffed() {
    let dir = scratch("atom");
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Conflict Monitor</title>
  <id>urn:x</id><updated>2024-05-01T00:00:00Z</updated>
  <entry>
    <title>Shelling in Kharkiv</title>
    <id>urn:1</id>
    <link rel="alternate" href="https://monitor.example/kharkiv"/>
    <published>2024-04-30T21:00:00Z</published>
    <updated>2024-05-01T00:00:00Z</updated>
    <author><name>A. Writer</name></author>
    <summary type="html">&lt;p&gt;Two people were wounded.&lt;/p&gt;</summary>
  </entry>
</feed>"#;
    let path = write(&dir, "feed", atom);
    let got = items(std::slice::from_ref(&path));
    let d = doc(&got[0]);
    assert_eq!(d.origin, format!("{path}#1"));
    assert_eq!(d.text, "Shelling in Kharkiv\n\nTwo people were wounded.");
    assert_eq!(d.published, day(2024, 4, 30));
    assert_eq!(d.outlet.as_deref(), Some("Conflict Monitor"));
    assert_eq!(d.author.as_deref(), Some("A. Writer"));
    assert_eq!(d.url.as_deref(), Some("https://monitor.example/kharkiv"));
}

/// A WARC record with the given type, target and HTTP message.
fn warc_record(kind: &str, target: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{:08}-0000-0000-0000-000000000000>\r\nWARC-Date: 2024-03-14T10:00:00Z\r\nWARC-Target-URI: {target}\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        body.len(),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn warc_file() -> Vec<u8> {
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(NEWS_AR);
    let http = |ctype: &str, body: &[u8]| {
        [format!("HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes(), body]
            .concat()
    };
    let mut warc = Vec::new();
    warc.extend(warc_record("request", "https://news.example/ar", b"GET /ar HTTP/1.1\r\nHost: news.example\r\n\r\n"));
    warc.extend(warc_record("response", "https://news.example/ar", &http("text/html; charset=windows-1256", &cp1256)));
    warc.extend(warc_record("response", "https://news.example/logo.png", &http("image/png", b"\x89PNG\x00")));
    warc.extend(warc_record("response", "https://monitor.example/sanaa", &http("text/html", NEWS_EN.as_bytes())));
    warc
}

#[test]
fn warc_html_responses_are_documents() {
    let dir = scratch("warc");
    let path = write(&dir, "crawl.warc", warc_file());
    let mut gz = libflate::gzip::Encoder::new(Vec::new()).unwrap();
    gz.write_all(&warc_file()).unwrap();
    let gz_path = write(&dir, "crawl.warc.gz", gz.finish().into_result().unwrap());
    for path in [path, gz_path] {
        let got = items(std::slice::from_ref(&path));
        assert_eq!(got.len(), 2, "{got:?}");
        let ar = doc(&got[0]);
        assert_eq!(ar.origin, format!("{path}#2"));
        assert_eq!(ar.url.as_deref(), Some("https://news.example/ar"), "the target URI");
        assert_eq!(ar.title.as_deref(), Some("مقتل خمسة مدنيين في قصف على ريف إدلب"));
        assert_eq!(ar.published, day(2024, 3, 14));
        assert!(ar.text.contains("بلدة سرمين"));
        assert!(!ar.text.contains("اقرأ أيضاً"));
        let en = doc(&got[1]);
        assert_eq!(en.origin, format!("{path}#4"));
        assert!(en.text.starts_with("Airstrike kills 12 in Sanaa\n\n"));
    }
}

#[test]
fn truncated_warc_ends_with_one_failure() {
    let dir = scratch("warc-bad");
    let mut warc = warc_file();
    warc.truncate(warc.len() - 500);
    let path = write(&dir, "cut.warc", warc);
    let got = items(std::slice::from_ref(&path));
    assert_eq!(got.len(), 2);
    doc(&got[0]);
    let (origin, reason) = failure(&got[1]);
    assert_eq!(origin, format!("{path}#4"));
    assert!(reason.starts_with("truncated WARC record: 1608 of its 2104 bytes"), "{reason}");
}

#[test]
fn jsonl_lines_with_bad_ones_in_between() {
    let dir = scratch("jsonl");
    let lines = [
        r#"{"source": "aawsat", "url": "http://aawsat.com/1", "date_extracted": "2015-07-21 02:51:48", "title": "عنوان", "author": "القاهرة: فلان", "content": "نص الخبر."}"#,
        "",
        "{not json",
        r#"{"title": "no body"}"#,
        r#"{"text": "Body only.", "published": "2020-01-02", "outlet": "X", "lang": "en"}"#,
        r#"[1, 2]"#,
        r#"{"body": "Third.", "date": "yesterday", "link": "https://x.example/3"}"#,
    ];
    let path = write(&dir, "corpus.jsonl", format!("\u{feff}{}\r\n", lines.join("\r\n")));
    let got = items(std::slice::from_ref(&path));
    assert_eq!(got.len(), 6);
    let first = doc(&got[0]);
    assert_eq!(first.origin, format!("{path}:1"));
    assert_eq!(first.text, "عنوان\n\nنص الخبر.");
    assert_eq!(first.published, day(2015, 7, 21));
    assert_eq!(first.outlet.as_deref(), Some("aawsat"));
    assert_eq!(first.author.as_deref(), Some("القاهرة: فلان"));
    assert_eq!(first.url.as_deref(), Some("http://aawsat.com/1"));
    let (origin, reason) = failure(&got[1]);
    assert_eq!(origin, format!("{path}:3"));
    assert!(reason.starts_with("invalid JSON"), "{reason}");
    assert_eq!(failure(&got[2]), (format!("{path}:4").as_str(), "no text (fields content, text or body)"));
    let fifth = doc(&got[3]);
    assert_eq!((fifth.origin.as_str(), fifth.text.as_str()), (format!("{path}:5").as_str(), "Body only."));
    assert_eq!(
        (fifth.published, fifth.outlet.as_deref(), fifth.language.as_deref()),
        (day(2020, 1, 2), Some("X"), Some("en"))
    );
    assert_eq!(failure(&got[4]).0, format!("{path}:6"));
    let last = doc(&got[5]);
    assert_eq!((last.published, last.url.as_deref()), (None, Some("https://x.example/3")));
}

#[test]
fn directories_recursive_sorted_hidden_skipped() {
    let dir = scratch("tree");
    write(&dir, "b.txt", "second");
    write(&dir, "a/z.txt", "first");
    write(&dir, ".hidden.txt", "never");
    write(&dir, ".git/config", "never");
    write(&dir, "c/blob.bin", b"\x00\x01\x02");
    write(&dir, "d.jsonl", "{\"content\": \"fourth\"}\n");
    let got = items(&[dir.display().to_string()]);
    let summary: Vec<String> = got
        .iter()
        .map(|i| match i {
            Item::Document(d) => format!("{} {}", d.origin.strip_prefix(&dir.display().to_string()).unwrap(), d.text),
            Item::Failed { origin, reason } => {
                format!("{} FAILED {}", origin.strip_prefix(&dir.display().to_string()).unwrap(), reason)
            }
        })
        .collect();
    assert_eq!(
        summary,
        [
            "/a/z.txt first",
            "/b.txt second",
            "/c/blob.bin FAILED binary file (NUL byte at offset 0)",
            "/d.jsonl:1 fourth"
        ]
    );
}

#[test]
fn the_jsonl_corpus_streams_when_present() {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/corpus/saudinewsnet_conflict_subset.jsonl");
    if !corpus.exists() {
        return;
    }
    let got = items(&[corpus.display().to_string()]);
    assert_eq!(got.len(), 3000);
    let docs = got.iter().filter(|i| matches!(i, Item::Document(d) if d.published.is_some() && d.outlet.is_some()));
    assert_eq!(docs.count(), 2997);
    let empty = got.iter().filter(|i| matches!(i, Item::Failed { reason, .. } if reason.starts_with("no text")));
    assert_eq!(empty.count(), 3, "three lines of the corpus have an empty content field");
}
