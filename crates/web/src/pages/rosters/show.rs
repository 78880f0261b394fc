//! One roster's page: the head, the engine's verdict on the current cells (or what is wrong
//! with the setup), the grid of people × days (editable while a draft, a form per row), the
//! setup and the swaps. Every form handler of the roster re-renders this page with its
//! message when it refuses something.

use super::words;
use crate::AppState;
use crate::auth::{Authz, User};
use crate::error::AppResult;
use crate::view::{Page, date, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::HashMap;
use store::rosters::swaps::{self, Swap};
use store::rosters::{self, Detail, Problem, RosterState};
use store::scope::{RosterManage, RosterView};
use store::units::Unit;
use store::{Cap, Scope};

/// What a handler adds to the page it re-renders.
#[derive(Default)]
pub(super) struct Extra {
    pub notice: Option<&'static str>,
    pub error: Option<&'static str>,
    /// Sentences to show with the error (a refused swap's broken rules).
    pub details: Vec<String>,
    pub problems: Vec<Problem>,
    /// Messages under one person's row after a hand edit.
    pub row: Option<(i64, Vec<String>)>,
    pub status: Option<StatusCode>,
}

pub(super) struct DayHead {
    pub label: String,
    pub weekday: &'static str,
    pub weekend: bool,
    pub holiday: bool,
}

pub(super) struct GridCell {
    pub iso: String,
    pub shift: Option<i64>,
    pub mark: String,
    pub leave: bool,
}

pub(super) struct GridRow {
    pub person_id: i64,
    pub name: String,
    pub position: String,
    pub skills: String,
    pub cells: Vec<GridCell>,
    pub duties: usize,
    pub messages: Vec<String>,
}

pub(super) struct ShiftOpt {
    pub id: i64,
    pub mark: String,
    pub name: String,
    pub hours: String,
    pub skill: String,
    pub burden: bool,
}

#[derive(Template)]
#[template(path = "rosters/show.html")]
struct ShowPage {
    page: Page,
    d: Detail,
    can_manage: bool,
    draft: bool,
    published: bool,
    days: Vec<DayHead>,
    rows: Vec<GridRow>,
    shifts: Vec<ShiftOpt>,
    /// None when the setup cannot be evaluated (see `problems`).
    feasible: Option<bool>,
    penalty: u64,
    hard: Vec<String>,
    soft: Vec<String>,
    problems: Vec<String>,
    swaps: Vec<Swap>,
    covers: Vec<(i64, String, String, String, String, i64)>,
    absences: Vec<(i64, String, String)>,
    wishes: Vec<(i64, String, String)>,
    units: Vec<Unit>,
    extra: Extra,
    skills: &'static [&'static str],
}

impl ShowPage {
    fn period(&self) -> String {
        format!(
            "{} – {}",
            date(&self.d.roster.start_day),
            date(&self.d.roster.end_day)
        )
    }
    fn skill(&self, k: &str) -> &'static str {
        words::skill(&self.page.t, k)
    }
    fn has(&self, person: &i64, k: &str) -> bool {
        self.d.member(*person).is_some_and(|m| m.has(k))
    }
    fn swap_day(&self, s: &Swap) -> String {
        match s.other_day {
            Some(o) => format!("{} ⇄ {}", date(&s.day), date(&o)),
            None => date(&s.day),
        }
    }
    fn rules_of(&self, s: &Swap) -> String {
        s.refusal
            .iter()
            .map(|k| words::rule(&self.page.t, k))
            .collect::<Vec<_>>()
            .join("; ")
    }
    fn selected(&self, c: &GridCell, id: &i64) -> bool {
        c.shift == Some(*id)
    }
    fn opt(&self, v: &Option<i64>) -> String {
        v.map(|x| x.to_string()).unwrap_or_default()
    }
    fn hours(&self, v: &Option<i64>) -> String {
        v.map(|x| (x / 60).to_string()).unwrap_or_default()
    }
}

fn weekday(t: &crate::i18n::T, d: NaiveDate) -> &'static str {
    match d.weekday().num_days_from_monday() {
        0 => t.s("ro.wd.mon"),
        1 => t.s("ro.wd.tue"),
        2 => t.s("ro.wd.wed"),
        3 => t.s("ro.wd.thu"),
        4 => t.s("ro.wd.fri"),
        5 => t.s("ro.wd.sat"),
        _ => t.s("ro.wd.sun"),
    }
}

/// Renders the page of roster `id` as `user` sees it through `scope`.
pub(super) async fn render<C: Cap>(
    st: &AppState,
    user: &User,
    scope: &Scope<C>,
    id: i64,
    extra: Extra,
) -> AppResult<Response> {
    let t = user.t();
    let d = rosters::get(&st.db, scope, id).await?;
    let can_manage = user
        .id
        .grants
        .scope::<RosterManage>()
        .is_some_and(|m| m.contains_path(&d.roster.unit_path));
    let verdict = rosters::evaluate(&st.db, &d).await?;
    let holidays = store::rosters::build::holidays(&d.roster.days());
    let days: Vec<DayHead> = d
        .roster
        .days()
        .iter()
        .zip(holidays)
        .map(|(x, h)| DayHead {
            label: x.format("%d/%m").to_string(),
            weekday: weekday(&t, *x),
            weekend: x.weekday().num_days_from_monday() >= 5,
            holiday: h,
        })
        .collect();
    let marks: HashMap<i64, String> = d
        .shifts
        .iter()
        .map(|s| (s.id, words::mark(&s.name)))
        .collect();
    let mut by_person: HashMap<i64, Vec<(NaiveDate, i64)>> = HashMap::new();
    for c in &d.cells {
        by_person
            .entry(c.person_id)
            .or_default()
            .push((c.day, c.shift_id));
    }
    let rows: Vec<GridRow> = d
        .members
        .iter()
        .map(|m| {
            let mine = by_person.get(&m.person_id);
            let cells: Vec<GridCell> = d
                .roster
                .days()
                .iter()
                .map(|day| {
                    let shift = mine
                        .and_then(|v| v.iter().find(|c| c.0 == *day))
                        .map(|c| c.1);
                    GridCell {
                        iso: day.to_string(),
                        shift,
                        mark: shift
                            .and_then(|s| marks.get(&s).cloned())
                            .unwrap_or_default(),
                        leave: d.absent(m.person_id, *day),
                    }
                })
                .collect();
            let messages = match &extra.row {
                Some((p, msgs)) if *p == m.person_id => msgs.clone(),
                _ => Vec::new(),
            };
            GridRow {
                person_id: m.person_id,
                name: m.full_name.clone(),
                position: m.position.clone(),
                skills: m
                    .skills
                    .iter()
                    .map(|k| words::skill(&t, k))
                    .collect::<Vec<_>>()
                    .join(", "),
                duties: cells.iter().filter(|c| c.shift.is_some()).count(),
                cells,
                messages,
            }
        })
        .collect();
    let (feasible, penalty, hard, soft, mut problems) = match &verdict {
        Ok((_, ev, reasons)) => (
            Some(ev.feasible()),
            ev.penalty,
            reasons
                .iter()
                .filter(|r| r.hard)
                .map(|r| words::reason(&t, r))
                .collect(),
            reasons
                .iter()
                .filter(|r| !r.hard)
                .take(60)
                .map(|r| words::reason(&t, r))
                .collect(),
            Vec::new(),
        ),
        Err(p) => (
            None,
            0,
            Vec::new(),
            Vec::new(),
            p.iter().map(|p| words::problem(&t, p)).collect::<Vec<_>>(),
        ),
    };
    for p in &extra.problems {
        let s = words::problem(&t, p);
        if !problems.contains(&s) {
            problems.push(s);
        }
    }
    let view: Option<Scope<RosterView>> = user.id.grants.scope::<RosterView>();
    let swaps = match view {
        Some(v) => swaps::list(&st.db, &v, id).await?,
        None => Vec::new(),
    };
    let shift_name = |id: i64| d.shift(id).map(|s| s.name.clone()).unwrap_or_default();
    let person_name = |id: i64| {
        d.member(id)
            .map(|m| m.full_name.clone())
            .unwrap_or_default()
    };
    let covers = d
        .covers
        .iter()
        .map(|c| {
            (
                c.id,
                shift_name(c.shift_id),
                c.skill
                    .as_deref()
                    .map_or(t.s("ro.skill.anyone"), |k| words::skill(&t, k))
                    .to_owned(),
                c.day
                    .map(|x| date(&x))
                    .unwrap_or_else(|| t.s("ro.every_day").to_owned()),
                c.skill.clone().unwrap_or_default(),
                c.headcount,
            )
        })
        .collect();
    let absences = d
        .absences
        .iter()
        .map(|a| {
            (
                a.id,
                person_name(a.person_id),
                format!("{} – {} {}", date(&a.start_day), date(&a.end_day), a.reason),
            )
        })
        .collect();
    let wishes = d
        .wishes
        .iter()
        .map(|w| {
            let what = if w.wants {
                t.s("ro.wants")
            } else {
                t.s("ro.wants_not")
            };
            (
                w.id,
                person_name(w.person_id),
                format!("{what} {} {}", shift_name(w.shift_id), date(&w.day)),
            )
        })
        .collect();
    let units = if can_manage && d.roster.state == RosterState::Draft {
        let m: Option<Scope<RosterManage>> = user.id.grants.scope::<RosterManage>();
        match m {
            Some(m) => store::units::options(&st.db, &m, 500)
                .await?
                .into_iter()
                .filter(|u| u.id == d.roster.org_id || u.org_id == Some(d.roster.org_id))
                .collect(),
            None => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let shifts = d
        .shifts
        .iter()
        .map(|s| ShiftOpt {
            id: s.id,
            mark: words::mark(&s.name),
            name: s.name.clone(),
            hours: s.hours(),
            skill: s
                .skill
                .as_deref()
                .map(|k| words::skill(&t, k))
                .unwrap_or("")
                .to_owned(),
            burden: s.burden,
        })
        .collect();
    let status = extra.status.unwrap_or(StatusCode::OK);
    let page = ShowPage {
        page: Page::new(user, d.roster.title.clone(), "rosters"),
        draft: d.roster.state == RosterState::Draft,
        published: d.roster.state == RosterState::Published,
        d,
        can_manage,
        days,
        rows,
        shifts,
        feasible,
        penalty,
        hard,
        soft,
        problems,
        swaps,
        covers,
        absences,
        wishes,
        units,
        extra,
        skills: store::rosters::SKILLS,
    };
    Ok((status, html(&page)?).into_response())
}

#[derive(Deserialize, Default)]
pub(super) struct ShowParams {
    notice: Option<String>,
}

const NOTICES: &[&str] = &[
    "ro.saved",
    "ro.solved",
    "ro.published",
    "ro.closed",
    "ro.swap_approved",
    "ro.swap_rejected",
];

/// `GET /rosters/{id}`.
pub(super) async fn show(
    State(st): State<AppState>,
    a: Authz<RosterView>,
    Path(id): Path<i64>,
    Query(p): Query<ShowParams>,
) -> AppResult<Response> {
    let notice = p
        .notice
        .as_deref()
        .and_then(|n| NOTICES.iter().copied().find(|k| *k == n));
    render(
        &st,
        &a.user,
        &a.scope,
        id,
        Extra {
            notice,
            ..Extra::default()
        },
    )
    .await
}
