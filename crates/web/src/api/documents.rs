//! Document registers through the API: issue an outgoing document (its number is drawn on
//! save), list a register, read one entry, and download the numbered document.
//!
//! Registers are read with the reach of `PartnerView` and written with `PartnerManage` (see
//! `store::registers`). A secret entry the caller is not cleared for is answered 404 here, as
//! if it did not exist; the pages show it as "[Văn bản mật]" with number and date instead.

use crate::AppState;
use crate::api::ApiErrorBody;
use crate::auth::Authz;
use crate::error::{AppError, AppResult};
use crate::pages::registers::render;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use store::registers::{
    self, Direction, Entry, Level, ListQuery, OutgoingInput, Status, Urgency, Viewer,
};
use store::scope::{PartnerManage, PartnerView};
use store::units;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: i64,
    pub org_id: i64,
    /// outgoing or incoming.
    pub direction: String,
    /// Type code (KH, BC, NQ, QĐ, TB, TTr, PA, HD, CT, CV …).
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Register number (số đến for an incoming document); 0 for a draft.
    pub number: i64,
    /// Number and ký hiệu: "05/KH-UBND", "12/UBND-VX", "36-HD/VPTW".
    pub ky_hieu: String,
    /// YYYY-MM-DD: document date (outgoing) or arrival date (incoming).
    pub date: String,
    /// Trích yếu.
    pub title: String,
    pub content: Option<String>,
    pub signer: Option<String>,
    pub signer_position: Option<String>,
    pub recipients: Vec<String>,
    /// none, mat, toi_mat or tuyet_mat.
    pub secrecy: String,
    /// none, khan, thuong_khan or hoa_toc.
    pub urgency: String,
    pub copies: i64,
    /// draft, issued, recalled, received, assigned, in_progress or done.
    pub status: String,
    pub sender: Option<String>,
    pub assignee_id: Option<i64>,
    pub due_on: Option<String>,
    pub recalled_on: Option<String>,
    pub recall_reason: Option<String>,
    /// Message of each warning raised when saving (a number repeated in its series).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl From<Entry> for DocumentDto {
    fn from(e: Entry) -> Self {
        DocumentDto {
            id: e.id,
            org_id: e.org_id,
            direction: e.direction.code().into(),
            doc_type: e.doc_type.code().into(),
            number: e.number,
            title: e.title_text().to_owned(),
            ky_hieu: e.ky_hieu,
            date: e.doc_date.to_string(),
            content: e.content,
            signer: e.signer,
            signer_position: e.signer_position,
            recipients: e.recipients,
            secrecy: e.secrecy.code().into(),
            urgency: e.urgency.code().into(),
            copies: e.copies,
            status: e.status.code().into(),
            sender: e.sender,
            assignee_id: e.assignee_id,
            due_on: e.due_on.map(|d| d.to_string()),
            recalled_on: e.recalled_on.map(|d| d.to_string()),
            recall_reason: e.recall_reason,
            warnings: Vec::new(),
        }
    }
}

/// A new outgoing document.
#[derive(Deserialize, ToSchema)]
pub struct NewDocument {
    /// The issuing organisation.
    pub org_id: i64,
    /// Type code, e.g. "KH"; "CV" for a công văn.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// YYYY-MM-DD.
    pub date: String,
    pub title: String,
    #[serde(default)]
    pub content: Option<String>,
    pub signer: String,
    #[serde(default)]
    pub signer_position: Option<String>,
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Drafting unit of a state công văn ("VX" in "12/UBND-VX").
    #[serde(default)]
    pub drafting_unit: Option<String>,
    #[serde(default)]
    pub keeper: Option<String>,
    /// none (default), mat, toi_mat or tuyet_mat.
    #[serde(default)]
    pub secrecy: Option<String>,
    /// none (default), khan, thuong_khan or hoa_toc.
    #[serde(default)]
    pub urgency: Option<String>,
    /// Number of copies (default 1).
    #[serde(default)]
    pub copies: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
    /// A number already given on paper; omitted to draw the next one.
    #[serde(default)]
    pub number: Option<i64>,
    /// Register even though the same number, type and series exist.
    #[serde(default)]
    pub confirm_duplicate: bool,
}

fn invalid(e: store::Error) -> AppError {
    e.into()
}

async fn viewer(st: &AppState, account_id: i64) -> AppResult<Viewer> {
    Ok(Viewer::of_account(&st.db, account_id).await?)
}

/// Issues an outgoing document: the number and ký hiệu are drawn on save.
#[utoipa::path(post, path = "/documents", operation_id = "createOutgoingDocument", tag = "documents", request_body = NewDocument,
    responses((status = 201, body = DocumentDto), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_outgoing_document(
    State(st): State<AppState>,
    a: Authz<PartnerManage>,
    body: Bytes,
) -> AppResult<Response> {
    if body.len() > 64 * 1024 {
        return Err(AppError::Invalid("err.reg_too_large"));
    }
    let n: NewDocument =
        serde_json::from_slice(&body).map_err(|_| AppError::Invalid("err.reg_json"))?;
    let date =
        domain::values::parse_date(&n.date).map_err(|_| AppError::Invalid("err.reg_date"))?;
    let level = |s: &Option<String>| {
        s.as_deref()
            .filter(|v| !v.is_empty())
            .map(Level::parse)
            .transpose()
    };
    let input = OutgoingInput {
        org_id: n.org_id,
        doc_type: n.doc_type,
        doc_date: Some(date),
        title: n.title,
        content: n.content,
        signer: n.signer,
        signer_position: n.signer_position,
        recipients: n.recipients,
        drafting_unit: n.drafting_unit,
        keeper: n.keeper,
        secrecy: level(&n.secrecy).map_err(invalid)?,
        urgency: n
            .urgency
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(Urgency::parse)
            .transpose()
            .map_err(invalid)?,
        copies: n.copies.unwrap_or(1),
        note: n.note,
        manual_number: n.number,
        confirm_duplicate: n.confirm_duplicate,
        draft: false,
    };
    let saved = registers::create_outgoing(&st.db, &a.scope, &a.actor(), &input).await?;
    let view = a
        .scope
        .narrow::<PartnerView>(&a.user.id.grants)
        .ok_or(AppError::Forbidden)?;
    let entry = registers::get(
        &st.db,
        &view,
        &Viewer {
            clearance: Level::TuyetMat,
        },
        saved.id,
    )
    .await?;
    let mut dto = DocumentDto::from(entry);
    dto.warnings = saved
        .warnings
        .iter()
        .map(|k| a.t().s(k).to_owned())
        .collect();
    Ok((StatusCode::CREATED, Json(dto)).into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct DocumentsQuery {
    /// The organisation whose register to list.
    pub org: i64,
    /// outgoing (default) or incoming.
    pub direction: Option<String>,
    pub year: Option<i32>,
    /// Type code.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub status: Option<String>,
    /// Words of the trích yếu; diacritics and case are ignored.
    pub q: Option<String>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentPage {
    pub items: Vec<DocumentDto>,
    /// Cursor of the next page; absent on the last page.
    pub next: Option<String>,
}

/// One organisation's register, newest first; secret entries the caller is not cleared for
/// show "[Văn bản mật]" with number and date only.
#[utoipa::path(get, path = "/documents", operation_id = "listDocuments", tag = "documents", params(DocumentsQuery),
    responses((status = 200, body = DocumentPage), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn list_documents(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Query(q): Query<DocumentsQuery>,
) -> AppResult<Json<DocumentPage>> {
    let v = viewer(&st, a.user.id.account.id).await?;
    let direction = Direction::parse(q.direction.as_deref().unwrap_or("outgoing"))?;
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(Status::parse)
        .transpose()?;
    let query = ListQuery {
        org_id: q.org,
        direction,
        year: q.year,
        doc_type: q.doc_type,
        status,
        q: q.q,
        cursor: q.cursor,
        limit: q.limit.unwrap_or(50),
    };
    let page = registers::list(&st.db, &a.scope, &v, &query).await?;
    Ok(Json(DocumentPage {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

/// An entry the caller may read in full: in scope and cleared for its level.
async fn readable(st: &AppState, a: &Authz<PartnerView>, id: i64) -> AppResult<Entry> {
    let v = viewer(st, a.user.id.account.id).await?;
    let e = registers::get(&st.db, &a.scope, &v, id).await?;
    if e.redacted {
        return Err(AppError::NotFound);
    }
    Ok(e)
}

/// One register entry; 404 outside the caller's scope or above the caller's clearance.
#[utoipa::path(get, path = "/documents/{id}", operation_id = "getDocument", tag = "documents", params(("id" = i64, Path)),
    responses((status = 200, body = DocumentDto), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_document(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Path(id): Path<i64>,
) -> AppResult<Json<DocumentDto>> {
    Ok(Json(readable(&st, &a, id).await?.into()))
}

#[derive(Deserialize, IntoParams)]
pub struct RenderQuery {
    /// pdf or docx.
    pub format: String,
}

/// The outgoing document as a file, laid out in its organisation's format.
#[utoipa::path(get, path = "/documents/{id}/render", operation_id = "renderDocument", tag = "documents",
    params(("id" = i64, Path), RenderQuery),
    responses((status = 200, description = "The document (application/pdf or the DOCX type)", content_type = "application/octet-stream"),
        (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn render_document(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Path(id): Path<i64>,
    Query(q): Query<RenderQuery>,
) -> AppResult<Response> {
    let kind = match q.format.trim() {
        "pdf" => vanban::OutputKind::Pdf,
        "docx" => vanban::OutputKind::Docx,
        _ => return Err(AppError::Invalid("err.reg_render_format")),
    };
    let e = readable(&st, &a, id).await?;
    file_response(&st, &a.scope, &e, kind).await
}

/// Renders an entry the caller has read and answers it as a download.
pub async fn file_response(
    st: &AppState,
    scope: &store::Scope<PartnerView>,
    e: &Entry,
    kind: vanban::OutputKind,
) -> AppResult<Response> {
    let org = units::get(&st.db, scope, e.org_id).await?;
    let settings = registers::settings(&st.db, &org).await?;
    let doc = render::document_of(e, &org, &settings)?;
    let bytes = render::render(doc, kind).await?;
    let (ctype, ext) = render::content_type(kind);
    let name = format!("van-ban-{}.{ext}", e.id);
    Ok((
        [
            (header::CONTENT_TYPE, ctype.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
