//! What the home page asks about plans: coming peaks and events whose preparation time has
//! begun without a plan (for officers), and submitted plans waiting for a leader.

use super::peaks::{EVENT_LEAD_DAYS, calendar};
use crate::scope::PlanApprove;
use crate::sql::SqlBuf;
use crate::{Cap, Db, Error, Result, Scope};
use chrono::{Datelike, Days, NaiveDate};
use sqlx::Row;
use std::collections::HashMap;

/// How many coming peaks and events of the organisations in the scope need a plan now
/// (preparation time has begun and no plan exists), for the home page. Two queries whatever
/// the number of organisations; at most `max_orgs` organisations are looked at.
pub async fn needing_plans<C: Cap>(
    db: &Db,
    scope: &Scope<C>,
    today: NaiveDate,
    max_orgs: i64,
) -> Result<usize> {
    // The organisations, their plans since last year and their own lead times come in one
    // statement: this runs on every officer's home page.
    let mut sql =
        SqlBuf::new("WITH o AS (SELECT id, path FROM units WHERE kind = 'organisation' AND ");
    scope.push_filter(&mut sql, "path", None);
    sql.push(" ORDER BY id LIMIT ").arg_i64(max_orgs);
    sql.push(
        ") SELECT 'o' AS k, o.id AS org_id, o.path AS txt, CAST(NULL AS BIGINT) AS num, \
         CAST(NULL AS BIGINT) AS year FROM o \
         UNION ALL SELECT 'p', p.org_id, p.peak_id, p.event_id, p.year FROM plans p \
         JOIN o ON o.id = p.org_id WHERE p.year >= ",
    )
    .arg_i64(i64::from(today.year() - 1));
    sql.push(
        " UNION ALL SELECT 'l', l.org_id, l.peak_id, l.lead_days, NULL FROM peak_lead_times l \
         JOIN o ON o.id = l.org_id",
    );
    let mut orgs: Vec<(i64, String)> = Vec::new();
    let mut have_peak = std::collections::HashSet::new();
    let mut have_event = std::collections::HashSet::new();
    let mut leads: HashMap<(i64, String), u32> = HashMap::new();
    for r in sql.query().fetch_all(db.pool()).await? {
        let org: i64 = r.try_get("org_id")?;
        let txt: Option<String> = r.try_get("txt")?;
        let num: Option<i64> = r.try_get("num")?;
        match r.try_get::<String, _>("k")?.as_str() {
            "o" => orgs.push((org, txt.unwrap_or_default())),
            "p" => {
                if let Some(p) = txt {
                    have_peak.insert((org, p, r.try_get::<i64, _>("year")?));
                }
                if let Some(e) = num {
                    have_event.insert(e);
                }
            }
            _ => {
                if let (Some(p), Some(n)) = (txt, num) {
                    leads.insert((org, p), u32::try_from(n).unwrap_or(0));
                }
            }
        }
    }
    if orgs.is_empty() {
        return Ok(0);
    }
    let y = today.year();
    let mut count = 0;
    for year in [y, y + 1] {
        for p in calendar()?
            .peak_periods(year)
            .map_err(|_| Error::Invalid("err.plan_peak"))?
        {
            if p.end < today {
                continue;
            }
            for (org, _) in &orgs {
                let lead = leads
                    .get(&(*org, p.id.clone()))
                    .copied()
                    .unwrap_or(p.lead_days);
                let from = p.start - Days::new(u64::from(lead));
                if today >= from && !have_peak.contains(&(*org, p.id.clone(), i64::from(year))) {
                    count += 1;
                }
            }
        }
    }
    let mut sql =
        SqlBuf::new("SELECT e.id, e.unit_path, e.starts_on FROM org_events e WHERE e.ends_on >= ");
    sql.arg_text(&today.to_string())
        .push(" AND e.starts_on <= ")
        .arg_text(&(today + Days::new(120)).to_string())
        .push(" AND ");
    scope.push_filter(&mut sql, "e.unit_path", None);
    sql.push(" LIMIT 500");
    for r in sql.query().fetch_all(db.pool()).await? {
        let id: i64 = r.try_get("id")?;
        let path: String = r.try_get("unit_path")?;
        let start = super::day(&r.try_get::<String, _>("starts_on")?)?;
        let Some((org, _)) = orgs.iter().find(|(_, p)| path.starts_with(p.as_str())) else {
            continue;
        };
        let lead = leads
            .get(&(*org, "event".to_owned()))
            .copied()
            .unwrap_or(EVENT_LEAD_DAYS);
        if today >= start - Days::new(u64::from(lead)) && !have_event.contains(&id) {
            count += 1;
        }
    }
    Ok(count)
}

/// How many submitted plans in the scope wait for a leader's decision (home page).
pub async fn awaiting_approval(db: &Db, scope: &Scope<PlanApprove>) -> Result<i64> {
    let mut sql = SqlBuf::new("SELECT COUNT(*) AS n FROM plans p WHERE p.state = 'submitted' AND ");
    scope.push_filter(&mut sql, "p.unit_path", None);
    Ok(sql.query().fetch_one(db.pool()).await?.try_get("n")?)
}
