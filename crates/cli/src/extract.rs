//! `rasd extract`: inputs in, records out, in parallel, in input order. Inputs are read by
//! `rasd-ingest`, as `rasd ingest` reads them: text and HTML pages, feeds, WARC, JSONL and
//! directories, with the same decoding and the same reasons for what cannot be read.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use chrono::NaiveDate;
use rasd_ingest::{Document, Item};
use rasd_record::Record;
use rayon::prelude::*;

use crate::{pretty, Format};

/// Documents analysed together: each batch is written before the next is read, so memory stays
/// bounded on a large JSONL file or a WARC archive.
const BATCH: usize = 256;

/// Arguments of `rasd extract`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Inputs: text pages, HTML pages, RSS/Atom feeds, WARC archives, JSONL files (one article
    /// per line: `title`, `content`, `date`, `url`, `source`), directories (read recursively);
    /// `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
    /// Publication date (YYYY-MM-DD) to resolve relative dates against, for every input; when
    /// omitted, each input's own date (HTML metadata, feed item, JSONL `date`, or the page's
    /// metadata line).
    #[arg(long, value_name = "YYYY-MM-DD")]
    published: Option<NaiveDate>,
    /// Name of the publishing outlet, the first link of every attribution chain, for every
    /// input; when omitted, each input's own (site name, feed title, JSONL `source`).
    #[arg(long, value_name = "NAME")]
    outlet: Option<String>,
    /// Output format [default: pretty on a terminal, jsonl otherwise].
    #[arg(long, value_enum)]
    format: Option<Format>,
}

pub fn run(dir: &rasd_kb::DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let knowledge = crate::load_knowledge(dir)?;
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() { Format::Pretty } else { Format::Jsonl });
    let mut reader = rasd_ingest::read(&args.files, &rasd_ingest::Options::default());
    let bar = crate::ingest::spinner();
    let mut output = Output::new(format);
    let (mut failed, mut origins) = (0, Vec::new());
    loop {
        let mut docs = Vec::with_capacity(BATCH);
        for item in reader.by_ref() {
            match item {
                Item::Document(d) => {
                    for warning in &d.warnings {
                        eprintln!("rasd: {}: warning: {warning}", d.origin);
                    }
                    docs.push(d);
                }
                Item::Failed { origin, reason } => {
                    failed += 1;
                    eprintln!("rasd: {origin}: {reason}");
                    origins.push(origin);
                }
            }
            if docs.len() >= BATCH {
                break;
            }
        }
        if docs.is_empty() {
            break;
        }
        let records: Vec<Record> = docs.par_iter().map(|d| knowledge.extract(&d.text, &meta(d, &args))).collect();
        origins.extend(docs.into_iter().map(|d| d.origin));
        bar.inc(records.len() as u64);
        match output.write(&records) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            other => other?,
        }
    }
    bar.finish_and_clear();
    match output.finish() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        other => other?,
    }
    for path in args.files.iter().filter(|p| !origins.iter().any(|o| o.starts_with(p.as_str()))) {
        eprintln!("rasd: {path}: warning: no article found in it");
    }
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// What the pipeline is told about a document: what the input says, unless the command line
/// says otherwise.
fn meta(d: &Document, args: &Args) -> rasd_pipeline::ArticleMeta {
    let mut meta = crate::ingest::meta(d);
    meta.published = args.published.or(meta.published);
    meta.outlet = args.outlet.clone().or(meta.outlet);
    meta
}

/// Records written as they come, in the chosen format (a JSON array opened before the first
/// batch and closed after the last).
struct Output {
    format: Format,
    out: std::io::BufWriter<std::io::Stdout>,
    written: usize,
}

impl Output {
    fn new(format: Format) -> Self {
        Output { format, out: std::io::BufWriter::new(std::io::stdout()), written: 0 }
    }

    fn write(&mut self, records: &[Record]) -> std::io::Result<()> {
        for record in records {
            match self.format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut self.out, record)?;
                    writeln!(self.out)?;
                }
                Format::Json => {
                    self.out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
                    serde_json::to_writer_pretty(&mut self.out, record)?;
                }
                Format::Pretty => pretty::write(&mut self.out, record)?,
            }
            self.written += 1;
        }
        self.out.flush()
    }

    fn finish(&mut self) -> std::io::Result<()> {
        if self.format == Format::Json {
            self.out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()
    }
}
