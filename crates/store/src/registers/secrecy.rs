//! Secrecy clearances: the highest level (Mật, Tối mật, Tuyệt mật) an account may read in
//! the registers. Access to state secrets is decided by the head of the body for people whose
//! tasks need it (Luật Bảo vệ bí mật nhà nước 2025), so clearances are granted per account by
//! the administrators who manage that account (`AccountManage` over one of its units), and
//! every grant and revocation is audited.

use super::Level;
use crate::audit::{self, Actor, Event};
use crate::scope::AccountManage;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, accounts, now_ms};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// What the person reading a register is cleared for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub clearance: Level,
}

impl Viewer {
    /// A viewer cleared for nothing secret.
    pub fn uncleared() -> Viewer {
        Viewer {
            clearance: Level::None,
        }
    }

    /// The clearance of an account.
    pub async fn of_account(db: &Db, account_id: i64) -> Result<Viewer> {
        Ok(Viewer {
            clearance: clearance(db, account_id).await?,
        })
    }

    pub fn may_read(&self, level: Level) -> bool {
        level <= self.clearance
    }
}

/// The clearance of an account (none when never granted).
pub async fn clearance(db: &Db, account_id: i64) -> Result<Level> {
    let row = sqlx::query("SELECT level FROM secrecy_clearances WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(db.pool())
        .await?;
    match row {
        Some(r) => Level::parse(&r.try_get::<String, _>("level")?),
        None => Ok(Level::None),
    }
}

/// An account of the manager's scope with its clearance.
#[derive(Debug, Clone, Serialize)]
pub struct Cleared {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub level: Level,
    pub granted_at: Option<i64>,
}

/// Accounts holding a role somewhere in the scope, with their clearance, by name.
pub async fn list(db: &Db, scope: &Scope<AccountManage>) -> Result<Vec<Cleared>> {
    let mut sql = SqlBuf::new(
        "SELECT a.id, a.username, a.display_name, c.level, c.granted_at FROM accounts a \
         LEFT JOIN secrecy_clearances c ON c.account_id = a.id WHERE EXISTS (SELECT 1 FROM \
         role_grants g JOIN units u ON u.id = g.unit_id WHERE g.account_id = a.id AND ",
    );
    scope.push_filter(&mut sql, "u.path", None);
    sql.push(") ORDER BY a.display_name, a.id LIMIT 2000");
    let rows = sql.query().fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| {
            let level: Option<String> = r.try_get("level")?;
            Ok(Cleared {
                account_id: r.try_get("id")?,
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                level: level
                    .as_deref()
                    .map(Level::parse)
                    .transpose()?
                    .unwrap_or(Level::None),
                granted_at: r.try_get("granted_at")?,
            })
        })
        .collect()
}

/// Sets the clearance of an account managed in the scope; `Level::None` revokes it.
pub async fn set(
    db: &Db,
    scope: &Scope<AccountManage>,
    actor: &Actor,
    account_id: i64,
    level: Level,
) -> Result<()> {
    let account = accounts::get_managed(db, scope, account_id).await?;
    if actor.account_id == Some(account_id) {
        return Err(Error::Invalid("err.reg_clearance_self"));
    }
    let mut tx = db.begin_write().await?;
    let before: Option<String> =
        sqlx::query("SELECT level FROM secrecy_clearances WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get("level"))
            .transpose()?;
    sqlx::query("DELETE FROM secrecy_clearances WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    if level.is_secret() {
        sqlx::query(
            "INSERT INTO secrecy_clearances (account_id, level, granted_by, granted_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(account_id)
        .bind(level.code())
        .bind(actor.account_id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    }
    let ev = Event {
        action: if level.is_secret() {
            "clearance.grant"
        } else {
            "clearance.revoke"
        },
        object_kind: "account",
        object_id: account_id.to_string(),
        unit_path: None,
        details: json!({ "username": account.username, "before": before, "after": level.code() }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(())
}
