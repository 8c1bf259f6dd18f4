//! The example article (`examples/seed-article-ar.txt`) resolves exactly its places: the Badia,
//! al-Tanf, the border triangle, Sayyida Zaynab, Rif Dimashq (the governorate, not the district
//! Markaz Rif Dimashq), and Damascus as العاصمة and as دمشق; the United States and Washington
//! are read as places too (the events stage takes them for the state).

use rasd_kb::DataDir;
use rasd_places::{Gazetteer, PlaceMention, Relation};
use rasd_text::NormText;

const ARTICLE: &str = include_str!("../../../examples/seed-article-ar.txt");

#[test]
fn seed_article_resolves_its_places() {
    let gaz = Gazetteer::load(&DataDir::embedded()).unwrap();
    let found = gaz.find(ARTICLE, &NormText::new(ARTICLE));
    let read = |m: &PlaceMention| {
        let p = gaz.place(m.place);
        (m.phrase.slice(ARTICLE), p.name.as_str(), p.admin1.as_deref().unwrap_or(""), m.geo_precision)
    };
    let got: Vec<_> = found.iter().map(read).collect();
    let badia = ("البادية", "Syrian Badia", "Homs", 3);
    let syria = |s| (s, "Syria", "", 3);
    assert_eq!(
        got,
        [
            badia,
            badia,
            syria("سورية"),
            badia,
            ("البادية السورية", "Syrian Badia", "Homs", 3),
            ("قاعدة التنف العسكرية", "Al-Tanf base", "Homs", 1),
            ("المثلث الحدودي بين سوريا والعراق والأردن", "Syria–Iraq–Jordan border triangle", "Homs", 3),
            // States far from the region, read as places; the events stage takes them, named
            // bare, for the state acting (data/events/seats.tsv).
            ("الولايات المتحدة", "United States", "", 3),
            ("منطقة السيدة زينب", "Sayyida Zaynab", "Rif Dimashq", 1),
            ("ريف دمشق", "Rif Dimashq", "Rif Dimashq", 3),
            ("العاصمة", "Damascus", "Damascus", 1),
            badia,
            syria("سوريا"),
            syria("سوريا"),
            ("واشنطن", "Washington", "Washington, D.C.", 1),
            ("ضواحي دمشق", "Damascus", "Damascus", 2),
            syria("سوريا"),
        ]
    );
    let rif = found.iter().find(|m| m.span.slice(ARTICLE) == "ريف دمشق").expect("ريف دمشق is read");
    assert_eq!(rif.relation, Relation::In);
}
