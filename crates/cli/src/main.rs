//! `rasd`: the command-line front of the pipeline. This crate is glue: argument parsing,
//! file reading and error reporting, output formats, evaluation and benchmarking.

mod audit;
mod bench;
mod copy;
mod eval;
mod eval_fakes;
mod extract;
mod gazetteer;
mod ingest;
mod input;
mod inspect;
mod pretty;
mod query;
mod queue;
mod reindex;
mod serve;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// rasd (رصد) reads Arabic and English news about armed conflict and turns each article into
/// a structured, sourced event record: what happened, to whom, by whom, where, when, how many
/// killed, and according to whom — every field tied to the exact words of the source.
///
/// Exit status: 0 all inputs read; 1 some inputs could not be read (the rest were processed);
/// 2 usage error or knowledge that failed to load.
#[derive(Parser, Debug)]
#[command(name = "rasd", version, about, long_about, after_help = EXAMPLES)]
struct Cli {
    /// Read knowledge files (actors, triggers, places …) from this directory instead of the
    /// copies built into the binary: for analysts trying out an edit to data/.
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "Examples:
  rasd extract article.txt                      readable summary on a terminal, JSONL when piped
  rasd extract --published 2025-10-26 --outlet 'Enab Baladi' a.txt b.txt > out.jsonl
  cat page.txt | rasd extract - --format json
  rasd ingest corpus.jsonl pages/ feed.xml      store articles and events in rasd.db
  rasd events --since 2025-01-01 --admin1 Idlib --format csv > idlib.csv
  rasd show 42                                  one event: its sentence, chain and sources
  rasd serve --db rasd.db                       the map and API at http://127.0.0.1:8080/
  rasd ingest news/ --db postgres://rasd@db-host/news     a shared PostgreSQL store instead of a file
  rasd queue push archive.warc --nats nats://queue-host:4222   work items for any number of workers
  rasd worker --db postgres://rasd@db-host/news --nats nats://queue-host:4222
  rasd copy --from rasd.db --to postgres://rasd@db-host/news   move up without reading articles again
  rasd watch --config watch.toml                poll feeds and sites, store what is new, send alerts
  rasd watch status                             each source: last success, articles today, errors
  rasd eval ../shared/devset                    score against a gold directory
  rasd audit sample corpus.jsonl --sample 60 --seed 3 -o audit/   a blind review sheet
  rasd bench corpus.jsonl                       articles/s, MB/s and peak memory
  rasd inspect dates --published 2025-05-17 a.txt";

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract event records from article files (plain text pages; `-` reads standard input).
    Extract(extract::Args),
    /// Read inputs (text, HTML, feeds, WARC, JSONL, directories) into the database, once each.
    Ingest(ingest::Args),
    /// List, filter and export the stored events (one row per event, every source of it).
    Events(query::EventsArgs),
    /// List the stored articles.
    Articles(query::ArticlesArgs),
    /// Show one stored event: its sentence, its chain, every source that reported it.
    Show(query::ShowArgs),
    /// Copy every stored article and its events from one database into another (a SQLite
    /// file into PostgreSQL, or back), without reading the articles again.
    Copy(copy::Args),
    /// Rebuild a database made by an older rasd (another text folding or record format) by
    /// reading every stored article again; the old file is kept beside it.
    Reindex(reindex::Args),
    /// Poll news feeds, index pages, sitemaps and folders (watch.toml), store what is new and
    /// send the alerts it raises; `rasd watch status` shows each source.
    Watch(watch::Args),
    /// Distributed ingest: publish inputs as work items on NATS JetStream (`push`), or show
    /// the queue (`status`); `rasd worker` processes them.
    Queue(queue::Args),
    /// Pull work items from NATS JetStream, extract and store them (run one per core or
    /// machine, all into one PostgreSQL database).
    Worker(queue::WorkerArgs),
    /// Serve the web map and the JSON API over a database (http://127.0.0.1:8080/ by default).
    Serve(serve::Args),
    /// Score rasd against a gold directory (items/NNN.txt with NNN.gold.json, as in the dev set).
    Eval(eval::Args),
    /// Draw coded events at random from a corpus for a blind review, and score the verdicts.
    Audit(audit::Args),
    /// Measure throughput and memory on a JSONL corpus (one article per line, `content` field).
    Bench(bench::Args),
    /// Add places to the user's gazetteer (`rasd gazetteer import XX.txt`), read with the built-in ones.
    Gazetteer(gazetteer::Args),
    /// Show what one stage reads in a text, one JSON line per mention.
    Inspect {
        #[command(subcommand)]
        what: inspect::What,
    },
}

/// Output formats of `rasd extract`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON record per line (the default when standard output is not a terminal).
    Jsonl,
    /// A JSON array of records, indented.
    Json,
    /// A readable summary for a person (the default on a terminal).
    Pretty,
}

fn main() -> ExitCode {
    // A closed pipe (`rasd events | head`) ends rasd quietly, as it ends other Unix tools,
    // instead of a panic from the next print.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let dir = cli.data.as_ref().map_or_else(rasd_kb::DataDir::embedded, rasd_kb::DataDir::at);
    let result = match cli.command {
        Command::Extract(args) => extract::run(&dir, args),
        Command::Ingest(args) => ingest::run(&dir, args),
        Command::Events(args) => query::events(&dir, args),
        Command::Articles(args) => query::articles(args),
        Command::Show(args) => query::show(args),
        Command::Reindex(args) => reindex::run(&dir, args),
        Command::Copy(args) => copy::run(args),
        Command::Queue(args) => queue::run(args),
        Command::Worker(args) => queue::worker(&dir, args),
        Command::Serve(args) => serve::run(&dir, args),
        Command::Watch(args) => watch::run(&dir, args),
        Command::Eval(args) => eval::run(&dir, args),
        Command::Audit(args) => audit::run(&dir, args),
        Command::Bench(args) => bench::run(&dir, args),
        Command::Gazetteer(args) => gazetteer::run(&dir, args),
        Command::Inspect { what } => inspect::run(&dir, what),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("rasd: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Loads the knowledge, reporting how long it took when asked.
fn load_knowledge(dir: &rasd_kb::DataDir) -> anyhow::Result<rasd_pipeline::Knowledge> {
    rasd_pipeline::Knowledge::load(dir).map_err(|e| anyhow::anyhow!("knowledge did not load: {e}"))
}
