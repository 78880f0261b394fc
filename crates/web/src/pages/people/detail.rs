//! The person page: every detail, the dated history, and for those who manage the person the
//! forms to move them to another unit and to change their status, each with its own date.

use super::{UnitOption, frame, notice, parse_id, status_choices, status_class, unit_options};
use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::i18n::T;
use crate::view::{Page, date, html, today};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::values::{self, PersonStatus};
use serde::Deserialize;
use store::Scope;
use store::people::{self, HistoryEntry, Person};
use store::scope::{PersonManage, PersonView};
use store::units;

/// The move form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct MoveFields {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    note: String,
}

/// The status form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct StatusFields {
    #[serde(default)]
    status: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    note: String,
}

/// One line of the history, ready to show.
struct HistRow {
    date: String,
    what: String,
    detail: String,
    note: String,
}

fn hist_row(t: T, h: &HistoryEntry) -> HistRow {
    let status = |s: &Option<String>| s.as_deref().map(|c| t.k("status", c)).unwrap_or_default();
    let detail = match h.kind.as_str() {
        "joined" => {
            let mut parts: Vec<String> = h.to_unit.iter().cloned().collect();
            parts.extend(h.position.iter().filter(|p| !p.is_empty()).cloned());
            parts.join(" · ")
        }
        "moved" => format!(
            "{} → {}",
            h.from_unit.as_deref().unwrap_or("—"),
            h.to_unit.as_deref().unwrap_or("—")
        ),
        "status" => status(&h.status),
        "position" => h.position.clone().unwrap_or_default(),
        _ => String::new(),
    };
    HistRow {
        date: date(&h.effective_date),
        what: t.k("people.history.kind", &h.kind),
        detail,
        note: h.note.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage {
    page: Page,
    p: Person,
    gender: &'static str,
    birth: String,
    status: &'static str,
    status_class: &'static str,
    history: Vec<HistRow>,
    manage: bool,
    notice: Option<String>,
    move_units: Vec<UnitOption>,
    mv: MoveFields,
    mv_err: Option<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    st: StatusFields,
    st_err: Option<(&'static str, &'static str)>,
}

impl ShowPage {
    fn mv_err(&self, field: &str) -> Option<&'static str> {
        self.mv_err.filter(|(f, _)| *f == field).map(|(_, k)| k)
    }
    fn st_err(&self, field: &str) -> Option<&'static str> {
        self.st_err.filter(|(f, _)| *f == field).map(|(_, k)| k)
    }
    fn yes_no(&self, b: &bool) -> &'static str {
        self.page.t.s(if *b { "common.yes" } else { "common.no" })
    }
}

/// Where the viewer may manage this person, if anywhere.
fn manage_scope(a: &Authz<PersonView>, p: &Person) -> Option<Scope<PersonManage>> {
    a.user
        .id
        .grants
        .scope::<PersonManage>()
        .filter(|s| s.contains_path(&p.unit_path))
}

/// Which form failed, and how, when the page is shown again after a refused change.
enum Failed {
    None,
    Move(MoveFields, (&'static str, &'static str)),
    Status(StatusFields, (&'static str, &'static str)),
}

async fn render(
    st: &AppState,
    a: &Authz<PersonView>,
    p: Person,
    notice: Option<String>,
    failed: Failed,
) -> AppResult<Response> {
    let t = a.t();
    let history = people::history(&st.db, &a.scope, p.id).await?;
    let manage = manage_scope(a, &p);
    let move_units = match &manage {
        Some(s) => unit_options(&units::options(&st.db, s, super::UNIT_OPTIONS_LIMIT).await?)
            .into_iter()
            .filter(|u| u.id != p.unit_id)
            .collect(),
        None => Vec::new(),
    };
    let today = date(&today());
    let blank_move = MoveFields {
        date: today.clone(),
        ..Default::default()
    };
    let blank_status = StatusFields {
        date: today,
        ..Default::default()
    };
    let (mv, mv_err, stf, st_err, code) = match failed {
        Failed::None => (blank_move, None, blank_status, None, StatusCode::OK),
        Failed::Move(f, e) => (
            f,
            Some(e),
            blank_status,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Failed::Status(f, e) => (
            blank_move,
            None,
            f,
            Some(e),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let page = ShowPage {
        page: frame(&a.user, p.full_name.clone()),
        gender: t.s(&p.gender.label_key()),
        birth: p.birth_date.as_ref().map(date).unwrap_or_default(),
        status: t.s(&p.status.label_key()),
        status_class: status_class(p.status),
        history: history.iter().map(|h| hist_row(t, h)).collect(),
        manage: manage.is_some(),
        notice,
        move_units,
        mv,
        mv_err,
        statuses: status_choices(t)
            .into_iter()
            .filter(|(c, _)| *c != p.status.code())
            .collect(),
        st: stf,
        st_err,
        p,
    };
    Ok((code, html(&page)?).into_response())
}

#[derive(Deserialize, Default)]
pub(super) struct Done {
    done: Option<String>,
}

pub(super) async fn show(
    State(st): State<AppState>,
    a: Authz<PersonView>,
    Path(id): Path<String>,
    Query(d): Query<Done>,
) -> AppResult<Response> {
    let p = people::get(&st.db, &a.scope, parse_id(&id)?).await?;
    let n = notice(a.t(), d.done.as_deref(), None);
    render(&st, &a, p, n, Failed::None).await
}

/// The person and the scope to change them in; someone who may see but not manage the person
/// is refused, someone who may not see them does not find them.
async fn managed(
    st: &AppState,
    a: &Authz<PersonView>,
    id: &str,
) -> AppResult<(Person, Scope<PersonManage>)> {
    let p = people::get(&st.db, &a.scope, parse_id(id)?).await?;
    let scope = manage_scope(a, &p).ok_or(AppError::Forbidden)?;
    Ok((p, scope))
}

fn note_of(s: &str) -> Result<Option<String>, &'static str> {
    let s = s.trim();
    if s.chars().count() > 500 {
        Err("people.err.note")
    } else {
        Ok(Some(s.to_owned()).filter(|s| !s.is_empty()))
    }
}

pub(super) async fn move_person(
    State(st): State<AppState>,
    a: Authz<PersonView>,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<MoveFields>,
) -> AppResult<Response> {
    let (p, scope) = managed(&st, &a, &id).await?;
    let parsed = (|| {
        let unit: i64 = f
            .unit
            .trim()
            .parse()
            .map_err(|_| ("unit", "people.err.unit_required"))?;
        let day = values::parse_date(&f.date).map_err(|e| ("date", e.key))?;
        let note = note_of(&f.note).map_err(|k| ("note", k))?;
        Ok::<_, (&'static str, &'static str)>((unit, day, note))
    })();
    let (unit, day, note) = match parsed {
        Ok(v) => v,
        Err(e) => return render(&st, &a, p, None, Failed::Move(f, e)).await,
    };
    match people::move_to(&st.db, &scope, &a.actor(), p.id, unit, day, note.as_deref()).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{}?done=moved", p.id)).into_response()),
        Err(store::Error::Invalid(k)) => {
            render(&st, &a, p, None, Failed::Move(f, ("unit", k))).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn change_status(
    State(st): State<AppState>,
    a: Authz<PersonView>,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<StatusFields>,
) -> AppResult<Response> {
    let (p, scope) = managed(&st, &a, &id).await?;
    let parsed = (|| {
        let status = PersonStatus::parse(&f.status).map_err(|e| ("status", e.key))?;
        let day = values::parse_date(&f.date).map_err(|e| ("date", e.key))?;
        let note = note_of(&f.note).map_err(|k| ("note", k))?;
        Ok::<_, (&'static str, &'static str)>((status, day, note))
    })();
    let (status, day, note) = match parsed {
        Ok(v) => v,
        Err(e) => return render(&st, &a, p, None, Failed::Status(f, e)).await,
    };
    match people::set_status(
        &st.db,
        &scope,
        &a.actor(),
        p.id,
        status,
        day,
        note.as_deref(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/people/{}?done=status", p.id)).into_response()),
        Err(store::Error::Invalid(k)) => {
            render(&st, &a, p, None, Failed::Status(f, ("status", k))).await
        }
        Err(e) => Err(e.into()),
    }
}
