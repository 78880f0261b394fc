//! The exact evaluator: every hard-rule breach by name, the penalty with its
//! breakdown (`FORMAT.md` §5 plus the product's cover-by-skill and fairness
//! terms), and one human-readable reason per penalty for the UI.

use std::fmt;

use crate::model::{Day, Model, RequestKind, ShiftId, SkillId, StaffId};
use crate::roster::{OFF, Roster};
use crate::rules::{Detail, HardRule, RowSink, Succession, Tables, burden_cost, scan_row};

/// A soft term of the objective.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum SoftTerm {
    /// Unmet shift-on requests.
    OnRequests,
    /// Granted shift-off requests.
    OffRequests,
    /// Under- and over-staffing against the head-count targets.
    Cover,
    /// Under- and over-staffing against targets for one skill.
    SkillCover,
    /// Distance of each person's shift count from the fair share.
    Spread,
    /// Burden cells (holiday nights), weighted by history.
    Burden,
}

impl SoftTerm {
    /// Stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            SoftTerm::OnRequests => "on-requests",
            SoftTerm::OffRequests => "off-requests",
            SoftTerm::Cover => "cover",
            SoftTerm::SkillCover => "skill cover",
            SoftTerm::Spread => "fairness spread",
            SoftTerm::Burden => "holiday burden",
        }
    }
}

/// A broken hard rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Which rule.
    pub rule: HardRule,
    /// How far it is broken (days, shifts, weekends, or shift lengths of minutes).
    pub units: u32,
    /// A sentence naming the person, the numbers and the days.
    pub reason: String,
    /// The person whose row breaks it.
    pub staff: Option<StaffId>,
    /// First and last day concerned, when the rule is about days.
    pub days: Option<(Day, Day)>,
    /// The shift type concerned, when there is one.
    pub shift: Option<ShiftId>,
    /// The measured amount (days in a run, shifts, minutes, weekends).
    pub value: u64,
    /// The limit it breaks.
    pub limit: u64,
}

/// One soft penalty and why it was charged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Penalty {
    /// The term it belongs to.
    pub term: SoftTerm,
    /// The amount.
    pub cost: u64,
    /// A sentence for the UI.
    pub reason: String,
    /// The person concerned (requests, burden, spread).
    pub staff: Option<StaffId>,
    /// The day concerned (requests, burden, cover).
    pub day: Option<Day>,
    /// The shift type concerned (requests, burden, cover).
    pub shift: Option<ShiftId>,
    /// The skill counted (cover by skill).
    pub skill: Option<SkillId>,
    /// The measured amount: people counted (cover), shifts worked (spread),
    /// earlier burden shifts (burden).
    pub value: u64,
    /// The target it is measured against (cover, spread).
    pub limit: u64,
}

/// Penalty per soft term.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Breakdown {
    /// Unmet on-requests.
    pub on_requests: u64,
    /// Granted off-requests.
    pub off_requests: u64,
    /// Head-count cover.
    pub cover: u64,
    /// Cover by skill.
    pub skill_cover: u64,
    /// Fairness spread.
    pub spread: u64,
    /// Holiday burden.
    pub burden: u64,
}

impl Breakdown {
    /// Sum of all terms.
    pub fn total(&self) -> u64 {
        self.on_requests
            + self.off_requests
            + self.cover
            + self.skill_cover
            + self.spread
            + self.burden
    }

    fn add(&mut self, term: SoftTerm, cost: u64) {
        match term {
            SoftTerm::OnRequests => self.on_requests += cost,
            SoftTerm::OffRequests => self.off_requests += cost,
            SoftTerm::Cover => self.cover += cost,
            SoftTerm::SkillCover => self.skill_cover += cost,
            SoftTerm::Spread => self.spread += cost,
            SoftTerm::Burden => self.burden += cost,
        }
    }
}

/// The full verdict on a roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    /// Every hard-rule breach; empty for a feasible roster.
    pub violations: Vec<Violation>,
    /// The penalty, meaningful as a benchmark score only when feasible.
    pub penalty: u64,
    /// The penalty per term.
    pub breakdown: Breakdown,
    /// Every charged penalty with its reason.
    pub penalties: Vec<Penalty>,
}

impl Evaluation {
    /// Whether no hard rule is broken.
    pub fn feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for v in &self.violations {
            writeln!(f, "HARD {}: {}", v.rule.name(), v.reason)?;
        }
        let b = &self.breakdown;
        writeln!(f, "on-requests {}", b.on_requests)?;
        writeln!(f, "off-requests {}", b.off_requests)?;
        writeln!(f, "cover {}", b.cover)?;
        if b.skill_cover + b.spread + b.burden > 0 {
            writeln!(f, "skill cover {}", b.skill_cover)?;
            writeln!(f, "fairness spread {}", b.spread)?;
            writeln!(f, "holiday burden {}", b.burden)?;
        }
        writeln!(f, "hard violations {}", self.violations.len())?;
        write!(f, "penalty {}", self.penalty)
    }
}

struct Collect<'a> {
    staff: StaffId,
    violations: &'a mut Vec<Violation>,
    penalties: &'a mut Vec<Penalty>,
}

fn day(d: usize) -> Day {
    Day(d as u16)
}

impl RowSink for Collect<'_> {
    fn hard<F: FnOnce() -> Detail>(&mut self, rule: HardRule, units: u32, detail: F) {
        let d = detail();
        self.violations.push(Violation {
            rule,
            units,
            reason: d.text,
            staff: Some(self.staff),
            days: d.days.map(|(a, b)| (day(a), day(b))),
            shift: d.shift.map(crate::model::shift_id),
            value: d.value,
            limit: d.limit,
        });
    }
    fn spread<F: FnOnce() -> Detail>(&mut self, cost: u64, detail: F) {
        let d = detail();
        self.penalties.push(Penalty {
            term: SoftTerm::Spread,
            cost,
            reason: d.text,
            staff: Some(self.staff),
            day: None,
            shift: None,
            skill: None,
            value: d.value,
            limit: d.limit,
        });
    }
}

/// Evaluates a roster exactly, reading forbidden successions as written.
pub fn evaluate(model: &Model, roster: &Roster) -> Evaluation {
    evaluate_with(model, roster, Succession::AsWritten)
}

/// Evaluates with an explicit reading of the forbidden-succession lists.
pub fn evaluate_with(model: &Model, roster: &Roster, succession: Succession) -> Evaluation {
    let t = Tables::new(model, succession);
    evaluate_tables(&t, roster)
}

pub(crate) fn evaluate_tables(t: &Tables, roster: &Roster) -> Evaluation {
    let model = &t.model;
    let mut violations = Vec::new();
    let mut penalties = Vec::new();
    for p in 0..t.e {
        let mut sink = Collect {
            staff: model.staff_id(p),
            violations: &mut violations,
            penalties: &mut penalties,
        };
        scan_row(t, p, roster.row(p), &mut sink);
    }
    let shift_name = |x: u8| -> &str {
        if x == OFF {
            "off"
        } else {
            &model.shifts()[x as usize - 1].name
        }
    };
    for r in model.requests() {
        let person = &model.staff()[r.staff.index()];
        let x = roster.row(r.staff.index())[r.day.index()];
        let want = r.shift.index() as u8 + 1;
        let sname = &model.shifts()[r.shift.index()].name;
        match r.kind {
            RequestKind::On if x != want => penalties.push(Penalty {
                term: SoftTerm::OnRequests,
                cost: u64::from(r.weight),
                reason: format!(
                    "{}: asked to work {sname} on day {}, has {}",
                    person.name,
                    r.day.0,
                    shift_name(x)
                ),
                staff: Some(r.staff),
                day: Some(r.day),
                shift: Some(r.shift),
                skill: None,
                value: 0,
                limit: 0,
            }),
            RequestKind::Off if x == want => penalties.push(Penalty {
                term: SoftTerm::OffRequests,
                cost: u64::from(r.weight),
                reason: format!(
                    "{}: asked not to work {sname} on day {}",
                    person.name, r.day.0
                ),
                staff: Some(r.staff),
                day: Some(r.day),
                shift: Some(r.shift),
                skill: None,
                value: 0,
                limit: 0,
            }),
            _ => {}
        }
    }
    for b in model.burdens() {
        for (p, person) in model.staff().iter().enumerate() {
            if roster.row(p)[b.day.index()] == b.shift.index() as u8 + 1 {
                penalties.push(Penalty {
                    term: SoftTerm::Burden,
                    cost: burden_cost(b.weight, person.burden_history),
                    reason: format!(
                        "{}: {} on day {}, with {} such shifts before",
                        person.name,
                        model.shifts()[b.shift.index()].name,
                        b.day.0,
                        person.burden_history
                    ),
                    staff: Some(model.staff_id(p)),
                    day: Some(b.day),
                    shift: Some(b.shift),
                    skill: None,
                    value: u64::from(person.burden_history),
                    limit: 0,
                });
            }
        }
    }
    for c in model.covers() {
        let x = c.shift.index() as u8 + 1;
        let d = c.day.index();
        let n = (0..t.e)
            .filter(|&p| {
                roster.row(p)[d] == x && c.skill.is_none_or(|k| model.staff()[p].has_skill(k))
            })
            .count() as u32;
        let (term, who) = match c.skill {
            None => (SoftTerm::Cover, String::new()),
            Some(k) => (
                SoftTerm::SkillCover,
                format!(" with skill {}", model.skills()[k.index()]),
            ),
        };
        let sname = &model.shifts()[c.shift.index()].name;
        if n < c.target {
            penalties.push(Penalty {
                term,
                cost: u64::from(c.under) * u64::from(c.target - n),
                reason: format!("day {d} shift {sname}: {n} people{who}, need {}", c.target),
                staff: None,
                day: Some(c.day),
                shift: Some(c.shift),
                skill: c.skill,
                value: u64::from(n),
                limit: u64::from(c.target),
            });
        } else if n > c.target && c.over > 0 {
            penalties.push(Penalty {
                term,
                cost: u64::from(c.over) * u64::from(n - c.target),
                reason: format!(
                    "day {d} shift {sname}: {n} people{who}, target {}",
                    c.target
                ),
                staff: None,
                day: Some(c.day),
                shift: Some(c.shift),
                skill: c.skill,
                value: u64::from(n),
                limit: u64::from(c.target),
            });
        }
    }
    penalties.retain(|p| p.cost > 0);
    let mut breakdown = Breakdown::default();
    for p in &penalties {
        breakdown.add(p.term, p.cost);
    }
    Evaluation {
        violations,
        penalty: breakdown.total(),
        breakdown,
        penalties,
    }
}
