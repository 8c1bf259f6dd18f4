//! `rasd audit`: an honest measurement of what rasd codes on real news. `sample` runs a
//! corpus, draws events at random (seeded) and writes a review sheet a person judges without
//! seeing anything else; `score` reads the verdicts back and reports the share of real events,
//! field by field, and by confidence (the calibration `--min-confidence` rests on).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use rand::SeedableRng;
use rasd_record::{Event, Record};
use rayon::prelude::*;

/// Arguments of `rasd audit`. `sample` exits 1 when some inputs could not be read (each is
/// named on stderr; the rest are sampled), 2 on a usage error or an unreadable manifest.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand, Debug)]
enum What {
    /// Run a corpus, draw events at random and write DIR/sheet.md and DIR/verdicts.tsv.
    Sample {
        /// Inputs, as `rasd ingest` reads them (JSONL, HTML, feeds, WARC, directories).
        #[arg(value_name = "INPUT", required = true)]
        inputs: Vec<String>,
        /// How many events to draw.
        #[arg(long, default_value_t = 60)]
        sample: usize,
        /// The random seed: the same corpus and seed draw the same events.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Leave out JSONL lines listed in these manifests (`locator` column: the line number),
        /// e.g. the articles of a sealed fresh gold round.
        #[arg(long, value_name = "MANIFEST")]
        exclude: Vec<PathBuf>,
        /// Where the sheet goes.
        #[arg(long, short, value_name = "DIR")]
        out: PathBuf,
    },
    /// Read DIR/verdicts.tsv (filled in by a reviewer) and report the figures.
    Score {
        /// The folder `sample` wrote, with its verdicts filled in.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(dir: &rasd_kb::DataDir, args: Args) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Sample { inputs, sample, seed, exclude, out } => {
            let failed = write_sample(dir, &inputs, sample, seed, &exclude, &out)?;
            // As `rasd ingest`: 1 when some inputs could not be read (each named on stderr).
            Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        What::Score { dir, json } => score(&dir, json),
    }
}

/// The line numbers listed in manifests' `locator` column.
fn excluded_lines(manifests: &[PathBuf]) -> anyhow::Result<BTreeSet<usize>> {
    let mut lines = BTreeSet::new();
    for m in manifests {
        let text = std::fs::read_to_string(m).with_context(|| format!("cannot read {}", m.display()))?;
        let mut rows = text.lines();
        let header: Vec<&str> = rows.next().unwrap_or_default().split('\t').collect();
        let column = header
            .iter()
            .position(|h| *h == "locator")
            .ok_or_else(|| anyhow::anyhow!("{}: no `locator` column", m.display()))?;
        let origin = header.iter().position(|h| *h == "origin");
        for row in rows {
            let fields: Vec<&str> = row.split('\t').collect();
            if origin.is_some_and(|o| fields.get(o) != Some(&"corpus")) {
                continue;
            }
            if let Some(n) = fields.get(column).and_then(|f| f.parse().ok()) {
                lines.insert(n);
            }
        }
    }
    Ok(lines)
}

/// The JSONL line number of an origin (`path:LINE`).
fn line_of(origin: &str) -> Option<usize> {
    origin.rsplit_once(':').and_then(|(_, n)| n.parse().ok())
}

fn write_sample(
    dir: &rasd_kb::DataDir,
    inputs: &[String],
    sample: usize,
    seed: u64,
    exclude: &[PathBuf],
    out: &Path,
) -> anyhow::Result<usize> {
    let skip = excluded_lines(exclude)?;
    let mut failed = 0;
    let knowledge = crate::load_knowledge(dir)?;
    let documents: Vec<rasd_ingest::Document> = rasd_ingest::read(inputs, &rasd_ingest::Options::default())
        .filter_map(|item| match item {
            rasd_ingest::Item::Document(d) => Some(d),
            rasd_ingest::Item::Failed { origin, reason } => {
                eprintln!("rasd: {origin}: {reason}");
                failed += 1;
                None
            }
        })
        .filter(|d| line_of(&d.origin).is_none_or(|n| !skip.contains(&n)))
        .collect();
    let records: Vec<(String, Record)> =
        documents.par_iter().map(|d| (d.origin.clone(), knowledge.extract(&d.text, &crate::ingest::meta(d)))).collect();
    let all: Vec<(usize, usize)> =
        records.iter().enumerate().flat_map(|(a, (_, r))| (0..r.events.len()).map(move |e| (a, e))).collect();
    let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(seed);
    let mut picks: Vec<usize> = rand::seq::index::sample(&mut rng, all.len(), sample.min(all.len())).into_vec();
    picks.sort_unstable();
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut sheet = format!(
        "# Audit sheet\n\n{} events drawn at random (seed {seed}) from {} events in {} articles ({}).\n\
         For each event, judge from the evidence alone, with `../shared/spec/event-record.md` at hand,\n\
         and fill one row of `verdicts.tsv`: `real` (y: the article asserts this specific event;\n\
         n: no event, a general statement, background, or another field's news), then for real\n\
         events `subtype`, `place`, `date`, `actors`, `toll` (y, n, or - when the text gives nothing\n\
         to check). Markers: ⟦trigger⟧ ⟪place⟫ ⟨actor⟩.\n\n",
        picks.len(),
        all.len(),
        records.len(),
        inputs.join(", ")
    );
    let mut verdicts = String::from("n\tconfidence\treal\tsubtype\tplace\tdate\tactors\ttoll\tnote\n");
    for (n, &i) in picks.iter().enumerate() {
        let (a, e) = all[i];
        let (origin, record) = &records[a];
        let event = &record.events[e];
        sheet.push_str(&sheet_entry(n + 1, origin, record, event));
        writeln!(verdicts, "{}\t{:.2}\t\t\t\t\t\t\t", n + 1, event.confidence)?;
    }
    let write = |name: &str, text: &str| {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    write("sheet.md", &sheet)?;
    write("verdicts.tsv", &verdicts)?;
    eprintln!("rasd: {} events drawn into {}", picks.len(), out.display());
    Ok(failed)
}

/// The evidence sentence with the trigger, places and actors marked.
fn marked_evidence(text: &str, event: &Event) -> String {
    let [start, end] = event.evidence.span;
    let mut marks: Vec<(usize, &str)> = Vec::new();
    let mut mark = |span: Option<[usize; 2]>, open: &'static str, close: &'static str| {
        if let Some([s, e]) = span.filter(|[s, e]| *s >= start && *e <= end && s < e) {
            marks.push((s, open));
            marks.push((e, close));
        }
    };
    mark(Some(event.trigger.span), "⟦", "⟧");
    mark(event.location.as_ref().map(|l| l.span), "⟪", "⟫");
    for actor in [&event.actor1, &event.actor2].into_iter().flatten() {
        mark(actor.span, "⟨", "⟩");
    }
    // At one offset, closing marks come before opening ones.
    marks.sort_by_key(|(at, m)| (*at, u8::from(!"⟧⟫⟩".contains(m))));
    let mut out = String::new();
    let mut at = start;
    for (pos, m) in marks {
        if pos < at || !text.is_char_boundary(pos) {
            continue;
        }
        out.push_str(&text[at..pos]);
        out.push_str(m);
        at = pos;
    }
    out.push_str(&text[at..end]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn sheet_entry(n: usize, origin: &str, record: &Record, event: &Event) -> String {
    let a = &record.article;
    let place = event.location.as_ref().map_or("—".to_string(), |l| {
        format!("{} ({}, {}; precision {})", l.name, l.admin1.as_deref().unwrap_or("—"), l.country, l.geo_precision)
    });
    let actor = |a: &Option<rasd_record::Actor>| a.as_ref().map_or("—".to_string(), |a| a.name.clone());
    let sources: Vec<&str> = event.sources.iter().map(|s| s.name.as_str()).collect();
    let toll = event.fatalities.map_or("—".to_string(), |f| f.to_string());
    format!(
        "## {n}\n\n- article: {} · {} · {} · `{origin}`\n- evidence: {}\n- event: {} / {} · status {}\n\
         - date: {} … {} (precision {}) «{}»\n- place: {place}\n- actors: {} → {}\n\
         - killed: {toll} · injured: {}\n- sources: {}\n- confidence: {:.2}\n\n",
        a.title.as_deref().unwrap_or("—"),
        a.outlet.as_deref().unwrap_or("—"),
        a.published.as_deref().unwrap_or("—"),
        marked_evidence(&a.text, event),
        event.event_type,
        event.sub_event_type,
        event.status,
        event.date.start,
        event.date.end,
        event.date.precision,
        event.date.text.as_deref().unwrap_or("—"),
        actor(&event.actor1),
        actor(&event.actor2),
        event.injured.map_or("—".to_string(), |i| i.to_string()),
        sources.join(" ← "),
        event.confidence,
    )
}

/// One judged event.
#[derive(Debug)]
struct Verdict {
    confidence: f64,
    real: bool,
    fields: [Option<bool>; 6],
}

const FIELDS: [&str; 6] = ["subtype", "place", "date", "actors", "toll", "real+subtype"];

fn parse_verdicts(path: &Path) -> anyhow::Result<Vec<Verdict>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let yes = |s: &str| match s.trim() {
        "y" | "Y" | "yes" => Some(true),
        "n" | "N" | "no" => Some(false),
        _ => None,
    };
    let mut out = Vec::new();
    for (i, row) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        let at = |k: usize| f.get(k).copied().unwrap_or("");
        let confidence: f64 = at(1).parse().with_context(|| format!("{}:{}: bad confidence", path.display(), i + 1))?;
        let real = yes(at(2)).ok_or_else(|| anyhow::anyhow!("{}:{}: `real` must be y or n", path.display(), i + 1))?;
        let subtype = yes(at(3));
        let fields = [subtype, yes(at(4)), yes(at(5)), yes(at(6)), yes(at(7)), Some(real && subtype == Some(true))];
        out.push(Verdict { confidence, real, fields });
    }
    Ok(out)
}

fn score(dir: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let verdicts = parse_verdicts(&dir.join("verdicts.tsv"))?;
    if verdicts.is_empty() {
        anyhow::bail!("{}: no verdicts", dir.display());
    }
    let n = verdicts.len();
    let real = verdicts.iter().filter(|v| v.real).count();
    let field = |k: usize| {
        let judged: Vec<bool> = verdicts.iter().filter(|v| v.real || k == 5).filter_map(|v| v.fields[k]).collect();
        (judged.iter().filter(|x| **x).count(), judged.len())
    };
    let at_least = |t: f64| {
        let above: Vec<&Verdict> = verdicts.iter().filter(|v| v.confidence >= t - 1e-9).collect();
        (above.iter().filter(|v| v.real).count(), above.len())
    };
    let thresholds = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9];
    if json {
        let fields: serde_json::Map<String, serde_json::Value> = FIELDS
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let (ok, of) = field(k);
                (name.to_string(), serde_json::json!({"right": ok, "judged": of}))
            })
            .collect();
        let calibration: Vec<serde_json::Value> = thresholds
            .iter()
            .map(|t| {
                let (ok, of) = at_least(*t);
                serde_json::json!({"min_confidence": t, "events": of, "real": ok})
            })
            .collect();
        let report = serde_json::json!({"events": n, "real": real, "fields": fields, "calibration": calibration});
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!("audited events: {n}; real events: {real} ({:.0} %)", pct(real, n));
    for (k, name) in FIELDS.iter().enumerate() {
        let (ok, of) = field(k);
        println!("  {name:13} right {ok} of {of} ({:.0} %)", pct(ok, of));
    }
    for t in thresholds {
        let (ok, of) = at_least(t);
        println!("  confidence ≥ {t:.1}: {of} events, {:.0} % real", pct(ok, of));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_give_their_jsonl_line() {
        assert_eq!(line_of("corpus.jsonl:42"), Some(42));
        assert_eq!(line_of("page.html"), None);
    }

    #[test]
    fn verdicts_are_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("verdicts.tsv");
        std::fs::write(&path, "n\tconfidence\treal\tsubtype\tplace\tdate\tactors\ttoll\tnote\n1\t0.80\ty\ty\tn\ty\t-\t-\t\n2\t0.40\tn\t\t\t\t\t\t\n").unwrap();
        let v = parse_verdicts(&path).unwrap();
        assert_eq!(v.len(), 2);
        assert!(v[0].real && v[0].fields[0] == Some(true) && v[0].fields[1] == Some(false));
        assert_eq!(v[0].fields[5], Some(true));
        assert_eq!(v[1].fields[5], Some(false));
        std::fs::write(&path, "n\tconfidence\treal\n1\t0.8\tmaybe\n").unwrap();
        assert!(parse_verdicts(&path).unwrap_err().to_string().contains("`real` must be y or n"));
    }
}
