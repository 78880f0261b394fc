//! Reading rosters: the list of the scope, one roster with its whole setup and cells, the
//! fairness history of people (holiday nights in earlier rosters), and a person's own duties.

use super::{
    Absence, Cell, Cover, Detail, Member, Roster, RosterState, Rules, Shift, Wish, day, skills_of,
};
use crate::scope::RosterView;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

pub(crate) const HEAD_COLS: &str = "r.id, r.org_id, u.name AS org_name, r.unit_path, r.plan_id, \
    r.title, r.start_day, r.end_day, r.state, r.rest_minutes, r.max_per_type, r.max_minutes, \
    r.max_consecutive, r.min_days_off, r.max_weekends, r.spread_weight, r.holiday_weight, \
    r.solved_at, r.published_at, r.created_at, r.updated_at";

pub(crate) fn roster_of(r: &AnyRow) -> Result<Roster> {
    Ok(Roster {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        unit_path: r.try_get("unit_path")?,
        plan_id: r.try_get("plan_id")?,
        title: r.try_get("title")?,
        start_day: day(&r.try_get::<String, _>("start_day")?)?,
        end_day: day(&r.try_get::<String, _>("end_day")?)?,
        state: RosterState::parse(&r.try_get::<String, _>("state")?)?,
        rules: Rules {
            rest_minutes: r.try_get("rest_minutes")?,
            max_per_type: r.try_get("max_per_type")?,
            max_minutes: r.try_get("max_minutes")?,
            max_consecutive: r.try_get("max_consecutive")?,
            min_days_off: r.try_get("min_days_off")?,
            max_weekends: r.try_get("max_weekends")?,
            spread_weight: r.try_get("spread_weight")?,
            holiday_weight: r.try_get("holiday_weight")?,
        },
        solved_at: r.try_get("solved_at")?,
        published_at: r.try_get("published_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// A roster as listed.
#[derive(Debug, Clone, Serialize)]
pub struct RosterItem {
    pub roster: Roster,
    pub members: i64,
    pub duties: i64,
}

/// Rosters in the scope (of one organisation when `org_id` is given), newest period first, a
/// page at a time; the cursor is the last (start day, id).
pub async fn list(
    db: &Db,
    scope: &Scope<RosterView>,
    org_id: Option<i64>,
    after: Option<(String, i64)>,
    limit: i64,
) -> Result<(Vec<RosterItem>, Option<(String, i64)>)> {
    let limit = limit.clamp(1, 200);
    let mut sql = SqlBuf::new(&format!(
        "SELECT {HEAD_COLS}, \
         (SELECT COUNT(*) FROM roster_members m WHERE m.roster_id = r.id) AS members, \
         (SELECT COUNT(*) FROM roster_cells c WHERE c.roster_id = r.id) AS duties \
         FROM rosters r JOIN units u ON u.id = r.org_id WHERE "
    ));
    scope.push_filter(&mut sql, "r.unit_path", Some("r.org_id"));
    if let Some(o) = org_id {
        sql.push(" AND r.org_id = ").arg_i64(o);
    }
    if let Some((start, id)) = &after {
        sql.push(" AND (r.start_day < ")
            .arg_text(start)
            .push(" OR (r.start_day = ")
            .arg_text(start)
            .push(" AND r.id < ")
            .arg_i64(*id)
            .push("))");
    }
    sql.push(" ORDER BY r.start_day DESC, r.id DESC LIMIT ")
        .arg_i64(limit + 1);
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(RosterItem {
            roster: roster_of(r)?,
            members: r.try_get("members")?,
            duties: r.try_get("duties")?,
        });
    }
    let next = if out.len() as i64 > limit {
        out.truncate(limit as usize);
        out.last()
            .map(|i| (i.roster.start_day.to_string(), i.roster.id))
    } else {
        None
    };
    Ok((out, next))
}

/// One roster in the scope with its setup and cells.
pub async fn get<C: crate::Cap>(db: &Db, scope: &Scope<C>, id: i64) -> Result<Detail> {
    let mut sql = SqlBuf::new(&format!(
        "SELECT {HEAD_COLS} FROM rosters r JOIN units u ON u.id = r.org_id WHERE r.id = "
    ));
    sql.arg_i64(id).push(" AND ");
    scope.push_filter(&mut sql, "r.unit_path", Some("r.org_id"));
    let row = sql
        .query()
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    let roster = roster_of(&row)?;
    load_parts(db, roster).await
}

/// The parts of a roster whose head is already read (and checked against a scope).
pub(crate) async fn load_parts(db: &Db, roster: Roster) -> Result<Detail> {
    let id = roster.id;
    let (shifts, covers, members, absences, wishes, cells) = tokio::try_join!(
        sqlx::query(
            "SELECT id, code, name, start_minute, minutes, skill, burden FROM roster_shifts \
             WHERE roster_id = $1 ORDER BY start_minute, id",
        )
        .bind(id)
        .fetch_all(db.pool()),
        sqlx::query(
            "SELECT id, shift_id, skill, day, headcount FROM roster_covers WHERE roster_id = $1 \
             ORDER BY shift_id, day, skill, id",
        )
        .bind(id)
        .fetch_all(db.pool()),
        sqlx::query(
            "SELECT m.person_id, p.full_name, p.position, u.name AS unit_name, m.skills \
             FROM roster_members m JOIN people p ON p.id = m.person_id \
             JOIN units u ON u.id = p.unit_id WHERE m.roster_id = $1 ORDER BY p.sort_key, p.id",
        )
        .bind(id)
        .fetch_all(db.pool()),
        sqlx::query(
            "SELECT id, person_id, start_day, end_day, reason FROM roster_absences \
             WHERE roster_id = $1 ORDER BY start_day, id",
        )
        .bind(id)
        .fetch_all(db.pool()),
        sqlx::query(
            "SELECT id, person_id, day, shift_id, wants, weight FROM roster_requests \
             WHERE roster_id = $1 ORDER BY day, id",
        )
        .bind(id)
        .fetch_all(db.pool()),
        sqlx::query(
            "SELECT person_id, day, shift_id FROM roster_cells WHERE roster_id = $1 \
             ORDER BY person_id, day",
        )
        .bind(id)
        .fetch_all(db.pool()),
    )?;
    let plan = super::plans::plan_of(db, roster.plan_id).await?;
    let mut d = Detail {
        roster,
        plan,
        shifts: Vec::with_capacity(shifts.len()),
        covers: Vec::with_capacity(covers.len()),
        members: Vec::with_capacity(members.len()),
        absences: Vec::with_capacity(absences.len()),
        wishes: Vec::with_capacity(wishes.len()),
        cells: Vec::with_capacity(cells.len()),
    };
    for r in &shifts {
        d.shifts.push(Shift {
            id: r.try_get("id")?,
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            start_minute: r.try_get("start_minute")?,
            minutes: r.try_get("minutes")?,
            skill: r.try_get("skill")?,
            burden: r.try_get::<i64, _>("burden")? != 0,
        });
    }
    for r in &covers {
        let skill: String = r.try_get("skill")?;
        let on: Option<String> = r.try_get("day")?;
        d.covers.push(Cover {
            id: r.try_get("id")?,
            shift_id: r.try_get("shift_id")?,
            skill: (!skill.is_empty()).then_some(skill),
            day: on.as_deref().map(day).transpose()?,
            headcount: r.try_get("headcount")?,
        });
    }
    for r in &members {
        d.members.push(Member {
            person_id: r.try_get("person_id")?,
            full_name: r.try_get("full_name")?,
            position: r.try_get("position")?,
            unit_name: r.try_get("unit_name")?,
            skills: skills_of(&r.try_get::<String, _>("skills")?),
        });
    }
    for r in &absences {
        d.absences.push(Absence {
            id: r.try_get("id")?,
            person_id: r.try_get("person_id")?,
            start_day: day(&r.try_get::<String, _>("start_day")?)?,
            end_day: day(&r.try_get::<String, _>("end_day")?)?,
            reason: r.try_get("reason")?,
        });
    }
    for r in &wishes {
        d.wishes.push(Wish {
            id: r.try_get("id")?,
            person_id: r.try_get("person_id")?,
            day: day(&r.try_get::<String, _>("day")?)?,
            shift_id: r.try_get("shift_id")?,
            wants: r.try_get::<i64, _>("wants")? != 0,
            weight: r.try_get("weight")?,
        });
    }
    for r in &cells {
        d.cells.push(Cell {
            person_id: r.try_get("person_id")?,
            day: day(&r.try_get::<String, _>("day")?)?,
            shift_id: r.try_get("shift_id")?,
        });
    }
    Ok(d)
}

/// Holiday nights each person of `org_id` worked in the organisation's published or closed
/// rosters that ended before `before`: the fairness history. One grouped query.
pub async fn history(db: &Db, org_id: i64, before: NaiveDate) -> Result<HashMap<i64, u32>> {
    let rows = sqlx::query(
        "SELECT c.person_id, COUNT(*) AS n FROM roster_cells c \
         JOIN rosters r ON r.id = c.roster_id \
         WHERE r.org_id = $1 AND r.state <> 'draft' AND r.end_day < $2 AND c.holiday_night = 1 \
         GROUP BY c.person_id",
    )
    .bind(org_id)
    .bind(before.to_string())
    .fetch_all(db.pool())
    .await?;
    let mut out = HashMap::new();
    for r in rows {
        let n: i64 = r.try_get("n")?;
        out.insert(r.try_get("person_id")?, n.max(0) as u32);
    }
    Ok(out)
}

/// One of a person's duties on a published (or closed) roster.
#[derive(Debug, Clone, Serialize)]
pub struct Duty {
    pub roster_id: i64,
    pub roster_title: String,
    pub org_name: String,
    pub day: NaiveDate,
    pub shift_id: i64,
    pub shift_name: String,
    pub start_minute: i64,
    pub minutes: i64,
}

/// The person's duties on published or closed rosters from `from` on (all when `None`), by day.
/// Taken by person id: the caller passes the id of the signed-in account's own person, or of
/// the feed whose secret was shown.
pub async fn my_duties(db: &Db, person_id: i64, from: Option<NaiveDate>) -> Result<Vec<Duty>> {
    let rows = sqlx::query(
        "SELECT c.roster_id, r.title, u.name AS org_name, c.day, c.shift_id, s.name AS shift_name, \
         s.start_minute, s.minutes FROM roster_cells c \
         JOIN rosters r ON r.id = c.roster_id JOIN units u ON u.id = r.org_id \
         JOIN roster_shifts s ON s.id = c.shift_id \
         WHERE c.person_id = $1 AND r.state <> 'draft' AND c.day >= $2 \
         ORDER BY c.day, s.start_minute LIMIT 1000",
    )
    .bind(person_id)
    .bind(from.map_or_else(|| "0000-00-00".to_owned(), |d| d.to_string()))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(Duty {
            roster_id: r.try_get("roster_id")?,
            roster_title: r.try_get("title")?,
            org_name: r.try_get("org_name")?,
            day: day(&r.try_get::<String, _>("day")?)?,
            shift_id: r.try_get("shift_id")?,
            shift_name: r.try_get("shift_name")?,
            start_minute: r.try_get("start_minute")?,
            minutes: r.try_get("minutes")?,
        });
    }
    Ok(out)
}

/// Published rosters the person is on (for asking a swap), newest first.
pub async fn person_roster_ids(db: &Db, person_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT r.id FROM rosters r JOIN roster_members m ON m.roster_id = r.id \
         WHERE m.person_id = $1 AND r.state = 'published' ORDER BY r.start_day DESC, r.id DESC",
    )
    .bind(person_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| r.try_get("id").map_err(Error::from))
        .collect()
}

/// A published roster the person is on, read without a scope: the person's own view (their
/// cells and the names of colleagues to swap with). Not found otherwise.
pub async fn published_for_person(db: &Db, roster_id: i64, person_id: i64) -> Result<Detail> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {HEAD_COLS} FROM rosters r JOIN units u ON u.id = r.org_id \
         JOIN roster_members m ON m.roster_id = r.id AND m.person_id = $2 \
         WHERE r.id = $1 AND r.state = 'published'"
    )))
    .bind(roster_id)
    .bind(person_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(Error::NotFound)?;
    load_parts(db, roster_of(&row)?).await
}
