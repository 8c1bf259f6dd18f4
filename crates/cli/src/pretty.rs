//! The readable summary of `rasd extract --format pretty`.

use std::io::{self, Write};

use rasd_record::{Actor, Event, Quote, Record, Source};

/// Writes one record for a person to read: the article line, each event, then the quotes.
pub fn write(out: &mut impl Write, r: &Record) -> io::Result<()> {
    let a = &r.article;
    let title = a.title.as_deref().unwrap_or("(untitled)");
    let published = a.published.as_deref().unwrap_or("date unknown");
    let outlet = a.outlet.as_deref().map(|o| format!(" · {o}")).unwrap_or_default();
    writeln!(out, "■ {title}")?;
    writeln!(
        out,
        "  {published} · {}{outlet} · {} events · {} quotes · id {}",
        a.language,
        r.events.len(),
        r.quotes.len(),
        a.id
    )?;
    for e in &r.events {
        write_event(out, e)?;
    }
    if !r.quotes.is_empty() {
        writeln!(out, "  quotes:")?;
        for q in &r.quotes {
            write_quote(out, q)?;
        }
    }
    writeln!(out)
}

fn write_event(out: &mut impl Write, e: &Event) -> io::Result<()> {
    let status = if e.status == "occurred" { String::new() } else { format!(" [{}]", e.status) };
    writeln!(out, "  {} {} / {}{status}", e.id, e.event_type, e.sub_event_type)?;
    let when =
        if e.date.start == e.date.end { e.date.start.clone() } else { format!("{} … {}", e.date.start, e.date.end) };
    let said = e.date.text.as_deref().map(|t| format!(" «{t}»")).unwrap_or_default();
    let place = e.location.as_ref().map_or_else(
        || "place unknown".to_string(),
        |l| {
            format!(
                "{}, {} ({:.3}, {:.3}; precision {}) «{}»",
                l.name,
                l.admin1.as_deref().unwrap_or(&l.country),
                l.lat,
                l.lon,
                l.geo_precision,
                l.text
            )
        },
    );
    writeln!(out, "     when   {when} (precision {}){said}", e.date.precision)?;
    writeln!(out, "     where  {place}")?;
    writeln!(out, "     who    {} → {}{}", actor(e.actor1.as_ref()), actor(e.actor2.as_ref()), assoc(&e.assoc_actors))?;
    let count = |n: Option<u32>| n.map_or_else(|| "—".to_string(), |n| n.to_string());
    writeln!(out, "     toll   killed {} · injured {}", count(e.fatalities), count(e.injured))?;
    let r = &e.responsibility;
    if r.claimed_by.is_some() || r.attributed_to.is_some() || r.unclaimed {
        let claimed = r.claimed_by.as_deref().map(|c| format!("claimed by {c}")).unwrap_or_default();
        let blamed = r.attributed_to.as_deref().map(|c| format!(" blamed on {c}")).unwrap_or_default();
        let unclaimed = if r.unclaimed { " unclaimed" } else { "" };
        writeln!(out, "     claim  {claimed}{blamed}{unclaimed}")?;
    }
    writeln!(out, "     source {}", chain(&e.sources))?;
    writeln!(out, "     from   «{}»", e.evidence.text)
}

fn write_quote(out: &mut impl Write, q: &Quote) -> io::Result<()> {
    let who = q.speaker.name.as_deref().unwrap_or("(unnamed)");
    let role = q.speaker.role.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
    let via = if q.via.is_empty() { String::new() } else { format!(" via {}", chain(&q.via)) };
    let platform = q.platform.as_deref().map(|p| format!(" on {p}")).unwrap_or_default();
    writeln!(out, "   - {who}{role}{via}{platform}: «{}»", q.text)
}

fn actor(a: Option<&Actor>) -> String {
    a.map_or_else(|| "—".to_string(), |a| format!("{} ({})", a.name, a.inter))
}

fn assoc(actors: &[Actor]) -> String {
    if actors.is_empty() {
        return String::new();
    }
    format!(" with {}", actors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", "))
}

fn chain(sources: &[Source]) -> String {
    if sources.is_empty() {
        return "—".to_string();
    }
    sources
        .iter()
        .map(|s| match &s.role {
            Some(role) if s.kind == "person" => format!("{} ({role})", s.name),
            _ => s.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ← ")
}
