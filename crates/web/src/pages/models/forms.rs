//! The model form: registering a model of an organisation and changing it. A rejected form
//! comes back as typed with its message (422) and nothing saved.

use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::AppResult;
use crate::view::{Page, html};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::movement::{self, ModelInput};
use store::scope::{ModelManage, ModelView};
use store::units::{self, Unit};

#[derive(Deserialize, Default, Clone)]
pub(super) struct ModelForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    ended_on: String,
}

impl ModelForm {
    fn input(&self, org_id: i64) -> store::Result<ModelInput> {
        let day = |s: &str| {
            domain::values::parse_date(s).map_err(|_| store::Error::Invalid("err.mv_date"))
        };
        let since = day(&self.since)?;
        if since > crate::view::today() {
            return Err(store::Error::Invalid("err.mv_future"));
        }
        let ended_on = if self.ended_on.trim().is_empty() {
            None
        } else {
            Some(day(&self.ended_on)?)
        };
        Ok(ModelInput {
            org_id,
            name: self.name.clone(),
            description: Some(self.description.clone()),
            since,
            ended_on,
        })
    }
}

#[derive(Template)]
#[template(path = "models/form.html")]
struct FormPage {
    page: Page,
    org: Unit,
    /// The model being changed, if any.
    model_id: Option<i64>,
    form: ModelForm,
    error: Option<&'static str>,
}

fn render(
    a: &Authz<ModelManage>,
    org: Unit,
    model_id: Option<i64>,
    form: ModelForm,
    error: Option<&'static str>,
) -> AppResult<Response> {
    let t = a.t();
    let title = match model_id {
        None => format!("{} — {}", t.s("mv.new"), org.name),
        Some(_) => t.s("mv.edit").to_owned(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = FormPage {
        page: Page::new(&a.user, title, "models"),
        org,
        model_id,
        form,
        error,
    };
    Ok((status, html(&page)?).into_response())
}

async fn managed_org(st: &AppState, a: &Authz<ModelManage>, org: i64) -> AppResult<Unit> {
    let org = units::get(&st.db, &a.scope, org).await?;
    if org.kind != domain::values::UnitKind::Organisation {
        return Err(crate::error::AppError::NotFound);
    }
    Ok(org)
}

/// `GET /models/org/{org}/new`.
pub(super) async fn new(
    State(st): State<AppState>,
    a: Authz<ModelManage>,
    Path(org): Path<i64>,
) -> AppResult<Response> {
    let org = managed_org(&st, &a, org).await?;
    let form = ModelForm {
        since: crate::view::today().to_string(),
        ..ModelForm::default()
    };
    render(&a, org, None, form, None)
}

/// `POST /models/org/{org}`.
pub(super) async fn create(
    State(st): State<AppState>,
    a: Authz<ModelManage>,
    Path(org): Path<i64>,
    CsrfForm(form): CsrfForm<ModelForm>,
) -> AppResult<Response> {
    let org = managed_org(&st, &a, org).await?;
    let saved = match form.input(org.id) {
        Ok(input) => movement::create(&st.db, &a.scope, &a.actor(), &input).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/models/{id}?notice=mv.saved")).into_response()),
        Err(store::Error::Invalid(k)) => render(&a, org, None, form, Some(k)),
        Err(e) => Err(e.into()),
    }
}

/// The model's organisation, when the model is in the manager's reach.
async fn managed_model(
    st: &AppState,
    a: &Authz<ModelManage>,
    id: i64,
) -> AppResult<(movement::Model, Unit)> {
    let view = a
        .scope
        .narrow::<ModelView>(&a.user.id.grants)
        .ok_or(crate::error::AppError::NotFound)?;
    let (rule, year) = store::movement::rules::current(&st.db, crate::view::today()).await?;
    let d = movement::get(&st.db, &view, id, &rule, year).await?;
    let org = managed_org(st, a, d.model.org_id).await?;
    Ok((d.model, org))
}

/// `GET /models/{id}/edit`.
pub(super) async fn edit(
    State(st): State<AppState>,
    a: Authz<ModelManage>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (m, org) = managed_model(&st, &a, id).await?;
    let form = ModelForm {
        name: m.name,
        description: m.description.unwrap_or_default(),
        since: m.since.to_string(),
        ended_on: m.ended_on.map(|d| d.to_string()).unwrap_or_default(),
    };
    render(&a, org, Some(id), form, None)
}

/// `POST /models/{id}/edit`.
pub(super) async fn update(
    State(st): State<AppState>,
    a: Authz<ModelManage>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ModelForm>,
) -> AppResult<Response> {
    let (_, org) = managed_model(&st, &a, id).await?;
    let saved = match form.input(org.id) {
        Ok(input) => movement::update(&st.db, &a.scope, &a.actor(), id, &input).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/models/{id}?notice=mv.saved")).into_response()),
        Err(store::Error::Invalid(k)) => render(&a, org, Some(id), form, Some(k)),
        Err(e) => Err(e.into()),
    }
}
