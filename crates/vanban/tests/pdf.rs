//! PDF output: text extraction with `pdftotext`, fonts with `pdffonts`, and page 1
//! rasterised with `pdftoppm` and compared with a committed reference image.
//!
//! Set `VANBAN_UPDATE_REFERENCE=1` to rewrite the reference images after an
//! intended layout change (then look at them before committing).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn render_to(example: &str, dir: &Path) -> PathBuf {
    let pdf = vanban::render_pdf(&common::example(example)).expect("renders");
    assert!(pdf.starts_with(b"%PDF-"), "PDF header");
    let path = dir.join(format!("{example}.pdf"));
    std::fs::write(&path, pdf).expect("write pdf");
    path
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().expect("tool runs");
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn page_text(pdf: &Path, page: u32) -> String {
    let p = page.to_string();
    let text = run(
        "pdftotext",
        &["-f", &p, "-l", &p, "-layout", pdf.to_str().unwrap(), "-"],
    );
    // Collapse runs of spaces so assertions do not depend on column positions.
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_example_renders() {
    for name in common::EXAMPLES {
        let pdf = vanban::render_pdf(&common::example(name)).unwrap();
        assert!(pdf.len() > 5_000, "{name}: {} bytes", pdf.len());
    }
}

#[test]
fn state_text_with_diacritics() {
    if !common::tool_available("pdftotext") {
        return;
    }
    let dir = common::scratch("state-text");
    let pdf = render_to("bao-cao-an-toan-antt", &dir);
    let text = page_text(&pdf, 1);
    for expected in [
        "ỦY BAN NHÂN DÂN TỈNH",
        "SỞ TÀI CHÍNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 85/BC-STC",
        "Thanh Hóa, ngày 05 tháng 11 năm 2026",
        "BÁO CÁO",
        "Kính gửi: Công an tỉnh Thanh Hóa.",
        "I. KẾT QUẢ THỰC HIỆN",
        "Không để xảy ra hoạt động xâm phạm an ninh quốc gia",
    ] {
        assert!(
            text.contains(expected),
            "page 1 lacks {expected:?}:\n{text}"
        );
    }
    let last = page_text(&pdf, 2);
    for expected in [
        "Nơi nhận:",
        "- Lưu: VT, VP.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Thị Thu Hà",
    ] {
        assert!(
            last.contains(expected),
            "page 2 lacks {expected:?}:\n{last}"
        );
    }
}

#[test]
fn page_numbers_from_page_two_only() {
    if !common::tool_available("pdftotext") {
        return;
    }
    let dir = common::scratch("page-numbers");
    let pdf = render_to("ke-hoach-bao-ve-tet", &dir);
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(
        info.contains("Pages:           2"),
        "the plan is two pages:\n{info}"
    );
    let first = page_text(&pdf, 1);
    let first_line = first
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    assert!(
        first_line.contains("TỈNH ỦY THANH HÓA"),
        "page 1 starts with the header: {first_line}"
    );
    let second = page_text(&pdf, 2);
    let number = second
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    assert_eq!(number.trim(), "2", "page 2 starts with its number");
}

#[test]
fn party_text() {
    if !common::tool_available("pdftotext") {
        return;
    }
    let dir = common::scratch("party-text");
    let pdf = render_to("nghi-quyet-dang-uy", &dir);
    let text = page_text(&pdf, 1);
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 05-NQ/ĐU",
        "Thanh Hóa, ngày 10 tháng 3 năm 2026",
        "NGHỊ QUYẾT",
        "- Căn cứ Điều lệ Đảng;",
        "- Căn cứ kết quả hội nghị Đảng ủy ngày 06/3/2026,",
        "ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY QUYẾT NGHỊ:",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}:\n{text}");
    }
}

#[test]
fn fonts_are_embedded() {
    if !common::tool_available("pdffonts") {
        return;
    }
    let dir = common::scratch("fonts");
    let pdf = render_to("cong-van-19-8", &dir);
    let fonts = run("pdffonts", &[pdf.to_str().unwrap()]);
    let serif: Vec<&str> = fonts
        .lines()
        .filter(|l| l.contains("LiberationSerif"))
        .collect();
    assert!(serif.len() >= 3, "regular, bold and italic faces:\n{fonts}");
    for line in serif {
        // Columns: name type encoding emb sub uni ...
        assert!(line.contains(" yes yes "), "embedded subset: {line}");
    }
}

/// Decodes an 8-bit PNG into (width, height, channels, pixels).
fn decode(path: &Path) -> (u32, u32, usize, Vec<u8>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("buffer size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    buf.truncate(info.buffer_size());
    (info.width, info.height, info.color_type.samples(), buf)
}

/// Renders page 1 at 50 dpi and compares it with `tests/reference/<example>.png`.
/// A pixel differs when a channel moves by more than `CHANNEL_TOLERANCE`; the test
/// fails when more than `MAX_DIFFERENT` of the pixels differ, which any moved line of
/// text exceeds while antialiasing differences between poppler versions do not.
fn compare_page_one(example: &str) {
    const CHANNEL_TOLERANCE: u8 = 64;
    const MAX_DIFFERENT: f64 = 0.002;
    if !common::tool_available("pdftoppm") {
        return;
    }
    let dir = common::scratch(&format!("png-{example}"));
    let pdf = render_to(example, &dir);
    let prefix = dir.join("page");
    run(
        "pdftoppm",
        &[
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let actual_path = dir.join("page.png");
    let reference = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(format!("{example}.png"));
    if std::env::var_os("VANBAN_UPDATE_REFERENCE").is_some() {
        std::fs::copy(&actual_path, &reference).expect("update reference");
        eprintln!("updated {}", reference.display());
        return;
    }
    let (w, h, channels, actual) = decode(&actual_path);
    let (rw, rh, rchannels, expected) = decode(&reference);
    assert_eq!(
        (w, h, channels),
        (rw, rh, rchannels),
        "page size or colour type changed"
    );
    let differing = actual
        .chunks(channels)
        .zip(expected.chunks(channels))
        .filter(|(a, b)| {
            a.iter()
                .zip(b.iter())
                .any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE)
        })
        .count();
    let share = differing as f64 / (f64::from(w) * f64::from(h));
    assert!(
        share <= MAX_DIFFERENT,
        "{example}: {differing} of {} pixels differ ({:.3}%) from {}; the layout moved. \
         Rendered page kept at {} for inspection.",
        w * h,
        share * 100.0,
        reference.display(),
        actual_path.display()
    );
}

#[test]
fn state_page_one_matches_reference() {
    compare_page_one("bao-cao-an-toan-antt");
}

#[test]
fn party_page_one_matches_reference() {
    compare_page_one("ke-hoach-bao-ve-tet");
}

#[test]
fn user_text_is_never_typst_markup() {
    if !common::tool_available("pdftotext") {
        return;
    }
    let mut doc = common::example("cong-van-19-8");
    let hostile = "#panic(\"x\") *đậm* $x^2$ _nghiêng_ \\ ] [ // @nhan <a> = Tiêu đề";
    doc.body.insert(
        0,
        vanban::Block::Paragraph {
            text: hostile.to_owned(),
        },
    );
    doc.signer.name = "#set page(width: 1cm) Đỗ Văn Ẩn".to_owned();
    let dir = common::scratch("hostile");
    let path = dir.join("hostile.pdf");
    std::fs::write(&path, vanban::render_pdf(&doc).expect("renders literally")).unwrap();
    let text = page_text(&path, 1);
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for piece in [
        "#panic(\"x\")",
        "*đậm*",
        "$x^2$",
        "_nghiêng_",
        "// @nhan <a> = Tiêu đề",
        "#set page(width: 1cm) Đỗ Văn Ẩn",
    ] {
        assert!(
            joined.contains(piece),
            "{piece:?} not printed literally:\n{text}"
        );
    }
}

#[test]
fn annex_on_its_own_page_with_its_own_numbering() {
    if !common::tool_available("pdftotext") {
        return;
    }
    let dir = common::scratch("annex");
    let pdf = render_to("bao-cao-an-toan-antt", &dir);
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Pages:           3"), "{info}");
    let annex = page_text(&pdf, 3);
    let first = annex
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    assert_eq!(
        first.trim(),
        "Phụ lục",
        "no page number on the annex's first page"
    );
    let joined = annex.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "KẾT QUẢ THỰC TẬP PHƯƠNG ÁN CHỮA CHÁY VÀ CỨU NẠN, CỨU HỘ NĂM 2026",
        "(Kèm theo Báo cáo số 85/BC-STC ngày 05 tháng 11 năm 2026 của Sở Tài chính)",
        "Giả định cháy kho lưu trữ tầng 3",
    ] {
        assert!(
            joined.contains(expected),
            "annex lacks {expected:?}:\n{annex}"
        );
    }
}

#[test]
fn parts_articles_and_marks_render_in_both_formats() {
    if !common::tool_available("pdftotext") {
        return;
    }
    for example in ["nghi-quyet-dang-uy", "cong-van-19-8"] {
        let mut doc = common::example(example);
        doc.secrecy = Some(vanban::Secrecy::Mat);
        doc.urgency = Some(vanban::Urgency::HoaToc);
        doc.body = vec![vanban::Block::Part {
            part: vanban::PartKind::Chuong,
            number: 2,
            title: "Trách nhiệm của các cơ quan".to_owned(),
            blocks: vec![vanban::Block::Article {
                number: 5,
                title: "Chế độ trực bảo vệ".to_owned(),
                blocks: vec![vanban::Block::Point {
                    label: "1.".to_owned(),
                    text: "Trực 24/24 giờ trong các ngày nghỉ lễ.".to_owned(),
                    blocks: vec![],
                }],
            }],
        }];
        let dir = common::scratch(&format!("parts-{example}"));
        let path = dir.join("doc.pdf");
        std::fs::write(&path, vanban::render_pdf(&doc).unwrap()).unwrap();
        let text = page_text(&path, 1);
        for expected in [
            "HỎA TỐC",
            "MẬT",
            "Chương II",
            "TRÁCH NHIỆM CỦA CÁC CƠ QUAN",
            "Điều 5. Chế độ trực bảo vệ",
            "1. Trực 24/24 giờ trong các ngày nghỉ lễ.",
        ] {
            assert!(
                text.contains(expected),
                "{example}: lacks {expected:?}:\n{text}"
            );
        }
        let docx = vanban::render_docx(&doc).unwrap();
        assert!(docx.starts_with(b"PK"), "{example}: DOCX is a zip");
    }
}
