//! [`Calendar`]: holidays, commemorations and days off of the Vietnamese
//! public sector, built from the embedded data.
//!
//! A year's days off come from its schedule file when there is one (the
//! Government decides the real Tết and Quốc khánh spans and any day swaps
//! each year, and those cannot be computed). For other years they are
//! derived from the Labour Code with the rules below and flagged
//! `derived`:
//! - Tết: the last day of the old lunar year (29 or 30 of month 12) and the
//!   first four days of the new one;
//! - Quốc khánh: 2/9 and one adjacent day, chosen to join a weekend where
//!   possible;
//! - a statutory day on a weekly rest day gives a compensatory day off on the
//!   next working day (Điều 111 khoản 3).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{LazyLock, OnceLock};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::data::{EntryKind, Schedule, ScheduleStatus, data};
use crate::error::LichError;
pub use crate::holidays::{Certainty, Holiday, HolidayKind, Tag};
use crate::holidays::{add_compensatory, entry_for};
use crate::lunar::{LunarCalendar, MAX_YEAR, MIN_YEAR, TimeZone};

/// First solar year a [`Calendar`] answers for (the Tết window and Tết of
/// a year reach back into the previous lunar year).
pub const CALENDAR_MIN_YEAR: i32 = MIN_YEAR + 1;
/// Last solar year a [`Calendar`] answers for.
pub const CALENDAR_MAX_YEAR: i32 = MAX_YEAR - 1;

/// Options of a [`Calendar`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CalendarOptions {
    /// Time zone of the lunar calendar (UTC+7 by default).
    pub time_zone: TimeZone,
    /// Switchable entries by name (e.g. `ngay_van_hoa_viet_nam`), all off by
    /// default.
    pub switches: BTreeMap<String, bool>,
    /// Lead days before every peak window, overriding each peak's default.
    pub peak_lead_days: Option<u32>,
}

impl CalendarOptions {
    /// Sets the lunar calendar's time zone.
    #[must_use]
    pub fn with_time_zone(mut self, tz: TimeZone) -> Self {
        self.time_zone = tz;
        self
    }

    /// Turns a switchable entry on or off.
    #[must_use]
    pub fn with_switch(mut self, name: &str, on: bool) -> Self {
        self.switches.insert(name.to_owned(), on);
        self
    }

    /// Uses `days` of preparation before every peak.
    #[must_use]
    pub fn with_peak_lead_days(mut self, days: u32) -> Self {
        self.peak_lead_days = Some(days);
        self
    }
}

/// A year's computed entries and days off.
#[derive(Debug)]
struct YearDays {
    entries: Vec<Holiday>,
    /// Bit `ordinal0` set when the day is off.
    off: [u64; 6],
}

/// The public-sector calendar: holidays, commemorations, peaks and working
/// days.
#[derive(Debug)]
pub struct Calendar {
    lunar: LunarCalendar,
    enabled: BTreeSet<String>,
    pub(crate) peak_lead_days: Option<u32>,
    years: Box<[OnceLock<YearDays>]>,
}

static STANDARD: LazyLock<Result<Calendar, LichError>> =
    LazyLock::new(|| Calendar::new(CalendarOptions::default()));

pub(crate) fn check_calendar_year(year: i32) -> Result<(), LichError> {
    if (CALENDAR_MIN_YEAR..=CALENDAR_MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(LichError::YearOutOfRange {
            year,
            min: CALENDAR_MIN_YEAR,
            max: CALENDAR_MAX_YEAR,
        })
    }
}

pub(crate) fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

impl Calendar {
    /// Builds a calendar from the embedded data.
    ///
    /// # Errors
    /// [`LichError::UnknownSwitch`] for a switch name the data does not
    /// define; [`LichError::Data`] if the embedded data is invalid.
    pub fn new(options: CalendarOptions) -> Result<Self, LichError> {
        let d = data()?;
        let known: BTreeSet<&str> = d.switches().collect();
        if let Some(name) = options
            .switches
            .keys()
            .find(|k| !known.contains(k.as_str()))
        {
            return Err(LichError::UnknownSwitch { name: name.clone() });
        }
        let enabled = options
            .switches
            .into_iter()
            .filter(|(_, on)| *on)
            .map(|(k, _)| k)
            .collect();
        let slots = (CALENDAR_MAX_YEAR - CALENDAR_MIN_YEAR + 1) as usize;
        Ok(Self {
            lunar: LunarCalendar::new(options.time_zone),
            enabled,
            peak_lead_days: options.peak_lead_days,
            years: (0..slots).map(|_| OnceLock::new()).collect(),
        })
    }

    /// The shared calendar with default options (UTC+7, no switches).
    ///
    /// # Errors
    /// [`LichError::Data`] if the embedded data is invalid.
    pub fn standard() -> Result<&'static Self, LichError> {
        STANDARD.as_ref().map_err(Clone::clone)
    }

    /// The weekly rest days and their legal basis.
    ///
    /// # Errors
    /// [`LichError::Data`] if the embedded data is invalid.
    pub fn weekly_rest(&self) -> Result<(&'static [Weekday], &'static str), LichError> {
        let w = &data()?.statutory.weekly_rest;
        Ok((w.weekdays.as_slice(), w.legal_basis.as_str()))
    }

    /// The lunar calendar this calendar uses.
    #[must_use]
    pub fn lunar(&self) -> &LunarCalendar {
        &self.lunar
    }

    /// Legal sources of a year's schedule and whether it was decided by the
    /// Government (`true`) or derived; `None` when no schedule file exists.
    #[must_use]
    pub fn schedule_sources(&self, year: i32) -> Option<(bool, &'static [String])> {
        let s = data().ok()?.schedule(year)?;
        Some((s.status == ScheduleStatus::Decided, s.sources.as_slice()))
    }

    fn year_days(&self, year: i32) -> Result<&YearDays, LichError> {
        check_calendar_year(year)?;
        let slot = &self.years[(year - CALENDAR_MIN_YEAR) as usize];
        if let Some(y) = slot.get() {
            return Ok(y);
        }
        let built = self.build_year(year, data()?.schedule(year))?;
        Ok(slot.get_or_init(|| built))
    }

    /// Every entry of solar year `year` (days off, swaps and commemorations),
    /// sorted by date.
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`] outside 1801–2198.
    pub fn holidays(&self, year: i32) -> Result<Vec<Holiday>, LichError> {
        Ok(self.year_days(year)?.entries.clone())
    }

    /// Whether public-sector staff are off on `date`: weekly rest days,
    /// holidays, compensatory and swapped days off, minus make-up workdays.
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`] outside 1801–2198.
    pub fn is_day_off(&self, date: NaiveDate) -> Result<bool, LichError> {
        let y = self.year_days(date.year())?;
        let i = date.ordinal0() as usize;
        Ok(y.off[i / 64] >> (i % 64) & 1 == 1)
    }

    /// Whether `date` is a working day (the opposite of [`Calendar::is_day_off`]).
    ///
    /// # Errors
    /// As [`Calendar::is_day_off`].
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, LichError> {
        Ok(!self.is_day_off(date)?)
    }

    /// Builds a year from its schedule, or derives it when `schedule` is
    /// `None`.
    fn build_year(&self, year: i32, schedule: Option<&Schedule>) -> Result<YearDays, LichError> {
        let d = data()?;
        let rest = &d.statutory.weekly_rest.weekdays;
        let mut entries = Vec::new();
        let switched = d
            .statutory
            .holiday
            .iter()
            .filter(|h| h.switch.as_ref().is_some_and(|s| self.enabled.contains(s)));
        if let Some(s) = schedule {
            for e in &s.entry {
                let h = d.holiday(&e.holiday).ok_or_else(|| LichError::Data {
                    detail: e.holiday.clone(),
                })?;
                let kind = match e.kind {
                    EntryKind::Statutory => HolidayKind::Statutory,
                    EntryKind::Compensatory => HolidayKind::Compensatory,
                    EntryKind::SwappedDayOff => HolidayKind::SwappedDayOff,
                    EntryKind::MakeupWorkday => HolidayKind::MakeupWorkday,
                };
                let mut entry = entry_for(
                    h,
                    e.date,
                    kind,
                    e.derived || s.status == ScheduleStatus::Derived,
                );
                entry.legal_basis.clone_from(&e.legal_basis);
                entry.swapped_with = e.swapped_with;
                entries.push(entry);
            }
            for h in switched {
                for date in self.statutory_dates(h, year)? {
                    entries.push(entry_for(h, date, HolidayKind::Statutory, true));
                }
            }
        } else {
            for h in d
                .statutory
                .holiday
                .iter()
                .filter(|h| h.switch.is_none())
                .chain(switched)
            {
                for date in self.statutory_dates(h, year)? {
                    entries.push(entry_for(h, date, HolidayKind::Statutory, true));
                }
            }
        }
        entries.sort_by_key(|e| (e.date, e.kind));
        add_compensatory(&mut entries, rest, &d.statutory.compensatory.legal_basis);
        entries.extend(self.commemorations(year)?);
        entries.sort_by_key(|e| (e.date, e.kind));

        let mut off = [0u64; 6];
        let mut set = |date: NaiveDate, on: bool| {
            let i = date.ordinal0() as usize;
            if on {
                off[i / 64] |= 1 << (i % 64);
            } else {
                off[i / 64] &= !(1 << (i % 64));
            }
        };
        let mut day = ymd(year, 1, 1).ok_or(LichError::YearOutOfRange {
            year,
            min: MIN_YEAR,
            max: MAX_YEAR,
        })?;
        while day.year() == year {
            set(day, rest.contains(&day.weekday()));
            day = day + Days::new(1);
        }
        for e in &entries {
            match e.kind {
                HolidayKind::MakeupWorkday => set(e.date, false),
                _ if e.day_off => set(e.date, true),
                _ => {}
            }
        }
        Ok(YearDays { entries, off })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days_off(y: &YearDays, year: i32) -> Vec<NaiveDate> {
        NaiveDate::from_ymd_opt(year, 1, 1)
            .unwrap()
            .iter_days()
            .take_while(|d| d.year() == year)
            .filter(|d| {
                let i = d.ordinal0() as usize;
                y.off[i / 64] >> (i % 64) & 1 == 1
            })
            .collect()
    }

    #[test]
    fn derivation_rules_reproduce_the_derived_2027_file() {
        let cal = Calendar::new(CalendarOptions::default()).unwrap();
        let file = cal
            .build_year(2027, data().unwrap().schedule(2027))
            .unwrap();
        let derived = cal.build_year(2027, None).unwrap();
        assert_eq!(days_off(&file, 2027), days_off(&derived, 2027));
        let statutory = |y: &YearDays| {
            y.entries
                .iter()
                .filter(|e| e.day_off)
                .map(|e| (e.date, e.kind, e.id.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(statutory(&file), statutory(&derived));
        assert!(file.entries.iter().filter(|e| e.day_off).all(|e| e.derived));
    }

    #[test]
    fn decided_years_differ_from_bare_derivation_where_the_government_swapped_days() {
        let cal = Calendar::new(CalendarOptions::default()).unwrap();
        let decided = cal
            .build_year(2026, data().unwrap().schedule(2026))
            .unwrap();
        let derived = cal.build_year(2026, None).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        assert!(days_off(&decided, 2026).contains(&day));
        assert!(!days_off(&derived, 2026).contains(&day));
    }
}
