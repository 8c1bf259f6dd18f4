//! `rasd events`, `rasd articles`, `rasd show`: what the store holds, filtered and exported.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use rasd_export::Format;
use rasd_store::{EventQuery, Location, Store};

/// Output formats of `rasd events`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EventFormat {
    /// A readable table (the default on a terminal).
    Table,
    /// One JSON object per event cluster (the default otherwise).
    Jsonl,
    /// ACLED-compatible CSV: ACLED's columns in ACLED's order, then rasd's.
    Csv,
    /// A GeoJSON FeatureCollection of points (QGIS, Leaflet).
    Geojson,
    /// Apache Parquet (pandas, DuckDB); needs --output or a redirect.
    Parquet,
}

/// Arguments of `rasd events`.
#[derive(clap::Args, Debug)]
pub struct EventsArgs {
    #[command(flatten)]
    db: Database,
    /// Events whose date window ends on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    since: Option<NaiveDate>,
    /// Events whose date window starts on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    until: Option<NaiveDate>,
    /// ACLED event type in English (any case) or Arabic, e.g. "Explosions/Remote violence",
    /// battles, معارك. An unknown one is an error that lists the valid ones.
    #[arg(long = "type", value_name = "TYPE")]
    event_type: Option<String>,
    /// ACLED sub-event type in English (any case) or Arabic, e.g. "Air/drone strike",
    /// "armed clash", اعتقالات.
    #[arg(long, value_name = "SUB_TYPE")]
    sub_type: Option<String>,
    /// First-level unit in English or Arabic, e.g. Idlib, "Rif Dimashq", "ريف دمشق", إدلب.
    #[arg(long, value_name = "ADMIN1")]
    admin1: Option<String>,
    /// Within KM kilometres of a point: LAT,LON,KM (e.g. 33.51,36.29,25).
    #[arg(long, value_name = "LAT,LON,KM", value_parser = rasd_store::parse_near)]
    near: Option<(f64, f64, f64)>,
    /// An actor: an alias in Arabic or English stands for every actor it names (داعش, Daesh,
    /// ISIS → Islamic State); other text matches any part of a name, case-insensitive.
    #[arg(long, value_name = "NAME")]
    actor: Option<String>,
    /// occurred, future, denied or negated.
    #[arg(long, value_name = "STATUS", value_parser = ["occurred", "future", "denied", "negated"])]
    status: Option<String>,
    /// Words in the event's sentence, place or actors (Arabic diacritics, hamza and ta-marbuta
    /// differences ignored).
    #[arg(long, value_name = "QUERY")]
    text: Option<String>,
    /// Only events whose confidence is at least this (0..1): the likelihood model's probability
    /// that the event is real. On fresh news held out from training, events at 0.5 or more are
    /// real about 65 % of the time, against 39 % of all (docs/accuracy.md).
    #[arg(long, value_name = "0..1", value_parser = confidence)]
    min_confidence: Option<f64>,
    /// At most this many events.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Output format [default: table on a terminal, jsonl otherwise].
    #[arg(long, value_enum)]
    format: Option<EventFormat>,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "PATH")]
    output: Option<PathBuf>,
}

/// A confidence threshold between 0 and 1.
fn confidence(s: &str) -> Result<f64, String> {
    rasd_store::parse_confidence(s)
}

/// The `--db` option every store command takes.
#[derive(clap::Args, Debug)]
pub struct Database {
    /// The database: a file (SQLite, embedded; created by the first `rasd ingest`), or a
    /// PostgreSQL URL such as postgres://rasd@db-host/news, which several processes and
    /// machines can write and read at once.
    #[arg(long = "db", env = "RASD_DB", default_value = "rasd.db", value_name = "PATH|URL")]
    pub location: Location,
}

/// Opens a store for queries.
pub(crate) fn open(db: &Location) -> anyhow::Result<Store> {
    if !db.may_exist() {
        bail!("{db}: no such database; create one with `rasd ingest PATH... --db {db}`");
    }
    // Queries only read: a file this user cannot write (another user's, mode 444) still opens.
    let writable = db.file().is_none_or(|path| !rasd_store::is_read_only(path));
    let store = match Store::connect_read_only(db) {
        Err(rasd_store::StoreError::NeedsMigration { .. }) if writable => Store::connect(db),
        opened => opened,
    };
    store.with_context(|| format!("cannot open the database {db}"))
}

/// Opens (or creates) a store to write to.
pub(crate) fn open_for_writing(db: &Location) -> anyhow::Result<Store> {
    Store::connect(db).with_context(|| format!("cannot open the database {db}"))
}

pub fn events(dir: &rasd_kb::DataDir, args: EventsArgs) -> anyhow::Result<ExitCode> {
    let store = open(&args.db.location)?;
    let typed = EventQuery {
        since: args.since.map(|d| d.to_string()),
        until: args.until.map(|d| d.to_string()),
        event_type: args.event_type,
        sub_event_type: args.sub_type,
        admin1: args.admin1,
        near: args.near,
        actor: args.actor,
        status: args.status,
        text: args.text,
        min_confidence: args.min_confidence,
        limit: args.limit,
        ..EventQuery::default()
    };
    let query = resolve_filters(dir, typed)?;
    let clusters = store.events(&query)?;
    if clusters.is_empty() {
        if let Some(warning) = store.swapped_near_warning(&query)? {
            eprintln!("rasd: warning: --{warning}");
        }
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let format = args.format.unwrap_or(if to_terminal { EventFormat::Table } else { EventFormat::Jsonl });
    if format == EventFormat::Parquet && to_terminal {
        bail!("Parquet is binary: write it to a file with --output events.parquet (or redirect standard output)");
    }
    let format = match format {
        EventFormat::Table => Format::Table,
        EventFormat::Jsonl => Format::Jsonl,
        EventFormat::Csv => Format::Csv,
        EventFormat::Geojson => Format::Geojson,
        EventFormat::Parquet => Format::Parquet,
    };
    let written = match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let written = rasd_export::write(format, &clusters, &mut out)?;
            out.flush()?;
            written
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout());
            match rasd_export::write(format, &clusters, &mut out)
                .map_err(anyhow::Error::from)
                .and_then(|written| Ok(out.flush().map(|()| written)?))
            {
                Err(e) if is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
                other => other?,
            }
        }
    };
    if written.left_out > 0 {
        eprintln!(
            "rasd: {} of {} events have no place and are not in the CSV (ACLED rows always have one); \
             --format geojson, parquet and jsonl hold every event",
            written.left_out,
            clusters.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The filters as the user meant them (aliases, Arabic names, any case); a value that names
/// nothing is an error naming its option. The knowledge files load only when a filter needs
/// them (a place or an actor).
fn resolve_filters(dir: &rasd_kb::DataDir, typed: EventQuery) -> anyhow::Result<EventQuery> {
    let option = |e: rasd_pipeline::FilterError| anyhow::anyhow!("--{}: {}", e.parameter.replace('_', "-"), e.message);
    if rasd_pipeline::needs_knowledge(&typed) {
        crate::load_knowledge(dir)?.resolve_query(typed).map_err(option)
    } else {
        rasd_pipeline::resolve_types(typed).map_err(option)
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
        || e.to_string().contains("Broken pipe")
}

/// Arguments of `rasd articles`.
#[derive(clap::Args, Debug)]
pub struct ArticlesArgs {
    #[command(flatten)]
    db: Database,
    /// At most this many articles, newest first.
    #[arg(long, default_value_t = 50, value_name = "N")]
    limit: usize,
}

pub fn articles(args: ArticlesArgs) -> anyhow::Result<ExitCode> {
    let store = open(&args.db.location)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "{:>6}  {:<10}  {:<24}  {:>6}  {:<8}  title", "id", "published", "outlet", "events", "copy of")?;
    for a in store.articles(args.limit)? {
        writeln!(
            out,
            "{:>6}  {:<10}  {:<24}  {:>6}  {:<8}  {}",
            a.id,
            a.published.as_deref().unwrap_or("—"),
            a.outlet.as_deref().unwrap_or("—").chars().take(24).collect::<String>(),
            a.events,
            a.copy_of.map_or("—".to_string(), |c| c.to_string()),
            a.title.as_deref().unwrap_or(&a.origin)
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `rasd show`.
#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// An event id (the `id` column of `rasd events`).
    #[arg(value_name = "EVENT_ID")]
    id: i64,
    #[command(flatten)]
    db: Database,
    /// Print the cluster as JSON.
    #[arg(long)]
    json: bool,
}

pub fn show(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = open(&args.db.location)?;
    let Some(cluster) = store.cluster(args.id)? else {
        eprintln!("rasd: no event {} in {}", args.id, args.db.location);
        return Ok(ExitCode::from(1));
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rasd_export::cluster_json(&cluster))?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let e = cluster.event();
    writeln!(out, "event {} · {} / {} · {}", cluster.id, e.event_type, e.sub_event_type, e.status)?;
    writeln!(out, "  when   {} … {} (precision {})", e.date.start, e.date.end, e.date.precision)?;
    if let Some(l) = &e.location {
        writeln!(
            out,
            "  where  {}, {} ({:.3}, {:.3})",
            l.name,
            l.admin1.as_deref().unwrap_or(&l.country),
            l.lat,
            l.lon
        )?;
    }
    let killed = cluster.fatalities().map_or("—".to_string(), |f| f.to_string());
    writeln!(out, "  killed {killed} (lowest figure of {} sources)", cluster.reports.len())?;
    for r in &cluster.reports {
        let chain: Vec<&str> = r.event.sources.iter().map(|s| s.name.as_str()).collect();
        writeln!(
            out,
            "  ─ article {} · {} · {} · killed {}",
            r.article_id,
            r.outlet.as_deref().unwrap_or("outlet unknown"),
            r.published.as_deref().unwrap_or("date unknown"),
            r.fatalities.map_or("—".to_string(), |f| f.to_string())
        )?;
        writeln!(out, "    source  {}", if chain.is_empty() { "—".to_string() } else { chain.join(" ← ") })?;
        writeln!(out, "    from    «{}»", r.event.evidence.text)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
