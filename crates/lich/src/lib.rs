//! `lich`: the Vietnamese calendar engine of An Toàn.
//!
//! This crate owns everything the system knows about dates:
//! - the Vietnamese lunar calendar ([`LunarCalendar`], [`LunarDate`]):
//!   conversions both ways, month lengths, leap months, Tết, can chi and the
//!   Vietnamese names of weekdays and lunar months;
//! - holidays, commemoration days and peak periods, kept as embedded data
//!   with their legal basis ([`Calendar`], [`Holiday`], [`PeakPeriod`]);
//! - working-day arithmetic for legal deadlines (weekends, holidays,
//!   compensatory days and swapped working Saturdays).
//!
//! It does no I/O: the data files under `data/` are compiled in and parsed on
//! first use.
//!
//! # Why our own lunar implementation
//! The lunar calendar follows Hồ Ngọc Đức's published algorithm, computed
//! for UTC+7. Ports of that algorithm are easy to get subtly wrong: one
//! rewrote the new-moon correction `c - a + b` as `c -= a + b`, flipping the
//! sign of three small terms, which moves the start of some months by a day
//! (the `amlich-core` crate, 0.1.4, starts leap month 4 of 2020 on 22/5
//! instead of 23/5 and misses leap month 2 of 2023); another takes the wrong
//! solar year in one branch and prints solar 19/8/2025 as 26/7 instead of
//! 26/6 (leap) Ất Tỵ; none checks that a lunar date exists (there is no 30/12 in Ất Tỵ). Because legal deadlines and protection
//! plans hang on these dates, the algorithm is implemented here from its
//! description, with the time zone as a parameter, and tested day by day.
//!
//! # Example
//! ```
//! use chrono::NaiveDate;
//! use lich::{Calendar, LunarDate, can_chi, solar_to_lunar};
//!
//! let day = NaiveDate::from_ymd_opt(2025, 8, 19).unwrap();
//! let lunar = solar_to_lunar(day)?;
//! assert_eq!(lunar.to_string(), "26/6 nhuận/2025");
//! assert_eq!(can_chi(lunar.year()), "Ất Tỵ");
//! // There is no 30th day in the twelfth month of Ất Tỵ.
//! assert!(LunarDate::new(30, 12, 2025, false).is_err());
//!
//! let calendar = Calendar::standard()?;
//! let accepted = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
//! let due = calendar.deadline(accepted, 60)?; // ends on Saturday 9/5, rolls to Monday
//! assert_eq!(due, NaiveDate::from_ymd_opt(2026, 5, 11).unwrap());
//! # Ok::<(), lich::LichError>(())
//! ```
//!
//! # Supported range
//! Solar and lunar years [`MIN_YEAR`]..=[`MAX_YEAR`] (1800–2199).

#![warn(missing_docs)]

pub mod astro;
mod calendar;
pub mod canchi;
mod data;
mod date;
mod error;
mod holidays;
pub mod julian;
mod lunar;
mod peaks;
mod workdays;

use chrono::NaiveDate;

pub use calendar::{
    CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR, Calendar, CalendarOptions, Certainty, Holiday,
    HolidayKind, Tag,
};
pub use canchi::{
    CanChi, can_chi, day_can_chi, lunar_month_name, month_can_chi, weekday_name, weekday_short,
    year_can_chi,
};
pub use date::LunarDate;
pub use error::LichError;
pub use julian::jd;
pub use lunar::{LunarCalendar, LunarMonth, MAX_YEAR, MIN_YEAR, TimeZone};
pub use peaks::PeakPeriod;

/// The lunar date of a solar date, in the Vietnamese calendar (UTC+7).
///
/// # Errors
/// [`LichError::YearOutOfRange`] outside 1800–2199.
pub fn solar_to_lunar(date: NaiveDate) -> Result<LunarDate, LichError> {
    LunarCalendar::vietnam().solar_to_lunar(date)
}

/// The solar date of a lunar date (Vietnamese calendar, UTC+7).
///
/// # Errors
/// A day the month does not have ([`LichError::InvalidDay`]), a leap flag on a
/// regular month ([`LichError::NotLeapMonth`]), a month outside 1..=12 or a
/// year outside 1800–2199.
pub fn lunar_to_solar(day: u32, month: u32, year: i32, leap: bool) -> Result<NaiveDate, LichError> {
    LunarCalendar::vietnam().lunar_to_solar(day, month, year, leap)
}

/// Number of days (29 or 30) of a lunar month (Vietnamese calendar).
///
/// # Errors
/// As [`lunar_to_solar`].
pub fn days_in_lunar_month(month: u32, year: i32, leap: bool) -> Result<u8, LichError> {
    LunarCalendar::vietnam().days_in_month(month, year, leap)
}

/// The leap month of lunar year `year`, if any (Vietnamese calendar).
///
/// # Errors
/// [`LichError::YearOutOfRange`].
pub fn leap_month(year: i32) -> Result<Option<u8>, LichError> {
    LunarCalendar::vietnam().leap_month(year)
}

/// Tết Nguyên đán of lunar year `year` (Vietnamese calendar).
///
/// # Errors
/// [`LichError::YearOutOfRange`].
pub fn tet(year: i32) -> Result<NaiveDate, LichError> {
    LunarCalendar::vietnam().tet(year)
}
