//! The document registers: outgoing and incoming books per organisation with filters and
//! keyset paging, the forms that issue and register documents, an entry's page with its
//! processing trail and recall, downloads (the document as DOCX/PDF, the book as XLSX/PDF),
//! and the secrecy-clearance page.
//!
//! Reading needs `PartnerView` and writing `PartnerManage` (see `store::registers` for why);
//! granting clearances needs `AccountManage` over the account. Secret entries are shown to
//! people without the clearance as "[Văn bản mật]" with number and date only.

mod entry;
mod forms;
pub mod render;
mod settings;

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Authz, User};
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::registers::{self, Direction, Entry, Level, ListQuery, Status, Viewer};
use store::scope::{AccountManage, PartnerManage, PartnerView, UnitView};
use store::units::{self, Unit};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/registers", get(index))
        .route("/registers/clearances", get(clearances).post(set_clearance))
        .route(
            "/registers/{org}/settings",
            get(settings::show).post(settings::save),
        )
        .route("/registers/{org}/terms", post(settings::add_term))
        .route("/registers/{org}/{dir}", get(list).post(forms::create))
        .route("/registers/{org}/{dir}/new", get(forms::new))
        .route("/registers/{org}/{dir}/book.xlsx", get(book_xlsx))
        .route("/registers/{org}/{dir}/book.pdf", get(book_pdf))
        .route("/registers/entries/{id}", get(entry::show))
        .route("/registers/entries/{id}/document.pdf", get(entry::pdf))
        .route("/registers/entries/{id}/document.docx", get(entry::docx))
        .route("/registers/entries/{id}/{action}", post(entry::act))
}

pub(crate) async fn viewer(st: &AppState, user: &User) -> AppResult<Viewer> {
    Ok(Viewer::of_account(&st.db, user.id.account.id).await?)
}

/// Whether the person may write to this organisation's registers and settings.
pub(crate) fn viewer_can_write(user: &User, org: &Unit) -> bool {
    user.id
        .grants
        .scope::<PartnerManage>()
        .is_some_and(|m| m.contains_path(&org.path))
}

fn parse_direction(dir: &str) -> AppResult<Direction> {
    Direction::parse(dir).map_err(|_| AppError::NotFound)
}

#[derive(Template)]
#[template(path = "registers/index.html")]
struct IndexPage {
    page: Page,
    orgs: Vec<Unit>,
    can_clear: bool,
}

/// `GET /registers`: the organisations whose registers the person may read.
async fn index(State(st): State<AppState>, a: Authz<PartnerView>) -> AppResult<Response> {
    let view = a
        .scope
        .narrow::<UnitView>(&a.user.id.grants)
        .ok_or(AppError::Forbidden)?;
    let (orgs, _) = units::organisations(&st.db, &view, None, None, 3000).await?;
    if let [only] = orgs.as_slice() {
        return Ok(Redirect::to(&format!("/registers/{}/outgoing", only.id)).into_response());
    }
    let page = IndexPage {
        page: Page::new(&a.user, a.t().s("reg.title"), "registers"),
        orgs,
        can_clear: a.user.id.grants.scope::<AccountManage>().is_some(),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize, Default)]
struct ListParams {
    year: Option<String>,
    #[serde(rename = "type")]
    doc_type: Option<String>,
    status: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "registers/list.html")]
struct ListPage {
    page: Page,
    org: Unit,
    direction: Direction,
    items: Vec<Entry>,
    next: Option<String>,
    year: String,
    doc_type: String,
    status: String,
    q: String,
    statuses: Vec<Status>,
    can_write: bool,
}

impl ListPage {
    fn next_link(&self, cursor: &str) -> String {
        format!(
            "/registers/{}/{}?year={}&type={}&status={}&q={}&cursor={}",
            self.org.id,
            self.direction.code(),
            crate::view::url_encode(&self.year),
            crate::view::url_encode(&self.doc_type),
            crate::view::url_encode(&self.status),
            crate::view::url_encode(&self.q),
            crate::view::url_encode(cursor)
        )
    }
    fn book_year(&self) -> String {
        if self.year.is_empty() {
            crate::view::today().format("%Y").to_string()
        } else {
            self.year.clone()
        }
    }
    fn date(&self, e: &Entry) -> String {
        crate::view::date(&e.doc_date)
    }
    fn number(&self, e: &Entry) -> String {
        if e.number > 0 {
            format!("{:02}", e.number)
        } else {
            "—".to_owned()
        }
    }
}

/// `GET /registers/{org}/{dir}`: one register, newest first.
async fn list(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Path((org, dir)): Path<(i64, String)>,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let direction = parse_direction(&dir)?;
    let org = units::get(&st.db, &a.scope, org).await?;
    let v = viewer(&st, &a.user).await?;
    let text = |s: &Option<String>| s.clone().unwrap_or_default().trim().to_owned();
    let year_text = text(&p.year);
    let year = if year_text.is_empty() {
        None
    } else {
        Some(
            year_text
                .parse::<i32>()
                .map_err(|_| AppError::Invalid("err.reg_year"))?,
        )
    };
    let status_text = text(&p.status);
    let status = if status_text.is_empty() {
        None
    } else {
        Some(Status::parse(&status_text)?)
    };
    let q = ListQuery {
        org_id: org.id,
        direction,
        year,
        doc_type: Some(text(&p.doc_type)),
        status,
        q: p.q.clone(),
        cursor: p.cursor.clone().filter(|c| !c.is_empty()),
        limit: 50,
    };
    let page_data = registers::list(&st.db, &a.scope, &v, &q).await?;
    let statuses = match direction {
        Direction::Outgoing => vec![Status::Draft, Status::Issued, Status::Recalled],
        Direction::Incoming => vec![
            Status::Received,
            Status::Assigned,
            Status::InProgress,
            Status::Done,
        ],
    };
    let title = format!(
        "{} — {}",
        a.t().s(&format!("reg.book.{}", direction.code())),
        org.name
    );
    let can_write = viewer_can_write(&a.user, &org);
    let page = ListPage {
        page: Page::new(&a.user, title, "registers"),
        org,
        direction,
        items: page_data.items,
        next: page_data.next,
        year: year_text,
        doc_type: text(&p.doc_type),
        status: status_text,
        q: text(&p.q),
        statuses,
        can_write,
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
struct BookParams {
    year: Option<i32>,
}

async fn book_entries(
    st: &AppState,
    a: &Authz<PartnerView>,
    org: i64,
    dir: &str,
    year: Option<i32>,
) -> AppResult<(Unit, Direction, i32, Vec<Entry>)> {
    let direction = parse_direction(dir)?;
    let org = units::get(&st.db, &a.scope, org).await?;
    let v = viewer(st, &a.user).await?;
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&crate::view::today()));
    let entries = registers::book(&st.db, &a.scope, &v, org.id, direction, year).await?;
    Ok((org, direction, year, entries))
}

fn download(ctype: &str, name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, ctype.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /registers/{org}/{dir}/book.xlsx?year=`: the register book of a year.
async fn book_xlsx(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Path((org, dir)): Path<(i64, String)>,
    Query(p): Query<BookParams>,
) -> AppResult<Response> {
    let (org, direction, year, entries) = book_entries(&st, &a, org, &dir, p.year).await?;
    let bytes = render::book_xlsx(&org, direction, year, &entries)?;
    let ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(download(
        ctype,
        format!("so-{}-{year}.xlsx", direction.code()),
        bytes,
    ))
}

/// `GET /registers/{org}/{dir}/book.pdf?year=`: the same book typeset as a PDF.
async fn book_pdf(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Path((org, dir)): Path<(i64, String)>,
    Query(p): Query<BookParams>,
) -> AppResult<Response> {
    let (org, direction, year, entries) = book_entries(&st, &a, org, &dir, p.year).await?;
    let settings = registers::settings(&st.db, &org).await?;
    let bytes = render::book_pdf(&org, &settings, direction, year, &entries).await?;
    Ok(download(
        "application/pdf",
        format!("so-{}-{year}.pdf", direction.code()),
        bytes,
    ))
}

#[derive(Template)]
#[template(path = "registers/clearances.html")]
struct ClearancesPage {
    page: Page,
    rows: Vec<registers::secrecy::Cleared>,
    levels: &'static [Level],
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
}

/// `GET /registers/clearances`: accounts the administrator manages and their clearance.
async fn clearances(
    State(st): State<AppState>,
    a: Authz<AccountManage>,
    Query(d): Query<Done>,
) -> AppResult<Response> {
    let rows = registers::secrecy::list(&st.db, &a.scope).await?;
    let page = ClearancesPage {
        page: Page::new(&a.user, a.t().s("reg.clearances"), "registers"),
        rows,
        levels: Level::ALL,
        notice: d.done.map(|_| "reg.clearance_saved"),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
struct ClearanceForm {
    account_id: i64,
    level: String,
}

/// `POST /registers/clearances`: grants, changes or revokes one account's clearance.
async fn set_clearance(
    State(st): State<AppState>,
    a: Authz<AccountManage>,
    CsrfForm(f): CsrfForm<ClearanceForm>,
) -> AppResult<Response> {
    let level = Level::parse(&f.level)?;
    registers::secrecy::set(&st.db, &a.scope, &a.actor(), f.account_id, level).await?;
    Ok(Redirect::to("/registers/clearances?done=1").into_response())
}
