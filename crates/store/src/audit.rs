//! The tamper-evident audit log.
//!
//! Entries are numbered without gaps and each carries the SHA-256 of its own content and of the
//! previous entry's hash. The head row (`audit_head`) holds the last number and hash; it is
//! locked by [`crate::Db::begin_write`], so entries are appended one at a time on both
//! databases, and each is written in the same transaction as the change it records.
//! `verify` walks the chain: a changed entry fails its own hash, a removed or inserted entry
//! breaks the numbering or the link, and a truncated tail no longer matches the head.

use crate::scope::AuditView;
use crate::sql::SqlBuf;
use crate::{Db, Result, Scope, WriteTx, now_ms};
use futures_util::TryStreamExt;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Who did something.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Actor {
    pub account_id: Option<i64>,
    pub name: String,
    pub ip: Option<String>,
}

impl Actor {
    /// The server itself (command line, start-up tasks).
    pub fn system(what: &str) -> Actor {
        Actor {
            account_id: None,
            name: format!("system:{what}"),
            ip: None,
        }
    }
}

/// What is being recorded.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub action: &'a str,
    pub object_kind: &'a str,
    pub object_id: String,
    /// Path of the unit the object belongs to; lets organisation administrators see their part.
    pub unit_path: Option<String>,
    pub details: serde_json::Value,
}

/// A stored entry.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
    pub unit_path: Option<String>,
    pub ip: Option<String>,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// The hash over every field but the hash itself, with lengths so that no two different
    /// entries can produce the same byte stream.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        field(&self.seq.to_string());
        field(&self.at.to_string());
        field(&self.actor_id.map(|v| v.to_string()).unwrap_or_default());
        field(&self.actor_name);
        field(&self.action);
        field(&self.object_kind);
        field(&self.object_id);
        field(self.unit_path.as_deref().unwrap_or(""));
        field(self.ip.as_deref().unwrap_or(""));
        field(&self.details);
        field(&self.prev_hash);
        hex::encode(h.finalize())
    }
}

/// The head of the chain: the last entry's number and hash.
#[derive(Debug, Clone)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

/// Reads the head inside a write transaction (which holds the lock on it).
pub(crate) async fn head_locked(tx: &mut WriteTx) -> Result<Head> {
    let r = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&mut **tx)
        .await?;
    Ok(Head {
        seq: r.try_get("seq")?,
        hash: r.try_get("hash")?,
    })
}

/// The entry that follows `head`, hashed.
pub(crate) fn next_entry(head: &Head, actor: &Actor, ev: Event<'_>) -> Entry {
    let mut e = Entry {
        seq: head.seq + 1,
        at: now_ms(),
        actor_id: actor.account_id,
        actor_name: actor.name.clone(),
        action: ev.action.to_owned(),
        object_kind: ev.object_kind.to_owned(),
        object_id: ev.object_id,
        unit_path: ev.unit_path,
        ip: actor.ip.clone(),
        details: ev.details.to_string(),
        prev_hash: head.hash.clone(),
        hash: String::new(),
    };
    e.hash = e.compute_hash();
    e
}

/// Columns of an entry, bound as `$1`…`$12` in this order by [`bind_entry`].
pub(crate) const ENTRY_INSERT: &str = "INSERT INTO audit_log (seq, at, actor_id, actor_name, action, \
    object_kind, object_id, unit_path, ip, details, prev_hash, hash) \
    VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)";

pub(crate) fn bind_entry<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    e: &'q Entry,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(e.seq)
        .bind(e.at)
        .bind(e.actor_id)
        .bind(&e.actor_name)
        .bind(&e.action)
        .bind(&e.object_kind)
        .bind(&e.object_id)
        .bind(&e.unit_path)
        .bind(&e.ip)
        .bind(&e.details)
        .bind(&e.prev_hash)
        .bind(&e.hash)
}

/// Appends an entry inside the caller's write transaction; returns its number and hash.
pub async fn append(tx: &mut WriteTx, actor: &Actor, ev: Event<'_>) -> Result<(i64, String)> {
    let h = head_locked(tx).await?;
    let e = next_entry(&h, actor, ev);
    bind_entry(sqlx::query(ENTRY_INSERT), &e)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(e.seq)
        .bind(&e.hash)
        .execute(&mut **tx)
        .await?;
    Ok((e.seq, e.hash))
}

/// Records one event in its own transaction (sign-in failures and other events with no change
/// of data attached).
pub async fn record(db: &Db, actor: &Actor, ev: Event<'_>) -> Result<()> {
    let mut tx = db.begin_write().await?;
    append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(())
}

fn entry_from_row(r: &sqlx::any::AnyRow) -> Result<Entry> {
    Ok(Entry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor_id: r.try_get("actor_id")?,
        actor_name: r.try_get("actor_name")?,
        action: r.try_get("action")?,
        object_kind: r.try_get("object_kind")?,
        object_id: r.try_get("object_id")?,
        unit_path: r.try_get("unit_path")?,
        ip: r.try_get("ip")?,
        details: r.try_get("details")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

const COLS: &str = "seq, at, actor_id, actor_name, action, object_kind, object_id, unit_path, ip, details, prev_hash, hash";

/// The first problem found in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The entry's content no longer matches its hash.
    Changed { seq: i64 },
    /// Numbers jump: entries between were removed.
    Removed { after: i64, next: i64 },
    /// The entry does not link to its predecessor: inserted, or its predecessor was replaced.
    Inserted { seq: i64 },
    /// The chain ends before the head says it should: the newest entries were removed.
    Truncated { last: i64, head: i64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Changed { seq } => write!(
                f,
                "entry {seq} was changed (its hash does not match its content)"
            ),
            Break::Removed { after, next } => write!(
                f,
                "entries after {after} were removed (next entry is {next})"
            ),
            Break::Inserted { seq } => write!(
                f,
                "entry {seq} was inserted or replaced (it does not link to the entry before it)"
            ),
            Break::Truncated { last, head } => write!(
                f,
                "entries after {last} were removed (the chain head is at {head})"
            ),
        }
    }
}

/// Result of a walk over the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub entries: i64,
    pub first_break: Option<Break>,
}

/// Walks every entry in order, streaming so memory stays flat on long chains.
pub async fn verify(db: &Db) -> Result<Verification> {
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(db.pool())
        .await?;
    let head_seq: i64 = head.try_get("seq")?;
    let head_hash: String = head.try_get("hash")?;
    let sql = format!("SELECT {COLS} FROM audit_log ORDER BY seq");
    let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(db.pool());
    let mut prev_seq = 0i64;
    let mut prev_hash = "0".repeat(64);
    let mut count = 0i64;
    while let Some(row) = rows.try_next().await? {
        let e = entry_from_row(&row)?;
        count += 1;
        let found = if e.seq > head_seq {
            Some(Break::Inserted { seq: e.seq })
        } else if e.seq != prev_seq + 1 {
            Some(Break::Removed {
                after: prev_seq,
                next: e.seq,
            })
        } else if e.compute_hash() != e.hash {
            Some(Break::Changed { seq: e.seq })
        } else if e.prev_hash != prev_hash {
            // This entry is intact but its predecessor is not the one it was chained to: the
            // predecessor was replaced by a self-consistent forgery, or inserted.
            Some(Break::Inserted { seq: prev_seq })
        } else {
            None
        };
        if found.is_some() {
            return Ok(Verification {
                entries: count,
                first_break: found,
            });
        }
        prev_seq = e.seq;
        prev_hash = e.hash;
    }
    let first_break = if prev_seq != head_seq || prev_hash != head_hash {
        Some(Break::Truncated {
            last: prev_seq,
            head: head_seq,
        })
    } else {
        None
    };
    Ok(Verification {
        entries: count,
        first_break,
    })
}

/// Filters for the audit page.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub action: Option<String>,
    pub actor: Option<String>,
    /// Inclusive bounds in milliseconds.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Keyset cursor: entries older than this number.
    pub before_seq: Option<i64>,
    pub limit: i64,
}

/// Entries visible in the scope, newest first. Entries without a unit (sign-ins, system
/// events) are shown only to those whose scope is the whole province.
pub async fn list(
    db: &Db,
    scope: &Scope<AuditView>,
    f: &Filter,
) -> Result<(Vec<Entry>, Option<i64>)> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} FROM audit_log WHERE ("));
    scope.push_filter(&mut sql, "unit_path", None);
    if scope.roots().iter().any(|r| r.org_id.is_none()) {
        sql.push(" OR unit_path IS NULL");
    }
    sql.push(")");
    if let Some(a) = f.action.as_deref().filter(|s| !s.is_empty()) {
        sql.push(" AND action = ").arg_text(a);
    }
    if let Some(a) = f.actor.as_deref().filter(|s| !s.is_empty()) {
        sql.push(" AND actor_name = ").arg_text(a);
    }
    if let Some(v) = f.from_ms {
        sql.push(" AND at >= ").arg_i64(v);
    }
    if let Some(v) = f.to_ms {
        sql.push(" AND at <= ").arg_i64(v);
    }
    if let Some(v) = f.before_seq {
        sql.push(" AND seq < ").arg_i64(v);
    }
    let limit = f.limit.clamp(1, 500);
    sql.push(" ORDER BY seq DESC LIMIT ").arg_i64(limit + 1);
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut out: Vec<Entry> = rows.iter().map(entry_from_row).collect::<Result<_>>()?;
    let next = if out.len() as i64 > limit {
        out.truncate(limit as usize);
        out.last().map(|e| e.seq)
    } else {
        None
    };
    Ok((out, next))
}

/// The most recent entries in the scope (for the dashboard).
pub async fn recent(db: &Db, scope: &Scope<AuditView>, n: i64) -> Result<Vec<Entry>> {
    Ok(list(
        db,
        scope,
        &Filter {
            limit: n,
            ..Default::default()
        },
    )
    .await?
    .0)
}

/// One entry by number, with no scope: used by receipt verification, which checks a hash the
/// holder already has.
pub async fn entry(db: &Db, seq: i64) -> Result<Option<Entry>> {
    let sql = format!("SELECT {COLS} FROM audit_log WHERE seq = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(seq)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(entry_from_row).transpose()
}

/// The head of the chain: the last entry's number and hash. Cheap to read on every page,
/// unlike [`verify`], which walks the whole chain.
pub async fn head(db: &Db) -> Result<(i64, String)> {
    let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(db.pool())
        .await?;
    Ok((row.try_get("seq")?, row.try_get("hash")?))
}
