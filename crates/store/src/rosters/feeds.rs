//! A person's calendar feed: a secret in the feed's address stands for the person, because
//! calendar apps send no cookies. Only its SHA-256 is stored; making a new one replaces the old
//! address, and revoking deletes it. Both are audited.

use crate::audit::{self, Actor, Event};
use crate::sessions::{hash_token, random_token};
use crate::{Db, Result, now_ms};
use serde_json::json;
use sqlx::Row;

async fn person_path(tx: &mut crate::WriteTx, person_id: i64) -> Result<Option<String>> {
    let row = sqlx::query("SELECT unit_path FROM people WHERE id = $1")
        .bind(person_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get("unit_path")?),
        None => None,
    })
}

/// Makes (or replaces) the person's feed secret and returns it; it is shown once.
pub async fn create(db: &Db, actor: &Actor, person_id: i64) -> Result<String> {
    let token = random_token();
    let mut tx = db.begin_write().await?;
    let path = person_path(&mut tx, person_id).await?;
    sqlx::query("DELETE FROM roster_feeds WHERE person_id = $1")
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO roster_feeds (person_id, token_hash, created_at) VALUES ($1,$2,$3)")
        .bind(person_id)
        .bind(hash_token(&token))
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    let ev = Event {
        action: "roster.feed_create",
        object_kind: "person",
        object_id: person_id.to_string(),
        unit_path: path,
        details: json!({}),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(token)
}

/// Revokes the person's feed: its address stops working.
pub async fn revoke(db: &Db, actor: &Actor, person_id: i64) -> Result<bool> {
    let mut tx = db.begin_write().await?;
    let path = person_path(&mut tx, person_id).await?;
    let done = sqlx::query("DELETE FROM roster_feeds WHERE person_id = $1")
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
    let ev = Event {
        action: "roster.feed_revoke",
        object_kind: "person",
        object_id: person_id.to_string(),
        unit_path: path,
        details: json!({ "had_feed": done.rows_affected() > 0 }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

/// When the person's feed was made, if they have one.
pub async fn created_at(db: &Db, person_id: i64) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT created_at FROM roster_feeds WHERE person_id = $1")
        .bind(person_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get("created_at")?),
        None => None,
    })
}

/// The person a feed secret stands for.
pub async fn person_for(db: &Db, token: &str) -> Result<Option<i64>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let row = sqlx::query("SELECT person_id FROM roster_feeds WHERE token_hash = $1")
        .bind(hash_token(token))
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get("person_id")?),
        None => None,
    })
}
