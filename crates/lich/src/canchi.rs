//! Can chi (the sexagenary cycle) and Vietnamese names of days and months.
//!
//! All names are written with precomposed Vietnamese letters (Unicode NFC).

use std::fmt;

use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::date::LunarDate;
use crate::julian::jd;

/// The ten heavenly stems, in order.
pub const CAN: [&str; 10] = [
    "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
];

/// The twelve earthly branches, in order.
pub const CHI: [&str; 12] = [
    "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
];

/// Traditional names of the lunar months, from month 1 (Giêng) to 12 (Chạp).
pub const LUNAR_MONTH_NAMES: [&str; 12] = [
    "Giêng",
    "Hai",
    "Ba",
    "Tư",
    "Năm",
    "Sáu",
    "Bảy",
    "Tám",
    "Chín",
    "Mười",
    "Mười Một",
    "Chạp",
];

/// A stem-and-branch pair such as "Bính Ngọ".
///
/// Serialized as its two indices; deserialization rejects indices out of
/// range and pairs that do not occur in the cycle (stem and branch indices
/// always have the same parity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "CanChiFields")]
pub struct CanChi {
    can: u8,
    chi: u8,
}

#[derive(Deserialize)]
struct CanChiFields {
    can: u8,
    chi: u8,
}

impl TryFrom<CanChiFields> for CanChi {
    type Error = String;
    fn try_from(f: CanChiFields) -> Result<Self, String> {
        if f.can < 10 && f.chi < 12 && f.can % 2 == f.chi % 2 {
            Ok(Self {
                can: f.can,
                chi: f.chi,
            })
        } else {
            Err(format!("({}, {}) is not a can chi pair", f.can, f.chi))
        }
    }
}

impl CanChi {
    /// Index of the stem in [`CAN`], 0..=9.
    #[must_use]
    pub fn can_index(self) -> u8 {
        self.can
    }

    /// Index of the branch in [`CHI`], 0..=11.
    #[must_use]
    pub fn chi_index(self) -> u8 {
        self.chi
    }

    fn from_indices(can: i64, chi: i64) -> Self {
        Self {
            can: can.rem_euclid(10) as u8,
            chi: chi.rem_euclid(12) as u8,
        }
    }

    /// The stem, e.g. "Bính".
    #[must_use]
    pub fn can_name(self) -> &'static str {
        CAN[usize::from(self.can)]
    }

    /// The branch, e.g. "Ngọ".
    #[must_use]
    pub fn chi_name(self) -> &'static str {
        CHI[usize::from(self.chi)]
    }
}

/// "Bính Ngọ".
impl fmt::Display for CanChi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.can_name(), self.chi_name())
    }
}

/// Can chi of lunar year `year`: 2026 is Bính Ngọ.
#[must_use]
pub fn year_can_chi(year: i32) -> CanChi {
    let y = i64::from(year);
    CanChi::from_indices(y + 6, y + 8)
}

/// Can chi name of lunar year `year`, e.g. `can_chi(2025) == "Ất Tỵ"`.
#[must_use]
pub fn can_chi(year: i32) -> String {
    year_can_chi(year).to_string()
}

/// Can chi of lunar month `month` of lunar year `year`. A leap month bears
/// the name of the regular month it follows. Month 1 is always a Dần month.
#[must_use]
pub fn month_can_chi(month: u8, year: i32) -> CanChi {
    let (y, m) = (i64::from(year), i64::from(month));
    CanChi::from_indices(y * 12 + m + 3, m + 1)
}

/// Can chi of a solar day (the cycle runs on without regard to months).
#[must_use]
pub fn day_can_chi(date: NaiveDate) -> CanChi {
    let j = jd(date);
    CanChi::from_indices(j + 9, j + 1)
}

/// Vietnamese name of a lunar month number, e.g. 1 → "Giêng", 12 → "Chạp";
/// `None` outside 1..=12.
#[must_use]
pub fn lunar_month_name(month: u8) -> Option<&'static str> {
    LUNAR_MONTH_NAMES
        .get(usize::from(month).checked_sub(1)?)
        .copied()
}

/// Vietnamese name of a weekday: "Thứ Hai" … "Thứ Bảy", "Chủ nhật".
#[must_use]
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Thứ Hai",
        Weekday::Tue => "Thứ Ba",
        Weekday::Wed => "Thứ Tư",
        Weekday::Thu => "Thứ Năm",
        Weekday::Fri => "Thứ Sáu",
        Weekday::Sat => "Thứ Bảy",
        Weekday::Sun => "Chủ nhật",
    }
}

/// Short Vietnamese weekday: "T2" … "T7", "CN".
#[must_use]
pub fn weekday_short(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "T2",
        Weekday::Tue => "T3",
        Weekday::Wed => "T4",
        Weekday::Thu => "T5",
        Weekday::Fri => "T6",
        Weekday::Sat => "T7",
        Weekday::Sun => "CN",
    }
}

impl LunarDate {
    /// Can chi of the lunar year.
    #[must_use]
    pub fn year_can_chi(&self) -> CanChi {
        year_can_chi(self.year())
    }

    /// Can chi of the lunar month.
    #[must_use]
    pub fn month_can_chi(&self) -> CanChi {
        month_can_chi(self.month(), self.year())
    }

    /// Spoken Vietnamese form of the day: "mùng 1" … "mùng 10", then "11" … "30".
    #[must_use]
    pub fn day_name(&self) -> String {
        if self.day() <= 10 {
            format!("mùng {}", self.day())
        } else {
            self.day().to_string()
        }
    }

    /// Full Vietnamese description, e.g. "26 tháng Sáu (nhuận) năm Ất Tỵ".
    #[must_use]
    pub fn describe_vi(&self) -> String {
        let month = lunar_month_name(self.month()).unwrap_or_default();
        let leap = if self.is_leap() { " (nhuận)" } else { "" };
        format!(
            "{} tháng {}{} năm {}",
            self.day_name(),
            month,
            leap,
            self.year_can_chi()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_names() {
        assert_eq!(can_chi(2025), "Ất Tỵ");
        assert_eq!(can_chi(2026), "Bính Ngọ");
        assert_eq!(can_chi(2027), "Đinh Mùi");
        assert_eq!(can_chi(1984), "Giáp Tý");
        assert_eq!(can_chi(2024), "Giáp Thìn");
    }

    #[test]
    fn month_names_and_can_chi() {
        assert_eq!(lunar_month_name(1), Some("Giêng"));
        assert_eq!(lunar_month_name(12), Some("Chạp"));
        assert_eq!(lunar_month_name(0), None);
        assert_eq!(lunar_month_name(13), None);
        // Month 1 of Bính Ngọ (2026) is Canh Dần; month 1 of Ất Tỵ is Mậu Dần.
        assert_eq!(month_can_chi(1, 2026).to_string(), "Canh Dần");
        assert_eq!(month_can_chi(1, 2025).to_string(), "Mậu Dần");
        assert_eq!(month_can_chi(12, 2025).to_string(), "Kỷ Sửu");
    }

    #[test]
    fn day_can_chi_of_known_days() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(day_can_chi(d(2000, 1, 1)).to_string(), "Mậu Ngọ");
        // The cycle steps by one a day.
        let a = day_can_chi(d(2026, 2, 17));
        let b = day_can_chi(d(2026, 2, 18));
        assert_eq!((a.can_index() + 1) % 10, b.can_index());
        assert_eq!((a.chi_index() + 1) % 12, b.chi_index());
        // 60 days later the same pair returns.
        assert_eq!(day_can_chi(d(2026, 4, 18)), a);
    }

    #[test]
    fn can_chi_deserialization_is_checked() {
        let ok: CanChi = serde_json::from_str(r#"{"can":2,"chi":6}"#).unwrap();
        assert_eq!(ok.to_string(), "Bính Ngọ");
        assert!(serde_json::from_str::<CanChi>(r#"{"can":10,"chi":0}"#).is_err());
        assert!(serde_json::from_str::<CanChi>(r#"{"can":1,"chi":0}"#).is_err());
    }

    #[test]
    fn weekday_names() {
        assert_eq!(weekday_name(Weekday::Sun), "Chủ nhật");
        assert_eq!(weekday_short(Weekday::Tue), "T3");
    }

    #[test]
    fn names_are_precomposed() {
        let all = CAN.iter().chain(&CHI).chain(&LUNAR_MONTH_NAMES);
        for name in all {
            assert!(
                !name.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)),
                "{name}"
            );
        }
    }
}
