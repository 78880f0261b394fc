//! Pure formatting rules of the two formats: date line, number and ký hiệu, Roman
//! numerals, list punctuation. Shared by both renderers and by the database layer.

use chrono::{Datelike, NaiveDate};

use crate::model::Format;

/// Day and month as printed in a date line: a leading zero for days 1–9 and for
/// months 1 and 2 only (NĐ 30/2020, Phụ lục I, ô 4).
pub fn format_date(date: NaiveDate) -> String {
    let month = date.month();
    let month = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

/// "Thanh Hóa, ngày 05 tháng 3 năm 2026".
pub fn format_place_date(place: &str, date: NaiveDate) -> String {
    format!("{}, {}", place.trim(), format_date(date))
}

/// A register number with a leading zero below 10: 5 → "05", 36 → "36".
pub fn pad_number(n: u32) -> String {
    format!("{n:02}")
}

/// State ký hiệu of a document with a type code: "KH-UBND".
pub fn state_ky_hieu(type_code: &str, issuer: &str) -> String {
    format!("{type_code}-{issuer}")
}

/// State ký hiệu of a công văn, which has no type code: "UBND-VX".
pub fn state_cong_van_ky_hieu(issuer: &str, drafting_unit: &str) -> String {
    format!("{issuer}-{drafting_unit}")
}

/// Party ký hiệu: "HD/VPTW" (the number is joined with a hyphen, see
/// [`format_party_number`]).
pub fn party_ky_hieu(type_code: &str, issuer: &str) -> String {
    format!("{type_code}/{issuer}")
}

/// State number line: `format_number(5, "KH", "UBND") == "Số: 05/KH-UBND"`.
pub fn format_number(n: u32, type_code: &str, issuer: &str) -> String {
    format!("Số: {}/{}", pad_number(n), state_ky_hieu(type_code, issuer))
}

/// State công văn number line: `"Số: 12/UBND-VX"`.
pub fn format_cong_van_number(n: u32, issuer: &str, drafting_unit: &str) -> String {
    format!(
        "Số: {}/{}",
        pad_number(n),
        state_cong_van_ky_hieu(issuer, drafting_unit)
    )
}

/// Party number line: `format_party_number(36, "HD", "VPTW") == "Số 36-HD/VPTW"`.
pub fn format_party_number(n: u32, type_code: &str, issuer: &str) -> String {
    format!("Số {}-{}", pad_number(n), party_ky_hieu(type_code, issuer))
}

/// Blank left for the number of a draft, wide enough to write a number by hand.
const DRAFT_BLANK: &str = "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}";

/// The number line of a document of either format. `type_code` is the printed
/// abbreviation (empty for a state công văn); `number` is `None` for a draft.
pub fn number_line(
    format: Format,
    number: Option<u32>,
    type_code: &str,
    issuer: &str,
    drafting_unit: Option<&str>,
) -> String {
    let n = number.map_or_else(|| DRAFT_BLANK.to_owned(), pad_number);
    match format {
        Format::State if type_code.is_empty() => {
            let ky_hieu = match drafting_unit {
                Some(unit) => state_cong_van_ky_hieu(issuer, unit),
                None => issuer.to_owned(),
            };
            format!("Số: {n}/{ky_hieu}")
        }
        Format::State => format!("Số: {n}/{}", state_ky_hieu(type_code, issuer)),
        Format::Party => format!("Số {n}-{}", party_ky_hieu(type_code, issuer)),
    }
}

/// Roman numeral for part and annex numbers (1–3999; 0 prints as "0").
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if n == 0 {
        return "0".to_owned();
    }
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// Punctuates a list of lines: each gets `prefix`, every line but the last ends with
/// `separator`, the last with `last`. Punctuation the author already typed at the end
/// of a line is replaced, so input may be written either way.
pub fn punctuate(items: &[String], prefix: &str, separator: &str, last: &str) -> Vec<String> {
    let count = items.len();
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let body = item.trim().trim_end_matches([';', ',', '.']).trim_end();
            let end = if i + 1 == count { last } else { separator };
            format!("{prefix}{body}{end}")
        })
        .collect()
}

/// Upper-cases Vietnamese text (every precomposed letter has a single upper-case form).
pub fn upper(text: &str) -> String {
    text.to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn date_line_leading_zeros() {
        assert_eq!(format_date(d(2026, 2, 3)), "ngày 03 tháng 02 năm 2026");
        assert_eq!(format_date(d(2026, 8, 19)), "ngày 19 tháng 8 năm 2026");
        assert_eq!(format_date(d(2026, 11, 5)), "ngày 05 tháng 11 năm 2026");
        assert_eq!(format_date(d(2020, 1, 5)), "ngày 05 tháng 01 năm 2020");
        assert_eq!(format_date(d(2019, 6, 29)), "ngày 29 tháng 6 năm 2019");
        assert_eq!(format_date(d(2026, 12, 10)), "ngày 10 tháng 12 năm 2026");
    }

    #[test]
    fn place_date() {
        assert_eq!(
            format_place_date("Hà Nội", d(2026, 1, 9)),
            "Hà Nội, ngày 09 tháng 01 năm 2026"
        );
    }

    #[test]
    fn state_numbers() {
        assert_eq!(format_number(5, "KH", "UBND"), "Số: 05/KH-UBND");
        assert_eq!(format_number(15, "QĐ", "BNV"), "Số: 15/QĐ-BNV");
        assert_eq!(format_cong_van_number(12, "UBND", "VX"), "Số: 12/UBND-VX");
        assert_eq!(
            number_line(Format::State, Some(12), "", "UBND", Some("VX")),
            "Số: 12/UBND-VX"
        );
        assert_eq!(
            number_line(Format::State, Some(5), "KH", "UBND", None),
            "Số: 05/KH-UBND"
        );
    }

    #[test]
    fn party_numbers() {
        assert_eq!(format_party_number(36, "HD", "VPTW"), "Số 36-HD/VPTW");
        assert_eq!(format_party_number(5, "NQ", "ĐU"), "Số 05-NQ/ĐU");
        assert_eq!(
            number_line(Format::Party, Some(399), "QĐ", "TW", None),
            "Số 399-QĐ/TW"
        );
    }

    #[test]
    fn draft_number_is_blank() {
        let line = number_line(Format::State, None, "KH", "UBND", None);
        assert!(
            line.starts_with("Số: ") && line.ends_with("/KH-UBND"),
            "{line}"
        );
    }

    #[test]
    fn ky_hieu_builders() {
        assert_eq!(state_ky_hieu("KH", "UBND"), "KH-UBND");
        assert_eq!(state_cong_van_ky_hieu("BNV", "VP"), "BNV-VP");
        assert_eq!(party_ky_hieu("KH", "VPTU"), "KH/VPTU");
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
        assert_eq!(roman(2026), "MMXXVI");
    }

    #[test]
    fn punctuation_of_lists() {
        let items = vec!["Như trên;".to_owned(), "Lưu: VT".to_owned()];
        assert_eq!(
            punctuate(&items, "- ", ";", "."),
            vec!["- Như trên;", "- Lưu: VT."]
        );
        let one = vec!["Căn cứ Điều lệ Đảng".to_owned()];
        assert_eq!(
            punctuate(&one, "- ", ";", ","),
            vec!["- Căn cứ Điều lệ Đảng,"]
        );
    }

    #[test]
    fn vietnamese_upper_case() {
        assert_eq!(upper("Tỉnh ủy Thanh Hóa"), "TỈNH ỦY THANH HÓA");
        assert_eq!(upper("đảng ủy"), "ĐẢNG ỦY");
    }
}
