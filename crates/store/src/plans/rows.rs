//! The repeated rows of a plan: forces, partner tasks, contacts and playbook steps. They are
//! checked as a whole and written as a whole (delete and insert inside the caller's
//! transaction): a plan is edited as one document, and the rows have no identity of their own.

use super::{MAX_ROWS, MAX_TEXT_CHARS};
use crate::sql::SqlBuf;
use crate::units::Unit;
use crate::{Error, Result, WriteTx};
use domain::plans::{ForceKind, Situation};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashSet;

/// One force deployed by the plan: a person of the organisation, a partner body, or a named
/// group ("Trung đội tự vệ cơ quan").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Force {
    pub kind: ForceKind,
    pub person_id: Option<i64>,
    pub partner_id: Option<i64>,
    /// The person's or partner's name when linked (filled on read), or the group's name.
    pub name: String,
    pub duty: String,
    pub phone: Option<String>,
}

/// A partner body and what the plan asks of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    pub partner_id: i64,
    /// Filled on read.
    pub partner_name: String,
    pub task: String,
}

/// One line of the contact list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub phone: String,
}

/// One step of a situation playbook; steps of a situation run in list order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub situation: Situation,
    pub action: String,
    /// Who acts.
    pub actor: String,
    /// Who calls whom ("Trực ban báo Công an phường 113, Lãnh đạo Văn phòng").
    pub calls: String,
}

/// The editable body of a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Content {
    pub objectives: String,
    pub forces: Vec<Force>,
    pub tasks: Vec<Task>,
    pub contacts: Vec<Contact>,
    pub steps: Vec<Step>,
}

impl Content {
    /// Steps of one situation, in order.
    pub fn steps_of(&self, s: Situation) -> Vec<&Step> {
        self.steps.iter().filter(|x| x.situation == s).collect()
    }

    /// Partners the plan names (tasks and forces), without repeats.
    pub fn partner_ids(&self) -> Vec<i64> {
        let mut seen = HashSet::new();
        self.tasks
            .iter()
            .map(|t| t.partner_id)
            .chain(self.forces.iter().filter_map(|f| f.partner_id))
            .filter(|id| seen.insert(*id))
            .collect()
    }
}

fn text(s: &str, max: usize, key: &'static str) -> Result<()> {
    let n = s.trim().chars().count();
    if n == 0 || n > max {
        Err(Error::Invalid(key))
    } else {
        Ok(())
    }
}

/// Checks the shape of the rows (lengths, required fields); links are checked by [`check_links`].
pub(crate) fn check_shape(c: &Content) -> Result<()> {
    if c.objectives.trim().chars().count() > MAX_TEXT_CHARS {
        return Err(Error::Invalid("err.plan_too_large"));
    }
    if [
        c.forces.len(),
        c.tasks.len(),
        c.contacts.len(),
        c.steps.len(),
    ]
    .iter()
    .any(|n| *n > MAX_ROWS)
    {
        return Err(Error::Invalid("err.plan_too_many_rows"));
    }
    for f in &c.forces {
        if f.person_id.is_none() && f.partner_id.is_none() {
            text(&f.name, 200, "err.plan_force_name")?;
        }
        text(&f.duty, 1000, "err.plan_force_duty")?;
        if f.phone.as_ref().is_some_and(|p| p.chars().count() > 30) {
            return Err(Error::Invalid("err.plan_phone"));
        }
    }
    for t in &c.tasks {
        text(&t.task, 2000, "err.plan_task")?;
    }
    for k in &c.contacts {
        text(&k.name, 200, "err.plan_contact")?;
        text(&k.role, 200, "err.plan_contact")?;
        text(&k.phone, 30, "err.plan_phone")?;
    }
    for s in &c.steps {
        text(&s.action, 1000, "err.plan_step")?;
        text(&s.actor, 200, "err.plan_step")?;
        if s.calls.trim().chars().count() > 500 {
            return Err(Error::Invalid("err.plan_step"));
        }
    }
    Ok(())
}

/// Checks that every linked person works in the organisation and every partner is one the
/// organisation works with (kept by it or by the province); an unknown link is refused.
pub(crate) async fn check_links(tx: &mut WriteTx, org: &Unit, c: &Content) -> Result<()> {
    let people: Vec<i64> = c.forces.iter().filter_map(|f| f.person_id).collect();
    if !people.is_empty() {
        let mut sql = SqlBuf::new("SELECT COUNT(DISTINCT id) AS n FROM people WHERE org_id = ");
        sql.arg_i64(org.id).push(" AND id IN (");
        push_ids(&mut sql, &people);
        sql.push(")");
        let n: i64 = sql.query().fetch_one(&mut **tx).await?.try_get("n")?;
        if n != distinct(&people) {
            return Err(Error::Invalid("err.plan_person"));
        }
    }
    let partners = c.partner_ids();
    if !partners.is_empty() {
        let mut sql = SqlBuf::new(
            "SELECT COUNT(*) AS n FROM partners pa JOIN units u ON u.id = pa.owner_unit_id WHERE pa.id IN (",
        );
        push_ids(&mut sql, &partners);
        sql.push(") AND (u.parent_id IS NULL OR (pa.owner_path >= ")
            .arg_text(&org.path)
            .push(" AND pa.owner_path < ")
            .arg_text(&crate::scope::path_end(&org.path))
            .push("))");
        let n: i64 = sql.query().fetch_one(&mut **tx).await?.try_get("n")?;
        if n != partners.len() as i64 {
            return Err(Error::Invalid("err.plan_partner"));
        }
    }
    Ok(())
}

fn distinct(ids: &[i64]) -> i64 {
    ids.iter().collect::<HashSet<_>>().len() as i64
}

pub(crate) fn push_ids(sql: &mut SqlBuf, ids: &[i64]) {
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.arg_i64(*id);
    }
}

fn opt(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Replaces the rows of a plan.
pub(crate) async fn write(tx: &mut WriteTx, plan_id: i64, c: &Content) -> Result<()> {
    for table in ["plan_forces", "plan_tasks", "plan_contacts", "plan_steps"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE plan_id = $1"
        )))
        .bind(plan_id)
        .execute(&mut **tx)
        .await?;
    }
    for (i, f) in c.forces.iter().enumerate() {
        sqlx::query(
            "INSERT INTO plan_forces (plan_id, position, kind, person_id, partner_id, name, duty, phone) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        )
        .bind(plan_id)
        .bind(i as i64)
        .bind(f.kind.code())
        .bind(f.person_id)
        .bind(f.partner_id)
        // A linked row shows the person's or partner's current name, not a copy.
        .bind(if f.person_id.is_some() || f.partner_id.is_some() {
            ""
        } else {
            f.name.trim()
        })
        .bind(f.duty.trim())
        .bind(opt(&f.phone))
        .execute(&mut **tx)
        .await?;
    }
    for (i, t) in c.tasks.iter().enumerate() {
        sqlx::query(
            "INSERT INTO plan_tasks (plan_id, position, partner_id, task) VALUES ($1,$2,$3,$4)",
        )
        .bind(plan_id)
        .bind(i as i64)
        .bind(t.partner_id)
        .bind(t.task.trim())
        .execute(&mut **tx)
        .await?;
    }
    for (i, k) in c.contacts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO plan_contacts (plan_id, position, name, role, phone) VALUES ($1,$2,$3,$4,$5)",
        )
        .bind(plan_id)
        .bind(i as i64)
        .bind(k.name.trim())
        .bind(k.role.trim())
        .bind(k.phone.trim())
        .execute(&mut **tx)
        .await?;
    }
    for (i, s) in c.steps.iter().enumerate() {
        sqlx::query(
            "INSERT INTO plan_steps (plan_id, situation, position, action, actor, calls) VALUES ($1,$2,$3,$4,$5,$6)",
        )
        .bind(plan_id)
        .bind(s.situation.code())
        .bind(i as i64)
        .bind(s.action.trim())
        .bind(s.actor.trim())
        .bind(s.calls.trim())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Reads the rows of a plan in four queries (no query per row), names of linked people and
/// partners joined in. `only_partner` keeps the rows naming one partner (a partner's view).
pub(crate) async fn read<'e, E>(
    exec: E,
    plan_id: i64,
    objectives: String,
    only_partner: Option<i64>,
) -> Result<Content>
where
    E: sqlx::Executor<'e, Database = sqlx::Any> + Copy,
{
    let forces = sqlx::query(
        "SELECT f.kind, f.person_id, f.partner_id, f.name, f.duty, f.phone, pe.full_name, pa.name AS partner_name, \
         pe.phone AS person_phone, pa.phone AS partner_phone FROM plan_forces f \
         LEFT JOIN people pe ON pe.id = f.person_id LEFT JOIN partners pa ON pa.id = f.partner_id \
         WHERE f.plan_id = $1 ORDER BY f.position",
    )
    .bind(plan_id)
    .fetch_all(exec)
    .await?;
    let mut c = Content {
        objectives,
        ..Content::default()
    };
    for r in &forces {
        let person: Option<String> = r.try_get("full_name")?;
        let partner: Option<String> = r.try_get("partner_name")?;
        let own: String = r.try_get("name")?;
        let phone: Option<String> = r.try_get("phone")?;
        let linked_phone: Option<String> = r
            .try_get::<Option<String>, _>("person_phone")?
            .or(r.try_get("partner_phone")?);
        c.forces.push(Force {
            kind: ForceKind::parse(&r.try_get::<String, _>("kind")?)
                .ok_or(Error::Invalid("err.plan_force_kind"))?,
            person_id: r.try_get("person_id")?,
            partner_id: r.try_get("partner_id")?,
            name: if own.is_empty() {
                person.or(partner).unwrap_or_default()
            } else {
                own
            },
            duty: r.try_get("duty")?,
            phone: phone.or(linked_phone),
        });
    }
    let tasks = sqlx::query(
        "SELECT t.partner_id, pa.name, t.task FROM plan_tasks t JOIN partners pa ON pa.id = t.partner_id \
         WHERE t.plan_id = $1 ORDER BY t.position",
    )
    .bind(plan_id)
    .fetch_all(exec)
    .await?;
    for r in &tasks {
        c.tasks.push(Task {
            partner_id: r.try_get("partner_id")?,
            partner_name: r.try_get("name")?,
            task: r.try_get("task")?,
        });
    }
    if let Some(p) = only_partner {
        c.tasks.retain(|t| t.partner_id == p);
        c.forces.retain(|f| f.partner_id == Some(p));
        c.objectives.clear();
        return Ok(c);
    }
    let contacts = sqlx::query(
        "SELECT name, role, phone FROM plan_contacts WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(exec)
    .await?;
    for r in &contacts {
        c.contacts.push(Contact {
            name: r.try_get("name")?,
            role: r.try_get("role")?,
            phone: r.try_get("phone")?,
        });
    }
    let steps = sqlx::query(
        "SELECT situation, action, actor, calls FROM plan_steps WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(exec)
    .await?;
    for r in &steps {
        c.steps.push(Step {
            situation: Situation::parse(&r.try_get::<String, _>("situation")?)
                .ok_or(Error::Invalid("err.plan_situation"))?,
            action: r.try_get("action")?,
            actor: r.try_get("actor")?,
            calls: r.try_get("calls")?,
        });
    }
    Ok(c)
}
