//! Browser sessions: an opaque random id in an HttpOnly cookie, stored only as its SHA-256,
//! with idle and absolute timeouts, a CSRF token per session and the second-factor state.

use crate::{Db, Result, now_ms};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Timeouts in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub idle_ms: i64,
    pub absolute_ms: i64,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            idle_ms: 30 * 60 * 1000,
            absolute_ms: 12 * 60 * 60 * 1000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id_hash: String,
    pub account_id: i64,
    pub csrf_token: String,
    /// The second factor was presented (or is not needed); until then only the code page works.
    pub second_factor: bool,
    pub created_at: i64,
}

/// 256 random bits, hex-encoded.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session; returns the cookie value (never stored) and the session.
pub async fn create(
    tx: &mut crate::WriteTx,
    account_id: i64,
    second_factor: bool,
    t: Timeouts,
    user_agent: Option<&str>,
    ip: &str,
) -> Result<(String, Session)> {
    let token = random_token();
    let now = now_ms();
    let s = Session {
        id_hash: hash_token(&token),
        account_id,
        csrf_token: random_token(),
        second_factor,
        created_at: now,
    };
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, csrf_token, second_factor, created_at, last_seen_at, expires_at, user_agent, ip) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
    )
    .bind(&s.id_hash)
    .bind(account_id)
    .bind(&s.csrf_token)
    .bind(i64::from(second_factor))
    .bind(now)
    .bind(now + t.absolute_ms)
    .bind(user_agent.map(|u| u.chars().take(200).collect::<String>()))
    .bind(ip)
    .execute(&mut **tx)
    .await?;
    Ok((token, s))
}

/// Marks the second factor as presented.
pub async fn confirm_second_factor(db: &Db, id_hash: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET second_factor = 1 WHERE id_hash = $1")
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Ends every session of an account ("sign out everywhere").
pub async fn delete_all(tx: &mut crate::WriteTx, account_id: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Number of live sessions of an account.
pub async fn count(db: &Db, account_id: i64) -> Result<i64> {
    let r =
        sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE account_id = $1 AND expires_at > $2")
            .bind(account_id)
            .bind(now_ms())
            .fetch_one(db.pool())
            .await?;
    Ok(r.try_get("n")?)
}

/// Removes expired sessions; run periodically.
pub async fn purge_expired(db: &Db, t: Timeouts) -> Result<u64> {
    let now = now_ms();
    Ok(
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2")
            .bind(now)
            .bind(now - t.idle_ms)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

/// Ends one session inside a write transaction (sign-out with its audit entry).
pub async fn delete_in(tx: &mut crate::WriteTx, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// "Sign out everywhere": ends every browser session and revokes every API sign-in token of
/// the account in one transaction with its audit entry. Integration tokens stay; they are
/// listed and revoked one by one.
pub async fn end_everywhere(
    db: &Db,
    actor: &crate::audit::Actor,
    account_id: i64,
) -> Result<(u64, u64)> {
    let mut tx = db.begin_write().await?;
    let sessions = delete_all(&mut tx, account_id).await?;
    let tokens = crate::tokens::revoke_sessions(&mut tx, account_id).await?;
    crate::audit::append(
        &mut tx,
        actor,
        crate::audit::Event {
            action: "account.sign_out_everywhere",
            object_kind: "account",
            object_id: account_id.to_string(),
            unit_path: None,
            details: serde_json::json!({ "sessions_ended": sessions, "api_sign_ins_revoked": tokens }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((sessions, tokens))
}
