//! `rasd eval FAKES.csv`: scores rasd against FA-KES (English Syrian casualty reports, each
//! labelled with the event's governorate and victims), as `shared/data/eval/README.md`
//! suggests: the main event's admin1 against `location`, its fatalities against
//! `nb_civilians + nb_noncivilians` (exact, and within 20 %).
//!
//! The main event is the first event with a fatality figure, else the first event. Each
//! article is read with FA-KES's `date` (the event's day) as its publication date, since many
//! of its texts lost their dateline.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Row {
    article_title: String,
    article_content: String,
    location: String,
    nb_civilians: String,
    nb_noncivilians: String,
    date: String,
}

/// Figures over the articles.
#[derive(Default, serde::Serialize)]
struct Figures {
    articles: usize,
    with_event: usize,
    governorate_right: usize,
    toll_exact: usize,
    toll_within_20: usize,
    toll_too_high: usize,
    toll_missing: usize,
}

/// FA-KES names the governorates its own way.
fn admin1_of(location: &str) -> &'static [&'static str] {
    match location.trim() {
        "aleppo" => &["Aleppo"],
        "idlib" => &["Idlib"],
        "damascus" => &["Damascus", "Rif Dimashq"],
        "damascus suburbs" => &["Rif Dimashq"],
        "raqqa" => &["Raqqa"],
        "deir ezzor" => &["Deir ez-Zor"],
        "hasakeh" => &["Al-Hasakah"],
        "homs" => &["Homs"],
        "hama" => &["Hama"],
        "lattakia" => &["Latakia"],
        "daraa" => &["Daraa"],
        "quneitra" => &["Quneitra"],
        "tartus" => &["Tartus"],
        "sweida" => &["As-Suwayda"],
        _ => &[],
    }
}

pub fn run(dir: &rasd_kb::DataDir, path: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader.headers().with_context(|| format!("cannot read {}", path.display()))?.clone();
    let missing: Vec<&str> =
        ["article_title", "article_content", "location", "nb_civilians", "nb_noncivilians", "date"]
            .into_iter()
            .filter(|c| !headers.iter().any(|h| h == *c))
            .collect();
    if !missing.is_empty() {
        anyhow::bail!("{}: not FA-KES's columns (missing {})", path.display(), missing.join(", "));
    }
    let rows: Vec<Row> = reader
        .deserialize()
        .collect::<Result<_, _>>()
        .with_context(|| format!("{}: not FA-KES's columns", path.display()))?;
    if rows.is_empty() {
        anyhow::bail!("{}: no articles", path.display());
    }
    let knowledge = crate::load_knowledge(dir)?;
    let outcomes: Vec<(bool, bool, Option<Toll>)> = rows
        .par_iter()
        .map(|row| {
            let text = format!("{}\n\n{}\n", row.article_title.trim(), row.article_content.trim());
            let published = chrono::NaiveDate::parse_from_str(row.date.trim(), "%m/%d/%y").ok();
            let record = knowledge.extract(&text, &rasd_pipeline::ArticleMeta { published, ..Default::default() });
            let main = record.events.iter().find(|e| e.fatalities.is_some()).or(record.events.first());
            let Some(main) = main else { return (false, false, None) };
            let admin1 = main.location.as_ref().and_then(|l| l.admin1.as_deref()).unwrap_or("");
            let right = admin1_of(&row.location).contains(&admin1);
            let gold: u32 =
                [&row.nb_civilians, &row.nb_noncivilians].iter().filter_map(|n| n.trim().parse::<u32>().ok()).sum();
            (true, right, Some(Toll { predicted: main.fatalities, gold }))
        })
        .collect();
    let mut f = Figures { articles: rows.len(), ..Default::default() };
    for (with_event, right, toll) in outcomes {
        f.with_event += usize::from(with_event);
        f.governorate_right += usize::from(right);
        match toll {
            Some(Toll { predicted: Some(p), gold }) => {
                f.toll_exact += usize::from(p == gold);
                f.toll_within_20 += usize::from((p as f64 - gold as f64).abs() <= 0.2 * gold as f64);
                f.toll_too_high += usize::from(p > gold);
            }
            _ => f.toll_missing += 1,
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&f)?);
    } else {
        let share = |n: usize| 100.0 * n as f64 / f.articles.max(1) as f64;
        println!("FA-KES articles: {} ({} with an event)", f.articles, f.with_event);
        println!("governorate of the main event: {:.1} %", share(f.governorate_right));
        println!(
            "toll exact: {:.1} % · within 20 %: {:.1} % · too high: {:.1} % · none: {:.1} %",
            share(f.toll_exact),
            share(f.toll_within_20),
            share(f.toll_too_high),
            share(f.toll_missing)
        );
    }
    Ok(ExitCode::SUCCESS)
}

struct Toll {
    predicted: Option<u32>,
    gold: u32,
}
