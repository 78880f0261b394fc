//! Reading a staff list the way offices keep them: the first sheet of an .xlsx workbook, an
//! optional title above the header row, header names in Vietnamese or English with or without
//! diacritics, dates typed as text or stored as Excel dates, "x"/"có"/"1" for yes. Every cell
//! is checked and every problem reported with the row number Excel shows.

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Reader, Xlsx};
use chrono::NaiveDate;
use domain::text::fold_vi;
use std::collections::HashMap;

/// The columns the importer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Col {
    Name,
    Gender,
    Birth,
    Position,
    Unit,
    Phone,
    Email,
    Party,
    SelfDefence,
    Fire,
    Status,
}

impl Col {
    pub const ALL: [Col; 11] = [
        Col::Name,
        Col::Gender,
        Col::Birth,
        Col::Position,
        Col::Unit,
        Col::Phone,
        Col::Email,
        Col::Party,
        Col::SelfDefence,
        Col::Fire,
        Col::Status,
    ];

    /// Header names that mean this column, folded (no diacritics, lower case, punctuation as
    /// spaces). A header matches when it is one of these or starts with one and a space, so
    /// "Ngày sinh (dd/mm/yyyy)" is the date of birth.
    fn names(self) -> &'static [&'static str] {
        match self {
            Col::Name => &["ho va ten", "ho ten", "full name", "name"],
            Col::Gender => &["gioi tinh", "gender", "sex"],
            Col::Birth => &[
                "ngay sinh",
                "ngay thang nam sinh",
                "ngay thang sinh",
                "date of birth",
                "birth date",
                "dob",
            ],
            Col::Position => &["chuc vu", "chuc danh", "position", "job title"],
            Col::Unit => &[
                "don vi",
                "phong ban",
                "don vi cong tac",
                "bo phan",
                "unit",
                "department",
            ],
            Col::Phone => &[
                "dien thoai",
                "so dien thoai",
                "sdt",
                "dt",
                "phone",
                "phone number",
                "telephone",
            ],
            Col::Email => &[
                "email",
                "e mail",
                "thu dien tu",
                "dia chi email",
                "dia chi thu dien tu",
            ],
            Col::Party => &["dang vien", "party member", "party"],
            Col::SelfDefence => &[
                "tu ve",
                "luc luong tu ve",
                "self defence",
                "self defense",
                "self defence member",
            ],
            Col::Fire => &[
                "pccc",
                "doi pccc",
                "pccc co so",
                "doi pccc co so",
                "fire force",
                "fire force member",
            ],
            Col::Status => &["trang thai", "trang thai cong tac", "status"],
        }
    }

    pub fn required(self) -> bool {
        matches!(self, Col::Name | Col::Gender | Col::Unit)
    }

    /// Catalog key of the column's name as the template and the export write it.
    pub fn label_key(self) -> &'static str {
        match self {
            Col::Name => "xlsx.col.name",
            Col::Gender => "xlsx.col.gender",
            Col::Birth => "xlsx.col.birth",
            Col::Position => "xlsx.col.position",
            Col::Unit => "xlsx.col.unit",
            Col::Phone => "xlsx.col.phone",
            Col::Email => "xlsx.col.email",
            Col::Party => "xlsx.col.party",
            Col::SelfDefence => "xlsx.col.self_defence",
            Col::Fire => "xlsx.col.fire",
            Col::Status => "xlsx.col.status",
        }
    }

    fn of_header(h: &str) -> Option<Col> {
        let h = header_key(h);
        if h.is_empty() {
            return None;
        }
        Col::ALL.into_iter().find(|c| {
            c.names()
                .iter()
                .any(|n| h == *n || h.strip_prefix(n).is_some_and(|rest| rest.starts_with(' ')))
        })
    }
}

/// A header folded to words of letters and digits.
pub(crate) fn header_key(h: &str) -> String {
    fold_vi(h)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why a whole file was refused (before looking at rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileError {
    NotXlsx,
    OldXls,
    TooBig,
    NoSheet,
    Empty,
    /// Required columns that were not found, by catalog key of their names.
    MissingColumns(Vec<Col>),
    TooManyRows(usize),
}

/// A problem with one cell or row: Excel's row number, the column (letter and the header as
/// written in the file) and the catalog key of the message, with an argument if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub row: u32,
    pub column: String,
    pub key: &'static str,
    pub arg: String,
}

/// A row as read: its Excel row number and the cells of the known columns as text (dates and
/// numbers already turned into text the way people would type them).
#[derive(Debug, Clone)]
pub(crate) struct RawRow {
    pub row: u32,
    pub cells: HashMap<Col, Cell>,
}

/// One cell: what it holds, and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub value: Value,
    pub column: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    Error,
}

/// The most rows one file may hold; staff lists are far shorter, and this keeps one request's
/// work bounded.
pub(crate) const MAX_ROWS: usize = 5000;
/// The most the files inside the workbook may expand to; a small upload must not unpack into
/// gigabytes.
const MAX_UNPACKED: u64 = 200 * 1024 * 1024;

/// Spreadsheet column letters: 0 → A, 26 → AA.
pub(crate) fn col_letter(mut i: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The sum of the sizes the ZIP directory declares for its entries, or `None` when the
/// directory cannot be read or uses ZIP64 (never needed by a staff list).
fn unpacked_size(bytes: &[u8]) -> Option<u64> {
    const EOCD: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const CEN: [u8; 4] = [0x50, 0x4b, 0x01, 0x02];
    let from = bytes.len().saturating_sub(22 + 65_535);
    let at = (from..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&i| bytes[i..i + 4] == EOCD)?;
    let u16_at = |i: usize| -> Option<u64> {
        Some(u64::from(u16::from_le_bytes(
            bytes.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    let u32_at = |i: usize| -> Option<u64> {
        Some(u64::from(u32::from_le_bytes(
            bytes.get(i..i + 4)?.try_into().ok()?,
        )))
    };
    let entries = u16_at(at + 10)?;
    let mut pos = usize::try_from(u32_at(at + 16)?).ok()?;
    let mut total = 0u64;
    for _ in 0..entries {
        if bytes.get(pos..pos + 4)? != CEN {
            return None;
        }
        let size = u32_at(pos + 24)?;
        if size == 0xFFFF_FFFF {
            return None;
        }
        total += size;
        pos +=
            46 + usize::try_from(u16_at(pos + 28)? + u16_at(pos + 30)? + u16_at(pos + 32)?).ok()?;
    }
    Some(total)
}

/// Excel's day number to a date: day 1 is 1 January 1900 (or 1904 in old Mac workbooks), and
/// the 1900 system counts a 29 February 1900 that never was.
fn excel_date(d: &ExcelDateTime) -> Option<NaiveDate> {
    let mut v = d.as_f64();
    if *d == ExcelDateTime::new(v, ExcelDateTimeType::DateTime, true) {
        v += 1462.0;
    }
    if v < 60.0 {
        v += 1.0;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(chrono::Duration::days(v.floor() as i64))
}

fn value_of(c: &Data) -> Option<Value> {
    Some(match c {
        Data::Empty => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            Value::Text(s.to_owned())
        }
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => excel_date(d).map(Value::Date).unwrap_or(Value::Error),
        Data::Error(_) => Value::Error,
    })
}

/// Reads the first sheet into rows of the known columns.
pub(crate) fn read(bytes: &[u8]) -> Result<Vec<RawRow>, FileError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FileError::OldXls);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(FileError::NotXlsx);
    }
    match unpacked_size(bytes) {
        None => return Err(FileError::NotXlsx),
        Some(n) if n > MAX_UNPACKED => return Err(FileError::TooBig),
        Some(_) => {}
    }
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|_| FileError::NotXlsx)?;
    let range = match book.worksheet_range_at(0) {
        None => return Err(FileError::NoSheet),
        Some(Err(_)) => return Err(FileError::NotXlsx),
        Some(Ok(r)) => r,
    };
    let Some((row0, col0)) = range.start() else {
        return Err(FileError::Empty);
    };
    let rows: Vec<&[Data]> = range.rows().collect();
    // The header is the row, among the first few, that names the most known columns.
    let mut best: Option<(usize, HashMap<Col, usize>)> = None;
    for (i, r) in rows.iter().enumerate().take(30) {
        let mut found: HashMap<Col, usize> = HashMap::new();
        for (j, c) in r.iter().enumerate() {
            if let Data::String(s) = c
                && let Some(col) = Col::of_header(s)
            {
                found.entry(col).or_insert(j);
            }
        }
        if found.len() >= 2 && best.as_ref().is_none_or(|(_, b)| found.len() > b.len()) {
            best = Some((i, found));
        }
    }
    let Some((header_at, cols)) = best else {
        if rows.iter().all(|r| r.iter().all(|c| value_of(c).is_none())) {
            return Err(FileError::Empty);
        }
        return Err(FileError::MissingColumns(
            Col::ALL.into_iter().filter(|c| c.required()).collect(),
        ));
    };
    let missing: Vec<Col> = Col::ALL
        .into_iter()
        .filter(|c| c.required() && !cols.contains_key(c))
        .collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns(missing));
    }
    let header = rows[header_at];
    let column_name = |j: usize| {
        let name = match header.get(j) {
            Some(Data::String(s)) => s.trim().to_owned(),
            _ => String::new(),
        };
        format!("{} ({name})", col_letter(col0 + j as u32))
    };
    let names: HashMap<Col, String> = cols.iter().map(|(c, j)| (*c, column_name(*j))).collect();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(header_at + 1) {
        if r.iter().all(|c| value_of(c).is_none()) {
            continue;
        }
        let mut cells = HashMap::new();
        for (col, j) in &cols {
            if let Some(v) = r.get(*j).and_then(value_of) {
                cells.insert(
                    *col,
                    Cell {
                        value: v,
                        column: names[col].clone(),
                    },
                );
            }
        }
        if out.len() == MAX_ROWS {
            return Err(FileError::TooManyRows(MAX_ROWS));
        }
        out.push(RawRow {
            row: row0 + i as u32 + 1,
            cells,
        });
    }
    if out.is_empty() {
        return Err(FileError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_with_or_without_diacritics() {
        assert_eq!(Col::of_header("Họ và tên"), Some(Col::Name));
        assert_eq!(Col::of_header("HO TEN"), Some(Col::Name));
        assert_eq!(Col::of_header("Ngày sinh (dd/mm/yyyy)"), Some(Col::Birth));
        assert_eq!(Col::of_header("Số điện thoại"), Some(Col::Phone));
        assert_eq!(Col::of_header("Phòng/Ban"), Some(Col::Unit));
        assert_eq!(Col::of_header("E-mail"), Some(Col::Email));
        assert_eq!(Col::of_header("STT"), None);
        assert_eq!(Col::of_header("Ghi chú"), None);
    }

    #[test]
    fn column_letters_and_excel_dates() {
        assert_eq!(col_letter(0), "A");
        assert_eq!(col_letter(25), "Z");
        assert_eq!(col_letter(26), "AA");
        let d = ExcelDateTime::new(29_221.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(excel_date(&d), NaiveDate::from_ymd_opt(1980, 1, 1));
    }

    #[test]
    fn files_that_are_not_workbooks_are_refused() {
        assert_eq!(read(b"hello").unwrap_err(), FileError::NotXlsx);
        assert_eq!(
            read(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).unwrap_err(),
            FileError::OldXls
        );
        assert_eq!(
            read(b"PK\x03\x04 truncated").unwrap_err(),
            FileError::NotXlsx
        );
    }
}
