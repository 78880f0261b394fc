//! The people of a roster: adding them from units (all, or the self-defence or fire-force
//! members) with default skills, their skills, taking them off, their leave and their wishes.
//! Each function is one write transaction with its audit entry, on a draft roster only.

use super::removal::{Cascade, remove_cascade, remove_row};
use super::setup::{finish, locate, own_shift, period};
use super::{MAX_MEMBERS, RosterState, SKILLS, default_skills};
use crate::audit::Actor;
use crate::scope::RosterManage;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, WriteTx, units};
use chrono::NaiveDate;
use domain::values::UnitKind;
use serde_json::json;
use sqlx::Row;

/// Leave or unavailability as entered.
#[derive(Debug, Clone)]
pub struct AbsenceInput {
    pub person_id: i64,
    pub start_day: NaiveDate,
    pub end_day: NaiveDate,
    pub reason: String,
}

/// A wish as entered.
#[derive(Debug, Clone)]
pub struct RequestInput {
    pub person_id: i64,
    pub day: NaiveDate,
    pub shift_id: i64,
    pub wants: bool,
}

/// Weight of a wish: below any post, above fairness by a shift or two.
pub const WISH_WEIGHT: i64 = 20;

/// Adds the working people of a unit (and the units below it) of the roster's organisation,
/// all of them or only the self-defence or fire-force members, each with default skills.
/// Returns how many were added.
pub async fn add_members(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    unit_id: i64,
    only: Option<&str>,
) -> Result<usize> {
    let flag = match only.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some("self_defence") => Some("self_defence"),
        Some("fire_force") => Some("fire_force"),
        Some(_) => return Err(Error::Invalid("err.ro_filter")),
    };
    let mut tx = db.begin_write().await?;
    let (path, org_id, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    let unit = units::get_tx(&mut tx, scope, unit_id).await?;
    let unit_org = if unit.kind == UnitKind::Organisation {
        Some(unit.id)
    } else {
        unit.org_id
    };
    if unit_org != Some(org_id) {
        return Err(Error::Invalid("err.ro_unit"));
    }
    let mut sql = SqlBuf::new(
        "SELECT p.id, p.position, p.self_defence, p.fire_force FROM people p \
         WHERE p.status = 'working' AND p.org_id = ",
    );
    sql.arg_i64(org_id)
        .push(" AND p.unit_path >= ")
        .arg_text(&unit.path)
        .push(" AND p.unit_path < ")
        .arg_text(&crate::scope::path_end(&unit.path));
    if let Some(f) = flag {
        sql.push(&format!(" AND p.{f} = 1"));
    }
    sql.push(
        " AND NOT EXISTS (SELECT 1 FROM roster_members m WHERE m.person_id = p.id AND m.roster_id = ",
    )
    .arg_i64(id)
    .push(") ORDER BY p.sort_key, p.id");
    let rows = sql.query().fetch_all(&mut *tx).await?;
    let have: i64 = sqlx::query("SELECT COUNT(*) AS n FROM roster_members WHERE roster_id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if have as usize + rows.len() > MAX_MEMBERS {
        return Err(Error::Invalid("err.ro_too_many_members"));
    }
    for r in &rows {
        let position: String = r.try_get("position")?;
        let skills = default_skills(
            &position,
            r.try_get::<i64, _>("self_defence")? != 0,
            r.try_get::<i64, _>("fire_force")? != 0,
        );
        sqlx::query("INSERT INTO roster_members (roster_id, person_id, skills) VALUES ($1,$2,$3)")
            .bind(id)
            .bind(r.try_get::<i64, _>("id")?)
            .bind(skills.join(","))
            .execute(&mut *tx)
            .await?;
    }
    let details = json!({ "unit": unit_id, "only": flag, "added": rows.len() });
    finish(tx, actor, id, path, "roster.members_add", details).await?;
    Ok(rows.len())
}

/// Sets the skills the roster counts for a person.
pub async fn set_member_skills(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    person_id: i64,
    skills: &[String],
) -> Result<()> {
    let mut clean: Vec<&str> = Vec::new();
    for s in skills {
        let s = s.trim();
        if !SKILLS.contains(&s) {
            return Err(Error::Invalid("err.ro_skill"));
        }
        if !clean.contains(&s) {
            clean.push(s);
        }
    }
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    let done = sqlx::query(
        "UPDATE roster_members SET skills = $1 WHERE roster_id = $2 AND person_id = $3",
    )
    .bind(clean.join(","))
    .bind(id)
    .bind(person_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    let details = json!({ "person": person_id, "skills": clean });
    finish(tx, actor, id, path, "roster.member_skills", details).await
}

/// Takes a person off the roster with their leave, wishes and cells.
pub async fn remove_member(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    person_id: i64,
) -> Result<()> {
    let what = Cascade {
        table: "roster_members",
        key: "person_id",
        dependents: &["roster_absences", "roster_requests", "roster_cells"],
        dependent_key: "person_id",
        action: "roster.member_remove",
        detail: "person",
    };
    remove_cascade(db, scope, actor, id, &what, person_id).await
}

async fn member(tx: &mut WriteTx, id: i64, person_id: i64) -> Result<()> {
    sqlx::query("SELECT person_id FROM roster_members WHERE roster_id = $1 AND person_id = $2")
        .bind(id)
        .bind(person_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::Invalid("err.ro_person"))?;
    Ok(())
}

/// Records leave or unavailability; any duty the person had on those days is taken off.
pub async fn add_absence(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    a: &AbsenceInput,
) -> Result<i64> {
    if a.end_day < a.start_day {
        return Err(Error::Invalid("err.ro_period"));
    }
    let reason = a.reason.trim().chars().take(300).collect::<String>();
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    member(&mut tx, id, a.person_id).await?;
    let (start, end) = period(&mut tx, id).await?;
    if a.end_day < start || a.start_day > end {
        return Err(Error::Invalid("err.ro_day_outside"));
    }
    let row = sqlx::query(
        "INSERT INTO roster_absences (roster_id, person_id, start_day, end_day, reason) \
         VALUES ($1,$2,$3,$4,$5) RETURNING id",
    )
    .bind(id)
    .bind(a.person_id)
    .bind(a.start_day.to_string())
    .bind(a.end_day.to_string())
    .bind(&reason)
    .fetch_one(&mut *tx)
    .await?;
    let absence: i64 = row.try_get("id")?;
    sqlx::query(
        "DELETE FROM roster_cells WHERE roster_id = $1 AND person_id = $2 AND day >= $3 AND day <= $4",
    )
    .bind(id)
    .bind(a.person_id)
    .bind(a.start_day.to_string())
    .bind(a.end_day.to_string())
    .execute(&mut *tx)
    .await?;
    let details = json!({ "person": a.person_id, "start": a.start_day.to_string(),
        "end": a.end_day.to_string(), "reason": reason });
    finish(tx, actor, id, path, "roster.absence", details).await?;
    Ok(absence)
}

/// Removes a leave record.
pub async fn remove_absence(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    absence_id: i64,
) -> Result<()> {
    remove_row(
        db,
        scope,
        actor,
        id,
        "roster_absences",
        absence_id,
        "roster.absence_remove",
    )
    .await
}

/// Records a wish (to work, or not to work, a shift on a day).
pub async fn add_request(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    r: &RequestInput,
) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let (path, _, _) = locate(&mut tx, scope, id, &[RosterState::Draft]).await?;
    member(&mut tx, id, r.person_id).await?;
    own_shift(&mut tx, id, r.shift_id).await?;
    let (start, end) = period(&mut tx, id).await?;
    if r.day < start || r.day > end {
        return Err(Error::Invalid("err.ro_day_outside"));
    }
    let row = sqlx::query(
        "INSERT INTO roster_requests (roster_id, person_id, day, shift_id, wants, weight) \
         VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
    )
    .bind(id)
    .bind(r.person_id)
    .bind(r.day.to_string())
    .bind(r.shift_id)
    .bind(i64::from(r.wants))
    .bind(WISH_WEIGHT)
    .fetch_one(&mut *tx)
    .await?;
    let wish: i64 = row.try_get("id")?;
    let details = json!({ "person": r.person_id, "day": r.day.to_string(),
        "shift": r.shift_id, "wants": r.wants });
    finish(tx, actor, id, path, "roster.request", details).await?;
    Ok(wish)
}

/// Removes a wish.
pub async fn remove_request(
    db: &Db,
    scope: &Scope<RosterManage>,
    actor: &Actor,
    id: i64,
    request_id: i64,
) -> Result<()> {
    remove_row(
        db,
        scope,
        actor,
        id,
        "roster_requests",
        request_id,
        "roster.request_remove",
    )
    .await
}
