//! Duty rosters: the list of the scope, a new roster, one roster's page (the grid of people ×
//! days with the engine's verdict, the setup, swaps), the hand editor (a form per row without
//! JavaScript, a one-cell check endpoint with it), the printed annex and the XLSX export, and
//! each person's own duties with their calendar feed.
//!
//! Reading a whole roster needs `RosterView`, changing it `RosterManage` over its organisation.
//! A person's own page needs only a signed-in account linked to a person.

mod editor;
mod mine;
mod new;
mod outputs;
mod setup;
mod show;
pub(crate) mod words;

use crate::AppState;
use crate::auth::Authz;
use crate::error::AppResult;
use crate::view::{Page, date, html, url_encode};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::rosters::{self, RosterItem};
use store::scope::{RosterManage, RosterView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rosters", get(list).post(new::create))
        .route("/rosters/new", get(new::new))
        .route("/rosters/{id}", get(show::show))
        .route("/rosters/{id}/rules", post(setup::rules))
        .route("/rosters/{id}/shifts", post(setup::add_shift))
        .route("/rosters/{id}/covers", post(setup::add_cover))
        .route("/rosters/{id}/members", post(setup::add_members))
        .route("/rosters/{id}/skills", post(setup::skills))
        .route("/rosters/{id}/absences", post(setup::add_absence))
        .route("/rosters/{id}/wishes", post(setup::add_wish))
        .route("/rosters/{id}/remove", post(setup::remove))
        .route("/rosters/{id}/solve", post(editor::solve))
        .route("/rosters/{id}/row/{person}", post(editor::save_row))
        .route("/rosters/{id}/check", post(editor::check))
        .route("/rosters/{id}/publish", post(editor::publish))
        .route("/rosters/{id}/close", post(editor::close))
        .route("/rosters/{id}/swaps/{swap}", post(editor::decide))
        .route("/rosters/{id}/print", get(outputs::print))
        .route("/rosters/{id}/export.xlsx", get(outputs::xlsx))
        .route("/rosters/{id}/{file}", get(outputs::notice))
        .route("/my/duties", get(mine::page))
        .route("/my/duties/swap", post(mine::swap))
        .route("/my/duties/feed", post(mine::feed))
        .route("/feeds/{token}", get(mine::ics))
}

#[derive(Deserialize, Default)]
pub(crate) struct ListParams {
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "rosters/list.html")]
struct ListPage {
    page: Page,
    items: Vec<RosterItem>,
    next: Option<String>,
    can_manage: bool,
}

impl ListPage {
    fn period(&self, i: &RosterItem) -> String {
        format!(
            "{} – {}",
            date(&i.roster.start_day),
            date(&i.roster.end_day)
        )
    }
    fn next_link(&self, c: &str) -> String {
        format!("/rosters?cursor={}", url_encode(c))
    }
}

/// `GET /rosters`: the rosters of the scope, newest period first.
async fn list(
    State(st): State<AppState>,
    a: Authz<RosterView>,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let after = p
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(crate::api::rosters::decode)
        .transpose()?;
    let (items, next) = rosters::list(&st.db, &a.scope, None, after, 50).await?;
    let page = ListPage {
        page: Page::new(&a.user, a.t().s("ro.title"), "rosters"),
        items,
        next: next.map(|(d, id)| format!("{id}~{d}")),
        can_manage: a.user.id.grants.scope::<RosterManage>().is_some(),
    };
    Ok(html(&page)?.into_response())
}
