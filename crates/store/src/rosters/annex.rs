//! The roster as the annex of an official document (a protection plan, or the notice that
//! issues the roster): a table of days by shift types with the names on duty, in the layout the
//! `vanban` engine prints after the signature.

use super::Detail;
use crate::{Db, Result};
use sqlx::Row;
use vanban::{Annex, Block, Table};

/// Days by shift types, names sorted within a cell; the annex's title is the roster's.
pub fn annex(d: &Detail) -> Annex {
    let mut header = vec!["Ngày".to_owned()];
    header.extend(
        d.shifts
            .iter()
            .map(|s| format!("{} ({})", s.name, s.hours())),
    );
    let rows = d
        .roster
        .days()
        .iter()
        .map(|day| {
            let mut row = vec![day.format("%d/%m/%Y").to_string()];
            for s in &d.shifts {
                let mut who: Vec<&str> = d
                    .cells
                    .iter()
                    .filter(|c| c.day == *day && c.shift_id == s.id)
                    .filter_map(|c| d.member(c.person_id).map(|m| m.full_name.as_str()))
                    .collect();
                who.sort_unstable();
                row.push(who.join(", "));
            }
            row
        })
        .collect();
    let mut widths = vec![1.6];
    widths.extend(d.shifts.iter().map(|_| 2.0));
    Annex {
        title: d.roster.title.to_uppercase(),
        blocks: vec![
            Block::Paragraph {
                text: format!(
                    "Thời gian: từ ngày {} đến ngày {}.",
                    d.roster.start_day.format("%d/%m/%Y"),
                    d.roster.end_day.format("%d/%m/%Y")
                ),
            },
            Block::Table(Table {
                header,
                rows,
                widths: Some(widths),
            }),
        ],
    }
}

/// The head of an organisation, to sign the notice that issues a roster: the first working
/// person whose position is the head's (Chánh Văn phòng, Giám đốc, Hiệu trưởng, Chủ tịch,
/// Trưởng ban), with that position.
pub async fn head_of(db: &Db, org_id: i64) -> Result<Option<(String, String)>> {
    let rows = sqlx::query(
        "SELECT full_name, position FROM people WHERE org_id = $1 AND status = 'working' AND \
         (position LIKE 'Chánh%' OR position LIKE 'Giám đốc%' OR position LIKE 'Hiệu trưởng%' \
         OR position LIKE 'Chủ tịch%' OR position LIKE 'Trưởng ban%') ORDER BY id LIMIT 5",
    )
    .bind(org_id)
    .fetch_all(db.pool())
    .await?;
    Ok(match rows.first() {
        Some(r) => Some((r.try_get("full_name")?, r.try_get("position")?)),
        None => None,
    })
}
