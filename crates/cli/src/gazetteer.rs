//! `rasd gazetteer import FILE`: adds the places of a GeoNames country dump to the user's
//! gazetteer, which place resolution reads in addition to the built-in data.

use std::path::PathBuf;
use std::process::ExitCode;

/// Skipped lines reported one by one; the rest are counted.
const SHOWN: usize = 20;

/// `rasd gazetteer …`: the user's own places.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Add the places of a GeoNames country dump (XX.txt from download.geonames.org/export/dump,
    /// with alternate names) to the user gazetteer. Importing a dump again adds nothing new.
    ///
    /// Kept: populated places, administrative units, sites, areas and terrain (feature classes
    /// P A S L T); water, roads, undersea and vegetation features are counted as ignored. Lines
    /// that cannot be read are reported and skipped (exit status 1).
    Import {
        /// The dump: tab-separated, 19 columns (geonameid, name, asciiname, alternatenames, …).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The user gazetteer to add to [default: $RASD_HOME/gazetteer.tsv, else
        /// $XDG_DATA_HOME/rasd/gazetteer.tsv, else ~/.local/share/rasd/gazetteer.tsv].
        #[arg(long, value_name = "PATH")]
        user: Option<PathBuf>,
    },
}

pub fn run(dir: &rasd_kb::DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let Command::Import { file, user } = args.command;
    let Some(user) = user.or_else(rasd_places::user::default_path) else {
        anyhow::bail!("no place for the user gazetteer: set RASD_HOME or HOME, or pass --user PATH");
    };
    let report = match rasd_places::import::import(dir, &file, &user) {
        Ok(report) => report,
        Err(e) if e.path.as_os_str().is_empty() => anyhow::bail!("knowledge did not load: {e}"),
        Err(e) => {
            eprintln!("rasd: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    for skipped in report.skipped.iter().take(SHOWN) {
        eprintln!("rasd: {skipped}");
    }
    if report.skipped.len() > SHOWN {
        eprintln!("rasd: … and {} more skipped lines", report.skipped.len() - SHOWN);
    }
    let ignored: usize = report.ignored.values().sum();
    let classes: Vec<String> = report.ignored.iter().map(|(class, n)| format!("{class} {n}")).collect();
    let m = report.merged;
    println!(
        "{}: read {} lines: added {}, updated {}, unchanged {}, ignored {ignored}{}, skipped {}",
        file.display(),
        report.read,
        m.added,
        m.updated,
        m.unchanged,
        if classes.is_empty() { String::new() } else { format!(" (feature class {})", classes.join(", ")) },
        report.skipped.len(),
    );
    println!("{}: {} places", user.display(), report.total);
    Ok(if report.skipped.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
