//! The canonical example (examples/seed-article-ar.txt) read as a careful analyst reads it
//! (examples/seed-article-ar.expected.md): every fact, one assertion each.

use std::sync::OnceLock;

use rasd_pipeline::{ArticleMeta, Knowledge};
use rasd_record::{Event, Record};

fn record() -> &'static Record {
    static RECORD: OnceLock<Record> = OnceLock::new();
    RECORD.get_or_init(|| {
        let knowledge = Knowledge::load(&rasd_kb::DataDir::embedded()).expect("knowledge loads");
        let page = include_str!("../../../examples/seed-article-ar.txt");
        knowledge.extract(page, &ArticleMeta::default())
    })
}

fn events_of(sub_type: &str) -> Vec<&'static Event> {
    record().events.iter().filter(|e| e.sub_event_type == sub_type).collect()
}

fn chain(e: &Event) -> Vec<&str> {
    e.sources.iter().map(|s| s.name.as_str()).collect()
}

#[test]
fn article_fields() {
    let a = &record().article;
    assert_eq!(
        a.title.as_deref(),
        Some("الجيش السوري يشدد حملته ضد خلايا “داعش” في البادية بالتنسيق مع التحالف الدولي")
    );
    assert_eq!(a.published.as_deref(), Some("2025-10-26"));
    assert_eq!(a.section.as_deref(), Some("أخبار سورية"));
    assert_eq!(a.author.as_deref(), Some("فريق العمل"));
    assert_eq!(a.language, "ar");
    assert!(a.text.starts_with("أعلن قائد قوات الأمن الصحراوي"), "body starts with the first paragraph");
    assert!(a.text.ends_with("وقدرات ميدانية أكثر تطوراً."), "body ends with the last paragraph");
    for furniture in ["مشاركة", "الكلمات الدليلية", "اقرأ أيضاً", "ـــ", "الكاتب:"]
    {
        assert!(!a.text.contains(furniture), "{furniture} is site furniture");
    }
    assert!(!a.text.contains("يشدد حملته"), "the title is not repeated in the body");
}

#[test]
fn event_1_foiled_attack_on_sayyida_zaynab() {
    let e = events_of("Disrupted weapons use");
    let e = e.iter().find(|e| e.location.as_ref().is_some_and(|l| l.name == "Sayyida Zaynab")).expect("event 1");
    assert_eq!(e.event_type, "Strategic developments");
    assert_eq!(e.status, "occurred");
    assert_eq!(e.location.as_ref().unwrap().admin1.as_deref(), Some("Rif Dimashq"));
    assert_eq!((e.date.end.as_str(), e.date.precision), ("2025-10-26", 3));
    assert!(e.date.start.as_str() <= "2025-10-01", "recent weeks reach back weeks: {}", e.date.start);
    assert_eq!(e.date.text.as_deref(), Some("خلال الأسابيع الماضية"));
    assert_eq!(e.actor1.as_ref().map(|a| a.inter.as_str()), Some("State forces"));
    assert_eq!(chain(e), ["The National", "Nour al-Din al-Baba"]);
}

#[test]
fn event_2_foiled_motorcycle_bombing_in_the_capital() {
    let e = events_of("Disrupted weapons use");
    let e = e.iter().find(|e| e.location.as_ref().is_some_and(|l| l.name == "Damascus")).expect("event 2");
    assert_eq!(e.location.as_ref().unwrap().admin1.as_deref(), Some("Damascus"));
    assert_eq!((e.date.end.as_str(), e.date.precision), ("2025-10-26", 3));
    assert_eq!(chain(e), ["The National", "Nour al-Din al-Baba"]);
    assert!(events_of("Remote explosive/landmine/IED").is_empty(), "the bombing was prevented: no explosion");
}

#[test]
fn event_3_arrest_in_an_air_raid_last_week() {
    let e = events_of("Arrests");
    assert_eq!(e.len(), 1);
    let e = e[0];
    assert_eq!((e.date.start.as_str(), e.date.end.as_str(), e.date.precision), ("2025-10-12", "2025-10-25", 2));
    let l = e.location.as_ref().unwrap();
    assert!(matches!(l.admin1.as_deref(), Some("Damascus" | "Rif Dimashq")), "{l:?}");
    assert_eq!(l.geo_precision, 2, "the suburbs: near Damascus");
    assert_eq!(e.actor2.as_ref().map(|a| a.name.as_str()), Some("Islamic State"));
    assert_eq!(chain(e), ["The National"]);
    assert!(events_of("Air/drone strike").is_empty(), "the raid is the arrest, not a separate strike");
}

#[test]
fn background_is_not_an_event() {
    for e in &record().events {
        assert!(e.date.end.as_str() >= "2025-09-01", "a background event was coded: {e:?}");
    }
    assert_eq!(
        record().events.len(),
        3,
        "{:#?}",
        record().events.iter().map(|e| &e.sub_event_type).collect::<Vec<_>>()
    );
}

#[test]
fn quotes_with_their_chains() {
    let quotes = &record().quotes;
    let by = |name: &str| quotes.iter().filter(|q| q.speaker.name.as_deref() == Some(name)).collect::<Vec<_>>();
    for speaker in ["Ahmed al-Tamer", "Nour al-Din al-Baba", "Tom Barrack", "Aaron Zelin", "security experts"] {
        let q = by(speaker);
        assert!(!q.is_empty(), "no quote of {speaker}");
        assert!(q.iter().all(|q| q.via.iter().any(|v| v.name == "The National")), "{speaker} via The National");
    }
    let barrack = by("Tom Barrack")[0];
    assert_eq!(barrack.platform.as_deref(), Some("X"));
    assert_eq!(barrack.text, "سوريا عادت إلى صفّنا");
    assert_eq!(barrack.speaker.role.as_deref(), Some("US special envoy to Syria"));
    assert_eq!(by("Nour al-Din al-Baba")[0].speaker.role.as_deref(), Some("Interior Ministry spokesman"));
}

#[test]
fn entities_named_in_the_article() {
    let entities = &record().entities;
    let has = |kind: &str, name: &str| {
        entities.iter().any(|m| m.kind == kind && m.normalized == rasd_record::Normalized::Text(name.to_string()))
    };
    for person in
        ["Ahmed al-Tamer", "Nour al-Din al-Baba", "Tom Barrack", "Ahmed al-Sharaa", "Bashar al-Assad", "Aaron Zelin"]
    {
        assert!(has("person", person), "person {person}");
    }
    for org in [
        "Islamic State",
        "International Coalition",
        "Desert Security Forces",
        "Syrian Free Army",
        "Free Syrian Army",
        "Syrian Democratic Forces",
        "Washington Institute for Near East Policy",
    ] {
        assert!(has("organization", org), "organization {org}");
    }
    assert!(entities.iter().any(|m| m.kind == "organization" && m.text == "وزارة الداخلية السورية"));
    assert!(has("outlet", "The National"));
    for place in ["Syrian Badia", "Al-Tanf base", "Sayyida Zaynab", "Damascus"] {
        assert!(has("place", place), "place {place}");
    }
    let dates: Vec<&str> = entities.iter().filter(|m| m.kind == "date").map(|m| m.text.as_str()).collect();
    for date in ["خلال الأسابيع الماضية", "الأسبوع الماضي", "ديسمبر الماضي", "عام 2019"]
    {
        assert!(dates.contains(&date), "date {date} in {dates:?}");
    }
}

#[test]
fn every_span_covers_exactly_its_text() {
    let errors = record().span_errors();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
