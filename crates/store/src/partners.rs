//! Partner bodies that plans name: the provincial police, the military command, the police
//! squad guarding the headquarters, the fire service. Each belongs to the unit that keeps it
//! (an organisation, or the province for bodies every organisation works with).

use crate::audit::{self, Actor, Event};
use crate::scope::{PartnerManage, PartnerView};
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, WriteTx, now_ms, units};
use domain::values::{Email, PartnerKind, Phone};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize)]
pub struct Partner {
    pub id: i64,
    pub owner_unit_id: i64,
    pub owner_name: String,
    pub kind: PartnerKind,
    pub name: String,
    pub contact_person: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PartnerInput {
    pub owner_unit_id: i64,
    pub kind: PartnerKind,
    pub name: String,
    pub contact_person: Option<String>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub address: Option<String>,
    pub note: Option<String>,
}

const COLS: &str = "pa.id, pa.owner_unit_id, u.name AS owner_name, pa.kind, pa.name, pa.contact_person, pa.phone, pa.email, pa.address, pa.note";

fn from_row(r: &AnyRow) -> Result<Partner> {
    Ok(Partner {
        id: r.try_get("id")?,
        owner_unit_id: r.try_get("owner_unit_id")?,
        owner_name: r.try_get("owner_name")?,
        kind: PartnerKind::parse(&r.try_get::<String, _>("kind")?)?,
        name: r.try_get("name")?,
        contact_person: r.try_get("contact_person")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        address: r.try_get("address")?,
        note: r.try_get("note")?,
    })
}

fn opt(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Partners visible in the scope: those kept by a unit in it, and those kept by the province
/// (shared with every organisation).
pub async fn list(db: &Db, scope: &Scope<PartnerView>) -> Result<Vec<Partner>> {
    let mut sql = SqlBuf::new(&format!(
        "SELECT {COLS} FROM partners pa JOIN units u ON u.id = pa.owner_unit_id WHERE ("
    ));
    scope.push_filter(&mut sql, "pa.owner_path", None);
    sql.push(" OR u.parent_id IS NULL) ORDER BY pa.kind, pa.name LIMIT 500");
    sql.query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn get(db: &Db, scope: &Scope<PartnerView>, id: i64) -> Result<Partner> {
    let mut sql = SqlBuf::new(&format!(
        "SELECT {COLS} FROM partners pa JOIN units u ON u.id = pa.owner_unit_id WHERE pa.id = "
    ));
    sql.arg_i64(id).push(" AND (");
    scope.push_filter(&mut sql, "pa.owner_path", None);
    sql.push(" OR u.parent_id IS NULL)");
    from_row(
        &sql.query()
            .fetch_optional(db.pool())
            .await?
            .ok_or(Error::NotFound)?,
    )
}

fn check(p: &PartnerInput) -> Result<()> {
    let n = p.name.trim().chars().count();
    if n == 0 || n > 200 {
        Err(Error::Invalid("err.partner_name"))
    } else {
        Ok(())
    }
}

/// Inserts within the caller's transaction; the owner unit must be in the scope.
pub async fn insert(
    tx: &mut WriteTx,
    scope: &Scope<PartnerManage>,
    actor: &Actor,
    p: &PartnerInput,
) -> Result<i64> {
    check(p)?;
    let owner = units::get_tx(tx, scope, p.owner_unit_id)
        .await
        .map_err(|_| Error::Invalid("err.unit_unknown"))?;
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO partners (owner_unit_id, owner_path, kind, name, contact_person, phone, email, address, note, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10) RETURNING id",
    )
    .bind(owner.id)
    .bind(&owner.path)
    .bind(p.kind.code())
    .bind(p.name.trim())
    .bind(opt(&p.contact_person))
    .bind(p.phone.as_ref().map(|v| v.as_str().to_owned()))
    .bind(p.email.as_ref().map(|v| v.as_str().to_owned()))
    .bind(opt(&p.address))
    .bind(opt(&p.note))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    audit::append(
        tx,
        actor,
        Event {
            action: "partner.create",
            object_kind: "partner",
            object_id: id.to_string(),
            unit_path: Some(owner.path),
            details: json!({ "name": p.name.trim(), "kind": p.kind.code() }),
        },
    )
    .await?;
    Ok(id)
}

pub async fn create(
    db: &Db,
    scope: &Scope<PartnerManage>,
    actor: &Actor,
    p: &PartnerInput,
) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let id = insert(&mut tx, scope, actor, p).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a partner kept by a unit of the scope (province-wide partners only by those whose
/// scope is the province).
pub async fn update(
    db: &Db,
    scope: &Scope<PartnerManage>,
    actor: &Actor,
    id: i64,
    p: &PartnerInput,
) -> Result<()> {
    check(p)?;
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT owner_path FROM partners WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    let path: String = row.try_get("owner_path")?;
    if !scope.contains_path(&path) {
        return Err(Error::NotFound);
    }
    sqlx::query(
        "UPDATE partners SET kind = $1, name = $2, contact_person = $3, phone = $4, email = $5, address = $6, note = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(p.kind.code())
    .bind(p.name.trim())
    .bind(opt(&p.contact_person))
    .bind(p.phone.as_ref().map(|v| v.as_str().to_owned()))
    .bind(p.email.as_ref().map(|v| v.as_str().to_owned()))
    .bind(opt(&p.address))
    .bind(opt(&p.note))
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "partner.update",
            object_kind: "partner",
            object_id: id.to_string(),
            unit_path: Some(path),
            details: json!({ "name": p.name.trim() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Partners kept by one unit of the scope (shown on the unit's page).
pub async fn kept_by(db: &Db, scope: &Scope<PartnerView>, unit_id: i64) -> Result<Vec<Partner>> {
    let mut sql = SqlBuf::new(&format!(
        "SELECT {COLS} FROM partners pa JOIN units u ON u.id = pa.owner_unit_id WHERE pa.owner_unit_id = "
    ));
    sql.arg_i64(unit_id).push(" AND (");
    scope.push_filter(&mut sql, "pa.owner_path", None);
    sql.push(" OR u.parent_id IS NULL) ORDER BY pa.kind, pa.name LIMIT 500");
    sql.query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Ids of the partners the scope may change: those kept by one of its units.
pub async fn manageable_ids(db: &Db, scope: &Scope<PartnerManage>) -> Result<Vec<i64>> {
    let mut sql = SqlBuf::new("SELECT id FROM partners WHERE ");
    scope.push_filter(&mut sql, "owner_path", None);
    sql.push(" LIMIT 5000");
    let mut out = Vec::new();
    for r in sql.query().fetch_all(db.pool()).await? {
        out.push(r.try_get("id")?);
    }
    Ok(out)
}
