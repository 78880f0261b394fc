//! Removing rows of a draft's setup: a plain row (a cover line, a leave, a wish) and a row
//! that others hang on (a shift type, a person), each in one transaction with its audit entry.

use super::RosterState;
use super::setup::{finish, locate};
use crate::audit::Actor;
use crate::scope::RosterManage;
use crate::{Db, Error, Result, Scope};
use serde_json::json;

/// A row of a draft's setup that other rows hang on (a shift type, a person), and how to
/// remove it with them. The tables are constants of this crate, never input.
pub(super) struct Cascade {
    /// The row's table, and its key column within the roster.
    pub table: &'static str,
    pub key: &'static str,
    /// Tables whose rows refer to it, by `dependent_key`.
    pub dependents: &'static [&'static str],
    pub dependent_key: &'static str,
    /// The audit action, and the name of the key in its details.
    pub action: &'static str,
    pub detail: &'static str,
}

/// Removes the dependent rows, then the row (not found when it is not on the roster, and then
/// nothing is removed), with the audit entry, in one transaction.
pub(super) async fn remove_cascade(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    what: &Cascade,
    key: i64,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    for table in what.dependents {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE roster_id = $1 AND {} = $2",
            what.dependent_key
        )))
        .bind(id)
        .bind(key)
        .execute(&mut *tx)
        .await?;
    }
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM {} WHERE roster_id = $1 AND {} = $2",
        what.table, what.key
    )))
    .bind(id)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    finish(
        tx,
        actor,
        id,
        path,
        what.action,
        json!({ what.detail: key }),
    )
    .await
}

pub(super) async fn remove_row(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    table: &'static str,
    row_id: i64,
    action: &str,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM {table} WHERE roster_id = $1 AND id = $2"
    )))
    .bind(id)
    .bind(row_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    finish(tx, actor, id, path, action, json!({ "id": row_id })).await
}
