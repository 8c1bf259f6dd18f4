//! `rasd inspect`: what one stage reads in a text, one JSON line per mention — for analysts
//! checking a reading, and for tests.

use std::process::ExitCode;

use chrono::NaiveDate;
use rasd_text::NormText;
use serde_json::json;

/// What to inspect.
#[derive(clap::Subcommand, Debug)]
pub enum What {
    /// Date expressions: text, span (UTF-8 bytes of the input), start, end, precision.
    Dates {
        /// The date relative expressions are read against [default: today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        published: Option<NaiveDate>,
        /// A text file; `-` (the default) reads standard input.
        #[arg(value_name = "FILE", default_value = "-")]
        file: String,
    },
    /// Place mentions and their resolution, with the candidates rejected.
    Places {
        /// A text file; `-` (the default) reads standard input.
        #[arg(value_name = "FILE", default_value = "-")]
        file: String,
    },
    /// Events and the candidate events screened out, each with its reason: one line for the
    /// article's kind, one per event, one per dropped candidate.
    Events {
        /// The publication date relative dates are read against [default: a date line in the
        /// text].
        #[arg(long, value_name = "YYYY-MM-DD")]
        published: Option<NaiveDate>,
        /// A text file; `-` (the default) reads standard input.
        #[arg(value_name = "FILE", default_value = "-")]
        file: String,
    },
}

pub fn run(dir: &rasd_kb::DataDir, what: What) -> anyhow::Result<ExitCode> {
    let knowledge = crate::load_knowledge(dir)?;
    let file = match &what {
        What::Dates { file, .. } | What::Places { file } | What::Events { file, .. } => file.clone(),
    };
    let text = match crate::input::read_article(&file) {
        Ok(text) => text,
        Err(reason) => {
            eprintln!("rasd: {file}: {reason}");
            return Ok(ExitCode::from(1));
        }
    };
    let norm = NormText::new(&text);
    match what {
        What::Events { published, .. } => {
            let meta = rasd_pipeline::ArticleMeta { published, ..Default::default() };
            let explained = knowledge.explain(&text, &meta);
            println!("{}", json!({"article_kind": explained.record.article.kind}));
            for (e, features) in explained.record.events.iter().zip(&explained.features) {
                // Largest effect first: why the confidence is what it is.
                let weights: Vec<serde_json::Value> = knowledge
                    .likelihood_weights(features)
                    .into_iter()
                    .map(|(f, w)| json!([f, (f64::from(w) * 1000.0).round() / 1000.0]))
                    .collect();
                let line = json!({
                    "event": e.id, "sub_event_type": e.sub_event_type, "status": e.status,
                    "trigger": e.trigger.text, "span": e.trigger.span,
                    "confidence": rasd_record::wire_confidence(e.confidence), "weights": weights,
                });
                println!("{line}");
            }
            for d in explained.dropped {
                println!("{}", json!({"dropped": d}));
            }
        }
        What::Dates { published, .. } => {
            let reference = published.unwrap_or_else(|| chrono::Utc::now().date_naive());
            for d in knowledge.dates().find(&text, &norm, reference) {
                let line = json!({
                    "text": d.span.slice(&text), "span": d.span.to_pair(),
                    "start": d.start.to_string(), "end": d.end.to_string(), "precision": d.precision,
                });
                println!("{line}");
            }
        }
        What::Places { .. } => {
            let gazetteer = knowledge.gazetteer();
            for m in gazetteer.find(&text, &norm) {
                let p = gazetteer.place(m.place);
                let rejected: Vec<_> = m
                    .candidates
                    .iter()
                    .skip(1)
                    .map(|(id, score)| {
                        let c = gazetteer.place(*id);
                        json!({"name": c.name, "admin1": c.admin1, "country": c.country, "lat": c.lat, "lon": c.lon, "score": score})
                    })
                    .collect();
                let line = json!({
                    "text": m.span.slice(&text), "span": m.span.to_pair(),
                    "phrase": m.phrase.slice(&text), "name": p.name, "name_ar": p.name_ar,
                    "admin1": p.admin1, "admin2": p.admin2, "country": p.country, "lat": p.lat, "lon": p.lon,
                    "geo_precision": m.geo_precision, "rejected": rejected,
                });
                println!("{line}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
