//! The signed-in person's own profile: who the system takes them for, their roles, their
//! password, second factor, API tokens, sessions and language.

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::pages::EnrolPage;
use crate::auth::{User, cookies, totp};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::view::{Page, datetime_ms, html};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::accounts::{self, LinkedPerson, NewPassword};
use store::sessions;
use store::tokens::{self, Access};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/profile", get(profile))
        .route("/profile/password", post(change_password))
        .route("/profile/totp", get(enrol_page).post(enrol_submit))
        .route("/profile/totp/disable", post(disable_totp))
        .route("/profile/tokens", post(create_token))
        .route("/profile/tokens/{id}/revoke", post(revoke_token))
        .route("/profile/sign-out-everywhere", post(sign_out_everywhere))
        .route("/profile/language", post(set_language))
}

/// The longest expiry offered for an API token: ten years.
const MAX_TOKEN_DAYS: i64 = 3650;

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn notice_key(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "password" => "profile.notice.password",
        "totp_on" => "profile.notice.totp_on",
        "totp_off" => "profile.notice.totp_off",
        "token_revoked" => "profile.notice.token_revoked",
        "language" => "profile.notice.language",
        _ => return None,
    })
}

struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    access: &'static str,
    created: String,
    last_used: Option<String>,
    expires: Option<String>,
    revoked: Option<String>,
    expired: bool,
}

/// The form of the profile page an error belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Password,
    Totp,
    Tokens,
}

#[derive(Template)]
#[template(path = "profile/profile.html")]
struct ProfilePage {
    page: Page,
    display_name: String,
    username: String,
    person: Option<LinkedPerson>,
    can_see_people: bool,
    roles: Vec<String>,
    totp_enabled: bool,
    totp_required: bool,
    tokens: Vec<TokenRow>,
    /// The secret of the token just created: shown on this response only.
    new_secret: Option<String>,
    token_name: String,
    token_access: String,
    token_days: String,
    sessions: i64,
    locale: String,
    notice: Option<&'static str>,
    error: Option<(Section, &'static str)>,
}

impl ProfilePage {
    fn err(&self, section: &str) -> Option<&'static str> {
        let want = match section {
            "password" => Section::Password,
            "totp" => Section::Totp,
            _ => Section::Tokens,
        };
        self.error.filter(|(s, _)| *s == want).map(|(_, k)| k)
    }
}

/// What the profile page shows besides the account's own data.
#[derive(Default)]
struct Extra {
    notice: Option<&'static str>,
    error: Option<(Section, &'static str)>,
    new_secret: Option<String>,
    token_name: String,
    token_access: String,
    token_days: String,
}

async fn render(st: &AppState, user: &User, x: Extra) -> AppResult<Response> {
    let t = user.t();
    // The identity was loaded at the start of the request; read again so the page shows the
    // state after this request's change.
    let account = accounts::by_id(&st.db, user.id.account.id).await?;
    let g = &user.id.grants;
    let now = store::now_ms();
    let tokens = tokens::list(&st.db, account.id)
        .await?
        .into_iter()
        .map(|k| TokenRow {
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            access: match k.access {
                Access::Read => "profile.tokens.read",
                Access::ReadWrite => "profile.tokens.read_write",
            },
            created: datetime_ms(k.created_at),
            last_used: k.last_used_at.map(datetime_ms),
            expires: k.expires_at.map(datetime_ms),
            revoked: k.revoked_at.map(datetime_ms),
            expired: k.expires_at.is_some_and(|e| e < now),
        })
        .collect();
    let status = if x.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = ProfilePage {
        page: Page::new(user, t.s("profile.title"), "profile"),
        person: accounts::linked_person(&st.db, &account).await?,
        can_see_people: g.allows(domain::Action::PersonView),
        roles: g
            .list
            .iter()
            .map(|gr| format!("{} — {}", t.s(&gr.role.label_key()), gr.unit_name))
            .collect(),
        totp_enabled: account.totp_enabled,
        totp_required: g.requires_second_factor(),
        tokens,
        sessions: sessions::count(&st.db, account.id).await?,
        display_name: account.display_name,
        username: account.username,
        locale: account.locale,
        new_secret: x.new_secret,
        token_name: x.token_name,
        token_access: if x.token_access.is_empty() {
            "read".into()
        } else {
            x.token_access
        },
        token_days: x.token_days,
        notice: x.notice,
        error: x.error,
    };
    // The page may carry a token's secret; no cache should keep it.
    Ok((status, [(header::CACHE_CONTROL, "no-store")], html(&page)?).into_response())
}

async fn profile(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    render(
        &st,
        &user,
        Extra {
            notice: notice_key(q.done.as_deref()),
            ..Default::default()
        },
    )
    .await
}

/// Input errors are shown on the page (422); anything else goes to the error page.
async fn refused(
    st: &AppState,
    user: &User,
    section: Section,
    e: AppError,
    x: Extra,
) -> AppResult<Response> {
    match e {
        AppError::Invalid(k) | AppError::Conflict(k) => {
            render(
                st,
                user,
                Extra {
                    error: Some((section, k)),
                    ..x
                },
            )
            .await
        }
        other => Err(other),
    }
}

/// Checks the signed-in person's current password; a wrong one counts as a failed sign-in,
/// so a borrowed session cannot be used to guess it.
async fn current_password_ok(st: &AppState, user: &User, password: &str) -> AppResult<bool> {
    let account = accounts::by_id(&st.db, user.id.account.id).await?;
    let (hash, pw) = (account.password_hash.clone(), password.to_owned());
    let ok = tokio::task::spawn_blocking(move || accounts::verify_password(&hash, &pw))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if !ok {
        accounts::record_failure(
            &st.db,
            Some(&account),
            &account.username,
            &user.ctx.ip,
            "bad_current_password",
        )
        .await?;
    }
    Ok(ok)
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

/// Changes the password. Every other browser session and API sign-in ends; this browser gets
/// a fresh session in the same transaction, so the person stays signed in where they are.
async fn change_password(
    State(st): State<AppState>,
    user: User,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> AppResult<Response> {
    if !current_password_ok(&st, &user, &f.current).await? {
        return refused(
            &st,
            &user,
            Section::Password,
            AppError::Invalid("err.password_wrong"),
            Extra::default(),
        )
        .await;
    }
    if f.password != f.password2 {
        return refused(
            &st,
            &user,
            Section::Password,
            AppError::Invalid("err.password_mismatch"),
            Extra::default(),
        )
        .await;
    }
    let (pw, name) = (f.password.clone(), user.id.account.username.clone());
    let new = match tokio::task::spawn_blocking(move || NewPassword::new(&pw, &name))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    {
        Ok(n) => n,
        Err(e) => return refused(&st, &user, Section::Password, e.into(), Extra::default()).await,
    };
    let mut tx = st.db.begin_write().await?;
    accounts::replace_password(
        &mut tx,
        &user.actor(),
        &user.id.account,
        &new,
        "account.password_change",
    )
    .await?;
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let (token, _) = sessions::create(
        &mut tx,
        user.id.account.id,
        true,
        st.cfg.timeouts,
        ua,
        &user.ctx.ip,
    )
    .await?;
    store::commit(tx).await?;
    let secure = cookies::is_tls(&headers, st.cfg.secure_cookies);
    Ok((
        [(
            header::SET_COOKIE,
            cookies::set(cookies::SESSION, &token, None, secure),
        )],
        Redirect::to("/profile?done=password"),
    )
        .into_response())
}

async fn enrol_page(user: User) -> AppResult<Response> {
    if user.id.account.totp_enabled {
        return Ok(Redirect::to("/profile").into_response());
    }
    let page = Page::new(&user, user.t().s("auth.enrol.title"), "profile");
    let p = EnrolPage::build(
        page,
        &user.id.account.username,
        totp::new_secret(),
        "/profile".into(),
        "/profile/totp",
        None,
    );
    Ok(([(header::CACHE_CONTROL, "no-store")], html(&p)?).into_response())
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    secret: String,
}

async fn enrol_submit(
    State(st): State<AppState>,
    user: User,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> AppResult<Response> {
    if user.id.account.totp_enabled {
        return Ok(Redirect::to("/profile").into_response());
    }
    let username = &user.id.account.username;
    if totp::matching_step(&f.secret, username, &f.code, totp::now_secs()).is_none() {
        let page = Page::new(&user, user.t().s("auth.enrol.title"), "profile");
        let p = EnrolPage::build(
            page,
            username,
            f.secret,
            "/profile".into(),
            "/profile/totp",
            Some("auth.totp.failed"),
        );
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            [(header::CACHE_CONTROL, "no-store")],
            html(&p)?,
        )
            .into_response());
    }
    accounts::set_totp(
        &st.db,
        &user.actor(),
        user.id.account.id,
        Some(&f.secret),
        "auth.totp_enrol",
    )
    .await?;
    Ok(Redirect::to("/profile?done=totp_on").into_response())
}

#[derive(Deserialize)]
struct CurrentForm {
    #[serde(default)]
    current: String,
}

async fn disable_totp(
    State(st): State<AppState>,
    user: User,
    CsrfForm(f): CsrfForm<CurrentForm>,
) -> AppResult<Response> {
    if user.id.grants.requires_second_factor() {
        return refused(
            &st,
            &user,
            Section::Totp,
            AppError::Invalid("err.totp_required_by_role"),
            Extra::default(),
        )
        .await;
    }
    if !current_password_ok(&st, &user, &f.current).await? {
        return refused(
            &st,
            &user,
            Section::Totp,
            AppError::Invalid("err.password_wrong"),
            Extra::default(),
        )
        .await;
    }
    accounts::set_totp(
        &st.db,
        &user.actor(),
        user.id.account.id,
        None,
        "account.totp_disable",
    )
    .await?;
    Ok(Redirect::to("/profile?done=totp_off").into_response())
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    access: String,
    #[serde(default)]
    days: String,
}

/// Creates an integration token and answers with the page showing its secret, once: it is
/// stored only as a hash, so no later page can show it again.
async fn create_token(
    State(st): State<AppState>,
    user: User,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> AppResult<Response> {
    let attempt = async {
        let access = Access::parse(f.access.trim()).ok_or(AppError::Invalid("err.token_access"))?;
        let expires_at = match f.days.trim() {
            "" => None,
            d => match d.parse::<i64>() {
                Ok(n) if (1..=MAX_TOKEN_DAYS).contains(&n) => {
                    Some(store::now_ms() + n * 86_400_000)
                }
                _ => return Err(AppError::Invalid("err.token_days")),
            },
        };
        let mut tx = st.db.begin_write().await?;
        let (_, secret) = tokens::create(
            &mut tx,
            &user.actor(),
            user.id.account.id,
            &f.name,
            access,
            "integration",
            expires_at,
        )
        .await?;
        store::commit(tx).await?;
        Ok(secret)
    };
    match attempt.await {
        Ok(secret) => {
            render(
                &st,
                &user,
                Extra {
                    new_secret: Some(secret),
                    ..Default::default()
                },
            )
            .await
        }
        Err(e) => {
            refused(
                &st,
                &user,
                Section::Tokens,
                e,
                Extra {
                    token_name: f.name,
                    token_access: f.access,
                    token_days: f.days,
                    ..Default::default()
                },
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn revoke_token(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    tokens::revoke(&st.db, &user.actor(), user.id.account.id, id).await?;
    Ok(Redirect::to("/profile?done=token_revoked").into_response())
}

/// Ends every session of the account, this one included, and every API sign-in token; the
/// person signs in again.
async fn sign_out_everywhere(
    State(st): State<AppState>,
    user: User,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    sessions::end_everywhere(&st.db, &user.actor(), user.id.account.id).await?;
    let secure = cookies::is_tls(&headers, st.cfg.secure_cookies);
    Ok((
        [(header::SET_COOKIE, cookies::clear(cookies::SESSION, secure))],
        Redirect::to("/login"),
    )
        .into_response())
}

#[derive(Deserialize)]
struct LangForm {
    #[serde(default)]
    lang: String,
}

async fn set_language(
    State(st): State<AppState>,
    user: User,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<LangForm>,
) -> AppResult<Response> {
    let lang = Lang::parse(&f.lang).ok_or(AppError::Invalid("err.form"))?;
    accounts::set_locale_audited(&st.db, &user.actor(), user.id.account.id, lang.code()).await?;
    // The cookie decides the language before the account does, so it changes too.
    let secure = cookies::is_tls(&headers, st.cfg.secure_cookies);
    let cookie = cookies::set(cookies::LANG, lang.code(), Some(365 * 24 * 3600), secure);
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to("/profile?done=language"),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_notice_has_a_message() {
        for code in [
            "password",
            "totp_on",
            "totp_off",
            "token_revoked",
            "language",
        ] {
            let key = super::notice_key(Some(code)).expect("known code");
            assert!(crate::i18n::has(key), "{key}");
        }
        assert_eq!(super::notice_key(Some("other")), None);
    }
}
