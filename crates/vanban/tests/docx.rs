//! DOCX output, checked by unzipping it and reading back `word/document.xml`.

mod common;

use std::io::Read;

fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("docx is a zip");
    let mut file = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in docx"));
    let mut xml = String::new();
    file.read_to_string(&mut xml).expect("utf-8 xml");
    xml
}

fn document_xml(example: &str) -> String {
    let bytes = vanban::render_docx(&common::example(example)).expect("renders");
    part(&bytes, "word/document.xml")
}

/// The run properties of the first run whose text contains `needle`.
fn run_props<'a>(xml: &'a str, needle: &str) -> &'a str {
    let at = xml
        .find(&format!(">{needle}"))
        .or_else(|| xml.find(needle))
        .unwrap_or_else(|| panic!("text {needle:?} not in document.xml"));
    let start = xml[..at].rfind("<w:r>").expect("run start");
    let props_end = xml[start..at].find("</w:rPr>").map_or(at, |i| start + i);
    &xml[start..props_end]
}

fn attr(xml: &str, element: &str, name: &str) -> Option<String> {
    let at = xml.find(&format!("<{element} "))?;
    let rest = &xml[at..];
    let end = rest.find('>')?;
    let tag = &rest[..end];
    let key = format!("{name}=\"");
    let v = tag.find(&key)? + key.len();
    Some(tag[v..].split('"').next()?.to_owned())
}

#[test]
fn margins_and_paper_in_twips() {
    let xml = document_xml("bao-cao-an-toan-antt");
    assert_eq!(
        attr(&xml, "w:pgMar", "w:top").as_deref(),
        Some("1134"),
        "20 mm"
    );
    assert_eq!(
        attr(&xml, "w:pgMar", "w:bottom").as_deref(),
        Some("1134"),
        "20 mm"
    );
    assert_eq!(
        attr(&xml, "w:pgMar", "w:left").as_deref(),
        Some("1701"),
        "30 mm"
    );
    assert_eq!(
        attr(&xml, "w:pgMar", "w:right").as_deref(),
        Some("850"),
        "15 mm"
    );
    assert_eq!(
        attr(&xml, "w:pgSz", "w:w").as_deref(),
        Some("11906"),
        "A4 width"
    );
    assert_eq!(
        attr(&xml, "w:pgSz", "w:h").as_deref(),
        Some("16838"),
        "A4 height"
    );
}

#[test]
fn times_new_roman_on_all_four_slots() {
    for name in common::EXAMPLES {
        let xml = document_xml(name);
        let mut count = 0;
        for (i, _) in xml.match_indices("<w:rFonts ") {
            let tag = &xml[i..i + xml[i..].find('>').unwrap()];
            for slot in ["w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"] {
                assert!(
                    tag.contains(&format!("{slot}=\"Times New Roman\"")),
                    "{name}: {slot} missing in {tag}"
                );
            }
            count += 1;
        }
        assert!(count > 10, "{name}: only {count} runs carry fonts");
    }
}

#[test]
fn state_header_sizes_and_weights() {
    let xml = document_xml("bao-cao-an-toan-antt");
    let national = run_props(&xml, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert!(
        national.contains("<w:sz w:val=\"26\" />"),
        "quốc hiệu 13 pt: {national}"
    );
    assert!(national.contains("<w:b />"), "quốc hiệu bold: {national}");
    let motto = run_props(&xml, "Độc lập - Tự do - Hạnh phúc");
    assert!(
        motto.contains("<w:sz w:val=\"28\" />") && motto.contains("<w:b />"),
        "{motto}"
    );
    let issuer = run_props(&xml, "SỞ TÀI CHÍNH");
    assert!(issuer.contains("<w:b />"), "{issuer}");
    let parent = run_props(&xml, "ỦY BAN NHÂN DÂN TỈNH THANH HÓA");
    assert!(
        !parent.contains("<w:b />"),
        "parent body is not bold: {parent}"
    );
    let number = run_props(&xml, "Số: 85/BC-STC");
    assert!(number.contains("<w:sz w:val=\"26\" />"), "{number}");
    let date = run_props(&xml, "Thanh Hóa, ngày 05 tháng 11 năm 2026");
    assert!(
        date.contains("<w:i />") && !date.contains("<w:b />"),
        "{date}"
    );
    let title = run_props(&xml, "BÁO CÁO");
    assert!(title.contains("<w:b />"), "{title}");
}

#[test]
fn noi_nhan_label_and_list() {
    let xml = document_xml("bao-cao-an-toan-antt");
    let label = run_props(&xml, "Nơi nhận:");
    assert!(label.contains("<w:sz w:val=\"24\" />"), "12 pt: {label}");
    assert!(
        label.contains("<w:b />") && label.contains("<w:i />"),
        "{label}"
    );
    let list = run_props(&xml, "- Như trên;");
    assert!(list.contains("<w:sz w:val=\"22\" />"), "11 pt: {list}");
    assert!(
        xml.contains("- Lưu: VT, VP."),
        "last line ends with a full stop"
    );
}

#[test]
fn body_is_justified_with_first_line_indent() {
    let xml = document_xml("bao-cao-an-toan-antt");
    assert!(xml.contains("<w:jc w:val=\"both\" />"));
    assert!(xml.contains("w:firstLine=\"720\""), "1.27 cm indent");
    let body = run_props(&xml, "Thực hiện Thông tư số 124/2021/TT-BCA");
    assert!(
        body.contains("<w:sz w:val=\"28\" />") && !body.contains("<w:b />"),
        "{body}"
    );
}

#[test]
fn signer_block() {
    let xml = document_xml("cong-van-19-8");
    for line in [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Đức Thắng",
    ] {
        let props = run_props(&xml, line);
        assert!(props.contains("<w:b />"), "{line}: {props}");
    }
    assert!(xml.contains("Số: 126/UBND-NC"));
    assert!(xml.contains("V/v tăng cường"));
    assert!(xml.contains(">KHẨN<"));
}

#[test]
fn page_number_header_skips_the_title_page() {
    let bytes = vanban::render_docx(&common::example("ke-hoach-bao-ve-tet")).unwrap();
    let xml = part(&bytes, "word/document.xml");
    assert!(xml.contains("<w:titlePg"), "distinct first page");
    assert!(
        xml.contains("w:type=\"first\""),
        "first-page header referenced"
    );
    let headers: Vec<String> = (1..=2)
        .map(|i| part(&bytes, &format!("word/header{i}.xml")))
        .collect();
    assert!(
        headers.iter().any(|h| h.contains("PAGE")),
        "PAGE field in a header"
    );
    assert!(
        headers.iter().any(|h| !h.contains("PAGE")),
        "an empty first-page header"
    );
}

#[test]
fn party_header_and_number() {
    let xml = document_xml("ke-hoach-bao-ve-tet");
    let title = run_props(&xml, "ĐẢNG CỘNG SẢN VIỆT NAM");
    assert!(
        title.contains("<w:sz w:val=\"30\" />") && title.contains("<w:b />"),
        "{title}"
    );
    assert!(xml.contains(">Số 12-KH/VPTU<"));
    assert!(xml.contains(">*<"), "asterisk under the issuing body");
    assert!(xml.contains("K/T CHÁNH VĂN PHÒNG"));
    let label = run_props(&xml, "Nơi nhận:");
    assert!(
        label.contains("<w:u "),
        "Party 'Nơi nhận' is underlined: {label}"
    );
}

#[test]
fn xml_special_characters_are_escaped() {
    let mut doc = common::example("cong-van-19-8");
    doc.body.insert(
        0,
        vanban::Block::Paragraph {
            text: "Điều kiện: a < b & c > d \"trích dẫn\"".to_owned(),
        },
    );
    let bytes = vanban::render_docx(&doc).unwrap();
    let xml = part(&bytes, "word/document.xml");
    assert!(xml.contains("a &lt; b &amp; c &gt; d"), "escaped text");
}
