//! Keeps the in-memory people index ([`super::memory`]) in step with the database.
//!
//! Every search reads the people version (one row); the index answers only when it was built at
//! that version. Otherwise one background task rebuilds it while searches use the SQL plans, so
//! a change made by another server or by the command line is never missed, and a write never
//! waits for a rebuild.

use super::memory::{Builder, PeopleIndex};
use crate::{Db, Result};
use sqlx::Row;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// The current index of one database handle and whether a rebuild is running.
#[derive(Default)]
pub(crate) struct LiveIndex {
    current: RwLock<Option<Arc<PeopleIndex>>>,
    building: AtomicBool,
    /// The first build after start is running: the server does not report ready until it
    /// ends, so load is not sent to searches that would all take the database plans.
    warming: AtomicBool,
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
    match current(db) {
        Some(ix) if ix.version == version => Ok(Some(ix)),
        _ => {
            start_rebuild(db);
            Ok(None)
        }
    }
}

/// The index last built, whatever its version.
fn current(db: &Db) -> Option<Arc<PeopleIndex>> {
    db.live_index()
        .current
        .read()
        .map(|c| c.clone())
        .unwrap_or(None)
}

/// Whether the index matches the database now (for tests and the metrics page).
pub(crate) async fn is_current(db: &Db) -> Result<bool> {
    let version = people_version(db).await?;
    Ok(current(db).is_some_and(|ix| ix.version == version))
}

/// Builds the index in the background and reports [`warming`] until that build ends, whether
/// it succeeds or not (a failed build leaves searches with the database, which still answer).
pub(crate) fn warm_in_background(db: &Db) {
    db.live_index().warming.store(true, Ordering::Release);
    spawn_rebuild(db, |db| {
        db.live_index().warming.store(false, Ordering::Release)
    });
}

/// Whether the first build started by [`warm_in_background`] is still running.
pub(crate) fn warming(db: &Db) -> bool {
    db.live_index().warming.load(Ordering::Acquire)
}

/// Starts one background rebuild unless one is running.
fn start_rebuild(db: &Db) {
    if !db.live_index().building.swap(true, Ordering::AcqRel) {
        spawn_rebuild(db, |_| ());
    }
}

/// Rebuilds in a task of its own, then runs `after`; a failure is logged and leaves searches
/// with the database.
fn spawn_rebuild(db: &Db, after: impl FnOnce(&Db) + Send + 'static) {
    let db = db.clone();
    tokio::spawn(async move {
        if let Err(e) = rebuild(&db).await {
            tracing::warn!(error = %e, "people search index not built; searches use the database");
        }
        after(&db);
    });
}

/// The packed text could not be read: the index cannot be trusted, so the rebuild fails and
/// searches stay with the database.
fn unreadable(what: &str) -> crate::Error {
    crate::Error::Db(sqlx::Error::Decode(format!("people index: {what}").into()))
}

/// The next people after `after` in name order, packed by the database into one text
/// (`id|unit path|status|words`, records separated by `;`; none of the fields can hold either
/// mark) with the key of the last one. A row per person through the driver would cost more
/// than the database's whole reading.
async fn read_chunk(db: &Db, after: &(String, i64)) -> Result<Option<(String, (String, i64))>> {
    let row = sqlx::query(
        "WITH c AS (SELECT id, unit_path, status, search_folded, sort_key FROM people \
         WHERE (sort_key, id) > ($1, $2) ORDER BY sort_key, id LIMIT $3) \
         SELECT string_agg(CAST(id AS TEXT) || '|' || unit_path || '|' || status || '|' \
                || COALESCE(search_folded, ''), ';' ORDER BY sort_key, id) AS packed, \
                (SELECT sort_key FROM c ORDER BY sort_key DESC, id DESC LIMIT 1) AS last_key, \
                (SELECT id FROM c ORDER BY sort_key DESC, id DESC LIMIT 1) AS last_id \
         FROM c",
    )
    .bind(&after.0)
    .bind(after.1)
    .bind(db.search_tuning().memory_chunk)
    .fetch_one(db.pool())
    .await?;
    let packed: Option<String> = row.try_get("packed")?;
    let last_key: Option<String> = row.try_get("last_key")?;
    let last_id: Option<i64> = row.try_get("last_id")?;
    Ok(match (packed, last_key, last_id) {
        (Some(p), Some(k), Some(i)) => Some((p, (k, i))),
        _ => None,
    })
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
        let mut after: (String, i64) = (String::new(), i64::MIN);
        loop {
            let Some((chunk, last)) = read_chunk(db, &after).await? else {
                break;
            };
            for record in chunk.split(';') {
                let mut f = record.splitn(4, '|');
                let (Some(id), Some(path), Some(status), Some(words)) =
                    (f.next(), f.next(), f.next(), f.next())
                else {
                    return Err(unreadable("a record without its four fields"));
                };
                // An id is an integer cast to text; anything else means the index cannot be
                // trusted, so the rebuild fails and searches stay with the database.
                let id = id
                    .parse()
                    .map_err(|_| unreadable("an id that is not a number"))?;
                builder.push(id, path, status, words);
            }
            after = last;
        }
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
