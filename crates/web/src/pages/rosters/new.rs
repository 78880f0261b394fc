//! A new roster: the form, blank or filled in from a protection plan (`/rosters/new?plan=ID`,
//! the plan page's button), and its submission. The plan travels in a hidden field, so the
//! form works without JavaScript; the store checks the link (same organisation, period within
//! the plan's) and a refused form comes back with its message (422).

use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::view::{Page, date, html};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::plans::{self, Plan};
use store::rosters::{self, NewRoster};
use store::scope::{PlanView, RosterManage};
use store::units::{self, Unit};

#[derive(Deserialize, Default, Clone)]
pub(super) struct NewForm {
    #[serde(default)]
    org: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    start_day: String,
    #[serde(default)]
    end_day: String,
    /// The plan the roster is made for; empty for a roster of its own.
    #[serde(default)]
    plan: String,
}

#[derive(Deserialize, Default)]
pub(super) struct NewParams {
    plan: Option<String>,
}

#[derive(Template)]
#[template(path = "rosters/new.html")]
struct NewPage {
    page: Page,
    orgs: Vec<Unit>,
    form: NewForm,
    plan: Option<Plan>,
    error: Option<&'static str>,
}

impl NewPage {
    fn plan_period(&self, p: &Plan) -> String {
        format!("{} – {}", date(&p.starts_on), date(&p.ends_on))
    }
}

/// The plan id of a form or query: none when empty, refused when not a number.
fn plan_id(s: Option<&str>) -> Result<Option<i64>, &'static str> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| "err.ro_plan"),
    }
}

/// The plan as the person may read it: within the roster scope narrowed to `PlanView` and the
/// person's clearance; out of reach is not found.
async fn plan_of(st: &AppState, a: &Authz<RosterManage>, id: i64) -> AppResult<Plan> {
    let scope = a
        .scope
        .narrow::<PlanView>(&a.user.id.grants)
        .ok_or(AppError::NotFound)?;
    let v = crate::pages::plans::viewer(st, &a.user).await?;
    Ok(plans::get(&st.db, &scope, &v, id).await?)
}

async fn render_new(
    st: &AppState,
    a: &Authz<RosterManage>,
    form: NewForm,
    plan: Option<Plan>,
    error: Option<&'static str>,
) -> AppResult<Response> {
    let orgs: Vec<Unit> = units::options(&st.db, &a.scope, 500)
        .await?
        .into_iter()
        .filter(|u| u.kind == domain::values::UnitKind::Organisation)
        // A roster for a plan belongs to the plan's organisation.
        .filter(|u| plan.as_ref().is_none_or(|p| p.org_id == u.id))
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = NewPage {
        page: Page::new(&a.user, a.t().s("ro.new"), "rosters"),
        orgs,
        form,
        plan,
        error,
    };
    Ok((status, html(&page)?).into_response())
}

/// `GET /rosters/new`, and `GET /rosters/new?plan=ID`: the title, period and organisation
/// filled in from the plan.
pub(super) async fn new(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    Query(q): Query<NewParams>,
) -> AppResult<Response> {
    let Some(id) = plan_id(q.plan.as_deref()).map_err(AppError::Invalid)? else {
        return render_new(&st, &a, NewForm::default(), None, None).await;
    };
    let plan = plan_of(&st, &a, id).await?;
    let form = NewForm {
        org: plan.org_id.to_string(),
        // A plan the person is not cleared for lends its dates, not its title.
        title: plan
            .title
            .as_deref()
            .map(rosters::plans::title_for)
            .unwrap_or_default(),
        start_day: plan.starts_on.to_string(),
        end_day: plan.ends_on.to_string(),
        plan: plan.id.to_string(),
    };
    render_new(&st, &a, form, Some(plan), None).await
}

/// `POST /rosters`: a new draft with the default shift types and cover, for a plan when the
/// form carries one.
pub(super) async fn create(
    State(st): State<AppState>,
    a: Authz<RosterManage>,
    CsrfForm(form): CsrfForm<NewForm>,
) -> AppResult<Response> {
    let plan_id = plan_id(Some(&form.plan)).map_err(AppError::Invalid)?;
    let plan = match plan_id {
        Some(id) => Some(plan_of(&st, &a, id).await?),
        None => None,
    };
    let parsed = (|| {
        let day = |s: &str| domain::values::parse_date(s).map_err(|_| "err.ro_date");
        let org: i64 = form.org.trim().parse().map_err(|_| "err.ro_org")?;
        Ok::<_, &'static str>((org, day(&form.start_day)?, day(&form.end_day)?))
    })();
    let (org, start, end) = match parsed {
        Ok(v) => v,
        Err(k) => return render_new(&st, &a, form, plan, Some(k)).await,
    };
    let input = NewRoster {
        org_id: org,
        title: form.title.clone(),
        start_day: start,
        end_day: end,
        plan_id,
    };
    match rosters::create(&st.db, &a.scope, &a.actor(), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/rosters/{id}")).into_response()),
        Err(store::Error::Invalid(k)) => render_new(&st, &a, form, plan, Some(k)).await,
        Err(e) => Err(AppError::from(e)),
    }
}
