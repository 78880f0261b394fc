//! Who is asking, read in one statement: the credential (an API token or a browser session),
//! its account and the account's grants. Every request pays for this, so it is one round trip
//! rather than one per table.

use crate::accounts::{self, Account};
use crate::scope::Grants;
use crate::sessions::{Session, Timeouts, hash_token};
use crate::tokens::{self, Access};
use crate::{Db, Result, now_ms};
use sqlx::Row;
use sqlx::any::AnyRow;

/// The account behind a credential and its grants.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: Account,
    pub grants: Grants,
}

/// The credential's table `c`, joined to its account and the account's grants, one row per
/// grant (one row of NULL grant columns when there are none).
fn query(credential_cols: &str, table: &str, key: &str) -> String {
    let account_cols = accounts::COLS
        .split(',')
        .map(|c| format!("a.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {credential_cols}, {account_cols}, {} FROM {table} c \
         JOIN accounts a ON a.id = c.account_id \
         LEFT JOIN role_grants g ON g.account_id = a.id \
         LEFT JOIN units u ON u.id = g.unit_id \
         WHERE c.{key} = $1 ORDER BY g.id",
        Grants::JOINED_COLS
    )
}

fn caller(rows: &[AnyRow]) -> Result<Caller> {
    Ok(Caller {
        account: accounts::from_row(&rows[0])?,
        grants: Grants::from_joined(rows)?,
    })
}

/// A bearer token that is neither revoked nor expired, with its account and access.
pub async fn by_token(db: &Db, secret: &str) -> Result<Option<(Caller, Access)>> {
    if !tokens::looks_like_token(secret) {
        return Ok(None);
    }
    let sql = query(
        "c.id AS c_id, c.access AS c_access, c.expires_at AS c_expires, \
         c.revoked_at AS c_revoked, c.last_used_at AS c_last",
        "api_tokens",
        "token_hash",
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(hash_token(secret))
        .fetch_all(db.pool())
        .await?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    let now = now_ms();
    let expires: Option<i64> = r.try_get("c_expires")?;
    let revoked: Option<i64> = r.try_get("c_revoked")?;
    if revoked.is_some() || expires.is_some_and(|e| e < now) {
        return Ok(None);
    }
    // Kept to the minute: a request should not be a write every time.
    let last: Option<i64> = r.try_get("c_last")?;
    if last.is_none_or(|l| now - l > 60_000) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(r.try_get::<i64, _>("c_id")?)
            .execute(db.pool())
            .await?;
    }
    let access = Access::parse(&r.try_get::<String, _>("c_access")?).unwrap_or(Access::Read);
    Ok(Some((caller(&rows)?, access)))
}

/// A live session (within its idle and absolute timeouts) with its account. An expired
/// session is removed.
pub async fn by_session(db: &Db, cookie: &str, t: Timeouts) -> Result<Option<(Caller, Session)>> {
    let h = hash_token(cookie);
    let sql = query(
        "c.csrf_token AS c_csrf, c.second_factor AS c_second, c.created_at AS c_created, \
         c.last_seen_at AS c_last, c.expires_at AS c_expires",
        "sessions",
        "id_hash",
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&h)
        .fetch_all(db.pool())
        .await?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    let now = now_ms();
    let last: i64 = r.try_get("c_last")?;
    let expires: i64 = r.try_get("c_expires")?;
    if now > expires || now - last > t.idle_ms {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(&h)
            .execute(db.pool())
            .await?;
        return Ok(None);
    }
    // Touched at most once a minute: a page view should not be a write every time.
    if now - last > 60_000 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&h)
            .execute(db.pool())
            .await?;
    }
    let c = caller(&rows)?;
    let session = Session {
        id_hash: h,
        account_id: c.account.id,
        csrf_token: r.try_get("c_csrf")?,
        second_factor: r.try_get::<i64, _>("c_second")? != 0,
        created_at: r.try_get("c_created")?,
    };
    Ok(Some((c, session)))
}
