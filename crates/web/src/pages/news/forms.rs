//! The article editor. The body is a textarea: simple text (blank lines between paragraphs,
//! `## ` for a heading) or HTML; it is sanitised when stored. The publication date and time
//! are Vietnam time; a future one schedules the article. A rejected form comes back as typed
//! with its message (422) and nothing saved.

use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::view::{Page, html, vn_offset};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, NaiveTime, TimeZone};
use serde::Deserialize;
use store::news::{self, ArticleInput};
use store::scope::{NewsManage, NewsView};
use store::units::{self, Unit};

#[derive(Deserialize, Default, Clone)]
pub(super) struct ArticleForm {
    #[serde(default)]
    audience: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    publish_date: String,
    #[serde(default)]
    publish_time: String,
}

impl ArticleForm {
    fn input(&self) -> Result<ArticleInput, &'static str> {
        let audience = self
            .audience
            .trim()
            .parse()
            .map_err(|_| "err.news_audience")?;
        let publish_at = if self.publish_date.trim().is_empty() {
            None
        } else {
            let d: NaiveDate =
                domain::values::parse_date(&self.publish_date).map_err(|_| "err.news_date")?;
            let t = if self.publish_time.trim().is_empty() {
                NaiveTime::MIN
            } else {
                NaiveTime::parse_from_str(self.publish_time.trim(), "%H:%M")
                    .map_err(|_| "err.news_time")?
            };
            let local = vn_offset()
                .from_local_datetime(&d.and_time(t))
                .single()
                .ok_or("err.news_date")?;
            Some(local.timestamp_millis())
        };
        Ok(ArticleInput {
            audience_unit_id: audience,
            title: self.title.clone(),
            summary: Some(self.summary.clone()),
            body: self.body.clone(),
            publish_at,
        })
    }
}

#[derive(Template)]
#[template(path = "news/form.html")]
struct FormPage {
    page: Page,
    id: Option<i64>,
    form: ArticleForm,
    audiences: Vec<Unit>,
    error: Option<&'static str>,
}

impl FormPage {
    /// The toolbar's button names, as JSON for app.js.
    fn toolbar_labels(&self) -> String {
        let t = self.page.t;
        serde_json::json!({
            "bold": t.s("news.tb.bold"),
            "italic": t.s("news.tb.italic"),
            "heading": t.s("news.tb.heading"),
            "list": t.s("news.tb.list"),
            "link": t.s("news.tb.link"),
            "image": t.s("news.tb.image"),
            "failed": t.s("err.news_image_type"),
        })
        .to_string()
    }
    fn indent(&self, u: &Unit) -> String {
        "\u{a0}\u{a0}".repeat(u.depth.max(0) as usize)
    }
}

async fn render(
    st: &AppState,
    a: &Authz<NewsManage>,
    id: Option<i64>,
    form: ArticleForm,
    error: Option<&'static str>,
) -> AppResult<Response> {
    let audiences = units::options(&st.db, &a.scope, 2000).await?;
    let t = a.t();
    let title = if id.is_some() {
        t.s("news.edit")
    } else {
        t.s("news.new")
    };
    let page = FormPage {
        page: Page::new(&a.user, title, "news"),
        id,
        form,
        audiences,
        error,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html(&page)?).into_response())
}

/// `GET /news/new`.
pub(super) async fn new(State(st): State<AppState>, a: Authz<NewsManage>) -> AppResult<Response> {
    let first = a
        .scope
        .roots()
        .first()
        .map(|r| r.unit_id)
        .unwrap_or_default();
    let now = chrono::Utc::now().with_timezone(&vn_offset());
    let form = ArticleForm {
        audience: first.to_string(),
        publish_date: now.date_naive().to_string(),
        publish_time: now.format("%H:%M").to_string(),
        ..ArticleForm::default()
    };
    render(&st, &a, None, form, None).await
}

/// `POST /news`.
pub(super) async fn create(
    State(st): State<AppState>,
    a: Authz<NewsManage>,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> AppResult<Response> {
    let saved = match form.input() {
        Ok(input) => news::create(&st.db, &a.scope, &a.actor(), &input).await,
        Err(k) => Err(store::Error::Invalid(k)),
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/news/{id}?notice=news.saved")).into_response()),
        Err(store::Error::Invalid(k)) => render(&st, &a, None, form, Some(k)).await,
        Err(e) => Err(e.into()),
    }
}

/// The article, when the editor manages its audience.
async fn editable(st: &AppState, a: &Authz<NewsManage>, id: i64) -> AppResult<news::Article> {
    let view = a
        .user
        .id
        .grants
        .scope::<NewsView>()
        .ok_or(AppError::NotFound)?;
    let art = news::get(&st.db, &view, Some(&a.scope), id).await?;
    if !a.scope.contains_path(&art.audience_path) {
        return Err(AppError::NotFound);
    }
    Ok(art)
}

/// `GET /news/{id}/edit`.
pub(super) async fn edit(
    State(st): State<AppState>,
    a: Authz<NewsManage>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let art = editable(&st, &a, id).await?;
    let at = store::from_ms(art.publish_at).with_timezone(&vn_offset());
    let form = ArticleForm {
        audience: art.audience_unit_id.to_string(),
        title: art.title,
        summary: art.summary.unwrap_or_default(),
        body: art.body_html,
        publish_date: at.date_naive().to_string(),
        publish_time: at.format("%H:%M").to_string(),
    };
    render(&st, &a, Some(id), form, None).await
}

/// `POST /news/{id}/edit`.
pub(super) async fn update(
    State(st): State<AppState>,
    a: Authz<NewsManage>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> AppResult<Response> {
    editable(&st, &a, id).await?;
    let saved = match form.input() {
        Ok(input) => news::update(&st.db, &a.scope, &a.actor(), id, &input).await,
        Err(k) => Err(store::Error::Invalid(k)),
    };
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/news/{id}?notice=news.saved")).into_response()),
        Err(store::Error::Invalid(k)) => render(&st, &a, Some(id), form, Some(k)).await,
        Err(e) => Err(e.into()),
    }
}
