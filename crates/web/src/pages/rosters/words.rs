//! The engine's verdicts and the setup's problems in the reader's language. The engine hands
//! facts (rule, person, days, shift, numbers); the sentences are catalog entries with named
//! slots, filled here.

use crate::i18n::T;
use crate::view::date;
use chrono::NaiveDate;
use store::rosters::Problem;
use store::rosters::build::Reason;

/// Fills `{name}` slots of a catalog sentence.
fn fill(text: &str, slots: &[(&str, String)]) -> String {
    let mut out = text.to_owned();
    for (k, v) in slots {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// The label of a skill code.
pub fn skill(t: &T, code: &str) -> &'static str {
    match code {
        "leader" => t.s("ro.skill.leader"),
        "self_defence" => t.s("ro.skill.self_defence"),
        "fire_force" => t.s("ro.skill.fire_force"),
        "driver" => t.s("ro.skill.driver"),
        _ => t.s("ro.skill.anyone"),
    }
}

/// A short mark for a shift in the grid: the initials of its name ("Ca đêm" → "Đ",
/// "Trực 24 giờ" → "T24G"), the word "Ca" (shift) left out.
pub fn mark(name: &str) -> String {
    let mut out = String::new();
    for w in name.split_whitespace() {
        if w.eq_ignore_ascii_case("ca") {
            continue;
        }
        if w.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(w);
        } else if let Some(c) = w.chars().next() {
            out.extend(c.to_uppercase());
        }
    }
    if out.is_empty() {
        out.push('?');
    }
    out
}

fn d(x: Option<NaiveDate>) -> String {
    x.map(|x| date(&x)).unwrap_or_default()
}

/// One reason as a sentence.
pub fn reason(t: &T, r: &Reason) -> String {
    let key = match r.kind {
        "forbidden succession" => "ro.why.rest",
        "required day off" => "ro.why.leave",
        "max shifts of a type" => "ro.why.max_type",
        "max total minutes" => "ro.why.max_minutes",
        "min total minutes" => "ro.why.min_minutes",
        "max consecutive shifts" => "ro.why.max_run",
        "min consecutive shifts" => "ro.why.min_run",
        "min consecutive days off" => "ro.why.min_off",
        "max weekends" => "ro.why.weekends",
        "on-requests" => "ro.why.wish_on",
        "off-requests" => "ro.why.wish_off",
        "cover" if r.value < r.limit => "ro.why.cover_short",
        "cover" => "ro.why.cover_over",
        "skill cover" => "ro.why.skill_short",
        "fairness spread" => "ro.why.spread",
        "holiday burden" => "ro.why.holiday",
        _ => "ro.why.other",
    };
    let minutes = matches!(r.kind, "max total minutes" | "min total minutes");
    let num = |v: u64| {
        if minutes {
            format!("{}", v / 60)
        } else {
            v.to_string()
        }
    };
    fill(
        t.s(key),
        &[
            ("person", r.person.clone().unwrap_or_default()),
            ("day", d(r.first_day)),
            ("first", d(r.first_day)),
            ("last", d(r.last_day)),
            ("shift", r.shift.clone().unwrap_or_default()),
            (
                "skill",
                r.skill
                    .as_deref()
                    .map(|k| skill(t, k))
                    .unwrap_or("")
                    .to_owned(),
            ),
            ("value", num(r.value)),
            ("limit", num(r.limit)),
            ("cost", r.cost.to_string()),
        ],
    )
}

/// The name of a hard rule (for a refused swap's record).
pub fn rule(t: &T, kind: &str) -> &'static str {
    match kind {
        "forbidden succession" => t.s("ro.rule.rest"),
        "required day off" => t.s("ro.rule.leave"),
        "max shifts of a type" => t.s("ro.rule.max_type"),
        "max total minutes" => t.s("ro.rule.max_minutes"),
        "min total minutes" => t.s("ro.rule.min_minutes"),
        "max consecutive shifts" => t.s("ro.rule.max_run"),
        "min consecutive days off" => t.s("ro.rule.min_off"),
        "max weekends" => t.s("ro.rule.weekends"),
        _ => t.s("ro.rule.other"),
    }
}

/// A setup problem as a sentence.
pub fn problem(t: &T, p: &Problem) -> String {
    match p {
        Problem::NoMembers => t.s("ro.problem.no_members").to_owned(),
        Problem::NoShifts => t.s("ro.problem.no_shifts").to_owned(),
        Problem::ShiftNobodyEligible { shift, skill: k } => fill(
            t.s("ro.problem.nobody_eligible"),
            &[("shift", shift.clone()), ("skill", skill(t, k).to_owned())],
        ),
        Problem::CoverUnmeetable {
            shift,
            skill: k,
            need,
            able,
            days,
        } => {
            let mut list: Vec<String> = days.iter().take(5).map(date).collect();
            if days.len() > 5 {
                list.push("…".into());
            }
            let who = match k {
                Some(k) => fill(
                    t.s("ro.problem.holding"),
                    &[("skill", skill(t, k).to_owned())],
                ),
                None => String::new(),
            };
            fill(
                t.s("ro.problem.cover"),
                &[
                    ("shift", shift.clone()),
                    ("need", need.to_string()),
                    ("who", who),
                    ("able", able.to_string()),
                    ("n", days.len().to_string()),
                    ("days", list.join(", ")),
                ],
            )
        }
        Problem::Engine(m) => fill(t.s("ro.problem.engine"), &[("message", m.clone())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_short() {
        assert_eq!(mark("Ca đêm"), "Đ");
        assert_eq!(mark("Ca ngày"), "N");
        assert_eq!(mark("Trực 24 giờ"), "T24G");
        assert_eq!(mark("Lãnh đạo trực"), "LĐT");
    }
}
