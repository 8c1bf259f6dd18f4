//! `rasd watch`: poll the sources of a `watch.toml`, store what is new through the path of
//! `rasd ingest`, and deliver the alerts it raises; `rasd watch status` shows each source.
//!
//! A cycle: list every due source at once (HTTP sources concurrently, within the per-host
//! limits), skip the articles the store already holds (by URL, or by file for a folder), fetch
//! the pages of new links, extract everything in parallel, then store each source's articles,
//! its new state and the alerts they raise in one transaction. A crash loses at most the
//! sources in flight, whose state was not saved either: the next run polls them again.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::future::join_all;
use rasd_ingest::Document;
use rasd_store::{Outcome, SourceState, Store};
use rasd_watch::alerts::{self, Deliverer, Rule};
use rasd_watch::{listing, Config, Entry, Failure, Fetcher, Kind, Listing, Source, Validators};

use crate::query::Database;

/// Arguments of `rasd watch`.
#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// The sources to poll and the alert rules (see the README's `watch.toml`).
    #[arg(long, value_name = "PATH", required = true)]
    config: Option<PathBuf>,
    #[command(flatten)]
    db: Database,
    /// Poll the sources that are due once, deliver the alerts, and exit (for cron).
    #[arg(long)]
    once: bool,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Each source: last success, articles today, failures, next poll; and the alerts' state.
    Status {
        /// Also list the configured sources never polled yet.
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
        #[command(flatten)]
        db: Database,
    },
}

/// The longest sleep between two looks at the schedule.
const MAX_SLEEP: Duration = Duration::from_secs(60);

pub fn run(dir: &rasd_kb::DataDir, args: Args) -> anyhow::Result<ExitCode> {
    if let Some(Command::Status { config, db }) = args.command {
        return status(config.as_deref(), &db.location);
    }
    let path = args.config.context("--config is required")?;
    let config = Config::load(&path)?;
    let knowledge = crate::load_knowledge(dir)?;
    let rules = rules(&knowledge, &config)?;
    let deliverer = Deliverer::new(&config.http.user_agent, config.http.timeout, config.smtp.as_ref())
        .map_err(anyhow::Error::msg)?;
    let mut store = crate::query::open_for_writing(&args.db.location)?;
    let recorded: Vec<(String, String)> = rules
        .iter()
        .map(|r| Ok((r.config.name.clone(), serde_json::to_string(&r.config)?)))
        .collect::<anyhow::Result<_>>()?;
    store.save_alert_rules(&recorded)?;
    // Multi-threaded (one worker): store work in the cycle leaves the runtime with `blocking`.
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
    let fetcher = Fetcher::new(&config.http).map_err(anyhow::Error::msg)?;
    let watcher = Watcher { config: &config, rules: &rules, knowledge: &knowledge, fetcher: &fetcher };
    let mut clean = true;
    loop {
        let due = watcher.due(&store, Utc::now())?;
        if !due.is_empty() {
            let started = std::time::Instant::now();
            clean &= runtime.block_on(watcher.cycle(&mut store, &due))?;
            let memory = crate::bench::peak_rss_kb().map(|kb| format!(", peak memory {:.1} MB", kb as f64 / 1024.0));
            eprintln!(
                "rasd watch: cycle of {} source(s) in {:.2} s{}",
                due.len(),
                started.elapsed().as_secs_f64(),
                memory.unwrap_or_default()
            );
        }
        clean &= runtime.block_on(deliver(&store, &deliverer, &config))?;
        if args.once {
            break;
        }
        std::thread::sleep(watcher.sleep(&store, Utc::now())?);
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The alert rules with their filters read as `rasd events` reads them; a webhook's key must be
/// in the environment now, not found missing at the first alert.
fn rules(knowledge: &rasd_pipeline::Knowledge, config: &Config) -> anyhow::Result<Vec<Rule>> {
    config
        .alerts
        .iter()
        .map(|rule| {
            let fail = |e: String| anyhow::anyhow!("[[alert]] {:?}: {e}", rule.name);
            if let Some(var) = &rule.secret_env {
                std::env::var(var)
                    .map_err(|_| fail(format!("the environment variable {var} (secret_env) is not set")))?;
            }
            let typed = alerts::query_of(rule).map_err(fail)?;
            let query = knowledge.resolve_query(typed).map_err(|e| fail(format!("{}: {}", e.parameter, e.message)))?;
            Ok(Rule { config: rule.clone(), query })
        })
        .collect()
}

/// What a cycle needs, borrowed for its length.
struct Watcher<'a> {
    config: &'a Config,
    rules: &'a [Rule],
    knowledge: &'a rasd_pipeline::Knowledge,
    fetcher: &'a Fetcher,
}

/// A source's poll, before storing: its listing (or why it failed) and its new articles.
struct Polled<'a> {
    source: &'a Source,
    state: SourceState,
    result: Result<Listing, Failure>,
    docs: Vec<Document>,
    /// Pages of new links that could not be fetched for a reason that may pass: the validators
    /// are then kept, so the next poll lists the source again and tries them.
    page_failures: Vec<(String, String)>,
    known: usize,
}

impl<'a> Watcher<'a> {
    /// The sources due at `now`, with their stored state (a new source is due at once).
    fn due(&self, store: &Store, now: DateTime<Utc>) -> anyhow::Result<Vec<(&'a Source, SourceState)>> {
        let mut states: HashMap<String, SourceState> =
            store.source_states()?.into_iter().map(|s| (s.name.clone(), s)).collect();
        let now = stamp(now);
        Ok(self
            .config
            .sources
            .iter()
            .filter_map(|source| {
                let state =
                    states.remove(&source.name).filter(|s| s.url == source.url).unwrap_or_else(|| SourceState {
                        name: source.name.clone(),
                        url: source.url.clone(),
                        kind: source.kind.name().to_string(),
                        ..SourceState::default()
                    });
                state.next_due.as_ref().is_none_or(|due| *due <= now).then_some((source, state))
            })
            .collect())
    }

    /// How long to sleep until the next source is due (at most a minute).
    fn sleep(&self, store: &Store, now: DateTime<Utc>) -> anyhow::Result<Duration> {
        let next = store
            .source_states()?
            .into_iter()
            .filter(|s| self.config.sources.iter().any(|c| c.name == s.name))
            .filter_map(|s| s.next_due.and_then(|d| DateTime::parse_from_rfc3339(&d).ok()))
            .min();
        let wait = next.map_or(MAX_SLEEP, |t| (t.with_timezone(&Utc) - now).to_std().unwrap_or_default());
        Ok(wait.clamp(Duration::from_millis(200), MAX_SLEEP))
    }

    /// Polls the due sources and stores what they bring; `false` when any failed.
    async fn cycle(&self, store: &mut Store, due: &[(&'a Source, SourceState)]) -> anyhow::Result<bool> {
        let reader: &Store = store;
        let listings = join_all(due.iter().map(|(source, state)| async move {
            let validators = Validators { etag: state.etag.clone(), last_modified: state.last_modified.clone() };
            match source.kind {
                Kind::Folder => {
                    listing::folder(source, |origin| blocking(|| reader.knows_origin(origin).unwrap_or(false)))
                }
                _ => listing::list(self.fetcher, source, &validators).await,
            }
        }))
        .await;
        let fetch_day = Utc::now().date_naive();
        let mut polled: Vec<Polled> = Vec::with_capacity(due.len());
        let mut links: Vec<(usize, Entry)> = Vec::new();
        for ((source, state), result) in due.iter().zip(listings) {
            let mut poll =
                Polled { source, state: state.clone(), result, docs: Vec::new(), page_failures: Vec::new(), known: 0 };
            if let Ok(listing) = &mut poll.result {
                for entry in std::mem::take(&mut listing.entries) {
                    if blocking(|| self.known(store, &entry))? {
                        poll.known += 1;
                    } else {
                        match entry {
                            Entry::Document(doc) => poll.docs.push(listing::finish(doc, source, fetch_day)),
                            link => links.push((polled.len(), link)),
                        }
                    }
                }
            }
            polled.push(poll);
        }
        let pages = join_all(links.into_iter().map(|(i, entry)| async move {
            let Entry::Link { url, published, title } = entry else { unreachable!("documents were kept aside") };
            (i, url.to_string(), listing::page(self.fetcher, &url, published, title).await)
        }))
        .await;
        for (i, url, page) in pages {
            let poll = &mut polled[i];
            match (page, &mut poll.result) {
                (Ok(doc), _) => poll.docs.push(listing::finish(doc, poll.source, fetch_day)),
                (Err(e), Ok(listing)) if e.permanent => listing.failed.push((url, e.reason)),
                (Err(e), _) => poll.page_failures.push((url, e.reason)),
            }
        }
        let mut clean = true;
        for poll in polled {
            clean &= blocking(|| self.store(store, poll))?;
        }
        Ok(clean)
    }

    /// Whether the store holds this entry already: a page at its URL; for an article whose text
    /// the listing carries (a feed item), that very text, so a text updated at its URL (a toll
    /// that rose) is read again and replaces its events.
    fn known(&self, store: &Store, entry: &Entry) -> anyhow::Result<bool> {
        Ok(match entry {
            Entry::Document(doc) => match &doc.url {
                Some(url) => store.key_at_url(url)?.is_some_and(|key| key == self.knowledge.article_key(&doc.text)),
                None => false,
            },
            Entry::Link { url, .. } => store.knows_url(url.as_str())?,
        })
    }

    /// Extracts and stores one source's new articles with its state and alerts, in one
    /// transaction; reports what happened on standard error.
    fn store(&self, store: &mut Store, poll: Polled) -> anyhow::Result<bool> {
        let now = Utc::now();
        let stamp_now = stamp(now);
        let Polled { source, mut state, result, docs, page_failures, known } = poll;
        state.last_poll = Some(stamp_now.clone());
        let name = &source.name;
        let listing = match result {
            Ok(listing) => listing,
            Err(failure) => {
                state.failures += 1;
                state.last_error = Some(failure.reason.clone());
                let wait = rasd_watch::schedule::backoff(
                    name,
                    source.interval,
                    state.failures,
                    failure.retry_after,
                    self.config.http.max_backoff,
                );
                state.next_due = Some(stamp(now + wait));
                let mut batch = store.batch()?;
                batch.save_source(&state, &now.date_naive().to_string(), 0)?;
                batch.commit()?;
                eprintln!(
                    "rasd watch: {name}: {} (failed {} time(s) in a row; next try in {})",
                    failure.reason,
                    state.failures,
                    humantime::format_duration(Duration::from_secs(wait.as_secs()))
                );
                return Ok(false);
            }
        };
        let extracted = crate::ingest::extract(self.knowledge, docs);
        let mut batch = store.batch()?;
        let (mut new, mut events, mut clusters) = (0u64, 0usize, Vec::new());
        for (doc, record, prepared) in &extracted {
            let outcome = batch.put_prepared(record, prepared, &doc.origin)?;
            if let Outcome::New(id) | Outcome::Copy(id, _) | Outcome::Updated(id) = outcome {
                new += 1;
                events += record.events.len();
                clusters.extend(batch.clusters_of_article(id)?);
            }
        }
        clusters.sort_unstable();
        clusters.dedup();
        let queued = alerts::queue(&mut batch, self.rules, &clusters, &stamp_now, &self.config.serve_url)?;
        let unchanged = listing.validators.is_none();
        if page_failures.is_empty() {
            if let Some(v) = listing.validators {
                state.etag = v.etag;
                state.last_modified = v.last_modified;
            }
        }
        state.failures = 0;
        state.last_success = Some(stamp_now.clone());
        state.last_error = page_failures
            .first()
            .map(|(url, reason)| format!("{} page(s) not fetched, to try again: {url}: {reason}", page_failures.len()));
        state.items += new;
        let wait = chrono::Duration::from_std(source.interval).unwrap_or(chrono::Duration::MAX);
        state.next_due = Some(stamp(now.checked_add_signed(wait).unwrap_or(now)));
        batch.save_source(&state, &now.date_naive().to_string(), new)?;
        batch.commit()?;
        let what = if unchanged && extracted.is_empty() {
            "not modified".to_string()
        } else {
            format!("{new} new article(s), {events} event(s), {known} known, {queued} alert(s) queued")
        };
        eprintln!("rasd watch: {name}: {what}");
        for (origin, reason) in listing.failed.iter().chain(&page_failures) {
            eprintln!("rasd watch: {name}: {origin}: {reason}");
        }
        Ok(listing.failed.is_empty() && page_failures.is_empty())
    }
}

/// Delivers the alerts that are due; `false` when any failed.
async fn deliver(store: &Store, deliverer: &Deliverer, config: &Config) -> anyhow::Result<bool> {
    let mut clean = true;
    for alert in blocking(|| store.due_alerts(&stamp(Utc::now())))? {
        let outcome = match config.alerts.iter().find(|r| r.name == alert.rule) {
            Some(rule) => deliverer.deliver(&alert, rule).await,
            None => Err((format!("the rule {:?} is no longer in the configuration", alert.rule), false)),
        };
        let now = Utc::now();
        match outcome {
            Ok(()) => blocking(|| store.record_delivery(alert.id, &stamp(now), None, None))?,
            Err((reason, retry)) => {
                clean = false;
                let attempts = alert.attempts + 1;
                let retry_at = (retry && attempts < alerts::MAX_ATTEMPTS).then(|| {
                    let wait = rasd_watch::schedule::backoff(
                        &alert.id.to_string(),
                        Duration::from_secs(60),
                        attempts,
                        None,
                        config.http.max_backoff,
                    );
                    stamp(now + wait)
                });
                eprintln!(
                    "rasd watch: alert {} ({} → {}): {reason}{}",
                    alert.id,
                    alert.rule,
                    alert.destination,
                    retry_at
                        .as_ref()
                        .map_or(" (given up)".to_string(), |t| format!(" (tried {attempts} time(s); again at {t})"))
                );
                blocking(|| store.record_delivery(alert.id, &stamp(now), Some(&reason), retry_at.as_deref()))?;
            }
        }
    }
    Ok(clean)
}

/// Runs store work from the async cycle: a store's client may block on a runtime of its own
/// (PostgreSQL's does), which must not happen on this one.
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(work)
}

/// A time as the store keeps it: RFC 3339 in UTC, to the second (compares as text).
fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `rasd watch status`.
fn status(config: Option<&std::path::Path>, db: &rasd_store::Location) -> anyhow::Result<ExitCode> {
    if !db.may_exist() {
        anyhow::bail!("{db}: no such database; `rasd watch --config watch.toml --db {db}` creates it");
    }
    let store = crate::query::open_for_writing(db)?;
    let config = config.map(Config::load).transpose()?;
    let today = Utc::now().date_naive().to_string();
    let mut rows = vec![
        ["SOURCE", "KIND", "LAST SUCCESS", "TODAY", "ALL", "FAILURES", "NEXT POLL", "LAST ERROR"].map(String::from)
    ];
    let states = store.source_states()?;
    for s in &states {
        rows.push([
            s.name.clone(),
            s.kind.clone(),
            s.last_success.clone().unwrap_or_else(|| "never".into()),
            store.source_items_on(&s.name, &today)?.to_string(),
            s.items.to_string(),
            s.failures.to_string(),
            s.next_due.clone().unwrap_or_else(|| "now".into()),
            s.last_error.clone().unwrap_or_default(),
        ]);
    }
    for source in config.iter().flat_map(|c| &c.sources).filter(|c| !states.iter().any(|s| s.name == c.name)) {
        let never = || "never".to_string();
        rows.push([
            source.name.clone(),
            source.kind.name().into(),
            never(),
            "0".into(),
            "0".into(),
            "0".into(),
            "now".into(),
            String::new(),
        ]);
    }
    let widths: Vec<usize> = (0..8).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    for row in &rows {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        println!("{}", cells.join("  ").trim_end());
    }
    let alerts = store.recent_alerts(1000)?;
    let count = |status: &str| alerts.iter().filter(|a| a.status == status).count();
    println!(
        "\nalerts (latest {}): {} sent, {} pending, {} failed",
        alerts.len(),
        count("sent"),
        count("pending"),
        count("failed")
    );
    for a in alerts.iter().filter(|a| a.status != "sent").take(10) {
        println!(
            "  {} {} → {}: {} ({})",
            a.alert.id,
            a.alert.rule,
            a.alert.destination,
            a.status,
            a.last_error.as_deref().unwrap_or("")
        );
    }
    let failing = states.iter().any(|s| s.failures > 0);
    Ok(if failing { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
