//! Figures for the home dashboard that need their own queries.

use crate::scope::{AccountView, PersonView};
use crate::sql::SqlBuf;
use crate::{Cap, Db, Result, Scope, now_ms};
use sqlx::Row;

/// Head counts of a scope, from the counts the database keeps per unit and per organisation
/// (migration 0004) rather than from the people table.
#[derive(Debug, Clone, Copy, Default)]
pub struct HeadCounts {
    pub total: i64,
    pub working: i64,
    pub party: i64,
    pub self_defence: i64,
    pub fire_force: i64,
    /// Working people without a date of birth or a phone.
    pub incomplete: i64,
}

pub async fn head_counts<C: Cap>(db: &Db, scope: &Scope<C>) -> Result<HeadCounts> {
    let figures = db.figures();
    crate::figures::kept(
        db,
        &figures.heads,
        scope.roots(),
        read_head_counts(db, scope),
    )
    .await
}

async fn read_head_counts<C: Cap>(db: &Db, scope: &Scope<C>) -> Result<HeadCounts> {
    let sums = "SELECT CAST(COALESCE(SUM(s.total), 0) AS BIGINT) AS total, \
         CAST(COALESCE(SUM(s.working), 0) AS BIGINT) AS working, \
         CAST(COALESCE(SUM(s.party), 0) AS BIGINT) AS party, \
         CAST(COALESCE(SUM(s.self_defence), 0) AS BIGINT) AS sd, \
         CAST(COALESCE(SUM(s.fire_force), 0) AS BIGINT) AS fire, \
         CAST(COALESCE(SUM(s.incomplete), 0) AS BIGINT) AS incomplete ";
    // A root outside any organisation is the province, which holds every organisation: its
    // figures are the sum of the 2,000 organisation rows. Narrower scopes sum their units.
    let sql = if scope.roots().iter().any(|r| r.org_id.is_none()) {
        SqlBuf::new(&format!("{sums} FROM org_people_stats s"))
    } else {
        let mut sql = SqlBuf::new(&format!(
            "{sums} FROM unit_people_stats s JOIN units u ON u.id = s.unit_id WHERE "
        ));
        scope.push_filter(&mut sql, "u.path", None);
        sql
    };
    let r = sql.query().fetch_one(db.pool()).await?;
    Ok(HeadCounts {
        total: r.try_get("total")?,
        working: r.try_get("working")?,
        party: r.try_get("party")?,
        self_defence: r.try_get("sd")?,
        fire_force: r.try_get("fire")?,
        incomplete: r.try_get("incomplete")?,
    })
}

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
        out.incomplete_people = head_counts(db, s).await?.incomplete;
    }
    if let Some(s) = accounts {
        let mut sql = SqlBuf::new(
            "SELECT COUNT(*) AS n FROM accounts a JOIN people p ON p.id = a.person_id WHERE a.locked_until > ",
        );
        sql.arg_i64(now_ms()).push(" AND ");
        s.push_filter(&mut sql, "p.unit_path", Some("p.org_id"));
        out.locked_accounts = sql.query().fetch_one(db.pool()).await?.try_get("n")?;
        if s.roots().iter().any(|r| r.org_id.is_none()) {
            // Driven by the few privileged grants (role index), not by every account.
            let r = sqlx::query(
                "SELECT COUNT(*) AS n FROM accounts a WHERE a.totp_enabled = 0 AND a.disabled = 0 \
                 AND a.id IN (SELECT g.account_id FROM role_grants g WHERE g.role IN ('admin', 'overseer'))",
            )
            .fetch_one(db.pool())
            .await?;
            out.privileged_without_second_factor = r.try_get("n")?;
        }
    }
    Ok(out)
}
