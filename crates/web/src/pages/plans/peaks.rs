//! The coming peak periods and events of one organisation: their windows, the preparation lead
//! time and what it rests on, the days left, and whether a plan exists (with the buttons that
//! make one from the template or from last year's plan). Also the organisation's own lead
//! times.

use super::viewer;
use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use store::plans::peaks::{self, LeadTime, Upcoming};
use store::scope::{PlanManage, PlanView, UnitView};
use store::units::{self, Unit};

#[derive(Deserialize, Default)]
pub(super) struct PeaksQuery {
    org: Option<i64>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "plans/peaks.html")]
struct PeaksPage {
    page: Page,
    orgs: Vec<Unit>,
    org: Unit,
    rows: Vec<Upcoming>,
    today: NaiveDate,
    can_manage: bool,
    kinds: Vec<(String, String)>,
    notice: bool,
}

impl PeaksPage {
    fn date(&self, d: &NaiveDate) -> String {
        crate::view::date(d)
    }
    fn name(&self, u: &Upcoming) -> String {
        match self.page.t.lang {
            crate::i18n::Lang::Vi => u.name_vi.clone(),
            crate::i18n::Lang::En => u.name_en.clone(),
        }
    }
    fn days_left(&self, u: &Upcoming) -> i64 {
        u.days_left(self.today)
    }
    fn needs(&self, u: &Upcoming) -> bool {
        u.needs_plan(self.today)
    }
    fn event_id(&self, u: &Upcoming) -> String {
        u.event
            .as_ref()
            .map(|e| e.id.to_string())
            .unwrap_or_default()
    }
    fn state_label(&self, u: &Upcoming) -> String {
        match u.plan {
            Some((_, s)) => self.page.t.k("plan.state", s.code()),
            None => self.page.t.s("plan.none").to_owned(),
        }
    }
}

/// `GET /plans/peaks?org=`: the coming peaks of one organisation of the scope.
pub(super) async fn show(
    State(st): State<AppState>,
    a: Authz<PlanView>,
    Query(q): Query<PeaksQuery>,
) -> AppResult<Response> {
    let view = a
        .scope
        .narrow::<UnitView>(&a.user.id.grants)
        .ok_or(AppError::Forbidden)?;
    let (orgs, _) = units::organisations(&st.db, &view, None, None, 3000).await?;
    let org = match q.org {
        Some(id) => units::get(&st.db, &a.scope, id).await?,
        None => orgs.first().cloned().ok_or(AppError::NotFound)?,
    };
    let v = viewer(&st, &a.user).await?;
    let today = crate::view::today();
    let rows = peaks::upcoming(&st.db, &a.scope, &v, org.id, today).await?;
    let can_manage = a
        .user
        .id
        .grants
        .scope::<PlanManage>()
        .is_some_and(|m| m.contains_path(&org.path));
    let mut kinds: Vec<(String, String)> = peaks::peak_kinds()?
        .into_iter()
        .map(|(id, vi, en)| {
            let name = match a.t().lang {
                crate::i18n::Lang::Vi => vi,
                crate::i18n::Lang::En => en,
            };
            (id, name)
        })
        .collect();
    kinds.push(("event".into(), a.t().s("plan.peak.event").to_owned()));
    let page = PeaksPage {
        page: Page::new(&a.user, a.t().s("plan.peaks_title"), "plans"),
        orgs,
        org,
        rows,
        today,
        can_manage,
        kinds,
        notice: q.notice.as_deref() == Some("plan.lead_saved"),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
pub(super) struct LeadForm {
    peak: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    basis: String,
}

/// `POST /plans/peaks/{org}/lead`: the organisation's own lead time for a peak.
pub(super) async fn set_lead(
    State(st): State<AppState>,
    a: Authz<PlanManage>,
    Path(org): Path<i64>,
    CsrfForm(f): CsrfForm<LeadForm>,
) -> AppResult<Response> {
    let days = f
        .days
        .trim()
        .parse()
        .map_err(|_| AppError::Invalid("err.plan_lead_days"))?;
    let lt = LeadTime {
        peak_id: f.peak.trim().to_owned(),
        lead_days: days,
        basis: f.basis,
    };
    peaks::set_lead_time(&st.db, &a.scope, &a.actor(), org, &lt).await?;
    Ok(Redirect::to(&format!("/plans/peaks?org={org}&notice=plan.lead_saved")).into_response())
}
