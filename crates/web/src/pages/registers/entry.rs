//! One register entry: its details, the processing trail of an incoming document, the
//! actions on it (issue a draft, recall, assign, add a step, mark done) and the downloads.

use super::viewer;
use crate::AppState;
use crate::api::documents::file_response;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::registers::{self, Direction, Entry, Status, Step};
use store::scope::{PartnerManage, PartnerView};

#[derive(Template)]
#[template(path = "registers/entry.html")]
struct EntryPage {
    page: Page,
    entry: Entry,
    steps: Vec<Step>,
    can_write: bool,
    assignable: Vec<(i64, String)>,
    today: String,
    notice: Option<&'static str>,
}

impl EntryPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
    fn is_outgoing(&self) -> bool {
        self.entry.direction == Direction::Outgoing
    }
    fn open_incoming(&self) -> bool {
        self.entry.direction == Direction::Incoming && self.entry.status != Status::Done
    }
    fn issued(&self) -> bool {
        self.entry.status == Status::Issued
    }
    fn draft(&self) -> bool {
        self.entry.status == Status::Draft
    }
}

#[derive(Deserialize, Default)]
pub(super) struct NoticeQuery {
    notice: Option<String>,
}

/// Notices an entry page may show, by key.
const NOTICES: &[&str] = &[
    "reg.saved",
    "warn.reg_number_repeated",
    "warn.reg_incoming_repeated",
    "reg.updated",
];

/// `GET /registers/entries/{id}`.
pub(super) async fn show(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let v = viewer(&st, &a.user).await?;
    let e = registers::get(&st.db, &a.scope, &v, id).await?;
    let steps = registers::steps(&st.db, &e).await?;
    let can_write = !e.redacted
        && !e.frozen()
        && a.user
            .id
            .grants
            .scope::<PartnerManage>()
            .is_some_and(|m| m.contains_path(&e.unit_path));
    let assignable = if can_write && e.direction == Direction::Incoming {
        registers::assignable(&st.db, &a.scope, e.org_id).await?
    } else {
        Vec::new()
    };
    let title = format!("{} {}", e.doc_type.name(), e.ky_hieu);
    let notice = q
        .notice
        .as_deref()
        .and_then(|n| NOTICES.iter().copied().find(|k| *k == n));
    let page = EntryPage {
        page: Page::new(&a.user, title, "registers"),
        entry: e,
        steps,
        can_write,
        assignable,
        today: crate::view::today().to_string(),
        notice,
    };
    Ok(html(&page)?.into_response())
}

async fn download(
    st: &AppState,
    a: &Authz<PartnerView>,
    id: i64,
    kind: vanban::OutputKind,
) -> AppResult<Response> {
    let v = viewer(st, &a.user).await?;
    let e = registers::get(&st.db, &a.scope, &v, id).await?;
    if e.redacted {
        return Err(AppError::NotFound);
    }
    file_response(st, &a.scope, &e, kind).await
}

/// `GET /registers/entries/{id}/document.pdf`.
pub(super) async fn pdf(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    download(&st, &a, id, vanban::OutputKind::Pdf).await
}

/// `GET /registers/entries/{id}/document.docx`.
pub(super) async fn docx(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    download(&st, &a, id, vanban::OutputKind::Docx).await
}

#[derive(Deserialize, Default)]
pub(super) struct ActionForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    due_on: String,
}

/// `POST /registers/entries/{id}/{action}`: issue, recall, assign, step or done.
pub(super) async fn act(
    State(st): State<AppState>,
    a: Authz<PartnerManage>,
    Path((id, action)): Path<(i64, String)>,
    CsrfForm(f): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    let v = viewer(&st, &a.user).await?;
    let day = domain::values::parse_date(&f.date).map_err(|_| AppError::Invalid("err.reg_date"))?;
    let note = Some(f.note.trim().to_owned()).filter(|n| !n.is_empty());
    let (db, s, actor) = (&st.db, &a.scope, a.actor());
    match action.as_str() {
        "issue" => {
            registers::issue_draft(db, s, &v, &actor, id).await?;
        }
        "recall" => registers::recall(db, s, &v, &actor, id, day, &f.note).await?,
        "assign" => {
            let who = f
                .assignee
                .trim()
                .parse()
                .map_err(|_| AppError::Invalid("err.reg_assignee"))?;
            let due = if f.due_on.trim().is_empty() {
                None
            } else {
                Some(
                    domain::values::parse_date(&f.due_on)
                        .map_err(|_| AppError::Invalid("err.reg_date"))?,
                )
            };
            registers::assign(db, s, &v, &actor, id, who, day, due, note).await?
        }
        "step" => registers::add_step(db, s, &v, &actor, id, day, &f.note).await?,
        "done" => registers::mark_done(db, s, &v, &actor, id, day, note).await?,
        _ => return Err(AppError::NotFound),
    }
    Ok(Redirect::to(&format!("/registers/entries/{id}?notice=reg.updated")).into_response())
}
