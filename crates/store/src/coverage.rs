//! Coverage figures shared by commitment and dissemination campaigns: done out of required
//! for an area of the unit tree, split by the area's children for drill-down.
//!
//! Below the province the split is computed from one row per unit of the area (an
//! organisation has tens of units); at the province it is grouped by organisation in SQL, so
//! the 20,000 units of a province never cross the wire.

use crate::sql::SqlBuf;
use crate::units::Unit;
use crate::{Result, units};
use domain::values::UnitKind;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

/// Done out of required.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub required: i64,
    pub done: i64,
}

impl Figures {
    /// Percentage with one decimal; an area nobody is required in counts as complete.
    pub fn percent(&self) -> f64 {
        if self.required <= 0 {
            return 100.0;
        }
        (self.done as f64 * 1000.0 / self.required as f64).floor() / 10.0
    }

    pub fn missing(&self) -> i64 {
        (self.required - self.done).max(0)
    }

    pub fn complete(&self) -> bool {
        self.done >= self.required
    }
}

/// One line of the split: a child unit (its whole subtree), or the area itself for the people
/// placed directly in it.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub unit_id: i64,
    pub name: String,
    pub kind: UnitKind,
    /// The line is the area itself (people placed directly in it); no drill-down.
    pub direct: bool,
    #[serde(flatten)]
    pub figures: Figures,
}

/// Coverage of an area.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub area: Unit,
    #[serde(flatten)]
    pub figures: Figures,
    pub lines: Vec<Line>,
}

/// A per-unit row read by a campaign's query: `id, parent_id, path, name, kind, required, done`.
pub(crate) struct UnitRow {
    id: i64,
    path: String,
    name: String,
    kind: UnitKind,
    figures: Figures,
}

pub(crate) fn unit_row(r: &AnyRow) -> Result<UnitRow> {
    Ok(UnitRow {
        id: r.try_get("id")?,
        path: r.try_get("path")?,
        name: r.try_get("name")?,
        kind: UnitKind::parse(&r.try_get::<String, _>("kind")?)?,
        figures: figures(r)?,
    })
}

/// Reads `required` and `done` (sums may come back NULL on an empty group).
pub(crate) fn figures(r: &AnyRow) -> Result<Figures> {
    let required: Option<i64> = r.try_get("required")?;
    let done: Option<i64> = r.try_get("done")?;
    Ok(Figures {
        required: required.unwrap_or(0),
        done: done.unwrap_or(0),
    })
}

/// Groups per-unit rows of an area's subtree by the area's children (rows in tree order).
pub(crate) fn split(area: Unit, rows: Vec<UnitRow>) -> Coverage {
    let mut total = Figures::default();
    let mut lines: Vec<Line> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut direct = Figures::default();
    for r in rows {
        total.required += r.figures.required;
        total.done += r.figures.done;
        if r.id == area.id {
            direct = r.figures;
            continue;
        }
        let Some(rest) = r.path.strip_prefix(area.path.as_str()) else {
            continue;
        };
        let Some(child) = rest.split('/').next() else {
            continue;
        };
        let key = format!("{}{child}/", area.path);
        match index.get(&key) {
            Some(&i) => {
                lines[i].figures.required += r.figures.required;
                lines[i].figures.done += r.figures.done;
            }
            None => {
                index.insert(key, lines.len());
                lines.push(Line {
                    unit_id: r.id,
                    name: r.name,
                    kind: r.kind,
                    direct: false,
                    figures: r.figures,
                });
            }
        }
    }
    // Children by name, the way the unit tree lists them.
    lines.sort_by_cached_key(|l| domain::text::fold_vi(&l.name));
    if direct.required > 0 || direct.done > 0 {
        lines.insert(
            0,
            Line {
                unit_id: area.id,
                name: area.name.clone(),
                kind: area.kind,
                direct: true,
                figures: direct,
            },
        );
    }
    Coverage {
        area,
        figures: total,
        lines,
    }
}

/// Organisation lines read by a grouped query: `id, name, required, done`.
pub(crate) fn org_lines(area: Unit, rows: &[AnyRow]) -> Result<Coverage> {
    let mut total = Figures::default();
    let mut lines = Vec::with_capacity(rows.len());
    for r in rows {
        let f = figures(r)?;
        total.required += f.required;
        total.done += f.done;
        lines.push(Line {
            unit_id: r.try_get("id")?,
            name: r.try_get("name")?,
            kind: UnitKind::Organisation,
            direct: false,
            figures: f,
        });
    }
    Ok(Coverage {
        area,
        figures: total,
        lines,
    })
}

/// Which kind of campaign a snapshot belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Commitment,
    Dissemination,
}

impl Kind {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Kind::Commitment => "commitment",
            Kind::Dissemination => "dissemination",
        }
    }
}

/// Freezes a closing campaign's figures, inside the closing transaction: `per_unit` is a
/// `SELECT unit_id, org_id, required, done` over the campaign's units (only units with someone
/// required or done). Returns the totals, for the audit entry.
pub(crate) async fn freeze(
    tx: &mut crate::WriteTx,
    kind: Kind,
    campaign_id: i64,
    per_unit: SqlBuf,
) -> Result<Figures> {
    per_unit.query().execute(&mut **tx).await?;
    let row = sqlx::query(
        "SELECT CAST(SUM(required) AS BIGINT) AS required, CAST(SUM(done) AS BIGINT) AS done \
         FROM campaign_snapshots WHERE campaign_kind = $1 AND campaign_id = $2",
    )
    .bind(kind.code())
    .bind(campaign_id)
    .fetch_one(&mut **tx)
    .await?;
    figures(&row)
}

/// The start of the `INSERT` that [`freeze`] runs; the caller appends its `SELECT`.
pub(crate) fn freeze_insert() -> SqlBuf {
    SqlBuf::new(
        "INSERT INTO campaign_snapshots (campaign_kind, campaign_id, unit_id, org_id, required, done) ",
    )
}

/// Coverage of a closed campaign over an area, from its snapshot. At the province it is
/// grouped by organisation (`every_org`: list organisations with nobody required too, as the
/// live commitment view does).
pub(crate) async fn frozen(
    db: &crate::Db,
    kind: Kind,
    campaign_id: i64,
    area: Unit,
    every_org: bool,
) -> Result<Coverage> {
    if area.kind == UnitKind::Province {
        let mut sql = SqlBuf::new(
            "SELECT o.id, o.name, CAST(SUM(s.required) AS BIGINT) AS required, \
             CAST(SUM(s.done) AS BIGINT) AS done FROM units o ",
        );
        sql.push(if every_org { "LEFT JOIN" } else { "JOIN" })
            .push(" campaign_snapshots s ON s.org_id = o.id AND s.campaign_kind = ")
            .arg_text(kind.code())
            .push(" AND s.campaign_id = ")
            .arg_i64(campaign_id)
            .push(" WHERE o.kind = 'organisation' AND o.path >= ")
            .arg_text(&area.path)
            .push(" AND o.path < ")
            .arg_text(&area.root().path_end())
            .push(" GROUP BY o.id, o.name, o.name_folded ORDER BY o.name_folded, o.id");
        let rows = sql.query().fetch_all(db.pool()).await?;
        return org_lines(area, &rows);
    }
    let mut sql = SqlBuf::new(
        "SELECT u.id, u.path, u.name, u.kind, s.required, s.done FROM units u \
         LEFT JOIN campaign_snapshots s ON s.unit_id = u.id AND s.campaign_kind = ",
    );
    sql.arg_text(kind.code())
        .push(" AND s.campaign_id = ")
        .arg_i64(campaign_id)
        .push(" WHERE u.path >= ")
        .arg_text(&area.path)
        .push(" AND u.path < ")
        .arg_text(&area.root().path_end())
        .push(" ORDER BY u.path");
    let rows = sql.query().fetch_all(db.pool()).await?;
    let rows = rows.iter().map(unit_row).collect::<Result<Vec<_>>>()?;
    Ok(split(area, rows))
}

/// A closed campaign's figures per organisation, from its snapshot (the province overview).
pub(crate) async fn frozen_by_org(
    db: &crate::Db,
    kind: Kind,
    campaign_id: i64,
) -> Result<HashMap<i64, Figures>> {
    let rows = sqlx::query(
        "SELECT org_id, CAST(SUM(required) AS BIGINT) AS required, CAST(SUM(done) AS BIGINT) AS done \
         FROM campaign_snapshots WHERE campaign_kind = $1 AND campaign_id = $2 GROUP BY org_id",
    )
    .bind(kind.code())
    .bind(campaign_id)
    .fetch_all(db.pool())
    .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in &rows {
        if let Some(org) = r.try_get::<Option<i64>, _>("org_id")? {
            out.insert(org, figures(r)?);
        }
    }
    Ok(out)
}

/// The area a viewer looks at: the unit asked for, or by default the campaign's own unit when
/// it lies in the scope, else the first root of the scope below the campaign's unit. The area
/// must lie both in the scope and under the campaign's unit; otherwise it is not found.
pub(crate) async fn area<C: crate::Cap>(
    db: &crate::Db,
    scope: &crate::Scope<C>,
    owner_unit_id: i64,
    owner_path: &str,
    unit_id: Option<i64>,
) -> Result<Unit> {
    let id = match unit_id {
        Some(id) => id,
        None if scope.contains_path(owner_path) => owner_unit_id,
        None => scope
            .roots()
            .iter()
            .find(|r| r.path.starts_with(owner_path))
            .map(|r| r.unit_id)
            .ok_or(crate::Error::NotFound)?,
    };
    let unit = units::get(db, scope, id).await?;
    if !unit.path.starts_with(owner_path) {
        return Err(crate::Error::NotFound);
    }
    Ok(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_floors_and_empty_is_complete() {
        let f = Figures {
            required: 3,
            done: 2,
        };
        assert_eq!(f.percent(), 66.6);
        assert_eq!(f.missing(), 1);
        assert_eq!(Figures::default().percent(), 100.0);
        assert!(
            Figures {
                required: 5,
                done: 5
            }
            .complete()
        );
    }
}
