//! A register's settings: what the date line and header print (place, cơ quan chủ quản,
//! issuing body) and, for bodies numbering in the Party format, the committee terms (nhiệm
//! kỳ) within which each document type counts from 01. Both are configuration with their
//! source, never constants: the term boundaries come from the organisation's congress.
//!
//! Reading needs `PartnerView` over the organisation, changing needs `PartnerManage`, as for
//! the registers themselves. Bad input re-renders the page with the message and saves nothing.

use super::viewer_can_write;
use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Authz, User};
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::values::{DocFormat, format_date, parse_date};
use serde::Deserialize;
use store::registers::{self, Settings, StoredTerm};
use store::scope::{PartnerManage, PartnerView};
use store::units::{self, Unit};

#[derive(Template)]
#[template(path = "registers/settings.html")]
struct SettingsPage {
    page: Page,
    org: Unit,
    party_format: bool,
    settings: Settings,
    terms: Vec<TermRow>,
    can_write: bool,
    notice: Option<&'static str>,
    error: Option<&'static str>,
    /// What the person typed into the term form, kept when it is refused.
    term_form: TermForm,
}

struct TermRow {
    start: String,
    end: String,
    source: String,
}

impl TermRow {
    fn of(t: &StoredTerm) -> TermRow {
        TermRow {
            start: format_date(t.term.start),
            end: t.term.end.map(format_date).unwrap_or_default(),
            source: t.source.clone(),
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub(super) struct TermForm {
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    source: String,
}

#[derive(Deserialize)]
pub(super) struct SettingsForm {
    place: String,
    #[serde(default)]
    parent_name: String,
    issuer_name: String,
}

#[derive(Deserialize)]
pub(super) struct Done {
    done: Option<String>,
}

async fn render(
    st: &AppState,
    user: &User,
    org: Unit,
    notice: Option<&'static str>,
    error: Option<&'static str>,
    term_form: TermForm,
) -> AppResult<Response> {
    let settings = registers::settings(&st.db, &org).await?;
    let terms = registers::terms(&st.db, org.id).await?;
    let page = SettingsPage {
        page: Page::new(user, user.t().s("reg.settings"), "registers"),
        party_format: org.doc_format == Some(DocFormat::Hd36),
        can_write: viewer_can_write(user, &org),
        org,
        settings,
        terms: terms.iter().map(TermRow::of).collect(),
        notice,
        error,
        term_form,
    };
    let mut resp = html(&page)?.into_response();
    if error.is_some() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// `GET /registers/{org}/settings`
pub(super) async fn show(
    State(st): State<AppState>,
    a: Authz<PartnerView>,
    Path(org): Path<i64>,
    Query(d): Query<Done>,
) -> AppResult<Response> {
    let org = units::get(&st.db, &a.scope, org).await?;
    let notice = match d.done.as_deref() {
        Some("settings") => Some("reg.settings_saved"),
        Some("term") => Some("reg.term_added"),
        _ => None,
    };
    render(&st, &a.user, org, notice, None, TermForm::default()).await
}

/// `POST /registers/{org}/settings`
pub(super) async fn save(
    State(st): State<AppState>,
    m: Authz<PartnerManage>,
    Path(org): Path<i64>,
    CsrfForm(f): CsrfForm<SettingsForm>,
) -> AppResult<Response> {
    let unit = units::get(&st.db, &m.scope, org).await?;
    let s = Settings {
        org_id: unit.id,
        place: f.place,
        parent_name: Some(f.parent_name).filter(|p| !p.trim().is_empty()),
        issuer_name: f.issuer_name,
    };
    match registers::set_settings(&st.db, &m.scope, &m.actor(), &s).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/registers/{}/settings?done=settings", unit.id)).into_response(),
        ),
        Err(store::Error::Invalid(k)) => {
            render(&st, &m.user, unit, None, Some(k), TermForm::default()).await
        }
        Err(e) => Err(AppError::from(e)),
    }
}

/// `POST /registers/{org}/terms`: adds a committee term; terms must not overlap.
pub(super) async fn add_term(
    State(st): State<AppState>,
    m: Authz<PartnerManage>,
    Path(org): Path<i64>,
    CsrfForm(f): CsrfForm<TermForm>,
) -> AppResult<Response> {
    let unit = units::get(&st.db, &m.scope, org).await?;
    let parsed = (|| {
        let start = parse_date(&f.start).map_err(|_| "err.reg_term_start")?;
        let end = match f.end.trim() {
            "" => None,
            e => Some(parse_date(e).map_err(|_| "err.reg_term_end")?),
        };
        if end.is_some_and(|e| e <= start) {
            return Err("err.reg_term_order");
        }
        if f.source.trim().is_empty() {
            return Err("err.reg_term_source");
        }
        Ok(vanban::Term { start, end })
    })();
    let term = match parsed {
        Ok(t) => t,
        Err(k) => return render(&st, &m.user, unit, None, Some(k), f).await,
    };
    match registers::add_term(&st.db, &m.scope, &m.actor(), unit.id, term, &f.source).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/registers/{}/settings?done=term", unit.id)).into_response())
        }
        Err(store::Error::Invalid(k)) => render(&st, &m.user, unit, None, Some(k), f).await,
        Err(e) => Err(AppError::from(e)),
    }
}
