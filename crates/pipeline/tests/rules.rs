//! Each coding rule on its own sentences, Arabic first, through the whole pipeline.

use std::sync::OnceLock;

use rasd_pipeline::{ArticleMeta, Knowledge};
use rasd_record::{Event, Record};

fn read(text: &str, published: &str) -> Record {
    static K: OnceLock<Knowledge> = OnceLock::new();
    let k = K.get_or_init(|| Knowledge::load(&rasd_kb::DataDir::embedded()).expect("knowledge loads"));
    let meta = ArticleMeta {
        published: Some(published.parse().expect("ISO date")),
        outlet: Some("المرصد التجريبي".to_string()),
        ..Default::default()
    };
    let r = k.extract(text, &meta);
    assert_eq!(r.span_errors(), Vec::<String>::new(), "every span covers its text");
    r
}

fn only(r: &Record) -> &Event {
    assert_eq!(
        r.events.len(),
        1,
        "{:#?}",
        r.events.iter().map(|e| (&e.sub_event_type, &e.trigger.text)).collect::<Vec<_>>()
    );
    &r.events[0]
}

fn types(r: &Record) -> Vec<&str> {
    r.events.iter().map(|e| e.sub_event_type.as_str()).collect()
}

/// Asserts that each sentence codes no event.
fn codes_nothing(sentences: &[&str], published: &str) {
    for sentence in sentences {
        assert_eq!(types(&read(sentence, published)), Vec::<&str>::new(), "{sentence}");
    }
}

#[test]
fn a_foiled_bombing_is_a_disruption_not_an_explosion() {
    let r = read("أحبطت وحدات الأمن الداخلي محاولة تفجير سيارة مفخخة في حي الخالدية بمدينة حمص مساء الجمعة، وفككت العبوة قبل انفجارها.", "2025-05-17");
    let e = only(&r);
    assert_eq!(e.sub_event_type, "Disrupted weapons use");
    assert_eq!(e.location.as_ref().unwrap().admin1.as_deref(), Some("Homs"));
    assert_eq!((e.date.start.as_str(), e.date.precision), ("2025-05-16", 1));
}

#[test]
fn explosion_types_are_told_apart() {
    assert_eq!(
        types(&read("انفجرت عبوة ناسفة بسيارة عسكرية في مدينة درعا صباح اليوم.", "2025-05-17")),
        ["Remote explosive/landmine/IED"]
    );
    assert_eq!(types(&read("فجّر انتحاري حزاماً ناسفاً عند حاجز في مدينة منبج.", "2025-05-17")), ["Suicide bomb"]);
    assert_eq!(types(&read("ألقى مجهول قنبلة يدوية على منزل في مدينة اللاذقية.", "2025-05-17")), ["Grenade"]);
    assert_eq!(types(&read("شنت طائرات حربية روسية غارات جوية على بلدة كفرنبل.", "2025-05-17")), ["Air/drone strike"]);
    assert_eq!(
        types(&read("قصفت قوات النظام بالمدفعية الثقيلة مدينة أريحا.", "2024-09-14")),
        ["Shelling/artillery/missile attack"]
    );
}

#[test]
fn arrests_abductions_clashes_and_protests() {
    assert_eq!(types(&read("اعتقلت قوات الأمن العام ثلاثة أشخاص في مدينة جبلة.", "2025-05-17")), ["Arrests"]);
    assert_eq!(
        types(&read("اختطف مسلحون مجهولون شاباً في مدينة جاسم.", "2025-05-17")),
        ["Abduction/forced disappearance"]
    );
    assert_eq!(
        types(&read("اندلعت اشتباكات عنيفة بين قسد والجيش الوطني قرب سد تشرين.", "2025-01-14")),
        ["Armed clash"]
    );
    assert_eq!(
        types(&read("خرجت مظاهرة في مدينة السويداء للمطالبة بالإفراج عن المعتقلين.", "2024-03-16")),
        ["Peaceful protest"]
    );
}

#[test]
fn two_places_in_one_sentence_make_two_events() {
    let r = read("أحبطت السلطات هجومين كان أحدهما يستهدف مدينة حمص، والآخر محاولة تفجير في مدينة حماة.", "2025-05-17");
    let places: Vec<&str> = r.events.iter().map(|e| e.location.as_ref().unwrap().name.as_str()).collect();
    assert_eq!(types(&r), ["Disrupted weapons use", "Disrupted weapons use"]);
    assert_eq!(places, ["Homs", "Hama"]);
}

#[test]
fn fatalities_and_injured_are_counted_apart() {
    let e = &read("قتل خمسة عشر مدنياً وأصيب ٧ آخرون جراء غارة جوية على مدينة إدلب.", "2025-05-17").events[0];
    assert_eq!((e.fatalities, e.injured), (Some(15), Some(7)));
    let e = &read("أسفر القصف على مدينة أريحا عن إصابة عسكريَّين اثنين دون وقوع قتلى.", "2025-05-17").events[0];
    assert_eq!(e.injured, Some(2));
    let e = &read("قتل عشرات المقاتلين في اشتباكات قرب مدينة منبج.", "2025-05-17").events[0];
    assert_eq!(e.fatalities, Some(10), "عشرات = 10 by convention");
    let e = &read("انفجرت عبوة ناسفة في مدينة درعا من دون تسجيل أي إصابات.", "2025-05-17").events[0];
    assert_eq!(e.fatalities, Some(0));
    let e = &read("أسفر هجوم على حاجز في بلدة ذيبان عن مقتل وإصابة ثمانية عناصر.", "2025-05-17");
    assert_eq!(
        e.events.iter().map(|e| e.fatalities).collect::<Vec<_>>(),
        [None],
        "killed and injured added together give no toll"
    );
}

#[test]
fn status_from_negation_future_and_denial() {
    let e = &read("لم تشهد مدينة درعا أي اشتباكات خلال الليلة الماضية.", "2025-05-17").events[0];
    assert_eq!(e.status, "negated");
    let e = &read("دعا ناشطون إلى اعتصام أمام مبنى المحافظة في السويداء يوم غد الأحد.", "2024-03-16").events[0];
    assert_eq!(e.status, "future");
    let e = &read("نفت وزارة الدفاع وقوع اشتباكات في مدينة تلكلخ.", "2025-05-17").events[0];
    assert_eq!(e.status, "denied");
}

#[test]
fn responsibility_claims_and_unclaimed() {
    let r = read("انفجرت عبوة ناسفة بدورية في مدينة تدمر فجر اليوم. ولم تتبنَّ أي جهة الهجوم.", "2025-05-17");
    assert!(only(&r).responsibility.unclaimed);
    let r = read("تبنى تنظيم داعش هجوماً على حاجز لقسد في بلدة ذيبان.", "2025-06-12");
    assert_eq!(only(&r).responsibility.claimed_by.as_deref(), Some("Islamic State"));
}

#[test]
fn background_events_are_not_coded() {
    let r = read(
        "ورغم تراجع قدرات التنظيم بعد هزيمته عام 2019، اعتقلت القوات أمس عنصرين في مدينة دير الزور.",
        "2025-10-26",
    );
    assert_eq!(types(&r), ["Arrests"]);
    let r = read("وكانت القوات قد سيطرت على المدينة مطلع الشهر. واعتقلت الشرطة أمس ثلاثة في مدينة حمص.", "2025-10-26");
    assert_eq!(types(&r), ["Arrests"], "a pluperfect sentence is background");
    let r = read("اعتقلت الشرطة عام 2019 ثلاثة أشخاص في مدينة حمص.", "2025-10-26");
    assert!(r.events.is_empty(), "an event dated years before publication is background");
}

#[test]
fn a_repeated_report_is_one_event() {
    let r =
        read("شنت طائرات حربية غارة جوية على مدينة جسر الشغور أمس. وأسفرت الغارة عن مقتل ثلاثة مدنيين.", "2024-09-14");
    let e = only(&r);
    assert_eq!(e.fatalities, Some(3));
}

#[test]
fn the_same_kind_of_event_in_another_district_is_another_event() {
    let r = read(
        "اختطف مسلحون مجهولون صباح الإثنين ثلاثة شبان، على بعد نحو ١٠ كيلومترات شمالي مدينة شهبا. \
         وبعد ساعات، أقدمت مجموعة مسلحة على احتجاز أربعة أشخاص في حي المقوس بمدينة السويداء.",
        "2025-05-27",
    );
    let places: Vec<&str> = r.events.iter().filter_map(|e| e.location.as_ref().map(|l| l.name.as_str())).collect();
    assert_eq!(types(&r), ["Abduction/forced disappearance", "Abduction/forced disappearance"]);
    assert_eq!(places, ["Shahba", "As-Suwayda"]);
    // A neighbourhood and its city are one place: the second sentence adds to the first event.
    let r = read(
        "شنت طائرات حربية غارة جوية على مدينة حلب أمس. وأسفرت الغارة على حي الأشرفية عن مقتل ثلاثة مدنيين.",
        "2024-09-14",
    );
    assert_eq!(only(&r).fatalities, Some(3));
}

#[test]
fn english_wire_copy() {
    let r =
        read("Syrian security forces arrested five men in Homs on Tuesday, the Interior Ministry said.", "2025-05-17");
    let e = only(&r);
    assert_eq!(e.sub_event_type, "Arrests");
    assert_eq!(e.date.start, "2025-05-13");
    let chain: Vec<&str> = e.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(chain.first(), Some(&"المرصد التجريبي"));
}

#[test]
fn no_date_in_the_text_means_the_publication_window() {
    let e = &read("اعتقلت قوات الأمن العام ثلاثة أشخاص في مدينة جبلة.", "2025-05-17").events[0];
    assert_eq!((e.date.start.as_str(), e.date.end.as_str(), e.date.precision), ("2025-05-16", "2025-05-17", 2));
    assert_eq!(e.date.text, None);
}

/// Round 17: a condition governs the rest of its sentence, the consequence included.
#[test]
fn a_condition_and_what_would_follow_from_it_are_no_events() {
    let r = read(
        "وقالت المعارضة إن القتال مستمر. وفي حال تمكنت الفصائل المقاتلة من السيطرة على بلدة جورين، يصبح بإمكانها التقدم باتجاه جبال محافظة اللاذقية.",
        "2015-08-06",
    );
    assert_eq!(types(&r), Vec::<&str>::new());
    let r = read(
        "وإذا انتزعت جماعات الجبهة الجنوبية المنظمة تنظيما جيدا السيطرة على مدينة درعا فإن ذلك سيعجل بتقدمها صوب دمشق.",
        "2015-07-25",
    );
    assert_eq!(types(&r), Vec::<&str>::new());
}

/// Round 17: «تقدماً» is progress, a state of control is no change of it, and a task is not
/// its accomplishment.
#[test]
fn progress_a_state_of_control_and_a_task_are_no_territory_change() {
    for sentence in [
        "حققت القوات العراقية تقدما في ريف الرمادي بمحافظة الأنبار أمس.",
        "قصفت الطائرات قرى تابعة لسيطرة القوات النظامية في ريف حمص الشرقي أمس.",
        "وتشارك أفواج متطوعي العشائر في العمليات العسكرية، وكلفت بالسيطرة على مدينة الرمادي.",
    ] {
        let r = read(sentence, "2015-07-21");
        assert!(!types(&r).iter().any(|t| t.contains("territory")), "{sentence}: {:?}", types(&r));
    }
}

/// Round 17: a demand governs what it asks for, not the gathering that makes it, and is that
/// gathering's word of protest.
#[test]
fn a_protest_demanding_an_execution_is_a_protest() {
    let r = read(
        "وشارك مئات السوريين في احتجاج نادر مساء السبت في مدينة اللاذقية الساحلية للمطالبة باعدام سليمان الأسد.",
        "2015-08-10",
    );
    let e = only(&r);
    assert_eq!(e.sub_event_type, "Peaceful protest");
    assert_eq!(e.location.as_ref().unwrap().admin1.as_deref(), Some("Latakia"));
}

/// Round 17's gazetteer: a Turkish province named after «إقليم» is placed there, not in the
/// country named in the next sentence.
#[test]
fn a_province_after_iqlim_is_the_events_place() {
    let r = read(
        "قالت مصادر أمنية إن جنديين تركيين قتلا عندما فجر مقاتلون أكراد لغما اليوم الثلاثاء بإقليم شرناق في جنوب شرق البلاد. وشن سلاح الجو التركي ضربات على أهداف للحزب في شمال العراق أمس.",
        "2015-08-04",
    );
    let first = &r.events[0];
    let place = first.location.as_ref().unwrap();
    assert_eq!((place.country.as_str(), place.admin1.as_deref()), ("Turkey", Some("Sirnak")), "{:?}", types(&r));
}

/// Round 18: an explosion with an accidental cause (a fuel station, fireworks) is no attack;
/// a car bomb beside a fuel station still is.
#[test]
fn an_explosion_at_a_fuel_station_is_an_accident() {
    codes_nothing(
        &[
            "قالت دائرة الإطفاء في غانا إن انفجارا وقع في محطة للوقود بالعاصمة أكرا ليلة أمس الأربعاء وأسفر عن مقتل نحو 90 شخصا.",
            "أصيب أحد منسوبي الدفاع المدني بمحافظة جدة أثناء إنقاذ أطفال من الألعاب النارية، فيما انفجرت إحداها في وجهه.",
        ],
        "2015-07-23",
    );
    let r = read("انفجرت سيارة مفخخة قرب محطة وقود في مدينة حلب أمس.", "2015-07-23");
    assert_eq!(only(&r).sub_event_type, "Remote explosive/landmine/IED");
}

/// Round 18: kinds of acts named in a row are a general statement, not events.
#[test]
fn kinds_of_acts_in_a_row_are_no_events() {
    codes_nothing(
        &[
            "ومنذ اجتياح الميليشيات لصنعاء تعرض الصحفيون للتهديد والخطف والضرب في مدينة صنعاء.",
            "وتولى التنظيم في مدينة جدة كبر الفساد والاعتداء والتكفير والتفجير ومحاولة تشويه صورة الدين.",
        ],
        "2015-08-05",
    );
}

/// Round 18: a place in a direction from a city of another province only says where the place
/// before it lies; fighter jets that shell make an air strike.
#[test]
fn a_protest_in_a_province_south_of_a_capital_is_in_the_province() {
    let r = read("تظاهر أمس المئات بمحافظة ذي قار جنوب بغداد، مطالبين بمحاكمة المسؤولين.", "2015-07-27");
    assert_eq!(only(&r).location.as_ref().unwrap().admin1.as_deref(), Some("Dhi Qar"));
    let r = read("قصفت مقاتلات التحالف اليوم مواقع للحوثيين في مدينة تعز.", "2015-08-03");
    assert_eq!(only(&r).sub_event_type, "Air/drone strike");
}

/// Round 18: an advance under way takes no place yet.
#[test]
fn an_advance_under_way_is_no_territory_change() {
    let r = read(
        "فيما تمكنت القوات العراقية أمس من تحرير مبنى جامعة الأنبار من تنظيم داعش، وذلك أثناء تقدمها باتجاه حي التأميم في مدينة الرمادي مركز محافظة الأنبار.",
        "2015-07-27",
    );
    let triggers: Vec<&str> = r.events.iter().map(|e| e.trigger.text.as_str()).collect();
    assert!(!triggers.contains(&"تقدمها"), "{triggers:?}");
}

/// Round 19: control named as a state, a background or a refusal is no change of territory.
#[test]
fn control_from_which_a_place_is_freed_or_told_as_background_is_no_takeover() {
    for sentence in [
        "وأعلنت قيادة العمليات عن تحرير طريق مهم يربط بين البلدتين شمالي مدينة الرمادي من سيطرة تنظيم داعش.",
        "قتل القيادي أثناء هروبه إلى جزيرة الخالدية شرق مدينة الرمادي التي سيطر عليها تنظيم داعش منذ عدة أشهر.",
        "ويشعر أهالي بلدة صدد بقلق كبير بعد سيطرة التنظيم على بلدات الحدث وحوارين ومهين.",
        "وقال إن دول الخليج لن يسمحوا لإيران بالسيطرة على مدينة عدن.",
        "وتفجرت الأحداث في قرية الجنادية شمال مدينة صنعاء عندما سعى الانقلابيون إلى اعتقال عدد من أبنائها.",
    ] {
        let r = read(sentence, "2015-08-01");
        let found: Vec<(&str, &str)> =
            r.events.iter().map(|e| (e.sub_event_type.as_str(), e.trigger.text.as_str())).collect();
        assert!(
            !found.iter().any(|(t, _)| ["Non-state actor overtakes territory", "Arrests"].contains(t)),
            "{sentence}: {found:?}"
        );
    }
    let r = read("سيطر تنظيم داعش أمس على مدينة القريتين في ريف حمص بعد اشتباكات عنيفة.", "2015-08-06");
    assert!(types(&r).contains(&"Non-state actor overtakes territory"), "{:?}", types(&r));
}

/// Round 19: a generic word of the same type in a clause of another province is another event.
#[test]
fn protests_told_one_after_another_in_two_provinces_are_two_events() {
    let r = read(
        "وتظاهر المئات من أهالي محافظة البصرة أمس احتجاجا على انقطاع الكهرباء، كما شهدت مدينة كربلاء تظاهرة أخرى شارك فيها المئات للمطالبة بحل أزمة الكهرباء.",
        "2015-08-01",
    );
    let provinces: Vec<Option<&str>> =
        r.events.iter().map(|e| e.location.as_ref().and_then(|l| l.admin1.as_deref())).collect();
    assert_eq!(types(&r), ["Peaceful protest", "Peaceful protest"], "{provinces:?}");
    assert_ne!(provinces[0], provinces[1]);
}

/// Round 20: an event named as the time reference of something else, by a demonstrative, in a
/// plan told in the past or as a consequence of another act, and words of speech (negatively,
/// the front lines, dividing the ranks, a stance praised, control held tightly) code nothing of
/// their own.
#[test]
fn references_plans_consequences_and_figures_of_speech_are_no_events() {
    codes_nothing(
        &[
            "وتمكنت الكويت من كشف الشبكة بعد 34 يوما من كشفها ملابسات تفجير المسجد.",
            "وخططت تلك الخلايا لتفجير سبعة مساجد في مدينتي الرياض والدمام.",
            "واستؤنف أمس جمع النفايات في بيروت بعد أزمة استمرت ستة أيام، وانعكست بالسلب على الحكومة وتسببت في خروج متظاهرين إلى الشوارع.",
            "ووضعت المليشيات عددا من الناشطين على خطوط المواجهات مع المقاومة في محافظة لحج.",
            "وحذر المفتي من دعاة الفتنة الذين يسعون إلى تفريق الصف في منطقة عسير.",
            "رئيس الجالية اليمنية: الجسر الجوي الإغاثي وتشغيل المستشفيات أثلج صدورنا\n\nوصف الشيخ مهدي حاتم النهاري رئيس الجالية اليمنية في المملكة الدور الذي تقوم به المملكة لإغاثة الشعب اليمني بالبطولي، وثمّن الوقفة الصادقة للسعودية وحكومتها ودعمها المتواصل للشعب اليمني.",
        ],
        "2015-07-31",
    );
    // Each text codes its one act alone: what the clause tells before a past event named as its
    // time, a first mention before a demonstrative, strikes made to hold control, an attack
    // whose consequence was a capture.
    for (text, published, only_type) in [
        (
            "شنت مقاتلات تركية أمس غارات على مواقع لتنظيم داعش في سوريا وذلك بعد 4 أيام على هجوم انتحاري دام نسبته الحكومة إلى التنظيم المتطرف.",
            "2015-07-25",
            "Air/drone strike",
        ),
        (
            "شنت طائرات حربية غارات على مدينة إدلب أمس. وقال ناشطون إن هذه الغارات استهدفت سوقاً شعبياً في مدينة سراقب.",
            "2015-07-31",
            "Air/drone strike",
        ),
        (
            "فيما شنت طائرات سلاح الجو الليبي الخميس، غارات على عدة محاور في بنغازي، وذلك في إطار محاولات الجيش إحكام سيطرته على المدينة الواقعة شرقي البلاد.",
            "2015-07-25",
            "Air/drone strike",
        ),
        (
            "وأعلن مقاتلو المعارضة أمس أنهم نفذوا هجوماً مباغتاً على مواقع قوات النظام ليل الاثنين - الثلاثاء، أسفر عن السيطرة على ثلاثة حواجز في الجبل الشرقي المحاذي لبلدة بلودان.",
            "2015-07-22",
            "Armed clash",
        ),
    ] {
        assert_eq!(types(&read(text, published)), [only_type], "{text}");
    }
}

/// Round 20: protests listed together in cities of several provinces are one event in each;
/// a list of cities of another act still stands for one event where its provinces are named.
#[test]
fn protests_listed_in_cities_of_several_provinces_are_one_event_each() {
    let r = read("وخرجت تظاهرات مماثلة أمس في البصرة وذي قار والحلة والنجف وجميعها في جنوب البلاد.", "2015-08-08");
    let provinces: Vec<Option<&str>> =
        r.events.iter().map(|e| e.location.as_ref().and_then(|l| l.admin1.as_deref())).collect();
    assert_eq!(types(&r), ["Peaceful protest"; 4], "{provinces:?}");
    assert_eq!(provinces.iter().collect::<std::collections::HashSet<_>>().len(), 4, "{provinces:?}");
}

/// Round 20: a recent date in a later clause that tells another act is that act's day, not the
/// day of an undated act before it.
#[test]
fn a_later_clause_dates_its_own_act_not_the_one_before() {
    let r = read(
        "وجددت قوات النظام قصفها لمناطق في بلدة قدسيا بريف دمشق دون أنباء عن إصابات، بينما اختطف مجهولون يوم أول أمس عنصراً من قوات النظام في مدينة التل.",
        "2015-07-23",
    );
    let shelling = r.events.iter().find(|e| e.event_type.starts_with("Explosions")).expect("the shelling");
    assert_eq!(shelling.date.end, "2015-07-23", "{:?}", shelling.date);
    let abduction = r.events.iter().find(|e| e.sub_event_type.starts_with("Abduction")).expect("the abduction");
    assert_eq!(abduction.date.start, "2015-07-21");
}

/// Round 20: a trigger word with a possessive pronoun («أولى غاراته»، «شنت هجماتها») is still
/// the trigger.
#[test]
fn a_trigger_with_a_possessive_pronoun_is_a_trigger() {
    let r = read("شن سلاح الجو التركي أمس أولى غاراته على مواقع لتنظيم داعش في مدينة جرابلس.", "2015-07-25");
    assert_eq!(types(&r), ["Air/drone strike"]);
}

/// Round 20: dismantling a cell or a network is arresting its members, not defusing a bomb.
#[test]
fn dismantling_a_cell_is_an_arrest() {
    let r = read(
        "أعلنت السلطات الكويتية، أمس، عن تفكيك خلية إرهابية على علاقة بتنظيم داعش، قاتل بعض أفرادها مع التنظيم في العراق وسوريا.",
        "2015-07-31",
    );
    assert_eq!(types(&r), ["Arrests"]);
}

/// Round 20: the event an act answers («ردا على غارات»، «في أعقاب غارات») was told already or
/// lies in the past: only the act is coded.
#[test]
fn the_event_an_act_answers_is_background() {
    for text in [
        "وقتل ثلاثة جنود في هجوم على ثكنة في ولاية شرناق أمس، ردا على غارات جوية تركية على مواقع الحزب في شمال العراق.",
        "وصرح داود أوغلو للصحافة أن العمليات ستتواصل، وذلك في أعقاب غارات شنها سلاح الجو التركي على مواقع للجهاديين في مدينة جرابلس.",
    ] {
        assert!(!types(&read(text, "2015-07-26")).contains(&"Air/drone strike"), "{text}");
    }
}

#[test]
fn still_is_no_negation_and_no_reports_of_an_act_are() {
    // «لا تزال» (still) holds «لا» without its sense.
    let r = read("وقال إن القوات لا تزال تبحث عن انتحاري فجر نفسه قرب عربة عسكرية في مدينة درعا.", "2015-07-23");
    assert_eq!((only(&r).sub_event_type.as_str(), only(&r).status.as_str()), ("Suicide bomb", "occurred"));
    // «لم ترد أي تقارير عن» (no reports of) negates the act it names.
    let r = read("ولم ترد أي تقارير عن وقوع اشتباكات بين المعتصمين ورجال الشرطة في اللاذقية.", "2015-08-09");
    assert_eq!(only(&r).status, "negated");
    // Strikes allowed are a policy, not an act.
    codes_nothing(
        &["وقال مسؤولون أمريكيون أمس إن الولايات المتحدة قررت السماح بضربات جوية للدفاع عن المعارضين السوريين في حلب."],
        "2015-08-03",
    );
}

#[test]
fn a_seat_of_government_listed_with_other_places_is_a_place() {
    // Ankara bare is the Turkish state; after «في إسطنبول و» it is one more city of the protests.
    let r = read("خرجت تظاهرات اليوم في إسطنبول وأنقرة وأضنة.", "2015-07-25");
    let places: Vec<_> = r.events.iter().map(|e| e.location.as_ref().unwrap().name.as_str()).collect();
    assert_eq!(places, ["Istanbul", "Ankara", "Adana"]);
    // Listed with another seat, it is still the state that strikes.
    let r = read("وتواصل الغارات التي تشنها واشنطن وأنقرة على مواقع التنظيم في الرقة.", "2015-07-25");
    assert_eq!(only(&r).location.as_ref().unwrap().name, "Raqqa");
}

#[test]
fn the_means_of_a_remembered_killing_is_background() {
    // «برصاص» tells how the killing the anniversary remembers was done: the protest is the day's
    // event, not an attack.
    let r = read(
        "تظاهر المئات في مدينة سانت لويس اليوم في ذكرى مقتل المراهق الأعزل مايكل براون برصاص شرطي أبيض.",
        "2015-08-11",
    );
    assert_eq!(types(&r), ["Peaceful protest"]);
    // Without the anniversary, the killing by gunfire is an event.
    let r = read("قتل شاب في مدينة درعا برصاص مسلحين مجهولين اليوم.", "2015-08-11");
    assert_eq!(only(&r).sub_event_type, "Attack");
}

#[test]
fn an_arrest_for_an_ordinary_crime_is_a_police_matter() {
    // A drug smuggler's arrest is no conflict event …
    codes_nothing(
        &["وأعلنت وزارة الداخلية أنه تم القبض على مواطن في الرياض إثر قيامه بتهريب كمية كبيرة من حبوب الإمفيتامين المحظورة."],
        "2015-07-31",
    );
    // … an armed group's smugglers are.
    let r =
        read("اعتقلت قوات الأمن في الرياض ثلاثة عناصر من تنظيم داعش كانوا يهربون المخدرات لتمويل التنظيم.", "2015-07-31");
    assert_eq!(only(&r).sub_event_type, "Arrests");
}

#[test]
fn commas_around_a_time_word_do_not_part_a_capture_from_its_place() {
    // «أمس،» closes a clause, but the hill the rebels took is named right after it.
    let r = read(
        "من ناحية ثانية، سيطر الثوار أمس، على تلة \"جورة الماء\" الواقعة في جبل التركمان بريف محافظة اللاذقية.",
        "2015-07-26",
    );
    let e = only(&r);
    assert_eq!(e.sub_event_type, "Non-state actor overtakes territory");
    assert_eq!(e.location.as_ref().unwrap().name, "Jabal al-Turkman");
}

#[test]
fn what_floods_do_is_no_raid_or_abduction() {
    // «داهمت السيول» (the floods swept in) and «احتجزت السيول» (the floods trapped) read as a raid
    // and an abduction without the natural force beside them.
    codes_nothing(
        &["استيقظ أهالي محافظة ضمد في جازان فجر أمس على أمطار وسيول غزيرة، حيث داهمت السيول أحياءهم فجراً ليستيقظوا على أنفسهم محاصرين بين المياه، وقامت على الفور عدد من الدوريات الأمنية بإغلاق الطريق المؤدي لتلك الأحياء.\nوشهدت منطقة جازان أمطاراً غزيرة سالت على إثرها الأودية، فيما احتجزت السيول في وادي ضمد عدداً من المركبات."],
        "2015-08-03",
    );
    // A raid by the police in the same town is one.
    let r = read("داهمت قوات الأمن أمس منزلاً في محافظة ضمد في جازان واعتقلت ثلاثة مطلوبين.", "2015-08-03");
    assert_eq!(only(&r).sub_event_type, "Arrests");
}

#[test]
fn the_act_a_trial_is_about_is_background() {
    // The bombing the accused stand trial for happened weeks before the hearing.
    codes_nothing(
        &["بدأت دائرة الجنايات في المحكمة الكلية بالكويت أمس جلسة محاكمة المتهمين في تفجير مسجد الإمام الصادق في منطقة الصوابر وعددهم 29 متهماً."],
        "2015-08-05",
    );
}
