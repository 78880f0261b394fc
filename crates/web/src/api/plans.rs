//! Protection plans through the API: the scoped list and one plan with its content and duty
//! rosters. Read with
//! `PlanView` like the pages; a secret plan the caller is not cleared for is listed with the
//! placeholder title and no content, and answered 404 when asked for on its own.

use crate::AppState;
use crate::api::ApiErrorBody;
use crate::auth::Authz;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use domain::plans::PlanState;
use serde::{Deserialize, Serialize};
use store::plans::{self, Content, ListQuery, Plan};
use store::registers::Viewer;
use store::rosters::{self, PlanRoster};
use store::scope::{PlanView, RosterView};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct PlanDto {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub year: i32,
    /// The calendar peak (tet, le_30_4_1_5, ngay_hoi_bvantq, quoc_khanh, ngay_22_12), absent for an event.
    pub peak_id: Option<String>,
    pub event_id: Option<i64>,
    /// Title, or "[Kế hoạch mật]" when the caller is not cleared for the plan.
    pub title: String,
    /// KH or PA.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// YYYY-MM-DD.
    pub starts_on: String,
    /// YYYY-MM-DD.
    pub ends_on: String,
    /// draft, submitted, approved, in_effect or closed.
    pub state: String,
    /// none, mat, toi_mat or tuyet_mat.
    pub secrecy: String,
    /// Number and code from the register once approved, e.g. "05-KH/VPTU".
    pub ky_hieu: Option<String>,
    /// YYYY-MM-DD of the issued document.
    pub issued_on: Option<String>,
    pub approved_by: Option<String>,
    pub copied_from: Option<i64>,
    pub redacted: bool,
}

impl From<&Plan> for PlanDto {
    fn from(p: &Plan) -> Self {
        PlanDto {
            id: p.id,
            org_id: p.org_id,
            org_name: p.org_name.clone(),
            year: p.year,
            peak_id: p.peak_id.clone(),
            event_id: p.event_id,
            title: p.title_text().to_owned(),
            doc_type: p.doc_type.code().to_owned(),
            starts_on: p.starts_on.to_string(),
            ends_on: p.ends_on.to_string(),
            state: p.state.code().to_owned(),
            secrecy: p.secrecy.code().to_owned(),
            ky_hieu: p.ky_hieu.clone(),
            issued_on: p.doc_date.map(|d| d.to_string()),
            approved_by: p.approved_name.clone(),
            copied_from: p.copied_from,
            redacted: p.redacted,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ForceDto {
    /// guard_squad, self_defence, leader, duty_officer or fire_force.
    pub kind: String,
    pub person_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub name: String,
    pub duty: String,
    pub phone: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TaskDto {
    pub partner_id: i64,
    pub partner_name: String,
    pub task: String,
}

#[derive(Serialize, ToSchema)]
pub struct ContactDto {
    pub name: String,
    pub role: String,
    pub phone: String,
}

#[derive(Serialize, ToSchema)]
pub struct StepDto {
    /// crowd, disturbance, fire or suspicious_object.
    pub situation: String,
    /// 1-based order within the situation.
    pub order: usize,
    pub action: String,
    pub actor: String,
    pub calls: String,
}

/// A duty roster made for the plan.
#[derive(Serialize, ToSchema)]
pub struct PlanRosterDto {
    pub id: i64,
    pub title: String,
    /// YYYY-MM-DD.
    pub start_day: String,
    /// YYYY-MM-DD.
    pub end_day: String,
    /// draft, published or closed.
    pub state: String,
}

impl From<&PlanRoster> for PlanRosterDto {
    fn from(r: &PlanRoster) -> Self {
        PlanRosterDto {
            id: r.id,
            title: r.title.clone(),
            start_day: r.start_day.to_string(),
            end_day: r.end_day.to_string(),
            state: r.state.code().to_owned(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PlanDetailDto {
    #[serde(flatten)]
    pub plan: PlanDto,
    pub objectives: String,
    pub forces: Vec<ForceDto>,
    pub tasks: Vec<TaskDto>,
    pub contacts: Vec<ContactDto>,
    pub steps: Vec<StepDto>,
    pub after_action: Option<String>,
    /// The duty rosters made for the plan, in the order of their periods.
    pub rosters: Vec<PlanRosterDto>,
}

fn detail(p: &Plan, c: Content, rosters: &[PlanRoster]) -> PlanDetailDto {
    let mut seen: std::collections::HashMap<&'static str, usize> = Default::default();
    PlanDetailDto {
        plan: p.into(),
        objectives: c.objectives,
        forces: c
            .forces
            .into_iter()
            .map(|f| ForceDto {
                kind: f.kind.code().into(),
                person_id: f.person_id,
                partner_id: f.partner_id,
                name: f.name,
                duty: f.duty,
                phone: f.phone,
            })
            .collect(),
        tasks: c
            .tasks
            .into_iter()
            .map(|t| TaskDto {
                partner_id: t.partner_id,
                partner_name: t.partner_name,
                task: t.task,
            })
            .collect(),
        contacts: c
            .contacts
            .into_iter()
            .map(|k| ContactDto {
                name: k.name,
                role: k.role,
                phone: k.phone,
            })
            .collect(),
        steps: c
            .steps
            .into_iter()
            .map(|s| {
                let n = seen.entry(s.situation.code()).or_insert(0);
                *n += 1;
                StepDto {
                    situation: s.situation.code().into(),
                    order: *n,
                    action: s.action,
                    actor: s.actor,
                    calls: s.calls,
                }
            })
            .collect(),
        after_action: p.after_action.clone(),
        rosters: rosters.iter().map(Into::into).collect(),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct PlansQuery {
    /// One organisation of the caller's scope; all of it when absent.
    pub org: Option<i64>,
    pub year: Option<i32>,
    /// draft, submitted, approved, in_effect or closed.
    pub state: Option<String>,
    /// A peak id, or `event`.
    pub peak: Option<String>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PlanPage {
    pub items: Vec<PlanDto>,
    /// Cursor of the next page; absent on the last page.
    pub next: Option<String>,
}

/// Protection plans in the caller's scope, newest period first.
#[utoipa::path(get, path = "/plans", operation_id = "listPlans", tag = "plans", params(PlansQuery),
    responses((status = 200, body = PlanPage), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn list_plans(
    State(st): State<AppState>,
    a: Authz<PlanView>,
    Query(q): Query<PlansQuery>,
) -> AppResult<Json<PlanPage>> {
    let v = Viewer::of_account(&st.db, a.user.id.account.id).await?;
    let state = match q.state.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(PlanState::parse(s).ok_or(AppError::Invalid("err.plan_state"))?),
        None => None,
    };
    let query = ListQuery {
        org_id: q.org,
        year: q.year,
        state,
        peak: q.peak,
        cursor: q.cursor,
        limit: q.limit.unwrap_or(50),
    };
    let page = plans::list(&st.db, &a.scope, &v, &query).await?;
    Ok(Json(PlanPage {
        items: page.items.iter().map(Into::into).collect(),
        next: page.next,
    }))
}

/// One plan with its forces, partner tasks, contacts, playbooks and duty rosters; 404 outside
/// the caller's scope or above the caller's clearance.
#[utoipa::path(get, path = "/plans/{id}", operation_id = "getPlan", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = PlanDetailDto), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn get_plan(
    State(st): State<AppState>,
    a: Authz<PlanView>,
    Path(id): Path<i64>,
) -> AppResult<Json<PlanDetailDto>> {
    let v = Viewer::of_account(&st.db, a.user.id.account.id).await?;
    let p = plans::get(&st.db, &a.scope, &v, id).await?;
    if p.redacted {
        return Err(AppError::NotFound);
    }
    let c = plans::load_content(&st.db, &p).await?;
    // Rosters are read over the plan scope narrowed to `RosterView`.
    let list = match a.scope.narrow::<RosterView>(&a.user.id.grants) {
        Some(s) => rosters::for_plan(&st.db, &s, p.id).await?,
        None => Vec::new(),
    };
    Ok(Json(detail(&p, c, &list)))
}
