//! Working on the cells: solving, the hand editor (a row form that saves and re-renders with
//! that person's broken rules; a JSON check of one cell for the page's script), publishing,
//! closing, and deciding swaps.

use super::show::{Extra, render};
use super::words;
use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use store::rosters::{self, SolveError, swaps};
use store::scope::RosterManage;

type Fields = HashMap<String, String>;

/// Seconds the solver gets from the page: a proposal while the officer waits.
pub const SOLVE_SECONDS: f64 = 2.0;

async fn refused(
    st: &AppState,
    a: &Authz<RosterManage>,
    id: i64,
    key: &'static str,
) -> AppResult<Response> {
    render(
        st,
        &a.user,
        &a.scope,
        id,
        Extra {
            error: Some(key),
            status: Some(StatusCode::UNPROCESSABLE_ENTITY),
            ..Extra::default()
        },
    )
    .await
}

/// `POST /rosters/{id}/solve`: a proposal within a couple of seconds, stored as the cells.
pub(super) async fn solve(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    match rosters::solve(&st.db, &a.scope, &a.actor(), id, SOLVE_SECONDS).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/rosters/{id}?notice=ro.solved#verdict")).into_response())
        }
        Err(SolveError::Setup(problems)) => {
            render(
                &st,
                &a.user,
                &a.scope,
                id,
                Extra {
                    error: Some("ro.solve_refused"),
                    problems,
                    status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                    ..Extra::default()
                },
            )
            .await
        }
        Err(SolveError::Store(store::Error::Invalid(k))) => refused(&st, &a, id, k).await,
        Err(SolveError::Store(e)) => Err(AppError::from(e)),
    }
}

fn cell_value(v: Option<&String>) -> Result<Option<i64>, &'static str> {
    match v.map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| "err.ro_shift"),
    }
}

/// `POST /rosters/{id}/row/{person}`: saves the changed cells of one person's row (fields
/// `cYYYY-MM-DD` = shift id or empty) and shows the page with what that person now breaks.
pub(super) async fn save_row(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path((id, person)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let d = rosters::get(&st.db, &a.scope, id).await?;
    if d.member(person).is_none() {
        return Err(AppError::NotFound);
    }
    // Read every field first: a bad one saves nothing.
    let mut changes = Vec::new();
    for day in d.roster.days() {
        let Some(raw) = f.get(&format!("c{day}")) else {
            continue;
        };
        let v = match cell_value(Some(raw)) {
            Ok(v) => v,
            Err(k) => return refused(&st, &a, id, k).await,
        };
        if v.is_some_and(|s| d.shift(s).is_none()) {
            return refused(&st, &a, id, "err.ro_shift").await;
        }
        if v.is_some() && d.absent(person, day) {
            return refused(&st, &a, id, "err.ro_on_leave").await;
        }
        if d.cell(person, day) != v {
            changes.push((day, v));
        }
    }
    for (day, v) in &changes {
        match rosters::set_cell(&st.db, &a.scope, &a.actor(), id, person, *day, *v).await {
            Ok(_) => {}
            Err(store::Error::Invalid(k)) => return refused(&st, &a, id, k).await,
            Err(e) => return Err(AppError::from(e)),
        }
    }
    let t = a.t();
    let d = rosters::get(&st.db, &a.scope, id).await?;
    let concerned: Vec<store::rosters::build::Reason> = match rosters::evaluate(&st.db, &d).await? {
        Ok((_, _, reasons)) => reasons
            .into_iter()
            .filter(|r| {
                r.person_id == Some(person)
                    || (r.person_id.is_none()
                        && changes.iter().any(|(day, _)| r.first_day == Some(*day)))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    // Broken rules first; when there is none, say so, then the penalties for information.
    let mut messages: Vec<String> = concerned
        .iter()
        .filter(|r| r.hard)
        .map(|r| words::reason(&t, r))
        .collect();
    if messages.is_empty() {
        messages.push(t.s("ro.row_ok").to_owned());
    }
    messages.extend(
        concerned
            .iter()
            .filter(|r| !r.hard)
            .map(|r| words::reason(&t, r)),
    );
    render(
        &st,
        &a.user,
        &a.scope,
        id,
        Extra {
            notice: Some("ro.saved"),
            row: Some((person, messages)),
            ..Extra::default()
        },
    )
    .await
}

/// The answer of the one-cell check.
#[derive(Serialize)]
pub(super) struct CheckAnswer {
    ok: bool,
    hard_before: u32,
    hard_after: u32,
    penalty_before: i64,
    penalty_after: i64,
    messages: Vec<String>,
}

/// `POST /rosters/{id}/check` (`person`, `day`, `shift`): what setting that cell would break,
/// priced by the engine's incremental checker. Saves nothing.
pub(super) async fn check(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Json<CheckAnswer>> {
    let person: i64 = f
        .get("person")
        .and_then(|s| s.parse().ok())
        .ok_or(AppError::Invalid("err.ro_person"))?;
    let day = f
        .get("day")
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .ok_or(AppError::Invalid("err.ro_date"))?;
    let shift = cell_value(f.get("shift")).map_err(AppError::Invalid)?;
    let d = rosters::get(&st.db, &a.scope, id).await?;
    let t = a.t();
    if shift.is_some() && d.absent(person, day) {
        return Ok(Json(CheckAnswer {
            ok: false,
            hard_before: 0,
            hard_after: 1,
            penalty_before: 0,
            penalty_after: 0,
            messages: vec![t.s("err.ro_on_leave").to_owned()],
        }));
    }
    let (built, _, _) = rosters::evaluate(&st.db, &d)
        .await?
        .map_err(|_| AppError::Invalid("err.ro_setup_broken"))?;
    let c = rosters::check_cell(&built, &d, person, day, shift)?;
    Ok(Json(CheckAnswer {
        // The edit is fine when it adds no breach and the person breaks no rule after it.
        ok: c.hard_after <= c.hard_before && !c.reasons.iter().any(|r| r.hard),
        hard_before: c.hard_before,
        hard_after: c.hard_after,
        penalty_before: c.penalty_before,
        penalty_after: c.penalty_after,
        messages: c.reasons.iter().map(|r| words::reason(&t, r)).collect(),
    }))
}

/// `POST /rosters/{id}/publish`.
pub(super) async fn publish(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    match rosters::publish(&st.db, &a.scope, &a.actor(), id).await {
        Ok(()) => Ok(Redirect::to(&format!("/rosters/{id}?notice=ro.published")).into_response()),
        Err(store::Error::Invalid(k)) => refused(&st, &a, id, k).await,
        Err(e) => Err(AppError::from(e)),
    }
}

/// `POST /rosters/{id}/close`.
pub(super) async fn close(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    match rosters::close(&st.db, &a.scope, &a.actor(), id).await {
        Ok(()) => Ok(Redirect::to(&format!("/rosters/{id}?notice=ro.closed")).into_response()),
        Err(store::Error::Invalid(k)) => refused(&st, &a, id, k).await,
        Err(e) => Err(AppError::from(e)),
    }
}

/// `POST /rosters/{id}/swaps/{swap}` (`decision` = approve or reject).
pub(super) async fn decide(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Path((id, swap)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let approve = match f.get("decision").map(String::as_str) {
        Some("approve") => true,
        Some("reject") => false,
        _ => return refused(&st, &a, id, "err.ro_decision").await,
    };
    // The swap must belong to this roster: the list is read through the same scope.
    let v = a
        .user
        .id
        .grants
        .scope::<store::scope::RosterView>()
        .ok_or(AppError::NotFound)?;
    if !swaps::list(&st.db, &v, id)
        .await?
        .iter()
        .any(|s| s.id == swap)
    {
        return Err(AppError::NotFound);
    }
    match swaps::decide(&st.db, &a.scope, &a.actor(), swap, approve).await {
        Ok(swaps::Decision::Approved) => Ok(Redirect::to(&format!(
            "/rosters/{id}?notice=ro.swap_approved#swaps"
        ))
        .into_response()),
        Ok(swaps::Decision::Rejected) => Ok(Redirect::to(&format!(
            "/rosters/{id}?notice=ro.swap_rejected#swaps"
        ))
        .into_response()),
        Ok(swaps::Decision::Refused(reasons)) => {
            let t = a.t();
            render(
                &st,
                &a.user,
                &a.scope,
                id,
                Extra {
                    error: Some("ro.swap_refused"),
                    details: reasons.iter().map(|r| words::reason(&t, r)).collect(),
                    status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                    ..Extra::default()
                },
            )
            .await
        }
        Err(store::Error::Invalid(k)) => refused(&st, &a, id, k).await,
        Err(e) => Err(AppError::from(e)),
    }
}
