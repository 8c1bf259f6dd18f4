//! Whatever the page, the pipeline returns a record whose spans cover exactly their text.

use std::sync::OnceLock;

use proptest::prelude::*;
use rasd_pipeline::{ArticleMeta, Knowledge};

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(|| Knowledge::load(&rasd_kb::DataDir::embedded()).expect("knowledge loads"))
}

/// Words that exercise every stage: triggers, cues, places, actors, dates, numbers, quotes.
const WORDS: &[&str] = &[
    "قصف",
    "غارة",
    "جوية",
    "أحبطت",
    "اعتقال",
    "مقتل",
    "ثلاثة",
    "٤",
    "عناصر",
    "في",
    "ريف",
    "إدلب",
    "دمشق",
    "داعش",
    "قسد",
    "أمس",
    "الماضي",
    "الخميس",
    "قال",
    "إن",
    "“",
    "”",
    "،",
    ".",
    "\n\n",
    "لم",
    "تتبن",
    "أي",
    "جهة",
    "killed",
    "five",
    "in",
    "Homs",
    "on",
    "Tuesday",
    "said",
    "\"",
    "ـ",
    "ً",
    "٢٠٢٥",
    "آذار",
    "مسلحون",
    "مجهولون",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn spans_always_cover_their_text(words in proptest::collection::vec(proptest::sample::select(WORDS), 0..60)) {
        let page = words.join(" ");
        let meta = ArticleMeta { published: chrono::NaiveDate::from_ymd_opt(2025, 3, 10), ..Default::default() };
        let r = knowledge().extract(&page, &meta);
        let errors = r.span_errors();
        prop_assert!(errors.is_empty(), "{}", errors.join("\n"));
        for e in &r.events {
            prop_assert!(e.date.start <= e.date.end);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(page in "\\PC{0,300}") {
        let _ = knowledge().extract(&page, &ArticleMeta::default());
    }
}

#[test]
fn same_input_same_output() {
    let page = include_str!("../../../examples/seed-article-ar.txt");
    let a = knowledge().extract(page, &ArticleMeta::default());
    let b = knowledge().extract(page, &ArticleMeta::default());
    assert_eq!(a, b);
}
