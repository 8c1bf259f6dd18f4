//! Tests that run the real `rasd` binary on files.
//!
//! - `extract_*`: the extract command, its formats and exit codes
//! - `bad_input_*`: every kind of unreadable input names the file and spares the batch
//! - `golden_*`: the example article's JSONL output, pinned (refresh with UPDATE_EXPECT=1)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rasd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rasd")).args(args).output().expect("the rasd binary runs")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seed() -> String {
    repo().join("examples/seed-article-ar.txt").to_string_lossy().into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The records of JSONL output, each with every span checked against its text.
fn stdout_lines(o: &Output) -> Vec<serde_json::Value> {
    let record = |line: &str| {
        let errors = serde_json::from_str::<rasd_record::Record>(line).expect("each line is a record").span_errors();
        assert!(errors.is_empty(), "{}", errors.join("\n"));
        serde_json::from_str(line).expect("each line is JSON")
    };
    String::from_utf8_lossy(&o.stdout).lines().map(record).collect()
}

#[test]
fn extract_jsonl_is_one_line_per_article_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let second = dir.path().join("b.txt");
    std::fs::write(&second, "Syrian forces arrested three men in Homs on Tuesday.").unwrap();
    let out = rasd(&["extract", "--format", "jsonl", "--published", "2025-10-26", &seed(), &second.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["article"]["language"], "ar");
    assert_eq!(lines[1]["article"]["language"], "en");
}

#[test]
fn extract_pretty_summarises_events_and_quotes() {
    let out = rasd(&["extract", "--format", "pretty", &seed()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Strategic developments / Disrupted weapons use"), "{text}");
    assert!(text.contains("The National"), "{text}");
    assert!(text.contains("quotes:"), "{text}");
}

#[test]
fn extract_json_is_an_array() {
    let out = rasd(&["extract", "--format", "json", &seed()]);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value.as_array().map(Vec::len), Some(1));
}

#[test]
fn extract_reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(["extract", "-", "--format", "jsonl", "--published", "2025-05-17"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all("اعتقلت قوات الأمن العام أمس ثلاثة أشخاص في مدينة حمص.".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let lines = stdout_lines(&out);
    assert_eq!(lines[0]["events"][0]["sub_event_type"], "Arrests");
}

#[test]
fn bad_input_each_kind_is_named_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    std::fs::write(p("empty.txt"), "").unwrap();
    std::fs::write(p("binary.bin"), [0x7f, b'E', b'L', b'F', 0, 1, 2]).unwrap();
    std::fs::write(p("latin1.txt"), [b'c', b'a', b'f', 0xE9, b'\n']).unwrap();
    let big = std::fs::File::create(p("big.txt")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    std::fs::create_dir(p("folder")).unwrap();
    let good = p("good.txt");
    std::fs::write(&good, "Syrian forces arrested three men in Homs on Tuesday.").unwrap();
    let names = ["empty.txt", "binary.bin", "latin1.txt", "big.txt", "folder", "missing.txt"];
    let mut args = vec!["extract".to_string(), "--format".into(), "jsonl".into()];
    args.extend(names.iter().map(|n| p(n).to_string_lossy().into_owned()));
    args.push(good.to_string_lossy().into_owned());
    let out = Command::new(env!("CARGO_BIN_EXE_rasd")).args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "some inputs failed: exit 1");
    let err = stderr(&out);
    let expect = [
        ("empty.txt", "empty file"),
        ("binary.bin", "binary file (NUL byte at offset 4)"),
        ("big.txt", "too large for one document"),
        ("folder", "no article found in it"),
        ("missing.txt", "no such file"),
    ];
    for (name, reason) in expect {
        let line =
            err.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("no error line for {name} in:\n{err}"));
        assert!(line.starts_with("rasd: ") && line.contains(reason), "{line}");
    }
    assert_eq!(err.lines().count(), names.len() - 1, "one line per bad file:\n{err}");
    // Not UTF-8 but a legacy encoding that reads as text (one policy with `rasd ingest`).
    let records = stdout_lines(&out);
    assert_eq!(records.len(), 2, "the good file and the windows-1252 one come out");
    assert!(records.iter().any(|r| r["article"]["text"].as_str().is_some_and(|t| t.contains("café"))));
    assert!(!err.contains("panicked"));
}

#[test]
fn extract_reads_html_and_jsonl_as_ingest_does_keeping_author_and_language() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("page.html");
    std::fs::write(
        &html,
        r#"<html lang="ar-SY"><head><title>اعتقالات في جبلة</title><meta name="author" content="سارة الأحمد">
        <meta property="article:published_time" content="2025-05-17T09:00:00+03:00"></head>
        <body><nav>الرئيسية</nav><article><h1>اعتقالات في جبلة</h1>
        <p>اعتقلت قوات الأمن العام أمس ثلاثة أشخاص في مدينة جبلة.</p></article></body></html>"#,
    )
    .unwrap();
    let jsonl = dir.path().join("news.jsonl");
    let line = |title: &str, content: &str| {
        serde_json::json!({"title": title, "content": content, "date": "2025-05-17", "source": "Levant Wire",
            "url": format!("https://example.org/{title}"), "language": "en"})
        .to_string()
    };
    std::fs::write(
        &jsonl,
        [
            line("protest", "Hundreds held a protest in Suwayda city on Friday, demanding the release of detainees."),
            line("arrests", "Syrian forces arrested three men in Homs on Tuesday."),
        ]
        .join("\n"),
    )
    .unwrap();
    let out = rasd(&["extract", "--format", "jsonl", &html.to_string_lossy(), &jsonl.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let records = stdout_lines(&out);
    assert_eq!(records.len(), 3, "one page and two JSONL lines, in input order");
    let page = &records[0]["article"];
    assert_eq!(
        (&page["author"], &page["language"], &page["published"]),
        (&"سارة الأحمد".into(), &"ar".into(), &"2025-05-17".into())
    );
    assert!(!page["text"].as_str().unwrap().contains("الرئيسية"), "the page's navigation is not article text");
    assert_eq!(records[0]["events"][0]["sub_event_type"], "Arrests");
    assert_eq!(
        (&records[1]["article"]["outlet"], &records[1]["article"]["language"]),
        (&"Levant Wire".into(), &"en".into())
    );
    assert_eq!(records[2]["article"]["url"], "https://example.org/arrests");
    let outlet = rasd(&["extract", "--format", "jsonl", "--outlet", "Mine", &jsonl.to_string_lossy()]);
    assert!(stdout_lines(&outlet).iter().all(|r| r["article"]["outlet"] == "Mine"), "the command line wins");
}

#[test]
fn usage_errors_exit_2_with_help() {
    let out = rasd(&["extract", "--published", "yesterday", "x.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--published"));
}

#[test]
fn golden_seed_article_jsonl() {
    let out = rasd(&["extract", "--format", "jsonl", &seed()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = String::from_utf8(out.stdout).unwrap();
    let path = repo().join("tests/golden/seed-article-ar.jsonl");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).expect("golden file exists (create it with UPDATE_EXPECT=1)");
    if got != want {
        let got: serde_json::Value = serde_json::from_str(&got).unwrap();
        let want: serde_json::Value = serde_json::from_str(&want).unwrap();
        assert_eq!(
            serde_json::to_string_pretty(&got).unwrap(),
            serde_json::to_string_pretty(&want).unwrap(),
            "output differs from tests/golden/seed-article-ar.jsonl; if the change is intended, refresh with UPDATE_EXPECT=1"
        );
    }
}

#[test]
fn eval_scores_a_gold_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("001.txt"), "عنوان\n\nاعتقلت قوات الأمن العام أمس ثلاثة أشخاص في مدينة حمص.").unwrap();
    let gold = serde_json::json!({
        "id": "001", "language": "ar", "published": "2025-05-17", "outlet": "موقع",
        "events": [{
            "event_type": "Strategic developments", "sub_event_type": "Arrests", "status": "occurred",
            "date_start": "2025-05-16", "date_end": "2025-05-16", "date_precision": 1,
            "location": {"name_en": "Homs", "name_ar": "حمص", "admin1": "Homs", "country": "Syria",
                         "lat": 34.73, "lon": 36.72, "geo_precision": 1, "tolerance_km": 8},
            "actor1": ["Police Forces of Syria (2024-)"], "actor2": null, "fatalities": null,
            "sources": ["موقع"]
        }]
    });
    std::fs::write(dir.path().join("001.gold.json"), gold.to_string()).unwrap();
    let out = rasd(&["eval", &dir.path().to_string_lossy(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["events"]["tp"], 1, "{report}");
    assert_eq!(report["attribution_chain_recall"], 1.0);
}

#[test]
fn gazetteer_import_then_extract_finds_the_new_place() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("YE.txt");
    std::fs::write(
        &dump,
        "72966\tMa’rib\tMa'rib\tMarib,Mareb,Ma'rib,مأرب,مارب\t15.46253\t45.32581\tP\tPPLA\tYE\t\t24\t\t\t\t16794\t\t1152\tAsia/Aden\t2021-11-30\n",
    )
    .unwrap();
    let home = dir.path().join("home");
    let run =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_rasd")).args(args).env("RASD_HOME", &home).output().unwrap();
    let out = run(&["gazetteer", "import", &dump.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "اعتقلت قوات الأمن أمس ثلاثة أشخاص في مدينة مأرب.").unwrap();
    let out = run(&["extract", "--format", "jsonl", "--published", "2025-05-17", &article.to_string_lossy()]);
    let lines = stdout_lines(&out);
    assert_eq!(lines[0]["events"][0]["location"]["name"], "Marib", "{}", lines[0]);
    assert_eq!(lines[0]["events"][0]["location"]["iso3"], "YEM");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(["extract", "--format", "pretty", &seed(), &seed(), &seed()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away, like `| head`
    let out = child.wait_with_output().unwrap();
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn eval_and_audit_name_the_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("not-fakes.csv");
    std::fs::write(&csv, "a,b\n1,2\n").unwrap();
    let out = rasd(&["eval", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not-fakes.csv: not FA-KES's columns"), "{err}");

    let gold = dir.path().join("x1.gold.json");
    std::fs::write(
        &gold,
        r#"{"id":"x1","language":"ar","published":"2015-01-01","events":[],"origin":"corpus","locator":"7"}"#,
    )
    .unwrap();
    let out = rasd(&["eval", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("x1.gold.json: its text is a corpus line"));

    let corpus = dir.path().join("corpus.jsonl");
    std::fs::write(
        &corpus,
        "{\"content\":\"اعتقلت قوات الأمن ثلاثة مسلحين في مدينة حمص.\",\"date\":\"2025-05-17\"}\nnot json\n",
    )
    .unwrap();
    let sheet = dir.path().join("audit");
    let out = rasd(&["audit", "sample", corpus.to_str().unwrap(), "--sample", "5", "-o", sheet.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a bad line is reported and the rest sampled");
    assert!(String::from_utf8_lossy(&out.stderr).contains("corpus.jsonl:2"));
    assert!(std::fs::read_to_string(sheet.join("sheet.md")).unwrap().contains("Arrests"));
}
