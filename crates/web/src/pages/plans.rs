//! Protection plans: the list with its filters, the peak periods and events of an organisation
//! with where their plans stand, creating a plan (from the template of its peak or from last
//! year's), the plan page with its lifecycle actions, the editor (works without JavaScript:
//! rows are added and removed by submit buttons), the print view and the DOCX/PDF document,
//! and the partner's view of the plans naming it.
//!
//! Reading needs `PlanView`, writing `PlanManage`, approving `PlanApprove` (see
//! `store::plans`). Partner accounts hold no role and reach only `/partner/plans`.

mod document;
mod editor;
mod editor_form;
mod partner;
mod peaks;
mod show;

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Authz, User};
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::plans::PlanState;
use serde::Deserialize;
use store::plans::{self, ListQuery, NewPlan, Origin, Plan};
use store::registers::Viewer;
use store::scope::{PlanManage, PlanView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans", get(index).post(create))
        .route("/plans/peaks", get(peaks::show))
        .route("/plans/peaks/{org}/lead", post(peaks::set_lead))
        .route("/plans/{id}", get(show::show))
        .route("/plans/{id}/edit", get(editor::edit).post(editor::save))
        .route("/plans/{id}/print", get(show::print))
        .route("/plans/{id}/document.pdf", get(show::pdf))
        .route("/plans/{id}/document.docx", get(show::docx))
        .route("/plans/{id}/act/{action}", post(show::act))
        .route("/partner/plans", get(partner::list))
        .route("/partner/plans/{id}", get(partner::show))
}

pub(crate) async fn viewer(st: &AppState, user: &User) -> AppResult<Viewer> {
    Ok(Viewer::of_account(&st.db, user.id.account.id).await?)
}

/// The peak name in the page's language (`tet` → "Cao điểm Tết…"), or the event label.
pub(crate) fn peak_label(t: &crate::i18n::T, peak: Option<&str>) -> String {
    match peak {
        Some(p) => t.k("plan.peak", p),
        None => t.s("plan.peak.event").to_owned(),
    }
}

#[derive(Deserialize, Default)]
struct ListParams {
    year: Option<String>,
    state: Option<String>,
    peak: Option<String>,
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "plans/list.html")]
struct ListPage {
    page: Page,
    items: Vec<Plan>,
    next: Option<String>,
    year: String,
    state: String,
    peak: String,
    states: [PlanState; 5],
    peaks: Vec<&'static str>,
    can_manage: bool,
}

impl ListPage {
    fn period(&self, p: &Plan) -> String {
        format!(
            "{} – {}",
            crate::view::date(&p.starts_on),
            crate::view::date(&p.ends_on)
        )
    }
    fn peak_name(&self, p: &Plan) -> String {
        peak_label(&self.page.t, p.peak_id.as_deref())
    }
    fn next_link(&self, cursor: &str) -> String {
        use crate::view::url_encode as e;
        format!(
            "/plans?year={}&state={}&peak={}&cursor={}",
            e(&self.year),
            e(&self.state),
            e(&self.peak),
            e(cursor)
        )
    }
}

/// Peak ids the list filter offers, in the calendar's order.
pub(crate) const PEAKS: [&str; 6] = [
    "tet",
    "le_30_4_1_5",
    "ngay_hoi_bvantq",
    "quoc_khanh",
    "ngay_22_12",
    "event",
];

/// `GET /plans`: the plans of the scope, newest period first.
async fn index(
    State(st): State<AppState>,
    a: Authz<PlanView>,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let v = viewer(&st, &a.user).await?;
    let year = p.year.clone().unwrap_or_default();
    let state = p.state.clone().unwrap_or_default();
    let peak = p.peak.clone().unwrap_or_default();
    let q = ListQuery {
        org_id: None,
        year: year.trim().parse().ok(),
        state: PlanState::parse(&state),
        peak: Some(peak.clone()).filter(|x| PEAKS.contains(&x.as_str())),
        cursor: p.cursor.clone().filter(|c| !c.is_empty()),
        limit: 50,
    };
    let res = plans::list(&st.db, &a.scope, &v, &q).await?;
    let page = ListPage {
        page: Page::new(&a.user, a.t().s("plan.title"), "plans"),
        items: res.items,
        next: res.next,
        year,
        state,
        peak,
        states: PlanState::ALL,
        peaks: PEAKS.to_vec(),
        can_manage: a.user.id.grants.scope::<PlanManage>().is_some(),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
pub(crate) struct CreateForm {
    org: i64,
    #[serde(default)]
    peak: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    year: String,
    /// `template` or `copy`.
    #[serde(default)]
    origin: String,
    #[serde(default)]
    source: String,
}

/// `POST /plans`: a new draft from the template of its peak, or a copy of an earlier plan.
async fn create(
    State(st): State<AppState>,
    a: Authz<PlanManage>,
    CsrfForm(f): CsrfForm<CreateForm>,
) -> AppResult<Response> {
    let v = viewer(&st, &a.user).await?;
    let origin = match f.origin.as_str() {
        "copy" => Origin::Copy(
            f.source
                .trim()
                .parse()
                .map_err(|_| AppError::Invalid("err.plan_copy_kind"))?,
        ),
        _ => Origin::Template,
    };
    let np = NewPlan {
        org_id: f.org,
        peak_id: Some(f.peak.trim().to_owned()).filter(|p| !p.is_empty()),
        event_id: f.event.trim().parse().ok(),
        year: f.year.trim().parse().unwrap_or(0),
        origin,
    };
    let id = plans::create(&st.db, &a.scope, &v, &a.actor(), &np).await?;
    Ok(Redirect::to(&format!("/plans/{id}/edit?notice=plan.created")).into_response())
}

/// Home page lines: for officers, coming peaks and events that need a plan now; for leaders,
/// plans waiting for their decision.
pub async fn attention(st: &AppState, user: &User) -> AppResult<Vec<String>> {
    let mut out = Vec::new();
    if let Some(scope) = user.id.grants.scope::<PlanManage>() {
        let n = store::plans::attention::needing_plans(&st.db, &scope, crate::view::today(), 50)
            .await?;
        if n > 0 {
            out.push(user.t().f("home.attn.plans_needed", n));
        }
    }
    if let Some(scope) = user.id.grants.scope::<store::scope::PlanApprove>() {
        let n = store::plans::attention::awaiting_approval(&st.db, &scope).await?;
        if n > 0 {
            out.push(user.t().f("home.attn.plans_to_approve", n));
        }
    }
    Ok(out)
}
