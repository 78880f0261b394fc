//! Adding a person and editing a person's details. Invalid input comes back on the same form
//! with the message next to the field and everything typed kept; nothing is saved.

use super::{UnitOption, frame, parse_id, unit_options};
use crate::AppState;
use crate::auth::Authz;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::i18n::T;
use crate::view::{Page, html, today};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use domain::values::{self, Email, Gender, PersonStatus, Phone};
use serde::Deserialize;
use store::people::{self, Person, PersonInput};
use store::scope::PersonManage;
use store::units;

/// Longest position title accepted; real titles are far shorter.
const POSITION_MAX: usize = 200;

/// The form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PersonFields {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    pub party_member: Option<String>,
    pub self_defence: Option<String>,
    pub fire_force: Option<String>,
    #[serde(default)]
    pub since: String,
}

/// A field and the catalog key of what is wrong with it.
pub(crate) type FieldErrors = Vec<(&'static str, &'static str)>;

/// A date typed as dd/mm/yyyy (or sent as yyyy-mm-dd by a date picker); empty is none.
fn optional<T>(
    s: &str,
    parse: impl Fn(&str) -> Result<T, values::Invalid>,
) -> Result<Option<T>, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        Ok(None)
    } else {
        parse(s).map(Some).map_err(|e| e.key)
    }
}

impl PersonFields {
    fn of(p: &Person) -> PersonFields {
        let flag = |b: bool| b.then(|| "1".to_owned());
        PersonFields {
            full_name: p.full_name.clone(),
            gender: p.gender.code().into(),
            birth_date: p
                .birth_date
                .as_ref()
                .map(crate::view::date)
                .unwrap_or_default(),
            position: p.position.clone(),
            unit: p.unit_id.to_string(),
            phone: p.phone.clone().unwrap_or_default(),
            email: p.email.clone().unwrap_or_default(),
            party_member: flag(p.party_member),
            self_defence: flag(p.self_defence),
            fire_force: flag(p.fire_force),
            since: String::new(),
        }
    }

    /// Parses every field, collecting every problem rather than stopping at the first.
    /// `unit_id` is the person's current unit when editing (the unit changes by a move).
    fn parse(
        &self,
        today: NaiveDate,
        unit_id: Option<i64>,
        status: PersonStatus,
    ) -> Result<(PersonInput, NaiveDate), FieldErrors> {
        let mut errs: FieldErrors = Vec::new();
        let mut check = |field: &'static str, r: Result<(), &'static str>| {
            if let Err(k) = r {
                errs.push((field, k));
            }
        };
        let full_name = values::parse_full_name(&self.full_name);
        check(
            "full_name",
            full_name.as_ref().map(|_| ()).map_err(|e| e.key),
        );
        let gender = Gender::parse(&self.gender);
        check("gender", gender.as_ref().map(|_| ()).map_err(|e| e.key));
        let birth = optional(&self.birth_date, |s| values::parse_birth_date(s, today));
        check("birth_date", birth.as_ref().map(|_| ()).map_err(|k| *k));
        let position = self
            .position
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        check(
            "position",
            if position.chars().count() > POSITION_MAX {
                Err("people.err.position")
            } else {
                Ok(())
            },
        );
        let unit = unit_id.or_else(|| self.unit.trim().parse().ok());
        check(
            "unit",
            if unit.is_some() {
                Ok(())
            } else {
                Err("people.err.unit_required")
            },
        );
        let phone = optional(&self.phone, Phone::parse);
        check("phone", phone.as_ref().map(|_| ()).map_err(|k| *k));
        let email = optional(&self.email, Email::parse);
        check("email", email.as_ref().map(|_| ()).map_err(|k| *k));
        let since = if unit_id.is_some() {
            Ok(Some(today))
        } else {
            optional(&self.since, values::parse_date)
        };
        check("since", since.as_ref().map(|_| ()).map_err(|k| *k));
        match (full_name, gender, birth, unit, phone, email, since) {
            (
                Ok(full_name),
                Ok(gender),
                Ok(birth_date),
                Some(unit_id),
                Ok(phone),
                Ok(email),
                Ok(since),
            ) if errs.is_empty() => Ok((
                PersonInput {
                    full_name,
                    gender,
                    birth_date,
                    position,
                    unit_id,
                    phone,
                    email,
                    party_member: self.party_member.is_some(),
                    self_defence: self.self_defence.is_some(),
                    fire_force: self.fire_force.is_some(),
                    status,
                },
                since.unwrap_or(today),
            )),
            _ => Err(errs),
        }
    }
}

#[derive(Template)]
#[template(path = "people/form.html")]
struct FormPage {
    page: Page,
    /// Where the form posts.
    action: String,
    /// Where "cancel" goes.
    back: String,
    editing: bool,
    f: PersonFields,
    errors: FieldErrors,
    units: Vec<UnitOption>,
    genders: Vec<(&'static str, &'static str)>,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, k)| *k)
    }
    fn unit_selected(&self, id: &i64) -> bool {
        self.f.unit.trim() == id.to_string()
    }
}

fn genders(t: T) -> Vec<(&'static str, &'static str)> {
    Gender::ALL
        .iter()
        .map(|g| (g.code(), t.s(&g.label_key())))
        .collect()
}

async fn render(
    st: &AppState,
    a: &Authz<PersonManage>,
    editing: Option<&Person>,
    f: PersonFields,
    errors: FieldErrors,
) -> AppResult<Response> {
    let t = a.t();
    let units = if editing.is_some() {
        Vec::new()
    } else {
        unit_options(&units::options(&st.db, &a.scope, super::UNIT_OPTIONS_LIMIT).await?)
    };
    let (title, action, back) = match editing {
        Some(p) => (
            t.f("people.edit.title", &p.full_name),
            format!("/people/{}/edit", p.id),
            format!("/people/{}", p.id),
        ),
        None => (
            t.s("people.new.title").to_owned(),
            "/people/new".to_owned(),
            "/people".to_owned(),
        ),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        page: frame(&a.user, title),
        action,
        back,
        editing: editing.is_some(),
        f,
        errors,
        units,
        genders: genders(t),
    };
    Ok((status, html(&page)?).into_response())
}

/// A store refusal that belongs to one field of the form.
fn field_of(e: store::Error) -> Result<(&'static str, &'static str), AppError> {
    match e {
        store::Error::Invalid(k @ ("err.unit_unknown" | "err.person_unit_province")) => {
            Ok(("unit", k))
        }
        store::Error::Invalid(k) => Ok(("full_name", k)),
        other => Err(other.into()),
    }
}

pub(super) async fn new_page(
    State(st): State<AppState>,
    a: Authz<PersonManage>,
) -> AppResult<Response> {
    let f = PersonFields {
        gender: Gender::Male.code().into(),
        since: crate::view::date(&today()),
        ..Default::default()
    };
    render(&st, &a, None, f, Vec::new()).await
}

pub(super) async fn create(
    State(st): State<AppState>,
    a: Authz<PersonManage>,
    CsrfForm(f): CsrfForm<PersonFields>,
) -> AppResult<Response> {
    let (input, since) = match f.parse(today(), None, PersonStatus::Working) {
        Ok(v) => v,
        Err(errs) => return render(&st, &a, None, f, errs).await,
    };
    match people::create(&st.db, &a.scope, &a.actor(), &input, since).await {
        Ok(p) => Ok(Redirect::to(&format!("/people/{}?done=created", p.id)).into_response()),
        Err(e) => {
            let fe = field_of(e)?;
            render(&st, &a, None, f, vec![fe]).await
        }
    }
}

pub(super) async fn edit_page(
    State(st): State<AppState>,
    a: Authz<PersonManage>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let p = people::get(&st.db, &a.scope, parse_id(&id)?).await?;
    render(&st, &a, Some(&p), PersonFields::of(&p), Vec::new()).await
}

pub(super) async fn update(
    State(st): State<AppState>,
    a: Authz<PersonManage>,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<PersonFields>,
) -> AppResult<Response> {
    let p = people::get(&st.db, &a.scope, parse_id(&id)?).await?;
    let (input, _) = match f.parse(today(), Some(p.unit_id), p.status) {
        Ok(v) => v,
        Err(errs) => return render(&st, &a, Some(&p), f, errs).await,
    };
    match people::update(&st.db, &a.scope, &a.actor(), p.id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{}?done=saved", p.id)).into_response()),
        Err(e) => {
            let fe = field_of(e)?;
            render(&st, &a, Some(&p), f, vec![fe]).await
        }
    }
}
