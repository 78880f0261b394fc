//! How many open campaigns still wait for a person's confirmation, for the home page's
//! "what needs attention" line.
//!
//! The home page is the most requested page, so this is one statement rather than the full
//! task list of [`super::my_tasks`] (person, campaigns, their documents, acknowledgements and
//! directives: six reads). It counts the same campaigns that `my_tasks` lists as not done: open,
//! the person working and in the campaign's group, the person's unit under one of the audience
//! units, and at least one document whose current version the person has not acknowledged.

use super::Group;
use crate::{Db, Result};
use sqlx::Row;
use std::sync::OnceLock;

/// Paths end with `/`, so an audience path that prefixes the person's unit path is exactly an
/// ancestor of it (or the unit itself).
fn statement() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        let groups: Vec<String> = Group::ALL
            .iter()
            .map(|g| match g.column() {
                None => format!("c.audience_group = '{}'", g.code()),
                Some(col) => format!("(c.audience_group = '{}' AND p.{col} = 1)", g.code()),
            })
            .collect();
        format!(
            "SELECT COUNT(*) AS n FROM dissemination_campaigns c JOIN people p ON p.id = $1 \
             WHERE p.status = 'working' AND c.status = 'open' AND ({}) \
             AND EXISTS (SELECT 1 FROM dissemination_audience a JOIN units u ON u.id = a.unit_id \
                         WHERE a.campaign_id = c.id \
                         AND substr(p.unit_path, 1, length(u.path)) = u.path) \
             AND EXISTS (SELECT 1 FROM dissemination_documents d JOIN directives r ON r.id = d.directive_id \
                         WHERE d.campaign_id = c.id \
                         AND NOT EXISTS (SELECT 1 FROM dissemination_acks k \
                                         WHERE k.campaign_id = c.id AND k.person_id = p.id \
                                         AND k.directive_id = r.id AND k.version = r.version))",
            groups.join(" OR ")
        )
    })
}

/// The number of open campaigns asking this person to read and confirm something they have
/// not yet confirmed in its current version.
pub async fn pending_count(db: &Db, person_id: i64) -> Result<i64> {
    let row = sqlx::query(statement())
        .bind(person_id)
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("n")?)
}
