//! Movement models: the province page (every organisation side by side: does it hold
//! criterion 1f this year?), an organisation's models with their standing, one model's page
//! with members, activities and evidence, reviews, and the forms that change them.
//!
//! Reading needs `ModelView`, changing `ModelManage` over the model's organisation. The year
//! shown is the evaluation year (TT 124: 16/11 → 15/11) that contains today unless one is
//! asked for; the rule applied is shown with its basis.

mod forms;
mod model;

use crate::AppState;
use crate::auth::Authz;
use crate::error::{AppError, AppResult};
use crate::view::{Page, html, url_encode};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::movement::{self, OrgStanding, Rule, Standing, Summary, rules};
use store::scope::{ModelManage, ModelView};
use store::units::{self, Unit};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/models", get(index))
        .route("/models/province", get(province))
        .route("/models/org/{org}", get(org).post(forms::create))
        .route("/models/org/{org}/new", get(forms::new))
        .route("/models/evidence/{id}", get(model::evidence))
        .route("/models/{id}", get(model::show))
        .route("/models/{id}/edit", get(forms::edit).post(forms::update))
        .route("/models/{id}/members", post(model::add_member))
        .route(
            "/models/{id}/members/{person}/remove",
            post(model::remove_member),
        )
        .route("/models/{id}/activities", post(model::add_activity))
        .route("/models/{id}/reviews", post(model::review))
}

#[derive(Deserialize, Default)]
pub(crate) struct YearParams {
    year: Option<String>,
    gaps: Option<String>,
    cursor: Option<String>,
    notice: Option<String>,
}

/// The evaluation year asked for (or the current one) and its rule.
pub(crate) async fn year_and_rule(st: &AppState, asked: Option<&str>) -> AppResult<(Rule, i32)> {
    let asked = asked.map(str::trim).filter(|s| !s.is_empty());
    match asked {
        None => Ok(rules::current(&st.db, crate::view::today()).await?),
        Some(y) => {
            let year: i32 = y.parse().map_err(|_| AppError::Invalid("err.mv_year"))?;
            if !(2000..=2100).contains(&year) {
                return Err(AppError::Invalid("err.mv_year"));
            }
            Ok((rules::rule_for(&st.db, year).await?, year))
        }
    }
}

/// `GET /models`: the province page for those who see several organisations, else the
/// organisation's own page.
async fn index(a: Authz<ModelView>) -> AppResult<Response> {
    if let Some(org) = a.scope.single_org() {
        return Ok(Redirect::to(&format!("/models/org/{org}")).into_response());
    }
    Ok(Redirect::to("/models/province").into_response())
}

#[derive(Template)]
#[template(path = "models/province.html")]
struct ProvincePage {
    page: Page,
    year: i32,
    rule: Rule,
    summary: Summary,
    items: Vec<OrgStanding>,
    next: Option<String>,
    gaps: bool,
}

impl ProvincePage {
    fn window(&self) -> String {
        let w = self.rule.window(self.year);
        format!(
            "{} – {}",
            crate::view::date(&w.start),
            crate::view::date(&w.end)
        )
    }
    fn next_link(&self, c: &str) -> String {
        format!(
            "/models/province?year={}&gaps={}&cursor={}",
            self.year,
            if self.gaps { "1" } else { "" },
            url_encode(c)
        )
    }
    fn percent(&self) -> i64 {
        if self.summary.organisations == 0 {
            0
        } else {
            self.summary.holding * 100 / self.summary.organisations
        }
    }
}

/// `GET /models/province`: every organisation of the scope, criterion 1f side by side.
async fn province(
    State(st): State<AppState>,
    a: Authz<ModelView>,
    Query(p): Query<YearParams>,
) -> AppResult<Response> {
    let (rule, year) = year_and_rule(&st, p.year.as_deref()).await?;
    let gaps = p.gaps.as_deref().is_some_and(|g| !g.is_empty());
    let cursor = p.cursor.as_deref().filter(|c| !c.is_empty());
    let (summary, page_data) = tokio::try_join!(
        movement::summary(&st.db, &a.scope, &rule, year),
        movement::province(&st.db, &a.scope, &rule, year, gaps, cursor, 50),
    )?;
    let t = a.t();
    let page = ProvincePage {
        page: Page::new(&a.user, t.f("mv.province_title", year), "models"),
        year,
        rule,
        summary,
        items: page_data.items,
        next: page_data.next,
        gaps,
    };
    Ok(html(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "models/org.html")]
struct OrgPage {
    page: Page,
    org: Unit,
    year: i32,
    rule: Rule,
    models: Vec<(movement::Model, Standing)>,
    can_manage: bool,
    several_orgs: bool,
    notice: Option<&'static str>,
}

impl OrgPage {
    fn working(&self) -> i64 {
        self.models.iter().filter(|(_, s)| s.working).count() as i64
    }
    fn holds(&self) -> bool {
        self.working() >= self.rule.min_models
    }
    fn window(&self) -> String {
        let w = self.rule.window(self.year);
        format!(
            "{} – {}",
            crate::view::date(&w.start),
            crate::view::date(&w.end)
        )
    }
    fn since(&self, m: &movement::Model) -> String {
        crate::view::date(&m.since)
    }
}

pub(crate) fn may_manage(a: &Authz<ModelView>, path: &str) -> bool {
    a.user
        .id
        .grants
        .scope::<ModelManage>()
        .is_some_and(|m| m.contains_path(path))
}

/// `GET /models/org/{org}`: an organisation's models and where each stands this year.
async fn org(
    State(st): State<AppState>,
    a: Authz<ModelView>,
    Path(org): Path<i64>,
    Query(p): Query<YearParams>,
) -> AppResult<Response> {
    let org = units::get(&st.db, &a.scope, org).await?;
    if org.kind != domain::values::UnitKind::Organisation {
        return Err(AppError::NotFound);
    }
    let (rule, year) = year_and_rule(&st, p.year.as_deref()).await?;
    let models = movement::org_models_for_year(&st.db, &a.scope, org.id, &rule, year).await?;
    let notice = p
        .notice
        .as_deref()
        .and_then(|n| ["mv.saved"].into_iter().find(|k| *k == n));
    let page = OrgPage {
        page: Page::new(
            &a.user,
            format!("{} — {}", a.t().s("mv.title"), org.name),
            "models",
        ),
        can_manage: may_manage(&a, &org.path),
        several_orgs: a.scope.single_org().is_none(),
        org,
        year,
        rule,
        models,
        notice,
    };
    Ok(html(&page)?.into_response())
}
