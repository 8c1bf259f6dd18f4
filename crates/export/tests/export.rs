//! Each export format on clusters stored from real pipeline output.

use std::sync::OnceLock;

use rasd_export::{write, Format, ACLED_COLUMNS};
use rasd_pipeline::{ArticleMeta, Knowledge};
use rasd_store::{Cluster, EventQuery, Store};

fn clusters() -> Vec<Cluster> {
    static K: OnceLock<Knowledge> = OnceLock::new();
    let k = K.get_or_init(|| Knowledge::load(&rasd_kb::DataDir::embedded()).expect("knowledge loads"));
    let mut store = Store::open_in_memory().unwrap();
    let mut batch = store.batch().unwrap();
    for (text, outlet) in [
        ("قتل ثلاثة مدنيين وأصيب خمسة جراء غارة جوية روسية على مدينة جسر الشغور بريف إدلب أمس.", "منصة الشمال السوري"),
        ("اعتقلت قوات الأمن العام أمس ثلاثة أشخاص في مدينة جبلة.", "نداء الساحل"),
        ("Hundreds held a protest in Suwayda city on Friday, demanding the release of detainees.", "Levant Wire"),
    ] {
        let meta =
            ArticleMeta { published: "2025-05-17".parse().ok(), outlet: Some(outlet.into()), ..Default::default() };
        batch.put(&k.extract(text, &meta), outlet).unwrap();
    }
    batch.commit().unwrap();
    store.events(&EventQuery::default()).unwrap()
}

fn export(format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    write(format, &clusters(), &mut out).unwrap();
    out
}

#[test]
fn csv_has_acleds_header_then_rasds_and_one_row_per_cluster() {
    let out = export(Format::Csv);
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(&header[..ACLED_COLUMNS.len()], ACLED_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let strike = rows.iter().find(|r| &r[6] == "Air/drone strike").expect("the air strike row");
    assert_eq!((&strike[1], &strike[3], &strike[18], &strike[28]), ("2025-05-16", "1", "Idlib", "3"));
    assert_eq!(&strike[4], "Political violence");
    assert_eq!(&strike[15], "760", "ACLED's numeric ISO code for Syria");
}

#[test]
fn geojson_is_a_valid_feature_collection_of_points() {
    let out = String::from_utf8(export(Format::Geojson)).unwrap();
    let parsed: geojson::GeoJson = out.trim().parse().expect("valid GeoJSON");
    let geojson::GeoJson::FeatureCollection(fc) = parsed else { panic!("not a FeatureCollection") };
    assert_eq!(fc.features.len(), 3);
    for f in &fc.features {
        let Some(geojson::Geometry { value: geojson::GeometryValue::Point { coordinates }, .. }) = &f.geometry else {
            panic!("not a point")
        };
        assert!((35.0..43.0).contains(&coordinates[0]) && (32.0..38.0).contains(&coordinates[1]), "lon, lat order");
    }
}

#[test]
fn parquet_reads_back_with_typed_columns() {
    use arrow::datatypes::DataType;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let out = bytes::Bytes::from(export(Format::Parquet));
    let builder = ParquetRecordBatchReaderBuilder::try_new(out).unwrap();
    let schema = builder.schema().clone();
    let types: Vec<(String, DataType)> =
        schema.fields().iter().map(|f| (f.name().clone(), f.data_type().clone())).collect();
    assert!(types.contains(&("date_start".into(), DataType::Date32)));
    assert!(types.contains(&("latitude".into(), DataType::Float64)));
    assert!(types.contains(&("fatalities".into(), DataType::Int32)));
    assert!(types.contains(&("sub_event_type".into(), DataType::Utf8)));
    let rows: usize = builder.build().unwrap().map(|b| b.unwrap().num_rows()).sum();
    assert_eq!(rows, 3);
}

#[test]
fn jsonl_and_table_show_every_cluster() {
    let jsonl = String::from_utf8(export(Format::Jsonl)).unwrap();
    assert_eq!(jsonl.lines().count(), 3);
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert!(first["reports"][0]["evidence"]["text"].is_string());
    let table = String::from_utf8(export(Format::Table)).unwrap();
    assert_eq!(table.lines().count(), 4, "header and three rows:\n{table}");
}
