//! Dashboard figures kept between requests, trusted only while the figures version is unchanged.
//!
//! The province's head counts sum 2,000 organisation counters and its unit counts read 12,000
//! index entries, on every home page. Both change only when people or units change, and every
//! such change bumps the figures version in its own transaction (migration 0014). A request
//! reads that one row; when it matches the version the figures were computed at, they are
//! served again, otherwise they are computed afresh. A change by another server or by the
//! command line bumps the same row, so no server ever serves figures older than the database.

use crate::dashboard::HeadCounts;
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
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    version: i64,
    heads: HashMap<String, HeadCounts>,
    kinds: HashMap<String, Vec<(UnitKind, i64)>>,
}

/// The figures version now.
pub(crate) async fn version(db: &Db) -> Result<i64> {
    let row = sqlx::query("SELECT version FROM search_versions WHERE name = 'figures'")
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("version")?)
}

impl Cache {
    /// Runs `f` on the figures of `version`. A newer version empties the cache; an older one
    /// (a request that read the version just before a change) neither reads nor keeps.
    fn with<T>(&self, version: i64, f: impl FnOnce(&mut Inner) -> T) -> Option<T> {
        let mut inner = self.inner.lock().ok()?;
        if version > inner.version {
            inner.version = version;
            inner.heads.clear();
            inner.kinds.clear();
        }
        (version == inner.version).then(|| f(&mut inner))
    }

    pub(crate) fn heads(&self, version: i64, key: &str) -> Option<HeadCounts> {
        self.with(version, |i| i.heads.get(key).copied()).flatten()
    }

    pub(crate) fn kinds(&self, version: i64, key: &str) -> Option<Vec<(UnitKind, i64)>> {
        self.with(version, |i| i.kinds.get(key).cloned()).flatten()
    }

    /// Keeps figures computed after reading `version`. A change committed in between leaves
    /// them filed under the older number, which the next request no longer matches.
    pub(crate) fn keep_heads(&self, version: i64, key: String, h: HeadCounts) {
        self.with(version, |i| {
            if i.heads.len() >= MAX_ENTRIES {
                i.heads.clear();
            }
            i.heads.insert(key, h);
        });
    }

    pub(crate) fn keep_kinds(&self, version: i64, key: String, k: Vec<(UnitKind, i64)>) {
        self.with(version, |i| {
            if i.kinds.len() >= MAX_ENTRIES {
                i.kinds.clear();
            }
            i.kinds.insert(key, k);
        });
    }
}

/// The key of a scope's figures: the paths of its roots, which alone decide what it counts.
pub(crate) fn scope_key(roots: &[crate::scope::Root]) -> String {
    let mut paths: Vec<&str> = roots.iter().map(|r| r.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    paths.join(",")
}
