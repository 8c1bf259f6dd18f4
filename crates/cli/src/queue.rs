//! Distributed ingest over NATS JetStream: `rasd queue push` publishes the documents of its
//! inputs as work items, any number of `rasd worker` processes (on any machines) pull them,
//! extract, store into one shared database and acknowledge; `rasd queue status` shows the
//! queue.
//!
//! An item is acknowledged only after its batch is committed, so a worker killed mid-item
//! leaves it to be delivered again (after `--ack-wait`) to another worker; the store
//! recognises what was already stored. An item that fails `--max-tries` times, or that kills
//! workers, goes to the dead-letter stream with the reason.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::NaiveDate;
use rasd_ingest::{Document, Item, Options};
use rasd_queue::{Delivery, Queue, QueueConfig, WorkItem};

use crate::ingest::{Extracted, Summary};

/// How `rasd queue` and `rasd worker` reach the queue.
#[derive(clap::Args, Debug, Clone)]
pub struct Nats {
    /// The NATS server (with JetStream enabled).
    #[arg(long, env = "RASD_NATS", default_value = "nats://127.0.0.1:4222", value_name = "URL")]
    nats: String,
    /// The work stream's name (its dead letters go to NAME_DEAD).
    #[arg(long, default_value = "RASD_WORK", value_name = "NAME")]
    stream: String,
    /// Deliveries of an item before it goes to the dead letters.
    #[arg(long, default_value_t = 5, value_name = "N")]
    max_tries: u32,
    /// Seconds a worker has to acknowledge an item before it is delivered to another.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    ack_wait: u64,
}

impl Nats {
    fn connect(&self) -> anyhow::Result<Queue> {
        let config = QueueConfig {
            url: self.nats.clone(),
            stream: self.stream.clone(),
            max_tries: self.max_tries,
            ack_wait: Duration::from_secs(self.ack_wait.max(1)),
            ..QueueConfig::default()
        };
        Ok(Queue::connect(&config)?)
    }
}

/// Arguments of `rasd queue`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: QueueCommand,
}

#[derive(clap::Subcommand, Debug)]
enum QueueCommand {
    /// Read inputs (as `rasd ingest` does) and publish each document as a work item.
    Push {
        /// Text pages, HTML pages, feeds, WARC archives, JSONL files, directories; `-` reads
        /// standard input.
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<String>,
        #[command(flatten)]
        nats: Nats,
        /// Skip documents published before this date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        since: Option<NaiveDate>,
        /// Skip documents published after this date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        until: Option<NaiveDate>,
    },
    /// Items waiting, in flight and failed (the latest dead letters with their reasons).
    Status {
        #[command(flatten)]
        nats: Nats,
        /// Dead letters to list.
        #[arg(long, default_value_t = 10, value_name = "N")]
        dead: usize,
    },
}

/// Items published per round of publish acknowledgements.
const PUSH_WINDOW: usize = 256;

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        QueueCommand::Push { paths, nats, since, until } => push(&paths, &nats, Options { since, until }),
        QueueCommand::Status { nats, dead } => status(&nats, dead),
    }
}

fn push(paths: &[String], nats: &Nats, options: Options) -> anyhow::Result<ExitCode> {
    let queue = nats.connect()?;
    let bar = crate::ingest::spinner();
    let mut reader = rasd_ingest::read(paths, &options);
    let (mut pushed, mut duplicates, mut failed) = (0usize, 0usize, 0usize);
    loop {
        let mut items = Vec::with_capacity(PUSH_WINDOW);
        for item in reader.by_ref() {
            match item {
                Item::Document(d) => items.push(work_item(&d)?),
                Item::Failed { origin, reason } => {
                    eprintln!("rasd: {origin}: {reason}");
                    failed += 1;
                }
            }
            if items.len() >= PUSH_WINDOW {
                break;
            }
        }
        if items.is_empty() {
            break;
        }
        let summary = queue.push_many(items)?;
        pushed += summary.pushed;
        duplicates += summary.duplicates;
        bar.set_position((pushed + duplicates) as u64);
    }
    bar.finish_and_clear();
    eprintln!(
        "pushed {pushed} items to {} on {} · already queued {duplicates} · failed {failed}",
        nats.stream, nats.nats
    );
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A document as a work item: its JSON, keyed by its origin and text (pushing the same input
/// twice while it waits queues it once).
fn work_item(d: &Document) -> anyhow::Result<WorkItem> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [d.origin.as_str(), d.url.as_deref().unwrap_or(""), d.text.as_str()] {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    let key = format!("{:016x}", hasher.digest());
    let kind = match d.origin.rsplit_once(['#', ':']) {
        Some((_, n)) if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => "record",
        _ => "file",
    };
    Ok(WorkItem { key, kind: kind.into(), origin: d.origin.clone(), payload: serde_json::to_vec(d)? })
}

fn status(nats: &Nats, dead: usize) -> anyhow::Result<ExitCode> {
    let queue = nats.connect()?;
    let s = queue.status(dead)?;
    println!(
        "{}: {} waiting · {} in flight · {} redelivered · {} stuck · {} failed (dead letters)",
        nats.stream, s.waiting, s.in_flight, s.redelivered, s.stuck, s.dead
    );
    for d in &s.dead_letters {
        println!("  {} ({}, {} tries): {}", d.origin, d.kind, d.tries, d.reason);
    }
    Ok(if s.dead > 0 || s.stuck > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Arguments of `rasd worker`.
#[derive(clap::Args, Debug)]
pub struct WorkerArgs {
    #[command(flatten)]
    db: crate::query::Database,
    #[command(flatten)]
    nats: Nats,
    /// Items pulled, extracted and stored together (one transaction).
    #[arg(long, default_value_t = 64, value_name = "N")]
    batch: usize,
    /// Stop when the queue has nothing waiting or in flight (for batch jobs and tests);
    /// without it the worker waits for work until stopped.
    #[arg(long)]
    exit_when_empty: bool,
}

/// How long a worker waits for items in one pull.
const PULL_WAIT: Duration = Duration::from_secs(2);

/// How long an item whose batch could not be stored waits before it is delivered again.
const RETRY_DELAY: Duration = Duration::from_secs(5);

pub fn worker(dir: &rasd_kb::DataDir, args: WorkerArgs) -> anyhow::Result<ExitCode> {
    let knowledge = crate::load_knowledge(dir)?;
    let mut store = crate::query::open_for_writing(&args.db.location)?;
    let queue = args.nats.connect()?;
    eprintln!("rasd worker: pulling from {} on {} into {}", args.nats.stream, args.nats.nats, args.db.location);
    let started = Instant::now();
    let mut summary = Summary::default();
    let mut dead = 0usize;
    loop {
        let deliveries = queue.pull(args.batch.max(1), PULL_WAIT)?;
        if deliveries.is_empty() {
            if args.exit_when_empty {
                let s = queue.status(0)?;
                if s.waiting == 0 && s.in_flight == 0 {
                    break;
                }
            }
            continue;
        }
        let mut docs = Vec::with_capacity(deliveries.len());
        let mut taken = Vec::with_capacity(deliveries.len());
        for delivery in deliveries {
            if delivery.exhausted(&queue) {
                let reason = format!("a worker stopped while processing it, {} times", delivery.tries - 1);
                delivery.dead_letter(&queue, &reason)?;
                dead += 1;
                continue;
            }
            match serde_json::from_slice::<Document>(&delivery.payload) {
                Ok(doc) => {
                    docs.push(doc);
                    taken.push(delivery);
                }
                Err(e) => {
                    delivery.dead_letter(&queue, &format!("not a rasd document: {e}"))?;
                    dead += 1;
                }
            }
        }
        let extracted: Extracted = crate::ingest::extract(&knowledge, docs);
        match crate::ingest::store_batch(&mut store, extracted, &mut summary) {
            Ok(()) => taken.iter().try_for_each(|d| d.ack(&queue))?,
            Err(e) => {
                eprintln!("rasd worker: {e:#}; the batch goes back to the queue");
                dead += settle_failed(&queue, &taken, &format!("{e:#}"))?;
            }
        }
        eprintln!(
            "rasd worker: {} stored ({}), {dead} dead letters, {:.0} items/s",
            summary.read,
            summary.outcomes(),
            summary.read as f64 / started.elapsed().as_secs_f64().max(1e-9)
        );
    }
    eprintln!("rasd worker: the queue is empty; {} items stored, {dead} dead letters", summary.read);
    Ok(ExitCode::SUCCESS)
}

/// Gives a batch that could not be stored back to the queue, or to the dead letters for the
/// items on their last try; how many went to the dead letters.
fn settle_failed(queue: &Queue, deliveries: &[Delivery], reason: &str) -> anyhow::Result<usize> {
    let mut dead = 0;
    for d in deliveries {
        if d.tries >= u64::from(queue.config().max_tries) {
            d.dead_letter(queue, reason).context("dead-lettering an item")?;
            dead += 1;
        } else {
            d.retry(queue, RETRY_DELAY).context("giving an item back")?;
        }
    }
    Ok(dead)
}
