//! Swaps: a person on a published roster asks to hand a duty to a colleague (or to exchange
//! it for one of theirs); the officer approves or rejects. Approval re-checks every rule for
//! both people with the engine and is refused, with the rules it would break, when the swap
//! breaks one (rest after a night, leave, a run too long…). Each step is audited.

use super::build::{self, Reason};
use super::ops::{model_of, write_cell};
use super::setup::{finish, locate};
use super::{RosterState, day, read};
use crate::audit::{self, Actor, Event};
use crate::scope::{RosterManage, RosterView};
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, now_ms};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// A swap request.
#[derive(Debug, Clone, Serialize)]
pub struct Swap {
    pub id: i64,
    pub roster_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub day: NaiveDate,
    pub other_id: i64,
    pub other_name: String,
    pub other_day: Option<NaiveDate>,
    pub note: String,
    /// requested, approved, refused (broke a rule) or rejected (by the officer).
    pub state: String,
    /// The rules an approval would have broken (engine rule names), when refused.
    pub refusal: Vec<String>,
    pub created_at: i64,
}

/// What happened to an approval.
#[derive(Debug, Clone, Serialize)]
pub enum Decision {
    Approved,
    Rejected,
    /// The swap would break these rules; nothing changed on the roster.
    Refused(Vec<Reason>),
}

const COLS: &str = "s.id, s.roster_id, s.person_id, a.full_name AS person_name, s.day, \
    s.other_id, b.full_name AS other_name, s.other_day, s.note, s.state, s.refusal, s.created_at";

fn swap_of(r: &sqlx::any::AnyRow) -> Result<Swap> {
    let other_day: Option<String> = r.try_get("other_day")?;
    let refusal: Option<String> = r.try_get("refusal")?;
    Ok(Swap {
        id: r.try_get("id")?,
        roster_id: r.try_get("roster_id")?,
        person_id: r.try_get("person_id")?,
        person_name: r.try_get("person_name")?,
        day: day(&r.try_get::<String, _>("day")?)?,
        other_id: r.try_get("other_id")?,
        other_name: r.try_get("other_name")?,
        other_day: other_day.as_deref().map(day).transpose()?,
        note: r.try_get("note")?,
        state: r.try_get("state")?,
        refusal: refusal
            .map(|s| {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        created_at: r.try_get("created_at")?,
    })
}

/// Swaps of a roster in the scope, newest first.
pub async fn list(db: &Db, scope: &Scope<RosterView>, roster_id: i64) -> Result<Vec<Swap>> {
    let mut sql = SqlBuf::new(&format!(
        "SELECT {COLS} FROM roster_swaps s JOIN rosters r ON r.id = s.roster_id \
         JOIN people a ON a.id = s.person_id JOIN people b ON b.id = s.other_id WHERE s.roster_id = "
    ));
    sql.arg_i64(roster_id).push(" AND ");
    scope.push_filter(&mut sql, "r.unit_path", Some("r.org_id"));
    sql.push(" ORDER BY s.id DESC LIMIT 200");
    let rows = sql.query().fetch_all(db.pool()).await?;
    rows.iter().map(swap_of).collect()
}

/// The swaps a person asked for or was named in, newest first.
pub async fn of_person(db: &Db, person_id: i64) -> Result<Vec<Swap>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM roster_swaps s JOIN people a ON a.id = s.person_id \
         JOIN people b ON b.id = s.other_id WHERE s.person_id = $1 OR s.other_id = $1 \
         ORDER BY s.id DESC LIMIT 100"
    )))
    .bind(person_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(swap_of).collect()
}

/// What a person asks: to hand their duty on `day` to `other_id`, or, with `other_day`, to
/// exchange it for the colleague's duty that day.
#[derive(Debug, Clone)]
pub struct SwapRequest {
    pub roster_id: i64,
    pub day: NaiveDate,
    pub other_id: i64,
    pub other_day: Option<NaiveDate>,
    pub note: String,
}

/// A person asks for a swap, only on a published roster both are on.
pub async fn request(db: &Db, actor: &Actor, person_id: i64, req: &SwapRequest) -> Result<i64> {
    let SwapRequest {
        roster_id,
        day,
        other_id,
        other_day,
        ref note,
    } = *req;
    let d = read::published_for_person(db, roster_id, person_id).await?;
    if other_id == person_id || d.member(other_id).is_none() {
        return Err(Error::Invalid("err.ro_swap_other"));
    }
    if d.cell(person_id, day).is_none() {
        return Err(Error::Invalid("err.ro_swap_no_duty"));
    }
    if let Some(od) = other_day
        && d.cell(other_id, od).is_none()
    {
        return Err(Error::Invalid("err.ro_swap_no_other_duty"));
    }
    let note: String = note.trim().chars().take(500).collect();
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "INSERT INTO roster_swaps (roster_id, person_id, day, other_id, other_day, note, state, \
         requested_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,'requested',$7,$8) RETURNING id",
    )
    .bind(roster_id)
    .bind(person_id)
    .bind(day.to_string())
    .bind(other_id)
    .bind(other_day.map(|d| d.to_string()))
    .bind(&note)
    .bind(actor.account_id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let ev = Event {
        action: "roster.swap_request",
        object_kind: "roster_swap",
        object_id: id.to_string(),
        unit_path: Some(d.roster.unit_path.clone()),
        details: json!({ "roster": roster_id, "person": person_id, "day": day.to_string(),
            "other": other_id, "other_day": other_day.map(|d| d.to_string()) }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// The officer's decision on a requested swap. Approval moves the duties only if neither
/// person then breaks a hard rule; otherwise the swap is marked refused with those rules.
pub async fn decide(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    swap_id: i64,
    approve: bool,
) -> Result<Decision> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM roster_swaps s JOIN people a ON a.id = s.person_id \
         JOIN people b ON b.id = s.other_id WHERE s.id = $1"
    )))
    .bind(swap_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(Error::NotFound)?;
    let swap = swap_of(&row)?;
    // The roster must be in the officer's scope: out of scope is not found.
    let d = read::get(db, scope, swap.roster_id).await?;
    if swap.state != "requested" {
        return Err(Error::Invalid("err.ro_swap_decided"));
    }
    if d.roster.state != RosterState::Published {
        return Err(Error::Invalid("err.ro_not_published"));
    }
    let mut moves: Vec<(i64, NaiveDate, Option<i64>)> = Vec::new();
    let mut decision = Decision::Rejected;
    let mut refusal: Vec<String> = Vec::new();
    if approve {
        let Some(shift) = d.cell(swap.person_id, swap.day) else {
            return Err(Error::Invalid("err.ro_swap_no_duty"));
        };
        moves.push((swap.person_id, swap.day, None));
        moves.push((swap.other_id, swap.day, Some(shift)));
        if let Some(od) = swap.other_day {
            let Some(theirs) = d.cell(swap.other_id, od) else {
                return Err(Error::Invalid("err.ro_swap_no_other_duty"));
            };
            // Two moves on one day (an exchange within the same day) keep the later one.
            moves.retain(|m| !(m.0 == swap.other_id && m.1 == od));
            moves.push((
                swap.other_id,
                od,
                if od == swap.day { Some(shift) } else { None },
            ));
            moves.push((swap.person_id, od, Some(theirs)));
        }
        let built = model_of(db, &d)
            .await?
            .map_err(|_| Error::Invalid("err.ro_setup_broken"))?;
        let mut after = d.clone();
        for (p, day, s) in &moves {
            after
                .cells
                .retain(|c| !(c.person_id == *p && c.day == *day));
            if let Some(s) = s {
                after.cells.push(super::Cell {
                    person_id: *p,
                    day: *day,
                    shift_id: *s,
                });
            }
        }
        let ev = roster::evaluate(&built.model, &built.roster_of(&after.cells));
        let broken: Vec<Reason> = build::reasons(&built, &after, &ev)
            .into_iter()
            .filter(|r| {
                r.hard
                    && (r.person_id == Some(swap.person_id) || r.person_id == Some(swap.other_id))
            })
            .collect();
        if broken.is_empty() {
            decision = Decision::Approved;
            let holiday = |day: NaiveDate, s: i64| {
                built
                    .days
                    .iter()
                    .position(|x| *x == day)
                    .is_some_and(|i| built.holidays[i])
                    && d.shift(s).is_some_and(|s| s.burden)
            };
            let mut tx = db.begin_write().await?;
            let (path, _, _) =
                locate(&mut tx, scope, d.roster.id, &[RosterState::Published]).await?;
            for (p, day, s) in &moves {
                let h = s.is_some_and(|s| holiday(*day, s));
                write_cell(&mut tx, d.roster.id, *p, *day, *s, h).await?;
            }
            set_state(&mut tx, swap_id, "approved", None, actor).await?;
            let details = json!({ "swap": swap_id, "approved": true });
            finish(tx, actor, d.roster.id, path, "roster.swap_approve", details).await?;
            return Ok(decision);
        }
        refusal = broken.iter().map(|r| r.kind.to_owned()).collect();
        refusal.dedup();
        decision = Decision::Refused(broken);
    }
    let state = if approve { "refused" } else { "rejected" };
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, d.roster.id, &[RosterState::Published]).await?;
    set_state(&mut tx, swap_id, state, Some(refusal.join(",")), actor).await?;
    let details = json!({ "swap": swap_id, "state": state, "broken": refusal });
    finish(tx, actor, d.roster.id, path, "roster.swap_decide", details).await?;
    Ok(decision)
}

async fn set_state(
    tx: &mut crate::WriteTx,
    swap_id: i64,
    state: &str,
    refusal: Option<String>,
    actor: &Actor,
) -> Result<()> {
    sqlx::query(
        "UPDATE roster_swaps SET state = $1, refusal = $2, decided_by = $3, decided_at = $4 WHERE id = $5",
    )
    .bind(state)
    .bind(refusal.filter(|r| !r.is_empty()))
    .bind(actor.account_id)
    .bind(now_ms())
    .bind(swap_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
