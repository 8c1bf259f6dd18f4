//! `rasd reindex`: rebuilds a database made by an older rasd (another text folding or record
//! format) by reading every stored article again, into a new file that replaces the old one
//! only when it is complete; the old file is kept beside it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use rasd_ingest::Document;
use rasd_store::{Store, StoredSource};

/// Arguments of `rasd reindex`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    db: crate::query::Database,
}

/// Articles read again per transaction.
const BATCH: usize = 256;

pub fn run(dir: &rasd_kb::DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let Some(path) = args.db.location.file() else {
        bail!("rasd reindex rebuilds a SQLite file; to rebuild a PostgreSQL store, `rasd copy` it into a new database");
    };
    if !path.exists() {
        bail!("{}: no such database", path.display());
    }
    let knowledge = crate::load_knowledge(dir)?;
    let sources =
        rasd_store::stored_sources(path).with_context(|| format!("cannot read the articles of {}", path.display()))?;
    let rebuilt = with_suffix(path, ".reindex");
    remove_database(&rebuilt)?;
    let mut store = Store::open(&rebuilt).with_context(|| format!("cannot create {}", rebuilt.display()))?;
    let bar = crate::ingest::spinner();
    let mut summary = crate::ingest::Summary::default();
    for chunk in sources.chunks(BATCH) {
        let docs = chunk.iter().map(document).collect();
        crate::ingest::store_batch(&mut store, crate::ingest::extract(&knowledge, docs), &mut summary)?;
        bar.set_position(summary.read as u64);
    }
    bar.finish_and_clear();
    let counts = store.counts()?;
    drop(store);
    let kept = with_suffix(path, ".before-reindex");
    remove_database(&kept)?;
    move_database(path, &kept)?;
    move_database(&rebuilt, path)?;
    eprintln!(
        "reindexed {}: {} articles, {} events in {} clusters; the old database is kept as {} (delete it when satisfied)",
        path.display(),
        counts.articles,
        counts.events,
        counts.clusters,
        kept.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A stored article as a document to read again.
fn document(s: &StoredSource) -> Document {
    Document {
        origin: s.origin.clone(),
        text: s.text.clone(),
        title: s.title.clone(),
        published: s.published.as_deref().and_then(|d| d.parse().ok()),
        outlet: s.outlet.clone(),
        url: s.url.clone(),
        language: Some(s.language.clone()),
        author: s.author.clone(),
        warnings: Vec::new(),
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

/// A database file and its SQLite companions (`-wal`, `-shm`).
fn database_files(path: &Path) -> [PathBuf; 3] {
    [path.to_path_buf(), with_suffix(path, "-wal"), with_suffix(path, "-shm")]
}

fn remove_database(path: &Path) -> anyhow::Result<()> {
    for file in database_files(path).iter().filter(|f| f.exists()) {
        std::fs::remove_file(file).with_context(|| format!("cannot remove {}", file.display()))?;
    }
    Ok(())
}

fn move_database(from: &Path, to: &Path) -> anyhow::Result<()> {
    for (a, b) in database_files(from).iter().zip(database_files(to)).filter(|(a, _)| a.exists()) {
        std::fs::rename(a, &b).with_context(|| format!("cannot move {} to {}", a.display(), b.display()))?;
    }
    Ok(())
}
