//! Duty rosters through the API, read-only: the rosters the caller may see and one roster with
//! its shift types, people and duties. Same scope as the pages (`RosterView`); another
//! organisation's roster is not found.

use crate::AppState;
use crate::api::ApiErrorBody;
use crate::auth::Authz;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use store::rosters::{self, RosterItem};
use store::scope::RosterView;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct RosterDto {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    /// The protection plan this roster is the annex of, if any.
    pub plan_id: Option<i64>,
    pub title: String,
    /// YYYY-MM-DD.
    pub start_day: String,
    /// YYYY-MM-DD.
    pub end_day: String,
    /// draft, published or closed.
    pub state: String,
    pub members: i64,
    pub duties: i64,
}

impl From<RosterItem> for RosterDto {
    fn from(i: RosterItem) -> Self {
        let r = i.roster;
        RosterDto {
            id: r.id,
            org_id: r.org_id,
            org_name: r.org_name,
            plan_id: r.plan_id,
            title: r.title,
            start_day: r.start_day.to_string(),
            end_day: r.end_day.to_string(),
            state: r.state.code().to_owned(),
            members: i.members,
            duties: i.duties,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RosterPage {
    pub items: Vec<RosterDto>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct RostersQuery {
    /// Only this organisation's rosters.
    pub org: Option<i64>,
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
}

/// `id~YYYY-MM-DD` → (day, id).
pub(crate) fn decode(c: &str) -> AppResult<(String, i64)> {
    let (id, day) = c.split_once('~').ok_or(AppError::Invalid("err.cursor"))?;
    if chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err() {
        return Err(AppError::Invalid("err.cursor"));
    }
    Ok((
        day.to_owned(),
        id.parse().map_err(|_| AppError::Invalid("err.cursor"))?,
    ))
}

/// Duty rosters of the organisations the caller may see, newest period first.
#[utoipa::path(get, path = "/rosters", operation_id = "listRosters", tag = "rosters", params(RostersQuery),
    responses((status = 200, body = RosterPage), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn list_rosters(
    State(st): State<AppState>,
    a: Authz<RosterView>,
    Query(q): Query<RostersQuery>,
) -> AppResult<Json<RosterPage>> {
    let after = q
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(decode)
        .transpose()?;
    let (items, next) =
        rosters::list(&st.db, &a.scope, q.org, after, q.limit.unwrap_or(50)).await?;
    Ok(Json(RosterPage {
        items: items.into_iter().map(Into::into).collect(),
        next: next.map(|(d, id)| format!("{id}~{d}")),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RosterShiftDto {
    pub id: i64,
    pub name: String,
    /// Minutes after midnight.
    pub start_minute: i64,
    pub minutes: i64,
    /// Only holders of this skill may work it.
    pub skill: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RosterMemberDto {
    pub person_id: i64,
    pub full_name: String,
    pub position: String,
    /// leader, self_defence, fire_force, driver.
    pub skills: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RosterDutyDto {
    pub person_id: i64,
    /// YYYY-MM-DD.
    pub day: String,
    pub shift_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct RosterDetailDto {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    /// The protection plan the roster carries out (its rosters are listed by getPlan).
    pub plan_id: Option<i64>,
    pub title: String,
    pub start_day: String,
    pub end_day: String,
    pub state: String,
    pub shifts: Vec<RosterShiftDto>,
    pub members: Vec<RosterMemberDto>,
    pub duties: Vec<RosterDutyDto>,
    /// No hard rule broken by the duties as they stand (absent when the setup is incomplete).
    pub feasible: Option<bool>,
    /// The remaining penalty.
    pub penalty: Option<u64>,
}

/// One roster with its shift types, people and duties.
#[utoipa::path(get, path = "/rosters/{id}", operation_id = "getRoster", tag = "rosters",
    params(("id" = i64, Path, description = "Roster id")),
    responses((status = 200, body = RosterDetailDto), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn get_roster(
    State(st): State<AppState>,
    a: Authz<RosterView>,
    Path(id): Path<i64>,
) -> AppResult<Json<RosterDetailDto>> {
    let d = rosters::get(&st.db, &a.scope, id).await?;
    let verdict = rosters::evaluate(&st.db, &d).await?;
    let (feasible, penalty) = match &verdict {
        Ok((_, ev, _)) => (Some(ev.feasible()), Some(ev.penalty)),
        Err(_) => (None, None),
    };
    let r = &d.roster;
    Ok(Json(RosterDetailDto {
        id: r.id,
        org_id: r.org_id,
        org_name: r.org_name.clone(),
        plan_id: r.plan_id,
        title: r.title.clone(),
        start_day: r.start_day.to_string(),
        end_day: r.end_day.to_string(),
        state: r.state.code().to_owned(),
        shifts: d
            .shifts
            .iter()
            .map(|s| RosterShiftDto {
                id: s.id,
                name: s.name.clone(),
                start_minute: s.start_minute,
                minutes: s.minutes,
                skill: s.skill.clone(),
            })
            .collect(),
        members: d
            .members
            .iter()
            .map(|m| RosterMemberDto {
                person_id: m.person_id,
                full_name: m.full_name.clone(),
                position: m.position.clone(),
                skills: m.skills.clone(),
            })
            .collect(),
        duties: d
            .cells
            .iter()
            .map(|c| RosterDutyDto {
                person_id: c.person_id,
                day: c.day.to_string(),
                shift_id: c.shift_id,
            })
            .collect(),
        feasible,
        penalty,
    }))
}
