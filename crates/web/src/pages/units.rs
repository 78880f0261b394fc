//! The unit tree and unit pages: an organisation's whole tree, the province's organisations as
//! a searchable list, one unit's details with its children, people and partners, and the forms
//! that change a unit or add a child under it.

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Authz, User};
use crate::error::{AppError, AppResult};
use crate::view::{Page, html, url_encode};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::values::{DocFormat, OrgKind, UnitKind};
use serde::Deserialize;
use std::collections::HashMap;
use store::partners::{self, Partner};
use store::scope::{PartnerView, PersonView, UnitManage, UnitView};
use store::units::{self, Unit, UnitInput};
use store::{Scope, people};

/// Organisations per page of the province list.
const ORG_PAGE: i64 = 50;
/// Units drawn in one organisation tree; organisations have tens, not thousands.
const TREE_LIMIT: i64 = 2000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units", get(index))
        .route("/units/{id}", get(show))
        .route("/units/{id}/edit", post(edit))
        .route("/units/{id}/children", post(add_child))
}

/// One line of an organisation tree.
struct TreeRow {
    unit: Unit,
    /// Depth below the tree's root, capped for the indentation classes.
    level: i64,
    people: Option<i64>,
}

/// One organisation in the province list, or one child on a unit page.
struct UnitRow {
    unit: Unit,
    people: Option<i64>,
}

#[derive(Template)]
#[template(path = "units/index.html")]
struct IndexPage {
    page: Page,
    /// Present for a province-wide scope: the list of organisations replaces the tree.
    province: Option<Unit>,
    q: String,
    orgs: Vec<UnitRow>,
    next: Option<String>,
    paged: bool,
    trees: Vec<Vec<TreeRow>>,
    truncated: bool,
}

impl IndexPage {
    fn first_href(&self) -> String {
        format!("/units?q={}", url_encode(&self.q))
    }
    fn next_href(&self) -> String {
        let cursor = self.next.as_deref().unwrap_or_default();
        format!("/units?q={}&after={cursor}", url_encode(&self.q))
    }
}

#[derive(Deserialize, Default)]
struct IndexQuery {
    q: Option<String>,
    after: Option<String>,
}

/// The keyset cursor of the organisation list, opaque in the address bar.
fn encode_cursor(key: &(String, i64)) -> String {
    hex::encode(format!("{}\u{1f}{}", key.0, key.1))
}

fn decode_cursor(s: &str) -> AppResult<(String, i64)> {
    let bad = || AppError::Invalid("err.cursor");
    let text = String::from_utf8(hex::decode(s).map_err(|_| bad())?).map_err(|_| bad())?;
    let (name, id) = text.split_once('\u{1f}').ok_or_else(bad)?;
    Ok((name.to_owned(), id.parse().map_err(|_| bad())?))
}

/// Subtree totals from per-unit counts keyed by path: each count goes to every unit on the
/// path, so a unit's figure includes its departments and teams.
fn subtree_totals(by_path: &[(String, i64)]) -> HashMap<i64, i64> {
    let mut totals = HashMap::new();
    for (path, n) in by_path {
        for id in path.split('/').filter_map(|s| s.parse::<i64>().ok()) {
            *totals.entry(id).or_insert(0) += n;
        }
    }
    totals
}

async fn index(
    State(st): State<AppState>,
    a: Authz<UnitView>,
    Query(q): Query<IndexQuery>,
) -> AppResult<Response> {
    let t = a.t();
    let person_scope = a.user.id.grants.scope::<PersonView>();
    let query = q.q.unwrap_or_default().trim().to_owned();
    let mut page = IndexPage {
        page: Page::new(&a.user, t.s("units.title"), "units"),
        province: None,
        q: query.clone(),
        orgs: Vec::new(),
        next: None,
        paged: false,
        trees: Vec::new(),
        truncated: false,
    };
    if let Some(root) = a.scope.roots().iter().find(|r| r.org_id.is_none()) {
        // A province-wide scope: thousands of organisations, so a searchable list by page.
        page.province = Some(units::get(&st.db, &a.scope, root.unit_id).await?);
        let after = q
            .after
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(decode_cursor)
            .transpose()?;
        page.paged = after.is_some();
        let filter = Some(query.as_str()).filter(|s| !s.is_empty());
        let (orgs, next) = units::organisations(&st.db, &a.scope, filter, after, ORG_PAGE).await?;
        let counts: HashMap<i64, i64> = match &person_scope {
            Some(ps) => {
                let ids: Vec<i64> = orgs.iter().map(|u| u.id).collect();
                units::people_by_org(&st.db, ps, &ids)
                    .await?
                    .into_iter()
                    .collect()
            }
            None => HashMap::new(),
        };
        page.next = next.as_ref().map(encode_cursor);
        page.orgs = orgs
            .into_iter()
            .map(|u| {
                let people = person_scope
                    .as_ref()
                    .map(|_| counts.get(&u.id).copied().unwrap_or(0));
                UnitRow { unit: u, people }
            })
            .collect();
    } else {
        for root in a.scope.roots() {
            let tree = units::subtree(&st.db, &a.scope, root.unit_id, TREE_LIMIT).await?;
            page.truncated |= tree.len() as i64 >= TREE_LIMIT;
            let Some(top) = tree.first().cloned() else {
                continue;
            };
            let totals = match &person_scope {
                Some(ps) => Some(subtree_totals(
                    &units::people_by_path(&st.db, ps, &top).await?,
                )),
                None => None,
            };
            page.trees.push(
                tree.into_iter()
                    .map(|u| TreeRow {
                        level: (u.depth - top.depth).min(6),
                        people: totals.as_ref().map(|m| m.get(&u.id).copied().unwrap_or(0)),
                        unit: u,
                    })
                    .collect(),
            );
        }
    }
    Ok(html(&page)?.into_response())
}

/// The unit form as typed, kept as text so a rejected form comes back as it was sent.
#[derive(Deserialize, Default, Clone)]
struct UnitForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    abbreviation: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    org_kind: String,
    #[serde(default)]
    doc_format: String,
    has_party_org: Option<String>,
}

impl UnitForm {
    fn of(u: &Unit) -> UnitForm {
        UnitForm {
            kind: String::new(),
            name: u.name.clone(),
            abbreviation: u.abbreviation.clone().unwrap_or_default(),
            address: u.address.clone().unwrap_or_default(),
            org_kind: u.org_kind.map(|k| k.code().to_owned()).unwrap_or_default(),
            doc_format: u
                .doc_format
                .map(|k| k.code().to_owned())
                .unwrap_or_default(),
            has_party_org: u.has_party_org.then(|| "on".to_owned()),
        }
    }

    fn input(&self) -> Result<UnitInput, &'static str> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|v| !v.is_empty());
        let org_kind = text(&self.org_kind)
            .map(|s| OrgKind::parse(&s))
            .transpose()
            .map_err(|e| e.key)?;
        let doc_format = text(&self.doc_format)
            .map(|s| DocFormat::parse(&s))
            .transpose()
            .map_err(|e| e.key)?;
        Ok(UnitInput {
            name: self.name.clone(),
            abbreviation: text(&self.abbreviation),
            org_kind,
            has_party_org: self.has_party_org.is_some(),
            doc_format,
            address: text(&self.address),
        })
    }

    fn party(&self) -> bool {
        self.has_party_org.is_some()
    }
}

/// The state of the two forms on a unit page.
#[derive(Default)]
struct Forms {
    edit: Option<UnitForm>,
    edit_error: Option<&'static str>,
    child: UnitForm,
    child_error: Option<&'static str>,
    notice: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "units/show.html")]
struct ShowPage {
    page: Page,
    unit: Unit,
    crumbs: Vec<Unit>,
    children: Vec<UnitRow>,
    more_children: bool,
    people: Option<i64>,
    partners: Option<Vec<Partner>>,
    can_manage: bool,
    child_kinds: Vec<UnitKind>,
    edit: UnitForm,
    edit_error: Option<&'static str>,
    child: UnitForm,
    child_error: Option<&'static str>,
    notice: Option<&'static str>,
    org_kinds: &'static [OrgKind],
    doc_formats: &'static [DocFormat],
}

impl ShowPage {
    fn phone(&self, n: &str) -> String {
        super::partners::phone_display(n)
    }
    fn is_org(&self) -> bool {
        self.unit.kind == UnitKind::Organisation
    }
    fn is_province(&self) -> bool {
        self.unit.kind == UnitKind::Province
    }
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    done: Option<String>,
}

async fn show(
    State(st): State<AppState>,
    a: Authz<UnitView>,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let notice = match q.done.as_deref() {
        Some("saved") => Some("common.saved"),
        Some("created") => Some("units.created"),
        _ => None,
    };
    let forms = Forms {
        notice,
        ..Default::default()
    };
    render_show(&st, &a.user, &a.scope, id, forms, StatusCode::OK).await
}

async fn render_show(
    st: &AppState,
    user: &User,
    scope: &Scope<UnitView>,
    id: i64,
    forms: Forms,
    status: StatusCode,
) -> AppResult<Response> {
    let db = &st.db;
    let grants = &user.id.grants;
    let unit = units::get(db, scope, id).await?;
    let crumbs = units::ancestors(db, scope, &unit).await?;
    let person_scope = grants.scope::<PersonView>();
    let (children, more_children, people) = if unit.kind == UnitKind::Province {
        // The province has thousands of organisations: show the first page, the list has the rest.
        let (orgs, next) = units::organisations(db, scope, None, None, ORG_PAGE).await?;
        let (counts, total): (HashMap<i64, i64>, Option<i64>) = match &person_scope {
            Some(ps) => {
                let ids: Vec<i64> = orgs.iter().map(|u| u.id).collect();
                let counts = units::people_by_org(db, ps, &ids)
                    .await?
                    .into_iter()
                    .collect();
                (counts, Some(people::counts(db, ps).await?.total))
            }
            None => (HashMap::new(), None),
        };
        let rows = orgs
            .into_iter()
            .map(|u| UnitRow {
                people: total.map(|_| counts.get(&u.id).copied().unwrap_or(0)),
                unit: u,
            })
            .collect();
        (rows, next.is_some(), total)
    } else {
        let kids = units::children(db, scope, unit.id).await?;
        let totals = match &person_scope {
            Some(ps) => Some(subtree_totals(&units::people_by_path(db, ps, &unit).await?)),
            None => None,
        };
        let rows = kids
            .into_iter()
            .map(|u| UnitRow {
                people: totals.as_ref().map(|m| m.get(&u.id).copied().unwrap_or(0)),
                unit: u,
            })
            .collect();
        (
            rows,
            false,
            totals
                .as_ref()
                .map(|m| m.get(&unit.id).copied().unwrap_or(0)),
        )
    };
    let partners = match grants.scope::<PartnerView>() {
        Some(ps) => Some(partners::kept_by(db, &ps, unit.id).await?),
        None => None,
    };
    let can_manage = grants
        .scope::<UnitManage>()
        .is_some_and(|m| m.contains_path(&unit.path));
    let child_kinds = match unit.kind {
        UnitKind::Province => vec![UnitKind::Organisation],
        _ => vec![UnitKind::Department, UnitKind::Team],
    };
    let page = ShowPage {
        page: Page::new(user, unit.name.clone(), "units"),
        edit: forms.edit.unwrap_or_else(|| UnitForm::of(&unit)),
        unit,
        crumbs,
        children,
        more_children,
        people,
        partners,
        can_manage,
        child_kinds,
        edit_error: forms.edit_error,
        child: forms.child,
        child_error: forms.child_error,
        notice: forms.notice,
        org_kinds: OrgKind::ALL,
        doc_formats: DocFormat::ALL,
    };
    Ok((status, html(&page)?).into_response())
}

/// The view scope a manager's rejected form is shown again with.
fn view_scope(user: &User) -> AppResult<Scope<UnitView>> {
    user.id
        .grants
        .scope::<UnitView>()
        .ok_or(AppError::Forbidden)
}

async fn edit(
    State(st): State<AppState>,
    a: Authz<UnitManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<UnitForm>,
) -> AppResult<Response> {
    // Outside the managed subtree the unit does not exist, whatever the form says.
    units::get(&st.db, &a.scope, id).await?;
    let result = match f.input() {
        Ok(input) => units::update(&st.db, &a.scope, &a.actor(), id, &input)
            .await
            .map(|_| ()),
        Err(key) => Err(store::Error::Invalid(key)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/units/{id}?done=saved")).into_response()),
        Err(store::Error::Invalid(key)) => {
            let forms = Forms {
                edit: Some(f),
                edit_error: Some(key),
                ..Default::default()
            };
            render_show(
                &st,
                &a.user,
                &view_scope(&a.user)?,
                id,
                forms,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_child(
    State(st): State<AppState>,
    a: Authz<UnitManage>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<UnitForm>,
) -> AppResult<Response> {
    units::get(&st.db, &a.scope, id).await?;
    let result = match (UnitKind::parse(&f.kind).map_err(|e| e.key), f.input()) {
        (Ok(kind), Ok(input)) => {
            units::create(&st.db, &a.scope, &a.actor(), id, kind, &input).await
        }
        (Err(key), _) | (_, Err(key)) => Err(store::Error::Invalid(key)),
    };
    match result {
        Ok(child) => Ok(Redirect::to(&format!("/units/{}?done=created", child.id)).into_response()),
        Err(store::Error::Invalid(key)) => {
            let forms = Forms {
                child: f,
                child_error: Some(key),
                ..Default::default()
            };
            render_show(
                &st,
                &a.user,
                &view_scope(&a.user)?,
                id,
                forms,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let key = ("truong thpt".to_owned(), 42);
        assert_eq!(decode_cursor(&encode_cursor(&key)).unwrap(), key);
        assert!(decode_cursor("zz").is_err());
        assert!(decode_cursor(&hex::encode("no separator")).is_err());
    }

    #[test]
    fn totals_include_the_subtree() {
        let m = subtree_totals(&[
            ("/1/5/".into(), 3),
            ("/1/5/8/".into(), 2),
            ("/1/6/".into(), 4),
        ]);
        assert_eq!(m[&1], 9);
        assert_eq!(m[&5], 5);
        assert_eq!(m[&8], 2);
        assert_eq!(m[&6], 4);
    }
}
