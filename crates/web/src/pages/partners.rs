//! Partner bodies: the provincial police, military command and fire service shared by every
//! organisation, and each organisation's own (the police squad guarding its headquarters, the
//! ward police), grouped by kind, with the forms to add and change them.

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Authz, User};
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::values::{Email, PartnerKind, Phone};
use serde::Deserialize;
use store::partners::{self, Partner, PartnerInput};
use store::scope::{PartnerManage, PartnerView, UnitView};
use store::units::{self, Unit};
use store::{Db, Scope};

/// Owners offered in the form; a province has about two thousand organisations.
const OWNER_LIMIT: i64 = 3000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/partners", get(index).post(create))
        .route("/partners/{id}", get(show))
        .route("/partners/{id}/edit", post(edit))
        .route("/partners/{id}/account", post(link_account))
}

/// The partner form as typed, kept as text so a rejected form comes back as it was sent.
#[derive(Deserialize, Default, Clone)]
struct PartnerForm {
    #[serde(default)]
    owner_unit_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact_person: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    note: String,
}

impl PartnerForm {
    fn of(p: &Partner) -> PartnerForm {
        PartnerForm {
            owner_unit_id: p.owner_unit_id.to_string(),
            kind: p.kind.code().to_owned(),
            name: p.name.clone(),
            contact_person: p.contact_person.clone().unwrap_or_default(),
            phone: p.phone.clone().unwrap_or_default(),
            email: p.email.clone().unwrap_or_default(),
            address: p.address.clone().unwrap_or_default(),
            note: p.note.clone().unwrap_or_default(),
        }
    }

    /// Parses the typed values; the owner is checked against the scope by the store.
    fn input(&self) -> Result<PartnerInput, &'static str> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|v| !v.is_empty());
        let owner_unit_id = self
            .owner_unit_id
            .trim()
            .parse()
            .map_err(|_| "err.unit_unknown")?;
        let kind = PartnerKind::parse(&self.kind).map_err(|e| e.key)?;
        let phone = text(&self.phone)
            .map(|s| Phone::parse(&s))
            .transpose()
            .map_err(|e| e.key)?;
        let email = text(&self.email)
            .map(|s| Email::parse(&s))
            .transpose()
            .map_err(|e| e.key)?;
        if self.name.trim().is_empty() {
            return Err("err.partner_name");
        }
        Ok(PartnerInput {
            owner_unit_id,
            kind,
            name: self.name.trim().to_owned(),
            contact_person: text(&self.contact_person),
            phone,
            email,
            address: text(&self.address),
            note: text(&self.note),
        })
    }
}

/// A stored national number grouped the way Vietnamese numbers are read: landlines (11 digits,
/// area code 02x) as 4-4-3, mobiles as 4-3-3.
pub(crate) fn phone_display(n: &str) -> String {
    let digits = n.chars().all(|c| c.is_ascii_digit());
    match n.len() {
        11 if digits => format!("{} {} {}", &n[..4], &n[4..8], &n[8..]),
        10 if digits => format!("{} {} {}", &n[..4], &n[4..7], &n[7..]),
        _ => n.to_owned(),
    }
}

/// The partners of one kind.
struct Group {
    kind: PartnerKind,
    items: Vec<Partner>,
}

#[derive(Template)]
#[template(path = "partners/index.html")]
struct IndexPage {
    page: Page,
    groups: Vec<Group>,
    editable: Vec<i64>,
    /// Present for holders of PartnerManage: the units a new partner may belong to.
    owners: Option<Vec<Unit>>,
    form: PartnerForm,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    kinds: &'static [PartnerKind],
}

impl IndexPage {
    fn phone(&self, n: &str) -> String {
        phone_display(n)
    }
    fn can_edit(&self, p: &Partner) -> bool {
        self.editable.contains(&p.id)
    }
}

#[derive(Template)]
#[template(path = "partners/show.html")]
struct ShowPage {
    page: Page,
    partner: Partner,
    can_edit: bool,
    form: PartnerForm,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    kinds: &'static [PartnerKind],
    /// Accounts acting for the partner (they see the plans naming it).
    accounts: Vec<String>,
}

impl ShowPage {
    fn phone(&self, n: &str) -> String {
        phone_display(n)
    }
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn notice_of(q: &DoneQuery) -> Option<&'static str> {
    match q.done.as_deref() {
        Some("saved") => Some("common.saved"),
        Some("created") => Some("partners.created"),
        _ => None,
    }
}

/// Units a partner may be kept by: the tops of the manager's scope and the organisations in
/// it (departments keep no partners of their own).
async fn owner_choices(db: &Db, user: &User, scope: &Scope<PartnerManage>) -> AppResult<Vec<Unit>> {
    let mut out = units::scope_roots(db, scope).await?;
    if let Some(view) = scope.narrow::<UnitView>(&user.id.grants) {
        let (orgs, _) = units::organisations(db, &view, None, None, OWNER_LIMIT).await?;
        for o in orgs {
            if !out.iter().any(|u| u.id == o.id) {
                out.push(o);
            }
        }
    }
    Ok(out)
}

async fn render_index(
    st: &AppState,
    user: &User,
    form: Option<PartnerForm>,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    status: StatusCode,
) -> AppResult<Response> {
    let view = user
        .id
        .grants
        .scope::<PartnerView>()
        .ok_or(AppError::Forbidden)?;
    let all = partners::list(&st.db, &view).await?;
    let groups = PartnerKind::ALL
        .iter()
        .map(|k| Group {
            kind: *k,
            items: all.iter().filter(|p| p.kind == *k).cloned().collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    let (editable, owners) = match user.id.grants.scope::<PartnerManage>() {
        Some(m) => (
            partners::manageable_ids(&st.db, &m).await?,
            Some(owner_choices(&st.db, user, &m).await?),
        ),
        None => (Vec::new(), None),
    };
    let page = IndexPage {
        page: Page::new(user, user.t().s("partners.title"), "partners"),
        groups,
        editable,
        owners,
        form: form.unwrap_or_default(),
        error,
        notice,
        kinds: PartnerKind::ALL,
    };
    Ok((status, html(&page)?).into_response())
}

async fn index(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    render_index(&st, &a.user, None, None, notice_of(&q), StatusCode::OK).await
}

async fn create(
    State(st): State<AppState>,
    a: Authz<PartnerManage>,
    CsrfForm(f): CsrfForm<PartnerForm>,
) -> AppResult<Response> {
    let result = match f.input() {
        Ok(input) => partners::create(&st.db, &a.scope, &a.actor(), &input).await,
        Err(key) => Err(store::Error::Invalid(key)),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/partners/{id}?done=created")).into_response()),
        Err(store::Error::Invalid(key)) => {
            render_index(
                &st,
                &a.user,
                Some(f),
                Some(key),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn render_show(
    st: &AppState,
    user: &User,
    id: i64,
    form: Option<PartnerForm>,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    status: StatusCode,
) -> AppResult<Response> {
    let view = user
        .id
        .grants
        .scope::<PartnerView>()
        .ok_or(AppError::Forbidden)?;
    let partner = partners::get(&st.db, &view, id).await?;
    let can_edit = match user.id.grants.scope::<PartnerManage>() {
        Some(m) => units::get(&st.db, &m, partner.owner_unit_id).await.is_ok(),
        None => false,
    };
    let accounts = store::plans::partner::accounts_of(&st.db, partner.id).await?;
    let page = ShowPage {
        page: Page::new(user, partner.name.clone(), "partners"),
        accounts,
        form: form.unwrap_or_else(|| PartnerForm::of(&partner)),
        partner,
        can_edit,
        error,
        notice,
        kinds: PartnerKind::ALL,
    };
    Ok((status, html(&page)?).into_response())
}

async fn show(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    render_show(&st, &a.user, id, None, None, notice_of(&q), StatusCode::OK).await
}

async fn edit(
    State(st): State<AppState>,
    a: Authz<PartnerManage>,
    Path(id): Path<i64>,
    CsrfForm(mut f): CsrfForm<PartnerForm>,
) -> AppResult<Response> {
    let view = a
        .user
        .id
        .grants
        .scope::<PartnerView>()
        .ok_or(AppError::Forbidden)?;
    let current = partners::get(&st.db, &view, id).await?;
    // A partner kept outside the managed subtree (a province-wide one, for an organisation's
    // officer) cannot be changed here, and is answered as the store answers: not found.
    units::get(&st.db, &a.scope, current.owner_unit_id)
        .await
        .map_err(|_| AppError::NotFound)?;
    // The owner does not change on edit: a partner moves by being added again elsewhere.
    f.owner_unit_id = current.owner_unit_id.to_string();
    let result = match f.input() {
        Ok(input) => partners::update(&st.db, &a.scope, &a.actor(), id, &input).await,
        Err(key) => Err(store::Error::Invalid(key)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/partners/{id}?done=saved")).into_response()),
        Err(store::Error::Invalid(key)) => {
            render_show(
                &st,
                &a.user,
                id,
                Some(f),
                Some(key),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
struct AccountForm {
    #[serde(default)]
    username: String,
}

/// `POST /partners/{id}/account`: an account (holding no role) acts for the partner and sees
/// the plans naming it.
async fn link_account(
    State(st): State<AppState>,
    a: Authz<PartnerManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<AccountForm>,
) -> AppResult<Response> {
    match store::plans::partner::link(&st.db, &a.scope, &a.actor(), id, &f.username).await {
        Ok(()) => Ok(Redirect::to(&format!("/partners/{id}?done=saved")).into_response()),
        Err(store::Error::Invalid(key)) => {
            render_show(
                &st,
                &a.user,
                id,
                None,
                Some(key),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn phones_read_in_groups() {
        assert_eq!(super::phone_display("02363822113"), "0236 3822 113");
        assert_eq!(super::phone_display("0912000113"), "0912 000 113");
        assert_eq!(super::phone_display("113"), "113");
    }
}
