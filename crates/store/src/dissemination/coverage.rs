//! Live coverage of a dissemination campaign: one grouped query over the audience's people,
//! counting those who acknowledged the current version of every document.

use super::Campaign;
use crate::coverage::{self, Coverage, Figures};
use crate::scope::CampaignView;
use crate::sql::SqlBuf;
use crate::{Db, Result, Scope};
use domain::values::UnitKind;
use serde::Serialize;
use sqlx::Row;

/// `CASE … END`: 1 when person `p` has acknowledged the current version of every document.
fn push_done(sql: &mut SqlBuf, c: &Campaign) {
    sql.push(
        "CASE WHEN (SELECT COUNT(*) FROM dissemination_acks k JOIN directives d ON d.id = k.directive_id \
         AND d.version = k.version WHERE k.campaign_id = ",
    );
    sql.arg_i64(c.id)
        .push(" AND k.person_id = p.id) >= ")
        .arg_i64(c.documents.len() as i64)
        .push(" THEN 1 ELSE 0 END");
}

fn push_people(sql: &mut SqlBuf, c: &Campaign, area_path: &str) {
    sql.push(" WHERE p.status = 'working' AND p.unit_path >= ")
        .arg_text(area_path)
        .push(" AND p.unit_path < ")
        .arg_text(&crate::scope::path_end(area_path))
        .push(" AND ");
    c.push_audience(sql);
}

/// Coverage of a campaign over an area (default: what the viewer reaches of it).
pub async fn coverage(
    db: &Db,
    scope: &Scope<CampaignView>,
    c: &Campaign,
    unit_id: Option<i64>,
) -> Result<Coverage> {
    let area = coverage::area(db, scope, c.owner_unit_id, &c.owner_path, unit_id).await?;
    if !c.open {
        return coverage::frozen(db, coverage::Kind::Dissemination, c.id, area, false).await;
    }
    if area.kind == UnitKind::Province {
        let mut sql = SqlBuf::new("SELECT o.id, o.name, COUNT(*) AS required, CAST(SUM(");
        push_done(&mut sql, c);
        sql.push(") AS BIGINT) AS done FROM people p JOIN units o ON o.id = p.org_id");
        push_people(&mut sql, c, &area.path);
        sql.push(" GROUP BY o.id, o.name, o.name_folded ORDER BY o.name_folded, o.id");
        let rows = sql.query().fetch_all(db.pool()).await?;
        return coverage::org_lines(area, &rows);
    }
    let mut sql = SqlBuf::new(
        "SELECT u.id, u.path, u.name, u.kind, x.required, x.done FROM units u LEFT JOIN \
         (SELECT p.unit_id, COUNT(*) AS required, CAST(SUM(",
    );
    push_done(&mut sql, c);
    sql.push(") AS BIGINT) AS done FROM people p");
    push_people(&mut sql, c, &area.path);
    sql.push(" GROUP BY p.unit_id) x ON x.unit_id = u.id WHERE u.path >= ")
        .arg_text(&area.path)
        .push(" AND u.path < ")
        .arg_text(&area.root().path_end())
        .push(" ORDER BY u.path");
    let rows = sql.query().fetch_all(db.pool()).await?;
    let rows = rows
        .iter()
        .map(coverage::unit_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(coverage::split(area, rows))
}

/// Freezes the coverage of a closing campaign per unit, inside the closing transaction.
pub(crate) async fn freeze(tx: &mut crate::WriteTx, c: &Campaign) -> Result<Figures> {
    let mut sql = coverage::freeze_insert();
    sql.push("SELECT 'dissemination', ")
        .arg_i64(c.id)
        .push(", p.unit_id, u.org_id, COUNT(*), SUM(");
    push_done(&mut sql, c);
    sql.push(") FROM people p JOIN units u ON u.id = p.unit_id");
    push_people(&mut sql, c, &c.owner_path);
    sql.push(" GROUP BY p.unit_id, u.org_id");
    coverage::freeze(tx, coverage::Kind::Dissemination, c.id, sql).await
}

/// A person of the audience who has not acknowledged every current document.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub person_id: i64,
    pub full_name: String,
    pub position: String,
    pub unit_name: String,
}

/// The people of an area who have not yet acknowledged, by name (at most `limit`).
pub async fn missing_people(
    db: &Db,
    scope: &Scope<CampaignView>,
    c: &Campaign,
    unit_id: Option<i64>,
    limit: i64,
) -> Result<Vec<Missing>> {
    let area = coverage::area(db, scope, c.owner_unit_id, &c.owner_path, unit_id).await?;
    let mut sql = SqlBuf::new(
        "SELECT p.id, p.full_name, p.position, u.name AS unit_name FROM people p JOIN units u ON u.id = p.unit_id",
    );
    push_people(&mut sql, c, &area.path);
    sql.push(" AND ");
    push_done(&mut sql, c);
    sql.push(" = 0 ORDER BY p.sort_key, p.id LIMIT ")
        .arg_i64(limit.clamp(1, 50_000));
    let rows = sql.query().fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| {
            Ok(Missing {
                person_id: r.try_get("id")?,
                full_name: r.try_get("full_name")?,
                position: r.try_get("position")?,
                unit_name: r.try_get("unit_name")?,
            })
        })
        .collect()
}
