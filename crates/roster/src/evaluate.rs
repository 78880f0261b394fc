//! The exact evaluator: every hard-rule breach by name, the penalty with its
//! breakdown (`FORMAT.md` §5 plus the product's cover-by-skill and fairness
//! terms), and one human-readable reason per penalty for the UI.

use std::fmt;

use crate::model::{Model, RequestKind};
use crate::roster::{OFF, Roster};
use crate::rules::{HardRule, RowSink, Succession, Tables, burden_cost, scan_row};

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
    violations: &'a mut Vec<Violation>,
    penalties: &'a mut Vec<Penalty>,
}

impl RowSink for Collect<'_> {
    fn hard<F: FnOnce() -> String>(&mut self, rule: HardRule, units: u32, detail: F) {
        self.violations.push(Violation {
            rule,
            units,
            reason: detail(),
        });
    }
    fn spread<F: FnOnce() -> String>(&mut self, cost: u64, detail: F) {
        self.penalties.push(Penalty {
            term: SoftTerm::Spread,
            cost,
            reason: detail(),
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
            }),
            RequestKind::Off if x == want => penalties.push(Penalty {
                term: SoftTerm::OffRequests,
                cost: u64::from(r.weight),
                reason: format!(
                    "{}: asked not to work {sname} on day {}",
                    person.name, r.day.0
                ),
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
            });
        } else if n > c.target && c.over > 0 {
            penalties.push(Penalty {
                term,
                cost: u64::from(c.over) * u64::from(n - c.target),
                reason: format!(
                    "day {d} shift {sname}: {n} people{who}, target {}",
                    c.target
                ),
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
