//! ACLED-compatible CSV: ACLED's columns, in ACLED's order, then rasd's.

use std::io::Write;

use rasd_store::Cluster;

use crate::ExportError;

/// ACLED's export columns, in ACLED's order.
pub const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// rasd's columns, after ACLED's.
pub const RASD_COLUMNS: [&str; 10] = [
    "rasd_cluster_id",
    "date_start",
    "date_end",
    "status",
    "injured",
    "location_ar",
    "reports",
    "article_ids",
    "evidence",
    "confidence",
];

/// ACLED's numeric ISO 3166 country codes for the countries rasd covers.
fn iso_numeric(iso3: &str) -> &'static str {
    match iso3 {
        "SYR" => "760",
        "IRQ" => "368",
        "JOR" => "400",
        "LBN" => "422",
        "TUR" => "792",
        "ISR" => "376",
        "PSE" => "275",
        _ => "",
    }
}

/// ACLED's disorder type of an event type.
fn disorder_type(event_type: &str) -> &'static str {
    match event_type {
        "Battles" | "Explosions/Remote violence" | "Violence against civilians" => "Political violence",
        "Protests" | "Riots" => "Demonstrations",
        _ => "Strategic developments",
    }
}

pub(crate) fn csv(clusters: &[Cluster], out: &mut impl Write) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(ACLED_COLUMNS.iter().chain(RASD_COLUMNS.iter()))?;
    for c in clusters {
        let e = c.event();
        let l = e.location.as_ref();
        let name = |a: Option<&rasd_record::Actor>| a.map(|a| a.name.clone()).unwrap_or_default();
        let inter = |a: Option<&rasd_record::Actor>| a.map(|a| a.inter.clone()).unwrap_or_default();
        let (inter1, inter2) = (inter(e.actor1.as_ref()), inter(e.actor2.as_ref()));
        let interaction = match (inter1.is_empty(), inter2.is_empty()) {
            (false, false) => format!("{inter1}-{inter2}"),
            (false, true) => format!("{inter1} only"),
            _ => String::new(),
        };
        let civilians = if inter2 == "Civilians" { "Civilian targeting" } else { "" };
        let assoc = e.assoc_actors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join("; ");
        let iso3 = l.map_or("", |l| l.iso3.as_str());
        // ACLED's timestamp is when the row was last changed: here, the last source's publication day.
        let timestamp = c
            .reports
            .iter()
            .filter_map(|r| r.published.as_deref()?.parse::<chrono::NaiveDate>().ok())
            .max()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc().timestamp().to_string())
            .unwrap_or_default();
        let row: Vec<String> = vec![
            format!("{iso3}{}", c.id),
            e.date.start.clone(),
            e.date.start.get(..4).unwrap_or("").to_string(),
            e.date.precision.to_string(),
            disorder_type(&e.event_type).to_string(),
            e.event_type.clone(),
            e.sub_event_type.clone(),
            name(e.actor1.as_ref()),
            assoc,
            inter1,
            name(e.actor2.as_ref()),
            String::new(),
            inter2,
            interaction,
            civilians.to_string(),
            iso_numeric(iso3).to_string(),
            "Middle East".to_string(),
            l.map(|l| l.country.clone()).unwrap_or_default(),
            l.and_then(|l| l.admin1.clone()).unwrap_or_default(),
            l.and_then(|l| l.admin2.clone()).unwrap_or_default(),
            String::new(),
            l.map(|l| l.name.clone()).unwrap_or_default(),
            l.map(|l| format!("{:.4}", l.lat)).unwrap_or_default(),
            l.map(|l| format!("{:.4}", l.lon)).unwrap_or_default(),
            l.map(|l| l.geo_precision.to_string()).unwrap_or_default(),
            c.outlets().join("; "),
            String::new(),
            e.evidence.text.clone(),
            c.fatalities().unwrap_or(0).to_string(),
            String::new(),
            timestamp,
            c.id.to_string(),
            e.date.start.clone(),
            e.date.end.clone(),
            e.status.clone(),
            e.injured.map(|n| n.to_string()).unwrap_or_default(),
            l.and_then(|l| l.name_ar.clone()).unwrap_or_default(),
            c.reports.len().to_string(),
            c.reports.iter().map(|r| r.article_id.to_string()).collect::<Vec<_>>().join(";"),
            e.evidence.text.clone(),
            format!("{}", rasd_record::wire_confidence(e.confidence)),
        ];
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}
