//! Sign-in, the second factor (entering a code and enrolling an authenticator), sign-out and
//! the language switch.

use crate::AppState;
use crate::auth::csrf::{CsrfForm, same};
use crate::auth::identity::Identity;
use crate::auth::{Ctx, cookies, totp};
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use std::sync::Arc;
use store::accounts::{self, Throttled};
use store::scope::Grants;
use store::{audit, sessions};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/login/totp", get(totp_page).post(totp_submit))
        .route("/login/enrol", get(enrol_page).post(enrol_submit))
        .route("/logout", post(logout))
        .route("/lang/{code}", get(switch_lang))
}

/// Only local paths are followed after sign-in, never another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    page: Page,
    login_csrf: String,
    next: String,
    username: String,
    error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
}

fn login_response(
    ctx: &Ctx,
    status: StatusCode,
    next: String,
    username: String,
    error: Option<&'static str>,
) -> AppResult<Response> {
    let token = sessions::random_token();
    let page = LoginPage {
        page: Page::public(ctx, "auth.login.title"),
        login_csrf: token.clone(),
        next,
        username,
        error,
    };
    let cookie = cookies::set(cookies::LOGIN_CSRF, &token, Some(3600), ctx.tls);
    Ok((status, [(header::SET_COOKIE, cookie)], html(&page)?).into_response())
}

async fn login_page(ctx: Ctx, Query(q): Query<NextQuery>) -> AppResult<Response> {
    if ctx
        .identity
        .as_ref()
        .is_some_and(|i| !i.second_factor_pending())
    {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    login_response(
        &ctx,
        StatusCode::OK,
        safe_next(q.next.as_deref()),
        String::new(),
        None,
    )
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// What a password check decided.
pub enum PasswordOutcome {
    Ok(accounts::Account, Grants),
    Failed,
    Throttled,
}

/// Checks a username and password with throttling and lockout, recording failures; shared by
/// the sign-in page and the API's `login`.
pub async fn check_password(
    st: &AppState,
    username: &str,
    password: &str,
    ip: &str,
) -> AppResult<PasswordOutcome> {
    if accounts::address_throttled(&st.db, ip).await? == Throttled::Address {
        return Ok(PasswordOutcome::Throttled);
    }
    let account = accounts::by_username(&st.db, username).await?;
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| accounts::dummy_hash().to_owned());
    let pw = password.to_owned();
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || accounts::verify_password(&hash, &pw))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let now = store::now_ms();
    match account {
        Some(a) if ok && !a.disabled && a.locked_until <= now => {
            let grants = Grants::load(&st.db, a.id).await?;
            Ok(PasswordOutcome::Ok(a, grants))
        }
        other => {
            let reason = match &other {
                None => "unknown_user",
                Some(a) if a.disabled => "disabled",
                Some(a) if a.locked_until > now => "locked",
                _ => "bad_password",
            };
            accounts::record_failure(&st.db, other.as_ref(), username, ip, reason).await?;
            Ok(PasswordOutcome::Failed)
        }
    }
}

async fn login_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let expected = cookies::get(&headers, cookies::LOGIN_CSRF).unwrap_or_default();
    if expected.is_empty() || !same(&expected, &f.csrf) {
        return login_response(
            &ctx,
            StatusCode::FORBIDDEN,
            next,
            f.username,
            Some("auth.login.expired"),
        );
    }
    let (account, grants) = match check_password(&st, &f.username, &f.password, &ctx.ip).await? {
        PasswordOutcome::Ok(a, g) => (a, g),
        PasswordOutcome::Failed => {
            return login_response(
                &ctx,
                StatusCode::UNAUTHORIZED,
                next,
                f.username,
                Some("auth.login.failed"),
            );
        }
        PasswordOutcome::Throttled => {
            return login_response(
                &ctx,
                StatusCode::TOO_MANY_REQUESTS,
                next,
                f.username,
                Some("err.throttled"),
            );
        }
    };
    let needs_second = account.totp_enabled || grants.requires_second_factor();
    let mut tx = st.db.begin_write().await?;
    let (token, _) = sessions::create(
        &mut tx,
        account.id,
        !needs_second,
        st.cfg.timeouts,
        headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
        &ctx.ip,
    )
    .await?;
    accounts::record_success(&mut tx, &account, &ctx.ip, "password").await?;
    store::commit(tx).await?;
    let to = if !needs_second {
        next
    } else if account.totp_enabled {
        format!("/login/totp?next={}", crate::view::url_encode(&next))
    } else {
        format!("/login/enrol?next={}", crate::view::url_encode(&next))
    };
    let secure = cookies::is_tls(&headers, st.cfg.secure_cookies);
    Ok((
        AppendHeaders([
            (
                header::SET_COOKIE,
                cookies::set(cookies::SESSION, &token, None, secure),
            ),
            (
                header::SET_COOKIE,
                cookies::clear(cookies::LOGIN_CSRF, secure),
            ),
        ]),
        Redirect::to(&to),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "auth/totp.html")]
struct TotpPage {
    page: Page,
    next: String,
    error: Option<&'static str>,
}

fn pending(ctx: &Ctx) -> AppResult<Arc<Identity>> {
    match &ctx.identity {
        Some(i) if i.second_factor_pending() => Ok(i.clone()),
        _ => Err(AppError::NotFound),
    }
}

async fn totp_page(ctx: Ctx, Query(q): Query<NextQuery>) -> AppResult<Response> {
    if pending(&ctx).is_err() {
        return Ok(Redirect::to("/login").into_response());
    }
    Ok(html(&TotpPage {
        page: Page::public(&ctx, "auth.totp.title"),
        next: safe_next(q.next.as_deref()),
        error: None,
    })?
    .into_response())
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
    next: Option<String>,
    #[serde(default)]
    secret: String,
}

/// Checks a code against an account's secret and uses up its time step.
pub async fn verify_code(
    st: &AppState,
    account: &accounts::Account,
    secret: &str,
    code: &str,
) -> AppResult<bool> {
    match totp::matching_step(secret, &account.username, code, totp::now_secs()) {
        Some(step) => Ok(accounts::consume_totp_step(&st.db, account.id, step).await?),
        None => Ok(false),
    }
}

async fn totp_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> AppResult<Response> {
    let id = pending(&ctx)?;
    let next = safe_next(f.next.as_deref());
    let secret = id.account.totp_secret.clone().unwrap_or_default();
    if !id.account.totp_enabled || !verify_code(&st, &id.account, &secret, &f.code).await? {
        accounts::record_failure(
            &st.db,
            Some(&id.account),
            &id.account.username,
            &ctx.ip,
            "bad_totp",
        )
        .await?;
        let fresh = accounts::by_id(&st.db, id.account.id).await?;
        if fresh.locked_until > store::now_ms() {
            // Locked by this failure: the half-open session goes too.
            if let Some(s) = &id.session {
                sessions::delete(&st.db, &s.id_hash).await?;
            }
            return Ok(Redirect::to("/login").into_response());
        }
        let page = TotpPage {
            page: Page::public(&ctx, "auth.totp.title"),
            next,
            error: Some("auth.totp.failed"),
        };
        return Ok((StatusCode::UNAUTHORIZED, html(&page)?).into_response());
    }
    finish_second_factor(&st, &id, &ctx.ip, "totp").await?;
    Ok(Redirect::to(&next).into_response())
}

async fn finish_second_factor(
    st: &AppState,
    id: &Identity,
    ip: &str,
    method: &str,
) -> AppResult<()> {
    if let Some(s) = &id.session {
        sessions::confirm_second_factor(&st.db, &s.id_hash).await?;
    }
    audit::record(
        &st.db,
        &id.actor(ip),
        audit::Event {
            action: "auth.second_factor",
            object_kind: "account",
            object_id: id.account.id.to_string(),
            unit_path: None,
            details: serde_json::json!({ "method": method }),
        },
    )
    .await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "auth/enrol.html")]
pub struct EnrolPage {
    pub page: Page,
    pub next: String,
    pub secret: String,
    pub qr: String,
    pub action: &'static str,
    pub error: Option<&'static str>,
}

impl EnrolPage {
    pub fn build(
        page: Page,
        username: &str,
        secret: String,
        next: String,
        action: &'static str,
        error: Option<&'static str>,
    ) -> EnrolPage {
        let qr = totp::url(&secret, username)
            .and_then(|u| totp::qr_svg(&u))
            .unwrap_or_default();
        EnrolPage {
            page,
            next,
            secret,
            qr,
            action,
            error,
        }
    }
}

async fn enrol_page(ctx: Ctx, Query(q): Query<NextQuery>) -> AppResult<Response> {
    let Ok(id) = pending(&ctx) else {
        return Ok(Redirect::to("/login").into_response());
    };
    if id.account.totp_enabled {
        return Ok(Redirect::to("/login/totp").into_response());
    }
    let p = EnrolPage::build(
        Page::public(&ctx, "auth.enrol.title"),
        &id.account.username,
        totp::new_secret(),
        safe_next(q.next.as_deref()),
        "/login/enrol",
        None,
    );
    Ok(html(&p)?.into_response())
}

async fn enrol_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> AppResult<Response> {
    let id = pending(&ctx)?;
    if id.account.totp_enabled {
        return Err(AppError::NotFound);
    }
    let next = safe_next(f.next.as_deref());
    if totp::matching_step(&f.secret, &id.account.username, &f.code, totp::now_secs()).is_none() {
        let p = EnrolPage::build(
            Page::public(&ctx, "auth.enrol.title"),
            &id.account.username,
            f.secret,
            next,
            "/login/enrol",
            Some("auth.totp.failed"),
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&p)?).into_response());
    }
    accounts::set_totp(
        &st.db,
        &id.actor(&ctx.ip),
        id.account.id,
        Some(&f.secret),
        "auth.totp_enrol",
    )
    .await?;
    finish_second_factor(&st, &id, &ctx.ip, "totp_enrol").await?;
    Ok(Redirect::to(&next).into_response())
}

#[derive(Deserialize)]
struct Empty {}

async fn logout(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    if let Some(id) = &ctx.identity
        && let Some(s) = &id.session
    {
        let mut tx = st.db.begin_write().await?;
        sqlx_free_delete(&mut tx, &s.id_hash).await?;
        audit::append(
            &mut tx,
            &id.actor(&ctx.ip),
            audit::Event {
                action: "auth.logout",
                object_kind: "account",
                object_id: id.account.id.to_string(),
                unit_path: None,
                details: serde_json::json!({}),
            },
        )
        .await?;
        store::commit(tx).await?;
    }
    let secure = cookies::is_tls(&headers, st.cfg.secure_cookies);
    Ok((
        [(header::SET_COOKIE, cookies::clear(cookies::SESSION, secure))],
        Redirect::to("/login"),
    )
        .into_response())
}

async fn sqlx_free_delete(tx: &mut store::WriteTx, id_hash: &str) -> AppResult<()> {
    store::sessions::delete_in(tx, id_hash).await?;
    Ok(())
}

async fn switch_lang(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let lang = crate::i18n::Lang::parse(&code).ok_or(AppError::NotFound)?;
    if let Some(id) = &ctx.identity {
        accounts::set_locale(&st.db, id.account.id, lang.code()).await?;
    }
    let secure = cookies::is_tls(&headers, st.cfg.secure_cookies);
    let cookie = cookies::set(cookies::LANG, lang.code(), Some(365 * 24 * 3600), secure);
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&safe_next(q.next.as_deref())),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_on_site() {
        assert_eq!(super::safe_next(Some("/people?q=a")), "/people?q=a");
        assert_eq!(super::safe_next(Some("//evil.example")), "/");
        assert_eq!(super::safe_next(Some("https://evil.example")), "/");
        assert_eq!(super::safe_next(Some("/\\evil")), "/");
        assert_eq!(super::safe_next(None), "/");
    }
}
