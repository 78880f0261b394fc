//! Dashboard figures kept between requests, trusted only while the figures version is unchanged.
//!
//! The province's head counts sum 2,000 organisation counters and its unit counts read 12,000
//! index entries, on every home page. Both change only when people or units change, and every
//! such change bumps the figures version in its own transaction (migration 0014). A request
//! reads that one row; when it matches the version the figures were computed at, they are
//! served again, otherwise they are computed afresh. A change by another server or by the
//! command line bumps the same row, so no server ever serves figures older than the database.

use crate::dashboard::HeadCounts;
use crate::scope::Root;
use crate::{Db, Result};
use domain::values::UnitKind;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Mutex;

/// Entries beyond this are dropped all at once: scopes are few (one per organisation or
/// department an account is granted on), and a full table only means recomputing.
const MAX_ENTRIES: usize = 4096;

#[derive(Default)]
pub(crate) struct Cache {
    pub(crate) heads: Kept<HeadCounts>,
    pub(crate) kinds: Kept<Vec<(UnitKind, i64)>>,
}

/// One kind of figure per scope, with the version they were computed at.
pub(crate) struct Kept<T> {
    inner: Mutex<(i64, HashMap<String, T>)>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept {
            inner: Mutex::new((0, HashMap::new())),
        }
    }
}

impl<T: Clone> Kept<T> {
    /// Runs `f` on the figures of `version`. A newer version empties the table; an older one
    /// (a request that read the version just before a change) neither reads nor keeps.
    fn with<R>(&self, version: i64, f: impl FnOnce(&mut HashMap<String, T>) -> R) -> Option<R> {
        let mut inner = self.inner.lock().ok()?;
        if version > inner.0 {
            *inner = (version, HashMap::new());
        }
        (version == inner.0).then(|| f(&mut inner.1))
    }
}

/// The figures of a scope: kept ones when the version has not moved, else `read`'s, kept for
/// the next request. Figures read after the version was read but changed meanwhile are filed
/// under the older number, which the next request no longer matches.
pub(crate) async fn kept<T: Clone>(
    db: &Db,
    slot: &Kept<T>,
    roots: &[Root],
    read: impl Future<Output = Result<T>>,
) -> Result<T> {
    let row = sqlx::query("SELECT version FROM search_versions WHERE name = 'figures'")
        .fetch_one(db.pool())
        .await?;
    let version: i64 = row.try_get("version")?;
    let key = scope_key(roots);
    if let Some(v) = slot.with(version, |m| m.get(&key).cloned()).flatten() {
        return Ok(v);
    }
    let v = read.await?;
    slot.with(version, |m| {
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(key, v.clone());
    });
    Ok(v)
}

/// The key of a scope's figures: the paths of its roots, which alone decide what it counts.
fn scope_key(roots: &[Root]) -> String {
    let mut paths: Vec<&str> = roots.iter().map(|r| r.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    paths.join(",")
}
