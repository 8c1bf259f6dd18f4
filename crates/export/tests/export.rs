//! Each export format on clusters stored from real pipeline output, checked as pandas, pyarrow
//! and geopandas would read them: the contract's columns, in order, with the right types.

use std::sync::OnceLock;

use rasd_export::{acled_columns, write, ColumnType, Format, Written, COLUMNS};
use rasd_pipeline::{ArticleMeta, Knowledge};
use rasd_store::{Cluster, EventQuery, Store};

/// Four events: an air strike in Idlib, arrests in Jableh, a protest in Suwayda, and the same
/// air strike's reading from another article with its place taken away (an event rasd could
/// not place) and its actors swapped (the victims first).
fn clusters() -> Vec<Cluster> {
    static K: OnceLock<Knowledge> = OnceLock::new();
    let k = K.get_or_init(|| Knowledge::load(&rasd_kb::DataDir::embedded()).expect("knowledge loads"));
    let mut store = Store::open_in_memory().unwrap();
    let mut batch = store.batch().unwrap();
    let strike = "قتل ثلاثة مدنيين وأصيب خمسة جراء غارة جوية شنها الطيران الروسي على مدينة جسر الشغور بريف إدلب أمس.";
    for (text, outlet) in [
        (strike, "منصة الشمال السوري"),
        ("اعتقلت قوات الأمن العام أمس ثلاثة أشخاص في مدينة جبلة.", "نداء الساحل"),
        ("Hundreds held a protest in Suwayda city on Friday, demanding the release of detainees.", "Levant Wire"),
    ] {
        let meta =
            ArticleMeta { published: "2025-05-17".parse().ok(), outlet: Some(outlet.into()), ..Default::default() };
        batch.put(&k.extract(text, &meta), outlet).unwrap();
    }
    let meta =
        ArticleMeta { published: "2024-01-09".parse().ok(), outlet: Some("Unplaced".into()), ..Default::default() };
    let mut unplaced = k.extract(&format!("{strike}\n\nنشرة أخرى."), &meta);
    let event = &mut unplaced.events[0];
    event.location = None;
    std::mem::swap(&mut event.actor1, &mut event.actor2);
    batch.put(&unplaced, "Unplaced").unwrap();
    batch.commit().unwrap();
    store.events(&EventQuery::default()).unwrap()
}

fn export(format: Format) -> (Vec<u8>, Written) {
    let mut out = Vec::new();
    let written = write(format, &clusters(), &mut out).unwrap();
    (out, written)
}

fn index(name: &str) -> usize {
    COLUMNS.iter().position(|c| c.name == name).unwrap()
}

#[test]
fn csv_has_acleds_columns_then_rasds_and_every_located_event() {
    let (out, written) = export(Format::Csv);
    assert_eq!(written, Written { events: 3, left_out: 1 }, "the event without a place is counted, not hidden");
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>());
    assert_eq!(header[..31], acled_columns().collect::<Vec<_>>()[..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let strike = rows.iter().find(|r| &r[index("sub_event_type")] == "Air/drone strike").expect("the air strike row");
    let cell = |name| &strike[index(name)];
    assert_eq!(
        (cell("event_date"), cell("time_precision"), cell("admin1"), cell("fatalities")),
        ("2025-05-16", "1", "Idlib", "3")
    );
    assert_eq!((cell("disorder_type"), cell("iso"), cell("region")), ("Political violence", "760", "Middle East"));
    assert!(cell("event_id_cnty").starts_with("SYR") && cell("event_id_cnty").ends_with(cell("rasd_cluster_id")));
    assert_eq!((cell("inter1"), cell("inter2")), ("State forces", "Civilians"));
    assert_eq!(cell("interaction"), "State forces-Civilians");
    assert_eq!(cell("civilian_targeting"), "Civilian targeting");
}

/// The dtype pandas infers for a CSV column: int64 only when every value is a whole number
/// (one blank makes it float64).
fn pandas_dtype(values: &[&str]) -> &'static str {
    if values.iter().all(|v| v.parse::<i64>().is_ok()) {
        "int64"
    } else if values.iter().all(|v| v.is_empty() || v.parse::<f64>().is_ok()) {
        "float64"
    } else {
        "object"
    }
}

#[test]
fn csv_integer_columns_load_as_integers() {
    let (out, _) = export(Format::Csv);
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for (i, column) in COLUMNS.iter().enumerate() {
        let values: Vec<&str> = rows.iter().map(|r| &r[i]).collect();
        match column.kind {
            ColumnType::Integer if !["injured"].contains(&column.name) => {
                assert_eq!(pandas_dtype(&values), "int64", "{}: {values:?}", column.name)
            }
            ColumnType::Float => assert_eq!(pandas_dtype(&values), "float64", "{}: {values:?}", column.name),
            ColumnType::Date => {
                assert!(
                    values.iter().all(|v| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok()),
                    "{}",
                    column.name
                )
            }
            _ => {}
        }
    }
}

#[test]
fn geojson_holds_every_event_with_the_contracts_properties() {
    let (out, written) = export(Format::Geojson);
    assert_eq!(written.left_out, 0);
    let text = String::from_utf8(out).unwrap();
    let parsed: geojson::GeoJson = text.trim().parse().expect("valid GeoJSON");
    let geojson::GeoJson::FeatureCollection(fc) = parsed else { panic!("not a FeatureCollection") };
    assert_eq!(fc.features.len(), 4);
    let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    names.sort_unstable();
    let mut unplaced = 0;
    for f in &fc.features {
        let properties = f.properties.as_ref().unwrap();
        let mut keys: Vec<&str> = properties.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, names);
        match &f.geometry {
            Some(geojson::Geometry { value: geojson::GeometryValue::Point { coordinates }, .. }) => {
                assert!(
                    (35.0..43.0).contains(&coordinates[0]) && (32.0..38.0).contains(&coordinates[1]),
                    "lon, lat order"
                );
                assert_eq!(properties["iso"], 760);
                assert_eq!(properties["longitude"].as_f64(), Some((coordinates[0] * 1e4).round() / 1e4));
            }
            None => {
                unplaced += 1;
                assert!(properties["event_id_cnty"].as_str().unwrap().starts_with("XXX"));
                assert!(properties["iso"].is_null() && properties["latitude"].is_null());
                assert_eq!(
                    (&properties["inter1"], &properties["inter2"]),
                    (&"Civilians".into(), &"State forces".into())
                );
                assert_eq!(properties["interaction"], "State forces-Civilians", "the lower ACLED code first");
            }
            Some(other) => panic!("not a point: {other:?}"),
        }
        assert!(properties["timestamp"].is_i64() && properties["year"].is_i64() && properties["fatalities"].is_i64());
    }
    assert_eq!(unplaced, 1, "the event without a place has a null geometry");
}

#[test]
fn parquet_has_the_contracts_schema_and_every_event() {
    use arrow::datatypes::DataType;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let (out, _) = export(Format::Parquet);
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(out)).unwrap();
    let schema = builder.schema().clone();
    assert_eq!(schema.fields().len(), COLUMNS.len());
    for (field, column) in schema.fields().iter().zip(COLUMNS) {
        let expected = match column.kind {
            ColumnType::Text => DataType::Utf8,
            ColumnType::Integer => DataType::Int64,
            ColumnType::Float => DataType::Float64,
            ColumnType::Date => DataType::Date32,
        };
        assert_eq!(
            (field.name().as_str(), field.data_type(), field.is_nullable()),
            (column.name, &expected, column.nullable)
        );
    }
    for name in ["geo_precision", "iso", "timestamp", "fatalities"] {
        assert_eq!(schema.field_with_name(name).unwrap().data_type(), &DataType::Int64, "{name}");
    }
    let batches: Vec<_> = builder.build().unwrap().map(Result::unwrap).collect();
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 4);
    let iso = batches[0].column(index("iso")).as_any().downcast_ref::<arrow::array::Int64Array>().unwrap();
    assert_eq!((arrow::array::Array::null_count(iso), iso.iter().flatten().collect::<Vec<_>>()), (1, vec![760; 3]));
}

#[test]
fn jsonl_and_table_show_every_cluster() {
    let (jsonl, _) = export(Format::Jsonl);
    let jsonl = String::from_utf8(jsonl).unwrap();
    assert_eq!(jsonl.lines().count(), 4);
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert!(first["reports"][0]["evidence"]["text"].is_string());
    let (table, _) = export(Format::Table);
    let table = String::from_utf8(table).unwrap();
    assert_eq!(table.lines().count(), 5, "header and four rows:\n{table}");
}

/// The contract's table as `docs/data-contract.md` shows it.
fn contract_table() -> String {
    let mut table = String::from("| # | column | type | may be empty | meaning |\n|---|---|---|---|---|\n");
    for (i, c) in COLUMNS.iter().enumerate() {
        let kind = match c.kind {
            ColumnType::Text => "text",
            ColumnType::Integer => "integer",
            ColumnType::Float => "float",
            ColumnType::Date => "date",
        };
        let origin = if c.acled { "" } else { " (rasd)" };
        let empty = if c.nullable { "yes" } else { "no" };
        table.push_str(&format!("| {} | `{}`{origin} | {kind} | {empty} | {} |\n", i + 1, c.name, c.meaning));
    }
    table
}

#[test]
fn the_documented_contract_is_the_one_exported() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/data-contract.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- columns:start -->\n", "<!-- columns:end -->");
    let from = doc.find(start).expect("the start marker") + start.len();
    let to = doc.find(end).expect("the end marker");
    if std::env::var_os("RASD_BLESS").is_some() {
        std::fs::write(&path, format!("{}{}{}", &doc[..from], contract_table(), &doc[to..])).unwrap();
    } else {
        assert_eq!(
            doc[from..to],
            contract_table(),
            "docs/data-contract.md is stale: rerun this test with RASD_BLESS=1"
        );
    }
}
