//! The Vietnamese lunar calendar: month tables and conversions.
//!
//! A lunar year is laid out between two "month 11" new moons (the month that
//! contains the winter solstice). That span, here called a *sui* (歲, tuế),
//! holds 12 months, or 13 when one of them must be a leap month: the first
//! month after month 11 in which the sun enters no new sector (contains no
//! major solar term). Sui `y` runs from month 11 of solar year `y − 1` to the
//! day before month 11 of solar year `y`; it holds months 11 and 12 of lunar
//! year `y − 1` and months 1 to 10 of lunar year `y`.
//!
//! Each sui is computed once per [`LunarCalendar`] and cached, so converting
//! every day of two centuries costs a few hundred sui computations, not one
//! per day.

use std::sync::{LazyLock, OnceLock};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::astro::{lunar_month_11, lunation_index, new_moon_day, sun_sector};
use crate::date::LunarDate;
use crate::error::LichError;
use crate::julian::{date_from_jd, jd};

/// First year (solar and lunar) this crate computes.
pub const MIN_YEAR: i32 = 1800;
/// Last year (solar and lunar) this crate computes.
pub const MAX_YEAR: i32 = 2199;

/// A time-zone offset in hours east of UTC, used to decide on which local day
/// a new moon or a solar term falls.
///
/// Vietnam has computed its calendar for the 105°E meridian (UTC+7) since
/// the late 1960s; China computes for UTC+8. Fractional offsets are allowed.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct TimeZone(f64);

impl TimeZone {
    /// UTC+7, the meridian of the Vietnamese calendar.
    pub const VIETNAM: Self = Self(7.0);
    /// UTC+8, the meridian of the Chinese calendar.
    pub const CHINA: Self = Self(8.0);

    /// An offset of `hours` east of UTC.
    ///
    /// # Errors
    /// [`LichError::InvalidTimeZone`] unless `hours` is finite and in −12..=14.
    pub fn from_hours(hours: f64) -> Result<Self, LichError> {
        if hours.is_finite() && (-12.0..=14.0).contains(&hours) {
            Ok(Self(hours))
        } else {
            Err(LichError::InvalidTimeZone {
                hours: hours.to_string(),
            })
        }
    }

    /// The offset in hours east of UTC.
    #[must_use]
    pub fn hours(self) -> f64 {
        self.0
    }
}

impl Default for TimeZone {
    fn default() -> Self {
        Self::VIETNAM
    }
}

impl TryFrom<f64> for TimeZone {
    type Error = LichError;
    fn try_from(hours: f64) -> Result<Self, LichError> {
        Self::from_hours(hours)
    }
}

impl From<TimeZone> for f64 {
    fn from(tz: TimeZone) -> f64 {
        tz.0
    }
}

/// One month of a lunar year: its number, leap flag, first solar day and
/// length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LunarMonth {
    /// Lunar year the month belongs to.
    pub year: i32,
    /// Month number, 1..=12.
    pub month: u8,
    /// Whether this is the leap (nhuận) month.
    pub leap: bool,
    /// Solar date of day 1.
    pub first_day: NaiveDate,
    /// Number of days, 29 or 30.
    pub days: u8,
}

#[derive(Debug, Clone, Copy, Default)]
struct MonthEntry {
    start: i64,
    days: u8,
    month: u8,
    leap: bool,
    year: i32,
}

#[derive(Debug)]
struct Sui {
    months: [MonthEntry; 13],
    len: usize,
}

impl Sui {
    fn months(&self) -> &[MonthEntry] {
        &self.months[..self.len]
    }

    /// Lays out sui `y` for time zone `tz`, labelling months exactly as the
    /// reference conversion does.
    fn compute(y: i32, tz: f64) -> Self {
        let a11 = lunar_month_11(i64::from(y) - 1, tz);
        let b11 = lunar_month_11(i64::from(y), tz);
        let k0 = lunation_index(a11);
        let len = if b11 - a11 > 365 { 13 } else { 12 };
        // One start more than months (the next month 11), plus one for the
        // leap-month search, which compares each month with the next.
        let starts: Vec<i64> = (0..=len as i64 + 1)
            .map(|i| new_moon_day(k0 + i, tz))
            .collect();
        debug_assert_eq!(starts[0], a11);
        let leap_offset = (len == 13).then(|| leap_month_offset(&starts, tz));
        let mut months = [MonthEntry::default(); 13];
        for (i, slot) in months.iter_mut().enumerate().take(len) {
            let (mut month, leap) = match leap_offset {
                Some(off) if i >= off => (i + 10, i == off),
                _ => (i + 11, false),
            };
            if month > 12 {
                month -= 12;
            }
            let year = if month >= 11 && i < 4 { y - 1 } else { y };
            let days = u8::try_from(starts[i + 1] - starts[i]).unwrap_or(30);
            *slot = MonthEntry {
                start: starts[i],
                days,
                month: month as u8,
                leap,
                year,
            };
        }
        Self { months, len }
    }
}

/// Index (from month 11) of the first month whose new moon and the next one
/// fall in the same sun sector, i.e. a month without a major solar term.
fn leap_month_offset(starts: &[i64], tz: f64) -> usize {
    let sectors: Vec<i64> = starts.iter().take(14).map(|&s| sun_sector(s, tz)).collect();
    sectors
        .windows(2)
        .enumerate()
        .skip(1)
        .find(|(_, w)| w[0] == w[1])
        .map_or(sectors.len() - 1, |(i, _)| i)
}

/// The lunar calendar of one time zone, with its month tables cached.
///
/// [`LunarCalendar::vietnam`] is the shared UTC+7 calendar; build others with
/// [`LunarCalendar::new`]. The cache fills on demand and is safe to share
/// between threads.
#[derive(Debug)]
pub struct LunarCalendar {
    tz: TimeZone,
    suis: Box<[OnceLock<Sui>]>,
}

static VIETNAM: LazyLock<LunarCalendar> = LazyLock::new(|| LunarCalendar::new(TimeZone::VIETNAM));

fn check_year(year: i32) -> Result<(), LichError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(LichError::YearOutOfRange {
            year,
            min: MIN_YEAR,
            max: MAX_YEAR,
        })
    }
}

impl LunarCalendar {
    /// A calendar for time zone `tz`, with an empty cache.
    #[must_use]
    pub fn new(tz: TimeZone) -> Self {
        let slots = (MAX_YEAR - MIN_YEAR + 2) as usize;
        Self {
            tz,
            suis: (0..slots).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The shared calendar of Vietnam (UTC+7).
    #[must_use]
    pub fn vietnam() -> &'static Self {
        &VIETNAM
    }

    /// The time zone this calendar computes for.
    #[must_use]
    pub fn time_zone(&self) -> TimeZone {
        self.tz
    }

    /// Sui `y`, for `y` in `MIN_YEAR..=MAX_YEAR + 1` (callers check).
    fn sui(&self, y: i32) -> &Sui {
        let slot = &self.suis[(y - MIN_YEAR) as usize];
        slot.get_or_init(|| Sui::compute(y, self.tz.0))
    }

    fn month_of_day(&self, day: i64, solar_year: i32) -> MonthEntry {
        // Month 11 of `solar_year` starts in late November or December: days
        // from then on belong to the next sui.
        let next = self.sui(solar_year + 1);
        let sui = if day >= next.months[0].start {
            next
        } else {
            self.sui(solar_year)
        };
        let i = sui.months().partition_point(|m| m.start <= day) - 1;
        sui.months[i]
    }

    fn find_month(&self, month: u32, year: i32, leap: bool) -> Result<MonthEntry, LichError> {
        check_year(year)?;
        if !(1..=12).contains(&month) {
            return Err(LichError::InvalidMonth { month });
        }
        let sui = if month >= 11 {
            self.sui(year + 1)
        } else {
            self.sui(year)
        };
        sui.months()
            .iter()
            .find(|m| u32::from(m.month) == month && m.leap == leap && m.year == year)
            .copied()
            .ok_or_else(|| LichError::NotLeapMonth {
                month,
                year,
                leap_month: self.leap_month(year).ok().flatten(),
            })
    }

    /// The lunar date of a solar date.
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`] outside [`MIN_YEAR`]..=[`MAX_YEAR`].
    pub fn solar_to_lunar(&self, date: NaiveDate) -> Result<LunarDate, LichError> {
        use chrono::Datelike;
        check_year(date.year())?;
        let day = jd(date);
        let m = self.month_of_day(day, date.year());
        Ok(LunarDate::from_parts(
            (day - m.start + 1) as u8,
            m.month,
            m.year,
            m.leap,
        ))
    }

    /// Checks that a lunar date exists in this calendar and builds it.
    ///
    /// # Errors
    /// [`LichError::InvalidMonth`], [`LichError::NotLeapMonth`],
    /// [`LichError::InvalidDay`] or [`LichError::YearOutOfRange`].
    pub fn date(
        &self,
        day: u32,
        month: u32,
        year: i32,
        leap: bool,
    ) -> Result<LunarDate, LichError> {
        let m = self.find_month(month, year, leap)?;
        if day == 0 || day > u32::from(m.days) {
            return Err(LichError::InvalidDay {
                day,
                month,
                year,
                leap,
                days_in_month: m.days,
            });
        }
        Ok(LunarDate::from_parts(day as u8, m.month, year, leap))
    }

    /// The solar date of a lunar date given by its parts.
    ///
    /// # Errors
    /// As [`LunarCalendar::date`]: a day the month does not have (30/12 in a
    /// 29-day month) or a leap flag on a month that is not leap is an error.
    pub fn lunar_to_solar(
        &self,
        day: u32,
        month: u32,
        year: i32,
        leap: bool,
    ) -> Result<NaiveDate, LichError> {
        let m = self.find_month(month, year, leap)?;
        if day == 0 || day > u32::from(m.days) {
            return Err(LichError::InvalidDay {
                day,
                month,
                year,
                leap,
                days_in_month: m.days,
            });
        }
        Ok(solar(m.start + i64::from(day) - 1))
    }

    /// The solar date of `date` in this calendar's time zone.
    ///
    /// # Errors
    /// When `date` was built for another time zone and does not exist here.
    pub fn to_solar(&self, date: &LunarDate) -> Result<NaiveDate, LichError> {
        self.lunar_to_solar(
            u32::from(date.day()),
            u32::from(date.month()),
            date.year(),
            date.is_leap(),
        )
    }

    /// Number of days (29 or 30) of a lunar month.
    ///
    /// # Errors
    /// [`LichError::InvalidMonth`], [`LichError::NotLeapMonth`] or
    /// [`LichError::YearOutOfRange`].
    pub fn days_in_month(&self, month: u32, year: i32, leap: bool) -> Result<u8, LichError> {
        Ok(self.find_month(month, year, leap)?.days)
    }

    /// The leap month of lunar year `year`, if it has one.
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`].
    pub fn leap_month(&self, year: i32) -> Result<Option<u8>, LichError> {
        check_year(year)?;
        Ok([self.sui(year), self.sui(year + 1)]
            .into_iter()
            .flat_map(Sui::months)
            .find(|m| m.leap && m.year == year)
            .map(|m| m.month))
    }

    /// Tết Nguyên đán: the solar date of 1/1 of lunar year `year`.
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`].
    pub fn tet(&self, year: i32) -> Result<NaiveDate, LichError> {
        Ok(solar(self.find_month(1, year, false)?.start))
    }

    /// The months of lunar year `year` in order (12 or 13 of them).
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`].
    pub fn months(&self, year: i32) -> Result<Vec<LunarMonth>, LichError> {
        check_year(year)?;
        Ok([self.sui(year), self.sui(year + 1)]
            .into_iter()
            .flat_map(Sui::months)
            .filter(|m| m.year == year)
            .map(|m| LunarMonth {
                year: m.year,
                month: m.month,
                leap: m.leap,
                first_day: solar(m.start),
                days: m.days,
            })
            .collect())
    }

    /// The last day (29 or 30) of lunar month 12 of `year`, as a solar date:
    /// the day of Giao thừa (lunar New Year's Eve).
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`].
    pub fn new_years_eve(&self, year: i32) -> Result<NaiveDate, LichError> {
        let m = self.find_month(12, year, false)?;
        Ok(solar(m.start + i64::from(m.days) - 1))
    }
}

/// The solar date of a JDN inside the supported range.
fn solar(jdn: i64) -> NaiveDate {
    // The supported range lies far inside chrono's, so this cannot fail;
    // the fallback keeps the function total without a panic path.
    date_from_jd(jdn).unwrap_or(NaiveDate::MIN)
}
