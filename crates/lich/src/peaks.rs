//! Peak periods (đợt cao điểm) for protection plans.
//!
//! A peak is a window around a holiday or anniversary during which an agency
//! reinforces security duty. The windows are data (`data/peaks.toml`); this
//! module resolves them to solar dates for a year, optionally widens them to
//! the surrounding run of days off, and adds the preparation lead time.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, check_calendar_year};
use crate::data::{CalendarKind, DateRule, data};
use crate::error::LichError;
use crate::holidays::{Certainty, Tag};

/// A peak period resolved for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeakPeriod {
    /// Stable identifier, e.g. `tet`.
    pub id: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// First day of the nominal window (e.g. 23/12 lunar for Tết).
    pub nominal_start: NaiveDate,
    /// Last day of the nominal window.
    pub nominal_end: NaiveDate,
    /// First day of the effective span (the nominal window, widened to the
    /// run of days off that touches it where the peak asks for it).
    pub start: NaiveDate,
    /// Last day of the effective span.
    pub end: NaiveDate,
    /// Preparation lead time in days.
    pub lead_days: u32,
    /// `start` minus the lead time: when plans and rosters should be ready.
    pub prepare_from: NaiveDate,
    /// Thematic tags.
    pub tags: Vec<Tag>,
    /// How well the window is established.
    pub certainty: Certainty,
    /// Legal basis or practice the window rests on.
    pub legal_basis: String,
}

impl PeakPeriod {
    /// Whether `date` lies in the effective span.
    #[must_use]
    pub fn contains(&self, date: NaiveDate) -> bool {
        (self.start..=self.end).contains(&date)
    }

    /// Length of the effective span in days.
    #[must_use]
    pub fn len_days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }
}

impl Calendar {
    fn resolve(&self, rule: DateRule, year: i32) -> Result<NaiveDate, LichError> {
        let y = year + rule.year_offset;
        match rule.calendar {
            CalendarKind::Solar => {
                NaiveDate::from_ymd_opt(y, rule.month, rule.day).ok_or_else(|| LichError::Data {
                    detail: format!("peak date {}/{}", rule.day, rule.month),
                })
            }
            CalendarKind::Lunar => self.lunar().lunar_to_solar(rule.day, rule.month, y, false),
        }
    }

    /// The peak periods of solar year `year`, in date order. The Tết peak of
    /// `year` is the one around the Tết that falls in `year`.
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`] outside 1801–2198.
    pub fn peak_periods(&self, year: i32) -> Result<Vec<PeakPeriod>, LichError> {
        check_calendar_year(year)?;
        let mut out = Vec::new();
        for p in &data()?.peaks {
            let nominal_start = self.resolve(p.start, year)?;
            let nominal_end = self.resolve(p.end, year)?;
            let (mut start, mut end) = (nominal_start, nominal_end);
            if p.extend_to_days_off {
                while let Some(prev) = start.checked_sub_days(Days::new(1))
                    && check_calendar_year(chrono::Datelike::year(&prev)).is_ok()
                    && self.is_day_off(prev)?
                {
                    start = prev;
                }
                while let Some(next) = end.checked_add_days(Days::new(1))
                    && check_calendar_year(chrono::Datelike::year(&next)).is_ok()
                    && self.is_day_off(next)?
                {
                    end = next;
                }
            }
            let lead_days = self.peak_lead_days.unwrap_or(p.lead_days);
            out.push(PeakPeriod {
                id: p.id.clone(),
                name_vi: p.name_vi.clone(),
                name_en: p.name_en.clone(),
                nominal_start,
                nominal_end,
                start,
                end,
                lead_days,
                prepare_from: start - Days::new(u64::from(lead_days)),
                tags: p.tags.clone(),
                certainty: p.certainty,
                legal_basis: p.legal_basis.clone(),
            });
        }
        out.sort_by_key(|p| p.start);
        Ok(out)
    }

    /// The peak periods (of `date`'s year and its neighbours) whose effective
    /// span contains `date`.
    ///
    /// # Errors
    /// [`LichError::YearOutOfRange`] outside 1801–2198.
    pub fn peaks_on(&self, date: NaiveDate) -> Result<Vec<PeakPeriod>, LichError> {
        let y = chrono::Datelike::year(&date);
        let mut out = Vec::new();
        for year in [y - 1, y, y + 1] {
            if check_calendar_year(year).is_ok() {
                out.extend(
                    self.peak_periods(year)?
                        .into_iter()
                        .filter(|p| p.contains(date)),
                );
            }
        }
        Ok(out)
    }
}
