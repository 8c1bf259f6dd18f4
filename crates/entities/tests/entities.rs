//! Entity finding on Arabic and English sentences, and the dictionaries' own tidiness.

use chrono::NaiveDate;
use rasd_entities::{Entities, EntityKind, Mention};
use rasd_text::NormText;

fn find(text: &str, date: (i32, u32, u32)) -> Vec<Mention> {
    let entities = Entities::load(&rasd_kb::DataDir::embedded()).expect("the dictionaries load");
    entities.find(text, &NormText::new(text), NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap())
}

fn named(found: &[Mention], kind: EntityKind) -> Vec<String> {
    found.iter().filter(|m| m.kind == kind).map(|m| m.name.clone()).collect()
}

#[test]
fn persons_by_dictionary_by_role_cue_and_by_surname() {
    let text = "أعلن قائد قوات الأمن الصحراوي العميد أحمد التامر توسيع العمليات. وأشار التامر إلى أن الناطق باسم الجيش الأردني العقيد مصطفى الحياري قال ذلك.";
    let found = find(text, (2025, 10, 26));
    let persons: Vec<(&str, &str, bool)> = found
        .iter()
        .filter(|m| m.kind == EntityKind::Person)
        .map(|m| (m.name.as_str(), m.span.slice(text), m.anaphoric))
        .collect();
    assert!(persons.contains(&("Ahmed al-Tamer", "أحمد التامر", false)), "{persons:?}");
    assert!(persons.contains(&("Ahmed al-Tamer", "التامر", true)), "{persons:?}");
    assert!(persons.iter().any(|p| p.1 == "مصطفى الحياري"), "a person found by the cue العقيد: {persons:?}");
}

#[test]
fn actor_names_follow_the_period() {
    let before = find("قصفت قوات الجيش السوري مواقع في إدلب", (2023, 5, 1));
    let after = find("قصفت قوات الجيش السوري مواقع في إدلب", (2025, 5, 1));
    let actor = |f: &[Mention]| f.iter().find(|m| m.kind == EntityKind::Actor).map(|m| m.name.clone());
    assert_eq!(actor(&before).as_deref(), Some("Military Forces of Syria (2000-2024)"));
    assert_eq!(actor(&after).as_deref(), Some("Military Forces of Syria (2024-)"));
}

#[test]
fn the_organization_refers_to_is_only_after_is_is_named() {
    let alone = find("أعلن التنظيم مسؤوليته عن الهجوم", (2025, 1, 1));
    assert!(named(&alone, EntityKind::Actor).is_empty(), "التنظيم alone names nobody");
    let after = find("هاجمت خلايا داعش حاجزاً، وأعلن التنظيم مسؤوليته", (2025, 1, 1));
    let is: Vec<&Mention> = after.iter().filter(|m| m.name == "Islamic State").collect();
    assert_eq!(is.len(), 2);
    assert!(is[1].anaphoric);
}

#[test]
fn a_short_organization_name_refers_back_to_the_full_one() {
    let alone = find("وقال المرصد إن القصف استمر ساعات", (2025, 1, 1));
    assert!(named(&alone, EntityKind::Organization).is_empty(), "المرصد alone names no organization");
    let text = "قال المرصد السوري لحقوق الإنسان إن ثلاثة مدنيين قتلوا. وأضاف المرصد أن القصف استمر.";
    let after = find(text, (2025, 1, 1));
    let sohr: Vec<(&str, bool)> = after
        .iter()
        .filter(|m| m.name == "Syrian Observatory for Human Rights")
        .map(|m| (m.span.slice(text), m.anaphoric))
        .collect();
    assert_eq!(sohr, [("المرصد السوري لحقوق الإنسان", false), ("المرصد", true)]);
    let english = find("the Syrian Observatory for Human Rights said. The Observatory added", (2025, 1, 1));
    assert_eq!(named(&english, EntityKind::Organization).len(), 2);
}

#[test]
fn outlets_platforms_and_unnamed_sources() {
    let text = "نقلت وكالة سانا عن مصدر عسكري قوله، في منشور على تلغرام، إن Reuters أخطأت.";
    let found = find(text, (2025, 1, 1));
    let kinds: Vec<(EntityKind, &str)> = found.iter().map(|m| (m.kind, m.name.as_str())).collect();
    assert!(kinds.contains(&(EntityKind::Outlet, "SANA")), "{kinds:?}");
    assert!(kinds.contains(&(EntityKind::Platform, "Telegram")), "{kinds:?}");
    assert!(kinds.contains(&(EntityKind::Outlet, "Reuters")), "{kinds:?}");
    assert!(kinds.iter().any(|(k, _)| *k == EntityKind::Unnamed), "{kinds:?}");
}

#[test]
fn ordinary_words_are_not_entities() {
    let found = find("ذهب الرجل إلى السوق في الصباح ثم عاد إلى البيت مع أولاده", (2025, 1, 1));
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_duplicated_alias_is_reported_with_file_and_line() {
    let dir = tempfile_dir();
    let entities = std::path::Path::new(&dir).join("entities");
    std::fs::create_dir_all(&entities).unwrap();
    let real = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/entities");
    for f in std::fs::read_dir(&real).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, entities.join(f.file_name().unwrap())).unwrap();
    }
    let outlets = entities.join("outlets.tsv");
    let mut text = std::fs::read_to_string(&outlets).unwrap();
    text.push_str("Fake Outlet\tسانا\t\t\n");
    std::fs::write(&outlets, &text).unwrap();
    let err = Entities::load(&rasd_kb::DataDir::at(&dir)).unwrap_err();
    assert_eq!(err.file, "entities/outlets.tsv");
    assert_eq!(err.line, Some(text.lines().count()));
    assert!(err.message.contains("سانا"), "{err}");
}

fn tempfile_dir() -> String {
    let dir = std::env::temp_dir().join(format!("rasd-entities-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.to_string_lossy().into_owned()
}

#[test]
fn a_whole_alias_names_its_canonical_actors_in_every_period() {
    let entities = Entities::load(&rasd_kb::DataDir::embedded()).expect("the dictionaries load");
    for alias in ["داعش", "Daesh", "ISIS", "  تنظيم الدولة الإسلامية ", "islamic state"] {
        assert_eq!(entities.actors_called(alias), ["Islamic State"], "{alias}");
    }
    let army = entities.actors_called("الجيش السوري");
    assert!(army.len() >= 2 && army[0] == "Military Forces of Syria (2000-2024)", "{army:?}");
    assert!(entities.actors_called("داعش في الرقة").is_empty(), "a phrase longer than the alias names nobody");
    assert!(entities.actors_called("الحسكة").is_empty());
}
