//! The engine's verdict as facts for sentences: each broken rule and penalty with the person,
//! days, shift, skill and numbers it concerns, in stored ids and dates rather than the model's
//! indices.

use super::Detail;
use super::build::Built;
use chrono::NaiveDate;
use roster::{Evaluation, ShiftId, StaffId};
use serde::Serialize;

/// One remaining penalty or broken rule, as facts for a sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    /// The hard rule's or soft term's stable name (`roster::HardRule::name`, `SoftTerm::name`).
    pub kind: &'static str,
    pub hard: bool,
    pub cost: u64,
    pub person_id: Option<i64>,
    pub person: Option<String>,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub shift: Option<String>,
    pub skill: Option<String>,
    pub value: u64,
    pub limit: u64,
}

/// The engine's verdict as reasons, broken rules first, then penalties by cost.
pub fn reasons(built: &Built, d: &Detail, ev: &Evaluation) -> Vec<Reason> {
    let person = |s: Option<StaffId>| {
        s.and_then(|s| built.people.get(s.index()).copied())
            .map(|id| {
                let name = d
                    .member(id)
                    .map(|m| m.full_name.clone())
                    .unwrap_or_default();
                (id, name)
            })
    };
    let shift = |s: Option<ShiftId>| {
        s.and_then(|s| built.shifts.get(s.index()))
            .and_then(|id| d.shift(*id))
            .map(|s| s.name.clone())
    };
    let mut out = Vec::new();
    for v in &ev.violations {
        let p = person(v.staff);
        out.push(Reason {
            kind: v.rule.name(),
            hard: true,
            cost: u64::from(v.units),
            person_id: p.as_ref().map(|x| x.0),
            person: p.map(|x| x.1),
            first_day: v.days.and_then(|(a, _)| built.date_of(a)),
            last_day: v.days.and_then(|(_, b)| built.date_of(b)),
            shift: shift(v.shift),
            skill: None,
            value: v.value,
            limit: v.limit,
        });
    }
    let mut soft: Vec<&roster::Penalty> = ev.penalties.iter().collect();
    soft.sort_by_key(|p| std::cmp::Reverse(p.cost));
    for pen in soft {
        let p = person(pen.staff);
        let day = pen.day.and_then(|x| built.date_of(x));
        out.push(Reason {
            kind: pen.term.name(),
            hard: false,
            cost: pen.cost,
            person_id: p.as_ref().map(|x| x.0),
            person: p.map(|x| x.1),
            first_day: day,
            last_day: day,
            shift: shift(pen.shift),
            skill: pen
                .skill
                .and_then(|k| built.model.skills().get(k.index()).cloned()),
            value: pen.value,
            limit: pen.limit,
        });
    }
    out
}
