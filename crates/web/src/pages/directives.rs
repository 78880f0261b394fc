//! The directive library: the list within reach (the province's documents and the
//! organisation's own rules), adding a directive with its attachments, a directive's page
//! with its versions and files, and a new version. Secret directives show number, issuer and
//! dates to readers who are not cleared; their text and files are not served.

use crate::AppState;
use crate::auth::Authz;
use crate::error::{AppError, AppResult};
use crate::pages::upload::{self, Upload};
use crate::view::{Page, html};
use askama::Template;
use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use store::directives::{self, Directive, DirectiveInput, KINDS, Version};
use store::registers::{Level, Viewer};
use store::scope::{DirectiveManage, DirectiveView};
use store::units::{self, Unit};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/directives", get(index).post(create))
        .route("/directives/new", get(new))
        .route("/directives/{id}", get(show).post(add_version))
        .route("/directives/{id}/files/{file}", get(file))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    after: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "directives/index.html")]
struct IndexPage {
    page: Page,
    items: Vec<Directive>,
    next: Option<String>,
    can_add: bool,
}

impl IndexPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
}

async fn viewer(st: &AppState, account: i64) -> AppResult<Viewer> {
    Ok(Viewer::of_account(&st.db, account).await?)
}

/// `GET /directives`.
async fn index(
    State(st): State<AppState>,
    a: Authz<DirectiveView>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let before = q.after.as_deref().and_then(|s| {
        let (d, id) = s.split_once('_')?;
        Some((d.to_owned(), id.parse().ok()?))
    });
    let v = viewer(&st, a.user.id.account.id).await?;
    let (items, next) = directives::list(&st.db, &a.scope, &v, before, 50).await?;
    let page = IndexPage {
        page: Page::new(&a.user, a.t().s("dir.title"), "movement"),
        items,
        next: next.map(|(d, id)| format!("{d}_{id}")),
        can_add: a.user.id.grants.scope::<DirectiveManage>().is_some(),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Default)]
struct Typed {
    owner: String,
    kind: String,
    code: String,
    title: String,
    issuer: String,
    issued_on: String,
    effective_on: String,
    secrecy: String,
    body: String,
}

#[derive(Template)]
#[template(path = "directives/new.html")]
struct NewPage {
    page: Page,
    owners: Vec<Unit>,
    kinds: &'static [&'static str],
    levels: &'static [Level],
    f: Typed,
    error: Option<&'static str>,
}

async fn new_page(
    st: &AppState,
    a: &Authz<DirectiveManage>,
    f: Typed,
    error: Option<&'static str>,
) -> AppResult<NewPage> {
    Ok(NewPage {
        page: Page::new(&a.user, a.t().s("dir.new"), "movement"),
        owners: units::scope_roots(&st.db, &a.scope).await?,
        kinds: KINDS,
        levels: Level::ALL,
        f,
        error,
    })
}

/// `GET /directives/new`.
async fn new(State(st): State<AppState>, a: Authz<DirectiveManage>) -> AppResult<Response> {
    let f = Typed {
        kind: "chi_thi".into(),
        secrecy: "none".into(),
        ..Typed::default()
    };
    Ok(html(&new_page(&st, &a, f, None).await?)?.into_response())
}

fn typed(form: &Upload) -> Typed {
    Typed {
        owner: form.text("owner"),
        kind: form.text("kind"),
        code: form.text("code"),
        title: form.text("title"),
        issuer: form.text("issuer"),
        issued_on: form.text("issued_on"),
        effective_on: form.text("effective_on"),
        secrecy: form.text("secrecy"),
        body: form.text("body").replace("\r\n", "\n"),
    }
}

/// `POST /directives` (multipart, with attachments in `files`).
async fn create(
    State(st): State<AppState>,
    a: Authz<DirectiveManage>,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let max = st.cfg.max_upload_bytes;
    let form = upload::read(&a.user, mp, max).await?;
    let f = typed(&form);
    let attempt = async {
        let day =
            |s: &str| domain::values::parse_date(s).map_err(|_| AppError::Invalid("err.dir_date"));
        let input = DirectiveInput {
            owner_unit_id: f
                .owner
                .parse()
                .map_err(|_| AppError::Invalid("err.unit_unknown"))?,
            kind: f.kind.clone(),
            code: f.code.clone(),
            title: f.title.clone(),
            issuer: f.issuer.clone(),
            issued_on: day(&f.issued_on)?,
            effective_on: if f.effective_on.is_empty() {
                None
            } else {
                Some(day(&f.effective_on)?)
            },
            secrecy: Level::parse(if f.secrecy.is_empty() {
                "none"
            } else {
                &f.secrecy
            })?,
            body: f.body.clone(),
        };
        Ok::<_, AppError>(
            directives::create(
                &st.db,
                &a.scope,
                &a.actor(),
                &input,
                &form.files("files"),
                max,
            )
            .await?,
        )
    }
    .await;
    match attempt {
        Ok(id) => Ok(Redirect::to(&format!("/directives/{id}?notice=dir.saved")).into_response()),
        Err(AppError::Invalid(k)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            html(&new_page(&st, &a, f, Some(k)).await?)?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "directives/show.html")]
struct ShowPage {
    page: Page,
    d: Directive,
    versions: Vec<Version>,
    can_edit: bool,
    notice: Option<&'static str>,
    error: Option<&'static str>,
}

impl ShowPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
    fn when(&self, ms: &i64) -> String {
        crate::view::datetime_ms(*ms)
    }
    fn kb(&self, size: &i64) -> String {
        format!("{} KB", (size + 1023) / 1024)
    }
}

async fn show_page(
    st: &AppState,
    a: &Authz<DirectiveView>,
    id: i64,
    notice: Option<&'static str>,
    error: Option<&'static str>,
) -> AppResult<ShowPage> {
    let v = viewer(st, a.user.id.account.id).await?;
    let d = directives::get(&st.db, &a.scope, &v, id).await?;
    let versions = if d.redacted {
        Vec::new()
    } else {
        directives::versions(&st.db, &d).await?
    };
    let can_edit = !d.redacted
        && a.user
            .id
            .grants
            .scope::<DirectiveManage>()
            .is_some_and(|s| s.contains_path(&d.owner_path));
    Ok(ShowPage {
        page: Page::new(&a.user, d.code.clone(), "movement"),
        d,
        versions,
        can_edit,
        notice,
        error,
    })
}

/// `GET /directives/{id}`.
async fn show(
    State(st): State<AppState>,
    a: Authz<DirectiveView>,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let notice = match q.notice.as_deref() {
        Some("dir.saved") => Some("dir.saved"),
        Some("dir.versioned") => Some("dir.versioned"),
        _ => None,
    };
    Ok(html(&show_page(&st, &a, id, notice, None).await?)?.into_response())
}

/// `POST /directives/{id}` (multipart: body, note, files): a new version.
async fn add_version(
    State(st): State<AppState>,
    a: Authz<DirectiveManage>,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let max = st.cfg.max_upload_bytes;
    let form = upload::read(&a.user, mp, max).await?;
    let note = form.text("note");
    let result = directives::new_version(
        &st.db,
        &a.scope,
        &a.actor(),
        id,
        &form.text("body").replace("\r\n", "\n"),
        Some(note.as_str()),
        &form.files("files"),
        max,
    )
    .await;
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/directives/{id}?notice=dir.versioned")).into_response())
        }
        Err(store::Error::Invalid(k)) => {
            let view = a
                .scope
                .narrow::<DirectiveView>(&a.user.id.grants)
                .ok_or(AppError::NotFound)?;
            let viewa = Authz {
                user: a.user.clone(),
                scope: view,
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                html(&show_page(&st, &viewa, id, None, Some(k)).await?)?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /directives/{id}/files/{file}`.
async fn file(
    State(st): State<AppState>,
    a: Authz<DirectiveView>,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let v = viewer(&st, a.user.id.account.id).await?;
    let d = directives::get(&st.db, &a.scope, &v, id).await?;
    let (info, bytes) = directives::file(&st.db, &d, file_id).await?;
    let ascii: String = info
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, info.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
