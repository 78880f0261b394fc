//! The link between a roster and the protection plan it carries out (`rosters.plan_id`): the
//! checks made when a roster is created for a plan, the plan a roster names, and the rosters
//! of a plan (for the plan's page, its API answer and the annexes of its document).
//!
//! A roster is created with `Scope<RosterManage>`, and the plan is looked for inside that same
//! scope: every role that manages rosters also views plans over the same subtree
//! (`domain::permissions`, pinned by the test below), so a plan outside it is not found, as it
//! would be on the plan pages. A second scope argument was rejected: it would let a caller
//! pass a wider plan scope than the roster scope it acts with.

use super::read::{HEAD_COLS, load_parts, roster_of};
use super::{Detail, RosterState, day};
use crate::plans::SECRET_PLACEHOLDER;
use crate::scope::{RosterManage, RosterView};
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, WriteTx};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

/// The plan a roster belongs to, as the roster page names it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanRef {
    pub id: i64,
    /// The plan's title, or the secret-plan placeholder for a plan with a secrecy level: the
    /// roster is read without a clearance, so it never carries a secret plan's title.
    pub title: String,
}

/// A roster as the plan lists it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanRoster {
    pub id: i64,
    pub title: String,
    pub start_day: NaiveDate,
    pub end_day: NaiveDate,
    pub state: RosterState,
}

/// The title a roster made for a plan starts with: "Lịch trực" followed by the plan's title
/// ("Bảo đảm an ninh, trật tự … dịp Tết" → "Lịch trực bảo đảm an ninh, trật tự … dịp Tết").
pub fn title_for(plan_title: &str) -> String {
    let t = plan_title.trim();
    let mut chars = t.chars();
    match chars.next() {
        Some(first) => format!("Lịch trực {}{}", first.to_lowercase(), chars.as_str()),
        None => "Lịch trực".to_owned(),
    }
}

/// Checks, inside the creating transaction, that roster of `org_id` over `start..=end` may
/// belong to plan `plan_id`: the plan is in the scope (else not found), of the same
/// organisation, and its period holds the roster's.
pub(super) async fn check_link(
    tx: &mut WriteTx,
    scope: &Scope<RosterManage>,
    plan_id: i64,
    org_id: i64,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<()> {
    let mut sql = SqlBuf::new("SELECT p.org_id, p.starts_on, p.ends_on FROM plans p WHERE p.id = ");
    sql.arg_i64(plan_id).push(" AND ");
    scope.push_filter(&mut sql, "p.unit_path", Some("p.org_id"));
    let row = sql
        .query()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::NotFound)?;
    if row.try_get::<i64, _>("org_id")? != org_id {
        return Err(Error::Invalid("err.ro_plan_org"));
    }
    let plan_start = day(&row.try_get::<String, _>("starts_on")?)?;
    let plan_end = day(&row.try_get::<String, _>("ends_on")?)?;
    if start < plan_start || end > plan_end {
        return Err(Error::Invalid("err.ro_plan_period"));
    }
    Ok(())
}

/// The plan named by a roster already read within reach.
pub(super) async fn plan_of(db: &Db, plan_id: Option<i64>) -> Result<Option<PlanRef>> {
    let Some(id) = plan_id else {
        return Ok(None);
    };
    let row = sqlx::query("SELECT id, title, secrecy FROM plans WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(r) => {
            let secret =
                crate::registers::Level::parse(&r.try_get::<String, _>("secrecy")?)?.is_secret();
            Some(PlanRef {
                id: r.try_get("id")?,
                title: if secret {
                    SECRET_PLACEHOLDER.to_owned()
                } else {
                    r.try_get("title")?
                },
            })
        }
        None => None,
    })
}

/// The rosters of plan `plan_id` in the scope, in the order of their periods.
pub async fn for_plan(db: &Db, scope: &Scope<RosterView>, plan_id: i64) -> Result<Vec<PlanRoster>> {
    let mut sql = SqlBuf::new(
        "SELECT r.id, r.title, r.start_day, r.end_day, r.state FROM rosters r WHERE r.plan_id = ",
    );
    sql.arg_i64(plan_id).push(" AND ");
    scope.push_filter(&mut sql, "r.unit_path", Some("r.org_id"));
    sql.push(" ORDER BY r.start_day, r.id LIMIT 200");
    let rows = sql.query().fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| {
            Ok(PlanRoster {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                start_day: day(&r.try_get::<String, _>("start_day")?)?,
                end_day: day(&r.try_get::<String, _>("end_day")?)?,
                state: RosterState::parse(&r.try_get::<String, _>("state")?)?,
            })
        })
        .collect()
}

/// The published and closed rosters of plan `plan_id` in the scope, whole, in the order of
/// their periods: the annexes of the plan's document. Drafts stay out of an issued document.
pub async fn issued_for_plan(
    db: &Db,
    scope: &Scope<RosterView>,
    plan_id: i64,
) -> Result<Vec<Detail>> {
    let mut sql = SqlBuf::new(&format!(
        "SELECT {HEAD_COLS} FROM rosters r JOIN units u ON u.id = r.org_id WHERE r.plan_id = "
    ));
    sql.arg_i64(plan_id).push(" AND r.state <> 'draft' AND ");
    scope.push_filter(&mut sql, "r.unit_path", Some("r.org_id"));
    sql.push(" ORDER BY r.start_day, r.id LIMIT 20");
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(load_parts(db, roster_of(r)?).await?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use domain::{Action, Role, permissions::allows};

    #[test]
    fn a_plan_title_becomes_a_roster_title() {
        assert_eq!(
            super::title_for(" Bảo đảm an ninh, trật tự dịp Tết "),
            "Lịch trực bảo đảm an ninh, trật tự dịp Tết"
        );
        assert_eq!(super::title_for("Ứng phó"), "Lịch trực ứng phó");
    }

    /// The plan of a new roster is looked for in the roster scope: that is sound only while
    /// whoever manages rosters also views plans.
    #[test]
    fn roster_managers_view_plans() {
        for r in Role::ALL {
            if allows(r, Action::RosterManage) {
                assert!(allows(r, Action::PlanView), "{r:?}");
            }
        }
    }
}
