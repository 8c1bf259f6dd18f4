//! Issue 11: the gazetteer of the Middle East and North Africa, country-aware resolution,
//! ordinary words that are not places, and common English spellings.

use std::sync::OnceLock;

use rasd_kb::DataDir;
use rasd_places::{Gazetteer, PlaceKind, PlaceMention};
use rasd_text::NormText;

fn gaz() -> &'static Gazetteer {
    static GAZ: OnceLock<Gazetteer> = OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::load(&DataDir::embedded()).expect("gazetteer loads"))
}

fn find(text: &str) -> Vec<PlaceMention> {
    gaz().find(text, &NormText::new(text))
}

/// (name as written, English name, ISO alpha-3) of each mention.
fn read(text: &str) -> Vec<(String, String, String)> {
    find(text)
        .iter()
        .map(|m| {
            let p = gaz().place(m.place);
            (m.span.slice(text).to_string(), p.name.clone(), p.iso3.clone())
        })
        .collect()
}

fn names(text: &str) -> Vec<String> {
    read(text).into_iter().map(|r| r.1).collect()
}

fn row(written: &str, name: &str, iso3: &str) -> (String, String, String) {
    (written.to_string(), name.to_string(), iso3.to_string())
}

// 1. The gazetteer of the Middle East and North Africa.

#[test]
fn places_of_the_region_keep_their_country_and_admin1() {
    let text = "قتل خمسة أشخاص في غارة على صنعاء، واشتباكات في عدن وتعز، وانفجار في بنغازي.";
    assert_eq!(
        read(text),
        [
            row("صنعاء", "Sanaa", "YEM"),
            row("عدن", "Aden", "YEM"),
            row("تعز", "Taiz", "YEM"),
            row("بنغازي", "Benghazi", "LBY")
        ]
    );
    let benghazi = gaz().place(find(text)[3].place);
    assert_eq!((benghazi.country.as_str(), benghazi.admin1.as_deref()), ("Libya", Some("Benghazi")));
    let text = "Gunmen attacked a checkpoint near Arish in North Sinai; later a bomb went off in Cairo.";
    assert_eq!(names(text), ["Arish", "North Sinai Governorate", "Cairo"]);
    let cairo = gaz().place(find(text)[2].place);
    assert_eq!((cairo.iso3.as_str(), cairo.admin1.as_deref(), cairo.kind), ("EGY", Some("Cairo"), PlaceKind::City));
}

#[test]
fn riyadh_resolves_now_that_saudi_arabia_is_covered() {
    // الرياض was stop-listed while Riyadh lay outside the gazetteer.
    let text = "أعلنت وزارة الداخلية إحباط مخطط إرهابي في الرياض";
    assert_eq!(read(text), [row("الرياض", "Riyadh", "SAU")]);
    assert_eq!(gaz().place(find(text)[0].place).admin1.as_deref(), Some("Riyadh"));
}

#[test]
fn countries_of_the_region_are_places_and_have_capitals() {
    let text = "وصل الوفد من السعودية إلى اليمن ثم إلى مصر وليبيا وتونس والجزائر والمغرب والسودان وإيران";
    let found = read(text);
    let iso: Vec<&str> = found.iter().map(|r| r.2.as_str()).collect();
    assert_eq!(iso, ["SAU", "YEM", "EGY", "LBY", "TUN", "DZA", "MAR", "SDN", "IRN"]);
    for m in find(text) {
        let p = gaz().place(m.place);
        assert_eq!(p.kind, PlaceKind::Country, "{p:?}");
        let capital = gaz().capital(&p.iso3).map(|c| gaz().place(c).name.clone());
        assert!(capital.is_some(), "{} has no capital", p.name);
    }
    // تونس and الجزائر alone are the countries; their capitals are named in full.
    assert_eq!(names("تظاهرة في تونس العاصمة وأخرى في الجزائر العاصمة"), ["Tunis", "Algiers"]);
    assert_eq!(gaz().capital("KWT").map(|c| gaz().place(c).name.as_str()), Some("Kuwait City"));
    assert_eq!(gaz().capital("ISR").map(|c| gaz().place(c).name.as_str()), Some("Jerusalem"));
}

#[test]
fn arabic_names_that_are_ordinary_words_stay_words() {
    // بيان "statement" (Bayan, Kuwait), بشار (Bechar, Algeria), الخميس "Thursday" (Khemis Miliana),
    // بأنه folded بانه (Baneh, Iran), سترة ناسفة "suicide vest" (Sitrah, Bahrain).
    let text = "وقال بيان صدر الخميس إن بشار الأسد أكد بأنه يرفض. وفجر انتحاري سترة ناسفة.";
    assert!(find(text).is_empty(), "{:?}", read(text));
    // صلاة المغرب is the sunset prayer, not Morocco; فيلق القدس the Quds Force, not Jerusalem.
    assert!(find("بعد صلاة المغرب أعلن قائد فيلق القدس").is_empty());
    assert_eq!(names("زار الملك المغرب ثم القدس"), ["Morocco", "Jerusalem"]);
}

// 1b. Places beyond the region (geonames_world.tsv).

#[test]
fn towns_beyond_the_region_keep_their_country_and_admin1() {
    let text = "فجرت انتحارية نفسها في سوق بمدينة مايدوغوري، وقتل جنود في هجوم بمنطقة موبتي، وانفجار في ولاية خوست.";
    assert_eq!(
        read(text),
        [row("مايدوغوري", "Maiduguri", "NGA"), row("موبتي", "Mopti", "MLI"), row("خوست", "Khost", "AFG")]
    );
    let maiduguri = gaz().place(find(text)[0].place);
    assert_eq!((maiduguri.country.as_str(), maiduguri.admin1.as_deref()), ("Nigeria", Some("Borno")));
    // A curated capital keeps its row; the press's "New York" names the city.
    assert_eq!(names("اعتقل في كراتشي ثم نقل إلى كابل"), ["Karachi", "Kabul"]);
    assert_eq!(names("A man was arrested in New York"), ["New York City"]);
}

#[test]
fn names_beyond_the_region_that_are_words_names_or_venues_stay_words() {
    // حصار "siege" (Hisar, India), ميدان "square" (Medan), دوري "league" (Dori, Burkina Faso), بندر
    // (Prince Bandar; Bender, Moldova), «كانوا» "they were" (not Kano), a newspaper, talks in Geneva.
    let text = "فرض حصار على ميدان المدينة بعد مباراة الدوري وقال الأمير بندر إن مسلحين كانوا هناك، بحسب نيويورك تايمز، قبل مؤتمر جنيف 3";
    assert!(find(text).is_empty(), "{:?}", read(text));
    // A name the region's gazetteer gives a place stays there: الإسكندرية is Alexandria, Egypt.
    assert_eq!(read("انفجار في الإسكندرية"), [row("الإسكندرية", "Alexandria", "EGY")]);
}

// 2. Country-aware resolution.

#[test]
fn an_ambiguous_name_goes_to_the_country_the_text_is_about() {
    let libya = "اشتباكات عنيفة بين ميليشيات في طرابلس، بعد معارك في مصراتة وبنغازي شرق ليبيا.";
    assert_eq!(read(libya)[0], row("طرابلس", "Tripoli", "LBY"));
    let lebanon = "اشتباكات بين مسلحين في طرابلس شمال لبنان، والجيش اللبناني ينتشر في بيروت.";
    assert_eq!(read(lebanon)[0], row("طرابلس", "Tripoli, Lebanon", "LBN"));
    // A story about Syria: Tripoli in Lebanon is the neighbour, not the Libyan capital.
    let syria = "قتل عنصران من حزب الله في القصير بريف حمص، ونقلت جثتاهما إلى طرابلس.";
    assert_eq!(read(syria).last().unwrap(), &row("طرابلس", "Tripoli, Lebanon", "LBN"));
}

#[test]
fn the_capital_is_the_capital_of_the_country_the_text_is_about() {
    let iraq =
        "قتل 20 شخصا في تفجير انتحاري في العاصمة، وقالت مصادر في الموصل والرمادي إن التنظيم تبنى الهجوم في العراق.";
    assert_eq!(read(iraq)[0], row("العاصمة", "Baghdad", "IRQ"));
    let yemen = "سيطر الحوثيون على العاصمة بعد معارك في عمران، وفر الرئيس اليمني إلى عدن.";
    assert_eq!(read(yemen)[0], row("العاصمة", "Sanaa", "YEM"));
    let syria = "سقطت قذائف على أحياء العاصمة مصدرها الغوطة الشرقية.";
    assert_eq!(read(syria)[0], row("العاصمة", "Damascus", "SYR"));
    assert_eq!(
        names("English: rebels shelled the capital after fighting in Aden and Taiz, Yemen."),
        ["Sanaa", "Aden", "Taiz", "Yemen"]
    );
    // «العاصمة X-ية» names that country's capital.
    assert_eq!(
        names("وصل إلى العاصمة العراقية ثم العاصمة اليمنية ثم العاصمة السورية والعاصمة السعودية"),
        ["Baghdad", "Sanaa", "Damascus", "Riyadh"]
    );
}

#[test]
fn the_capital_before_a_name_or_an_adjective_is_not_the_texts_capital() {
    // A name follows: the name is the mention (not Cairo, though the text is about Egypt).
    let text = "زار وزير الخارجية المصري القاهرة والإسكندرية، ثم التقى نظيره في العاصمة دمشق.";
    assert_eq!(names(text), ["Cairo", "Alexandria", "Damascus"]);
    // An adjective: another country's capital, or no city at all.
    assert!(find("التقى الوزير نظيره في العاصمة الفرنسية، وحلب العاصمة الاقتصادية").iter().all(|m| {
        let p = gaz().place(m.place);
        p.name != "Damascus"
    }));
}

#[test]
fn article_countries_weigh_mentions_and_the_first_paragraph() {
    let text = "غارات على صعدة ومأرب في اليمن.\nوفي سوريا، قصف على حلب.";
    let found = find(text);
    let countries = gaz().article_countries(text, &found);
    // Yemen: three mentions in the first paragraph (2 each); Syria: two later (1 each).
    assert_eq!(countries, [("YEM".to_string(), 6.0), ("SYR".to_string(), 2.0)]);
    // A title counts three times a mention of the body.
    let title = "الحوثيون يقصفون صنعاء";
    let hint = gaz().title_countries(title, &NormText::new(title));
    assert_eq!(hint, [("YEM".to_string(), 3.0)]);
    let body = "سقطت قذائف على العاصمة أمس.";
    let without = gaz().find(body, &NormText::new(body));
    let with = gaz().find_with_countries(body, &NormText::new(body), &hint);
    assert_eq!(gaz().place(without[0].place).name, "Damascus");
    assert_eq!(gaz().place(with[0].place).name, "Sanaa");
}

// 3. Ordinary words are not places.

#[test]
fn a_word_with_tanween_is_never_a_place() {
    assert!(find("وكان دوماً في المقدمة، واستخدموا المدنيين درعاً بشرياً").is_empty());
    assert!(find("واستخدموا المدنيين درعًا").is_empty(), "tanween written before the alef");
    assert_eq!(names("قصف على درعا"), ["Daraa"]);
}

#[test]
fn names_that_are_common_words_need_a_cue() {
    // سلمية "peaceful", دوما "always".
    assert!(find("دعا إلى تسوية سلمية للأزمة، وتظاهروا بسلمية، وكان دوما يردد ذلك").is_empty());
    assert_eq!(names("انفجار سيارة مفخخة في مدينة سلمية بريف حماة"), ["Salamiyah", "Hama"]);
    assert_eq!(names("غارات على مدينة دوما في الغوطة الشرقية"), ["Duma", "Eastern Ghouta"]);
    // Cued once, the name counts everywhere in the text.
    assert_eq!(names("قصف على مدينة دوما. وقال ناشطون إن دوما محاصرة"), ["Duma", "Duma"]);
}

#[test]
fn a_name_never_matches_inside_another_name() {
    // "Salah Eddin" is an Aleppo neighbourhood; Salah alone is a personal name.
    assert_eq!(names("Clashes erupted in the Salah Eddin neighborhood of Aleppo"), ["Salah al-Din, Aleppo", "Aleppo"]);
    assert!(find("Mohamed Salah scored twice").is_empty());
    // A small place's name, another capitalised word and a neighbourhood cue: a longer name.
    assert_eq!(names("Shells hit the Jasim Sharqi neighborhood of Aleppo"), ["Aleppo"]);
    assert_eq!(names("Shells hit Jasim and Aleppo"), ["Jasim", "Aleppo"]);
    // A city's name there names one of its quarters.
    assert_eq!(names("Shells hit the Daraa Mahatta neighborhood"), ["Daraa"]);
    // English names match whole words only.
    assert!(find("Idlibi activists and Homsi fighters").is_empty());
}

// 4. Common English spellings.

#[test]
fn common_english_spellings_match() {
    let cases = [
        ("Deir az-Zour", "Deir ez-Zor"),
        ("Deir ez-Zour", "Deir ez-Zor"),
        ("Raqa", "Raqqa"),
        ("Sweida", "As-Suwayda"),
        ("Suwayda", "As-Suwayda"),
        ("Hasakeh", "Al-Hasakah"),
        ("Qamishli", "Qamishli"),
        ("Qamishly", "Qamishli"),
        ("Palmyra", "Palmyra"),
        ("Tadmur", "Palmyra"),
        ("Daraya", "Darayya"),
        ("Douma", "Duma"),
        ("Jisr al-Shughour", "Jisr al-Shughur"),
        ("Kobani", "Kobani"),
        ("Kobane", "Kobani"),
    ];
    for (written, name) in cases {
        let text = format!("Clashes were reported in {written} on Monday.");
        assert_eq!(names(&text), [name], "{written}");
    }
}

// A namesake abroad right before a place of the story's country names a place the gazetteer lacks.

#[test]
fn a_namesake_abroad_placed_inside_a_local_place_is_dropped() {
    let text = "Regime aircraft killed nine people in Aleppo on Monday. Regime aircraft also bombed a \
                medicine factory in the town of Mansoura in rural Aleppo.";
    assert_eq!(names(text), ["Aleppo", "Aleppo"], "{:?}", read(text));
    let quarter = "Syrian aircraft struck Aleppo and Idlib on Sunday. Fifteen people were killed in an attack on a \
                   market in the Ferdous neighbourhood of east Aleppo.";
    assert_eq!(names(quarter), ["Aleppo", "Idlib", "Aleppo"], "{:?}", read(quarter));
    // A town across the border is a neighbour, not a namesake.
    let border = "A suicide bomber struck in Suruc near Kobani on Monday, and fighting went on in Kobani and Aleppo.";
    assert!(names(border).contains(&"Suruc".to_string()), "{:?}", read(border));
}

// A name the text puts inside a region or a town is read there, or gives way to it.

#[test]
fn a_name_placed_inside_a_region_is_read_there_or_gives_way_to_it() {
    // The gazetteer has no Tayyibah near Damascus, nor al-Hawash, Cairo or al-Hawijah in the
    // Ghab: the region stands for each of them, whether with «ب» or after the list's other
    // members the gazetteer lacks (العنكاوي، قسطون).
    assert_eq!(names("قصفت قوات النظام بلدة الطيبة بالغوطة الغربية."), ["Western Ghouta"]);
    let list = "تعرضت أماكن في قرى الحواش والقاهرة والعنكاوي والعمقية والزقوم والحويجة وقسطون بسهل الغاب لقصف مكثف.";
    assert_eq!(names(list), ["Ghab Plain"], "{:?}", read(list));
    let town = "تستمر الاشتباكات في أطراف بلدة المنصورة بسهل الغاب في ريف حماة.";
    assert_eq!(names(town), ["Ghab Plain", "Hama"], "{:?}", read(town));
    // Inside the region, the namesake there.
    let suran = |region: &str| find(&format!("قصفت الطائرات بلدة صوران بريف {region}."))[0].place;
    assert_eq!(gaz().place(suran("حماة")).admin1.as_deref(), Some("Hama"));
    assert_eq!(gaz().place(suran("حلب")).admin1.as_deref(), Some("Aleppo"));
}

#[test]
fn the_two_countrysides_of_two_cities_are_regions() {
    let text = "وتتصدى الوحدات لهجوم إرهابي كبير على ريفي حلب وإدلب.";
    let precision: Vec<u8> = find(text).iter().map(|m| m.geo_precision).collect();
    assert_eq!(precision, [3, 3], "{:?}", read(text));
}
