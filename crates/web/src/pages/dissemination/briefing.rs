//! An officer records that people were briefed in a meeting (staff without accounts, or a
//! whole team at once), with the minutes attached.

use crate::AppState;
use crate::auth::Authz;
use crate::error::{AppError, AppResult};
use crate::pages::upload;
use crate::view::{Page, html};
use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use store::dissemination::{self, Campaign, Missing};
use store::scope::{CampaignManage, CampaignView};

#[derive(Template)]
#[template(path = "dissemination/briefing.html")]
struct BriefingPage {
    page: Page,
    c: Campaign,
    missing: Vec<Missing>,
    error: Option<&'static str>,
    today: String,
}

async fn build(
    st: &AppState,
    a: &Authz<CampaignManage>,
    id: i64,
    error: Option<&'static str>,
) -> AppResult<BriefingPage> {
    let c = dissemination::get(&st.db, &a.scope, id).await?;
    let view = a
        .scope
        .narrow::<CampaignView>(&a.user.id.grants)
        .ok_or(AppError::NotFound)?;
    let missing = dissemination::missing_people(&st.db, &view, &c, None, 2000).await?;
    Ok(BriefingPage {
        page: Page::new(&a.user, a.t().s("dis.briefing"), "movement"),
        c,
        missing,
        error,
        today: crate::view::date(&crate::view::today()),
    })
}

/// `GET /dissemination/{id}/briefing`.
pub(super) async fn form(
    State(st): State<AppState>,
    a: Authz<CampaignManage>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(html(&build(&st, &a, id, None).await?)?.into_response())
}

/// `POST /dissemination/{id}/briefing` (multipart: person repeated, date, minutes).
pub(super) async fn submit(
    State(st): State<AppState>,
    a: Authz<CampaignManage>,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let max = st.cfg.max_upload_bytes;
    let result = async {
        let form = upload::read(&a.user, mp, max).await?;
        let people = form
            .all("person")
            .iter()
            .map(|p| p.trim().parse::<i64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| AppError::Invalid("err.dis_briefing_people"))?;
        let day = domain::values::parse_date(&form.text("date"))
            .map_err(|_| AppError::Invalid("err.dis_briefing_date"))?;
        let minutes = form
            .files("minutes")
            .into_iter()
            .next()
            .ok_or(AppError::Invalid("err.file_empty"))?;
        dissemination::record_briefing(
            &st.db,
            &a.scope,
            &a.actor(),
            id,
            &people,
            day,
            &minutes,
            max,
            crate::view::today(),
        )
        .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/dissemination/{id}?notice=dis.briefed")).into_response())
        }
        Err(AppError::Invalid(k)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            html(&build(&st, &a, id, Some(k)).await?)?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}
