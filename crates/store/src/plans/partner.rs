//! Partner accounts: an account that acts for a partner body (the provincial police, the
//! military command, the guard squad) holds no role in the unit tree. It sees the issued plans
//! whose tasks or forces name its partner, and in each only the rows naming it; drafts, other
//! partners' tasks, contacts and playbooks stay with the organisation. A secret plan is shown
//! only if the account is cleared for its level.
//!
//! Linking an account to a partner needs `PartnerManage` over the unit keeping the partner,
//! and the account must hold no role: a person who works in an organisation is not also a
//! partner's voice.

use super::{COLS, Content, FROM, Plan, from_row, rows};
use crate::audit::{self, Actor, Event};
use crate::registers::Viewer;
use crate::scope::PartnerManage;
use crate::{Db, Error, Result, Scope, now_ms};
use serde_json::json;
use sqlx::Row;

/// The partner an account acts for.
#[derive(Debug, Clone)]
pub struct PartnerOf {
    pub partner_id: i64,
    pub name: String,
}

/// The partner an account acts for, if any.
pub async fn partner_of(db: &Db, account_id: i64) -> Result<Option<PartnerOf>> {
    let row = sqlx::query(
        "SELECT pa.id, pa.name FROM partner_accounts x JOIN partners pa ON pa.id = x.partner_id WHERE x.account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(PartnerOf {
            partner_id: r.try_get("id")?,
            name: r.try_get("name")?,
        })
    })
    .transpose()
}

/// Makes `username` the account of a partner kept in the scope.
pub async fn link(
    db: &Db,
    scope: &Scope<PartnerManage>,
    actor: &Actor,
    partner_id: i64,
    username: &str,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let p = sqlx::query("SELECT owner_path, name FROM partners WHERE id = $1")
        .bind(partner_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    let path: String = p.try_get("owner_path")?;
    if !scope.contains_path(&path) {
        return Err(Error::NotFound);
    }
    let acc = sqlx::query("SELECT id FROM accounts WHERE username = $1")
        .bind(username.trim())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::Invalid("err.partner_account_unknown"))?;
    let account_id: i64 = acc.try_get("id")?;
    let roles: i64 = sqlx::query("SELECT COUNT(*) AS n FROM role_grants WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if roles > 0 {
        return Err(Error::Invalid("err.partner_account_roles"));
    }
    sqlx::query("DELETE FROM partner_accounts WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO partner_accounts (account_id, partner_id, granted_by, granted_at) VALUES ($1,$2,$3,$4)",
    )
    .bind(account_id)
    .bind(partner_id)
    .bind(actor.account_id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "partner.account_link",
            object_kind: "partner",
            object_id: partner_id.to_string(),
            unit_path: Some(path),
            details: json!({ "account": username.trim() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The usernames of the accounts acting for a partner.
pub async fn accounts_of(db: &Db, partner_id: i64) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT a.username FROM partner_accounts x JOIN accounts a ON a.id = x.account_id \
         WHERE x.partner_id = $1 ORDER BY a.username",
    )
    .bind(partner_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|r| Ok(r.try_get("username")?)).collect()
}

const NAMES_PARTNER: &str = "(EXISTS (SELECT 1 FROM plan_tasks t WHERE t.plan_id = p.id AND t.partner_id = $1) \
    OR EXISTS (SELECT 1 FROM plan_forces f WHERE f.plan_id = p.id AND f.partner_id = $1))";

/// The issued plans naming the partner that the viewer is cleared for, newest first.
pub async fn plans(db: &Db, partner_id: i64, viewer: &Viewer) -> Result<Vec<Plan>> {
    let sql = format!(
        "SELECT {COLS} {FROM} WHERE p.state IN ('approved', 'in_effect', 'closed') AND p.secrecy_rank <= $2 \
         AND {NAMES_PARTNER} ORDER BY p.starts_on DESC, p.id DESC LIMIT 200"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(partner_id)
        .bind(viewer.clearance.rank())
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| from_row(r, viewer))
        .collect()
}

/// One plan as the partner sees it: the header and its own rows; anything else is not found.
pub async fn plan(db: &Db, partner_id: i64, viewer: &Viewer, id: i64) -> Result<(Plan, Content)> {
    let sql = format!(
        "SELECT {COLS} {FROM} WHERE p.id = $3 AND p.state IN ('approved', 'in_effect', 'closed') \
         AND p.secrecy_rank <= $2 AND {NAMES_PARTNER}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(partner_id)
        .bind(viewer.clearance.rank())
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    let mut plan = from_row(&row, viewer)?;
    // The objectives and the after-action report are the organisation's own.
    plan.objectives = None;
    plan.after_action = None;
    let content = rows::read(db.pool(), plan.id, String::new(), Some(partner_id)).await?;
    Ok((plan, content))
}
