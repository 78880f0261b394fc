//! The roster on paper and in Excel. The printed roster follows the layout of an annex to a
//! protection plan: the issuing body at top left, the national motto (or the Party's heading
//! for a Party body) at top right, the place and date line, the title, a table of days by
//! shift types with the names on duty, and the signature block. The workbook has the grid of
//! people by days with a legend.

use super::words;
use crate::AppState;
use crate::auth::Authz;
use crate::error::{AppError, AppResult};
use crate::i18n::T;
use crate::pages::people_xlsx::{XLSX_TYPE, attachment};
use crate::view::{Page, date, html};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use domain::values::OrgKind;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use store::rosters::{self, Detail};
use store::scope::RosterView;

#[derive(Template)]
#[template(path = "rosters/print.html")]
struct PrintPage {
    page: Page,
    d: Detail,
    parent: String,
    org: String,
    party: bool,
    place_date: String,
    /// Per day: the date and, per shift type, the names on duty.
    table: Vec<(String, Vec<String>)>,
    signer: String,
}

/// `GET /rosters/{id}/print`.
pub(super) async fn print(
    State(st): State<AppState>,
    a: Authz<RosterView>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = rosters::get(&st.db, &a.scope, id).await?;
    let org = store::units::by_id(&st.db, d.roster.org_id).await?;
    let parent = match org.parent_id {
        Some(p) => store::units::by_id(&st.db, p).await?.name,
        None => String::new(),
    };
    let t = a.t();
    let today = crate::view::today();
    let place = parent
        .trim_start_matches("Tỉnh ")
        .trim_start_matches("Thành phố ")
        .to_owned();
    let place_date = t
        .s("ro.print.place_date")
        .replace("{place}", &place)
        .replace("{d}", &format!("{:02}", today.day()))
        .replace("{m}", &format!("{:02}", today.month()))
        .replace("{y}", &today.year().to_string());
    let table = d
        .roster
        .days()
        .iter()
        .map(|day| {
            let names = d
                .shifts
                .iter()
                .map(|s| {
                    let mut who: Vec<&str> = d
                        .cells
                        .iter()
                        .filter(|c| c.day == *day && c.shift_id == s.id)
                        .filter_map(|c| d.member(c.person_id).map(|m| m.full_name.as_str()))
                        .collect();
                    who.sort_unstable();
                    who.join(", ")
                })
                .collect();
            (format!("{} {}", weekday_short(&t, *day), date(day)), names)
        })
        .collect();
    let page = PrintPage {
        page: Page::new(&a.user, d.roster.title.clone(), "rosters"),
        parent: parent.to_uppercase(),
        org: org.name.to_uppercase(),
        party: org.org_kind == Some(OrgKind::PartyBody),
        place_date,
        table,
        signer: t.s("ro.print.head").to_owned(),
        d,
    };
    Ok(html(&page)?.into_response())
}

fn weekday_short(t: &T, d: NaiveDate) -> &'static str {
    match d.weekday().num_days_from_monday() {
        0 => t.s("ro.wd.mon"),
        1 => t.s("ro.wd.tue"),
        2 => t.s("ro.wd.wed"),
        3 => t.s("ro.wd.thu"),
        4 => t.s("ro.wd.fri"),
        5 => t.s("ro.wd.sat"),
        _ => t.s("ro.wd.sun"),
    }
}

/// The grid as a workbook.
fn workbook(t: &T, d: &Detail) -> Result<Vec<u8>, XlsxError> {
    let base = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12);
    let title = base
        .clone()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let head = base
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color("#E7E6E6")
        .set_border(FormatBorder::Thin);
    let cell = base.clone().set_border(FormatBorder::Thin);
    let center = cell.clone().set_align(FormatAlign::Center);
    let leave = center.clone().set_background_color("#F2F2F2");
    let days = d.roster.days();
    let last = 3 + days.len() as u16;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(t.s("ro.xlsx.sheet"))?;
    ws.merge_range(0, 0, 0, last, &d.roster.title, &title)?;
    let period = format!(
        "{} – {} · {}",
        date(&d.roster.start_day),
        date(&d.roster.end_day),
        d.roster.org_name
    );
    ws.merge_range(
        1,
        0,
        1,
        last,
        &period,
        &base.clone().set_italic().set_align(FormatAlign::Center),
    )?;
    let hr = 3;
    ws.write_string_with_format(hr, 0, t.s("ro.xlsx.no"), &head)?;
    ws.write_string_with_format(hr, 1, t.s("ro.person"), &head)?;
    ws.write_string_with_format(hr, 2, t.s("ro.xlsx.position"), &head)?;
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 26)?;
    ws.set_column_width(2, 22)?;
    for (i, day) in days.iter().enumerate() {
        let c = 3 + i as u16;
        ws.write_string_with_format(hr, c, day.format("%d/%m").to_string(), &head)?;
        ws.set_column_width(c, 6)?;
    }
    ws.write_string_with_format(hr, last, t.s("ro.xlsx.total"), &head)?;
    for (r, m) in d.members.iter().enumerate() {
        let row = hr + 1 + r as u32;
        ws.write_number_with_format(row, 0, (r + 1) as f64, &center)?;
        ws.write_string_with_format(row, 1, &m.full_name, &cell)?;
        ws.write_string_with_format(row, 2, &m.position, &cell)?;
        let mut n = 0;
        for (i, day) in days.iter().enumerate() {
            let c = 3 + i as u16;
            if d.absent(m.person_id, *day) {
                ws.write_string_with_format(row, c, "P", &leave)?;
                continue;
            }
            let mark = d
                .cell(m.person_id, *day)
                .and_then(|s| d.shift(s))
                .map(|s| words::mark(&s.name))
                .unwrap_or_default();
            if !mark.is_empty() {
                n += 1;
            }
            ws.write_string_with_format(row, c, &mark, &center)?;
        }
        ws.write_number_with_format(row, last, f64::from(n), &center)?;
    }
    let mut row = hr + 2 + d.members.len() as u32;
    ws.write_string_with_format(row, 1, t.s("ro.xlsx.legend"), &base.clone().set_bold())?;
    for s in &d.shifts {
        row += 1;
        ws.write_string(
            row,
            1,
            format!("{} — {} ({})", words::mark(&s.name), s.name, s.hours()),
        )?;
    }
    row += 1;
    ws.write_string(row, 1, format!("P — {}", t.s("ro.on_leave")))?;
    ws.set_freeze_panes(hr + 1, 3)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    wb.save_to_buffer()
}

/// `GET /rosters/{id}/export.xlsx`.
pub(super) async fn xlsx(
    State(st): State<AppState>,
    a: Authz<RosterView>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = rosters::get(&st.db, &a.scope, id).await?;
    let bytes = workbook(&a.t(), &d).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    let name = format!("{}.xlsx", d.roster.title);
    Ok((
        [
            (header::CONTENT_TYPE, XLSX_TYPE.to_owned()),
            (header::CONTENT_DISPOSITION, attachment(&name)),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /rosters/{id}/notice.pdf` and `/notice.docx`: the notice issuing the roster (a draft
/// Thông báo, number left blank for the register) with the roster as its annex, in the
/// organisation's official format. A protection plan carries the same annex.
pub(super) async fn notice(
    State(st): State<AppState>,
    a: Authz<RosterView>,
    Path((id, ext)): Path<(i64, String)>,
) -> AppResult<Response> {
    let kind = match ext.as_str() {
        "notice.pdf" => vanban::OutputKind::Pdf,
        "notice.docx" => vanban::OutputKind::Docx,
        _ => return Err(AppError::NotFound),
    };
    let d = rosters::get(&st.db, &a.scope, id).await?;
    let org = store::units::by_id(&st.db, d.roster.org_id).await?;
    let settings = store::registers::settings(&st.db, &org).await?;
    let head = store::rosters::annex::head_of(&st.db, org.id).await?;
    let doc = vanban::Document {
        format: match org.doc_format {
            Some(domain::values::DocFormat::Hd36) => vanban::Format::Party,
            _ => vanban::Format::State,
        },
        doc_type: vanban::DocumentType::ThongBao,
        issuer: vanban::Issuer {
            parent: settings.parent_name.clone(),
            name: settings.issuer_name.clone(),
            abbreviation: org.abbreviation.clone().unwrap_or_default(),
            drafting_unit: None,
        },
        number: None,
        place: settings.place.clone(),
        date: crate::view::today(),
        summary: Some(d.roster.title.clone()),
        legal_bases: Vec::new(),
        enactment: None,
        recipients: Vec::new(),
        body: vec![vanban::Block::Paragraph {
            text: format!(
                "{} thông báo lịch trực từ ngày {} đến ngày {} (phụ lục kèm theo). Các đồng chí có tên trong lịch thực hiện nghiêm túc; trường hợp cần đổi ca phải đề nghị và được cán bộ phụ trách duyệt.",
                settings.issuer_name,
                date(&d.roster.start_day),
                date(&d.roster.end_day)
            ),
        }],
        // Signed by the head when known; otherwise the name is a line to fill in by hand.
        signer: vanban::Signer {
            authority: Vec::new(),
            position: Some(
                head.as_ref()
                    .map_or("Thủ trưởng cơ quan".to_owned(), |h| h.1.clone()),
            ),
            name: head.map_or("……………………".to_owned(), |h| h.0),
        },
        distribution: vec![
            "Các đồng chí có tên trong lịch".to_owned(),
            "Lưu: VT".to_owned(),
        ],
        secrecy: None,
        urgency: None,
        annexes: vec![store::rosters::annex::annex(&d)],
    };
    let bytes = crate::pages::registers::render::render(doc, kind).await?;
    let (ctype, extension) = crate::pages::registers::render::content_type(kind);
    Ok((
        [
            (header::CONTENT_TYPE, ctype.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                attachment(&format!("{}.{extension}", d.roster.title)),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
