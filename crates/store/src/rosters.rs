//! Duty rosters (lịch trực) of an organisation: the setup an officer fills in (shift types,
//! cover per day and shift by skill, eligible people with their skills, leave, requests, rules
//! and fairness weights), the cells proposed by the solver and edited by hand, publication,
//! swaps between people, and each person's own duties with a secret calendar feed.
//!
//! A roster belongs to one organisation and, optionally, to a protection plan of that
//! organisation whose period holds the roster's ([`plans`] checks the link when the roster is
//! created; the plan's page lists its rosters and its document carries the issued ones as
//! annexes). Its life: draft (setup, solve, edit) → published (people see it, swaps)
//! → closed (history: its holiday nights count towards fairness in later years).
//!
//! Reading a whole roster takes `Scope<RosterView>`, changing it `Scope<RosterManage>`; a
//! roster outside the scope is not found. A person's own duties are read by person id, which
//! only the identity of a signed-in account (or a feed secret) supplies.
//!
//! The rules themselves live in the `roster` engine: [`build`] turns a roster's setup into a
//! `roster::Model` (with fairness history read from earlier rosters), and every check —
//! solving, a hand edit, a swap — is that engine's exact evaluation.

pub mod annex;
pub mod build;
pub mod demo;
pub mod feeds;
mod ops;
mod people;
pub mod plans;
mod read;
mod reasons;
mod removal;
mod setup;
pub mod swaps;

pub use build::{Built, Problem};
pub use demo::load_demo;
pub use ops::{
    CellCheck, SolveError, Solved, check_cell, close, evaluate, publish, set_cell, solve,
};
pub use people::{
    AbsenceInput, RequestInput, WISH_WEIGHT, add_absence, add_members, add_request, remove_absence,
    remove_member, remove_request, set_member_skills,
};
pub use plans::{PlanRef, PlanRoster, for_plan, issued_for_plan};
pub use read::{
    Duty, RosterItem, get, history, list, my_duties, person_roster_ids, published_for_person,
};
pub use setup::{
    CoverInput, NewRoster, RulesInput, ShiftInput, add_cover, add_shift, create, remove_cover,
    remove_shift, update_rules,
};

use crate::{Error, Result};
use chrono::NaiveDate;
use serde::Serialize;

/// Longest roster title and shift name, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest roster, in days (a year and a bit: the engine handles far more, a page does not).
pub const MAX_DAYS: i64 = 92;
/// Most people on one roster.
pub const MAX_MEMBERS: usize = 400;

/// The skills and roles a cover can ask for. Kept as codes: `leader` (lãnh đạo, chỉ huy),
/// `self_defence` (tự vệ), `fire_force` (PCCC cơ sở), `driver` (lái xe).
pub const SKILLS: &[&str] = &["leader", "self_defence", "fire_force", "driver"];

/// Where a roster is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterState {
    Draft,
    Published,
    Closed,
}

impl RosterState {
    pub fn code(self) -> &'static str {
        match self {
            RosterState::Draft => "draft",
            RosterState::Published => "published",
            RosterState::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Result<RosterState> {
        match s {
            "draft" => Ok(RosterState::Draft),
            "published" => Ok(RosterState::Published),
            "closed" => Ok(RosterState::Closed),
            _ => Err(Error::Invalid("err.ro_state")),
        }
    }
}

/// The rules and fairness weights of a roster.
#[derive(Debug, Clone, Serialize)]
pub struct Rules {
    /// Least rest between the end of one shift and the start of the next, in minutes.
    pub rest_minutes: i64,
    /// Most shifts of each type per person over the period.
    pub max_per_type: Option<i64>,
    /// Most minutes per person over the period.
    pub max_minutes: Option<i64>,
    /// Most duty days in a row.
    pub max_consecutive: Option<i64>,
    /// Fewest days off in a row between two runs of duty.
    pub min_days_off: i64,
    /// Most weekends (Saturday or Sunday on duty) per person.
    pub max_weekends: Option<i64>,
    /// Penalty per shift between a person's count and their fair share.
    pub spread_weight: i64,
    /// Penalty of a holiday night, times (1 + the nights the person had in earlier rosters).
    pub holiday_weight: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            rest_minutes: 12 * 60,
            max_per_type: None,
            max_minutes: None,
            max_consecutive: Some(3),
            min_days_off: 1,
            max_weekends: None,
            spread_weight: 5,
            holiday_weight: 50,
        }
    }
}

/// A roster's head.
#[derive(Debug, Clone, Serialize)]
pub struct Roster {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub unit_path: String,
    pub plan_id: Option<i64>,
    pub title: String,
    pub start_day: NaiveDate,
    pub end_day: NaiveDate,
    pub state: RosterState,
    pub rules: Rules,
    pub solved_at: Option<i64>,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Roster {
    /// Days of the period, first to last.
    pub fn days(&self) -> Vec<NaiveDate> {
        self.start_day
            .iter_days()
            .take_while(|d| *d <= self.end_day)
            .collect()
    }
}

/// A shift type.
#[derive(Debug, Clone, Serialize)]
pub struct Shift {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Minutes after midnight.
    pub start_minute: i64,
    pub minutes: i64,
    /// Only holders of this skill may work it (the leader on call).
    pub skill: Option<String>,
    /// A night that weighs on whoever works it on a holiday.
    pub burden: bool,
}

impl Shift {
    /// "07:00–19:00".
    pub fn hours(&self) -> String {
        let end = (self.start_minute + self.minutes) % 1440;
        format!(
            "{:02}:{:02}–{:02}:{:02}",
            self.start_minute / 60,
            self.start_minute % 60,
            end / 60,
            end % 60
        )
    }
}

/// A cover requirement: `headcount` people (holding `skill`, or anyone when empty) on `shift`,
/// every day or on `day` only (a day's own line replaces the every-day line of the same shift
/// and skill).
#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    pub id: i64,
    pub shift_id: i64,
    pub skill: Option<String>,
    pub day: Option<NaiveDate>,
    pub headcount: i64,
}

/// A person on the roster, with the skills the roster counts for them.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub person_id: i64,
    pub full_name: String,
    pub position: String,
    pub unit_name: String,
    pub skills: Vec<String>,
}

impl Member {
    pub fn has(&self, skill: &str) -> bool {
        self.skills.iter().any(|s| s == skill)
    }
}

/// Leave or unavailability: never assigned on these days.
#[derive(Debug, Clone, Serialize)]
pub struct Absence {
    pub id: i64,
    pub person_id: i64,
    pub start_day: NaiveDate,
    pub end_day: NaiveDate,
    pub reason: String,
}

/// A wish: to work (`wants`) or not to work a shift on a day.
#[derive(Debug, Clone, Serialize)]
pub struct Wish {
    pub id: i64,
    pub person_id: i64,
    pub day: NaiveDate,
    pub shift_id: i64,
    pub wants: bool,
    pub weight: i64,
}

/// One assigned duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub person_id: i64,
    pub day: NaiveDate,
    pub shift_id: i64,
}

/// A roster with everything about it.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    pub roster: Roster,
    /// The protection plan the roster carries out, if any.
    pub plan: Option<PlanRef>,
    pub shifts: Vec<Shift>,
    pub covers: Vec<Cover>,
    pub members: Vec<Member>,
    pub absences: Vec<Absence>,
    pub wishes: Vec<Wish>,
    pub cells: Vec<Cell>,
}

impl Detail {
    pub fn shift(&self, id: i64) -> Option<&Shift> {
        self.shifts.iter().find(|s| s.id == id)
    }
    pub fn member(&self, person_id: i64) -> Option<&Member> {
        self.members.iter().find(|m| m.person_id == person_id)
    }
    pub fn cell(&self, person_id: i64, day: NaiveDate) -> Option<i64> {
        self.cells
            .iter()
            .find(|c| c.person_id == person_id && c.day == day)
            .map(|c| c.shift_id)
    }
    /// Whether the person is on leave that day.
    pub fn absent(&self, person_id: i64, day: NaiveDate) -> bool {
        self.absences
            .iter()
            .any(|a| a.person_id == person_id && a.start_day <= day && day <= a.end_day)
    }
}

pub(crate) fn day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::Invalid("err.ro_date"))
}

/// Skills from their stored form (comma-separated codes), unknown codes dropped.
pub(crate) fn skills_of(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|c| SKILLS.contains(c))
        .map(str::to_owned)
        .collect()
}

/// The skills a person brings by default: the flags kept on people, and the position's words
/// (heads and deputies lead; drivers drive).
pub fn default_skills(position: &str, self_defence: bool, fire_force: bool) -> Vec<&'static str> {
    let p = domain::text::fold_vi(position);
    let mut out = Vec::new();
    let leads = [
        "chanh van phong",
        "truong phong",
        "trung doi truong",
        "giam doc",
    ]
    .iter()
    .any(|w| p.contains(w))
        || p.starts_with("pho chanh");
    if leads {
        out.push("leader");
    }
    if self_defence {
        out.push("self_defence");
    }
    if fire_force {
        out.push("fire_force");
    }
    if p.contains("lai xe") {
        out.push("driver");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_give_skills() {
        assert_eq!(default_skills("Chánh Văn phòng", false, false), ["leader"]);
        assert_eq!(
            default_skills("Phó Trưởng phòng", true, false),
            ["leader", "self_defence"]
        );
        assert_eq!(
            default_skills("Nhân viên lái xe", false, true),
            ["fire_force", "driver"]
        );
        assert!(default_skills("Chuyên viên", false, false).is_empty());
        assert_eq!(skills_of("leader, driver,bogus"), ["leader", "driver"]);
    }
}
