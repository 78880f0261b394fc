//! The unit tree: province → organisations → departments → teams, any depth.
//!
//! Each unit stores its materialised path (`/1/7/23/`), so a subtree is one index range, and
//! the organisation it belongs to, so per-organisation lists use their own index.

use crate::audit::{self, Actor, Event};
use crate::scope::{Root, UnitManage, UnitView};
use crate::sql::SqlBuf;
use crate::{Cap, Db, Error, Result, Scope, WriteTx, now_ms};
use domain::text::fold_vi;
use domain::values::{DocFormat, OrgKind, UnitKind};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub path: String,
    pub depth: i64,
    pub kind: UnitKind,
    pub org_id: Option<i64>,
    pub name: String,
    pub abbreviation: Option<String>,
    pub org_kind: Option<OrgKind>,
    pub has_party_org: bool,
    pub doc_format: Option<DocFormat>,
    pub address: Option<String>,
}

impl Unit {
    pub fn root(&self) -> Root {
        Root {
            unit_id: self.id,
            path: self.path.clone(),
            org_id: self.org_id,
        }
    }
}

pub(crate) const COLS: &str = "id, parent_id, path, depth, kind, org_id, name, abbreviation, org_kind, has_party_org, doc_format, address";

pub(crate) fn from_row(r: &AnyRow) -> Result<Unit> {
    let kind: String = r.try_get("kind")?;
    let org_kind: Option<String> = r.try_get("org_kind")?;
    let doc_format: Option<String> = r.try_get("doc_format")?;
    Ok(Unit {
        id: r.try_get("id")?,
        parent_id: r.try_get("parent_id")?,
        path: r.try_get("path")?,
        depth: r.try_get("depth")?,
        kind: UnitKind::parse(&kind)?,
        org_id: r.try_get("org_id")?,
        name: r.try_get("name")?,
        abbreviation: r.try_get("abbreviation")?,
        org_kind: org_kind.as_deref().map(OrgKind::parse).transpose()?,
        has_party_org: r.try_get::<i64, _>("has_party_org")? != 0,
        doc_format: doc_format.as_deref().map(DocFormat::parse).transpose()?,
        address: r.try_get("address")?,
    })
}

/// What a person fills in to create or change a unit.
#[derive(Debug, Clone, Default)]
pub struct UnitInput {
    pub name: String,
    pub abbreviation: Option<String>,
    pub org_kind: Option<OrgKind>,
    pub has_party_org: bool,
    pub doc_format: Option<DocFormat>,
    pub address: Option<String>,
}

impl UnitInput {
    fn check(&self) -> Result<()> {
        let n = self.name.trim().chars().count();
        if n == 0 || n > 200 {
            return Err(Error::Invalid("err.unit_name"));
        }
        if let Some(a) = &self.abbreviation
            && (a.chars().count() > 20 || a.chars().any(char::is_whitespace))
        {
            return Err(Error::Invalid("err.abbreviation"));
        }
        Ok(())
    }
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Creates the province, the root of the tree. Only the command line and the demo loader call
/// this; a province has no parent to be in anyone's scope.
pub async fn create_province(tx: &mut WriteTx, actor: &Actor, name: &str) -> Result<Unit> {
    insert(
        tx,
        actor,
        None,
        UnitKind::Province,
        &UnitInput {
            name: name.into(),
            ..Default::default()
        },
    )
    .await
}

/// Creates a unit under `parent_id`, which must be inside the scope.
pub async fn create(
    db: &Db,
    scope: &Scope<UnitManage>,
    actor: &Actor,
    parent_id: i64,
    kind: UnitKind,
    input: &UnitInput,
) -> Result<Unit> {
    input.check()?;
    let mut tx = db.begin_write().await?;
    let parent = get_tx(&mut tx, scope, parent_id).await?;
    let allowed = match kind {
        UnitKind::Province => false,
        UnitKind::Organisation => parent.kind == UnitKind::Province,
        UnitKind::Department | UnitKind::Team => parent.kind != UnitKind::Province,
    };
    if !allowed {
        return Err(Error::Invalid("err.unit_kind_parent"));
    }
    let unit = insert(&mut tx, actor, Some(&parent), kind, input).await?;
    tx.commit().await?;
    Ok(unit)
}

/// Inserts a unit inside a write transaction the caller holds (used by bulk loaders too).
pub async fn insert(
    tx: &mut WriteTx,
    actor: &Actor,
    parent: Option<&Unit>,
    kind: UnitKind,
    input: &UnitInput,
) -> Result<Unit> {
    let now = now_ms();
    let name = input.name.trim();
    let org_kind = if kind == UnitKind::Organisation {
        Some(input.org_kind.unwrap_or(OrgKind::StateAgency))
    } else {
        None
    };
    let doc_format = org_kind.map(|k| input.doc_format.unwrap_or(k.default_format()));
    let row = sqlx::query(
        "INSERT INTO units (parent_id, path, depth, kind, name, name_folded, abbreviation, org_kind, \
         has_party_org, doc_format, address, created_at, updated_at) \
         VALUES ($1, '', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(parent.map(|p| p.id))
    .bind(parent.map(|p| p.depth + 1).unwrap_or(0))
    .bind(kind.code())
    .bind(name)
    .bind(fold_vi(name))
    .bind(clean(&input.abbreviation))
    .bind(org_kind.map(|k| k.code()))
    .bind(i64::from(input.has_party_org))
    .bind(doc_format.map(|k| k.code()))
    .bind(clean(&input.address))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let path = format!("{}{id}/", parent.map(|p| p.path.as_str()).unwrap_or("/"));
    let org_id = match kind {
        UnitKind::Organisation => Some(id),
        _ => parent.and_then(|p| p.org_id),
    };
    sqlx::query("UPDATE units SET path = $1, org_id = $2 WHERE id = $3")
        .bind(&path)
        .bind(org_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let unit = get_unscoped(tx, id).await?;
    audit::append(
        tx,
        actor,
        Event {
            action: "unit.create",
            object_kind: "unit",
            object_id: id.to_string(),
            unit_path: Some(path),
            details: json!({ "name": name, "kind": kind.code(), "parent": parent.map(|p| p.id) }),
        },
    )
    .await?;
    Ok(unit)
}

/// Changes a unit's details (not its place in the tree).
pub async fn update(
    db: &Db,
    scope: &Scope<UnitManage>,
    actor: &Actor,
    id: i64,
    input: &UnitInput,
) -> Result<Unit> {
    input.check()?;
    let mut tx = db.begin_write().await?;
    let before = get_tx(&mut tx, scope, id).await?;
    let org_kind = if before.kind == UnitKind::Organisation {
        input.org_kind.or(before.org_kind)
    } else {
        None
    };
    let doc_format = if before.kind == UnitKind::Organisation {
        input.doc_format.or(before.doc_format)
    } else {
        None
    };
    let name = input.name.trim();
    sqlx::query(
        "UPDATE units SET name = $1, name_folded = $2, abbreviation = $3, org_kind = $4, has_party_org = $5, \
         doc_format = $6, address = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(name)
    .bind(fold_vi(name))
    .bind(clean(&input.abbreviation))
    .bind(org_kind.map(|k| k.code()))
    .bind(i64::from(input.has_party_org))
    .bind(doc_format.map(|k| k.code()))
    .bind(clean(&input.address))
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let after = get_unscoped(&mut tx, id).await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "unit.update",
            object_kind: "unit",
            object_id: id.to_string(),
            unit_path: Some(after.path.clone()),
            details: json!({ "before": before, "after": after }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

async fn get_unscoped(tx: &mut WriteTx, id: i64) -> Result<Unit> {
    let sql = format!("SELECT {COLS} FROM units WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    from_row(&row.ok_or(Error::NotFound)?)
}

/// A unit inside the scope, read within a write transaction.
pub(crate) async fn get_tx<C: Cap>(tx: &mut WriteTx, scope: &Scope<C>, id: i64) -> Result<Unit> {
    let unit = get_unscoped(tx, id).await.map_err(|_| Error::NotFound)?;
    if scope.contains_path(&unit.path) {
        Ok(unit)
    } else {
        Err(Error::NotFound)
    }
}

/// A unit inside the scope; outside it, not found.
pub async fn get<C: Cap>(db: &Db, scope: &Scope<C>, id: i64) -> Result<Unit> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} FROM units WHERE id = "));
    sql.arg_i64(id).push(" AND ");
    scope.push_filter(&mut sql, "path", None);
    let row = sql.query().fetch_optional(db.pool()).await?;
    from_row(&row.ok_or(Error::NotFound)?)
}

/// A unit by id with no scope: for the owner of a record already read within reach (a
/// province-wide campaign names the province, which an organisation's scope does not hold).
pub async fn by_id(db: &Db, id: i64) -> Result<Unit> {
    let sql = format!("SELECT {COLS} FROM units WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    from_row(&row.ok_or(Error::NotFound)?)
}

/// The province (root of the tree), if one exists.
pub async fn province(db: &Db) -> Result<Option<Unit>> {
    let sql = format!("SELECT {COLS} FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Direct children of a unit in the scope, in display order.
pub async fn children(db: &Db, scope: &Scope<UnitView>, parent_id: i64) -> Result<Vec<Unit>> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} FROM units WHERE parent_id = "));
    sql.arg_i64(parent_id).push(" AND ");
    scope.push_filter(&mut sql, "path", None);
    sql.push(" ORDER BY sort_order, name_folded, id");
    sql.query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// The tops of the scope: the units where the actor's reach begins.
pub async fn scope_roots<C: Cap>(db: &Db, scope: &Scope<C>) -> Result<Vec<Unit>> {
    let mut out = Vec::new();
    for r in scope.roots() {
        out.push(get(db, scope, r.unit_id).await?);
    }
    Ok(out)
}

/// Every unit below `root` (inclusive) in tree order, up to `limit` units. Organisation trees
/// are small; the province view lists organisations page by page instead.
pub async fn subtree(
    db: &Db,
    scope: &Scope<UnitView>,
    root_id: i64,
    limit: i64,
) -> Result<Vec<Unit>> {
    let root = get(db, scope, root_id).await?;
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} FROM units WHERE path >= "));
    sql.arg_text(&root.path)
        .push(" AND path < ")
        .arg_text(&root.root().path_end());
    sql.push(" ORDER BY path LIMIT ").arg_i64(limit);
    let mut units: Vec<Unit> = sql
        .query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<_>>()?;
    // Path order is numeric-id order; show siblings alphabetically, keeping parents first.
    sort_tree(&mut units);
    Ok(units)
}

fn sort_tree(units: &mut Vec<Unit>) {
    use std::collections::HashMap;
    let mut by_parent: HashMap<Option<i64>, Vec<Unit>> = HashMap::new();
    let ids: std::collections::HashSet<i64> = units.iter().map(|u| u.id).collect();
    for u in units.drain(..) {
        let key = u.parent_id.filter(|p| ids.contains(p));
        by_parent.entry(key).or_default().push(u);
    }
    for v in by_parent.values_mut() {
        v.sort_by(|a, b| {
            fold_vi(&a.name)
                .cmp(&fold_vi(&b.name))
                .then(a.id.cmp(&b.id))
        });
    }
    fn walk(parent: Option<i64>, map: &mut HashMap<Option<i64>, Vec<Unit>>, out: &mut Vec<Unit>) {
        if let Some(kids) = map.remove(&parent) {
            for k in kids {
                let id = k.id;
                out.push(k);
                walk(Some(id), map, out);
            }
        }
    }
    walk(None, &mut by_parent, units);
}

/// Organisations in the scope, alphabetically, a page at a time (keyset on folded name, id).
pub async fn organisations(
    db: &Db,
    scope: &Scope<UnitView>,
    q: Option<&str>,
    after: Option<(String, i64)>,
    limit: i64,
) -> Result<(Vec<Unit>, Option<(String, i64)>)> {
    let mut sql = SqlBuf::new(&format!(
        "SELECT {COLS}, name_folded FROM units WHERE kind = 'organisation' AND "
    ));
    scope.push_filter(&mut sql, "path", None);
    if let Some(q) = q.map(fold_vi).filter(|s| !s.is_empty()) {
        sql.push(" AND name_folded LIKE ")
            .arg_text(&format!("%{}%", q.replace(['%', '_'], "")));
    }
    if let Some((name, id)) = &after {
        sql.push(" AND (name_folded > ")
            .arg_text(name)
            .push(" OR (name_folded = ")
            .arg_text(name);
        sql.push(" AND id > ").arg_i64(*id).push("))");
    }
    sql.push(" ORDER BY name_folded, id LIMIT ")
        .arg_i64(limit + 1);
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut keys = Vec::with_capacity(rows.len());
    for r in &rows {
        keys.push((
            r.try_get::<String, _>("name_folded")?,
            r.try_get::<i64, _>("id")?,
        ));
        out.push(from_row(r)?);
    }
    let next = if out.len() as i64 > limit {
        out.truncate(limit as usize);
        keys.get(limit as usize - 1).cloned()
    } else {
        None
    };
    Ok((out, next))
}

/// Every unit in the scope (id, name, depth), for pickers in forms; capped for safety.
pub async fn options<C: Cap>(db: &Db, scope: &Scope<C>, limit: i64) -> Result<Vec<Unit>> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} FROM units WHERE "));
    scope.push_filter(&mut sql, "path", None);
    sql.push(" ORDER BY path LIMIT ").arg_i64(limit);
    let mut units: Vec<Unit> = sql
        .query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<_>>()?;
    sort_tree(&mut units);
    Ok(units)
}

/// Counts of units by kind in the scope.
pub async fn counts(db: &Db, scope: &Scope<UnitView>) -> Result<Vec<(UnitKind, i64)>> {
    let figures = db.figures();
    crate::figures::kept(db, &figures.kinds, scope.roots(), read_counts(db, scope)).await
}

async fn read_counts(db: &Db, scope: &Scope<UnitView>) -> Result<Vec<(UnitKind, i64)>> {
    // The province holds every unit: its figures are read from the kind index alone rather
    // than by testing the path of each of the 12,000 units.
    let mut sql = SqlBuf::new("SELECT kind, COUNT(*) AS n FROM units");
    if !scope.roots().iter().any(|r| r.org_id.is_none()) {
        sql.push(" WHERE ");
        scope.push_filter(&mut sql, "path", None);
    }
    sql.push(" GROUP BY kind");
    let mut out = Vec::new();
    for r in sql.query().fetch_all(db.pool()).await? {
        out.push((
            UnitKind::parse(&r.try_get::<String, _>("kind")?)?,
            r.try_get("n")?,
        ));
    }
    Ok(out)
}

/// Ancestors of a unit from the root down, for breadcrumbs (only those in the scope).
pub async fn ancestors<C: Cap>(db: &Db, scope: &Scope<C>, unit: &Unit) -> Result<Vec<Unit>> {
    let ids: Vec<i64> = unit
        .path
        .split('/')
        .filter_map(|s| s.parse().ok())
        .filter(|id| *id != unit.id)
        .collect();
    let mut out = Vec::new();
    for id in ids {
        if let Ok(u) = get(db, scope, id).await {
            out.push(u);
        }
    }
    Ok(out)
}

/// People below `root` (inclusive) that the scope may see, counted per unit in one grouped
/// query and keyed by the unit's path, so a subtree's total is a sum over a path prefix.
pub async fn people_by_path<C: Cap>(
    db: &Db,
    scope: &Scope<C>,
    root: &Unit,
) -> Result<Vec<(String, i64)>> {
    let mut sql = SqlBuf::new("SELECT unit_path, COUNT(*) AS n FROM people WHERE unit_path >= ");
    sql.arg_text(&root.path)
        .push(" AND unit_path < ")
        .arg_text(&root.root().path_end())
        .push(" AND ");
    scope.push_filter(&mut sql, "unit_path", Some("org_id"));
    sql.push(" GROUP BY unit_path");
    let mut out = Vec::new();
    for r in sql.query().fetch_all(db.pool()).await? {
        out.push((r.try_get("unit_path")?, r.try_get("n")?));
    }
    Ok(out)
}

/// People per organisation for one page of the organisation list, in one grouped query.
pub async fn people_by_org<C: Cap>(
    db: &Db,
    scope: &Scope<C>,
    org_ids: &[i64],
) -> Result<Vec<(i64, i64)>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = SqlBuf::new("SELECT org_id, COUNT(*) AS n FROM people WHERE org_id IN (");
    for (i, id) in org_ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.arg_i64(*id);
    }
    sql.push(") AND ");
    scope.push_filter(&mut sql, "unit_path", None);
    sql.push(" GROUP BY org_id");
    let mut out = Vec::new();
    for r in sql.query().fetch_all(db.pool()).await? {
        out.push((r.try_get("org_id")?, r.try_get("n")?));
    }
    Ok(out)
}
