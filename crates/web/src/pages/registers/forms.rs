//! The forms that issue an outgoing document and register an incoming one. A rejected form
//! comes back as typed with its message and status 422, and nothing is saved; a manual number
//! that repeats one of its series comes back with a box to confirm it.

use super::parse_direction;
use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::registers::{self, Direction, IncomingInput, Level, OutgoingInput, Urgency};
use store::scope::PartnerManage;
use store::units::{self, Unit};

/// Both forms as typed, kept as text.
#[derive(Deserialize, Default, Clone)]
pub(super) struct RegForm {
    #[serde(default)]
    pub doc_type: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub signer: String,
    #[serde(default)]
    pub signer_position: String,
    #[serde(default)]
    pub recipients: String,
    #[serde(default)]
    pub drafting_unit: String,
    #[serde(default)]
    pub keeper: String,
    #[serde(default)]
    pub secrecy: String,
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub copies: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub confirm: String,
    #[serde(default)]
    pub draft: String,
    #[serde(default)]
    pub sender: String,
    #[serde(default)]
    pub sender_number: String,
    #[serde(default)]
    pub sender_date: String,
    #[serde(default)]
    pub due_on: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|v| !v.is_empty())
}

fn day(s: &str) -> Result<Option<chrono::NaiveDate>, &'static str> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    domain::values::parse_date(s)
        .map(Some)
        .map_err(|_| "err.reg_date")
}

impl RegForm {
    fn levels(&self) -> Result<(Level, Urgency, i64), &'static str> {
        let secrecy = if self.secrecy.is_empty() {
            Level::None
        } else {
            Level::parse(&self.secrecy).map_err(|_| "err.reg_secrecy")?
        };
        let urgency = if self.urgency.is_empty() {
            Urgency::None
        } else {
            Urgency::parse(&self.urgency).map_err(|_| "err.reg_urgency")?
        };
        let copies = if self.copies.trim().is_empty() {
            1
        } else {
            self.copies.trim().parse().map_err(|_| "err.reg_copies")?
        };
        Ok((secrecy, urgency, copies))
    }

    fn outgoing(&self, org_id: i64) -> Result<OutgoingInput, &'static str> {
        let (secrecy, urgency, copies) = self.levels()?;
        let number = if self.number.trim().is_empty() {
            None
        } else {
            Some(self.number.trim().parse().map_err(|_| "err.reg_number")?)
        };
        Ok(OutgoingInput {
            org_id,
            doc_type: self.doc_type.clone(),
            doc_date: day(&self.date)?,
            title: self.title.clone(),
            content: opt(&self.content),
            signer: self.signer.clone(),
            signer_position: opt(&self.signer_position),
            recipients: self.recipients.lines().map(str::to_owned).collect(),
            drafting_unit: opt(&self.drafting_unit),
            keeper: opt(&self.keeper),
            secrecy: Some(secrecy),
            urgency: Some(urgency),
            copies,
            note: opt(&self.note),
            manual_number: number,
            confirm_duplicate: !self.confirm.is_empty(),
            draft: !self.draft.is_empty(),
        })
    }

    fn incoming(&self, org_id: i64) -> Result<IncomingInput, &'static str> {
        let (secrecy, urgency, copies) = self.levels()?;
        Ok(IncomingInput {
            org_id,
            doc_type: self.doc_type.clone(),
            sender: self.sender.clone(),
            sender_number: self.sender_number.clone(),
            sender_date: day(&self.sender_date)?,
            received_on: day(&self.date)?,
            title: self.title.clone(),
            signer: opt(&self.signer),
            secrecy: Some(secrecy),
            urgency: Some(urgency),
            copies,
            due_on: day(&self.due_on)?,
            note: opt(&self.note),
            confirm_duplicate: !self.confirm.is_empty(),
        })
    }
}

#[derive(Template)]
#[template(path = "registers/form.html")]
struct FormPage {
    page: Page,
    org: Unit,
    direction: Direction,
    form: RegForm,
    types: Vec<(&'static str, &'static str)>,
    levels: &'static [Level],
    urgencies: &'static [Urgency],
    error: Option<&'static str>,
    /// The error is a repeated number: offer to confirm.
    confirmable: bool,
}

fn render(
    a: &Authz<PartnerManage>,
    org: Unit,
    direction: Direction,
    form: RegForm,
    error: Option<&'static str>,
    status: StatusCode,
) -> AppResult<Response> {
    let t = a.t();
    let title = format!(
        "{} — {}",
        t.s(&format!("reg.new.{}", direction.code())),
        org.name
    );
    let types = vanban::DocumentType::ALL
        .iter()
        .map(|t| (t.code(), t.name()))
        .collect();
    let confirmable = matches!(
        error,
        Some("err.reg_number_used") | Some("err.reg_incoming_duplicate")
    );
    let page = FormPage {
        page: Page::new(&a.user, title, "registers"),
        org,
        direction,
        form,
        types,
        levels: Level::ALL,
        urgencies: Urgency::ALL,
        error,
        confirmable,
    };
    Ok((status, html(&page)?).into_response())
}

async fn managed_org(st: &AppState, a: &Authz<PartnerManage>, org: i64) -> AppResult<Unit> {
    Ok(units::get(&st.db, &a.scope, org).await?)
}

/// `GET /registers/{org}/{dir}/new`.
pub(super) async fn new(
    State(st): State<AppState>,
    a: Authz<PartnerManage>,
    Path((org, dir)): Path<(i64, String)>,
) -> AppResult<Response> {
    let direction = parse_direction(&dir)?;
    let org = managed_org(&st, &a, org).await?;
    let form = RegForm {
        date: crate::view::today().to_string(),
        copies: "1".into(),
        doc_type: if direction == Direction::Outgoing {
            "KH".into()
        } else {
            "CV".into()
        },
        ..RegForm::default()
    };
    render(&a, org, direction, form, None, StatusCode::OK)
}

/// `POST /registers/{org}/{dir}`: issues or registers, then shows the entry.
pub(super) async fn create(
    State(st): State<AppState>,
    a: Authz<PartnerManage>,
    Path((org, dir)): Path<(i64, String)>,
    CsrfForm(form): CsrfForm<RegForm>,
) -> AppResult<Response> {
    let direction = parse_direction(&dir)?;
    let org = managed_org(&st, &a, org).await?;
    let saved = match direction {
        Direction::Outgoing => match form.outgoing(org.id) {
            Ok(input) => registers::create_outgoing(&st.db, &a.scope, &a.actor(), &input).await,
            Err(k) => Err(store::Error::Invalid(k)),
        },
        Direction::Incoming => match form.incoming(org.id) {
            Ok(input) => registers::register_incoming(&st.db, &a.scope, &a.actor(), &input).await,
            Err(k) => Err(store::Error::Invalid(k)),
        },
    };
    match saved {
        Ok(s) => {
            let notice = s.warnings.first().copied().unwrap_or("reg.saved");
            Ok(
                Redirect::to(&format!("/registers/entries/{}?notice={notice}", s.id))
                    .into_response(),
            )
        }
        Err(store::Error::Invalid(k)) => render(
            &a,
            org,
            direction,
            form,
            Some(k),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(AppError::from(e)),
    }
}
