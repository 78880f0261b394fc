//! Holiday entries: their types, the statutory derivation rules and the
//! compensatory-day rule.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, ymd};
use crate::data::{CalendarKind, Rule, StatutoryHoliday, data};
use crate::error::LichError;

/// Thematic tags of holidays, commemorations and peaks, used to pick the
/// occasions a protection plan or a report cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Tag {
    /// National holiday or anniversary.
    National,
    /// Security and public order (an occasion for protection duty).
    Security,
    /// Religious festival.
    Religious,
    /// Fire prevention and fighting.
    FireSafety,
    /// Party anniversaries.
    Party,
    /// Armed forces and self-defence.
    Military,
    /// Youth Union.
    Youth,
    /// Education.
    Education,
    /// Culture.
    Culture,
    /// Law dissemination.
    Law,
    /// Labour.
    Labour,
    /// Folk tradition.
    Tradition,
    /// Part of the Tết season.
    Tet,
}

/// How well a fact is established, as in the domain brief: `C` confirmed in a
/// source, `S` from a secondary source, `M` not confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Certainty {
    /// Confirmed in the legal text or an official source.
    #[serde(rename = "C")]
    Confirmed,
    /// Seen in a secondary source.
    #[serde(rename = "S")]
    Secondary,
    /// Not confirmed; verify before relying on it.
    #[serde(rename = "M")]
    Unconfirmed,
}

/// What kind of calendar entry a [`Holiday`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// A statutory paid holiday (Bộ luật Lao động 2019, Điều 112).
    Statutory,
    /// A compensatory day off for a holiday on a weekly rest day (nghỉ bù).
    Compensatory,
    /// A working day turned into a day off by a Government swap.
    SwappedDayOff,
    /// A weekly rest day turned into a working day by a swap (làm bù).
    MakeupWorkday,
    /// A commemoration, tradition or religious day; not a day off.
    Commemoration,
}

/// One dated entry of a year's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// The solar date.
    pub date: NaiveDate,
    /// Stable identifier of the occasion, e.g. `tet_am_lich`.
    pub id: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Kind of entry.
    pub kind: HolidayKind,
    /// Thematic tags.
    pub tags: Vec<Tag>,
    /// How well the entry is established.
    pub certainty: Certainty,
    /// Legal basis (law, article, decision or official letter).
    pub legal_basis: String,
    /// True when derived from the statute because no decision is known.
    pub derived: bool,
    /// Whether public-sector staff are off work on this date because of it.
    pub day_off: bool,
    /// For a swap, the other day of the pair.
    pub swapped_with: Option<NaiveDate>,
}

impl Calendar {
    /// The statutory dates of holiday `h` in solar year `year`, derived from
    /// the statute.
    ///
    /// Tết takes the last day of the old lunar year and the following days.
    /// Quốc khánh takes 2/9 and the adjacent day that recent schedules chose
    /// for the same weekday: Monday → Tuesday 3/9, Tuesday → Monday 1/9,
    /// Wednesday → Thursday, Thursday → Friday, Friday → Thursday, Saturday →
    /// Friday, Sunday → Monday.
    pub(crate) fn statutory_dates(
        &self,
        h: &StatutoryHoliday,
        year: i32,
    ) -> Result<Vec<NaiveDate>, LichError> {
        let first = match (h.rule, h.calendar) {
            (Rule::Tet, _) => self.lunar().new_years_eve(year - 1)?,
            (Rule::NationalDay, _) | (Rule::Fixed, CalendarKind::Solar) => {
                ymd(year, h.month, h.day).ok_or_else(|| LichError::Data {
                    detail: h.id.clone(),
                })?
            }
            (Rule::Fixed, CalendarKind::Lunar) => {
                self.lunar().lunar_to_solar(h.day, h.month, year, false)?
            }
        };
        if h.rule == Rule::NationalDay {
            let other = match first.weekday() {
                Weekday::Tue | Weekday::Fri | Weekday::Sat => first - Days::new(1),
                _ => first + Days::new(1),
            };
            let mut v = vec![first, other];
            v.sort();
            return Ok(v);
        }
        Ok((0..u64::from(h.days))
            .map(|i| first + Days::new(i))
            .collect())
    }

    /// Commemoration days falling in solar year `year`.
    pub(crate) fn commemorations(&self, year: i32) -> Result<Vec<Holiday>, LichError> {
        let d = data()?;
        let mut out = Vec::new();
        for c in &d.commemorations {
            let firsts = match c.calendar {
                CalendarKind::Solar => ymd(year, c.month, c.day).into_iter().collect::<Vec<_>>(),
                CalendarKind::Lunar => [year - 1, year]
                    .into_iter()
                    .map(|ly| self.lunar().lunar_to_solar(c.day, c.month, ly, false))
                    .collect::<Result<Vec<_>, _>>()?,
            };
            for first in firsts {
                for i in 0..u64::from(c.days) {
                    let date = first + Days::new(i);
                    if date.year() == year {
                        out.push(Holiday {
                            date,
                            id: c.id.clone(),
                            name_vi: c.name_vi.clone(),
                            name_en: c.name_en.clone(),
                            kind: HolidayKind::Commemoration,
                            tags: c.tags.clone(),
                            certainty: c.certainty,
                            legal_basis: c.legal_basis.clone(),
                            derived: false,
                            day_off: false,
                            swapped_with: None,
                        });
                    }
                }
            }
        }
        Ok(out)
    }
}

pub(crate) fn entry_for(
    h: &StatutoryHoliday,
    date: NaiveDate,
    kind: HolidayKind,
    derived: bool,
) -> Holiday {
    let (name_vi, name_en) = match kind {
        HolidayKind::Compensatory => (
            format!("Nghỉ bù {}", h.name_vi),
            format!("Compensatory day off: {}", h.name_en),
        ),
        HolidayKind::SwappedDayOff => (
            format!("Nghỉ hoán đổi dịp {}", h.name_vi),
            format!("Swapped day off: {}", h.name_en),
        ),
        HolidayKind::MakeupWorkday => (
            format!("Làm bù dịp {}", h.name_vi),
            format!("Make-up working day: {}", h.name_en),
        ),
        _ => (h.name_vi.clone(), h.name_en.clone()),
    };
    Holiday {
        date,
        id: h.id.clone(),
        name_vi,
        name_en,
        kind,
        tags: h.tags.clone(),
        certainty: h.certainty,
        legal_basis: h.legal_basis.clone(),
        derived,
        day_off: kind != HolidayKind::MakeupWorkday,
        swapped_with: None,
    }
}

/// Adds a compensatory day for every statutory day on a weekly rest day that
/// has none yet: the next day that is neither a rest day nor already off.
/// Entries must be sorted by date.
pub(crate) fn add_compensatory(entries: &mut Vec<Holiday>, rest: &[Weekday], basis: &str) {
    let mut off: BTreeSet<NaiveDate> = entries
        .iter()
        .filter(|e| e.day_off)
        .map(|e| e.date)
        .collect();
    let makeup: BTreeSet<NaiveDate> = entries
        .iter()
        .filter(|e| e.kind == HolidayKind::MakeupWorkday)
        .map(|e| e.date)
        .collect();
    // Weekend statutory days already balanced by compensatory entries in the
    // data, per holiday.
    let mut owed: BTreeMap<String, usize> = BTreeMap::new();
    for e in entries.iter() {
        if e.kind == HolidayKind::Statutory
            && rest.contains(&e.date.weekday())
            && !makeup.contains(&e.date)
        {
            *owed.entry(e.id.clone()).or_default() += 1;
        }
    }
    for e in entries
        .iter()
        .filter(|e| e.kind == HolidayKind::Compensatory)
    {
        if let Some(n) = owed.get_mut(&e.id) {
            *n = n.saturating_sub(1);
        }
    }
    let mut added = Vec::new();
    for e in entries
        .iter()
        .filter(|e| e.kind == HolidayKind::Statutory && rest.contains(&e.date.weekday()))
    {
        let Some(n) = owed.get_mut(&e.id).filter(|n| **n > 0) else {
            continue;
        };
        *n -= 1;
        let mut c = e.date + Days::new(1);
        while rest.contains(&c.weekday()) || off.contains(&c) {
            c = c + Days::new(1);
        }
        off.insert(c);
        let mut comp = e.clone();
        comp.date = c;
        comp.kind = HolidayKind::Compensatory;
        comp.name_vi = format!("Nghỉ bù {}", e.name_vi);
        comp.name_en = format!("Compensatory day off: {}", e.name_en);
        comp.legal_basis = basis.to_owned();
        comp.derived = true;
        added.push(comp);
    }
    entries.extend(added);
    entries.sort_by_key(|e| (e.date, e.kind));
}
