//! Accounts and roles administration: the accounts of the scope, creating an account for a
//! person, an account's roles, and the administrator's remedies (temporary password, second
//! factor reset for a lost phone, disabling). Everything is limited to the administrator's
//! scope; an account outside it is "not found".

use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::Role;
use serde::Deserialize;
use store::accounts::{self, Account, Candidate, NewAccount};
use store::scope::{AccountManage, AccountView, Grants};
use store::{Scope, people, units};

mod detail;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/accounts", get(list_page).post(create))
        .route("/accounts/new", get(new_page))
        .merge(detail::router())
}

/// Units offered in pickers; an organisation tree is small, a province a few thousand units.
const UNIT_OPTIONS: i64 = 3000;
const PEOPLE_OPTIONS: i64 = 2000;

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

/// The message shown after a successful change (post, redirect, get); only known codes.
fn notice_key(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "created" => "accounts.notice.created",
        "granted" => "accounts.notice.granted",
        "revoked" => "accounts.notice.revoked",
        "password" => "accounts.notice.password",
        "totp" => "accounts.notice.totp",
        "disabled" => "accounts.notice.disabled",
        "enabled" => "accounts.notice.enabled",
        _ => return None,
    })
}

/// Roles the signed-in person may hand out, as (code, catalog key).
fn grantable(g: &Grants) -> Vec<(&'static str, String)> {
    Role::ALL
        .into_iter()
        .filter(|r| g.roles().any(|mine| mine.may_grant(*r)))
        .map(|r| (r.code(), r.label_key()))
        .collect()
}

/// Units of the scope for a picker, indented by depth below the scope's top.
async fn unit_options(
    st: &AppState,
    scope: &Scope<AccountManage>,
) -> AppResult<Vec<(i64, String)>> {
    let list = units::options(&st.db, scope, UNIT_OPTIONS).await?;
    let top = list.iter().map(|u| u.depth).min().unwrap_or(0);
    Ok(list
        .into_iter()
        .map(|u| {
            (
                u.id,
                format!(
                    "{}{}",
                    "\u{2003}".repeat((u.depth - top).max(0) as usize),
                    u.name
                ),
            )
        })
        .collect())
}

/// A role and unit chosen in a form; an empty role means none.
fn parse_role(role: &str, unit: &str) -> AppResult<Option<(Role, i64)>> {
    if role.trim().is_empty() {
        return Ok(None);
    }
    let role = Role::parse(role).ok_or(AppError::Invalid("err.role"))?;
    let unit = unit
        .trim()
        .parse()
        .map_err(|_| AppError::Invalid("err.unit_unknown"))?;
    Ok(Some((role, unit)))
}

/// Splits input errors (shown on the form, 422) from everything else.
fn form_error(e: AppError) -> AppResult<&'static str> {
    match e {
        AppError::Invalid(k) | AppError::Conflict(k) => Ok(k),
        other => Err(other),
    }
}

fn is_locked(a: &Account) -> bool {
    a.locked_until > store::now_ms()
}

struct Row {
    id: i64,
    display_name: String,
    username: String,
    person_id: Option<i64>,
    roles: Vec<String>,
    totp: bool,
    disabled: bool,
    locked: bool,
}

#[derive(Template)]
#[template(path = "accounts/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<Row>,
    can_manage: bool,
    can_see_people: bool,
    notice: Option<&'static str>,
}

async fn list_page(
    State(st): State<AppState>,
    a: Authz<AccountView>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let t = a.t();
    let listed = accounts::list(&st.db, &a.scope).await?;
    let rows = listed
        .into_iter()
        .map(|l| Row {
            locked: is_locked(&l.account),
            roles: l
                .grants
                .iter()
                .map(|(r, unit)| format!("{} — {}", t.s(&r.label_key()), unit))
                .collect(),
            id: l.account.id,
            display_name: l.account.display_name,
            username: l.account.username,
            person_id: l.account.person_id,
            totp: l.account.totp_enabled,
            disabled: l.account.disabled,
        })
        .collect();
    let g = &a.user.id.grants;
    let page = ListPage {
        page: Page::new(&a.user, t.s("accounts.title"), "accounts"),
        rows,
        can_manage: g.scope::<AccountManage>().is_some(),
        can_see_people: g.allows(domain::Action::PersonView),
        notice: notice_key(q.done.as_deref()),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize, Default)]
struct NewForm {
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_id: String,
}

#[derive(Template)]
#[template(path = "accounts/new.html")]
struct NewPage {
    page: Page,
    candidates: Vec<Candidate>,
    roles: Vec<(&'static str, String)>,
    units: Vec<(i64, String)>,
    form: NewForm,
    error: Option<&'static str>,
}

async fn render_new(
    st: &AppState,
    a: &Authz<AccountManage>,
    form: NewForm,
    error: Option<&'static str>,
) -> AppResult<Response> {
    let page = NewPage {
        page: Page::new(&a.user, a.t().s("accounts.new.title"), "accounts"),
        candidates: accounts::people_without_account(&st.db, &a.scope, PEOPLE_OPTIONS).await?,
        roles: grantable(&a.user.id.grants),
        units: unit_options(st, &a.scope).await?,
        // Passwords are never sent back to the browser.
        form: NewForm {
            password: String::new(),
            password2: String::new(),
            ..form
        },
        error,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html(&page)?).into_response())
}

async fn new_page(State(st): State<AppState>, a: Authz<AccountManage>) -> AppResult<Response> {
    render_new(&st, &a, NewForm::default(), None).await
}

async fn create(
    State(st): State<AppState>,
    a: Authz<AccountManage>,
    CsrfForm(f): CsrfForm<NewForm>,
) -> AppResult<Response> {
    let attempt = async {
        let pid: i64 = f
            .person_id
            .trim()
            .parse()
            .map_err(|_| AppError::Invalid("err.person_unknown"))?;
        let first_role = parse_role(&f.role, &f.unit_id)?;
        if f.password != f.password2 {
            return Err(AppError::Invalid("err.password_mismatch"));
        }
        let person = people::get(&st.db, &a.scope, pid)
            .await
            .map_err(|_| AppError::Invalid("err.person_unknown"))?;
        let new = NewAccount {
            username: f.username.clone(),
            display_name: person.full_name,
            person_id: Some(pid),
            password: f.password.clone(),
        };
        Ok(accounts::create_with_role(
            &st.db,
            &a.scope,
            &a.user.id.grants,
            &a.actor(),
            &new,
            first_role,
        )
        .await?)
    };
    match attempt.await {
        Ok(id) => Ok(Redirect::to(&format!("/accounts/{id}?done=created")).into_response()),
        Err(e) => {
            let key = form_error(e)?;
            render_new(&st, &a, f, Some(key)).await
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_notice_has_a_message() {
        for code in [
            "created", "granted", "revoked", "password", "totp", "disabled", "enabled",
        ] {
            let key = super::notice_key(Some(code)).expect("known code");
            assert!(crate::i18n::has(key), "{key}");
        }
        assert_eq!(super::notice_key(Some("<script>")), None);
    }
}
