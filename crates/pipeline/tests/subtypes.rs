//! Every ACLED sub-event type on its own Arabic and English sentences, with near misses.

use std::sync::OnceLock;

use rasd_pipeline::{ArticleMeta, Knowledge};
use rasd_record::{Event, Record};

const PUBLISHED: &str = "2025-05-17";

fn read(text: &str) -> Record {
    static K: OnceLock<Knowledge> = OnceLock::new();
    let k = K.get_or_init(|| Knowledge::load(&rasd_kb::DataDir::embedded()).expect("knowledge loads"));
    let meta = ArticleMeta { published: Some(PUBLISHED.parse().expect("ISO date")), ..Default::default() };
    let r = k.extract(text, &meta);
    assert_eq!(r.span_errors(), Vec::<String>::new(), "every span covers its text");
    r
}

fn summary(r: &Record) -> Vec<(&str, &str)> {
    r.events.iter().map(|e| (e.sub_event_type.as_str(), e.trigger.text.as_str())).collect()
}

/// The one event of a text, of the expected sub-type.
fn one(text: &str, sub_event_type: &str) -> Event {
    let r = read(text);
    assert_eq!(r.events.len(), 1, "{text}: {:?}", summary(&r));
    let e = r.events[0].clone();
    assert_eq!(e.sub_event_type, sub_event_type, "{text}");
    e
}

/// Each text codes one event of the sub-type.
fn each(texts: &[&str], sub_event_type: &str) {
    for text in texts {
        one(text, sub_event_type);
    }
}

fn actor1(e: &Event) -> &str {
    e.actor1.as_ref().map_or("", |a| a.name.as_str())
}

fn actor2(e: &Event) -> &str {
    e.actor2.as_ref().map_or("", |a| a.name.as_str())
}

#[test]
fn armed_clash() {
    each(
        &[
            "اندلعت اشتباكات عنيفة بين قسد والجيش الوطني قرب سد تشرين.",
            "دار تبادل لإطلاق النار بين مسلحين ودورية للأمن العام في مدينة جاسم.",
            "Heavy fighting broke out between the SDF and Turkish-backed factions near Manbij on Friday.",
            "Gunmen ambushed an army patrol near the town of Jasim on Friday.",
        ],
        "Armed clash",
    );
    let e = one("Israeli forces clashed with local gunmen near the town of Jasim on Friday.", "Armed clash");
    assert_eq!((actor1(&e), actor2(&e)), ("Military Forces of Israel", "Unidentified Armed Group (Syria)"));
}

#[test]
fn territory_depends_on_who_takes_it() {
    let e = one("سيطرت قوات الجيش السوري على بلدة كفرنبل بريف إدلب الجنوبي.", "Government regains territory");
    assert_eq!(actor1(&e), "Military Forces of Syria (2024-)");
    one("Syrian government forces recaptured the town of Kafr Nabl on Friday.", "Government regains territory");
    one("استولى مسلحو داعش على قرية في ريف دير الزور الشرقي.", "Non-state actor overtakes territory");
    one(
        "Islamic State fighters overran a village in the Deir ez-Zor countryside on Friday.",
        "Non-state actor overtakes territory",
    );
}

#[test]
fn air_and_drone_strikes_with_nationality_actors() {
    for (text, actor) in [
        ("شنت طائرات حربية روسية غارات جوية على بلدة كفرنبل.", "Military Forces of Russia"),
        ("شنت مسيرة تركية غارة على سيارة في مدينة القامشلي.", "Military Forces of Turkey"),
        ("Israeli jets struck a weapons depot near the town of Kisweh on Friday.", "Military Forces of Israel"),
        ("Russian warplanes bombed the town of Kafr Nabl on Friday.", "Military Forces of Russia"),
    ] {
        let e = one(text, "Air/drone strike");
        assert_eq!(actor1(&e), actor, "{text}");
    }
    one("A drone strike hit a car in the town of Jasim on Friday.", "Air/drone strike");
}

#[test]
fn shelling_is_not_an_air_strike() {
    each(
        &[
            "قصفت قوات النظام بالمدفعية الثقيلة مدينة أريحا.",
            "سقطت قذائف هاون على حي في مدينة حلب.",
            "Regime artillery shelled the town of Ariha on Friday.",
            "Rockets hit the outskirts of Hama on Friday.",
        ],
        "Shelling/artillery/missile attack",
    );
}

#[test]
fn explosives_suicide_bombs_and_grenades_are_told_apart() {
    each(
        &["انفجر لغم أرضي بسيارة في ريف حماة الشرقي.", "A roadside bomb exploded near a patrol in Daraa on Friday."],
        "Remote explosive/landmine/IED",
    );
    each(
        &[
            "فجّر انتحاري حزاماً ناسفاً عند حاجز في مدينة منبج.",
            "A suicide bomber blew himself up at a checkpoint in Manbij on Friday.",
        ],
        "Suicide bomb",
    );
    each(
        &[
            "ألقى مجهول قنبلة يدوية على منزل في مدينة اللاذقية.",
            "An assailant threw a hand grenade into a cafe in Homs on Friday.",
        ],
        "Grenade",
    );
    each(
        &[
            "اتهم ناشطون قوات النظام بشن هجوم كيميائي على بلدة في ريف إدلب.",
            "Activists accused the regime of a chemical attack on a town near Idlib on Friday.",
        ],
        "Chemical weapon",
    );
}

#[test]
fn a_foiled_bombing_is_not_an_explosion() {
    each(
        &[
            "فككت وحدات الهندسة عبوة ناسفة مزروعة على طريق في مدينة درعا.",
            "Security forces defused a roadside bomb planted near a school in Daraa on Friday.",
            "ضبطت قوات الأمن شحنة أسلحة في ريف حمص.",
        ],
        "Disrupted weapons use",
    );
}

#[test]
fn violence_against_civilians() {
    each(
        &[
            "اغتال مسلحون مجهولون مختاراً في بلدة جاسم.",
            "Unidentified gunmen shot dead a teacher in the town of Jasim on Friday.",
        ],
        "Attack",
    );
    let e = one("اختطف مسلحون مجهولون شاباً في مدينة جاسم.", "Abduction/forced disappearance");
    assert_eq!(actor1(&e), "Unidentified Armed Group (Syria)");
    one("Gunmen kidnapped two workers from an oil field near Deir ez-Zor on Friday.", "Abduction/forced disappearance");
    each(
        &[
            "وثقت منظمات حقوقية حالة اغتصاب في مدينة عفرين.",
            "Rights groups documented the rape of a woman in Afrin on Friday.",
        ],
        "Sexual violence",
    );
}

#[test]
fn holding_people_is_an_arrest_for_the_state_and_an_abduction_otherwise() {
    one("احتجزت قوات الأمن العام ثلاثة أشخاص في مدينة جبلة.", "Arrests");
    one("احتجزت مجموعة مسلحة أربعة أشخاص في مدينة السويداء.", "Abduction/forced disappearance");
}

#[test]
fn protests_riots_and_their_repression() {
    each(
        &[
            "خرجت مظاهرة في مدينة السويداء للمطالبة بالإفراج عن المعتقلين.",
            "Hundreds of people protested in Damascus on Friday.",
        ],
        "Peaceful protest",
    );
    each(
        &["فرقت قوات الأمن مظاهرة في مدينة السويداء.", "Police used tear gas on a protest in Damascus on Friday."],
        "Protest with intervention",
    );
    each(
        &[
            "أطلق عناصر الأمن الرصاص الحي على متظاهرين في مدينة الرقة.",
            "Soldiers opened fire on protesters in Raqqa on Friday.",
        ],
        "Excessive force against protesters",
    );
    each(
        &[
            "أحرق محتجون غاضبون إطارات السيارات في مدينة الطبقة.",
            "Angry protesters stormed a checkpoint in Tabqa on Friday.",
        ],
        "Violent demonstration",
    );
    each(
        &[
            "قتل حشد غاضب رجلاً ضرباً حتى الموت في مدينة جرمانا.",
            "An angry crowd beat a man to death in Jaramana on Friday.",
        ],
        "Mob violence",
    );
}

#[test]
fn strategic_developments() {
    let e = one("اعتقلت قوات الأمن العام ثلاثة أشخاص في مدينة جبلة.", "Arrests");
    assert_eq!(e.fatalities, None, "arrested counts are not fatalities");
    one("Security forces arrested four men in the town of Hajin on Friday.", "Arrests");
    each(
        &[
            "توصلت قسد والحكومة السورية إلى اتفاق في مدينة حلب.",
            "The two sides reached a ceasefire in Aleppo on Friday.",
        ],
        "Agreement",
    );
    each(
        &[
            "أقامت القوات التركية قاعدة عسكرية جديدة في ريف حلب.",
            "Turkish forces established a base near the town of Afrin on Friday.",
        ],
        "Headquarters or base established",
    );
    each(
        &["نهب مسلحون محتويات مستودع في بلدة تلكلخ.", "Gunmen looted a warehouse in Talkalakh on Friday."],
        "Looting/property destruction",
    );
    each(
        &["انسحبت قسد من حي الشيخ مقصود في مدينة حلب.", "SDF fighters withdrew from the town of Tabqa on Friday."],
        "Non-violent transfer of territory",
    );
    each(
        &["أعلن الفصيل حل نفسه في مدينة درعا.", "The faction disbanded in Daraa on Friday."],
        "Change to group/activity",
    );
    each(
        &[
            "أطلقت وزارة الداخلية حملة أمنية في مدينة البوكمال.",
            "The ministry launched a security campaign in Albu Kamal on Friday.",
        ],
        "Other",
    );
}

#[test]
fn threats_are_future_and_denials_are_denied() {
    for text in
        ["هدد الجيش التركي بقصف مواقع قسد في مدينة منبج.", "Turkey threatened to strike SDF positions in Manbij."]
    {
        assert_eq!(read(text).events[0].status, "future", "{text}");
    }
    for text in
        ["نفت وزارة الدفاع قصف بلدة في ريف إدلب.", "The Defence Ministry denied shelling a town near Idlib on Friday."]
    {
        assert_eq!(read(text).events[0].status, "denied", "{text}");
    }
}

#[test]
fn tallies_and_background_are_not_events() {
    for text in [
        "قُتل ٣٠٠ شخص في غارات جوية منذ بداية العام في محافظة إدلب.",
        "More than 200 people were killed in air strikes in Idlib this year.",
    ] {
        assert!(read(text).events.is_empty(), "{text}: {:?}", summary(&read(text)));
    }
    let r = read(
        "انفجرت عبوة ناسفة في مدينة منبج اليوم. ويعد هذا التفجير الثاني من نوعه بعد انفجار سيارة مفخخة في أحد أسواقها.",
    );
    assert_eq!(r.events.len(), 1, "{:?}", summary(&r));
}

#[test]
fn tolls_are_per_event_and_compounds_count_once() {
    let e = one("قتل ١٢ شخصاً بينهم ٤ أطفال في غارة جوية على مدينة أريحا.", "Air/drone strike");
    assert_eq!(e.fatalities, Some(12));
    let e = one(
        "Three truffle hunters were killed and two others wounded when a landmine exploded near al-Mayadin on Friday.",
        "Remote explosive/landmine/IED",
    );
    assert_eq!((e.fatalities, e.injured), (Some(3), Some(2)));
    let r = read("قتل خمسة مدنيين في غارة جوية على مدينة أريحا. وفي مدينة جسر الشغور قتل ثلاثة أشخاص في قصف مدفعي.");
    let tolls: Vec<Option<u32>> = r.events.iter().map(|e| e.fatalities).collect();
    assert_eq!(tolls, [Some(5), Some(3)], "{:?}", summary(&r));
    let e = one("Camp officials said unidentified gunmen shot dead an Iraqi woman in al-Hol camp on Friday.", "Attack");
    assert_eq!(e.fatalities, Some(1));
}

#[test]
fn confidence_is_lower_for_a_single_vague_word() {
    // The likelihood model: a specific strike with its actor, town and day against one bare
    // word.
    let strong = one("شنت طائرات حربية روسية غارات جوية على بلدة كفرنبل يوم الجمعة.", "Air/drone strike");
    let weak = one("قصف في حلب.", "Shelling/artillery/missile attack");
    assert!(strong.confidence >= 0.7, "{}", strong.confidence);
    assert!(strong.confidence >= weak.confidence + 0.25, "{} against {}", strong.confidence, weak.confidence);
}
