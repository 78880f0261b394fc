//! Article images: the upload page (works without JavaScript: it shows the markup to paste
//! into the article), the upload itself (the toolbar posts here and gets JSON back), and
//! serving an image with the type read from its bytes.

use crate::AppState;
use crate::auth::Authz;
use crate::error::{AppError, AppResult};
use crate::pages::uploads;
use crate::view::{Page, html};
use askama::Template;
use axum::Json;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use store::files::MAX_IMAGE_BYTES;
use store::news;
use store::scope::{NewsManage, NewsView};
use store::units::{self, Unit};

#[derive(Template)]
#[template(path = "news/images.html")]
struct ImagesPage {
    page: Page,
    audiences: Vec<Unit>,
    uploaded: Option<i64>,
    error: Option<&'static str>,
}

impl ImagesPage {
    fn indent(&self, u: &Unit) -> String {
        "\u{a0}\u{a0}".repeat(u.depth.max(0) as usize)
    }
}

async fn render(
    st: &AppState,
    a: &Authz<NewsManage>,
    uploaded: Option<i64>,
    error: Option<&'static str>,
) -> AppResult<Response> {
    let page = ImagesPage {
        page: Page::new(&a.user, a.t().s("news.images"), "news"),
        audiences: units::options(&st.db, &a.scope, 2000).await?,
        uploaded,
        error,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html(&page)?).into_response())
}

/// `GET /news/images`.
pub(super) async fn page(State(st): State<AppState>, a: Authz<NewsManage>) -> AppResult<Response> {
    render(&st, &a, None, None).await
}

fn wants_json(h: &HeaderMap) -> bool {
    h.get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// `POST /news/images` (multipart: `unit`, `file`).
pub(super) async fn upload(
    State(st): State<AppState>,
    a: Authz<NewsManage>,
    headers: HeaderMap,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let json = wants_json(&headers);
    let result = async {
        let parts = match uploads::read(&a.user, mp, MAX_IMAGE_BYTES).await {
            Ok(p) => p,
            Err(AppError::Invalid(k)) => return Err(store::Error::Invalid(k)),
            Err(e) => return Ok(Err(e)),
        };
        let unit: i64 = parts
            .text("unit")
            .trim()
            .parse()
            .map_err(|_| store::Error::Invalid("err.news_audience"))?;
        let Some((_, _, bytes)) = parts.files.iter().find(|(f, _, _)| f == "file") else {
            return Err(store::Error::Invalid("err.file_empty"));
        };
        Ok(Ok(news::upload_image(
            &st.db,
            &a.scope,
            &a.actor(),
            unit,
            bytes,
        )
        .await?))
    }
    .await;
    match result {
        Ok(Ok(id)) if json => Ok(Json(serde_json::json!({
            "id": id,
            "url": format!("{}{id}", news::sanitize::IMAGE_PREFIX),
        }))
        .into_response()),
        Ok(Ok(id)) => render(&st, &a, Some(id), None).await,
        Ok(Err(e)) => Err(e),
        Err(store::Error::Invalid(k)) if json => Err(AppError::Invalid(k)),
        Err(store::Error::Invalid(k)) => render(&st, &a, None, Some(k)).await,
        Err(e) => Err(e.into()),
    }
}

/// `GET /news/images/{id}`.
pub(super) async fn serve(
    State(st): State<AppState>,
    a: Authz<NewsView>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let manage = super::manage_of(&a);
    let f = news::image(&st.db, &a.scope, manage.as_ref(), id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, f.content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
        ],
        f.data,
    )
        .into_response())
}
