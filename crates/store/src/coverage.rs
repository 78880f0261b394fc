//! Coverage figures shared by commitment and dissemination campaigns: done out of required
//! for an area of the unit tree, split by the area's children for drill-down.
//!
//! Below the province the split is computed from one row per unit of the area (an
//! organisation has tens of units); at the province it is grouped by organisation in SQL, so
//! the 20,000 units of a province never cross the wire.

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
