//! Units and people through the API.

use crate::AppState;
use crate::api::ApiErrorBody;
use crate::auth::Authz;
use crate::error::AppResult;
use axum::Json;
use axum::extract::{Path, Query, State};
use domain::values::PersonStatus;
use serde::{Deserialize, Serialize};
use store::scope::{PersonView, UnitView};
use store::{people, units};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct UnitDto {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// province, organisation, department or team.
    pub kind: String,
    pub name: String,
    pub abbreviation: Option<String>,
    /// party_body, state_agency, enterprise or education (organisations only).
    pub org_kind: Option<String>,
    pub has_party_org: bool,
    /// nd30 or hd36 (organisations only).
    pub doc_format: Option<String>,
    pub depth: i64,
}

impl From<units::Unit> for UnitDto {
    fn from(u: units::Unit) -> Self {
        UnitDto {
            id: u.id,
            parent_id: u.parent_id,
            kind: u.kind.code().into(),
            name: u.name,
            abbreviation: u.abbreviation,
            org_kind: u.org_kind.map(|k| k.code().into()),
            has_party_org: u.has_party_org,
            doc_format: u.doc_format.map(|k| k.code().into()),
            depth: u.depth,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UnitList {
    pub items: Vec<UnitDto>,
}

#[derive(Deserialize, IntoParams)]
pub struct UnitQuery {
    /// List this unit and everything below it (default: the whole scope, up to 5,000 units).
    pub root: Option<i64>,
}

/// Units in the caller's scope, in tree order.
#[utoipa::path(get, path = "/units", operation_id = "listUnits", tag = "directory", params(UnitQuery),
    responses((status = 200, body = UnitList), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn list_units(
    State(st): State<AppState>,
    a: Authz<UnitView>,
    Query(q): Query<UnitQuery>,
) -> AppResult<Json<UnitList>> {
    let list = match q.root {
        Some(root) => units::subtree(&st.db, &a.scope, root, 5000).await?,
        None => units::options(&st.db, &a.scope, 5000).await?,
    };
    Ok(Json(UnitList {
        items: list.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct PersonDto {
    pub id: i64,
    pub full_name: String,
    /// male or female.
    pub gender: String,
    /// YYYY-MM-DD.
    pub birth_date: Option<String>,
    pub position: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub party_member: bool,
    pub self_defence: bool,
    pub fire_force: bool,
    /// working, transferred or retired.
    pub status: String,
}

impl From<people::Person> for PersonDto {
    fn from(p: people::Person) -> Self {
        PersonDto {
            id: p.id,
            full_name: p.full_name,
            gender: p.gender.code().into(),
            birth_date: p.birth_date.map(|d| d.to_string()),
            position: p.position,
            unit_id: p.unit_id,
            unit_name: p.unit_name,
            phone: p.phone,
            email: p.email,
            party_member: p.party_member,
            self_defence: p.self_defence,
            fire_force: p.fire_force,
            status: p.status.code().into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PersonPage {
    pub items: Vec<PersonDto>,
    /// Cursor of the next page; absent on the last page.
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct PeopleQuery {
    /// Search words; diacritics and case are ignored ("nguyen van duc" finds "Nguyễn Văn Đức").
    pub q: Option<String>,
    /// Only this unit and the units below it.
    pub unit: Option<i64>,
    /// working, transferred or retired.
    pub status: Option<String>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
}

/// People in the caller's scope in Vietnamese name order (given, middle, family name).
#[utoipa::path(get, path = "/people", operation_id = "listPeople", tag = "directory", params(PeopleQuery),
    responses((status = 200, body = PersonPage), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn list_people(
    State(st): State<AppState>,
    a: Authz<PersonView>,
    Query(q): Query<PeopleQuery>,
) -> AppResult<Json<PersonPage>> {
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(PersonStatus::parse)
        .transpose()
        .map_err(|e| crate::AppError::Invalid(e.key))?;
    let page = people::list(
        &st.db,
        &a.scope,
        &people::ListQuery {
            q: q.q,
            unit_id: q.unit,
            status,
            cursor: q.cursor,
            limit: q.limit.unwrap_or(50).clamp(1, 200),
        },
    )
    .await?;
    Ok(Json(PersonPage {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

/// One person; 404 when outside the caller's scope.
#[utoipa::path(get, path = "/people/{id}", operation_id = "getPerson", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = PersonDto), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_person(
    State(st): State<AppState>,
    a: Authz<PersonView>,
    Path(id): Path<i64>,
) -> AppResult<Json<PersonDto>> {
    Ok(Json(people::get(&st.db, &a.scope, id).await?.into()))
}
