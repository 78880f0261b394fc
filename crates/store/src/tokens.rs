//! API tokens for integrations and for the API's own sign-in: shown once, stored as SHA-256,
//! limited to read or read-write access, revocable, optionally expiring.

use crate::audit::{self, Actor, Event};
use crate::sessions::{hash_token, random_token};
use crate::{Db, Error, Result, WriteTx, now_ms};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// What a token may do on top of its account's roles: never more than the account itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Read,
    ReadWrite,
}

impl Access {
    pub fn code(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::ReadWrite => "read_write",
        }
    }
    pub fn parse(s: &str) -> Option<Access> {
        match s {
            "read" => Some(Access::Read),
            "read_write" => Some(Access::ReadWrite),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Token {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub access: Access,
    pub kind: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Prefix that marks our tokens, so that a leaked one is recognisable in a scan.
const PREFIX: &str = "at_";

/// Creates a token; the returned secret is shown once and never stored.
pub async fn create(
    tx: &mut WriteTx,
    actor: &Actor,
    account_id: i64,
    name: &str,
    access: Access,
    kind: &str,
    expires_at: Option<i64>,
) -> Result<(i64, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::Invalid("err.token_name"));
    }
    let secret = format!("{PREFIX}{}", random_token());
    let row = sqlx::query(
        "INSERT INTO api_tokens (account_id, name, token_hash, prefix, access, kind, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(account_id)
    .bind(name)
    .bind(hash_token(&secret))
    .bind(&secret[..PREFIX.len() + 6])
    .bind(access.code())
    .bind(kind)
    .bind(now_ms())
    .bind(expires_at)
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    if kind == "integration" {
        audit::append(
            tx,
            actor,
            Event {
                action: "token.create",
                object_kind: "token",
                object_id: id.to_string(),
                unit_path: None,
                details: json!({ "name": name, "access": access.code() }),
            },
        )
        .await?;
    }
    Ok((id, secret))
}

/// Whether a string has the form of a token this server issues.
pub(crate) fn looks_like_token(secret: &str) -> bool {
    secret.starts_with(PREFIX)
}

/// An account's integration tokens.
pub async fn list(db: &Db, account_id: i64) -> Result<Vec<Token>> {
    let rows = sqlx::query(
        "SELECT id, name, prefix, access, kind, created_at, last_used_at, expires_at, revoked_at FROM api_tokens \
         WHERE account_id = $1 AND kind = 'integration' ORDER BY id DESC",
    )
    .bind(account_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Token {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                prefix: r.try_get("prefix")?,
                access: Access::parse(&r.try_get::<String, _>("access")?).unwrap_or(Access::Read),
                kind: r.try_get("kind")?,
                created_at: r.try_get("created_at")?,
                last_used_at: r.try_get("last_used_at")?,
                expires_at: r.try_get("expires_at")?,
                revoked_at: r.try_get("revoked_at")?,
            })
        })
        .collect()
}

/// Revokes one of the account's tokens.
pub async fn revoke(db: &Db, actor: &Actor, account_id: i64, token_id: i64) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL")
        .bind(now_ms())
        .bind(token_id)
        .bind(account_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::NotFound);
    }
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "token.revoke",
            object_kind: "token",
            object_id: token_id.to_string(),
            unit_path: None,
            details: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Revokes every API session token of an account (sign out everywhere).
pub async fn revoke_sessions(tx: &mut WriteTx, account_id: i64) -> Result<u64> {
    Ok(sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE account_id = $2 AND kind = 'session' AND revoked_at IS NULL")
        .bind(now_ms())
        .bind(account_id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}
