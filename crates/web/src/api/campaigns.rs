//! The movement's campaigns through the API: list and launch commitment campaigns, sign,
//! read coverage; list dissemination campaigns, acknowledge, read coverage.
//!
//! Same rules as the pages: watching needs `CampaignView`, launching `CampaignManage`, signing
//! and acknowledging only that the caller's own person is in the audience. Signing confirms
//! the caller's password (or second-factor code) in the request, as on a phone.

use crate::AppState;
use crate::api::ApiErrorBody;
use crate::auth::{Authz, User};
use crate::error::{AppError, AppResult};
use crate::pages::commitments::{confirm_signer, person_of};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use store::commitments::{self, Campaign, CampaignInput, Receipt};
use store::coverage::Coverage;
use store::dissemination;
use store::scope::{CampaignManage, CampaignView};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct CommitmentCampaignDto {
    pub id: i64,
    pub owner_unit_id: i64,
    pub owner_name: String,
    pub year: i64,
    pub title: String,
    pub heading: String,
    pub body: String,
    /// SHA-256 (hex) of `body`: send it back when signing.
    pub body_hash: String,
    /// YYYY-MM-DD.
    pub opens_on: String,
    pub deadline: String,
    /// open or closed.
    pub status: String,
    /// The caller's own receipt, when they signed.
    pub my_receipt: Option<ReceiptDto>,
    /// Whether the campaign asks the caller to sign (and they have not yet).
    pub asks_me: bool,
}

fn campaign_dto(c: Campaign, mine: Option<&Option<Receipt>>) -> CommitmentCampaignDto {
    CommitmentCampaignDto {
        id: c.id,
        owner_unit_id: c.owner_unit_id,
        owner_name: c.owner_name,
        year: c.year,
        title: c.title,
        heading: c.heading,
        body: c.body,
        body_hash: c.body_hash,
        opens_on: c.opens_on.to_string(),
        deadline: c.deadline.to_string(),
        status: c.status.code().into(),
        my_receipt: mine.and_then(|r| r.clone()).map(ReceiptDto::from),
        asks_me: matches!(mine, Some(None)),
    }
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
pub struct ReceiptDto {
    pub campaign_id: i64,
    pub campaign_title: String,
    pub person_id: i64,
    pub person_name: String,
    /// online or paper.
    pub method: String,
    /// Milliseconds since the Unix epoch.
    pub signed_at: i64,
    pub text_hash: String,
    pub audit_seq: i64,
    pub audit_hash: String,
    /// The receipt as one line of text, for `antoan commitments verify`.
    pub code: String,
}

impl From<Receipt> for ReceiptDto {
    fn from(r: Receipt) -> Self {
        ReceiptDto {
            code: r.encode(),
            campaign_id: r.campaign_id,
            campaign_title: r.campaign_title,
            person_id: r.person_id,
            person_name: r.person_name,
            method: r.method,
            signed_at: r.signed_at,
            text_hash: r.text_hash,
            audit_seq: r.audit_seq,
            audit_hash: r.audit_hash,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    pub year: Option<i64>,
}

/// Commitment campaigns the caller may see: those they watch (`CampaignView`) and those that
/// ask them to sign or that they signed.
#[utoipa::path(get, path = "/commitment-campaigns", operation_id = "listCommitmentCampaigns", tag = "movement",
    params(ListQuery),
    responses((status = 200, body = Vec<CommitmentCampaignDto>), (status = 401, body = ApiErrorBody)))]
pub async fn list_commitment_campaigns(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Vec<CommitmentCampaignDto>>> {
    let mine = match user.id.account.person_id {
        Some(p) => commitments::my_campaigns(&st.db, p).await?,
        None => Vec::new(),
    };
    let mut out: Vec<CommitmentCampaignDto> = Vec::new();
    if let Some(scope) = user.id.grants.scope::<CampaignView>() {
        for c in commitments::list(&st.db, &scope, q.year, 500).await? {
            let m = mine.iter().find(|(x, _)| x.id == c.id).map(|(_, r)| r);
            out.push(campaign_dto(c, m));
        }
    }
    for (c, r) in mine {
        if !out.iter().any(|d| d.id == c.id) && q.year.is_none_or(|y| y == c.year) {
            out.push(campaign_dto(c, Some(&r)));
        }
    }
    Ok(Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct NewCommitmentCampaign {
    /// The launching unit: an organisation, or the province.
    pub owner_unit_id: i64,
    pub year: i64,
    pub title: String,
    /// Default "BẢN CAM KẾT".
    #[serde(default)]
    pub heading: Option<String>,
    pub body: String,
    /// YYYY-MM-DD.
    pub opens_on: String,
    pub deadline: String,
}

fn json<T: serde::de::DeserializeOwned>(body: &Bytes) -> AppResult<T> {
    if body.len() > 256 * 1024 {
        return Err(AppError::Invalid("err.form"));
    }
    serde_json::from_slice(body).map_err(|_| AppError::Invalid("err.form"))
}

fn day(s: &str) -> AppResult<chrono::NaiveDate> {
    domain::values::parse_date(s).map_err(|_| AppError::Invalid("err.cmt_date"))
}

/// Launches a commitment campaign for a unit of the caller's scope.
#[utoipa::path(post, path = "/commitment-campaigns", operation_id = "createCommitmentCampaign", tag = "movement",
    request_body = NewCommitmentCampaign,
    responses((status = 201, body = CommitmentCampaignDto), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_commitment_campaign(
    State(st): State<AppState>,
    a: Authz<CampaignManage>,
    body: Bytes,
) -> AppResult<Response> {
    let n: NewCommitmentCampaign = json(&body)?;
    let input = CampaignInput {
        owner_unit_id: n.owner_unit_id,
        year: n.year,
        title: n.title,
        heading: n.heading.unwrap_or_else(|| "BẢN CAM KẾT".into()),
        body: n.body,
        opens_on: day(&n.opens_on)?,
        deadline: day(&n.deadline)?,
    };
    let c = commitments::create(&st.db, &a.scope, &a.actor(), &input).await?;
    Ok((StatusCode::CREATED, Json(campaign_dto(c, None))).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct SignRequest {
    /// The `body_hash` of the text the signer read.
    pub text_hash: String,
    /// The signer's password, or their 6-digit code when they use a second factor.
    pub confirm: String,
}

/// The caller signs a campaign that asks them. 201 with the receipt; 200 with the same receipt
/// when they had already signed (from another device, say).
#[utoipa::path(post, path = "/commitment-campaigns/{id}/signatures", operation_id = "signCommitment", tag = "movement",
    params(("id" = i64, Path)), request_body = SignRequest,
    responses((status = 201, body = ReceiptDto), (status = 200, body = ReceiptDto), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn sign_commitment(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let r: SignRequest = json(&body)?;
    let person = person_of(&user)?;
    // Not asked, closed or signed already: answered before the password is even checked.
    let today = crate::view::today();
    if let Some(receipt) = commitments::precheck(&st.db, person, id, today).await? {
        return Ok((StatusCode::OK, Json(ReceiptDto::from(receipt))).into_response());
    }
    confirm_signer(&st, &user, &r.confirm).await?;
    let s = commitments::sign(
        &st.db,
        &user.actor(),
        person,
        id,
        &r.text_hash,
        crate::view::today(),
    )
    .await?;
    let status = if s.already {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(ReceiptDto::from(s.receipt))).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct UnitCoverageDto {
    pub unit_id: i64,
    pub name: String,
    /// organisation, department or team.
    pub kind: String,
    /// The people placed directly in the area's own unit (no drill-down).
    pub direct: bool,
    pub required: i64,
    pub done: i64,
    pub percent: f64,
}

#[derive(Serialize, ToSchema)]
pub struct CoverageDto {
    /// The area the figures cover.
    pub unit_id: i64,
    pub unit_name: String,
    pub required: i64,
    pub done: i64,
    pub percent: f64,
    /// The target, always 100.
    pub target: f64,
    /// The area split by its child units (by organisation at the province).
    pub units: Vec<UnitCoverageDto>,
}

impl From<Coverage> for CoverageDto {
    fn from(c: Coverage) -> Self {
        CoverageDto {
            unit_id: c.area.id,
            unit_name: c.area.name,
            required: c.figures.required,
            done: c.figures.done,
            percent: c.figures.percent(),
            target: 100.0,
            units: c
                .lines
                .into_iter()
                .map(|l| UnitCoverageDto {
                    unit_id: l.unit_id,
                    name: l.name,
                    kind: l.kind.code().into(),
                    direct: l.direct,
                    required: l.figures.required,
                    done: l.figures.done,
                    percent: l.figures.percent(),
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct CoverageQuery {
    /// The area to split (default: the campaign's unit, or the caller's part of it).
    pub unit: Option<i64>,
}

/// Signed out of required for an area of a commitment campaign, split by child units.
#[utoipa::path(get, path = "/commitment-campaigns/{id}/coverage", operation_id = "getCampaignCoverage", tag = "movement",
    params(("id" = i64, Path), CoverageQuery),
    responses((status = 200, body = CoverageDto), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_campaign_coverage(
    State(st): State<AppState>,
    a: Authz<CampaignView>,
    Path(id): Path<i64>,
    Query(q): Query<CoverageQuery>,
) -> AppResult<Json<CoverageDto>> {
    let c = commitments::get(&st.db, &a.scope, id).await?;
    Ok(Json(
        commitments::coverage(&st.db, &a.scope, &c, q.unit)
            .await?
            .into(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct DocumentRefDto {
    pub directive_id: i64,
    pub code: String,
    /// The current version: the one to acknowledge.
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DisseminationCampaignDto {
    pub id: i64,
    pub owner_unit_id: i64,
    pub owner_name: String,
    pub title: String,
    /// all, party_member, self_defence or fire_force.
    pub group: String,
    pub pass_mark: i64,
    pub opens_on: String,
    pub deadline: String,
    pub open: bool,
    pub documents: Vec<DocumentRefDto>,
    /// Whether the caller still has to read and confirm.
    pub asks_me: bool,
}

fn dis_dto(c: dissemination::Campaign, asks_me: bool) -> DisseminationCampaignDto {
    DisseminationCampaignDto {
        id: c.id,
        owner_unit_id: c.owner_unit_id,
        owner_name: c.owner_name,
        title: c.title,
        group: c.group.code().into(),
        pass_mark: c.pass_mark,
        opens_on: c.opens_on.to_string(),
        deadline: c.deadline.to_string(),
        open: c.open,
        documents: c
            .documents
            .into_iter()
            .map(|d| DocumentRefDto {
                directive_id: d.directive_id,
                code: d.code,
                version: d.version,
            })
            .collect(),
        asks_me,
    }
}

/// Dissemination campaigns the caller may see: those they watch and those asking them to read.
#[utoipa::path(get, path = "/dissemination-campaigns", operation_id = "listDisseminationCampaigns", tag = "movement",
    responses((status = 200, body = Vec<DisseminationCampaignDto>), (status = 401, body = ApiErrorBody)))]
pub async fn list_dissemination_campaigns(
    State(st): State<AppState>,
    user: User,
) -> AppResult<Json<Vec<DisseminationCampaignDto>>> {
    let viewer = store::registers::Viewer::of_account(&st.db, user.id.account.id).await?;
    let tasks = match user.id.account.person_id {
        Some(p) => dissemination::my_tasks(&st.db, &viewer, p).await?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    if let Some(scope) = user.id.grants.scope::<CampaignView>() {
        for c in dissemination::list(&st.db, &scope, 500).await? {
            let asks = tasks.iter().any(|t| t.campaign.id == c.id && !t.done());
            out.push(dis_dto(c, asks));
        }
    }
    for t in tasks {
        if !out.iter().any(|d| d.id == t.campaign.id) {
            let asks = !t.done();
            out.push(dis_dto(t.campaign, asks));
        }
    }
    Ok(Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct SeenDocument {
    pub directive_id: i64,
    pub version: i64,
}

#[derive(Deserialize, ToSchema)]
pub struct QuizAnswer {
    pub question_id: i64,
    /// 0-based index of the option chosen.
    pub option: usize,
}

#[derive(Deserialize, ToSchema)]
pub struct AcknowledgeRequest {
    /// Every document of the campaign with the version read.
    pub documents: Vec<SeenDocument>,
    #[serde(default)]
    pub answers: Vec<QuizAnswer>,
}

#[derive(Serialize, ToSchema)]
pub struct AcknowledgeResult {
    /// Acknowledgements written (0 when everything was already acknowledged).
    pub recorded: usize,
}

/// The caller confirms they read the campaign's documents (and answers its quiz).
#[utoipa::path(post, path = "/dissemination-campaigns/{id}/acknowledgements", operation_id = "acknowledgeDocument", tag = "movement",
    params(("id" = i64, Path)), request_body = AcknowledgeRequest,
    responses((status = 200, body = AcknowledgeResult), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn acknowledge_document(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<Json<AcknowledgeResult>> {
    let r: AcknowledgeRequest = json(&body)?;
    let person = person_of(&user)?;
    let seen: Vec<(i64, i64)> = r
        .documents
        .iter()
        .map(|d| (d.directive_id, d.version))
        .collect();
    let answers: Vec<(i64, usize)> = r
        .answers
        .iter()
        .map(|a| (a.question_id, a.option))
        .collect();
    let recorded = dissemination::acknowledge(
        &st.db,
        &user.actor(),
        person,
        id,
        &seen,
        &answers,
        crate::view::today(),
    )
    .await?;
    Ok(Json(AcknowledgeResult { recorded }))
}

/// Acknowledged out of required for an area of a dissemination campaign.
#[utoipa::path(get, path = "/dissemination-campaigns/{id}/coverage", operation_id = "getDisseminationCoverage", tag = "movement",
    params(("id" = i64, Path), CoverageQuery),
    responses((status = 200, body = CoverageDto), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_dissemination_coverage(
    State(st): State<AppState>,
    a: Authz<CampaignView>,
    Path(id): Path<i64>,
    Query(q): Query<CoverageQuery>,
) -> AppResult<Json<CoverageDto>> {
    let c = dissemination::get(&st.db, &a.scope, id).await?;
    Ok(Json(
        dissemination::coverage(&st.db, &a.scope, &c, q.unit)
            .await?
            .into(),
    ))
}
