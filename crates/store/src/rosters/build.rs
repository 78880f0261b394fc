//! From a roster's setup to the engine's model, and from the engine's verdict back to reasons
//! a page can put in words.
//!
//! The model starts on the Monday on or before the roster's first day, because the engine
//! counts weekends from a Monday; the days before the roster are days off for everyone and
//! carry no cover. Leave is a required day off (hard). Cover lines are soft but weigh far more
//! than any wish or fairness term, so the solver gives up a wish before a post. Fairness is two
//! terms: each person's distance from a fair share of the shifts they can work, and a burden on
//! every holiday night, heavier for whoever had more of them in earlier rosters.
//!
//! Setup mistakes the engine would only reject in English (a cover nobody can meet, a shift
//! type nobody may work) are found here first and returned as [`Problem`]s with their facts, so
//! the page can name them in the reader's language.

use super::{Cell, Detail, SKILLS};
use chrono::{Datelike, NaiveDate};
use roster::{
    Burden, Cover as EngineCover, Day, Model, ModelBuilder, Request, RequestKind, ShiftId, StaffId,
};
use serde::Serialize;

pub use super::reasons::{Reason, reasons};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Penalty per missing person on a post: far above every wish and fairness term.
pub const UNDER_COVER: u32 = 10_000;
/// Penalty per person beyond the head count of a shift (nobody is rostered for nothing).
pub const OVER_COVER: u32 = 1_000;

/// What is wrong with a setup, with the facts to say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    NoMembers,
    NoShifts,
    /// A shift type only holders of `skill` may work, and nobody on the roster holds it.
    ShiftNobodyEligible {
        shift: String,
        skill: String,
    },
    /// On `days`, fewer people can work `shift` (holding `skill`) than the cover asks.
    CoverUnmeetable {
        shift: String,
        skill: Option<String>,
        need: i64,
        able: i64,
        days: Vec<NaiveDate>,
    },
    /// Anything else the engine refused (its own words).
    Engine(String),
}

/// A roster's model and the maps between its indices and the stored ids.
pub struct Built {
    pub model: Model,
    /// Model day of the roster's first day.
    pub offset: usize,
    pub days: Vec<NaiveDate>,
    /// Model person index → person id.
    pub people: Vec<i64>,
    /// Model shift index → shift id.
    pub shifts: Vec<i64>,
    /// Per roster day: a public holiday.
    pub holidays: Vec<bool>,
}

impl Built {
    pub fn staff_of(&self, person_id: i64) -> Option<StaffId> {
        self.people
            .iter()
            .position(|p| *p == person_id)
            .map(|i| self.model.staff_id(i))
    }
    pub fn day_of(&self, d: NaiveDate) -> Option<Day> {
        let i = self.days.iter().position(|x| *x == d)?;
        Some(Day((self.offset + i) as u16))
    }
    pub fn date_of(&self, d: Day) -> Option<NaiveDate> {
        d.index()
            .checked_sub(self.offset)
            .and_then(|i| self.days.get(i).copied())
    }
    pub fn shift_of(&self, shift_id: i64) -> Option<ShiftId> {
        self.shifts
            .iter()
            .position(|s| *s == shift_id)
            .map(|i| self.model.shift_id(i))
    }
    /// The stored cells as an engine roster (cells that no longer fit the setup are left out).
    pub fn roster_of(&self, cells: &[Cell]) -> roster::Roster {
        let mut r = roster::Roster::empty(&self.model);
        for c in cells {
            if let (Some(p), Some(d), Some(s)) = (
                self.staff_of(c.person_id),
                self.day_of(c.day),
                self.shift_of(c.shift_id),
            ) {
                r.set(p, d, Some(s));
            }
        }
        r
    }
    /// An engine roster as cells, with whether each is a holiday night.
    pub fn cells_of(&self, r: &roster::Roster, burden: &[bool]) -> Vec<(Cell, bool)> {
        let mut out = Vec::new();
        for (pi, person) in self.people.iter().enumerate() {
            for (i, day) in self.days.iter().enumerate() {
                let d = Day((self.offset + i) as u16);
                if let Some(s) = r.get(self.model.staff_id(pi), d) {
                    out.push((
                        Cell {
                            person_id: *person,
                            day: *day,
                            shift_id: self.shifts[s.index()],
                        },
                        self.holidays[i] && burden[s.index()],
                    ));
                }
            }
        }
        out
    }
}

/// Public holidays (statutory, compensatory and swapped days off) among `days`.
pub fn holidays(days: &[NaiveDate]) -> Vec<bool> {
    let Ok(cal) = lich::Calendar::standard() else {
        return vec![false; days.len()];
    };
    let mut off: HashSet<NaiveDate> = HashSet::new();
    let mut years: Vec<i32> = days.iter().map(|d| d.year()).collect();
    years.dedup();
    for y in years {
        for h in cal.holidays(y).unwrap_or_default() {
            if h.day_off
                && matches!(
                    h.kind,
                    lich::HolidayKind::Statutory
                        | lich::HolidayKind::Compensatory
                        | lich::HolidayKind::SwappedDayOff
                )
            {
                off.insert(h.date);
            }
        }
    }
    days.iter().map(|d| off.contains(d)).collect()
}

/// The cover lines in force on one day: for each (shift, skill), the day's own line, else the
/// every-day line.
fn covers_on(d: &Detail, day: NaiveDate) -> BTreeMap<(i64, Option<String>), i64> {
    let mut out = BTreeMap::new();
    for c in d.covers.iter().filter(|c| c.day.is_none()) {
        out.insert((c.shift_id, c.skill.clone()), c.headcount);
    }
    for c in d.covers.iter().filter(|c| c.day == Some(day)) {
        out.insert((c.shift_id, c.skill.clone()), c.headcount);
    }
    out
}

/// Builds the model of a roster; `history` holds each person's earlier holiday nights.
pub fn build(d: &Detail, history: &HashMap<i64, u32>) -> Result<Built, Vec<Problem>> {
    let r = &d.roster;
    if d.members.is_empty() {
        return Err(vec![Problem::NoMembers]);
    }
    if d.shifts.is_empty() {
        return Err(vec![Problem::NoShifts]);
    }
    let days = r.days();
    let n = days.len();
    let offset = r.start_day.weekday().num_days_from_monday() as usize;
    let holidays = holidays(&days);
    let mut problems = Vec::new();

    // Who may work each shift type at all.
    let may_work = |m: &super::Member, s: &super::Shift| s.skill.as_ref().is_none_or(|k| m.has(k));
    for s in &d.shifts {
        if let Some(k) = &s.skill
            && !d.members.iter().any(|m| m.has(k))
        {
            problems.push(Problem::ShiftNobodyEligible {
                shift: s.name.clone(),
                skill: k.clone(),
            });
        }
    }
    // Cover nobody (or too few) can meet, grouped by shift and skill.
    // (shift, skill) → (most needed, fewest able, the days short).
    type Short = (i64, i64, Vec<NaiveDate>);
    let mut short: BTreeMap<(i64, Option<String>), Short> = BTreeMap::new();
    for &day in &days {
        let lines = covers_on(d, day);
        for ((shift_id, skill), need) in &lines {
            let Some(s) = d.shift(*shift_id) else {
                continue;
            };
            if *need <= 0 {
                continue;
            }
            let able = d
                .members
                .iter()
                .filter(|m| {
                    may_work(m, s)
                        && skill.as_ref().is_none_or(|k| m.has(k))
                        && !d.absent(m.person_id, day)
                })
                .count() as i64;
            if able < *need {
                let e =
                    short
                        .entry((*shift_id, skill.clone()))
                        .or_insert((*need, able, Vec::new()));
                e.0 = e.0.max(*need);
                e.1 = e.1.min(able);
                e.2.push(day);
            }
        }
    }
    for ((shift_id, skill), (need, able, days)) in short {
        let shift = d
            .shift(shift_id)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        problems.push(Problem::CoverUnmeetable {
            shift,
            skill,
            need,
            able,
            days,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let engine = |e: roster::Error| vec![Problem::Engine(e.to_string())];
    let mut b = ModelBuilder::new(offset + n);
    let mut shift_ids = Vec::with_capacity(d.shifts.len());
    let mut engine_shifts = Vec::with_capacity(d.shifts.len());
    for s in &d.shifts {
        engine_shifts.push(
            b.shift(
                &s.code,
                Some(s.start_minute as u16),
                s.minutes.max(1) as u32,
            )
            .map_err(engine)?,
        );
        shift_ids.push(s.id);
    }
    if r.rules.rest_minutes > 0 {
        b.min_rest(r.rules.rest_minutes as u32);
    }
    let mut skill_ids = HashMap::new();
    for k in SKILLS {
        skill_ids.insert(*k, b.skill(k).map_err(engine)?);
    }

    // Fair share of each person, day by day: a skill line's posts are split among the holders
    // of the skill who may work the shift and are not on leave, the rest of the head count
    // among everyone who may. Someone whose skill is scarce is thus expected to do more.
    let mut share: HashMap<i64, f64> = HashMap::new();
    for &day in &days {
        for s in &d.shifts {
            let lines: Vec<(Option<String>, i64)> = covers_on(d, day)
                .into_iter()
                .filter(|((sid, _), _)| *sid == s.id)
                .map(|((_, k), n)| (k, n.max(0)))
                .collect();
            let here: Vec<&super::Member> = d
                .members
                .iter()
                .filter(|m| may_work(m, s) && !d.absent(m.person_id, day))
                .collect();
            let mut skilled = 0;
            for (k, n) in lines.iter().filter(|(k, _)| k.is_some()) {
                let k = k.as_deref().unwrap_or_default();
                let holders: Vec<&&super::Member> = here.iter().filter(|m| m.has(k)).collect();
                for m in &holders {
                    *share.entry(m.person_id).or_insert(0.0) += *n as f64 / holders.len() as f64;
                }
                skilled += n;
            }
            let total = lines
                .iter()
                .filter(|(k, _)| k.is_none())
                .map(|(_, n)| *n)
                .max()
                .unwrap_or(0);
            let rest = (total - skilled).max(0);
            for m in &here {
                *share.entry(m.person_id).or_insert(0.0) += rest as f64 / here.len().max(1) as f64;
            }
        }
    }

    let mut people = Vec::with_capacity(d.members.len());
    for m in &d.members {
        let mut p = b.new_staff(&m.person_id.to_string());
        for k in &m.skills {
            if let Some(id) = skill_ids.get(k.as_str()) {
                p.skills |= 1 << id.index();
            }
        }
        for (i, s) in d.shifts.iter().enumerate() {
            p.max_per_shift[i] = if may_work(m, s) {
                r.rules.max_per_type.map(|x| x.max(0) as u32)
            } else {
                Some(0)
            };
        }
        if let Some(x) = r.rules.max_minutes {
            p.max_minutes = x.max(0) as u32;
        }
        if let Some(x) = r.rules.max_consecutive {
            p.max_consecutive = x.max(1) as u32;
        }
        p.min_days_off = r.rules.min_days_off.max(0) as u32;
        if let Some(x) = r.rules.max_weekends {
            p.max_weekends = x.max(0) as u32;
        }
        for i in 0..offset {
            p.days_off[i] = true;
        }
        for (i, day) in days.iter().enumerate() {
            if d.absent(m.person_id, *day) {
                p.days_off[offset + i] = true;
            }
        }
        p.target_shifts = Some(share.get(&m.person_id).copied().unwrap_or(0.0).round() as u32);
        p.burden_history = history.get(&m.person_id).copied().unwrap_or(0);
        b.staff(p).map_err(engine)?;
        people.push(m.person_id);
    }
    b.spread_weight(r.rules.spread_weight.max(0) as u32);

    let shift_index = |id: i64| shift_ids.iter().position(|s| *s == id);
    for (i, day) in days.iter().enumerate() {
        let md = Day((offset + i) as u16);
        for ((shift_id, skill), need) in covers_on(d, *day) {
            let Some(si) = shift_index(shift_id) else {
                continue;
            };
            let skill = skill.and_then(|k| skill_ids.get(k.as_str()).copied());
            b.cover(EngineCover {
                day: md,
                shift: engine_shifts[si],
                skill,
                target: need.max(0) as u32,
                under: UNDER_COVER,
                // Skill lines are "at least"; the head count is exact.
                over: if skill.is_some() { 0 } else { OVER_COVER },
            });
        }
        if holidays[i] && r.rules.holiday_weight > 0 {
            for (si, s) in d.shifts.iter().enumerate() {
                if s.burden {
                    b.burden(Burden {
                        day: md,
                        shift: engine_shifts[si],
                        weight: r.rules.holiday_weight as u32,
                    });
                }
            }
        }
    }
    for w in &d.wishes {
        let (Some(pi), Some(si), Some(i)) = (
            people.iter().position(|p| *p == w.person_id),
            shift_index(w.shift_id),
            days.iter().position(|x| *x == w.day),
        ) else {
            continue;
        };
        let staff = b
            .staff_by_name(&people[pi].to_string())
            .ok_or_else(|| vec![Problem::NoMembers])?;
        b.request(Request {
            staff,
            day: Day((offset + i) as u16),
            shift: engine_shifts[si],
            weight: w.weight.max(0) as u32,
            kind: if w.wants {
                RequestKind::On
            } else {
                RequestKind::Off
            },
        });
    }
    let model = b.build().map_err(engine)?;
    Ok(Built {
        model,
        offset,
        days,
        people,
        shifts: shift_ids,
        holidays,
    })
}
