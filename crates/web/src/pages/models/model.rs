//! One model's page and the forms on it: members, activities with evidence files, reviews.
//! A rejected form shows the page again with its message (422) and saves nothing.

use super::{YearParams, may_manage, year_and_rule};
use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::pages::uploads;
use crate::view::{Page, html};
use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::files::MAX_EVIDENCE_BYTES;
use store::movement::{
    self, ActivityInput, Detail, Member, Rating, ReviewInput, member_candidates,
};
use store::scope::{ModelManage, ModelView};

#[derive(Template)]
#[template(path = "models/model.html")]
struct ModelPage {
    page: Page,
    d: Detail,
    year: i32,
    can_manage: bool,
    candidates: Vec<Member>,
    ratings: &'static [Rating],
    today: String,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    /// Which form the error belongs to, so it is shown next to it.
    error_form: &'static str,
}

impl ModelPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
    fn window(&self) -> String {
        let w = &self.d.standing.window;
        format!(
            "{} – {}",
            crate::view::date(&w.start),
            crate::view::date(&w.end)
        )
    }
    fn size(&self, n: &i64) -> String {
        if *n >= 1024 * 1024 {
            format!("{:.1} MB", *n as f64 / (1024.0 * 1024.0))
        } else {
            format!("{} KB", (*n + 1023) / 1024)
        }
    }
}

const NOTICES: &[&str] = &[
    "mv.saved",
    "mv.member_added",
    "mv.member_removed",
    "mv.activity_added",
    "mv.reviewed",
];

async fn render(
    st: &AppState,
    a: &Authz<ModelView>,
    id: i64,
    asked_year: Option<&str>,
    error: Option<(&'static str, &'static str)>,
    notice: Option<&str>,
) -> AppResult<Response> {
    let (rule, year) = year_and_rule(st, asked_year).await?;
    let d = movement::get(&st.db, &a.scope, id, &rule, year).await?;
    let org_path = store::units::get(&st.db, &a.scope, d.model.org_id)
        .await?
        .path;
    let manage = a.user.id.grants.scope::<ModelManage>();
    let can_manage = may_manage(a, &org_path);
    let candidates = match (&manage, can_manage) {
        (Some(m), true) => member_candidates(&st.db, m, id, 1000).await?,
        _ => Vec::new(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = ModelPage {
        page: Page::new(&a.user, d.model.name.clone(), "models"),
        d,
        year,
        can_manage,
        candidates,
        ratings: Rating::ALL,
        today: crate::view::today().to_string(),
        error: error.map(|e| e.1),
        error_form: error.map(|e| e.0).unwrap_or(""),
        notice: notice.and_then(|n| NOTICES.iter().copied().find(|k| *k == n)),
    };
    Ok((status, html(&page)?).into_response())
}

/// `GET /models/{id}`.
pub(super) async fn show(
    State(st): State<AppState>,
    a: Authz<ModelView>,
    Path(id): Path<i64>,
    Query(p): Query<YearParams>,
) -> AppResult<Response> {
    render(&st, &a, id, p.year.as_deref(), None, p.notice.as_deref()).await
}

/// Runs a change; a rejected input shows the page again with the message by `form`.
async fn after(
    st: &AppState,
    a: &Authz<ModelView>,
    id: i64,
    form: &'static str,
    result: store::Result<()>,
    notice: &str,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/models/{id}?notice={notice}")).into_response()),
        Err(store::Error::Invalid(k)) => render(st, a, id, None, Some((form, k)), None).await,
        Err(e) => Err(e.into()),
    }
}

fn manage_scope(a: &Authz<ModelView>) -> AppResult<store::Scope<ModelManage>> {
    a.user
        .id
        .grants
        .scope::<ModelManage>()
        .ok_or(AppError::Forbidden)
}

#[derive(Deserialize, Default)]
pub(super) struct MemberForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    role: String,
}

/// `POST /models/{id}/members`.
pub(super) async fn add_member(
    State(st): State<AppState>,
    a: Authz<ModelView>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<MemberForm>,
) -> AppResult<Response> {
    let m = manage_scope(&a)?;
    let result = match f.person.trim().parse::<i64>() {
        Ok(person) => movement::add_member(&st.db, &m, &a.actor(), id, person, &f.role).await,
        Err(_) => Err(store::Error::Invalid("err.mv_member")),
    };
    after(&st, &a, id, "member", result, "mv.member_added").await
}

/// `POST /models/{id}/members/{person}/remove`.
pub(super) async fn remove_member(
    State(st): State<AppState>,
    a: Authz<ModelView>,
    Path((id, person)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<MemberForm>,
) -> AppResult<Response> {
    let m = manage_scope(&a)?;
    let result = movement::remove_member(&st.db, &m, &a.actor(), id, person).await;
    after(&st, &a, id, "member", result, "mv.member_removed").await
}

fn parse_day(s: &str, key: &'static str) -> store::Result<chrono::NaiveDate> {
    domain::values::parse_date(s).map_err(|_| store::Error::Invalid(key))
}

/// `POST /models/{id}/activities` (multipart: the activity and its evidence files).
pub(super) async fn add_activity(
    State(st): State<AppState>,
    a: Authz<ModelView>,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let m = manage_scope(&a)?;
    let parts = match uploads::read(&a.user, mp, MAX_EVIDENCE_BYTES).await {
        Ok(p) => p,
        Err(AppError::Invalid(k)) => {
            // The model must still be in reach before anything about it is shown.
            return render(&st, &a, id, None, Some(("activity", k)), None).await;
        }
        Err(e) => return Err(e),
    };
    let result = async {
        let on_day = parse_day(&parts.text("on_day"), "err.mv_date")?;
        if on_day > crate::view::today() {
            return Err(store::Error::Invalid("err.mv_future"));
        }
        let input = ActivityInput {
            on_day,
            title: parts.text("title"),
            note: Some(parts.text("note")),
        };
        let files: Vec<(String, Vec<u8>)> = parts
            .files
            .iter()
            .filter(|(field, _, _)| field == "evidence")
            .map(|(_, name, bytes)| (name.clone(), bytes.clone()))
            .collect();
        movement::add_activity(&st.db, &m, &a.actor(), id, &input, &files)
            .await
            .map(|_| ())
    }
    .await;
    after(&st, &a, id, "activity", result, "mv.activity_added").await
}

#[derive(Deserialize, Default)]
pub(super) struct ReviewForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    reviewer: String,
    #[serde(default)]
    reviewed_on: String,
    #[serde(default)]
    note: String,
}

/// `POST /models/{id}/reviews`.
pub(super) async fn review(
    State(st): State<AppState>,
    a: Authz<ModelView>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ReviewForm>,
) -> AppResult<Response> {
    let m = manage_scope(&a)?;
    let result = async {
        let year: i32 = f
            .year
            .trim()
            .parse()
            .map_err(|_| store::Error::Invalid("err.mv_year"))?;
        let reviewed_on = parse_day(&f.reviewed_on, "err.mv_date")?;
        if reviewed_on > crate::view::today() {
            return Err(store::Error::Invalid("err.mv_future"));
        }
        let input = ReviewInput {
            year,
            rating: Rating::parse(&f.rating)?,
            reviewer: f.reviewer.clone(),
            reviewed_on,
            note: Some(f.note.clone()),
        };
        movement::review(&st.db, &m, &a.actor(), id, &input).await
    }
    .await;
    after(&st, &a, id, "review", result, "mv.reviewed").await
}

/// `GET /models/evidence/{id}`: the file, with the type read from its bytes when stored.
pub(super) async fn evidence(
    State(st): State<AppState>,
    a: Authz<ModelView>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let f = movement::evidence(&st.db, &a.scope, id).await?;
    let ascii: String = f
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "inline; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::view::url_encode(&f.file_name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, f.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
        ],
        f.data,
    )
        .into_response())
}
