//! `rasd extract`: files in, records out, in parallel, in input order.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use chrono::NaiveDate;
use rasd_pipeline::ArticleMeta;
use rayon::prelude::*;

use crate::{input, pretty, Format};

/// Arguments of `rasd extract`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Article files (scraped text pages); `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
    /// Publication date (YYYY-MM-DD) to resolve relative dates against; read from the page's
    /// metadata line when omitted.
    #[arg(long, value_name = "YYYY-MM-DD")]
    published: Option<NaiveDate>,
    /// Name of the publishing outlet: the first link of every attribution chain.
    #[arg(long, value_name = "NAME")]
    outlet: Option<String>,
    /// Output format [default: pretty on a terminal, jsonl otherwise].
    #[arg(long, value_enum)]
    format: Option<Format>,
}

pub fn run(dir: &rasd_kb::DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let knowledge = crate::load_knowledge(dir)?;
    let meta = ArticleMeta { published: args.published, outlet: args.outlet.clone(), ..Default::default() };
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() { Format::Pretty } else { Format::Jsonl });
    let bar = progress_bar(args.files.len());
    let results: Vec<(String, Result<rasd_record::Record, String>)> = args
        .files
        .par_iter()
        .map(|path| {
            let record = input::read_article(path).map(|text| knowledge.extract(&text, &meta));
            bar.inc(1);
            (path.clone(), record)
        })
        .collect();
    bar.finish_and_clear();
    let mut failed = 0;
    let mut records = Vec::with_capacity(results.len());
    for (path, result) in results {
        match result {
            Ok(record) => records.push(record),
            Err(reason) => {
                failed += 1;
                eprintln!("rasd: {path}: {reason}");
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match format {
        Format::Jsonl => records.iter().try_for_each(|r| {
            serde_json::to_writer(&mut out, r)?;
            writeln!(out).map_err(serde_json::Error::io)
        }),
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &records).and_then(|()| writeln!(out).map_err(serde_json::Error::io))
        }
        Format::Pretty => records.iter().try_for_each(|r| pretty::write(&mut out, r).map_err(serde_json::Error::io)),
    };
    match written.and_then(|()| out.flush().map_err(serde_json::Error::io)) {
        Err(e) if e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) => return Ok(ExitCode::SUCCESS),
        other => other?,
    }
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A progress bar on standard error for batches long enough to wait for, when a person is
/// watching (standard error is a terminal); hidden otherwise.
fn progress_bar(files: usize) -> indicatif::ProgressBar {
    const SHOWN_FROM: usize = 50;
    if files < SHOWN_FROM || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} articles · {per_sec} · eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}
