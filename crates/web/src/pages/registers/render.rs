//! Files made from registers: a numbered outgoing document as DOCX or PDF (a
//! `vanban::Document` built from the entry and its organisation's settings), and the register
//! book of a year as XLSX or PDF with the columns of the NĐ 30/2020 Phụ lục VI register.

use crate::error::{AppError, AppResult};
use rust_xlsxwriter::{Format as XFormat, Workbook};
use store::registers::{Direction, Entry, Settings};
use store::units::Unit;
use vanban::{Block, Document, Format, Issuer, OutputKind, Signer, Table};

/// Most rows one PDF book holds: vanban caps a document at 10,000 table cells.
pub const PDF_BOOK_ROWS: usize = 1_200;

fn format_of(org: &Unit) -> Format {
    match org.doc_format {
        Some(domain::values::DocFormat::Hd36) => Format::Party,
        _ => Format::State,
    }
}

fn issuer(org: &Unit, settings: &Settings, drafting_unit: Option<String>) -> Issuer {
    Issuer {
        parent: settings.parent_name.clone(),
        name: settings.issuer_name.clone(),
        abbreviation: org.abbreviation.clone().unwrap_or_default(),
        drafting_unit,
    }
}

/// The official document of a numbered (or draft) outgoing entry the viewer may read.
pub fn document_of(entry: &Entry, org: &Unit, settings: &Settings) -> AppResult<Document> {
    if entry.redacted || entry.direction != Direction::Outgoing {
        return Err(AppError::NotFound);
    }
    let body = entry
        .content
        .as_deref()
        .unwrap_or("")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Block::Paragraph {
            text: p.replace('\n', " "),
        })
        .collect();
    let mut distribution = entry.recipients.clone();
    if !distribution
        .iter()
        .any(|r| r.trim_start().starts_with("Lưu"))
    {
        distribution.push("Lưu: VT".to_owned());
    }
    Ok(Document {
        format: format_of(org),
        doc_type: entry.doc_type,
        issuer: issuer(org, settings, entry.drafting_unit.clone()),
        number: u32::try_from(entry.number).ok().filter(|n| *n > 0),
        place: settings.place.clone(),
        date: entry.doc_date,
        summary: entry.title.clone(),
        legal_bases: Vec::new(),
        enactment: None,
        recipients: Vec::new(),
        body,
        signer: Signer {
            authority: Vec::new(),
            position: Some(
                entry
                    .signer_position
                    .clone()
                    .unwrap_or_else(|| "Thủ trưởng cơ quan".to_owned()),
            ),
            name: entry.signer.clone().unwrap_or_default(),
        },
        distribution,
        secrecy: entry.secrecy.stamp(),
        urgency: entry.urgency.stamp(),
        annexes: Vec::new(),
    })
}

/// Renders off the async threads: typesetting takes tens of milliseconds.
pub async fn render(doc: Document, kind: OutputKind) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || vanban::render(&doc, kind))
        .await
        .map_err(|e| AppError::Internal(format!("render task: {e}")))?
        .map_err(|e| match e {
            vanban::Error::BodyTooLarge { .. } => AppError::Invalid("err.reg_too_large"),
            other => AppError::Internal(format!("render: {other}")),
        })
}

/// The content type and file extension of an output kind.
pub fn content_type(kind: OutputKind) -> (&'static str, &'static str) {
    match kind {
        OutputKind::Pdf => ("application/pdf", "pdf"),
        OutputKind::Docx => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
    }
}

/// Column headings of the register book (Phụ lục VI).
fn headings(direction: Direction) -> &'static [&'static str] {
    match direction {
        Direction::Outgoing => &[
            "Số, ký hiệu văn bản",
            "Ngày tháng văn bản",
            "Tên loại và trích yếu nội dung",
            "Người ký",
            "Nơi nhận văn bản",
            "Đơn vị, người nhận bản lưu",
            "Số lượng bản",
            "Ghi chú",
        ],
        Direction::Incoming => &[
            "Ngày đến",
            "Số đến",
            "Tác giả",
            "Số, ký hiệu",
            "Ngày tháng văn bản",
            "Tên loại và trích yếu nội dung",
            "Đơn vị hoặc người nhận",
            "Ghi chú",
        ],
    }
}

fn dmy(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// One row of the book; an entry the viewer may not read shows number and date only.
fn row(e: &Entry) -> Vec<String> {
    let title = match &e.title {
        Some(t) => format!("{} {}", e.doc_type.name(), t),
        None => e.title_text().to_owned(),
    };
    let note = if e.frozen() {
        "Đã thu hồi".to_owned()
    } else {
        e.note.clone().unwrap_or_default()
    };
    match e.direction {
        Direction::Outgoing => vec![
            e.ky_hieu.clone(),
            dmy(e.doc_date),
            title,
            e.signer.clone().unwrap_or_default(),
            e.recipients.join("; "),
            e.keeper.clone().unwrap_or_default(),
            if e.redacted {
                String::new()
            } else {
                e.copies.to_string()
            },
            note,
        ],
        Direction::Incoming => vec![
            dmy(e.doc_date),
            format!("{:02}", e.number),
            e.sender.clone().unwrap_or_default(),
            e.ky_hieu.clone(),
            e.sender_date.map(dmy).unwrap_or_default(),
            title,
            e.assignee_name
                .clone()
                .filter(|_| !e.redacted)
                .unwrap_or_default(),
            note,
        ],
    }
}

fn book_title(direction: Direction, year: i32) -> String {
    match direction {
        Direction::Outgoing => format!("Sổ đăng ký văn bản đi năm {year}"),
        Direction::Incoming => format!("Sổ đăng ký văn bản đến năm {year}"),
    }
}

/// The book as an XLSX workbook.
pub fn book_xlsx(
    org: &Unit,
    direction: Direction,
    year: i32,
    entries: &[Entry],
) -> AppResult<Vec<u8>> {
    let xe = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = XFormat::new().set_bold();
    let wrap = XFormat::new().set_text_wrap();
    ws.write_string_with_format(0, 0, org.name.to_uppercase(), &bold)
        .map_err(xe)?;
    ws.write_string_with_format(1, 0, book_title(direction, year).to_uppercase(), &bold)
        .map_err(xe)?;
    for (c, h) in headings(direction).iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &bold.clone().set_text_wrap())
            .map_err(xe)?;
        ws.set_column_width(c as u16, if c == 2 || c == 5 { 48 } else { 16 })
            .map_err(xe)?;
    }
    for (i, e) in entries.iter().enumerate() {
        for (c, v) in row(e).into_iter().enumerate() {
            ws.write_string_with_format(4 + i as u32, c as u16, v, &wrap)
                .map_err(xe)?;
        }
    }
    wb.save_to_buffer().map_err(xe)
}

/// The book as a PDF, typeset by vanban as a report with one table.
pub async fn book_pdf(
    org: &Unit,
    settings: &Settings,
    direction: Direction,
    year: i32,
    entries: &[Entry],
) -> AppResult<Vec<u8>> {
    let rows: Vec<Vec<String>> = entries.iter().take(PDF_BOOK_ROWS).map(row).collect();
    let mut body = vec![Block::Table(Table {
        header: headings(direction)
            .iter()
            .map(|h| (*h).to_owned())
            .collect(),
        rows,
        widths: Some(vec![1.3, 1.0, 3.0, 1.2, 1.6, 1.4, 0.7, 1.0]),
    })];
    if entries.len() > PDF_BOOK_ROWS {
        body.push(Block::Paragraph {
            text: format!("Bản PDF gồm {PDF_BOOK_ROWS} văn bản đầu tiên trong {} văn bản; bản XLSX gồm đủ sổ.", entries.len()),
        });
    }
    let date = crate::view::today();
    let doc = Document {
        format: format_of(org),
        doc_type: vanban::DocumentType::BaoCao,
        issuer: issuer(org, settings, None),
        number: None,
        place: settings.place.clone(),
        date,
        summary: Some(book_title(direction, year)),
        legal_bases: Vec::new(),
        enactment: None,
        recipients: Vec::new(),
        body,
        signer: Signer {
            authority: Vec::new(),
            position: Some(String::from("Người lập sổ")),
            name: "Văn thư".to_owned(),
        },
        distribution: vec!["Lưu: VT".to_owned()],
        secrecy: None,
        urgency: None,
        annexes: Vec::new(),
    };
    render(doc, OutputKind::Pdf).await
}
