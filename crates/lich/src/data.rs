//! The embedded calendar data and its validation.
//!
//! Holidays, commemorations, peak windows and the Government's yearly
//! schedules are facts with a legal basis that change by decision, not by
//! code, so they live in TOML files under `data/`. They are compiled in and
//! parsed once, on first use; a file that does not parse or breaks a rule
//! below surfaces as [`LichError::Data`] when a [`crate::Calendar`] is built.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use crate::error::LichError;
use crate::holidays::{Certainty, Tag};

const STATUTORY: &str = include_str!("../data/statutory.toml");
const COMMEMORATIONS: &str = include_str!("../data/commemorations.toml");
const PEAKS: &str = include_str!("../data/peaks.toml");
const SCHEDULES: &[(&str, &str)] = &[
    (
        "schedule/2025.toml",
        include_str!("../data/schedule/2025.toml"),
    ),
    (
        "schedule/2026.toml",
        include_str!("../data/schedule/2026.toml"),
    ),
    (
        "schedule/2027.toml",
        include_str!("../data/schedule/2027.toml"),
    ),
];

/// Which calendar a recurring date is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CalendarKind {
    Solar,
    Lunar,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Rule {
    Fixed,
    Tet,
    NationalDay,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WeeklyRest {
    pub weekdays: Vec<Weekday>,
    pub legal_basis: String,
    #[expect(dead_code, reason = "documents the data; not used in computations")]
    pub certainty: Certainty,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Compensatory {
    pub legal_basis: String,
    #[expect(dead_code, reason = "documents the data; not used in computations")]
    pub certainty: Certainty,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatutoryHoliday {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    pub calendar: CalendarKind,
    pub month: u32,
    pub day: u32,
    pub days: u32,
    pub rule: Rule,
    pub tags: Vec<Tag>,
    pub certainty: Certainty,
    pub legal_basis: String,
    #[serde(default)]
    pub switch: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Statutory {
    pub weekly_rest: WeeklyRest,
    pub compensatory: Compensatory,
    pub holiday: Vec<StatutoryHoliday>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Commemoration {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    pub calendar: CalendarKind,
    pub month: u32,
    pub day: u32,
    #[serde(default = "one")]
    pub days: u32,
    pub tags: Vec<Tag>,
    pub certainty: Certainty,
    pub legal_basis: String,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Commemorations {
    day: Vec<Commemoration>,
}

/// A bound of a peak window.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DateRule {
    pub calendar: CalendarKind,
    pub month: u32,
    pub day: u32,
    #[serde(default)]
    pub year_offset: i32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Peak {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    pub start: DateRule,
    pub end: DateRule,
    pub lead_days: u32,
    pub extend_to_days_off: bool,
    pub tags: Vec<Tag>,
    pub certainty: Certainty,
    pub legal_basis: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Peaks {
    peak: Vec<Peak>,
}

/// Whether a year's schedule was decided by the Government or derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ScheduleStatus {
    Decided,
    Derived,
}

/// Kind of a schedule entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum EntryKind {
    Statutory,
    Compensatory,
    SwappedDayOff,
    MakeupWorkday,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScheduleEntry {
    pub date: NaiveDate,
    pub holiday: String,
    pub kind: EntryKind,
    #[serde(default)]
    pub swapped_with: Option<NaiveDate>,
    #[serde(default)]
    pub derived: bool,
    pub legal_basis: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Schedule {
    pub year: i32,
    pub status: ScheduleStatus,
    pub sources: Vec<String>,
    pub entry: Vec<ScheduleEntry>,
}

/// Everything under `data/`, parsed and checked.
#[derive(Debug)]
pub(crate) struct Data {
    pub statutory: Statutory,
    pub commemorations: Vec<Commemoration>,
    pub peaks: Vec<Peak>,
    pub schedules: Vec<Schedule>,
}

static DATA: LazyLock<Result<Data, LichError>> = LazyLock::new(Data::load);

/// The embedded data, parsed on first use.
pub(crate) fn data() -> Result<&'static Data, LichError> {
    DATA.as_ref().map_err(Clone::clone)
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, LichError> {
    toml::from_str(text).map_err(|e| LichError::Data {
        detail: format!("{file}: {e}"),
    })
}

fn invalid(file: &str, what: impl std::fmt::Display) -> LichError {
    LichError::Data {
        detail: format!("{file}: {what}"),
    }
}

fn check_day_month(
    file: &str,
    id: &str,
    calendar: CalendarKind,
    month: u32,
    day: u32,
) -> Result<(), LichError> {
    let max_day = match calendar {
        // 29 February is not a valid yearly date; 30 lunar days do not
        // exist every month, so yearly lunar dates stop at 29.
        CalendarKind::Solar => NaiveDate::from_ymd_opt(2001, month, 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt())
            .map_or(0, |d| d.day()),
        CalendarKind::Lunar => 29,
    };
    if (1..=12).contains(&month) && (1..=max_day).contains(&day) {
        Ok(())
    } else {
        Err(invalid(
            file,
            format!("{id}: {day}/{month} is not a valid yearly date"),
        ))
    }
}

impl Data {
    fn load() -> Result<Self, LichError> {
        let statutory: Statutory = parse("statutory.toml", STATUTORY)?;
        let commemorations: Commemorations = parse("commemorations.toml", COMMEMORATIONS)?;
        let peaks: Peaks = parse("peaks.toml", PEAKS)?;
        let schedules = SCHEDULES
            .iter()
            .map(|(file, text)| parse::<Schedule>(file, text))
            .collect::<Result<Vec<_>, _>>()?;
        let data = Self {
            statutory,
            commemorations: commemorations.day,
            peaks: peaks.peak,
            schedules,
        };
        data.validate()?;
        Ok(data)
    }

    fn validate(&self) -> Result<(), LichError> {
        let mut ids = BTreeSet::new();
        for h in &self.statutory.holiday {
            check_day_month("statutory.toml", &h.id, h.calendar, h.month, h.day)?;
            if !ids.insert(h.id.as_str()) {
                return Err(invalid("statutory.toml", format!("duplicate id {}", h.id)));
            }
            if h.days == 0 || h.legal_basis.trim().is_empty() {
                return Err(invalid(
                    "statutory.toml",
                    format!("{}: needs days and a legal basis", h.id),
                ));
            }
        }
        if self.statutory.weekly_rest.weekdays.is_empty()
            || self.statutory.compensatory.legal_basis.is_empty()
        {
            return Err(invalid(
                "statutory.toml",
                "weekly rest days and compensatory rule are required",
            ));
        }
        for c in &self.commemorations {
            check_day_month("commemorations.toml", &c.id, c.calendar, c.month, c.day)?;
            if c.legal_basis.trim().is_empty() || c.days == 0 {
                return Err(invalid(
                    "commemorations.toml",
                    format!("{}: needs days and a legal basis", c.id),
                ));
            }
        }
        for p in &self.peaks {
            check_day_month(
                "peaks.toml",
                &p.id,
                p.start.calendar,
                p.start.month,
                p.start.day,
            )?;
            check_day_month("peaks.toml", &p.id, p.end.calendar, p.end.month, p.end.day)?;
            if p.legal_basis.trim().is_empty() {
                return Err(invalid(
                    "peaks.toml",
                    format!("{}: needs a legal basis", p.id),
                ));
            }
        }
        let mut years = BTreeSet::new();
        for s in &self.schedules {
            self.validate_schedule(s)?;
            if !years.insert(s.year) {
                return Err(invalid("schedule", format!("two schedules for {}", s.year)));
            }
        }
        Ok(())
    }

    fn validate_schedule(&self, s: &Schedule) -> Result<(), LichError> {
        let file = format!("schedule/{}.toml", s.year);
        if s.sources.is_empty() {
            return Err(invalid(&file, "at least one source is required"));
        }
        let rest = &self.statutory.weekly_rest.weekdays;
        let mut dates = BTreeSet::new();
        for e in &s.entry {
            let here = |what: &str| invalid(&file, format!("{}: {what}", e.date));
            if e.date.year() != s.year {
                return Err(here("date outside the schedule's year"));
            }
            if !dates.insert(e.date) {
                return Err(here("listed twice"));
            }
            if self.holiday(&e.holiday).is_none() {
                return Err(here("unknown holiday id"));
            }
            if e.legal_basis.trim().is_empty() {
                return Err(here("missing legal basis"));
            }
            if s.status == ScheduleStatus::Derived && !e.derived {
                return Err(here("a derived schedule may only hold derived entries"));
            }
            let weekend = rest.contains(&e.date.weekday());
            match e.kind {
                EntryKind::MakeupWorkday | EntryKind::SwappedDayOff => {
                    let ok_day = if e.kind == EntryKind::MakeupWorkday {
                        weekend
                    } else {
                        !weekend
                    };
                    let partner = e
                        .swapped_with
                        .and_then(|w| s.entry.iter().find(|x| x.date == w));
                    let paired = partner.is_some_and(|p| {
                        p.swapped_with == Some(e.date) && p.kind != e.kind && p.holiday == e.holiday
                    });
                    if !ok_day || !paired {
                        return Err(here(
                            "a swap needs a weekday off paired with a weekend make-up day",
                        ));
                    }
                }
                EntryKind::Compensatory if weekend => {
                    return Err(here("a compensatory day must be a weekday"));
                }
                EntryKind::Compensatory | EntryKind::Statutory => {
                    if e.swapped_with.is_some() {
                        return Err(here("swapped_with only applies to swaps"));
                    }
                }
            }
        }
        Ok(())
    }

    pub(crate) fn holiday(&self, id: &str) -> Option<&StatutoryHoliday> {
        self.statutory.holiday.iter().find(|h| h.id == id)
    }

    pub(crate) fn schedule(&self, year: i32) -> Option<&Schedule> {
        self.schedules.iter().find(|s| s.year == year)
    }

    /// Names of all switchable entries.
    pub(crate) fn switches(&self) -> impl Iterator<Item = &str> {
        self.statutory
            .holiday
            .iter()
            .filter_map(|h| h.switch.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads_and_validates() {
        let d = data().unwrap();
        assert_eq!(
            d.statutory
                .holiday
                .iter()
                .filter(|h| h.switch.is_none())
                .map(|h| h.days)
                .sum::<u32>(),
            11
        );
        assert_eq!(d.schedules.len(), 3);
        assert!(d.switches().any(|s| s == "ngay_van_hoa_viet_nam"));
        assert!(d.commemorations.len() >= 18);
        assert_eq!(d.peaks.len(), 5);
    }

    #[test]
    fn bad_schedules_are_rejected() {
        let d = data().unwrap();
        let weekday_makeup = r#"
            year = 2030
            status = "decided"
            sources = ["x"]
            [[entry]]
            date = "2030-04-29"
            holiday = "ngay_chien_thang"
            kind = "makeup_workday"
            swapped_with = "2030-04-27"
            legal_basis = "x"
        "#;
        let s: Schedule = parse("t", weekday_makeup).unwrap();
        assert!(matches!(
            d.validate_schedule(&s),
            Err(LichError::Data { .. })
        ));
        let wrong_year = r#"
            year = 2030
            status = "decided"
            sources = ["x"]
            [[entry]]
            date = "2031-01-01"
            holiday = "tet_duong_lich"
            kind = "statutory"
            legal_basis = "x"
        "#;
        let s: Schedule = parse("t", wrong_year).unwrap();
        assert!(d.validate_schedule(&s).is_err());
        let unknown_field =
            "year = 2030\nstatus = \"decided\"\nsources = []\nentry = []\nextra = 1\n";
        assert!(parse::<Schedule>("t", unknown_field).is_err());
    }
}
