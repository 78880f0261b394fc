//! The month grid: every day from the Monday before the 1st to the Sunday after the last day,
//! each with its lunar date, the holidays and commemorations that fall on it, the peak
//! periods it belongs to and the organisation's events. Built once per request from the
//! `lich` calendar, then only displayed by the template.

use super::{YEARS, holiday_name, kind_code, lunar_month_text, peak_name};
use crate::i18n::T;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use lich::{Calendar, LichError, PeakPeriod};
use std::collections::HashMap;
use store::events::OrgEvent;

/// A month of a year the pages can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// `YYYY-MM`, in the years the pages cover.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        ((1..=12).contains(&month) && YEARS.contains(&year)).then_some(Month { year, month })
    }

    pub fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn last(self) -> NaiveDate {
        let next = self.first() + Days::new(32);
        NaiveDate::from_ymd_opt(next.year(), next.month(), 1).unwrap_or_default() - Days::new(1)
    }

    pub fn prev(self) -> Option<Month> {
        let m = Month::of(self.first() - Days::new(1));
        YEARS.contains(&m.year).then_some(m)
    }

    pub fn next(self) -> Option<Month> {
        let m = Month::of(self.last() + Days::new(1));
        YEARS.contains(&m.year).then_some(m)
    }

    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The first and last day of the grid: whole weeks, Monday to Sunday.
    pub fn grid_span(self) -> (NaiveDate, NaiveDate) {
        let first = self.first();
        let last = self.last();
        let start = first - Days::new(u64::from(first.weekday().num_days_from_monday()));
        let end = last + Days::new(u64::from(6 - last.weekday().num_days_from_monday()));
        (start, end)
    }
}

/// A holiday or commemoration on a day.
pub(crate) struct Mark {
    pub name: String,
    /// `statutory`, `compensatory`, `swapped_day_off`, `makeup_workday`, `commemoration`.
    pub kind: &'static str,
    pub day_off: bool,
}

/// A day inside a peak period.
pub(crate) struct PeakMark {
    pub name: String,
    /// Colour of the band (0..=3), so neighbouring peaks can be told apart.
    pub band: usize,
    /// Whether to print the name: on the first day, and where a new week row begins.
    pub label: bool,
}

/// An organisation event on a day.
pub(crate) struct EventMark {
    pub id: i64,
    pub title: String,
    /// Whether the event starts on this day (later days show it as continuing).
    pub starts: bool,
}

pub(crate) struct Cell {
    pub date: NaiveDate,
    pub in_month: bool,
    pub today: bool,
    /// Off work for public-sector staff (weekend, holiday, compensatory or swapped day).
    pub day_off: bool,
    /// Weekly rest day (Saturday or Sunday), even when a swap makes it a working day.
    pub rest: bool,
    pub weekday: &'static str,
    /// `26/6`, with the leap mark for a leap month.
    pub lunar: String,
    /// The lunar month's name, on its first day.
    pub lunar_month: Option<String>,
    pub holidays: Vec<Mark>,
    pub peaks: Vec<PeakMark>,
    /// Peaks whose preparation should start on this day.
    pub prepare: Vec<String>,
    pub events: Vec<EventMark>,
}

impl Cell {
    pub fn solar_day(&self) -> u32 {
        self.date.day()
    }

    pub fn iso(&self) -> String {
        self.date.to_string()
    }

    pub fn dmy(&self) -> String {
        crate::view::date(&self.date)
    }

    /// Classes of the cell, in one attribute.
    pub fn classes(&self) -> String {
        let mut c = String::from("cal-day");
        for (on, name) in [
            (!self.in_month, " out"),
            (self.today, " today"),
            (self.rest, " rest"),
            (self.day_off, " off"),
            (self.holidays.iter().any(|h| h.day_off), " holiday"),
            (
                !self.holidays.is_empty() || !self.events.is_empty() || !self.peaks.is_empty(),
                " busy",
            ),
        ] {
            if on {
                c.push_str(name);
            }
        }
        c
    }
}

/// The peak periods that touch `from..=to`, in start order, each once.
pub(crate) fn peaks_between(
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<PeakPeriod>, LichError> {
    let mut out: Vec<PeakPeriod> = Vec::new();
    for y in from.year() - 1..=to.year() + 1 {
        if !(lich::CALENDAR_MIN_YEAR..=lich::CALENDAR_MAX_YEAR).contains(&y) {
            continue;
        }
        for p in cal.peak_periods(y)? {
            let touches = p.start <= to && p.end >= from || (from..=to).contains(&p.prepare_from);
            if touches && !out.iter().any(|q| q.id == p.id && q.start == p.start) {
                out.push(p);
            }
        }
    }
    out.sort_by_key(|p| p.start);
    Ok(out)
}

/// The cells of `month`'s grid.
pub(crate) fn build(
    cal: &Calendar,
    month: Month,
    today: NaiveDate,
    t: T,
    events: &[OrgEvent],
) -> Result<Vec<Cell>, LichError> {
    let (start, end) = month.grid_span();
    let (rest_days, _) = cal.weekly_rest()?;
    let mut holidays: HashMap<NaiveDate, Vec<lich::Holiday>> = HashMap::new();
    for y in start.year()..=end.year() {
        for h in cal.holidays(y)? {
            holidays.entry(h.date).or_default().push(h);
        }
    }
    let peaks = peaks_between(cal, start, end)?;
    let mut cells = Vec::with_capacity(42);
    for date in start.iter_days().take_while(|d| *d <= end) {
        let lunar = lich::solar_to_lunar(date)?;
        let leap = if lunar.is_leap() {
            format!(" {}", t.s("cal.leap"))
        } else {
            String::new()
        };
        let row_start = date == start || date.weekday() == Weekday::Mon;
        let marks = holidays.remove(&date).unwrap_or_default();
        cells.push(Cell {
            date,
            in_month: date.month() == month.month,
            today: date == today,
            day_off: cal.is_day_off(date)?,
            rest: rest_days.contains(&date.weekday()),
            weekday: t.s(&format!("cal.wd.{}", weekday_code(date.weekday()))),
            lunar: format!("{}/{}{leap}", lunar.day(), lunar.month()),
            lunar_month: (lunar.day() == 1)
                .then(|| lunar_month_text(t, lunar.month(), lunar.is_leap())),
            holidays: marks
                .iter()
                .map(|h| Mark {
                    name: holiday_name(t, h).to_owned(),
                    kind: kind_code(h.kind),
                    day_off: h.day_off,
                })
                .collect(),
            peaks: peaks
                .iter()
                .enumerate()
                .filter(|(_, p)| p.contains(date))
                .map(|(i, p)| PeakMark {
                    name: peak_name(t, p).to_owned(),
                    band: i % 4,
                    label: date == p.start || row_start,
                })
                .collect(),
            prepare: peaks
                .iter()
                .filter(|p| p.prepare_from == date)
                .map(|p| peak_name(t, p).to_owned())
                .collect(),
            events: events
                .iter()
                .filter(|e| e.covers(date))
                .map(|e| EventMark {
                    id: e.id,
                    title: e.title.clone(),
                    starts: date == e.starts_on || row_start,
                })
                .collect(),
        });
    }
    Ok(cells)
}

/// Catalog code of a weekday: `mon` … `sun`.
pub(crate) fn weekday_code(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn months_parse_and_span_whole_weeks() {
        let m = Month::parse("2026-02").unwrap();
        assert_eq!(m.last(), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        let (a, b) = m.grid_span();
        assert_eq!(a, NaiveDate::from_ymd_opt(2026, 1, 26).unwrap());
        assert_eq!(b, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(m.prev().unwrap().code(), "2026-01");
        assert_eq!(
            Month::parse("2026-12").unwrap().next().unwrap().code(),
            "2027-01"
        );
        for bad in [
            "2026-13", "2026-00", "26-02", "2026/02", "", "2026-", "abcd-01", "1700-01",
        ] {
            assert!(Month::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn february_2026_shows_tet_and_lunar_dates() {
        let cal = Calendar::standard().unwrap();
        let m = Month::parse("2026-02").unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 2, 17).unwrap();
        let cells = build(cal, m, today, T::new(Lang::Vi), &[]).unwrap();
        assert_eq!(cells.len(), 35);
        let tet = cells.iter().find(|c| c.date == today).unwrap();
        assert!(tet.today && tet.day_off);
        assert_eq!(tet.lunar, "1/1");
        assert_eq!(tet.lunar_month.as_deref(), Some("Tháng Giêng"));
        assert!(
            tet.holidays
                .iter()
                .any(|h| h.kind == "statutory" && h.day_off)
        );
        assert!(tet.peaks.iter().any(|p| !p.name.is_empty()));
        let eve = cells
            .iter()
            .find(|c| c.date.day() == 16 && c.in_month)
            .unwrap();
        assert_eq!(eve.lunar, "29/12");
    }
}
