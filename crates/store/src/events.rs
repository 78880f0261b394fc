//! Organisation events: Party congresses, visits by leaders, elections, large meetings. They
//! are the ad-hoc peaks of protection work, shown on the calendar next to the holidays and
//! peak periods that the `lich` crate computes.
//!
//! # Who may do what
//! Seeing events needs `UnitView` over the unit that holds them; events held by the province
//! are shown to everyone, like the partners the province keeps, because a provincial congress
//! concerns every organisation. Adding, changing and removing events needs `PersonManage`
//! over the unit: that is the action held by the administrator, the organisation
//! administrator and the security officer, the people who run protection work. The
//! permission matrix has no calendar action of its own yet; when one is added, only the
//! capability named in [`create`], [`update`] and [`delete`] changes.
//!
//! # Dates
//! An event runs from `starts_on` to `ends_on`, both included, at most [`MAX_SPAN_DAYS`] days.
//! The bound keeps range queries cheap: an event that overlaps `[from, to]` must start on or
//! after `from − MAX_SPAN_DAYS`, so the start index limits the scan on both databases.

use crate::audit::{self, Actor, Event};
use crate::scope::{PersonManage, UnitView};
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, WriteTx, now_ms, units};
use chrono::{Days, NaiveDate};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Longest event, in days (a year, leap day included).
pub const MAX_SPAN_DAYS: i64 = 366;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Most events one list returns.
const LIST_LIMIT: i64 = 2000;

/// What kind of occasion an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Party or mass-organisation congress (đại hội).
    Congress,
    /// Visit by leaders or delegations.
    Visit,
    /// Election day.
    Election,
    /// Conference or large meeting.
    Meeting,
    Other,
}

impl EventKind {
    pub const ALL: &'static [EventKind] = &[
        EventKind::Congress,
        EventKind::Visit,
        EventKind::Election,
        EventKind::Meeting,
        EventKind::Other,
    ];

    /// The stored and API code.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Congress => "congress",
            EventKind::Visit => "visit",
            EventKind::Election => "election",
            EventKind::Meeting => "meeting",
            EventKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<EventKind> {
        let s = s.trim();
        EventKind::ALL
            .iter()
            .copied()
            .find(|k| k.code() == s)
            .ok_or(Error::Invalid("err.event_kind"))
    }
}

/// A stored event.
#[derive(Debug, Clone, Serialize)]
pub struct OrgEvent {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_path: String,
    pub title: String,
    pub kind: EventKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub location: Option<String>,
    pub note: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl OrgEvent {
    /// Whether the event takes place on `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        (self.starts_on..=self.ends_on).contains(&date)
    }
}

/// What a person fills in.
#[derive(Debug, Clone)]
pub struct EventInput {
    pub unit_id: i64,
    pub title: String,
    pub kind: EventKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub location: Option<String>,
    pub note: Option<String>,
}

impl EventInput {
    /// Checks the rules that do not need the database.
    pub fn check(&self) -> Result<()> {
        let n = self.title.trim().chars().count();
        if n == 0 || n > MAX_TITLE_CHARS {
            return Err(Error::Invalid("err.event_title"));
        }
        if self.ends_on < self.starts_on {
            return Err(Error::Invalid("err.event_order"));
        }
        if (self.ends_on - self.starts_on).num_days() + 1 > MAX_SPAN_DAYS {
            return Err(Error::Invalid("err.event_span"));
        }
        Ok(())
    }
}

const COLS: &str = "e.id, e.unit_id, u.name AS unit_name, e.unit_path, e.title, e.kind, \
                    e.starts_on, e.ends_on, e.location, e.note, e.created_by, e.created_at, e.updated_at";

fn day(r: &AnyRow, col: &str) -> Result<NaiveDate> {
    let s: String = r.try_get(col)?;
    s.parse().map_err(|_| {
        Error::Db(sqlx::Error::Decode(
            format!("org_events.{col}: {s:?} is not a date").into(),
        ))
    })
}

fn from_row(r: &AnyRow) -> Result<OrgEvent> {
    Ok(OrgEvent {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        title: r.try_get("title")?,
        kind: EventKind::parse(&r.try_get::<String, _>("kind")?)?,
        starts_on: day(r, "starts_on")?,
        ends_on: day(r, "ends_on")?,
        location: r.try_get("location")?,
        note: r.try_get("note")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// `SELECT … WHERE (in scope OR held by the province)`, ready for more conditions.
fn visible(scope: &Scope<UnitView>) -> SqlBuf {
    let mut sql = SqlBuf::new(&format!(
        "SELECT {COLS} FROM org_events e JOIN units u ON u.id = e.unit_id WHERE ("
    ));
    scope.push_filter(&mut sql, "e.unit_path", None);
    sql.push(" OR u.parent_id IS NULL)");
    sql
}

fn push_overlap(sql: &mut SqlBuf, from: NaiveDate, to: NaiveDate) {
    let earliest = from
        .checked_sub_days(Days::new(MAX_SPAN_DAYS as u64))
        .unwrap_or(NaiveDate::MIN);
    sql.push(" AND e.starts_on >= ")
        .arg_text(&earliest.to_string());
    sql.push(" AND e.starts_on <= ").arg_text(&to.to_string());
    sql.push(" AND e.ends_on >= ").arg_text(&from.to_string());
}

/// Events visible in the scope that take place on at least one day of `from..=to`, by start
/// date.
pub async fn list(
    db: &Db,
    scope: &Scope<UnitView>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<OrgEvent>> {
    let mut sql = visible(scope);
    push_overlap(&mut sql, from, to);
    sql.push(" ORDER BY e.starts_on, e.ends_on, e.id LIMIT ")
        .arg_i64(LIST_LIMIT);
    sql.query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// As [`list`], narrowed to the events of one unit's subtree and those of the province: what
/// that unit's calendar feed shows. The unit must be in the scope.
pub async fn list_for_unit(
    db: &Db,
    scope: &Scope<UnitView>,
    unit_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<OrgEvent>> {
    let unit = units::get(db, scope, unit_id).await?;
    let mut sql = visible(scope);
    sql.push(" AND ((e.unit_path >= ")
        .arg_text(&unit.path)
        .push(" AND e.unit_path < ")
        .arg_text(&unit.root().path_end())
        .push(") OR u.parent_id IS NULL)");
    push_overlap(&mut sql, from, to);
    sql.push(" ORDER BY e.starts_on, e.ends_on, e.id LIMIT ")
        .arg_i64(LIST_LIMIT);
    sql.query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// One event visible in the scope; outside it, not found.
pub async fn get(db: &Db, scope: &Scope<UnitView>, id: i64) -> Result<OrgEvent> {
    let mut sql = visible(scope);
    sql.push(" AND e.id = ").arg_i64(id);
    from_row(
        &sql.query()
            .fetch_optional(db.pool())
            .await?
            .ok_or(Error::NotFound)?,
    )
}

/// The unit an event is to be held by, read in the transaction; a unit outside the scope is
/// reported as a form error, the way the other forms report it.
async fn holder(
    tx: &mut WriteTx,
    scope: &Scope<PersonManage>,
    unit_id: i64,
) -> Result<units::Unit> {
    units::get_tx(tx, scope, unit_id)
        .await
        .map_err(|_| Error::Invalid("err.unit_unknown"))
}

/// The holder's path of a stored event, if the scope may change it.
async fn managed_path(tx: &mut WriteTx, scope: &Scope<PersonManage>, id: i64) -> Result<String> {
    let row = sqlx::query("SELECT unit_path FROM org_events WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::NotFound)?;
    let path: String = row.try_get("unit_path")?;
    if scope.contains_path(&path) {
        Ok(path)
    } else {
        Err(Error::NotFound)
    }
}

fn details(input: &EventInput) -> serde_json::Value {
    json!({
        "title": input.title.trim(),
        "kind": input.kind.code(),
        "starts_on": input.starts_on.to_string(),
        "ends_on": input.ends_on.to_string(),
        "unit_id": input.unit_id,
    })
}

/// Adds an event held by a unit of the scope; returns its id.
pub async fn create(
    db: &Db,
    scope: &Scope<PersonManage>,
    actor: &Actor,
    input: &EventInput,
) -> Result<i64> {
    input.check()?;
    let mut tx = db.begin_write().await?;
    let unit = holder(&mut tx, scope, input.unit_id).await?;
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO org_events (unit_id, unit_path, title, kind, starts_on, ends_on, location, note, \
         created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10) RETURNING id",
    )
    .bind(unit.id)
    .bind(&unit.path)
    .bind(input.title.trim())
    .bind(input.kind.code())
    .bind(input.starts_on.to_string())
    .bind(input.ends_on.to_string())
    .bind(clean(&input.location))
    .bind(clean(&input.note))
    .bind(actor.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let ev = Event {
        action: "event.create",
        object_kind: "event",
        object_id: id.to_string(),
        unit_path: Some(unit.path),
        details: details(input),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes an event; both the unit holding it now and the one named in `input` must be in
/// the scope (an event outside it is not found).
pub async fn update(
    db: &Db,
    scope: &Scope<PersonManage>,
    actor: &Actor,
    id: i64,
    input: &EventInput,
) -> Result<()> {
    input.check()?;
    let mut tx = db.begin_write().await?;
    managed_path(&mut tx, scope, id).await?;
    let unit = holder(&mut tx, scope, input.unit_id).await?;
    sqlx::query(
        "UPDATE org_events SET unit_id = $1, unit_path = $2, title = $3, kind = $4, starts_on = $5, \
         ends_on = $6, location = $7, note = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(unit.id)
    .bind(&unit.path)
    .bind(input.title.trim())
    .bind(input.kind.code())
    .bind(input.starts_on.to_string())
    .bind(input.ends_on.to_string())
    .bind(clean(&input.location))
    .bind(clean(&input.note))
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let ev = Event {
        action: "event.update",
        object_kind: "event",
        object_id: id.to_string(),
        unit_path: Some(unit.path),
        details: details(input),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an event held by a unit of the scope.
pub async fn delete(db: &Db, scope: &Scope<PersonManage>, actor: &Actor, id: i64) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let path = managed_path(&mut tx, scope, id).await?;
    let row = sqlx::query("DELETE FROM org_events WHERE id = $1 RETURNING title, starts_on")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let title: String = row.try_get("title")?;
    let starts_on: String = row.try_get("starts_on")?;
    let ev = Event {
        action: "event.delete",
        object_kind: "event",
        object_id: id.to_string(),
        unit_path: Some(path),
        details: json!({ "title": title, "starts_on": starts_on }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(())
}
