//! Parsing and validation of document input, through the public API.

mod common;

use vanban::{Document, DocumentType, Error, Format};

fn minimal(format: &str, doc_type: &str) -> serde_json::Value {
    serde_json::json!({
        "format": format,
        "type": doc_type,
        "issuer": { "parent": "Ủy ban nhân dân tỉnh Thanh Hóa", "name": "Sở Tư pháp", "abbreviation": "STP" },
        "number": 3,
        "place": "Thanh Hóa",
        "date": "2026-03-05",
        "summary": "Kiểm tra",
        "body": [{ "kind": "paragraph", "text": "Nội dung." }],
        "signer": { "position": "Giám đốc", "name": "Lê Thị Hoa" }
    })
}

#[test]
fn every_example_parses() {
    for name in common::EXAMPLES {
        let doc = common::example(name);
        assert!(!doc.body.is_empty(), "{name}");
    }
    assert_eq!(common::example("ke-hoach-bao-ve-tet").format, Format::Party);
    assert_eq!(
        common::example("cong-van-19-8").doc_type,
        DocumentType::CongVan
    );
}

#[test]
fn unknown_type_is_a_clear_error() {
    let text = minimal("state", "XX").to_string();
    let e = Document::from_json(&text).unwrap_err();
    assert!(
        matches!(e, Error::UnknownDocumentType { ref code, .. } if code == "XX"),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("loại văn bản không xác định") && msg.contains("\"XX\""),
        "{msg}"
    );
}

#[test]
fn type_outside_the_format_is_rejected() {
    // Giấy mời has no abbreviation in the Party profile.
    let e = Document::from_json(&minimal("party", "GM").to_string()).unwrap_err();
    assert!(matches!(e, Error::TypeNotInFormat { .. }), "{e:?}");
}

#[test]
fn malformed_json_reports_the_position() {
    let e = Document::from_json("{\"format\": \"state\",\n \"type\": ").unwrap_err();
    match e {
        Error::Json { line, .. } => assert_eq!(line, 2),
        other => panic!("expected a JSON error, got {other:?}"),
    }
    assert!(
        Document::from_json("[1, 2]")
            .unwrap_err()
            .to_string()
            .starts_with("dữ liệu văn bản không hợp lệ")
    );
}

#[test]
fn body_too_large_is_rejected() {
    let mut v = minimal("state", "KH");
    let paragraph = serde_json::json!({ "kind": "paragraph", "text": "a".repeat(1000) });
    v["body"] = serde_json::Value::Array(vec![paragraph; vanban::MAX_BODY_CHARS / 1000 + 1]);
    let e = Document::from_json(&v.to_string()).unwrap_err();
    assert!(matches!(e, Error::BodyTooLarge { .. }), "{e:?}");
    assert!(e.to_string().starts_with("nội dung văn bản quá lớn"), "{e}");
}

#[test]
fn deep_nesting_is_rejected() {
    let mut block = serde_json::json!({ "kind": "paragraph", "text": "x" });
    for _ in 0..vanban::MAX_DEPTH + 1 {
        block = serde_json::json!({ "kind": "section", "label": "1.", "title": "t", "blocks": [block] });
    }
    let mut v = minimal("state", "KH");
    v["body"] = serde_json::Value::Array(vec![block]);
    let e = Document::from_json(&v.to_string()).unwrap_err();
    assert!(matches!(e, Error::BodyTooLarge { .. }), "{e:?}");
}

#[test]
fn oversized_input_is_rejected_before_parsing() {
    let text = " ".repeat(vanban::MAX_INPUT_BYTES + 1);
    assert!(matches!(
        Document::from_json(&text),
        Err(Error::InputTooLarge { .. })
    ));
}

#[test]
fn state_cong_van_needs_a_drafting_unit() {
    let e = Document::from_json(&minimal("state", "CV").to_string()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Invalid {
                field: "issuer.drafting_unit",
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn party_format_has_no_tuq() {
    let mut v = minimal("party", "KH");
    v["signer"]["authority"] = serde_json::json!([{ "prefix": "TUQ", "of": "Bí thư" }]);
    let e = Document::from_json(&v.to_string()).unwrap_err();
    assert!(matches!(e, Error::AuthorityNotInFormat { .. }), "{e:?}");
}

#[test]
fn ragged_table_is_rejected() {
    let mut v = minimal("state", "BC");
    v["body"] = serde_json::json!([{ "kind": "table", "header": ["A", "B"], "rows": [["1"]] }]);
    let e = Document::from_json(&v.to_string()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Invalid {
                field: "table.rows",
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn render_file_rejects_unknown_extension() {
    let dir = common::scratch("ext");
    let out = dir.join("out.odt");
    let e = vanban::render_file(&common::example_path("cong-van-19-8"), &out).unwrap_err();
    assert!(matches!(e, Error::UnsupportedOutput(_)), "{e:?}");
}

#[test]
fn render_file_reports_a_missing_input() {
    let dir = common::scratch("missing");
    let e = vanban::render_file(&dir.join("none.json"), &dir.join("out.pdf")).unwrap_err();
    assert!(matches!(e, Error::Read { .. }), "{e:?}");
    assert!(e.to_string().starts_with("không đọc được tệp"));
}

#[test]
fn profiles_load_with_values_in_their_ranges() {
    for p in vanban::profile::all().expect("profiles load") {
        let page = &p.page;
        for v in [&page.top_mm, &page.bottom_mm, &page.left_mm, &page.right_mm] {
            if let Some([lo, hi]) = v.range {
                assert!((lo..=hi).contains(&v.value), "{}: {v:?}", p.id);
            }
            assert!(!v.source.is_empty());
        }
    }
}

#[test]
fn state_profile_matches_the_decree() {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let p = vanban::profile::select(Format::State, date).unwrap();
    let m = &p.page;
    assert!((20.0..=25.0).contains(&m.top_mm.value));
    assert!((20.0..=25.0).contains(&m.bottom_mm.value));
    assert!((30.0..=35.0).contains(&m.left_mm.value));
    assert!((15.0..=20.0).contains(&m.right_mm.value));
    let t = &p.text;
    assert!([12.0, 13.0].contains(&t.national_title.size) && t.national_title.bold);
    assert!([13.0, 14.0].contains(&t.motto.size) && t.motto.bold);
    assert!(
        t.distribution_label.size == 12.0
            && t.distribution_label.bold
            && t.distribution_label.italic
    );
    assert_eq!(t.distribution_list.size, 11.0);
    assert_eq!(p.page_number.from_page.value, 2);
    for code in [
        "KH", "BC", "NQ", "QĐ", "TB", "TTr", "PA", "HD", "CT", "QyĐ", "CTr", "BB", "GM", "GGT",
        "CĐ",
    ] {
        let t = DocumentType::parse(code).unwrap();
        assert_eq!(p.abbreviation_for(t), Some(code), "{code}");
    }
    assert_eq!(p.abbreviation_for(DocumentType::CongVan), Some(""));
}

#[test]
fn party_profile_prints_qd_for_a_quy_dinh() {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let p = vanban::profile::select(Format::Party, date).unwrap();
    assert_eq!(p.abbreviation_for(DocumentType::QuyDinh), Some("QĐ"));
    assert_eq!(p.abbreviation_for(DocumentType::CongVan), Some("CV"));
    assert_eq!(p.authority_prefix(vanban::Authority::Tm), Some("T/M"));
}
