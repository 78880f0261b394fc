//! Setting a roster up: creating it with the default shift types and cover, its rules, shift
//! types and cover lines (people, leave and wishes are in `people`). Each function is one write transaction with its
//! audit entry; the setup changes only while the roster is a draft. A roster created for a
//! protection plan is checked against the plan in the same transaction (see `plans`).

use super::removal::{Cascade, remove_cascade, remove_row};
use super::{MAX_DAYS, MAX_TITLE_CHARS, RosterState, Rules, SKILLS};
use crate::audit::{self, Actor, Event};
use crate::scope::RosterManage;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, WriteTx, now_ms, units};
use chrono::NaiveDate;
use domain::values::UnitKind;
use serde_json::{Value, json};
use sqlx::Row;

/// A new roster as the officer fills it in.
#[derive(Debug, Clone)]
pub struct NewRoster {
    pub org_id: i64,
    pub title: String,
    pub start_day: NaiveDate,
    pub end_day: NaiveDate,
    pub plan_id: Option<i64>,
}

pub type RulesInput = Rules;

/// A shift type as entered.
#[derive(Debug, Clone)]
pub struct ShiftInput {
    pub name: String,
    pub start_minute: i64,
    pub minutes: i64,
    pub skill: Option<String>,
    pub burden: bool,
}

/// A cover line as entered.
#[derive(Debug, Clone)]
pub struct CoverInput {
    pub shift_id: i64,
    pub skill: Option<String>,
    pub day: Option<NaiveDate>,
    pub headcount: i64,
}

/// The defaults of a new roster: (code, name, start, minutes, skill, holiday night) and the
/// cover lines (shift code, skill, head count) of a headquarters' duty.
type ShiftDefault = (
    &'static str,
    &'static str,
    i64,
    i64,
    Option<&'static str>,
    bool,
);
const DEFAULT_SHIFTS: &[ShiftDefault] = &[
    ("ngay", "Ca ngày", 7 * 60, 12 * 60, None, false),
    ("dem", "Ca đêm", 19 * 60, 12 * 60, None, true),
    ("24h", "Trực 24 giờ", 7 * 60, 24 * 60, None, true),
    (
        "ld",
        "Lãnh đạo trực",
        7 * 60,
        24 * 60,
        Some("leader"),
        false,
    ),
];
const DEFAULT_COVERS: &[(&str, &str, i64)] = &[
    ("ngay", "", 3),
    ("ngay", "self_defence", 2),
    ("ngay", "driver", 1),
    ("dem", "", 3),
    ("dem", "self_defence", 2),
    ("24h", "", 1),
    ("24h", "fire_force", 1),
    ("ld", "", 1),
];

/// The roster's organisation path, if the roster is in the scope and still a draft (or in
/// one of `states`).
pub(crate) async fn locate(
    tx: &mut WriteTx,
    scope: &Scope<RosterManage>,
    id: i64,
    states: &[RosterState],
) -> Result<(String, i64, RosterState)> {
    let mut sql = SqlBuf::new("SELECT unit_path, org_id, state FROM rosters WHERE id = ");
    sql.arg_i64(id).push(" AND ");
    scope.push_filter(&mut sql, "unit_path", Some("org_id"));
    let row = sql
        .query()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::NotFound)?;
    let state = RosterState::parse(&row.try_get::<String, _>("state")?)?;
    if !states.contains(&state) {
        return Err(Error::Invalid("err.ro_not_draft"));
    }
    Ok((row.try_get("unit_path")?, row.try_get("org_id")?, state))
}

/// Records the change on the roster and in the audit log, then commits.
pub(crate) async fn finish(
    mut tx: WriteTx,
    actor: &Actor,
    id: i64,
    path: String,
    action: &str,
    details: Value,
) -> Result<()> {
    sqlx::query("UPDATE rosters SET updated_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let ev = Event {
        action,
        object_kind: "roster",
        object_id: id.to_string(),
        unit_path: Some(path),
        details,
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(())
}

fn check_title(s: &str) -> Result<String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Error::Invalid("err.ro_title"));
    }
    if t.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::Invalid("err.ro_too_long"));
    }
    Ok(t.to_owned())
}

/// Creates a draft roster of an organisation in the scope, with the default shift types and
/// cover and the default rules.
pub async fn create(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    input: &NewRoster,
) -> Result<i64> {
    let title = check_title(&input.title)?;
    if input.end_day < input.start_day {
        return Err(Error::Invalid("err.ro_period"));
    }
    if (input.end_day - input.start_day).num_days() >= MAX_DAYS {
        return Err(Error::Invalid("err.ro_too_long_period"));
    }
    let mut tx = db.begin_write().await?;
    let org = units::get_tx(&mut tx, scope, input.org_id).await?;
    if org.kind != UnitKind::Organisation {
        return Err(Error::Invalid("err.ro_org"));
    }
    if let Some(plan) = input.plan_id {
        super::plans::check_link(&mut tx, scope, plan, org.id, input.start_day, input.end_day)
            .await?;
    }
    let now = now_ms();
    let r = Rules::default();
    let row = sqlx::query(
        "INSERT INTO rosters (org_id, unit_path, plan_id, title, start_day, end_day, state, \
         rest_minutes, max_per_type, max_minutes, max_consecutive, min_days_off, max_weekends, \
         spread_weight, holiday_weight, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,'draft',$7,$8,$9,$10,$11,$12,$13,$14,$15,$15) RETURNING id",
    )
    .bind(org.id)
    .bind(&org.path)
    .bind(input.plan_id)
    .bind(&title)
    .bind(input.start_day.to_string())
    .bind(input.end_day.to_string())
    .bind(r.rest_minutes)
    .bind(r.max_per_type)
    .bind(r.max_minutes)
    .bind(r.max_consecutive)
    .bind(r.min_days_off)
    .bind(r.max_weekends)
    .bind(r.spread_weight)
    .bind(r.holiday_weight)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let mut codes = Vec::new();
    for (code, name, start, minutes, skill, burden) in DEFAULT_SHIFTS {
        let row = sqlx::query(
            "INSERT INTO roster_shifts (roster_id, code, name, start_minute, minutes, skill, burden) \
             VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
        )
        .bind(id)
        .bind(*code)
        .bind(*name)
        .bind(*start)
        .bind(*minutes)
        .bind(*skill)
        .bind(i64::from(*burden))
        .fetch_one(&mut *tx)
        .await?;
        codes.push((*code, row.try_get::<i64, _>("id")?));
    }
    for (code, skill, n) in DEFAULT_COVERS {
        let shift = codes.iter().find(|c| c.0 == *code).map_or(0, |c| c.1);
        sqlx::query(
            "INSERT INTO roster_covers (roster_id, shift_id, skill, day, headcount) \
             VALUES ($1,$2,$3,NULL,$4)",
        )
        .bind(id)
        .bind(shift)
        .bind(*skill)
        .bind(*n)
        .execute(&mut *tx)
        .await?;
    }
    let ev = Event {
        action: "roster.create",
        object_kind: "roster",
        object_id: id.to_string(),
        unit_path: Some(org.path.clone()),
        details: json!({ "title": title, "start": input.start_day.to_string(),
            "end": input.end_day.to_string(), "plan_id": input.plan_id }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes the rules and fairness weights.
pub async fn update_rules(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    r: &RulesInput,
) -> Result<()> {
    let bad = !(0..=48 * 60).contains(&r.rest_minutes)
        || r.max_per_type.is_some_and(|x| !(1..=MAX_DAYS).contains(&x))
        || r.max_minutes
            .is_some_and(|x| !(60..=MAX_DAYS * 1440).contains(&x))
        || r.max_consecutive
            .is_some_and(|x| !(1..=MAX_DAYS).contains(&x))
        || !(0..=14).contains(&r.min_days_off)
        || r.max_weekends.is_some_and(|x| !(0..=14).contains(&x))
        || !(0..=1000).contains(&r.spread_weight)
        || !(0..=1000).contains(&r.holiday_weight);
    if bad {
        return Err(Error::Invalid("err.ro_rules"));
    }
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    sqlx::query(
        "UPDATE rosters SET rest_minutes = $1, max_per_type = $2, max_minutes = $3, \
         max_consecutive = $4, min_days_off = $5, max_weekends = $6, spread_weight = $7, \
         holiday_weight = $8 WHERE id = $9",
    )
    .bind(r.rest_minutes)
    .bind(r.max_per_type)
    .bind(r.max_minutes)
    .bind(r.max_consecutive)
    .bind(r.min_days_off)
    .bind(r.max_weekends)
    .bind(r.spread_weight)
    .bind(r.holiday_weight)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let details = serde_json::to_value(r).unwrap_or(Value::Null);
    finish(tx, actor, id, path, "roster.rules", details).await
}

fn check_skill(s: &Option<String>) -> Result<Option<String>> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(k) if SKILLS.contains(&k) => Ok(Some(k.to_owned())),
        Some(_) => Err(Error::Invalid("err.ro_skill")),
    }
}

/// Adds a shift type.
pub async fn add_shift(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    s: &ShiftInput,
) -> Result<i64> {
    let name = check_title(&s.name).map_err(|_| Error::Invalid("err.ro_shift_name"))?;
    if !(0..1440).contains(&s.start_minute) || !(30..=1440).contains(&s.minutes) {
        return Err(Error::Invalid("err.ro_shift_time"));
    }
    let skill = check_skill(&s.skill)?;
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM roster_shifts WHERE roster_id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if n >= 20 {
        return Err(Error::Invalid("err.ro_too_many_shifts"));
    }
    let row = sqlx::query(
        "INSERT INTO roster_shifts (roster_id, code, name, start_minute, minutes, skill, burden) \
         VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
    )
    .bind(id)
    .bind(format!("c{}_{}", n + 1, now_ms()))
    .bind(&name)
    .bind(s.start_minute)
    .bind(s.minutes)
    .bind(&skill)
    .bind(i64::from(s.burden))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| crate::error::conflict_on_unique(e, "err.ro_shift_twice"))?;
    let shift_id: i64 = row.try_get("id")?;
    let details = json!({ "shift": shift_id, "name": name, "start_minute": s.start_minute,
        "minutes": s.minutes, "skill": skill, "burden": s.burden });
    finish(tx, actor, id, path, "roster.shift_add", details).await?;
    Ok(shift_id)
}

/// Removes a shift type with its cover lines, wishes and cells.
pub async fn remove_shift(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    shift_id: i64,
) -> Result<()> {
    let what = Cascade {
        table: "roster_shifts",
        key: "id",
        dependents: &["roster_covers", "roster_requests", "roster_cells"],
        dependent_key: "shift_id",
        action: "roster.shift_remove",
        detail: "shift",
    };
    remove_cascade(db, scope, actor, id, &what, shift_id).await
}

pub(super) async fn own_shift(tx: &mut WriteTx, id: i64, shift_id: i64) -> Result<()> {
    sqlx::query("SELECT id FROM roster_shifts WHERE roster_id = $1 AND id = $2")
        .bind(id)
        .bind(shift_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::Invalid("err.ro_shift"))?;
    Ok(())
}

pub(super) async fn period(tx: &mut WriteTx, id: i64) -> Result<(NaiveDate, NaiveDate)> {
    let row = sqlx::query("SELECT start_day, end_day FROM rosters WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok((
        super::day(&row.try_get::<String, _>("start_day")?)?,
        super::day(&row.try_get::<String, _>("end_day")?)?,
    ))
}

/// Sets a cover line (replacing the line of the same shift, skill and day).
pub async fn add_cover(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    c: &CoverInput,
) -> Result<()> {
    if !(0..=50).contains(&c.headcount) {
        return Err(Error::Invalid("err.ro_headcount"));
    }
    let skill = check_skill(&c.skill)?.unwrap_or_default();
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    own_shift(&mut tx, id, c.shift_id).await?;
    if let Some(d) = c.day {
        let (start, end) = period(&mut tx, id).await?;
        if d < start || d > end {
            return Err(Error::Invalid("err.ro_day_outside"));
        }
    }
    let day = c.day.map(|d| d.to_string());
    let mut del = SqlBuf::new("DELETE FROM roster_covers WHERE roster_id = ");
    del.arg_i64(id)
        .push(" AND shift_id = ")
        .arg_i64(c.shift_id)
        .push(" AND skill = ")
        .arg_text(&skill);
    match &day {
        Some(d) => del.push(" AND day = ").arg_text(d),
        None => del.push(" AND day IS NULL"),
    };
    del.query().execute(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO roster_covers (roster_id, shift_id, skill, day, headcount) VALUES ($1,$2,$3,$4,$5)",
    )
    .bind(id)
    .bind(c.shift_id)
    .bind(&skill)
    .bind(&day)
    .bind(c.headcount)
    .execute(&mut *tx)
    .await?;
    let details =
        json!({ "shift": c.shift_id, "skill": skill, "day": day, "headcount": c.headcount });
    finish(tx, actor, id, path, "roster.cover", details).await
}

/// Removes a cover line.
pub async fn remove_cover(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    cover_id: i64,
) -> Result<()> {
    remove_row(
        db,
        scope,
        actor,
        id,
        "roster_covers",
        cover_id,
        "roster.cover_remove",
    )
    .await
}
