//! The forms that add, change and remove organisation events. Who may use them is decided in
//! `store::events` (viewing needs `UnitView`, changing needs `PersonManage`); a rejected form
//! comes back as typed with its message and status 422, and nothing is saved.

use super::grid::Month;
use crate::AppState;
use crate::auth::User;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::view::{Page, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::events::{self, EventInput, EventKind, OrgEvent};
use store::scope::{PersonManage, UnitView};
use store::units::{self, Unit};
use store::{Db, Scope};

/// Units offered as holders; a province has about two thousand organisations.
const UNIT_LIMIT: i64 = 3000;

/// The event form as typed, kept as text so a rejected form comes back as it was sent.
#[derive(Deserialize, Default, Clone)]
pub(crate) struct EventForm {
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub note: String,
}

impl EventForm {
    fn of(e: &OrgEvent) -> EventForm {
        EventForm {
            unit_id: e.unit_id.to_string(),
            title: e.title.clone(),
            kind: e.kind.code().to_owned(),
            starts_on: e.starts_on.to_string(),
            ends_on: e.ends_on.to_string(),
            location: e.location.clone().unwrap_or_default(),
            note: e.note.clone().unwrap_or_default(),
        }
    }

    /// A blank form starting on `day`.
    pub fn starting(day: &str) -> EventForm {
        EventForm {
            starts_on: day.to_owned(),
            ends_on: day.to_owned(),
            kind: EventKind::Meeting.code().to_owned(),
            ..EventForm::default()
        }
    }

    /// Parses the typed values; the unit, title and dates are checked again by the store.
    fn input(&self) -> Result<EventInput, &'static str> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|v| !v.is_empty());
        let unit_id = self
            .unit_id
            .trim()
            .parse()
            .map_err(|_| "err.unit_unknown")?;
        let kind = EventKind::parse(&self.kind).map_err(|_| "err.event_kind")?;
        let date = |s: &str| domain::values::parse_date(s).map_err(|e| e.key);
        let input = EventInput {
            unit_id,
            title: self.title.trim().to_owned(),
            kind,
            starts_on: date(&self.starts_on)?,
            ends_on: date(&self.ends_on)?,
            location: text(&self.location),
            note: text(&self.note),
        };
        input.check().map_err(|e| match e {
            store::Error::Invalid(k) => k,
            _ => "err.form",
        })?;
        Ok(input)
    }
}

/// Units an event may be held by: the tops of the manager's scope and the organisations in
/// it (the province's manager can hold an event for every organisation at once).
pub(crate) async fn unit_choices(
    db: &Db,
    user: &User,
    scope: &Scope<PersonManage>,
) -> AppResult<Vec<Unit>> {
    let mut out = units::scope_roots(db, scope).await?;
    if let Some(view) = scope.narrow::<UnitView>(&user.id.grants) {
        let (orgs, _) = units::organisations(db, &view, None, None, UNIT_LIMIT).await?;
        for o in orgs {
            if !out.iter().any(|u| u.id == o.id) {
                out.push(o);
            }
        }
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "calendar/event.html")]
struct EventPage {
    page: Page,
    /// The stored event; `None` on the page that adds one.
    event: Option<OrgEvent>,
    can_edit: bool,
    units: Vec<Unit>,
    form: EventForm,
    kinds: &'static [EventKind],
    error: Option<&'static str>,
    notice: Option<&'static str>,
}

impl EventPage {
    fn span(&self, e: &OrgEvent) -> String {
        super::span_text(e.starts_on, e.ends_on)
    }
    fn month_link(&self, e: &OrgEvent) -> String {
        format!("/calendar?month={}", Month::of(e.starts_on).code())
    }
}

#[derive(Deserialize, Default)]
pub(super) struct NewQuery {
    date: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct DoneQuery {
    done: Option<String>,
}

async fn render(
    st: &AppState,
    user: &User,
    event: Option<OrgEvent>,
    form: Option<EventForm>,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    status: StatusCode,
) -> AppResult<Response> {
    let t = user.t();
    let manage = user.id.grants.scope::<PersonManage>();
    let can_edit = match (&manage, &event) {
        (Some(m), Some(e)) => m.contains_path(&e.unit_path),
        (Some(_), None) => true,
        (None, _) => false,
    };
    let units = match &manage {
        Some(m) if can_edit => unit_choices(&st.db, user, m).await?,
        _ => Vec::new(),
    };
    let title = match &event {
        Some(e) => e.title.clone(),
        None => t.s("cal.event.add").to_owned(),
    };
    let form = form.unwrap_or_else(|| event.as_ref().map(EventForm::of).unwrap_or_default());
    let page = EventPage {
        page: Page::new(user, title, "calendar"),
        event,
        can_edit,
        units,
        form,
        kinds: EventKind::ALL,
        error,
        notice,
    };
    Ok((status, html(&page)?).into_response())
}

fn manage_scope(user: &User) -> AppResult<Scope<PersonManage>> {
    user.id
        .grants
        .scope::<PersonManage>()
        .ok_or(AppError::Forbidden)
}

/// `GET /calendar/events/new`: the form on its own page.
pub(super) async fn new(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    manage_scope(&user)?;
    let day = q
        .date
        .as_deref()
        .and_then(|d| super::convert::parse_solar(d).ok())
        .unwrap_or_else(crate::view::today);
    let form = EventForm::starting(&day.to_string());
    render(&st, &user, None, Some(form), None, None, StatusCode::OK).await
}

/// `POST /calendar/events`.
pub(super) async fn create(
    State(st): State<AppState>,
    user: User,
    CsrfForm(f): CsrfForm<EventForm>,
) -> AppResult<Response> {
    let scope = manage_scope(&user)?;
    let result = match f.input() {
        Ok(input) => events::create(&st.db, &scope, &user.actor(), &input)
            .await
            .map(|_| input.starts_on),
        Err(key) => Err(store::Error::Invalid(key)),
    };
    match result {
        Ok(day) => Ok(Redirect::to(&format!(
            "/calendar?month={}&done=created#events",
            Month::of(day).code()
        ))
        .into_response()),
        Err(store::Error::Invalid(key)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&st, &user, None, Some(f), Some(key), None, status).await
        }
        Err(e) => Err(e.into()),
    }
}

fn view_scope(user: &User) -> AppResult<Scope<UnitView>> {
    user.id
        .grants
        .scope::<UnitView>()
        .ok_or(AppError::Forbidden)
}

/// `GET /calendar/events/{id}`: the event, with the forms for those who may change it.
pub(super) async fn show(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let event = events::get(&st.db, &view_scope(&user)?, id).await?;
    let notice = match q.done.as_deref() {
        Some("saved") => Some("cal.event.saved"),
        _ => None,
    };
    render(&st, &user, Some(event), None, None, notice, StatusCode::OK).await
}

/// `POST /calendar/events/{id}`.
pub(super) async fn update(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<EventForm>,
) -> AppResult<Response> {
    let scope = manage_scope(&user)?;
    let current = events::get(&st.db, &view_scope(&user)?, id).await?;
    if !scope.contains_path(&current.unit_path) {
        return Err(AppError::NotFound);
    }
    let result = match f.input() {
        Ok(input) => events::update(&st.db, &scope, &user.actor(), id, &input).await,
        Err(key) => Err(store::Error::Invalid(key)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/calendar/events/{id}?done=saved")).into_response()),
        Err(store::Error::Invalid(key)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&st, &user, Some(current), Some(f), Some(key), None, status).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct Nothing {}

/// `POST /calendar/events/{id}/delete`.
pub(super) async fn delete(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Nothing>,
) -> AppResult<Response> {
    let scope = manage_scope(&user)?;
    let current = events::get(&st.db, &view_scope(&user)?, id).await?;
    events::delete(&st.db, &scope, &user.actor(), id).await?;
    Ok(Redirect::to(&format!(
        "/calendar?month={}&done=deleted#events",
        Month::of(current.starts_on).code()
    ))
    .into_response())
}
