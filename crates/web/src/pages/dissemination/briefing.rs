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
use axum::response::{IntoResponse, Response};
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
        let proof = upload::read(&a.user, mp, max)
            .await?
            .proof(&upload::ProofForm {
                people_field: "person",
                file_field: "minutes",
                err_people: "err.dis_briefing_people",
                err_date: "err.dis_briefing_date",
            })?;
        dissemination::record_briefing(
            &st.db,
            &a.scope,
            &a.actor(),
            id,
            &proof.people,
            proof.day,
            &proof.file,
            max,
            crate::view::today(),
        )
        .await?;
        Ok(())
    }
    .await;
    upload::answer(
        result,
        format!("/dissemination/{id}?notice=dis.briefed"),
        |k| build(&st, &a, id, Some(k)),
    )
    .await
}
