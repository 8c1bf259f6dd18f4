//! `rasd ingest`: read inputs, extract records in parallel, store them in batches.
//!
//! Each batch of documents is extracted with rayon and stored in one transaction, so a crash
//! (even SIGKILL) loses at most the batch in flight, and running the same command again stores
//! only what is missing: stored articles are recognised by their text and URL.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use rasd_ingest::{Document, Item, Options};
use rasd_pipeline::ArticleMeta;
use rasd_store::{Location, Outcome, Prepared, Store};
use rayon::prelude::*;

/// Arguments of `rasd ingest`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Inputs: text pages, HTML pages, RSS/Atom feeds, WARC archives, JSONL files, directories
    /// (read recursively); `-` reads standard input.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<String>,
    #[command(flatten)]
    db: crate::query::Database,
    /// Skip documents published before this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    since: Option<NaiveDate>,
    /// Skip documents published after this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    until: Option<NaiveDate>,
    /// Documents per transaction: a crash loses at most one batch, which a rerun redoes.
    #[arg(long, default_value_t = 256, value_name = "N")]
    batch: usize,
}

/// What an ingest read and stored.
#[derive(Default)]
pub(crate) struct Summary {
    pub(crate) read: usize,
    pub(crate) new: usize,
    pub(crate) copies: usize,
    pub(crate) duplicates: usize,
    pub(crate) updated: usize,
    events: usize,
    failed: Vec<(String, String)>,
}

impl Summary {
    /// Counts what became of one stored document.
    pub(crate) fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::New(_) => self.new += 1,
            Outcome::Copy(..) => self.copies += 1,
            Outcome::Duplicate(_) => self.duplicates += 1,
            Outcome::Updated(_) => self.updated += 1,
        }
    }

    /// What became of the documents stored: new, copies, duplicates, updated.
    pub(crate) fn outcomes(&self) -> String {
        format!("new {} · copies {} · duplicates {} · updated {}", self.new, self.copies, self.duplicates, self.updated)
    }
}

pub fn run(dir: &rasd_kb::DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let knowledge = crate::load_knowledge(dir)?;
    let mut store = crate::query::open_for_writing(&args.db.location)?;
    let mut reader = rasd_ingest::read(&args.paths, &Options { since: args.since, until: args.until });
    let bar = spinner();
    let mut summary = Summary::default();
    // Batch N is written to the database while batch N+1 is being read and analysed.
    let mut pending: Option<Extracted> = None;
    loop {
        let docs = next_batch(&mut reader, args.batch.max(1), &mut summary.failed);
        let (written, extracted) = rayon::join(
            || pending.take().map(|batch| store_batch(&mut store, batch, &mut summary)),
            || extract(&knowledge, docs),
        );
        written.transpose()?;
        bar.set_position(summary.read as u64);
        if extracted.is_empty() {
            break;
        }
        pending = Some(extracted);
    }
    bar.finish_and_clear();
    report(&summary, reader.dropped(), &store, &args.db.location, started.elapsed().as_secs_f64())?;
    Ok(if summary.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A batch of documents with their records, ready for the store.
pub(crate) type Extracted = Vec<(Document, rasd_record::Record, Prepared)>;

/// The next documents from the reader; failures go to `failed`.
fn next_batch(reader: &mut rasd_ingest::Reader, size: usize, failed: &mut Vec<(String, String)>) -> Vec<Document> {
    let mut docs = Vec::with_capacity(size);
    for item in reader.by_ref() {
        match item {
            Item::Document(d) => {
                for warning in &d.warnings {
                    eprintln!("rasd: {}: warning: {warning}", d.origin);
                }
                docs.push(d)
            }
            Item::Failed { origin, reason } => failed.push((origin, reason)),
        }
        if docs.len() >= size {
            break;
        }
    }
    docs
}

/// Analyses a batch in parallel.
pub(crate) fn extract(knowledge: &rasd_pipeline::Knowledge, docs: Vec<Document>) -> Extracted {
    docs.into_par_iter()
        .map(|d| {
            let record = knowledge.extract(&d.text, &meta(&d));
            let prepared = Prepared::of(&record);
            (d, record, prepared)
        })
        .collect()
}

/// How many times a batch is tried again when another writer holds the database for longer
/// than the store's busy timeout.
const BUSY_RETRIES: usize = 3;

/// Stores a batch in one transaction, trying again while another writer holds the lock.
pub(crate) fn store_batch(store: &mut Store, batch: Extracted, summary: &mut Summary) -> anyhow::Result<()> {
    let mut attempt = 0;
    let outcomes = loop {
        match write_batch(store, &batch) {
            Ok(outcomes) => break outcomes,
            Err(e) if e.is_retryable() && attempt < BUSY_RETRIES => {
                attempt += 1;
                eprintln!("rasd: {e}; trying the batch again ({attempt} of {BUSY_RETRIES})");
            }
            Err(e) => return Err(e.into()),
        }
    };
    for ((_, record, _), outcome) in batch.iter().zip(outcomes) {
        summary.count(outcome);
        summary.events += record.events.len();
    }
    summary.read += batch.len();
    Ok(())
}

fn write_batch(store: &mut Store, batch: &Extracted) -> Result<Vec<Outcome>, rasd_store::StoreError> {
    let mut tx = store.batch()?;
    let outcomes = batch
        .iter()
        .map(|(doc, record, prepared)| tx.put_prepared(record, prepared, &doc.origin))
        .collect::<Result<Vec<_>, _>>()?;
    tx.commit()?;
    Ok(outcomes)
}

/// What the pipeline is told about a document read by `rasd-ingest`.
pub(crate) fn meta(d: &Document) -> ArticleMeta {
    ArticleMeta {
        published: d.published,
        outlet: d.outlet.clone(),
        url: d.url.clone(),
        title: d.title.clone(),
        author: d.author.clone(),
        language: d.language.clone(),
    }
}

/// A spinner on standard error with the count and rate of articles, when a person is watching
/// (standard error is a terminal); hidden otherwise.
pub(crate) fn spinner() -> indicatif::ProgressBar {
    styled(indicatif::ProgressBar::no_length(), "{spinner} {pos} articles · {per_sec} · {elapsed}")
}

/// A progress bar over `total` articles on standard error, when a person is watching.
pub(crate) fn progress(total: u64) -> indicatif::ProgressBar {
    styled(indicatif::ProgressBar::new(total), "{wide_bar} {pos}/{len} articles · {per_sec} · {eta} left")
}

fn styled(bar: indicatif::ProgressBar, template: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

fn report(s: &Summary, dropped: usize, store: &Store, db: &Location, seconds: f64) -> anyhow::Result<()> {
    const SHOWN_FAILURES: usize = 20;
    let counts = store.counts()?;
    let size = db.file().map_or(String::new(), |path| {
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(path.with_extension("db-wal")).map(|m| m.len()).unwrap_or(0);
        format!(", {:.1} MB", bytes as f64 / 1e6)
    });
    eprintln!(
        "read {} ({} events) · {} · failed {}{}",
        s.read,
        s.events,
        s.outcomes(),
        s.failed.len(),
        if dropped > 0 { format!(" · outside --since/--until {dropped}") } else { String::new() }
    );
    eprintln!(
        "{:.1} s, {:.0} articles/s · database {db}: {} articles, {} events in {} clusters{size}",
        seconds,
        s.read as f64 / seconds.max(1e-9),
        counts.articles,
        counts.events,
        counts.clusters,
    );
    for (origin, reason) in s.failed.iter().take(SHOWN_FAILURES) {
        eprintln!("rasd: {origin}: {reason}");
    }
    if s.failed.len() > SHOWN_FAILURES {
        eprintln!("rasd: … and {} more failures", s.failed.len() - SHOWN_FAILURES);
    }
    Ok(())
}
