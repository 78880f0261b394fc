//! The lifecycle transitions of a plan (see [`domain::plans::PlanState`]): each runs in one
//! [`Db::begin_write`] transaction with its history row and audit entry, and approval draws the
//! register number in that same transaction.

use super::write::{Current, current, history};
use crate::audit::{self, Actor, Event};
use crate::registers::{self, OutgoingInput, Viewer};
use crate::scope::{PlanApprove, PlanManage};
use crate::units::{self, Unit};
use crate::{Cap, Db, Error, Result, Scope, WriteTx, now_ms};
use chrono::NaiveDate;
use domain::plans::{PlanState, Transition};
use serde_json::json;
use sqlx::Row;

/// The message shown when a transition is asked from the wrong state.
fn wrong_state(t: Transition) -> Error {
    Error::Invalid(match t {
        Transition::Submit => "err.plan_submit_state",
        Transition::Return => "err.plan_return_state",
        Transition::Approve => "err.plan_approve_state",
        Transition::Start => "err.plan_start_state",
        Transition::Close => "err.plan_close_state",
    })
}

/// Applies one transition with its own writes, history row and audit entry.
#[expect(clippy::too_many_arguments, reason = "the transition and its context")]
async fn change<C: Cap>(
    db: &Db,
    scope: &Scope<C>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    t: Transition,
    note: Option<&str>,
    today: NaiveDate,
) -> Result<PlanState> {
    let mut tx = db.begin_write().await?;
    let cur = current(&mut tx, scope, viewer, id).await?;
    let next = cur.state.after(t).ok_or_else(|| wrong_state(t))?;
    let mut details = json!({ "from": cur.state.code(), "to": next.code() });
    match t {
        Transition::Approve => {
            let org = units::get_tx(&mut tx, scope, cur.org_id).await?;
            let saved = issue(&mut tx, &org, actor, id, &cur, today).await?;
            sqlx::query(
                "UPDATE plans SET register_entry_id = $1, approved_by = $2, approved_name = \
                 (SELECT display_name FROM accounts WHERE id = $2), approved_at = $3 WHERE id = $4",
            )
            .bind(saved.id)
            .bind(actor.account_id)
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            details["number"] = json!(saved.number);
            details["ky_hieu"] = json!(saved.ky_hieu);
            details["register_entry"] = json!(saved.id);
        }
        Transition::Close => {
            let report = note.map(str::trim).unwrap_or_default();
            if report.is_empty() || report.chars().count() > super::MAX_TEXT_CHARS {
                return Err(Error::Invalid("err.plan_report"));
            }
            sqlx::query("UPDATE plans SET after_action = $1 WHERE id = $2")
                .bind(report)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        Transition::Return => {
            if note.is_none_or(|n| n.trim().is_empty()) {
                return Err(Error::Invalid("err.plan_return_note"));
            }
        }
        Transition::Submit | Transition::Start => {}
    }
    sqlx::query("UPDATE plans SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(next.code())
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // The after-action report is kept on the plan; the history notes only that it was given.
    let hist_note = if t == Transition::Close { None } else { note };
    history(&mut tx, id, Some(cur.state), next, actor, hist_note).await?;
    if let Some(n) = hist_note.filter(|_| !cur.secrecy.is_secret()) {
        details["note"] = json!(n.trim());
    }
    audit::append(
        &mut tx,
        actor,
        Event {
            action: match t {
                Transition::Submit => "plan.submit",
                Transition::Return => "plan.return",
                Transition::Approve => "plan.approve",
                Transition::Start => "plan.start",
                Transition::Close => "plan.close",
            },
            object_kind: "plan",
            object_id: id.to_string(),
            unit_path: Some(cur.path.clone()),
            details,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

/// Registers the plan as an outgoing document signed by the approving leader.
async fn issue(
    tx: &mut WriteTx,
    org: &Unit,
    actor: &Actor,
    id: i64,
    cur: &Current,
    today: NaiveDate,
) -> Result<registers::Saved> {
    let signer = sqlx::query(
        "SELECT a.display_name, pe.position FROM accounts a LEFT JOIN people pe ON pe.id = a.person_id WHERE a.id = $1",
    )
    .bind(actor.account_id.unwrap_or(-1))
    .fetch_optional(&mut **tx)
    .await?;
    let (name, position) = match signer {
        Some(r) => (
            r.try_get::<String, _>("display_name")?,
            r.try_get::<Option<String>, _>("position")?,
        ),
        None => (actor.name.clone(), None),
    };
    let partners = sqlx::query(
        "SELECT DISTINCT pa.name FROM partners pa WHERE pa.id IN \
         (SELECT partner_id FROM plan_tasks WHERE plan_id = $1) ORDER BY pa.name",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let mut recipients = partners
        .iter()
        .map(|r| r.try_get::<String, _>("name"))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    recipients.push("Lưu: VT".to_owned());
    let input = OutgoingInput {
        org_id: org.id,
        doc_type: cur.doc_type.clone(),
        doc_date: Some(today),
        title: cur.title.clone(),
        content: Some(cur.objectives.clone()).filter(|o| !o.trim().is_empty()),
        signer: name,
        signer_position: position.filter(|p| !p.trim().is_empty()),
        recipients,
        secrecy: Some(cur.secrecy),
        copies: 1,
        ..OutgoingInput::default()
    };
    registers::issue_in_tx(tx, org, actor, &input).await
}

/// Draft → submitted.
pub async fn submit(
    db: &Db,
    scope: &Scope<PlanManage>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
) -> Result<PlanState> {
    change(
        db,
        scope,
        viewer,
        actor,
        id,
        Transition::Submit,
        None,
        today,
    )
    .await
}

/// Submitted → approved, issuing the plan with its register number.
pub async fn approve(
    db: &Db,
    scope: &Scope<PlanApprove>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    note: Option<&str>,
    today: NaiveDate,
) -> Result<PlanState> {
    change(
        db,
        scope,
        viewer,
        actor,
        id,
        Transition::Approve,
        note,
        today,
    )
    .await
}

/// Submitted → draft, with the reason.
pub async fn send_back(
    db: &Db,
    scope: &Scope<PlanApprove>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    reason: &str,
    today: NaiveDate,
) -> Result<PlanState> {
    change(
        db,
        scope,
        viewer,
        actor,
        id,
        Transition::Return,
        Some(reason),
        today,
    )
    .await
}

/// Approved → in effect.
pub async fn start(
    db: &Db,
    scope: &Scope<PlanManage>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
) -> Result<PlanState> {
    change(db, scope, viewer, actor, id, Transition::Start, None, today).await
}

/// In effect → closed, with the after-action report.
pub async fn close(
    db: &Db,
    scope: &Scope<PlanManage>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    report: &str,
    today: NaiveDate,
) -> Result<PlanState> {
    change(
        db,
        scope,
        viewer,
        actor,
        id,
        Transition::Close,
        Some(report),
        today,
    )
    .await
}
