//! Writing workbooks: the staff list export and the blank import template. Both use the same
//! header names, which the importer recognises, so an exported list can be edited and
//! imported elsewhere.

use super::sheet::Col;
use crate::i18n::T;
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use store::people::Person;

/// Columns of the export in order, with their widths in characters; `None` is the row number.
const COLUMNS: [(Option<Col>, f64); 12] = [
    (None, 6.0),
    (Some(Col::Name), 28.0),
    (Some(Col::Gender), 10.0),
    (Some(Col::Birth), 13.0),
    (Some(Col::Position), 30.0),
    (Some(Col::Unit), 34.0),
    (Some(Col::Phone), 14.0),
    (Some(Col::Email), 30.0),
    (Some(Col::Party), 11.0),
    (Some(Col::SelfDefence), 9.0),
    (Some(Col::Fire), 9.0),
    (Some(Col::Status), 20.0),
];

/// The row (0-based) the header sits on, below the title and the subtitle.
pub(crate) const HEADER_ROW: u32 = 3;
const LAST_COL: u16 = COLUMNS.len() as u16 - 1;

struct Formats {
    title: Format,
    subtitle: Format,
    header: Format,
    cell: Format,
    center: Format,
    date: Format,
}

fn formats() -> Formats {
    let base = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12);
    Formats {
        title: base
            .clone()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center),
        subtitle: base.clone().set_italic().set_align(FormatAlign::Center),
        header: base
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color("#E7E6E6")
            .set_border(FormatBorder::Thin),
        cell: base.clone().set_border(FormatBorder::Thin),
        center: base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center),
        date: base
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_num_format("dd/mm/yyyy"),
    }
}

/// Title, subtitle, header row, widths, frozen header and print settings.
fn frame(
    ws: &mut Worksheet,
    t: T,
    f: &Formats,
    title: &str,
    subtitle: &str,
) -> Result<(), XlsxError> {
    ws.set_name(t.s("xlsx.sheet.list"))?;
    ws.merge_range(0, 0, 0, LAST_COL, title, &f.title)?;
    ws.merge_range(1, 0, 1, LAST_COL, subtitle, &f.subtitle)?;
    ws.set_row_height(HEADER_ROW, 32)?;
    for (i, (col, width)) in COLUMNS.iter().enumerate() {
        let i = i as u16;
        let label = match col {
            Some(c) => t.s(c.label_key()),
            None => t.s("xlsx.col.number"),
        };
        ws.write_string_with_format(HEADER_ROW, i, label, &f.header)?;
        ws.set_column_width(i, *width)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    Ok(())
}

/// The staff list as a workbook.
pub(crate) fn export(
    t: T,
    title: &str,
    subtitle: &str,
    people: &[Person],
) -> Result<Vec<u8>, XlsxError> {
    let f = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    frame(ws, t, &f, title, subtitle)?;
    let yes = "x";
    for (i, p) in people.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &f.center)?;
        ws.write_string_with_format(r, 1, &p.full_name, &f.cell)?;
        ws.write_string_with_format(r, 2, t.s(&p.gender.label_key()), &f.center)?;
        match p.birth_date {
            Some(d) => {
                use chrono::Datelike;
                let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                ws.write_datetime_with_format(r, 3, &x, &f.date)?;
            }
            None => {
                ws.write_blank(r, 3, &f.date)?;
            }
        }
        ws.write_string_with_format(r, 4, &p.position, &f.cell)?;
        ws.write_string_with_format(r, 5, &p.unit_name, &f.cell)?;
        ws.write_string_with_format(r, 6, p.phone.as_deref().unwrap_or(""), &f.cell)?;
        ws.write_string_with_format(r, 7, p.email.as_deref().unwrap_or(""), &f.cell)?;
        for (c, on) in [
            (8u16, p.party_member),
            (9, p.self_defence),
            (10, p.fire_force),
        ] {
            ws.write_string_with_format(r, c, if on { yes } else { "" }, &f.center)?;
        }
        ws.write_string_with_format(r, 11, t.s(&p.status.label_key()), &f.cell)?;
    }
    if !people.is_empty() {
        ws.autofilter(HEADER_ROW, 0, HEADER_ROW + people.len() as u32, LAST_COL)?;
    }
    wb.save_to_buffer()
}

/// The blank template: the list sheet with its header, and a second sheet explaining each
/// column and naming the units the person may import into, spelt as the importer expects.
pub(crate) fn template(t: T, units: &[String]) -> Result<Vec<u8>, XlsxError> {
    let f = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    frame(
        ws,
        t,
        &f,
        t.s("xlsx.template.title"),
        t.s("xlsx.template.subtitle"),
    )?;
    for r in HEADER_ROW + 1..HEADER_ROW + 21 {
        for (c, _) in COLUMNS.iter().enumerate() {
            let fmt = if c == 3 { &f.date } else { &f.cell };
            ws.write_blank(r, c as u16, fmt)?;
        }
    }
    let help = wb.add_worksheet();
    help.set_name(t.s("xlsx.sheet.help"))?;
    help.set_column_width(0, 24)?;
    help.set_column_width(1, 90)?;
    help.write_string_with_format(0, 0, t.s("xlsx.help.column"), &f.header)?;
    help.write_string_with_format(0, 1, t.s("xlsx.help.meaning"), &f.header)?;
    for (i, c) in Col::ALL.iter().enumerate() {
        let r = 1 + i as u32;
        help.write_string_with_format(r, 0, t.s(c.label_key()), &f.cell)?;
        help.write_string_with_format(r, 1, t.s(&format!("{}.help", c.label_key())), &f.cell)?;
    }
    let start = Col::ALL.len() as u32 + 2;
    help.write_string_with_format(start, 0, t.s("xlsx.help.units"), &f.header)?;
    for (i, u) in units.iter().enumerate() {
        help.write_string(start + 1 + i as u32, 1, u)?;
    }
    wb.save_to_buffer()
}
