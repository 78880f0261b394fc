//! One account's page: its details and roles, granting and revoking, and the
//! administrator's remedies (temporary password, second-factor reset, disabling).

use super::{DoneQuery, form_error, grantable, is_locked, notice_key, parse_role, unit_options};
use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Authz, User};
use crate::error::{AppError, AppResult};
use crate::view::{Page, datetime_ms, html};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::accounts::{self, Account, NewPassword};
use store::scope::{AccountManage, AccountView};
use store::{Scope, people, sessions};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/accounts/{id}", get(detail))
        .route("/accounts/{id}/grants", post(grant))
        .route("/accounts/{id}/grants/{gid}/revoke", post(revoke))
        .route("/accounts/{id}/password", post(reset_password))
        .route("/accounts/{id}/totp/reset", post(reset_totp))
        .route("/accounts/{id}/disable", post(disable))
        .route("/accounts/{id}/enable", post(enable))
}

struct GrantView {
    id: i64,
    role: String,
    unit_id: i64,
    unit_name: String,
    granted_at: String,
}

/// Which form of the account page an error belongs to, so it shows next to that form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Grants,
    Password,
    Totp,
    Status,
}

#[derive(Template)]
#[template(path = "accounts/detail.html")]
struct DetailPage {
    page: Page,
    account: Account,
    person: Option<(i64, String, String)>,
    can_see_people: bool,
    locked: bool,
    sessions: i64,
    grants: Vec<GrantView>,
    /// Roles this account holds outside the viewer's scope: counted, not shown.
    hidden_grants: usize,
    can_manage: bool,
    roles: Vec<(&'static str, String)>,
    units: Vec<(i64, String)>,
    sel_role: String,
    sel_unit: String,
    notice: Option<&'static str>,
    error: Option<(Section, &'static str)>,
}

impl DetailPage {
    fn err(&self, section: &str) -> Option<&'static str> {
        let want = match section {
            "grants" => Section::Grants,
            "password" => Section::Password,
            "totp" => Section::Totp,
            _ => Section::Status,
        };
        self.error.filter(|(s, _)| *s == want).map(|(_, k)| k)
    }
    fn locked_until(&self) -> String {
        datetime_ms(self.account.locked_until)
    }
}

/// What the account page re-renders with after a refused change.
#[derive(Default)]
struct Outcome {
    notice: Option<&'static str>,
    error: Option<(Section, &'static str)>,
    sel_role: String,
    sel_unit: String,
}

async fn render_detail(st: &AppState, user: &User, id: i64, o: Outcome) -> AppResult<Response> {
    let g = &user.id.grants;
    let view: Scope<AccountView> = g.scope().ok_or(AppError::Forbidden)?;
    let account = accounts::get_viewed(&st.db, &view, id).await?;
    let manage = match g.scope::<AccountManage>() {
        Some(m) if accounts::get_managed(&st.db, &m, id).await.is_ok() => Some(m),
        _ => None,
    };
    let t = user.t();
    let person = match account.person_id {
        Some(pid) => people::get(&st.db, &view, pid)
            .await
            .ok()
            .map(|p| (p.id, p.full_name, p.unit_name)),
        None => None,
    };
    let all = accounts::grants_of(&st.db, id).await?;
    let total = all.len();
    let grants: Vec<GrantView> = all
        .into_iter()
        .filter(|gr| view.contains_path(&gr.unit_path))
        .map(|gr| GrantView {
            id: gr.id,
            role: t.s(&gr.role.label_key()).to_owned(),
            unit_id: gr.unit_id,
            unit_name: gr.unit_name,
            granted_at: datetime_ms(gr.granted_at),
        })
        .collect();
    let units = match &manage {
        Some(m) => unit_options(st, m).await?,
        None => Vec::new(),
    };
    let status = if o.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = DetailPage {
        page: Page::new(user, account.display_name.clone(), "accounts"),
        locked: is_locked(&account),
        sessions: sessions::count(&st.db, account.id).await?,
        person,
        can_see_people: g.allows(domain::Action::PersonView),
        hidden_grants: total - grants.len(),
        grants,
        can_manage: manage.is_some(),
        roles: grantable(g),
        units,
        account,
        sel_role: o.sel_role,
        sel_unit: o.sel_unit,
        notice: o.notice,
        error: o.error,
    };
    Ok((status, html(&page)?).into_response())
}

async fn detail(
    State(st): State<AppState>,
    a: Authz<AccountView>,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    render_detail(
        &st,
        &a.user,
        id,
        Outcome {
            notice: notice_key(q.done.as_deref()),
            ..Default::default()
        },
    )
    .await
}

/// After a change: back to the account page with its notice, or the page again with the
/// message next to the form that was refused.
async fn finish(
    st: &AppState,
    a: &Authz<AccountManage>,
    id: i64,
    section: Section,
    done: &str,
    r: AppResult<()>,
    keep: (String, String),
) -> AppResult<Response> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/accounts/{id}?done={done}")).into_response()),
        Err(e) => {
            let key = form_error(e)?;
            render_detail(
                st,
                &a.user,
                id,
                Outcome {
                    error: Some((section, key)),
                    sel_role: keep.0,
                    sel_unit: keep.1,
                    ..Default::default()
                },
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct GrantForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_id: String,
}

async fn grant(
    State(st): State<AppState>,
    a: Authz<AccountManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<GrantForm>,
) -> AppResult<Response> {
    let account = accounts::get_managed(&st.db, &a.scope, id).await?;
    let r = async {
        let (role, unit) = parse_role(&f.role, &f.unit_id)?.ok_or(AppError::Invalid("err.role"))?;
        Ok(accounts::grant(
            &st.db,
            &a.scope,
            &a.user.id.grants,
            &a.actor(),
            account.id,
            role,
            unit,
        )
        .await?)
    }
    .await;
    finish(
        &st,
        &a,
        id,
        Section::Grants,
        "granted",
        r,
        (f.role, f.unit_id),
    )
    .await
}

#[derive(Deserialize)]
struct Empty {}

async fn revoke(
    State(st): State<AppState>,
    a: Authz<AccountManage>,
    Path((id, gid)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    accounts::get_managed(&st.db, &a.scope, id).await?;
    // The grant must belong to the account named in the address.
    if !accounts::grants_of(&st.db, id)
        .await?
        .iter()
        .any(|g| g.id == gid)
    {
        return Err(AppError::NotFound);
    }
    let r = accounts::revoke(&st.db, &a.scope, &a.user.id.grants, &a.actor(), gid)
        .await
        .map_err(AppError::from);
    finish(
        &st,
        &a,
        id,
        Section::Grants,
        "revoked",
        r,
        Default::default(),
    )
    .await
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

async fn reset_password(
    State(st): State<AppState>,
    a: Authz<AccountManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> AppResult<Response> {
    let account = accounts::get_managed(&st.db, &a.scope, id).await?;
    let r = async {
        if f.password != f.password2 {
            return Err(AppError::Invalid("err.password_mismatch"));
        }
        let (pw, user) = (f.password.clone(), account.username.clone());
        let new = tokio::task::spawn_blocking(move || NewPassword::new(&pw, &user))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))??;
        Ok(accounts::reset_password(
            &st.db,
            &a.scope,
            &a.user.id.grants,
            &a.actor(),
            &account,
            &new,
        )
        .await?)
    }
    .await;
    finish(
        &st,
        &a,
        id,
        Section::Password,
        "password",
        r,
        Default::default(),
    )
    .await
}

async fn reset_totp(
    State(st): State<AppState>,
    a: Authz<AccountManage>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    accounts::get_managed(&st.db, &a.scope, id).await?;
    let r = accounts::reset_totp(&st.db, &a.scope, &a.user.id.grants, &a.actor(), id)
        .await
        .map_err(AppError::from);
    finish(&st, &a, id, Section::Totp, "totp", r, Default::default()).await
}

async fn set_disabled(
    st: &AppState,
    a: &Authz<AccountManage>,
    id: i64,
    disabled: bool,
) -> AppResult<Response> {
    accounts::get_managed(&st.db, &a.scope, id).await?;
    let r = async {
        accounts::check_outranked(&st.db, &a.scope, &a.user.id.grants, id).await?;
        Ok(accounts::set_disabled(&st.db, &a.scope, &a.actor(), id, disabled).await?)
    }
    .await;
    finish(
        st,
        a,
        id,
        Section::Status,
        if disabled { "disabled" } else { "enabled" },
        r,
        Default::default(),
    )
    .await
}

async fn disable(
    State(st): State<AppState>,
    a: Authz<AccountManage>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    set_disabled(&st, &a, id, true).await
}

async fn enable(
    State(st): State<AppState>,
    a: Authz<AccountManage>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    set_disabled(&st, &a, id, false).await
}
