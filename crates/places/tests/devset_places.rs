//! Scores place resolution on the dev-set table `tests/data/places.tsv`: a row is right when
//! the resolved point lies within `tolerance_km` of the expected one and admin1 agrees.

use rasd_kb::{DataDir, Tsv};
use rasd_places::Gazetteer;
use rasd_text::geo::haversine_km;
use rasd_text::{NormText, Span};

#[test]
fn devset_places_are_resolved() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/places.tsv");
    let text = std::fs::read_to_string(path).expect("tests/data/places.tsv");
    let table = Tsv::parse("places.tsv", &text, &["mention", "context", "admin1", "lat", "lon", "tolerance_km"])
        .expect("valid table");
    let started = std::time::Instant::now();
    let gaz = Gazetteer::load(&DataDir::embedded()).expect("gazetteer loads");
    println!("gazetteer: {} places, loaded in {:?}", gaz.places().len(), started.elapsed());
    let (mut right, mut total, mut failures) = (0, 0, Vec::new());
    for row in table.rows() {
        total += 1;
        let (mention, context) = (row.get("mention"), row.get("context"));
        let (lat, lon, tol): (f64, f64, f64) =
            (row.parse("lat").unwrap(), row.parse("lon").unwrap(), row.parse("tolerance_km").unwrap());
        let at = context.find(mention).expect("mention occurs in context");
        let wanted = Span::new(at, at + mention.len());
        let found = gaz.find(context, &NormText::new(context));
        let got = found.iter().find(|m| m.span.overlaps(wanted));
        let verdict = match got {
            None => Err("no mention".to_string()),
            Some(m) => {
                let p = gaz.place(m.place);
                let d = haversine_km(lat, lon, p.lat, p.lon);
                if d <= tol && p.admin1.as_deref() == Some(row.get("admin1")) {
                    Ok(())
                } else {
                    Err(format!("got {} ({:?}) at {:.0} km, precision {}", p.name, p.admin1, d, m.geo_precision))
                }
            }
        };
        match verdict {
            Ok(()) => right += 1,
            Err(why) => failures.push(format!("{mention} [{context}]: {why}")),
        }
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    println!("devset places: {right}/{total}");
    assert!(right * 10 >= total * 9, "{right}/{total} right; failures:\n{}", failures.join("\n"));
}
