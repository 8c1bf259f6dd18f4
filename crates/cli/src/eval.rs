//! `rasd eval`: scores rasd against a gold directory with the dev set's rules
//! (shared/devset/README.md, "Scoring"): one-to-one greedy event matching on event type,
//! date overlap and distance, optional events set aside, then precision/recall/F1 and the
//! accuracy of sub-type, admin1, fatalities, status and attribution chains.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use rasd_pipeline::ArticleMeta;
use rasd_record::Record;
use rasd_text::fold::fold_str;
use rasd_text::geo::haversine_km;
use rayon::prelude::*;
use serde::Deserialize;

/// Arguments of `rasd eval`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A gold directory: NNN.txt with NNN.gold.json, directly or under items/; or FA-KES's
    /// CSV (`../shared/data/eval/fakes-dev.csv`): the main event's governorate and toll.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Also write each prediction as DIR/NNN.json (for shared/devset/score.py).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
    /// List every missed and spurious event.
    #[arg(long, short)]
    verbose: bool,
    /// Also write, per predicted event, the features the likelihood model read and whether the
    /// event matched a gold event (JSONL: the training data of `tools/train_likelihood.py`).
    #[arg(long, value_name = "FILE")]
    features: Option<PathBuf>,
    /// The JSONL corpus that gold items with `"origin": "corpus"` point into (by line number,
    /// `locator`): their text is not shipped, so it is rebuilt from this file.
    #[arg(long, value_name = "FILE")]
    corpus: Option<PathBuf>,
}

#[derive(Deserialize, Debug)]
struct Gold {
    id: String,
    language: String,
    published: chrono::NaiveDate,
    outlet: Option<String>,
    events: Vec<GoldEvent>,
    #[serde(default)]
    optional_events: Vec<GoldEvent>,
    /// What the article is (`event_report`, `sports`, …), in the fresh gold sets.
    #[serde(default)]
    article_kind: Option<String>,
    /// Where the text lives when no NNN.txt ships: `corpus` (a line of `--corpus`).
    #[serde(default)]
    origin: Option<String>,
    /// The line number (1-based) in the corpus.
    #[serde(default)]
    locator: Option<String>,
}

#[derive(Deserialize, Debug)]
struct GoldEvent {
    event_type: String,
    sub_event_type: String,
    status: String,
    date_start: String,
    date_end: String,
    location: GoldLocation,
    fatalities: Option<u32>,
    #[serde(default)]
    fatalities_accept: Vec<Option<u32>>,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Deserialize, Debug)]
struct GoldLocation {
    name_en: String,
    /// Null where only the country is known.
    #[serde(default, deserialize_with = "null_as_empty")]
    admin1: String,
    #[serde(default)]
    admin1_alt: Vec<String>,
    lat: f64,
    lon: f64,
    tolerance_km: f64,
}

#[derive(Default, Debug, Clone, Copy, serde::Serialize)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Tally {
    fn prf(&self) -> (f64, f64, f64) {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

#[derive(Default, Debug)]
struct Scores {
    all: Tally,
    by_language: BTreeMap<String, Tally>,
    by_type: BTreeMap<String, Tally>,
    accuracy: BTreeMap<&'static str, (usize, usize)>,
    /// The same accuracies, per language.
    accuracy_by_language: BTreeMap<String, BTreeMap<&'static str, (usize, usize)>>,
    chain: (usize, usize),
    chain_by_language: BTreeMap<String, (usize, usize)>,
    distances_km: Vec<f64>,
    /// Articles without a gold event, and how many of them got an event: per article kind.
    quiet_articles: BTreeMap<String, (usize, usize)>,
    notes: Vec<String>,
}

pub fn run(dir: &rasd_kb::DataDir, args: Args) -> anyhow::Result<ExitCode> {
    if args.dir.extension().is_some_and(|e| e == "csv") {
        return crate::eval_fakes::run(dir, &args.dir, args.json);
    }
    let items = if args.dir.join("items").is_dir() { args.dir.join("items") } else { args.dir.clone() };
    let golds = read_golds(&items)?;
    if golds.is_empty() {
        anyhow::bail!("{}: no NNN.gold.json files found", items.display());
    }
    let knowledge = crate::load_knowledge(dir)?;
    let aliases = load_aliases(dir)?;
    let corpus = args.corpus.as_deref().map(read_corpus).transpose()?;
    let predictions: Vec<anyhow::Result<rasd_pipeline::Explanation>> = golds
        .par_iter()
        .map(|gold| {
            let text = gold_text(&items, gold, corpus.as_deref())?;
            let meta =
                ArticleMeta { published: Some(gold.published), outlet: gold.outlet.clone(), ..Default::default() };
            Ok(knowledge.explain(&text, &meta))
        })
        .collect();
    if let Some(out) = &args.out {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    }
    let mut features = String::new();
    let mut scores = Scores::default();
    for (gold, prediction) in golds.iter().zip(predictions) {
        let explained = prediction?;
        let record = &explained.record;
        if let Some(out) = &args.out {
            let path = out.join(format!("{}.json", gold.id));
            std::fs::write(&path, serde_json::to_string(record)?)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        let verdicts = score_item(gold, record, &aliases, &mut scores);
        for (j, (verdict, event_features)) in verdicts.iter().zip(&explained.features).enumerate() {
            let line = serde_json::json!({
                "item": gold.id, "language": gold.language, "event": j, "verdict": verdict,
                "features": event_features,
            });
            features.push_str(&line.to_string());
            features.push('\n');
        }
    }
    if let Some(path) = &args.features {
        std::fs::write(path, features).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report_json(&scores))?);
    } else {
        print_report(&scores, args.verbose);
    }
    Ok(ExitCode::SUCCESS)
}

/// The lines of a JSONL corpus.
fn read_corpus(path: &Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text.lines().map(str::to_string).collect())
}

/// A corpus article as the annotator read it: title line, blank line, body.
#[derive(Deserialize)]
struct CorpusArticle {
    #[serde(default)]
    title: String,
    #[serde(default)]
    content: String,
}

/// The text of a gold item: `NNN.txt` beside it, else its corpus line.
fn gold_text(items: &Path, gold: &Gold, corpus: Option<&[String]>) -> anyhow::Result<String> {
    let path = items.join(format!("{}.txt", gold.id));
    let gold_path = items.join(format!("{}.gold.json", gold.id));
    if path.exists() || gold.origin.as_deref() != Some("corpus") {
        return crate::input::read_article(&path.to_string_lossy())
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
    }
    let corpus = corpus.ok_or_else(|| {
        anyhow::anyhow!("{}: its text is a corpus line; pass the corpus with --corpus FILE", gold_path.display())
    })?;
    let line: usize = gold
        .locator
        .as_deref()
        .and_then(|l| l.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("{}: `locator` must be the corpus line number", gold_path.display()))?;
    let raw = corpus
        .get(line.wrapping_sub(1))
        .ok_or_else(|| anyhow::anyhow!("{}: the corpus has no line {line}", gold_path.display()))?;
    let article: CorpusArticle = serde_json::from_str(raw)
        .with_context(|| format!("{}: corpus line {line} is not an article", gold_path.display()))?;
    Ok(format!("{}\n\n{}\n", article.title.trim(), article.content.trim()))
}

fn read_golds(items: &Path) -> anyhow::Result<Vec<Gold>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(items)
        .with_context(|| format!("cannot read {}", items.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
            serde_json::from_str(&text).with_context(|| format!("{}: not a gold file", p.display()))
        })
        .collect()
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

fn load_aliases(dir: &rasd_kb::DataDir) -> anyhow::Result<Vec<Vec<String>>> {
    const FILE: &str = "eval/source_aliases.tsv";
    let text = dir.read(FILE)?;
    let table = rasd_kb::Tsv::parse(FILE, &text, &["names"])?;
    Ok(table.rows().map(|r| r.list("names").map(norm).collect()).collect())
}

/// The scorer's name normalization: folded, punctuation as spaces, spaces collapsed.
fn norm(s: &str) -> String {
    let folded: String = fold_str(s).chars().map(|c| if "\"'()[].,:;!?-_/".contains(c) { ' ' } else { c }).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn same_source(a: &str, b: &str, aliases: &[Vec<String>]) -> bool {
    let (a, b) = (norm(a), norm(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a == b || a.contains(&b) || b.contains(&a) || aliases.iter().any(|g| g.contains(&a) && g.contains(&b))
}

/// Sub-type mismatch and distance when the prediction may match the gold event.
fn compatible(g: &GoldEvent, p: &rasd_record::Event) -> Option<(u8, f64)> {
    if g.event_type != p.event_type || p.date.start > g.date_end || p.date.end < g.date_start {
        return None;
    }
    let distance = match &p.location {
        Some(l) => haversine_km(g.location.lat, g.location.lon, l.lat, l.lon),
        None => return None,
    };
    (distance <= g.location.tolerance_km).then_some((u8::from(g.sub_event_type != p.sub_event_type), distance))
}

fn greedy_match(golds: &[GoldEvent], preds: &[&rasd_record::Event]) -> Vec<(usize, usize, f64)> {
    let mut pairs: Vec<((u8, f64), usize, usize)> = Vec::new();
    for (i, g) in golds.iter().enumerate() {
        for (j, p) in preds.iter().enumerate() {
            if let Some(k) = compatible(g, p) {
                pairs.push((k, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| a.0 .0.cmp(&b.0 .0).then(a.0 .1.total_cmp(&b.0 .1)).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_g, mut used_p, mut out) = (Vec::new(), Vec::new(), Vec::new());
    for ((_, d), i, j) in pairs {
        if !used_g.contains(&i) && !used_p.contains(&j) {
            used_g.push(i);
            used_p.push(j);
            out.push((i, j, d));
        }
    }
    out
}

/// What scoring found of each predicted event: it matched a gold event (`real`), an optional
/// one (`optional`), or none (`spurious`).
fn score_item(gold: &Gold, record: &Record, aliases: &[Vec<String>], s: &mut Scores) -> Vec<&'static str> {
    let preds: Vec<&rasd_record::Event> = record.events.iter().collect();
    let matched = greedy_match(&gold.events, &preds);
    // The predictions left after matching, by their index in `preds`.
    let rest_at: Vec<usize> = (0..preds.len()).filter(|j| !matched.iter().any(|m| m.1 == *j)).collect();
    let rest: Vec<&rasd_record::Event> = rest_at.iter().map(|&j| preds[j]).collect();
    let optional = greedy_match(&gold.optional_events, &rest);
    let mut verdicts = vec!["spurious"; preds.len()];
    for m in &matched {
        verdicts[m.1] = "real";
    }
    for m in &optional {
        verdicts[rest_at[m.1]] = "optional";
    }
    let spurious: Vec<&rasd_record::Event> =
        preds.iter().zip(&verdicts).filter(|(_, v)| **v == "spurious").map(|(p, _)| *p).collect();
    let tally = Tally { tp: matched.len(), fp: spurious.len(), fn_: gold.events.len() - matched.len() };
    if gold.events.is_empty() && gold.optional_events.is_empty() {
        let kind = gold.article_kind.clone().unwrap_or_else(|| "unknown".to_string());
        let quiet = s.quiet_articles.entry(kind).or_default();
        quiet.0 += 1;
        quiet.1 += usize::from(!record.events.is_empty());
    }
    for t in [&mut s.all, s.by_language.entry(gold.language.clone()).or_default()] {
        t.tp += tally.tp;
        t.fp += tally.fp;
        t.fn_ += tally.fn_;
    }
    for (i, g) in gold.events.iter().enumerate() {
        let t = s.by_type.entry(g.event_type.clone()).or_default();
        if matched.iter().any(|m| m.0 == i) {
            t.tp += 1;
        } else {
            t.fn_ += 1;
            s.notes.push(format!(
                "{} missed   {} / {} at {} ({}…{})",
                gold.id, g.event_type, g.sub_event_type, g.location.name_en, g.date_start, g.date_end
            ));
        }
    }
    for p in &spurious {
        s.by_type.entry(p.event_type.clone()).or_default().fp += 1;
        let place = p.location.as_ref().map_or("?", |l| l.name.as_str());
        s.notes.push(format!(
            "{} spurious {} / {} at {} ({}…{}) «{}»",
            gold.id, p.event_type, p.sub_event_type, place, p.date.start, p.date.end, p.trigger.text
        ));
    }
    for &(i, j, d) in &matched {
        let (g, p) = (&gold.events[i], preds[j]);
        let mut count = |key: &'static str, ok: bool| {
            for e in [
                s.accuracy.entry(key).or_default(),
                s.accuracy_by_language.entry(gold.language.clone()).or_default().entry(key).or_default(),
            ] {
                e.0 += usize::from(ok);
                e.1 += 1;
            }
        };
        count("sub_event_type", g.sub_event_type == p.sub_event_type);
        let admin1 = p.location.as_ref().and_then(|l| l.admin1.as_deref()).map(norm).unwrap_or_default();
        count("admin1", std::iter::once(&g.location.admin1).chain(&g.location.admin1_alt).any(|a| norm(a) == admin1));
        let fatalities_ok = p.fatalities == g.fatalities || g.fatalities_accept.contains(&p.fatalities);
        if !fatalities_ok {
            s.notes.push(format!(
                "{} fatalities {:?}, gold {:?} ({})",
                gold.id, p.fatalities, g.fatalities, g.sub_event_type
            ));
        }
        count("fatalities", fatalities_ok);
        count("status", p.status == g.status);
        s.distances_km.push(d);
        for source in &g.sources {
            let found = p.sources.iter().any(|ps| same_source(source, &ps.name, aliases));
            if !found {
                let got: Vec<&str> = p.sources.iter().map(|ps| ps.name.as_str()).collect();
                s.notes.push(format!("{} source {source:?} missing from {got:?} ({})", gold.id, g.sub_event_type));
            }
            for c in [&mut s.chain, s.chain_by_language.entry(gold.language.clone()).or_default()] {
                c.1 += 1;
                c.0 += usize::from(found);
            }
        }
    }
    verdicts
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn print_report(s: &Scores, verbose: bool) {
    let (p, r, f) = s.all.prf();
    println!("events  P={p:.3} R={r:.3} F1={f:.3}  (tp={} fp={} fn={})", s.all.tp, s.all.fp, s.all.fn_);
    for (lang, t) in &s.by_language {
        let (p, r, f) = t.prf();
        println!("  lang {lang}: P={p:.3} R={r:.3} F1={f:.3}");
    }
    for (ty, t) in &s.by_type {
        let (p, r, f) = t.prf();
        println!("  {ty:28} P={p:.3} R={r:.3} F1={f:.3}");
    }
    for (key, (ok, n)) in &s.accuracy {
        println!("{key} accuracy (matched events): {:.3}", *ok as f64 / (*n).max(1) as f64);
    }
    println!("coordinates (matched events): median distance {:.1} km", median(&s.distances_km));
    println!("attribution-chain recall: {:.3}", s.chain.0 as f64 / s.chain.1.max(1) as f64);
    if !s.quiet_articles.is_empty() {
        let (n, noisy) = s.quiet_articles.values().fold((0, 0), |(n, e), (a, b)| (n + a, e + b));
        let kinds: Vec<String> = s.quiet_articles.iter().map(|(k, (a, b))| format!("{k} {b}/{a}")).collect();
        println!("articles without an event that got one: {noisy} of {n} ({})", kinds.join(", "));
    }
    for (lang, accuracy) in &s.accuracy_by_language {
        let figures: Vec<String> =
            accuracy.iter().map(|(k, (ok, n))| format!("{k} {:.3}", *ok as f64 / (*n).max(1) as f64)).collect();
        let chain = s.chain_by_language.get(lang).map_or(0.0, |(ok, n)| *ok as f64 / (*n).max(1) as f64);
        println!("  lang {lang}: {} · chain recall {chain:.3}", figures.join(" · "));
    }
    if verbose {
        for n in &s.notes {
            println!("{n}");
        }
    }
}

fn report_json(s: &Scores) -> serde_json::Value {
    let prf = |t: &Tally| {
        let (p, r, f) = t.prf();
        serde_json::json!({"precision": p, "recall": r, "f1": f, "tp": t.tp, "fp": t.fp, "fn": t.fn_})
    };
    serde_json::json!({
        "events": prf(&s.all),
        "by_language": s.by_language.iter().map(|(k, t)| (k.clone(), prf(t))).collect::<serde_json::Map<_, _>>(),
        "by_event_type": s.by_type.iter().map(|(k, t)| (k.clone(), prf(t))).collect::<serde_json::Map<_, _>>(),
        "matched_accuracy": s.accuracy.iter().map(|(k, (ok, n))| (k.to_string(), serde_json::json!(*ok as f64 / (*n).max(1) as f64))).collect::<serde_json::Map<_, _>>(),
        "median_distance_km": median(&s.distances_km),
        "attribution_chain_recall": s.chain.0 as f64 / s.chain.1.max(1) as f64,
        "quiet_articles": s.quiet_articles.iter().map(|(k, (n, e))| (k.clone(), serde_json::json!({"articles": n, "with_events": e}))).collect::<serde_json::Map<_, _>>(),
        "by_language_accuracy": s.accuracy_by_language.iter().map(|(lang, acc)| {
            let mut m: serde_json::Map<String, serde_json::Value> =
                acc.iter().map(|(k, (ok, n))| (k.to_string(), serde_json::json!(*ok as f64 / (*n).max(1) as f64))).collect();
            let chain = s.chain_by_language.get(lang).map_or(0.0, |(ok, n)| *ok as f64 / (*n).max(1) as f64);
            m.insert("attribution_chain_recall".to_string(), serde_json::json!(chain));
            (lang.clone(), serde_json::Value::Object(m))
        }).collect::<serde_json::Map<_, _>>(),
    })
}
