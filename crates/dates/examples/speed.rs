//! Measures `DateReader::find` on a ~3 KB Arabic news article:
//! `cargo run --release -p rasd-dates --example speed`.

use std::time::Instant;

use chrono::NaiveDate;
use rasd_dates::DateReader;
use rasd_text::NormText;

const PARAGRAPH: &str = "حمص – السبت ١٧ أيار ٢٠٢٥: قصفت قوات مجهولة مساء الجمعة بلدة تلبيسة بريف حمص الشمالي، \
ما أسفر عن مقتل ثلاثة مدنيين وإصابة ١٢ آخرين، بحسب ما أفادت مصادر محلية. وكانت اشتباكات قد اندلعت الأسبوع \
الماضي بين مجموعات محلية، فيما أحبطت الأجهزة الأمنية خلال الأسابيع الماضية هجومين في ريف دمشق. وقال المرصد إن \
القرار ٢٢٥٤ لم يطبق منذ عام 2015، وإن المحتجين تجمعوا في ساحة ٨ آذار يوم أمس. ";

fn main() {
    let reader = DateReader::load(&rasd_kb::DataDir::embedded()).expect("data/dates loads");
    let article = PARAGRAPH.repeat(3072 / PARAGRAPH.len() + 1);
    let norm = NormText::new(&article);
    let published = NaiveDate::from_ymd_opt(2025, 5, 17).expect("date");
    let runs = 2000;
    let mut found = 0;
    let t = Instant::now();
    for _ in 0..runs {
        found += reader.find(&article, &norm, published).len();
    }
    let per = t.elapsed() / runs;
    println!("{} bytes, {} dates per run: find takes {per:?}", article.len(), found / runs as usize);
}
