//! API sign-in and identity.

use crate::AppState;
use crate::api::ApiErrorBody;
use crate::auth::pages::{PasswordOutcome, check_password, verify_code};
use crate::auth::{Ctx, User};
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use store::{accounts, tokens};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The 6-digit code, for accounts with a second factor.
    pub totp: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Milliseconds since the Unix epoch.
    pub expires_at: i64,
}

/// Signs in and returns a bearer token.
#[utoipa::path(post, path = "/login", operation_id = "login", tag = "auth", request_body = LoginRequest, security(()),
    responses((status = 200, body = LoginResponse), (status = 401, description = "Wrong credentials or second factor missing", body = ApiErrorBody), (status = 429, body = ApiErrorBody)))]
pub async fn login(
    State(st): State<AppState>,
    ctx: Ctx,
    Json(req): Json<LoginRequest>,
) -> AppResult<Json<LoginResponse>> {
    let (account, grants) = match check_password(&st, &req.username, &req.password, &ctx.ip).await?
    {
        PasswordOutcome::Ok(a, g) => (a, g),
        PasswordOutcome::Failed => return Err(AppError::Unauthorized),
        PasswordOutcome::Throttled => return Err(AppError::TooMany),
    };
    if account.totp_enabled || grants.requires_second_factor() {
        let ok = match (&account.totp_secret, &req.totp) {
            (Some(secret), Some(code)) if account.totp_enabled => {
                verify_code(&st, &account, secret, code).await?
            }
            _ => false,
        };
        if !ok {
            accounts::record_failure(
                &st.db,
                Some(&account),
                &account.username,
                &ctx.ip,
                "bad_totp",
            )
            .await?;
            return Err(AppError::Unauthorized);
        }
    }
    let expires_at = store::now_ms() + st.cfg.api_session_ms;
    let mut tx = st.db.begin_write().await?;
    let actor = store::audit::Actor {
        account_id: Some(account.id),
        name: account.username.clone(),
        ip: Some(ctx.ip.clone()),
    };
    let (_, token) = tokens::create(
        &mut tx,
        &actor,
        account.id,
        "api-login",
        tokens::Access::ReadWrite,
        "session",
        Some(expires_at),
    )
    .await?;
    accounts::record_success(&mut tx, &account, &ctx.ip, "api").await?;
    store::commit(tx).await?;
    Ok(Json(LoginResponse { token, expires_at }))
}

#[derive(Serialize, ToSchema)]
pub struct GrantView {
    pub role: String,
    pub unit_id: i64,
    pub unit_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct WhoAmI {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub person_id: Option<i64>,
    pub second_factor: bool,
    pub roles: Vec<GrantView>,
}

/// The signed-in account and its roles.
#[utoipa::path(get, path = "/whoami", operation_id = "whoami", tag = "auth",
    responses((status = 200, body = WhoAmI), (status = 401, body = ApiErrorBody)))]
pub async fn whoami(user: User) -> Json<WhoAmI> {
    let a = &user.id.account;
    Json(WhoAmI {
        id: a.id,
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        person_id: a.person_id,
        second_factor: a.totp_enabled,
        roles: user
            .id
            .grants
            .list
            .iter()
            .map(|g| GrantView {
                role: g.role.code().into(),
                unit_id: g.root.unit_id,
                unit_name: g.unit_name.clone(),
            })
            .collect(),
    })
}
