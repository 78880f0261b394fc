//! Reading plans: the scoped list with filters and keyset paging, one plan, its content and
//! its history.

use super::{COLS, Content, FROM, HistoryEntry, Plan, from_row, rows};
use crate::registers::Viewer;
use crate::scope::PlanView;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope};
use domain::plans::PlanState;
use sqlx::Row;

/// Filters and the page asked for.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// One organisation of the scope, or all of it.
    pub org_id: Option<i64>,
    pub year: Option<i32>,
    pub state: Option<PlanState>,
    /// A peak id, or `event` for plans made for organisation events.
    pub peak: Option<String>,
    /// Opaque cursor from the previous page.
    pub cursor: Option<String>,
    pub limit: i64,
}

/// One page of plans, newest period first.
#[derive(Debug, Clone)]
pub struct ListPage {
    pub items: Vec<Plan>,
    pub next: Option<String>,
}

fn decode_cursor(c: &str) -> Result<(String, i64)> {
    let (d, id) = c.split_once('_').ok_or(Error::Invalid("err.cursor"))?;
    let id = id.parse().map_err(|_| Error::Invalid("err.cursor"))?;
    if d.len() != 10 || !d.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Err(Error::Invalid("err.cursor"));
    }
    Ok((d.to_owned(), id))
}

/// Plans in the scope, by period start (newest first) and id.
pub async fn list(
    db: &Db,
    scope: &Scope<PlanView>,
    viewer: &Viewer,
    q: &ListQuery,
) -> Result<ListPage> {
    let limit = q.limit.clamp(1, 200);
    let cursor = q.cursor.as_deref().map(decode_cursor).transpose()?;
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE "));
    match (q.org_id, scope.single_org()) {
        (Some(org), _) => {
            sql.push("p.org_id = ").arg_i64(org).push(" AND ");
            scope.push_filter(&mut sql, "p.unit_path", None);
        }
        (None, Some(org)) => {
            sql.push("p.org_id = ").arg_i64(org).push(" AND ");
            scope.push_filter(&mut sql, "p.unit_path", None);
        }
        (None, None) => scope.push_filter(&mut sql, "p.unit_path", None),
    }
    if let Some(y) = q.year {
        sql.push(" AND p.year = ").arg_i64(i64::from(y));
    }
    if let Some(s) = q.state {
        sql.push(" AND p.state = ").arg_text(s.code());
    }
    match q.peak.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some("event") => {
            sql.push(" AND p.peak_id IS NULL");
        }
        Some(p) => {
            sql.push(" AND p.peak_id = ").arg_text(p);
        }
        None => {}
    }
    if let Some((d, id)) = &cursor {
        sql.push(" AND (p.starts_on, p.id) < (")
            .arg_text(d)
            .push(", ")
            .arg_i64(*id)
            .push(")");
    }
    sql.push(" ORDER BY p.starts_on DESC, p.id DESC LIMIT ")
        .arg_i64(limit + 1);
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut items = rows
        .iter()
        .map(|r| from_row(r, viewer))
        .collect::<Result<Vec<_>>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|p| format!("{}_{}", p.starts_on, p.id))
    } else {
        None
    };
    Ok(ListPage { items, next })
}

/// One plan of the scope; out of scope is not found.
pub async fn get(db: &Db, scope: &Scope<PlanView>, viewer: &Viewer, id: i64) -> Result<Plan> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE p.id = "));
    sql.arg_i64(id).push(" AND ");
    scope.push_filter(&mut sql, "p.unit_path", None);
    let row = sql
        .query()
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    from_row(&row, viewer)
}

/// The content of a plan already read within reach; empty for a redacted plan.
pub async fn load_content(db: &Db, plan: &Plan) -> Result<Content> {
    if plan.redacted {
        return Ok(Content::default());
    }
    rows::read(
        db.pool(),
        plan.id,
        plan.objectives.clone().unwrap_or_default(),
        None,
    )
    .await
}

/// The state changes of a plan already read within reach, oldest first.
pub async fn history(db: &Db, plan: &Plan) -> Result<Vec<HistoryEntry>> {
    let rows = sqlx::query(
        "SELECT from_state, to_state, actor_name, note, at FROM plan_history WHERE plan_id = $1 ORDER BY id",
    )
    .bind(plan.id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let from: Option<String> = r.try_get("from_state")?;
            Ok(HistoryEntry {
                from_state: from.as_deref().and_then(PlanState::parse),
                to_state: PlanState::parse(&r.try_get::<String, _>("to_state")?)
                    .ok_or(Error::Invalid("err.plan_state"))?,
                actor_name: r.try_get("actor_name")?,
                note: if plan.redacted {
                    None
                } else {
                    r.try_get("note")?
                },
                at: r.try_get("at")?,
            })
        })
        .collect()
}

/// The plans of one organisation for a range of years (peak overview, copy offers), in one
/// query: `(id, peak_id, event_id, year, state, title or placeholder)`.
pub async fn org_plans_by_years(
    db: &Db,
    scope: &Scope<PlanView>,
    viewer: &Viewer,
    org_id: i64,
    years: std::ops::RangeInclusive<i32>,
) -> Result<Vec<Plan>> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE p.org_id = "));
    sql.arg_i64(org_id)
        .push(" AND p.year >= ")
        .arg_i64(i64::from(*years.start()))
        .push(" AND p.year <= ")
        .arg_i64(i64::from(*years.end()))
        .push(" AND ");
    scope.push_filter(&mut sql, "p.unit_path", None);
    sql.push(" ORDER BY p.starts_on, p.id LIMIT 500");
    sql.query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| from_row(r, viewer))
        .collect()
}
