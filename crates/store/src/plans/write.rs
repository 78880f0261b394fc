//! Writing plans: creating one from a template or from last year's plan, and editing a draft.
//! Every write runs in one [`Db::begin_write`] transaction with its history row and audit
//! entry; the lifecycle transitions are in `lifecycle.rs`.

use super::Content;
use super::{MAX_SPAN_DAYS, MAX_TITLE_CHARS, peaks, plan_type, rows, templates};
use crate::audit::{self, Actor, Event};
use crate::registers::{Level, Viewer};
use crate::scope::{PlanManage, PlanView};
use crate::units::{self, Unit};
use crate::{Cap, Db, Error, Result, Scope, WriteTx, now_ms};
use chrono::{Datelike, NaiveDate};
use domain::plans::PlanState;
use domain::values::UnitKind;
use serde_json::json;
use sqlx::Row;

/// Where a new plan's content comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The template of its peak type (or of events).
    Template,
    /// An earlier plan of the same organisation and the same peak, with its dates moved.
    Copy(i64),
}

/// The header fields of a plan a person edits.
#[derive(Debug, Clone)]
pub struct PlanHeader {
    pub title: String,
    /// KH or PA.
    pub doc_type: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub secrecy: Level,
}

/// A plan to create: for a calendar peak of a year, or for an organisation event.
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub org_id: i64,
    pub peak_id: Option<String>,
    pub event_id: Option<i64>,
    /// The solar year of the peak (ignored for an event: its start decides).
    pub year: i32,
    pub origin: Origin,
}

fn audit_title(level: Level, title: &str) -> Option<String> {
    // The audit log is read by administrators who may hold no clearance.
    (!level.is_secret()).then(|| title.trim().to_owned())
}

pub(super) async fn history(
    tx: &mut WriteTx,
    id: i64,
    from: Option<PlanState>,
    to: PlanState,
    actor: &Actor,
    note: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO plan_history (plan_id, from_state, to_state, actor_name, note, at) VALUES ($1,$2,$3,$4,$5,$6)",
    )
    .bind(id)
    .bind(from.map(|s| s.code()))
    .bind(to.code())
    .bind(&actor.name)
    .bind(note.map(str::trim).filter(|n| !n.is_empty()))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The organisation a plan is made for: an organisation of the scope.
async fn organisation<C: Cap>(db: &Db, scope: &Scope<C>, org_id: i64) -> Result<Unit> {
    let org = units::get(db, scope, org_id).await?;
    if org.kind != UnitKind::Organisation {
        return Err(Error::Invalid("err.plan_org"));
    }
    Ok(org)
}

/// Creates a draft plan and returns its id.
pub async fn create(
    db: &Db,
    scope: &Scope<PlanManage>,
    viewer: &Viewer,
    actor: &Actor,
    np: &NewPlan,
) -> Result<i64> {
    let org = organisation(db, scope, np.org_id).await?;
    let (peak_id, event_id, year, window, event_title) = match (&np.peak_id, np.event_id) {
        (Some(p), None) => {
            let w = peaks::window(p, np.year)?;
            (Some(w.id.clone()), None, np.year, (w.start, w.end), None)
        }
        (None, Some(e)) => {
            let ev = peaks::event_of(db, &org, e).await?;
            (
                None,
                Some(ev.id),
                ev.starts_on.year(),
                (ev.starts_on, ev.ends_on),
                Some(ev.title),
            )
        }
        _ => return Err(Error::Invalid("err.plan_peak")),
    };
    let kind = peak_id.clone().unwrap_or_else(|| "event".to_owned());
    let (title, doc_type, secrecy, content, starts_on, ends_on, copied_from) = match np.origin {
        Origin::Template => {
            let partners = templates::partners_of(db, &org).await?;
            let t = templates::build(&kind, year, event_title.as_deref(), &partners);
            (
                t.title,
                t.doc_type,
                Level::None,
                t.content,
                window.0,
                window.1,
                None,
            )
        }
        Origin::Copy(src_id) => {
            // The source must be a plan of this organisation, which the caller's scope has
            // just been checked to cover: reading within the organisation's subtree is exact.
            let view: Scope<PlanView> = Scope::whole_system_for_cli(org.root());
            let src = super::get(db, &view, viewer, src_id).await?;
            if src.redacted {
                return Err(Error::NotFound);
            }
            if src.peak_id != peak_id || src.org_id != org.id {
                return Err(Error::Invalid("err.plan_copy_kind"));
            }
            let mut content = super::load_content(db, &src).await?;
            // Last year's text speaks of last year ("… Tết Nguyên đán năm 2026"); only the
            // phrase "năm <year>" is moved, so phone numbers and other figures stay as they were.
            content.objectives = content
                .objectives
                .replace(&format!("năm {}", src.year), &format!("năm {year}"));
            let (s, e) = peaks::move_dates(&src, window)?;
            let title = src
                .title_text()
                .replace(&src.year.to_string(), &year.to_string());
            (
                title,
                src.doc_type,
                src.secrecy,
                content,
                s,
                e,
                Some(src.id),
            )
        }
    };
    let mut tx = db.begin_write().await?;
    let exists = sqlx::query(
        "SELECT id FROM plans WHERE org_id = $1 AND ((peak_id = $2 AND year = $3) OR event_id = $4)",
    )
    .bind(org.id)
    .bind(peak_id.as_deref().unwrap_or("-"))
    .bind(i64::from(year))
    .bind(event_id.unwrap_or(-1))
    .fetch_optional(&mut *tx)
    .await?;
    if exists.is_some() {
        return Err(Error::Conflict("err.plan_exists"));
    }
    rows::check_links(&mut tx, &org, &content).await?;
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO plans (org_id, unit_path, year, peak_id, event_id, kind, title, doc_type, starts_on, \
         ends_on, objectives, secrecy, secrecy_rank, state, copied_from, created_by, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'draft',$14,$15,$16,$16) RETURNING id",
    )
    .bind(org.id)
    .bind(&org.path)
    .bind(i64::from(year))
    .bind(&peak_id)
    .bind(event_id)
    .bind(&kind)
    .bind(title.trim())
    .bind(doc_type.code())
    .bind(starts_on.to_string())
    .bind(ends_on.to_string())
    .bind(content.objectives.trim())
    .bind(secrecy.code())
    .bind(secrecy.rank())
    .bind(copied_from)
    .bind(actor.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    rows::write(&mut tx, id, &content).await?;
    history(&mut tx, id, None, PlanState::Draft, actor, None).await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "plan.create",
            object_kind: "plan",
            object_id: id.to_string(),
            unit_path: Some(org.path.clone()),
            details: json!({
                "peak": peak_id, "event": event_id, "year": year, "copied_from": copied_from,
                "starts_on": starts_on.to_string(), "ends_on": ends_on.to_string(),
                "title": audit_title(secrecy, &title),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The stored facts of a plan that a write needs, read inside the transaction.
pub(super) struct Current {
    pub(super) org_id: i64,
    pub(super) path: String,
    pub(super) state: PlanState,
    pub(super) secrecy: Level,
    pub(super) title: String,
    pub(super) doc_type: String,
    pub(super) objectives: String,
}

pub(super) async fn current<C: Cap>(
    tx: &mut WriteTx,
    scope: &Scope<C>,
    viewer: &Viewer,
    id: i64,
) -> Result<Current> {
    let r = sqlx::query(
        "SELECT org_id, unit_path, state, secrecy, title, doc_type, objectives FROM plans WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound)?;
    let c = Current {
        org_id: r.try_get("org_id")?,
        path: r.try_get("unit_path")?,
        state: PlanState::parse(&r.try_get::<String, _>("state")?)
            .ok_or(Error::Invalid("err.plan_state"))?,
        secrecy: Level::parse(&r.try_get::<String, _>("secrecy")?)?,
        title: r.try_get("title")?,
        doc_type: r.try_get("doc_type")?,
        objectives: r.try_get("objectives")?,
    };
    if !scope.contains_path(&c.path) || !viewer.may_read(c.secrecy) {
        return Err(Error::NotFound);
    }
    Ok(c)
}

/// Checks the header fields a person edits.
fn check_header(h: &PlanHeader) -> Result<(NaiveDate, NaiveDate)> {
    let n = h.title.trim().chars().count();
    if n == 0 || n > MAX_TITLE_CHARS {
        return Err(Error::Invalid("err.plan_title"));
    }
    plan_type(&h.doc_type)?;
    let (Some(s), Some(e)) = (h.starts_on, h.ends_on) else {
        return Err(Error::Invalid("err.plan_dates_missing"));
    };
    if e < s {
        return Err(Error::Invalid("err.plan_dates"));
    }
    if (e - s).num_days() >= MAX_SPAN_DAYS {
        return Err(Error::Invalid("err.plan_span"));
    }
    Ok((s, e))
}

/// Saves the header and content of a draft; nothing is saved when any part is refused.
pub async fn update(
    db: &Db,
    scope: &Scope<PlanManage>,
    viewer: &Viewer,
    actor: &Actor,
    id: i64,
    h: &PlanHeader,
    content: &Content,
) -> Result<()> {
    let (s, e) = check_header(h)?;
    rows::check_shape(content)?;
    let mut tx = db.begin_write().await?;
    let cur = current(&mut tx, scope, viewer, id).await?;
    if !cur.state.editable() {
        return Err(Error::Invalid("err.plan_not_draft"));
    }
    let org = units::get_tx(&mut tx, scope, cur.org_id).await?;
    rows::check_links(&mut tx, &org, content).await?;
    sqlx::query(
        "UPDATE plans SET title = $1, doc_type = $2, starts_on = $3, ends_on = $4, objectives = $5, \
         secrecy = $6, secrecy_rank = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(h.title.trim())
    .bind(plan_type(&h.doc_type)?.code())
    .bind(s.to_string())
    .bind(e.to_string())
    .bind(content.objectives.trim())
    .bind(h.secrecy.code())
    .bind(h.secrecy.rank())
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    rows::write(&mut tx, id, content).await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "plan.update",
            object_kind: "plan",
            object_id: id.to_string(),
            unit_path: Some(cur.path.clone()),
            details: json!({
                "title": audit_title(h.secrecy.max(cur.secrecy), &h.title),
                "starts_on": s.to_string(), "ends_on": e.to_string(), "secrecy": h.secrecy.code(),
                "forces": content.forces.len(), "tasks": content.tasks.len(),
                "contacts": content.contacts.len(), "steps": content.steps.len(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
