//! `rasd bench`: throughput and memory of the whole pipeline on a JSONL corpus.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use rasd_pipeline::{ArticleMeta, Stage, StageTimes};
use rayon::prelude::*;

/// Arguments of `rasd bench`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A JSONL corpus, one article per line with a `content` field (and optionally `title`,
    /// `date_extracted`, `source`), such as shared/data/corpus/saudinewsnet_conflict_subset.jsonl.
    #[arg(value_name = "CORPUS")]
    corpus: PathBuf,
    /// Worker threads (1 measures one core).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Passes over the corpus (the first also warms caches).
    #[arg(long, default_value_t = 2)]
    passes: usize,
    /// Reads only the first N articles of the corpus (short runs under a profiler).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Instead of throughput: joins the corpus into one document of 1, 2, 4 and 8 MB and times
    /// each, to check that time about doubles with the input (exits 1 if one doubling takes
    /// more than MAX_DOUBLING_RATIO times as long).
    #[arg(long)]
    scaling: bool,
}

/// The most a doubling of one document may multiply its time by before `--scaling` fails.
const MAX_DOUBLING_RATIO: f64 = 3.0;

#[derive(serde::Deserialize)]
struct CorpusArticle {
    content: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date_extracted: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

pub fn run(dir: &rasd_kb::DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let knowledge = crate::load_knowledge(dir)?;
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let file = std::fs::File::open(&args.corpus).with_context(|| format!("cannot open {}", args.corpus.display()))?;
    let mut articles = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        if args.limit.is_some_and(|n| articles.len() >= n) {
            break;
        }
        let line = line.with_context(|| format!("{}: cannot read line {}", args.corpus.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let a: CorpusArticle = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a corpus article", args.corpus.display(), i + 1))?;
        let published =
            a.date_extracted.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok());
        let text = match &a.title {
            Some(t) => format!("{t}\n\n{}", a.content),
            None => a.content,
        };
        articles.push((text, ArticleMeta { published, outlet: a.source, ..Default::default() }));
    }
    if args.scaling {
        return Ok(scaling(&knowledge, &articles));
    }
    let bytes: usize = articles.iter().map(|(t, _)| t.len()).sum();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads.max(1)).build()?;
    let bar = indicatif::ProgressBar::new((articles.len() * args.passes.max(1)) as u64);
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_style(indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} articles {per_sec}")?);
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut best = f64::INFINITY;
    let mut events = 0;
    let mut stages = StageTimes::default();
    for _ in 0..args.passes.max(1) {
        let t = Instant::now();
        let (n, times) = pool.install(|| {
            articles
                .par_iter()
                .map(|(text, meta)| {
                    let mut times = StageTimes::default();
                    let n = knowledge.extract_timed(text, meta, &mut times).events.len();
                    bar.inc(1);
                    (n, times)
                })
                .reduce(
                    || (0, StageTimes::default()),
                    |(a, mut ta), (b, tb)| {
                        ta.add(&tb);
                        (a + b, ta)
                    },
                )
        });
        let elapsed = t.elapsed().as_secs_f64();
        if elapsed < best {
            best = elapsed;
            stages = times;
        }
        events = n;
    }
    bar.finish_and_clear();
    let n = articles.len() as f64;
    println!("corpus       {} ({} articles, {:.1} MB)", args.corpus.display(), articles.len(), bytes as f64 / 1e6);
    println!("threads      {}", args.threads.max(1));
    println!("knowledge    loaded in {load_ms:.0} ms");
    println!(
        "throughput   {:.0} articles/s, {:.2} MB/s (best of {} passes)",
        n / best,
        bytes as f64 / 1e6 / best,
        args.passes.max(1)
    );
    println!("per article  {:.0} µs", best / n * 1e6);
    println!("events       {events} ({:.2} per article)", events as f64 / n);
    let total: f64 = Stage::ALL.iter().map(|&st| stages.of(st).as_secs_f64()).sum();
    println!("stages       (share of pipeline time, µs per article)");
    for stage in Stage::ALL {
        let t = stages.of(stage).as_secs_f64();
        println!("  {:<10} {:>5.1}%  {:>7.1} µs", stage.name(), 100.0 * t / total.max(f64::EPSILON), t / n * 1e6);
    }
    if let Some(kb) = peak_rss_kb() {
        println!("peak memory  {:.1} MB (VmHWM)", kb as f64 / 1024.0);
    }
    Ok(ExitCode::SUCCESS)
}

/// Times one document of 1, 2, 4 and 8 MB joined from the corpus's articles.
fn scaling(knowledge: &rasd_pipeline::Knowledge, articles: &[(String, ArticleMeta)]) -> ExitCode {
    let meta = articles.first().map(|(_, m)| m.clone()).unwrap_or_default();
    let mut joined = String::new();
    let mut previous: Option<f64> = None;
    let mut worst: f64 = 0.0;
    for mb in [1usize, 2, 4, 8] {
        for (text, _) in articles.iter().cycle().take(articles.len() * 64) {
            if joined.len() >= mb << 20 {
                break;
            }
            joined.push_str(text);
            joined.push_str("\n\n");
        }
        let t = Instant::now();
        let record = knowledge.extract(&joined, &meta);
        let seconds = t.elapsed().as_secs_f64();
        let ratio = previous.map(|p| seconds / p.max(1e-9));
        worst = worst.max(ratio.unwrap_or(0.0));
        println!(
            "{:>5.1} MB  {:>7.3} s  {:>5} events{}",
            joined.len() as f64 / 1e6,
            seconds,
            record.events.len(),
            ratio.map_or(String::new(), |r| format!("  × {r:.2} for twice the input"))
        );
        previous = Some(seconds);
    }
    if worst > MAX_DOUBLING_RATIO {
        eprintln!("rasd: doubling the input multiplied the time by {worst:.2} (the limit is {MAX_DOUBLING_RATIO})");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Peak resident memory of this process, from /proc (Linux).
pub(crate) fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
