//! The people pages: the list of staff in the scope (Vietnamese name order, folded search,
//! filters, keyset paging), the person page with its dated history, and the forms to add,
//! edit, move and change the status of a person. The spreadsheet import and export live in
//! `people_xlsx`.

mod detail;
mod form;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::i18n::T;
use crate::view::{Page, html, url_encode};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::Action;
use domain::values::PersonStatus;
use serde::Deserialize;
use store::people::{self, Counts, ListQuery, Person};
use store::scope::PersonView;
use store::units::{self, Unit};

use crate::auth::{Authz, User};

/// People shown per page of the list.
const PAGE_SIZE: i64 = 50;
/// Units offered in pickers; an organisation has far fewer, the province view is capped.
pub(crate) const UNIT_OPTIONS_LIMIT: i64 = 2000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people", get(list))
        .route("/people/new", get(form::new_page).post(form::create))
        .route("/people/{id}", get(detail::show))
        .route("/people/{id}/edit", get(form::edit_page).post(form::update))
        .route("/people/{id}/move", post(detail::move_person))
        .route("/people/{id}/status", post(detail::change_status))
}

/// An id from the path; anything that is not a number is simply not found.
pub(crate) fn parse_id(s: &str) -> AppResult<i64> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// One entry of a unit picker, indented by its depth below the top of the scope.
#[derive(Debug, Clone)]
pub(crate) struct UnitOption {
    pub id: i64,
    pub label: String,
    /// The province itself: shown for filtering, never a place to put a person.
    pub province: bool,
}

pub(crate) fn unit_options(list: &[Unit]) -> Vec<UnitOption> {
    let top = list.iter().map(|u| u.depth).min().unwrap_or(0);
    list.iter()
        .map(|u| UnitOption {
            id: u.id,
            label: format!(
                "{}{}",
                "\u{a0}\u{a0}\u{a0}".repeat((u.depth - top).max(0) as usize),
                u.name
            ),
            province: u.org_id.is_none(),
        })
        .collect()
}

/// The status choices as (code, label).
pub(crate) fn status_choices(t: T) -> Vec<(&'static str, &'static str)> {
    PersonStatus::ALL
        .iter()
        .map(|s| (s.code(), t.s(&s.label_key())))
        .collect()
}

/// The badge colour of a status.
pub(crate) fn status_class(s: PersonStatus) -> &'static str {
    match s {
        PersonStatus::Working => "ok",
        PersonStatus::Transferred => "warn",
        PersonStatus::Retired => "",
    }
}

/// The list's filters as they come in the query string; unusable values are ignored rather
/// than refused, since they come from links people may have edited by hand.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ListParams {
    pub q: Option<String>,
    pub unit: Option<String>,
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub done: Option<String>,
    pub n: Option<String>,
}

impl ListParams {
    pub fn query(&self, limit: i64) -> ListQuery {
        ListQuery {
            q: self
                .q
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            unit_id: self.unit.as_deref().and_then(|u| u.trim().parse().ok()),
            status: self
                .status
                .as_deref()
                .and_then(|s| PersonStatus::parse(s).ok()),
            cursor: self
                .cursor
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            limit,
        }
    }

    /// The filters (not the cursor) as a query string, for paging and export links.
    pub fn filter_query(q: &ListQuery) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &q.q {
            parts.push(format!("q={}", url_encode(s)));
        }
        if let Some(u) = q.unit_id {
            parts.push(format!("unit={u}"));
        }
        if let Some(s) = q.status {
            parts.push(format!("status={}", s.code()));
        }
        parts.join("&")
    }
}

/// The notice shown after a redirect, from a fixed set so that a link cannot put words on the
/// page.
pub(crate) fn notice(t: T, done: Option<&str>, n: Option<&str>) -> Option<String> {
    let n: i64 = n.and_then(|v| v.parse().ok()).unwrap_or(0);
    match done? {
        "created" => Some(t.s("people.notice.created").to_owned()),
        "saved" => Some(t.s("people.notice.saved").to_owned()),
        "moved" => Some(t.s("people.notice.moved").to_owned()),
        "status" => Some(t.s("people.notice.status").to_owned()),
        "imported" => Some(t.f("people.notice.imported", n)),
        _ => None,
    }
}

/// One row of the list, ready to show.
pub(crate) struct Row {
    pub id: i64,
    pub name: String,
    pub position: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub party: bool,
    pub self_defence: bool,
    pub fire_force: bool,
}

impl Row {
    fn of(t: T, p: &Person) -> Row {
        Row {
            id: p.id,
            name: p.full_name.clone(),
            position: p.position.clone(),
            unit_id: p.unit_id,
            unit_name: p.unit_name.clone(),
            status: t.s(&p.status.label_key()),
            status_class: status_class(p.status),
            party: p.party_member,
            self_defence: p.self_defence,
            fire_force: p.fire_force,
        }
    }
}

/// What the list and its live-search fragment show.
pub(crate) struct ListData {
    q: String,
    unit: Option<i64>,
    status: String,
    units: Vec<UnitOption>,
    statuses: Vec<(&'static str, &'static str)>,
    items: Vec<Row>,
    found: i64,
    counts: Counts,
    next_url: Option<String>,
    first_url: Option<String>,
    export_url: String,
    can_manage: bool,
    can_import: bool,
    can_export: bool,
    notice: Option<String>,
}

impl ListData {
    fn unit_is(&self, id: &i64) -> bool {
        self.unit == Some(*id)
    }
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    page: Page,
    d: ListData,
}

/// Only the results region, for the search box that refreshes it while typing.
#[derive(Template)]
#[template(path = "people/results_only.html")]
struct ListPartial {
    page: Page,
    d: ListData,
}

async fn list(
    State(st): State<AppState>,
    a: Authz<PersonView>,
    headers: HeaderMap,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let t = a.t();
    let q = p.query(PAGE_SIZE);
    let (page, found, counts, unit_list) = tokio::try_join!(
        people::list(&st.db, &a.scope, &q),
        people::count_matching(&st.db, &a.scope, &q),
        people::counts(&st.db, &a.scope),
        units::options(&st.db, &a.scope, UNIT_OPTIONS_LIMIT),
    )?;
    let filters = ListParams::filter_query(&q);
    let join = |extra: &str| {
        let mut s = String::from("/people");
        let parts: Vec<&str> = [filters.as_str(), extra]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if !parts.is_empty() {
            s.push('?');
            s.push_str(&parts.join("&"));
        }
        s
    };
    let grants = &a.user.id.grants;
    let d = ListData {
        q: q.q.clone().unwrap_or_default(),
        unit: q.unit_id,
        status: q.status.map(|s| s.code().to_owned()).unwrap_or_default(),
        units: unit_options(&unit_list),
        statuses: status_choices(t),
        items: page.items.iter().map(|p| Row::of(t, p)).collect(),
        found,
        counts,
        next_url: page.next.as_ref().map(|c| join(&format!("cursor={c}"))),
        first_url: q.cursor.as_ref().map(|_| join("")),
        export_url: if filters.is_empty() {
            "/people/export.xlsx".into()
        } else {
            format!("/people/export.xlsx?{filters}")
        },
        can_manage: grants.allows(Action::PersonManage),
        can_import: grants.allows(Action::PersonImport),
        can_export: grants.allows(Action::PersonExport),
        notice: notice(t, p.done.as_deref(), p.n.as_deref()),
    };
    let page = Page::new(&a.user, t.s("people.title"), "people");
    if headers.contains_key("x-partial") {
        return Ok(html(&ListPartial { page, d })?.into_response());
    }
    Ok(html(&ListPage { page, d })?.into_response())
}

/// The page frame for a person-related page.
pub(crate) fn frame(user: &User, title: impl Into<String>) -> Page {
    Page::new(user, title, "people")
}
