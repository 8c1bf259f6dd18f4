//! Attribution on real sentence shapes: relays, anaphors, unnamed sources, English order.

use rasd_entities::Entities;
use rasd_quotes::{Attribution, Attributor};
use rasd_text::{segment::sentences, NormText};

fn read(text: &str, publisher: Option<&str>) -> Attribution {
    let dir = rasd_kb::DataDir::embedded();
    let entities = Entities::load(&dir).unwrap();
    let norm = NormText::new(text);
    let date = chrono::NaiveDate::from_ymd_opt(2025, 10, 26).unwrap();
    let mentions = entities.find(text, &norm, date);
    Attributor::load(&dir).unwrap().read(text, &norm, &sentences(text), &mentions, publisher)
}

fn chain_names(a: &Attribution, sentence: usize) -> Vec<String> {
    a.chain_at(sentence, usize::MAX).into_iter().map(|l| l.name).collect()
}

#[test]
fn spokesman_speaking_to_the_same_network_is_relayed_by_it() {
    let text = "وفي تصريحات لشبكة “ذا ناشونال”، أوضح العميد أحمد التامر أن وحداته “تعمل على رصد التحركات”.\n\nمن جانبه، قال المتحدث باسم وزارة الداخلية نور الدين البابا في حديثه للشبكة ذاتها إن السلطات أحبطت “هجومين إرهابيين كبيرين”.";
    let a = read(text, Some("موقع"));
    assert_eq!(chain_names(&a, 1), ["موقع", "The National", "Nour al-Din al-Baba"]);
    let baba = a.quotes.iter().find(|q| q.speaker.as_ref().is_some_and(|s| s.name == "Nour al-Din al-Baba")).unwrap();
    assert_eq!(baba.text.slice(text), "السلطات أحبطت “هجومين إرهابيين كبيرين”");
    assert_eq!(baba.via[0].span.map(|s| s.slice(text)), Some("لشبكة ذاتها"), "the anaphor, without its preposition");
}

#[test]
fn unnamed_sources_and_agencies_form_the_chain() {
    let text = "وقال مصدر أمني لوكالة \"سانا\" إن السيارة كانت محملة بالمتفجرات. وفي ريف حمص أصيب ثلاثة عناصر جراء انفجار عبوة، بحسب ما أفادت به مصادر محلية.";
    let a = read(text, Some("الراصد الشامي"));
    assert_eq!(chain_names(&a, 0), ["الراصد الشامي", "SANA", "security source"]);
    assert_eq!(chain_names(&a, 1), ["الراصد الشامي", "local sources"]);
}

#[test]
fn english_subject_comes_before_the_verb() {
    let text = "An air strike hit a house near Salkhad, killing two, the local news network Suwayda 24 reported.";
    let a = read(text, Some("Levant Wire"));
    assert_eq!(chain_names(&a, 0), ["Levant Wire", "Suwayda 24"]);
    assert_eq!(a.quotes[0].text.slice(text), "An air strike hit a house near Salkhad, killing two");
}

#[test]
fn a_sentence_without_attribution_inherits_within_its_paragraph_only() {
    let text = "قال المرصد السوري لحقوق الإنسان إن الاشتباكات مستمرة. وقتل ثلاثة عناصر.\n\nوتشهد المنطقة توتراً.";
    let a = read(text, None);
    assert_eq!(chain_names(&a, 1), ["Syrian Observatory for Human Rights"]);
    assert!(chain_names(&a, 2).is_empty());
}
