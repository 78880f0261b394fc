//! Signing on a phone as easily as on a desk: the text, one box to tick, the password (or the
//! second-factor code for those who use one), and the receipt. With JavaScript on, the form is
//! sent in the background and the receipt replaces it; without, the same exchange is a page
//! load.

use super::document::{SignedBy, document, pdf_response};
use crate::AppState;
use crate::auth::User;
use crate::auth::csrf::CsrfForm;
use crate::auth::totp;
use crate::error::{AppError, AppResult};
use crate::pages::registers::render;
use crate::view::{Page, html};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use store::accounts;
use store::commitments::{self, Campaign, Receipt};
use store::scope::CampaignView;
use store::units;

/// The person linked to the account, or 404: an account without a person has nothing to sign.
pub(crate) fn person_of(user: &User) -> AppResult<i64> {
    user.id.account.person_id.ok_or(AppError::NotFound)
}

/// The campaign as the person sees it: asked to sign (or already signed), else not found.
async fn mine(st: &AppState, person: i64, id: i64) -> AppResult<(Campaign, Option<Receipt>)> {
    commitments::my_campaigns(&st.db, person)
        .await?
        .into_iter()
        .find(|(c, _)| c.id == id)
        .ok_or(AppError::NotFound)
}

/// Checks the signer's password, or their second-factor code when they use one. A wrong
/// answer counts as a failed sign-in (the account locks after repeated failures).
pub(crate) async fn confirm(st: &AppState, user: &User, secret: &str) -> AppResult<()> {
    let account = accounts::by_id(&st.db, user.id.account.id).await?;
    if account.locked_until > store::now_ms() {
        return Err(AppError::TooMany);
    }
    let secret = secret.trim();
    let ok = if secret.is_empty() {
        false
    } else if account.totp_enabled
        && secret.len() == 6
        && secret.bytes().all(|b| b.is_ascii_digit())
    {
        let Some(key) = account.totp_secret.as_deref() else {
            return Err(AppError::Invalid("err.cmt_confirm"));
        };
        match totp::matching_step(key, &account.username, secret, totp::now_secs()) {
            Some(step) => accounts::consume_totp_step(&st.db, account.id, step).await?,
            None => false,
        }
    } else {
        let hash = account.password_hash.clone();
        let pw = secret.to_owned();
        tokio::task::spawn_blocking(move || accounts::verify_password(&hash, &pw))
            .await
            .map_err(|e| AppError::Internal(format!("verify task: {e}")))?
    };
    if !ok {
        accounts::record_failure(
            &st.db,
            Some(&account),
            &account.username,
            &user.ctx.ip,
            "sign_confirm",
        )
        .await?;
        return Err(AppError::Invalid("err.cmt_confirm"));
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "commitments/sign.html")]
struct SignPage {
    page: Page,
    c: Campaign,
    receipt: Option<Receipt>,
    paragraphs: Vec<String>,
    error: Option<&'static str>,
    uses_code: bool,
    just_signed: bool,
}

impl SignPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::view::date(d)
    }
    fn when(&self, ms: &i64) -> String {
        crate::view::datetime_ms(*ms)
    }
    fn encoded(&self) -> String {
        self.receipt
            .as_ref()
            .map(Receipt::encode)
            .unwrap_or_default()
    }
}

fn sign_page(
    user: &User,
    c: Campaign,
    receipt: Option<Receipt>,
    error: Option<&'static str>,
    just_signed: bool,
) -> SignPage {
    let paragraphs = c
        .body
        .split("\n\n")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    SignPage {
        page: Page::new(user, c.heading.clone(), "movement"),
        uses_code: user.id.account.totp_enabled,
        c,
        receipt,
        paragraphs,
        error,
        just_signed,
    }
}

/// `GET /commitments/{id}/sign`.
pub(super) async fn page(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (c, r) = mine(&st, person_of(&user)?, id).await?;
    Ok(html(&sign_page(&user, c, r, None, false))?.into_response())
}

#[derive(Deserialize)]
pub(super) struct SignForm {
    #[serde(default)]
    read: Option<String>,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    text_hash: String,
}

/// `POST /commitments/{id}/sign`.
pub(super) async fn submit(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<SignForm>,
) -> AppResult<Response> {
    let person = person_of(&user)?;
    let (c, r) = mine(&st, person, id).await?;
    if r.is_some() {
        return Ok(html(&sign_page(&user, c, r, None, false))?.into_response());
    }
    let attempt = async {
        if f.read.is_none() {
            return Err(AppError::Invalid("err.cmt_read"));
        }
        confirm(&st, &user, &f.secret).await?;
        Ok(commitments::sign(
            &st.db,
            &user.actor(),
            person,
            c.id,
            &f.text_hash,
            crate::view::today(),
        )
        .await?)
    }
    .await;
    match attempt {
        Ok(s) => Ok(html(&sign_page(&user, c, Some(s.receipt), None, !s.already))?.into_response()),
        Err(AppError::Invalid(k)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            Ok((status, html(&sign_page(&user, c, None, Some(k), false))?).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "commitments/receipt.html")]
struct ReceiptPage {
    page: Page,
    r: Receipt,
    encoded: String,
}

impl ReceiptPage {
    fn when(&self, ms: &i64) -> String {
        crate::view::datetime_ms(*ms)
    }
}

async fn own_receipt(st: &AppState, user: &User, id: i64) -> AppResult<Receipt> {
    let (_, r) = mine(st, person_of(user)?, id).await?;
    r.ok_or(AppError::NotFound)
}

/// `GET /commitments/{id}/receipt`: the person's own receipt.
pub(super) async fn receipt(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let r = own_receipt(&st, &user, id).await?;
    let page = ReceiptPage {
        page: Page::new(&user, user.t().s("cmt.receipt"), "movement"),
        encoded: r.encode(),
        r,
    };
    Ok(html(&page)?.into_response())
}

/// `GET /commitments/{id}/receipt.json`: the receipt as a file to keep.
pub(super) async fn receipt_json(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let r = own_receipt(&st, &user, id).await?;
    let name = format!("bien-nhan-cam-ket-{}.json", r.campaign_id);
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )],
        Json(r),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub(super) struct PersonQuery {
    person: Option<i64>,
}

/// `GET /commitments/{id}/signed.pdf[?person=]`: the signed commitment, printable. Without
/// `person`, the reader's own; with it, a person of the reader's `CampaignView` scope.
pub(super) async fn signed_pdf(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    Query(q): Query<PersonQuery>,
) -> AppResult<Response> {
    let (c, receipt) = match q.person {
        None => {
            let (c, r) = mine(&st, person_of(&user)?, id).await?;
            (c, r.ok_or(AppError::NotFound)?)
        }
        Some(p) => {
            let scope = user
                .id
                .grants
                .scope::<CampaignView>()
                .ok_or(AppError::NotFound)?;
            let c = commitments::get(&st.db, &scope, id).await?;
            let person = store::people::get(&st.db, &scope, p).await?;
            let r = commitments::receipt_of(&st.db, c.id, person.id)
                .await?
                .ok_or(AppError::NotFound)?;
            (c, r)
        }
    };
    let person = commitments::signer_details(&st.db, receipt.person_id).await?;
    let owner = units::by_id(&st.db, c.owner_unit_id).await?;
    let doc = document(
        &st,
        &owner,
        &c,
        Some(SignedBy {
            receipt: &receipt,
            unit_name: &person.1,
            position: &person.0,
        }),
    )
    .await?;
    let bytes = render::render(doc, vanban::OutputKind::Pdf).await?;
    Ok(pdf_response(bytes, &format!("cam-ket-da-ky-{}.pdf", c.id)))
}
