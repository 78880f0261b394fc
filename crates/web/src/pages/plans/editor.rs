//! The plan editor. One form holds the header and every repeated row (forces, partner tasks,
//! contacts, playbook steps). Without JavaScript it works by submit buttons: "add a row"
//! re-renders the form with the values typed so far and one blank row, ticking "remove" drops
//! a row at the next submit, and "save" checks everything and stores it in one transaction.
//! Refused input comes back with the message and every value kept (422), nothing saved.

use super::editor_form::{ContactRow, EditForm, ForceRow, StepRow, TaskRow};
use super::viewer;
use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::plans::{ForceKind, Situation};
use store::plans;
use store::registers::Level;
use store::scope::{PlanManage, PlanView};

#[derive(Template)]
#[template(path = "plans/edit.html")]
struct EditPage {
    page: Page,
    plan: store::plans::Plan,
    form: EditForm,
    people: Vec<(i64, String, String)>,
    partners: Vec<(i64, String)>,
    error: Option<&'static str>,
    notice: Option<&'static str>,
}

impl EditPage {
    fn kinds(&self) -> [ForceKind; 5] {
        ForceKind::ALL
    }
    fn situations(&self) -> [Situation; 4] {
        Situation::ALL
    }
    fn levels(&self) -> &'static [Level] {
        Level::ALL
    }
    fn sel(&self, a: &str, b: &str) -> bool {
        a == b
    }
    fn id_is(&self, a: &str, b: &i64) -> bool {
        a.trim() == b.to_string()
    }
}

async fn render(
    st: &AppState,
    a: &Authz<PlanManage>,
    plan: store::plans::Plan,
    form: EditForm,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    status: StatusCode,
) -> AppResult<Response> {
    let org = store::units::by_id(&st.db, plan.org_id).await?;
    let people = plans::templates::people_of(&st.db, &org).await?;
    let partners = plans::templates::partners_of(&st.db, &org)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let title = format!("{} — {}", a.t().s("plan.edit"), plan.title_text());
    let page = EditPage {
        page: Page::new(&a.user, title, "plans"),
        plan,
        form,
        people,
        partners,
        error,
        notice,
    };
    Ok((status, html(&page)?).into_response())
}

/// The plan, if the person may edit it now.
async fn editable(st: &AppState, a: &Authz<PlanManage>, id: i64) -> AppResult<store::plans::Plan> {
    let view = a
        .scope
        .narrow::<PlanView>(&a.user.id.grants)
        .ok_or(AppError::NotFound)?;
    let v = viewer(st, &a.user).await?;
    let plan = plans::get(&st.db, &view, &v, id).await?;
    if plan.redacted || !a.scope.contains_path(&plan.unit_path) {
        return Err(AppError::NotFound);
    }
    if !plan.state.editable() {
        return Err(AppError::Invalid("err.plan_not_draft"));
    }
    Ok(plan)
}

#[derive(serde::Deserialize, Default)]
pub(super) struct EditQuery {
    notice: Option<String>,
}

/// `GET /plans/{id}/edit`.
pub(super) async fn edit(
    State(st): State<AppState>,
    a: Authz<PlanManage>,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
) -> AppResult<Response> {
    let plan = editable(&st, &a, id).await?;
    let content = plans::load_content(&st.db, &plan).await?;
    let form = EditForm::of(&plan, &content);
    let notice = (q.notice.as_deref() == Some("plan.created")).then_some("plan.created");
    render(&st, &a, plan, form, None, notice, StatusCode::OK).await
}

/// `POST /plans/{id}/edit`: add a row, or save.
pub(super) async fn save(
    State(st): State<AppState>,
    a: Authz<PlanManage>,
    Path(id): Path<i64>,
    CsrfForm(raw): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let plan = editable(&st, &a, id).await?;
    let (mut form, op) = EditForm::parse(&raw);
    match op.as_str() {
        "add_force" => form.forces.push(ForceRow {
            kind: ForceKind::SelfDefence.code().into(),
            ..ForceRow::default()
        }),
        "add_task" => form.tasks.push(TaskRow::default()),
        "add_contact" => form.contacts.push(ContactRow::default()),
        "add_step" => {
            let last = form
                .steps
                .last()
                .map(|s| s.situation.clone())
                .unwrap_or_else(|| Situation::Crowd.code().into());
            form.steps.push(StepRow {
                situation: last,
                ..StepRow::default()
            });
        }
        _ => {
            let v = viewer(&st, &a.user).await?;
            let saved = match form.to_input() {
                Ok((h, c)) => plans::update(&st.db, &a.scope, &v, &a.actor(), id, &h, &c)
                    .await
                    .map_err(AppError::from),
                Err(k) => Err(AppError::Invalid(k)),
            };
            return match saved {
                Ok(()) => {
                    Ok(Redirect::to(&format!("/plans/{id}?notice=plan.saved")).into_response())
                }
                Err(AppError::Invalid(k)) => {
                    render(
                        &st,
                        &a,
                        plan,
                        form,
                        Some(k),
                        None,
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
                Err(e) => Err(e),
            };
        }
    }
    render(&st, &a, plan, form, None, None, StatusCode::OK).await
}
