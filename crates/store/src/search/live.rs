//! Keeps the in-memory people index ([`super::memory`]) in step with the database.
//!
//! Every search reads the people version (one row); the index answers only when it was built at
//! that version. Otherwise one background task rebuilds it while searches use the SQL plans, so
//! a change made by another server or by the command line is never missed, and a write never
//! waits for a rebuild.

use super::memory::{Builder, PeopleIndex};
use crate::{Db, Result};
use futures_util::TryStreamExt;
use sqlx::Row;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// The current index of one database handle and whether a rebuild is running.
#[derive(Default)]
pub(crate) struct LiveIndex {
    current: RwLock<Option<Arc<PeopleIndex>>>,
    building: AtomicBool,
    /// One rebuild at a time: a caller that asks for one waits for a running one to end.
    build_lock: tokio::sync::Mutex<()>,
}

async fn people_version(db: &Db) -> Result<i64> {
    let row = sqlx::query("SELECT version FROM search_versions WHERE name = 'people'")
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("version")?)
}

/// The index when it matches the database now; otherwise `None`, and a rebuild is started.
pub(crate) async fn fresh(db: &Db) -> Result<Option<Arc<PeopleIndex>>> {
    let version = people_version(db).await?;
    let current = db
        .live_index()
        .current
        .read()
        .map(|c| c.clone())
        .unwrap_or(None);
    if let Some(ix) = current
        && ix.version == version
    {
        return Ok(Some(ix));
    }
    start_rebuild(db);
    Ok(None)
}

/// Whether the index matches the database now (for tests and the metrics page).
pub(crate) async fn is_current(db: &Db) -> Result<bool> {
    let version = people_version(db).await?;
    let current = db
        .live_index()
        .current
        .read()
        .map(|c| c.clone())
        .unwrap_or(None);
    Ok(current.is_some_and(|ix| ix.version == version))
}

/// Starts one background rebuild unless one is running.
fn start_rebuild(db: &Db) {
    if db.live_index().building.swap(true, Ordering::AcqRel) {
        return;
    }
    let db = db.clone();
    tokio::spawn(async move {
        if let Err(e) = rebuild(&db).await {
            tracing::warn!(error = %e, "people search index rebuild failed; searches use the database");
        }
    });
}

/// Rebuilds the index now. The version is read before the rows: a change committed in
/// between leaves the index marked older than what it holds, so it is rebuilt again rather
/// than trusted.
pub(crate) async fn rebuild(db: &Db) -> Result<()> {
    let live = db.live_index();
    let _one = live.build_lock.lock().await;
    live.building.store(true, Ordering::Release);
    let result = async {
        let version = people_version(db).await?;
        let mut builder = Builder::new(version);
        let mut rows = sqlx::query(
            "SELECT id, unit_path, status, search_folded FROM people ORDER BY sort_key, id",
        )
        .fetch(db.pool());
        while let Some(r) = rows.try_next().await? {
            builder.push(
                r.try_get("id")?,
                &r.try_get::<String, _>("unit_path")?,
                &r.try_get::<String, _>("status")?,
                &r.try_get::<String, _>("search_folded")?,
            );
        }
        drop(rows);
        let index = Arc::new(builder.finish());
        tracing::debug!(people = index.len(), version, "people search index built");
        if let Ok(mut c) = live.current.write() {
            *c = Some(index);
        }
        Ok(())
    }
    .await;
    live.building.store(false, Ordering::Release);
    result
}
