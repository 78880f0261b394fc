//! Coverage of commitment campaigns from the rollups (see the module docs of
//! [`crate::commitments`]), the per-person lists (who signed, who has not), and the
//! province overview of every organisation side by side.

use super::Campaign;
use crate::coverage::{self, Coverage, Figures};
use crate::scope::CampaignView;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope};
use domain::values::UnitKind;
use serde::Serialize;
use sqlx::Row;

/// Coverage of a campaign over an area (default: what the viewer reaches of it).
pub async fn coverage(
    db: &Db,
    scope: &Scope<CampaignView>,
    c: &Campaign,
    unit_id: Option<i64>,
) -> Result<Coverage> {
    let area = coverage::area(db, scope, c.owner_unit_id, &c.owner_path, unit_id).await?;
    let end = area.root().path_end();
    if area.kind == UnitKind::Province {
        let mut sql = SqlBuf::new(
            "SELECT o.id, o.name, CAST(SUM(h.working) AS BIGINT) AS required, CAST(SUM(d.done) AS BIGINT) AS done FROM units u \
             JOIN units o ON o.id = u.org_id \
             LEFT JOIN unit_people_stats h ON h.unit_id = u.id \
             LEFT JOIN campaign_unit_done d ON d.unit_id = u.id AND d.campaign_id = ",
        );
        sql.arg_i64(c.id)
            .push(" WHERE u.path >= ")
            .arg_text(&area.path)
            .push(" AND u.path < ")
            .arg_text(&end)
            .push(" GROUP BY o.id, o.name, o.name_folded ORDER BY o.name_folded, o.id");
        let rows = sql.query().fetch_all(db.pool()).await?;
        return coverage::org_lines(area, &rows);
    }
    let mut sql = SqlBuf::new(
        "SELECT u.id, u.path, u.name, u.kind, h.working AS required, d.done AS done FROM units u \
         LEFT JOIN unit_people_stats h ON h.unit_id = u.id \
         LEFT JOIN campaign_unit_done d ON d.unit_id = u.id AND d.campaign_id = ",
    );
    sql.arg_i64(c.id)
        .push(" WHERE u.path >= ")
        .arg_text(&area.path)
        .push(" AND u.path < ")
        .arg_text(&end)
        .push(" ORDER BY u.path");
    let rows = sql.query().fetch_all(db.pool()).await?;
    let rows = rows
        .iter()
        .map(coverage::unit_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(coverage::split(area, rows))
}

/// Which people a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonFilter {
    All,
    Missing,
    Done,
}

/// A person of the audience with their signature, if any.
#[derive(Debug, Clone, Serialize)]
pub struct PersonLine {
    pub person_id: i64,
    pub full_name: String,
    pub position: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub signed_at: Option<i64>,
    pub method: Option<String>,
    #[serde(skip)]
    pub sort_key: String,
}

/// The working people of an area with their signature, by name, a page at a time (`after` is
/// the sort key and id of the last one shown).
pub async fn people(
    db: &Db,
    scope: &Scope<CampaignView>,
    c: &Campaign,
    unit_id: Option<i64>,
    filter: PersonFilter,
    after: Option<(String, i64)>,
    limit: i64,
) -> Result<(Vec<PersonLine>, Option<(String, i64)>)> {
    let area = coverage::area(db, scope, c.owner_unit_id, &c.owner_path, unit_id).await?;
    let limit = limit.clamp(1, 50_000);
    let mut sql = SqlBuf::new(
        "SELECT p.id, p.full_name, p.position, p.unit_id, u.name AS unit_name, p.sort_key, s.signed_at, s.method \
         FROM people p JOIN units u ON u.id = p.unit_id \
         LEFT JOIN commitment_signatures s ON s.person_id = p.id AND s.campaign_id = ",
    );
    sql.arg_i64(c.id).push(" WHERE p.status = 'working' AND ");
    if let Some(org) = area.org_id.filter(|_| area.kind != UnitKind::Province) {
        sql.push("p.org_id = ").arg_i64(org).push(" AND ");
    }
    sql.push("p.unit_path >= ")
        .arg_text(&area.path)
        .push(" AND p.unit_path < ")
        .arg_text(&area.root().path_end());
    match filter {
        PersonFilter::All => {}
        PersonFilter::Missing => {
            sql.push(" AND s.id IS NULL");
        }
        PersonFilter::Done => {
            sql.push(" AND s.id IS NOT NULL");
        }
    }
    if let Some((key, id)) = &after {
        sql.push(" AND (p.sort_key > ")
            .arg_text(key)
            .push(" OR (p.sort_key = ")
            .arg_text(key)
            .push(" AND p.id > ")
            .arg_i64(*id)
            .push("))");
    }
    sql.push(" ORDER BY p.sort_key, p.id LIMIT ")
        .arg_i64(limit + 1);
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(PersonLine {
            person_id: r.try_get("id")?,
            full_name: r.try_get("full_name")?,
            position: r.try_get("position")?,
            unit_id: r.try_get("unit_id")?,
            unit_name: r.try_get("unit_name")?,
            signed_at: r.try_get("signed_at")?,
            method: r.try_get("method")?,
            sort_key: r.try_get("sort_key")?,
        });
    }
    let next = if out.len() as i64 > limit {
        out.truncate(limit as usize);
        out.last().map(|p| (p.sort_key.clone(), p.person_id))
    } else {
        None
    };
    Ok((out, next))
}

/// One organisation of the province overview with its figures for each campaign of the year.
#[derive(Debug, Clone, Serialize)]
pub struct OrgRow {
    pub org_id: i64,
    pub name: String,
    /// Figures per campaign, in the order of the campaigns returned alongside; `None` where the
    /// campaign does not reach the organisation.
    pub cells: Vec<Option<Figures>>,
    #[serde(skip)]
    key: String,
}

/// Every organisation in the scope side by side for the given campaigns: one grouped query
/// per campaign over the rollups (a province-wide campaign reads its 20,000 units once; an
/// organisation's own reads a few).
pub async fn province_overview(
    db: &Db,
    scope: &Scope<CampaignView>,
    campaigns: &[Campaign],
) -> Result<Vec<OrgRow>> {
    let mut rows: Vec<OrgRow> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let view = scope.roots();
    if view.is_empty() {
        return Err(Error::NotFound);
    }
    for (i, c) in campaigns.iter().enumerate() {
        let mut sql = SqlBuf::new(
            "SELECT o.id, o.name, o.name_folded, CAST(SUM(h.working) AS BIGINT) AS required, CAST(SUM(d.done) AS BIGINT) AS done FROM units u \
             JOIN units o ON o.id = u.org_id \
             LEFT JOIN unit_people_stats h ON h.unit_id = u.id \
             LEFT JOIN campaign_unit_done d ON d.unit_id = u.id AND d.campaign_id = ",
        );
        sql.arg_i64(c.id)
            .push(" WHERE u.path >= ")
            .arg_text(&c.owner_path)
            .push(" AND u.path < ")
            .arg_text(&crate::scope::path_end(&c.owner_path))
            .push(" AND ");
        scope.push_filter(&mut sql, "u.path", None);
        sql.push(" GROUP BY o.id, o.name, o.name_folded ORDER BY o.name_folded, o.id");
        for r in sql.query().fetch_all(db.pool()).await? {
            let id: i64 = r.try_get("id")?;
            let at = *index.entry(id).or_insert_with(|| {
                rows.push(OrgRow {
                    org_id: id,
                    name: r.try_get("name").unwrap_or_default(),
                    key: r.try_get("name_folded").unwrap_or_default(),
                    cells: vec![None; campaigns.len()],
                });
                rows.len() - 1
            });
            rows[at].cells[i] = Some(coverage::figures(&r)?);
        }
    }
    rows.sort_by(|a, b| a.key.cmp(&b.key).then(a.org_id.cmp(&b.org_id)));
    Ok(rows)
}
