//! Figures for the home dashboard that need their own queries.

use crate::scope::{AccountView, PersonView};
use crate::sql::SqlBuf;
use crate::{Db, Result, Scope, now_ms};
use sqlx::Row;

#[derive(Debug, Clone, Default)]
pub struct Attention {
    /// People of the scope with no date of birth or no phone.
    pub incomplete_people: i64,
    /// Accounts of the scope locked after failed sign-ins.
    pub locked_accounts: i64,
    /// Administrator or overseer accounts without a second factor (whole-province scopes only).
    pub privileged_without_second_factor: i64,
}

pub async fn attention(
    db: &Db,
    people: Option<&Scope<PersonView>>,
    accounts: Option<&Scope<AccountView>>,
) -> Result<Attention> {
    let mut out = Attention::default();
    if let Some(s) = people {
        // Kept per unit by the database (migration 0004), like the head counts.
        let mut sql = SqlBuf::new(
            "SELECT CAST(COALESCE(SUM(s.incomplete), 0) AS BIGINT) AS n \
             FROM unit_people_stats s JOIN units u ON u.id = s.unit_id WHERE ",
        );
        s.push_filter(&mut sql, "u.path", None);
        out.incomplete_people = sql.query().fetch_one(db.pool()).await?.try_get("n")?;
    }
    if let Some(s) = accounts {
        let mut sql = SqlBuf::new(
            "SELECT COUNT(*) AS n FROM accounts a JOIN people p ON p.id = a.person_id WHERE a.locked_until > ",
        );
        sql.arg_i64(now_ms()).push(" AND ");
        s.push_filter(&mut sql, "p.unit_path", Some("p.org_id"));
        out.locked_accounts = sql.query().fetch_one(db.pool()).await?.try_get("n")?;
        if s.roots().iter().any(|r| r.org_id.is_none()) {
            let r = sqlx::query(
                "SELECT COUNT(DISTINCT a.id) AS n FROM accounts a JOIN role_grants g ON g.account_id = a.id \
                 WHERE g.role IN ('admin', 'overseer') AND a.totp_enabled = 0 AND a.disabled = 0",
            )
            .fetch_one(db.pool())
            .await?;
            out.privileged_without_second_factor = r.try_get("n")?;
        }
    }
    Ok(out)
}
