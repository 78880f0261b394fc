//! The e-mail outbox: messages written in the same transaction as the change that asks for
//! them (a reminder), delivered later by the server's mail worker.
//!
//! # Why a table and not a send in the request
//! A message queued here exists exactly when the reminder committed: a rolled-back reminder
//! sends nothing, and a server that stops between the reminder and the delivery sends it after
//! the restart. The request does not wait on a mail server either.
//!
//! # Delivery
//! The worker [`claim`]s due messages with a short lease (`locked_until`) so that several
//! servers sharing one PostgreSQL database never send the same message twice at once: the
//! claim is one `UPDATE … WHERE id IN (…) AND lease free … RETURNING`, and on PostgreSQL a
//! second claimer blocked on the same rows re-checks the lease after the first commits and
//! skips them. After a send the worker records [`sent`] or [`failed`]; a failure that may pass
//! (a busy server, a lost connection) is retried with exponential backoff until
//! [`MAX_ATTEMPTS`], a permanent one (mailbox refused) gives up at once. The rows stay as the
//! record of what was sent; they carry no secret (the SMTP password lives only in the
//! configuration).
//!
//! These rows are bookkeeping of delivery, not organisation data: the reminder that queued
//! them is audited with the number queued, and delivery updates do not take the audit lock.

use crate::{Db, Result, WriteTx};
use serde::Serialize;
use sqlx::Row;

/// Attempts before a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 5;
/// How long a claim holds a message (longer than any SMTP timeout).
pub const LEASE_MS: i64 = 5 * 60_000;
/// First retry delay; each further attempt doubles it (1, 2, 4, 8 minutes).
pub const FIRST_RETRY_MS: i64 = 60_000;

/// A message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub body: String,
}

/// A message claimed for delivery.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Attempts including this one.
    pub attempts: i64,
}

/// One row of the outbox, for the record and for tests.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: i64,
    pub account_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    pub link: String,
    pub status: String,
    pub attempts: i64,
    pub next_at: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
}

/// A message for one recipient, queued inside the caller's transaction.
pub(crate) struct Queued<'a> {
    pub account_id: i64,
    pub recipient: &'a str,
    pub letter: Letter,
}

/// Queues messages in the caller's transaction (multi-row inserts of at most 100 rows).
pub(crate) async fn enqueue(
    tx: &mut WriteTx,
    kind: &str,
    link: &str,
    now: i64,
    items: &[Queued<'_>],
) -> Result<()> {
    for chunk in items.chunks(100) {
        let mut sql = crate::sql::SqlBuf::new(
            "INSERT INTO mail_outbox (account_id, recipient, subject, body, kind, link, status, attempts, \
             next_at, created_at) VALUES ",
        );
        for (i, q) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .arg_i64(q.account_id)
                .push(", ")
                .arg_text(q.recipient)
                .push(", ")
                .arg_text(&q.letter.subject)
                .push(", ")
                .arg_text(&q.letter.body)
                .push(", ")
                .arg_text(kind)
                .push(", ")
                .arg_text(link)
                .push(", 'queued', 0, ")
                .arg_i64(now)
                .push(", ")
                .arg_i64(now)
                .push(")");
        }
        sql.query().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Claims up to `limit` due messages for `LEASE_MS`, counting the attempt.
pub async fn claim(db: &Db, now: i64, limit: i64) -> Result<Vec<Outgoing>> {
    let rows = sqlx::query(
        "UPDATE mail_outbox SET locked_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'queued' AND next_at <= $2 \
                      AND (locked_until IS NULL OR locked_until <= $2) ORDER BY next_at, id LIMIT $3) \
           AND status = 'queued' AND (locked_until IS NULL OR locked_until <= $2) \
         RETURNING id, recipient, subject, body, attempts",
    )
    .bind(now + LEASE_MS)
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok(Outgoing {
                id: r.try_get("id")?,
                recipient: r.try_get("recipient")?,
                subject: r.try_get("subject")?,
                body: r.try_get("body")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by_key(|o| o.id);
    Ok(out)
}

/// Records a delivered message.
pub async fn sent(db: &Db, id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE mail_outbox SET status = 'sent', sent_at = $1, locked_until = NULL, last_error = NULL \
         WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// What became of a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Queued again for `next_at`.
    Retry { next_at: i64 },
    /// Given up.
    Failed,
}

/// The delay before attempt `attempts + 1`.
pub fn backoff_ms(attempts: i64) -> i64 {
    FIRST_RETRY_MS << (attempts.clamp(1, 10) - 1)
}

/// Records a failed attempt: retried later when `permanent` is false and attempts remain,
/// otherwise marked failed. `error` is the server's answer (never a credential).
pub async fn failed(
    db: &Db,
    msg: &Outgoing,
    error: &str,
    permanent: bool,
    now: i64,
) -> Result<Outcome> {
    let error: String = error.chars().take(500).collect();
    let outcome = if permanent || msg.attempts >= MAX_ATTEMPTS {
        Outcome::Failed
    } else {
        Outcome::Retry {
            next_at: now + backoff_ms(msg.attempts),
        }
    };
    let (status, next_at) = match outcome {
        Outcome::Retry { next_at } => ("queued", next_at),
        Outcome::Failed => ("failed", now),
    };
    sqlx::query(
        "UPDATE mail_outbox SET status = $1, next_at = $2, locked_until = NULL, last_error = $3 \
         WHERE id = $4",
    )
    .bind(status)
    .bind(next_at)
    .bind(error)
    .bind(msg.id)
    .execute(db.pool())
    .await?;
    Ok(outcome)
}

/// The most recent messages, newest first (for the record and for tests).
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT id, account_id, recipient, subject, body, kind, link, status, attempts, next_at, \
         last_error, sent_at FROM mail_outbox ORDER BY id DESC LIMIT $1",
    )
    .bind(limit.clamp(1, 1000))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Entry {
                id: r.try_get("id")?,
                account_id: r.try_get("account_id")?,
                recipient: r.try_get("recipient")?,
                subject: r.try_get("subject")?,
                body: r.try_get("body")?,
                kind: r.try_get("kind")?,
                link: r.try_get("link")?,
                status: r.try_get("status")?,
                attempts: r.try_get("attempts")?,
                next_at: r.try_get("next_at")?,
                last_error: r.try_get("last_error")?,
                sent_at: r.try_get("sent_at")?,
            })
        })
        .collect()
}

/// The earliest time a queued message falls due, if any (lets the worker sleep until then).
pub async fn next_due(db: &Db) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT MIN(CASE WHEN locked_until IS NOT NULL AND locked_until > next_at THEN locked_until \
         ELSE next_at END) AS due FROM mail_outbox WHERE status = 'queued'",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get("due")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_minute() {
        assert_eq!(backoff_ms(1), 60_000);
        assert_eq!(backoff_ms(2), 120_000);
        assert_eq!(backoff_ms(4), 480_000);
    }
}
