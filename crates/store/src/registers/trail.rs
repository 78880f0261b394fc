//! The processing trail of incoming documents: who may be assigned, assignment with a due
//! date, recorded steps and completion (NĐ 30/2020, Phụ lục VI: track and chase processing).

use super::ops::{Managed, audit_change, managed, step};
use super::write::{clean, org_in_view};
use super::{Direction, Status, Viewer};
use crate::audit::Actor;
use crate::scope::{PartnerManage, PartnerView};
use crate::{Db, Error, Result, Scope, WriteTx, now_ms};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::Row;

/// Accounts holding a role in the organisation: who an incoming document can be assigned to.
pub async fn assignable(
    db: &Db,
    scope: &Scope<PartnerView>,
    org_id: i64,
) -> Result<Vec<(i64, String)>> {
    let org = org_in_view(db, scope, org_id).await?;
    let rows = sqlx::query(
        "SELECT a.id, a.display_name FROM accounts a WHERE a.disabled = 0 AND EXISTS (SELECT 1 FROM role_grants g \
         JOIN units u ON u.id = g.unit_id WHERE g.account_id = a.id AND u.path >= $1 AND u.path < $2) \
         ORDER BY a.display_name, a.id LIMIT 500",
    )
    .bind(&org.path)
    .bind(org.root().path_end())
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("display_name")?)))
        .collect()
}

async fn incoming(
    tx: &mut WriteTx,
    scope: &Scope<PartnerManage>,
    viewer: &Viewer,
    id: i64,
) -> Result<Managed> {
    let m = managed(tx, scope, viewer, id).await?;
    if m.direction != Direction::Incoming {
        return Err(Error::Invalid("err.reg_direction"));
    }
    if m.status == Status::Done {
        return Err(Error::Invalid("err.reg_status"));
    }
    Ok(m)
}

/// Assigns an incoming document to an account of its organisation, with a due date.
#[expect(
    clippy::too_many_arguments,
    reason = "assignment with its date, due date and note"
)]
pub async fn assign(
    db: &Db,
    scope: &Scope<PartnerManage>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    assignee: i64,
    on: NaiveDate,
    due_on: Option<NaiveDate>,
    note: Option<String>,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let m = incoming(&mut tx, scope, viewer, id).await?;
    let org_path = m.path.clone();
    let end = {
        let mut e = org_path.clone();
        e.pop();
        e.push('0');
        e
    };
    let found = sqlx::query(
        "SELECT a.display_name FROM accounts a WHERE a.id = $1 AND EXISTS (SELECT 1 FROM role_grants g \
         JOIN units u ON u.id = g.unit_id WHERE g.account_id = a.id AND u.path >= $2 AND u.path < $3)",
    )
    .bind(assignee)
    .bind(&org_path)
    .bind(&end)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::Invalid("err.reg_assignee"))?;
    let name: String = found.try_get("display_name")?;
    sqlx::query("UPDATE register_entries SET assignee_id = $1, due_on = $2, status = 'assigned', updated_at = $3 WHERE id = $4")
        .bind(assignee)
        .bind(due_on.map(|d| d.to_string()))
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let text = match clean(&note) {
        Some(n) => format!("{name}: {n}"),
        None => name.clone(),
    };
    step(&mut tx, actor, id, on, "assign", Some(text)).await?;
    audit_change(
        &mut tx,
        actor,
        &m,
        id,
        "register.assign",
        json!({ "assignee": assignee, "due_on": due_on.map(|d| d.to_string()) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a processing step; the document is then in progress.
pub async fn add_step(
    db: &Db,
    scope: &Scope<PartnerManage>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    on: NaiveDate,
    note: &str,
) -> Result<()> {
    if note.trim().is_empty() || note.chars().count() > 1000 {
        return Err(Error::Invalid("err.reg_step_note"));
    }
    let mut tx = db.begin_write().await?;
    let m = incoming(&mut tx, scope, viewer, id).await?;
    sqlx::query(
        "UPDATE register_entries SET status = 'in_progress', updated_at = $1 WHERE id = $2",
    )
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    step(
        &mut tx,
        actor,
        id,
        on,
        "progress",
        Some(note.trim().to_owned()),
    )
    .await?;
    audit_change(
        &mut tx,
        actor,
        &m,
        id,
        "register.step",
        json!({ "on": on.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Marks an incoming document as dealt with.
pub async fn mark_done(
    db: &Db,
    scope: &Scope<PartnerManage>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    on: NaiveDate,
    note: Option<String>,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let m = incoming(&mut tx, scope, viewer, id).await?;
    sqlx::query("UPDATE register_entries SET status = 'done', updated_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    step(&mut tx, actor, id, on, "done", clean(&note)).await?;
    audit_change(
        &mut tx,
        actor,
        &m,
        id,
        "register.done",
        json!({ "on": on.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
