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
use std::collections::HashMap;

/// Coverage of a campaign over an area (default: what the viewer reaches of it).
pub async fn coverage(
    db: &Db,
    scope: &Scope<CampaignView>,
    c: &Campaign,
    unit_id: Option<i64>,
) -> Result<Coverage> {
    let area = coverage::area(db, scope, c.owner_unit_id, &c.owner_path, unit_id).await?;
    if c.status == super::Status::Closed {
        return coverage::frozen(db, coverage::Kind::Commitment, c.id, area, true).await;
    }
    let end = area.root().path_end();
    if area.kind == UnitKind::Province {
        // One row per organisation from the two per-organisation rollups.
        let rows = sqlx::query(
            "SELECT o.id, o.name, s.working AS required, d.done AS done FROM units o \
             LEFT JOIN org_people_stats s ON s.org_id = o.id \
             LEFT JOIN campaign_org_done d ON d.org_id = o.id AND d.campaign_id = $1 \
             WHERE o.kind = 'organisation' AND o.path >= $2 AND o.path < $3 \
             ORDER BY o.name_folded, o.id",
        )
        .bind(c.id)
        .bind(&area.path)
        .bind(&end)
        .fetch_all(db.pool())
        .await?;
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

/// Working people per organisation below `path`, from the per-organisation head counts.
async fn org_required(db: &Db, path: &str) -> Result<HashMap<i64, i64>> {
    let rows = sqlx::query(
        "SELECT s.org_id AS id, s.working AS n FROM org_people_stats s JOIN units u ON u.id = s.org_id \
         WHERE u.path >= $1 AND u.path < $2",
    )
    .bind(path)
    .bind(crate::scope::path_end(path))
    .fetch_all(db.pool())
    .await?;
    sums(&rows)
}

/// Signatures of working people per organisation below `path`, from the per-organisation
/// rollup, for several campaigns in one read: campaign → organisation → done.
async fn org_done_many(
    db: &Db,
    campaign_ids: &[i64],
    path: &str,
) -> Result<HashMap<i64, HashMap<i64, i64>>> {
    let mut out: HashMap<i64, HashMap<i64, i64>> = HashMap::new();
    if campaign_ids.is_empty() {
        return Ok(out);
    }
    let mut sql = SqlBuf::new(
        "SELECT d.campaign_id, d.org_id, d.done FROM campaign_org_done d JOIN units u ON u.id = d.org_id \
         WHERE u.path >= ",
    );
    sql.arg_text(path)
        .push(" AND u.path < ")
        .arg_text(&crate::scope::path_end(path))
        .push(" AND d.campaign_id IN (");
    for (i, id) in campaign_ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.arg_i64(*id);
    }
    sql.push(")");
    for r in sql.query().fetch_all(db.pool()).await? {
        out.entry(r.try_get("campaign_id")?)
            .or_default()
            .insert(r.try_get("org_id")?, r.try_get("done")?);
    }
    Ok(out)
}

fn sums(rows: &[sqlx::any::AnyRow]) -> Result<HashMap<i64, i64>> {
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        let id: Option<i64> = r.try_get("id")?;
        let n: Option<i64> = r.try_get("n")?;
        if let Some(id) = id {
            out.insert(id, n.unwrap_or(0));
        }
    }
    Ok(out)
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
}

/// Every organisation in the scope side by side for the given campaigns: the head counts per
/// organisation once, and per campaign one grouped read of its rollup.
pub async fn province_overview(
    db: &Db,
    scope: &Scope<CampaignView>,
    campaigns: &[Campaign],
) -> Result<Vec<OrgRow>> {
    if scope.roots().is_empty() {
        return Err(Error::NotFound);
    }
    let mut rows: Vec<OrgRow> = Vec::new();
    for root in scope.roots() {
        let (orgs, required) =
            tokio::try_join!(org_paths(db, &root.path), org_required(db, &root.path))?;
        // Per campaign: live done counts (one read for every open campaign), or the frozen
        // figures of a closed one.
        let open: Vec<i64> = campaigns
            .iter()
            .filter(|c| c.status == super::Status::Open)
            .map(|c| c.id)
            .collect();
        let mut live = org_done_many(db, &open, &root.path).await?;
        let mut per: Vec<Result<HashMap<i64, i64>, HashMap<i64, Figures>>> =
            Vec::with_capacity(campaigns.len());
        for c in campaigns {
            per.push(match c.status {
                super::Status::Open => Ok(live.remove(&c.id).unwrap_or_default()),
                super::Status::Closed => {
                    Err(coverage::frozen_by_org(db, coverage::Kind::Commitment, c.id).await?)
                }
            });
        }
        for (id, name, path) in orgs {
            let cells = campaigns
                .iter()
                .zip(&per)
                .map(|(c, d)| {
                    path.starts_with(&c.owner_path).then(|| match d {
                        Ok(done) => Figures {
                            required: required.get(&id).copied().unwrap_or(0),
                            done: done.get(&id).copied().unwrap_or(0),
                        },
                        Err(frozen) => frozen.get(&id).copied().unwrap_or_default(),
                    })
                })
                .collect();
            rows.push(OrgRow {
                org_id: id,
                name,
                cells,
            });
        }
    }
    Ok(rows)
}

/// The organisations below `path` (or the one holding it), by name, with their paths.
async fn org_paths(db: &Db, path: &str) -> Result<Vec<(i64, String, String)>> {
    let rows = sqlx::query(
        "SELECT id, name, path FROM units WHERE kind = 'organisation' AND path >= $1 AND path < $2 \
         ORDER BY name_folded, id",
    )
    .bind(path)
    .bind(crate::scope::path_end(path))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("name")?, r.try_get("path")?)))
        .collect()
}
