//! `rasd copy`: every stored article, with the events read from it, from one store into
//! another (a SQLite file into PostgreSQL, or back), without reading any article again.
//!
//! The records are put into the destination as `rasd ingest` puts them, in batches of one
//! transaction each: it finds duplicates, copies and clusters itself, so copying into a
//! store that already holds some of the articles adds only the others, and an interrupted
//! copy can simply be run again.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use rasd_store::{Location, Prepared};
use rayon::prelude::*;

/// Arguments of `rasd copy`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The store to read: a SQLite file or a PostgreSQL URL.
    #[arg(long, value_name = "PATH|URL")]
    from: Location,
    /// The store to write (created when missing): a SQLite file or a PostgreSQL URL.
    #[arg(long, value_name = "PATH|URL")]
    to: Location,
    /// Articles per transaction.
    #[arg(long, default_value_t = 512, value_name = "N")]
    batch: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.from == args.to {
        anyhow::bail!("--from and --to are the same database ({})", args.from);
    }
    let started = Instant::now();
    let source = crate::query::open(&args.from)?;
    let mut target = crate::query::open_for_writing(&args.to)?;
    let bar = crate::ingest::progress(source.counts()?.articles);
    let (mut after, mut read) = (0i64, 0usize);
    let mut outcomes = crate::ingest::Summary::default();
    loop {
        let page = source.records_after(after, args.batch.max(1)).with_context(|| format!("reading {}", args.from))?;
        let Some((last, _, _)) = page.last() else { break };
        after = *last;
        let prepared: Vec<Prepared> = page.par_iter().map(|(_, _, record)| Prepared::of(record)).collect();
        let mut batch = target.batch()?;
        for ((_, origin, record), prepared) in page.iter().zip(&prepared) {
            outcomes.count(batch.put_prepared(record, prepared, origin)?);
        }
        batch.commit().with_context(|| format!("writing {}", args.to))?;
        read += page.len();
        bar.set_position(read as u64);
    }
    bar.finish_and_clear();
    let counts = target.counts()?;
    let crate::ingest::Summary { new, copies, duplicates, updated, .. } = outcomes;
    eprintln!(
        "copied {read} articles from {} in {:.1} s · new {new} · copies {copies} · already there {duplicates} · updated {updated}",
        args.from,
        started.elapsed().as_secs_f64()
    );
    eprintln!("{}: {} articles, {} events in {} clusters", args.to, counts.articles, counts.events, counts.clusters);
    Ok(ExitCode::SUCCESS)
}
