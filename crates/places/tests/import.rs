//! `rasd gazetteer import`: a GeoNames country dump written here is imported into a temporary
//! user gazetteer, which `Gazetteer::load_with_user` then reads.

use std::path::PathBuf;

use rasd_kb::DataDir;
use rasd_places::import::{import, parse_dump, Tables};
use rasd_places::user::UserGazetteer;
use rasd_places::{Gazetteer, PlaceKind};
use rasd_text::NormText;

/// A few lines of a Somali dump (`SO.txt`: the built-in gazetteer holds Somalia's towns of 15,000
/// people or more) in GeoNames' 19-column format: three populated places with Arabic alternate
/// names (the capital and two smaller towns), a wadi (class H, ignored) and a line with a bad latitude.
const DUMP: &str = "\
53654\tMogadishu\tMogadishu\tMogadiscio,Muqdisho,Xamar,مقديشو,مقدیشو\t2.03711\t45.34375\tP\tPPLC\tSO\t\t02\t\t\t\t2587183\t\t9\tAfrica/Mogadishu\t2023-01-04
60928\tDhuusamarreeb\tDhuusamarreeb\tDhusamareb,Dhuusa Mareeb,دوسامارب,دوسمارب\t5.53597\t46.38666\tP\tPPLA\tSO\t\t05\t\t\t\t9000\t\t320\tAfrica/Mogadishu\t2022-05-01
63081\tCaluula\tCaluula\tAlula,Caluula,علولة\t11.96611\t50.75694\tP\tPPL\tSO\t\t03\t\t\t\t6100\t\t5\tAfrica/Mogadishu\t2021-11-30
51000\tWebi Shabeelle\tWebi Shabeelle\tShebelle River,نهر شبيلي\t2.0\t45.0\tH\tSTM\tSO\t\t02\t\t\t\t0\t\t0\tAfrica/Mogadishu\t2012-01-18
99999\tBroken\tBroken\t\tnorth\t44.0\tP\tPPL\tSO\t\t02\t\t\t\t0\t\t0\tAfrica/Mogadishu\t2012-01-18
";

/// A fresh directory under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rasd-places-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary directory");
    dir
}

fn names(gaz: &Gazetteer, text: &str) -> Vec<(String, String, String)> {
    gaz.find(text, &NormText::new(text))
        .iter()
        .map(|m| {
            let p = gaz.place(m.place);
            (m.span.slice(text).to_string(), p.name.clone(), p.iso3.clone())
        })
        .collect()
}

#[test]
fn imported_places_are_found_in_arabic_and_english() {
    let dir = scratch("import");
    let (dump, user) = (dir.join("SO.txt"), dir.join("home/gazetteer.tsv"));
    std::fs::write(&dump, DUMP).unwrap();
    let data = DataDir::embedded();

    let report = import(&data, &dump, &user).expect("import runs");
    assert_eq!((report.read, report.merged.added, report.merged.updated, report.total), (5, 3, 0, 3));
    assert_eq!(report.ignored.get(&'H'), Some(&1));
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    let bad = report.skipped[0].to_string();
    assert!(bad.ends_with("SO.txt:5: latitude \"north\" is not a coordinate"), "{bad}");

    // Idempotent: the second import adds nothing and leaves the file as it was.
    let first = std::fs::read_to_string(&user).unwrap();
    let again = import(&data, &dump, &user).expect("import runs");
    assert_eq!((again.merged.added, again.merged.updated, again.merged.unchanged, again.total), (0, 0, 3, 3));
    assert_eq!(std::fs::read_to_string(&user).unwrap(), first);

    let stored = UserGazetteer::read(&user).unwrap();
    let ids: Vec<u64> = stored.places().map(|p| p.geonameid).collect();
    assert_eq!(ids, [53654, 60928, 63081], "sorted by geonameid");
    let dhusamareb = stored.places().find(|p| p.geonameid == 60928).unwrap();
    assert_eq!((dhusamareb.place.name_ar.as_deref(), dhusamareb.place.kind), (Some("دوسامارب"), PlaceKind::City));
    // An admin1 code the built-in tables name takes the name (SO.03 is Bari); one they lack stays a code.
    assert_eq!((dhusamareb.place.country.as_str(), dhusamareb.place.admin1.as_deref()), ("Somalia", Some("05")));
    let caluula = stored.places().find(|p| p.geonameid == 63081).unwrap();
    assert_eq!(caluula.place.admin1.as_deref(), Some("Bari"));

    let builtin = Gazetteer::load(&data).unwrap();
    let gaz = Gazetteer::load_with_user(&data, Some(&user)).expect("loads with the user gazetteer");
    // The built-in gazetteer knows Somalia's capital and larger towns; the user's import adds the
    // two smaller towns, and its Mogadishu row (the same GeoNames id) leaves the built-in one in place.
    assert_eq!(gaz.places().len(), builtin.places().len() + 2);
    let ar = "قتلى في هجوم على مدينة دوسمارب شمال مقديشو";
    let en = "Al-Shabaab fighters attacked Dhusamareb after clashes near Caluula and Mogadishu.";
    let som = |n: &str, s: &str| (s.to_string(), n.to_string(), "SOM".to_string());
    assert_eq!(names(&builtin, ar), [som("Mogadishu", "مقديشو")]);
    assert_eq!(names(&builtin, en), [som("Mogadishu", "Mogadishu")]);
    assert_eq!(names(&gaz, ar), [som("Dhuusamarreeb", "دوسمارب"), som("Mogadishu", "مقديشو")]);
    assert_eq!(
        names(&gaz, en),
        [som("Dhuusamarreeb", "Dhusamareb"), som("Caluula", "Caluula"), som("Mogadishu", "Mogadishu")]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_user_file_adds_nothing_and_a_malformed_one_is_named() {
    let dir = scratch("user");
    let data = DataDir::embedded();
    let missing = dir.join("none.tsv");
    let builtin = Gazetteer::load(&data).unwrap().places().len();
    assert_eq!(Gazetteer::load_with_user(&data, Some(&missing)).unwrap().places().len(), builtin);
    let bad = dir.join("gazetteer.tsv");
    std::fs::write(&bad, "geonameid\tname\n1\tX\n").unwrap();
    let e = Gazetteer::load_with_user(&data, Some(&bad)).unwrap_err();
    assert!(e.to_string().contains("gazetteer.tsv") && e.to_string().contains("missing column"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn any_bytes_parse_without_panicking() {
    let tables = Tables::load(&DataDir::embedded()).unwrap();
    for bytes in [&b"\xff\xfe\t\t\n\n1\t\t"[..], b"", b"\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t", DUMP.as_bytes()] {
        let dump = parse_dump(&tables, "x.txt", bytes);
        assert!(dump.places.len() + dump.skipped.len() + dump.ignored.values().sum::<usize>() == dump.read);
    }
}
