//! [`LunarDate`]: a lunar date that exists.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::LichError;
use crate::lunar::LunarCalendar;

/// A day of the Vietnamese lunar calendar.
///
/// It can only be obtained from a conversion, a constructor that checks the
/// month table ([`LunarDate::new`], [`LunarCalendar::date`]), parsing, or
/// deserialization (which checks too), so it never names a day that does not
/// exist, such as 30/12 of a year whose twelfth month has 29 days or a leap
/// sixth month in a year whose leap month is the fourth.
///
/// `LunarDate::new`, `FromStr` and `Deserialize` check against the Vietnamese
/// calendar (UTC+7); [`LunarCalendar::date`] checks against that calendar's
/// time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "LunarDateFields")]
pub struct LunarDate {
    year: i32,
    month: u8,
    leap: bool,
    day: u8,
}

/// The unchecked shape of a serialized [`LunarDate`].
#[derive(Deserialize)]
struct LunarDateFields {
    year: i32,
    month: u32,
    leap: bool,
    day: u32,
}

impl TryFrom<LunarDateFields> for LunarDate {
    type Error = LichError;
    fn try_from(f: LunarDateFields) -> Result<Self, LichError> {
        Self::new(f.day, f.month, f.year, f.leap)
    }
}

impl LunarDate {
    /// Builds a date after checking that it exists in the Vietnamese calendar.
    ///
    /// # Errors
    /// [`LichError::InvalidDay`] for a day the month does not have,
    /// [`LichError::NotLeapMonth`] for a leap flag on a regular month,
    /// [`LichError::InvalidMonth`] or [`LichError::YearOutOfRange`].
    pub fn new(day: u32, month: u32, year: i32, leap: bool) -> Result<Self, LichError> {
        LunarCalendar::vietnam().date(day, month, year, leap)
    }

    /// Only for values read from a month table.
    pub(crate) fn from_parts(day: u8, month: u8, year: i32, leap: bool) -> Self {
        Self {
            year,
            month,
            leap,
            day,
        }
    }

    /// Day of the month, 1..=30.
    #[must_use]
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Month, 1..=12.
    #[must_use]
    pub fn month(&self) -> u8 {
        self.month
    }

    /// Lunar year (the solar year in which its Tết falls).
    #[must_use]
    pub fn year(&self) -> i32 {
        self.year
    }

    /// Whether the month is the leap (nhuận) month.
    #[must_use]
    pub fn is_leap(&self) -> bool {
        self.leap
    }

    /// The solar date in the Vietnamese calendar.
    ///
    /// # Errors
    /// Only for a date built by a calendar of another time zone that does not
    /// exist at UTC+7.
    pub fn to_solar(&self) -> Result<NaiveDate, LichError> {
        LunarCalendar::vietnam().to_solar(self)
    }
}

/// `26/6/2025`, or `26/6 nhuận/2025` for a leap month.
impl fmt::Display for LunarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let leap = if self.leap { " nhuận" } else { "" };
        write!(f, "{}/{}{}/{}", self.day, self.month, leap, self.year)
    }
}

/// Parses `d/m/yyyy`; a leap month is written `d/m nhuận/yyyy` or `d/mN/yyyy`
/// (`n` or `N`). The date must exist in the Vietnamese calendar.
impl FromStr for LunarDate {
    type Err = LichError;
    fn from_str(s: &str) -> Result<Self, LichError> {
        let bad = || LichError::Parse {
            input: s.to_owned(),
        };
        let mut parts = s.trim().split('/');
        let (Some(d), Some(m), Some(y), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let m = m.trim();
        let (m, leap) = if let Some(rest) = m.strip_suffix("nhuận") {
            (rest.trim_end(), true)
        } else if let Some(rest) = m.strip_suffix(['n', 'N']) {
            (rest, true)
        } else {
            (m, false)
        };
        let num = |t: &str| -> Result<u32, LichError> {
            if !t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let day = num(d.trim())?;
        let month = num(m)?;
        let y = y.trim();
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        Self::new(day, month, year, leap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_parse_round_trip() {
        let d: LunarDate = "26/6 nhuận/2025".parse().unwrap();
        assert_eq!(
            (d.day(), d.month(), d.year(), d.is_leap()),
            (26, 6, 2025, true)
        );
        assert_eq!(d.to_string(), "26/6 nhuận/2025");
        assert_eq!("26/6n/2025".parse::<LunarDate>().unwrap(), d);
        let plain: LunarDate = "10/03/2026".parse().unwrap();
        assert_eq!(plain.to_string(), "10/3/2026");
    }

    #[test]
    fn parse_rejects_malformed_and_non_existent_dates() {
        for s in [
            "",
            "1/1",
            "1/1/1/2025",
            "a/1/2025",
            "1/1/25",
            "123/1/2025",
            "1/-1/2025",
        ] {
            assert!(
                matches!(s.parse::<LunarDate>(), Err(LichError::Parse { .. })),
                "{s}"
            );
        }
        assert!(matches!(
            "30/12/2025".parse::<LunarDate>(),
            Err(LichError::InvalidDay { .. })
        ));
        assert!(matches!(
            "1/5n/2025".parse::<LunarDate>(),
            Err(LichError::NotLeapMonth { .. })
        ));
    }
}
