//! The setup forms of a draft roster: rules, shift types, cover lines, people and their
//! skills, leave, wishes, and removing any of them. A refused form re-renders the roster page
//! with its message (422); nothing is half-saved.

use super::show::{Extra, render};
use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use std::collections::HashMap;
use store::rosters::{self, AbsenceInput, CoverInput, RequestInput, Rules, ShiftInput};
use store::scope::RosterManage;

/// After a change: back to the page's section; on a refusal, the page with the message.
pub(super) async fn outcome(
    st: &AppState,
    a: &Authz<RosterManage>,
    id: i64,
    anchor: &str,
    r: store::Result<()>,
) -> AppResult<Response> {
    match r {
        Ok(()) => {
            Ok(Redirect::to(&format!("/rosters/{id}?notice=ro.saved#{anchor}")).into_response())
        }
        Err(store::Error::Invalid(k)) | Err(store::Error::Conflict(k)) => {
            render(
                st,
                &a.user,
                &a.scope,
                id,
                Extra {
                    error: Some(k),
                    status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                    ..Extra::default()
                },
            )
            .await
        }
        Err(e) => Err(AppError::from(e)),
    }
}

fn num(s: Option<&String>, key: &'static str) -> store::Result<Option<i64>> {
    match s.map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| store::Error::Invalid(key)),
    }
}

fn day(s: Option<&String>) -> store::Result<NaiveDate> {
    domain::values::parse_date(s.map_or("", |s| s.as_str()))
        .map_err(|_| store::Error::Invalid("err.ro_date"))
}

fn id_of(s: Option<&String>, key: &'static str) -> store::Result<i64> {
    num(s, key)?.ok_or(store::Error::Invalid(key))
}

type Fields = HashMap<String, String>;

/// `POST /rosters/{id}/rules`.
pub(super) async fn rules(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let parsed = (|| {
        let k = "err.ro_rules";
        Ok::<_, store::Error>(Rules {
            rest_minutes: num(f.get("rest_hours"), k)?.unwrap_or(0) * 60,
            max_per_type: num(f.get("max_per_type"), k)?,
            max_minutes: num(f.get("max_hours"), k)?.map(|h| h * 60),
            max_consecutive: num(f.get("max_consecutive"), k)?,
            min_days_off: num(f.get("min_days_off"), k)?.unwrap_or(0),
            max_weekends: num(f.get("max_weekends"), k)?,
            spread_weight: num(f.get("spread_weight"), k)?.unwrap_or(0),
            holiday_weight: num(f.get("holiday_weight"), k)?.unwrap_or(0),
        })
    })();
    let r = match parsed {
        Ok(rules) => rosters::update_rules(&st.db, &a.scope, &a.actor(), id, &rules).await,
        Err(e) => Err(e),
    };
    outcome(&st, &a, id, "setup", r).await
}

/// `POST /rosters/{id}/shifts`.
pub(super) async fn add_shift(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let parsed = (|| {
        let start = f.get("start").map_or("", |s| s.trim());
        let (h, m) = start
            .split_once(':')
            .ok_or(store::Error::Invalid("err.ro_shift_time"))?;
        let bad = |_| store::Error::Invalid("err.ro_shift_time");
        let start_minute = h.parse::<i64>().map_err(bad)? * 60 + m.parse::<i64>().map_err(bad)?;
        let hours = num(f.get("hours"), "err.ro_shift_time")?.unwrap_or(0);
        Ok::<_, store::Error>(ShiftInput {
            name: f.get("name").cloned().unwrap_or_default(),
            start_minute,
            minutes: hours * 60,
            skill: f.get("skill").cloned(),
            burden: f.get("burden").is_some_and(|v| v == "1"),
        })
    })();
    let r = match parsed {
        Ok(s) => rosters::add_shift(&st.db, &a.scope, &a.actor(), id, &s)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    outcome(&st, &a, id, "setup", r).await
}

/// `POST /rosters/{id}/covers`.
pub(super) async fn add_cover(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let parsed = (|| {
        let on = f.get("day").filter(|s| !s.trim().is_empty());
        Ok::<_, store::Error>(CoverInput {
            shift_id: id_of(f.get("shift"), "err.ro_shift")?,
            skill: f.get("skill").cloned(),
            day: on.map(|s| day(Some(s))).transpose()?,
            headcount: id_of(f.get("headcount"), "err.ro_headcount")?,
        })
    })();
    let r = match parsed {
        Ok(c) => rosters::add_cover(&st.db, &a.scope, &a.actor(), id, &c).await,
        Err(e) => Err(e),
    };
    outcome(&st, &a, id, "setup", r).await
}

/// `POST /rosters/{id}/members`: the people of a unit, all or by flag.
pub(super) async fn add_members(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let r = match id_of(f.get("unit"), "err.ro_unit") {
        Ok(unit) => rosters::add_members(
            &st.db,
            &a.scope,
            &a.actor(),
            id,
            unit,
            f.get("only").map(String::as_str),
        )
        .await
        .map(|_| ()),
        Err(e) => Err(e),
    };
    outcome(&st, &a, id, "setup", r).await
}

/// `POST /rosters/{id}/skills`: the skills counted for one person (a checkbox per skill).
pub(super) async fn skills(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let chosen: Vec<String> = rosters::SKILLS
        .iter()
        .filter(|k| f.get(**k).is_some_and(|v| v == "1"))
        .map(|k| (*k).to_owned())
        .collect();
    let r = match id_of(f.get("person"), "err.ro_person") {
        Ok(p) => rosters::set_member_skills(&st.db, &a.scope, &a.actor(), id, p, &chosen).await,
        Err(e) => Err(e),
    };
    outcome(&st, &a, id, "setup", r).await
}

/// `POST /rosters/{id}/absences`.
pub(super) async fn add_absence(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let parsed = (|| {
        Ok::<_, store::Error>(AbsenceInput {
            person_id: id_of(f.get("person"), "err.ro_person")?,
            start_day: day(f.get("start_day"))?,
            end_day: day(f.get("end_day"))?,
            reason: f.get("reason").cloned().unwrap_or_default(),
        })
    })();
    let r = match parsed {
        Ok(x) => rosters::add_absence(&st.db, &a.scope, &a.actor(), id, &x)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    outcome(&st, &a, id, "setup", r).await
}

/// `POST /rosters/{id}/wishes`. Without a shift, the wish is to have the whole day off: one
/// "would rather not" per shift type (wishing to work "any shift" is not offered: it would
/// count as a wish missed on every shift but one).
pub(super) async fn add_wish(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let wants = f.get("wants").is_some_and(|v| v == "1");
    let parsed = (|| {
        let person = id_of(f.get("person"), "err.ro_person")?;
        let on = day(f.get("day"))?;
        let shift = num(f.get("shift"), "err.ro_shift")?;
        if shift.is_none() && wants {
            return Err(store::Error::Invalid("err.ro_wish_shift"));
        }
        Ok::<_, store::Error>((person, on, shift))
    })();
    let (person, on, shift) = match parsed {
        Ok(v) => v,
        Err(e) => return outcome(&st, &a, id, "setup", Err(e)).await,
    };
    let shifts = match shift {
        Some(s) => vec![s],
        None => rosters::get(&st.db, &a.scope, id)
            .await?
            .shifts
            .iter()
            .map(|s| s.id)
            .collect(),
    };
    let mut r = Ok(());
    for shift_id in shifts {
        let x = RequestInput {
            person_id: person,
            day: on,
            shift_id,
            wants,
        };
        r = rosters::add_request(&st.db, &a.scope, &a.actor(), id, &x)
            .await
            .map(|_| ());
        if r.is_err() {
            break;
        }
    }
    outcome(&st, &a, id, "setup", r).await
}

/// `POST /rosters/{id}/remove`: a shift type, cover line, person, leave or wish.
pub(super) async fn remove(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let item = match id_of(f.get("item"), "err.ro_item") {
        Ok(i) => i,
        Err(e) => return outcome(&st, &a, id, "setup", Err(e)).await,
    };
    let (db, s, actor) = (&st.db, &a.scope, a.actor());
    let r = match f.get("kind").map(String::as_str) {
        Some("shift") => rosters::remove_shift(db, s, &actor, id, item).await,
        Some("cover") => rosters::remove_cover(db, s, &actor, id, item).await,
        Some("member") => rosters::remove_member(db, s, &actor, id, item).await,
        Some("absence") => rosters::remove_absence(db, s, &actor, id, item).await,
        Some("wish") => rosters::remove_request(db, s, &actor, id, item).await,
        _ => Err(store::Error::Invalid("err.ro_item")),
    };
    outcome(&st, &a, id, "setup", r).await
}
