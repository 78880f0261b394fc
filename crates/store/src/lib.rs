//! Persistence for An Toàn: one API over SQLite (default, embedded) and PostgreSQL (by URL).
//!
//! Both backends are reached through sqlx's `Any` driver with SQL that both accept (`$n`
//! placeholders, `RETURNING`, row-value comparison). Values are kept to the types both share:
//! integers (`BIGINT`, flags as 0/1), text, and instants as milliseconds since the Unix epoch.
//! Calendar days are ISO `YYYY-MM-DD` text, which sorts correctly. Where the two must differ
//! (full-text search, DDL) the difference lives in `search.rs` and in the two migration folders.
//!
//! Every function that reads or writes organisation data takes a [`Scope`]; every write goes
//! through [`Db::begin_write`] and appends its audit entry in the same transaction.

pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod commitments;
pub mod coverage;
pub mod dashboard;
pub mod demo;
pub mod directives;
pub mod dissemination;
mod error;
pub mod events;
mod figures;
pub mod files;
pub mod generate;
pub mod identity;
pub mod movement;
pub mod news;
pub mod notices;
pub mod outbox;
pub mod partners;
pub mod people;
pub mod plans;
pub mod registers;
pub mod rosters;
pub mod scope;
pub mod search;
pub mod sessions;
mod sql;
pub mod testdb;
pub mod tokens;
pub mod units;

pub use error::{Error, Result};
pub use scope::{Cap, Scope};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::time::Duration;

/// Which database is behind the pool; decides the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the database, cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    search: search::Tuning,
    live: std::sync::Arc<search::live::LiveIndex>,
    figures: std::sync::Arc<figures::Cache>,
    signing: std::sync::Arc<commitments::batch::Queue>,
}

/// A write transaction that already holds the write lock (see [`Db::begin_write`]).
pub type WriteTx = Transaction<'static, Any>;

impl Db {
    /// Where searches switch between walking a list and asking the word index (see
    /// [`search::Tuning`]); the defaults suit a province. Tests lower them to reach every
    /// plan with little data.
    pub fn set_search_tuning(&mut self, t: search::Tuning) {
        self.search = t;
    }

    pub(crate) fn search_tuning(&self) -> search::Tuning {
        self.search
    }

    pub(crate) fn figures(&self) -> &figures::Cache {
        &self.figures
    }

    pub(crate) fn live_index(&self) -> &search::live::LiveIndex {
        &self.live
    }

    /// Builds the in-memory people index now (the server does it at start; otherwise the
    /// first search starts it in the background).
    pub async fn warm_search(&self) -> Result<()> {
        search::live::rebuild(self).await
    }

    /// Starts building the in-memory people index in the background (the server does this at
    /// start); [`Db::search_warming`] is true from this call until that build ends.
    pub fn warm_search_in_background(&self) {
        search::live::warm_in_background(self)
    }

    /// Whether the build started by [`Db::warm_search_in_background`] is still running; the
    /// server reports not ready meanwhile.
    pub fn search_warming(&self) -> bool {
        search::live::warming(self)
    }

    /// Whether the in-memory people index matches the database now.
    pub async fn search_index_current(&self) -> Result<bool> {
        search::live::is_current(self).await
    }

    /// Connects to `url` (`sqlite://path?mode=rwc`, `sqlite::memory:` or `postgres://...`).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db> {
        install_default_drivers();
        let backend = if url.starts_with("postgres") {
            Backend::Postgres
        } else if url.starts_with("sqlite") {
            Backend::Sqlite
        } else {
            return Err(Error::Config(format!(
                "unsupported database URL scheme: {}",
                redact_url(url)
            )));
        };
        let mut opts = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30));
        if backend == Backend::Sqlite {
            // WAL lets readers work while one writer commits; NORMAL sync is safe with WAL
            // (a power cut may lose the last commits, never corrupt the file). A 4 MB page
            // cache per connection: the operating system caches the file as well, and at 8 MB
            // the eight connections held more memory than they saved time.
            opts = opts.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; \
                         PRAGMA cache_size = -4000; PRAGMA temp_store = MEMORY;",
                    )
                    .await?;
                    Ok(())
                })
            });
            if url.contains(":memory:") {
                // An in-memory database lives and dies with its one connection.
                opts = opts
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None);
            }
        }
        // PostgreSQL keeps its default plan caching: planning every statement again for its
        // values made the planner most of the database's work (home page 176 ms at p95
        // against 98 ms with cached plans; searches for words that match nothing stayed fast,
        // bench/RESULTS.md).
        let pool = opts
            .connect(url)
            .await
            .map_err(|e| Error::Connect(redact_url(url), e))?;
        Ok(Db {
            pool,
            backend,
            search: search::Tuning::default(),
            live: Default::default(),
            figures: Default::default(),
            signing: Default::default(),
        })
    }

    /// Applies the embedded migrations that have not run yet.
    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// The queue of the signature writer, started by `start` on first use. The writer holds a
    /// handle without the queue, so it ends when the last handle on this database is dropped.
    pub(crate) fn signing_queue(
        &self,
        start: fn(Db) -> tokio::sync::mpsc::UnboundedSender<commitments::batch::Job>,
    ) -> &tokio::sync::mpsc::UnboundedSender<commitments::batch::Job> {
        self.signing.get_or_init(|| {
            start(Db {
                signing: Default::default(),
                ..self.clone()
            })
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Pool figures for the metrics page: (open connections, idle connections).
    pub fn pool_stats(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// Checks the database answers; used by `/readyz`.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Starts a write transaction whose first statement takes the write lock.
    ///
    /// On SQLite a deferred transaction that reads first and writes later can fail with
    /// SQLITE_BUSY when another writer committed in between; taking the lock first makes
    /// writers queue on the busy timeout instead. On PostgreSQL the same statement locks the
    /// audit head row, which is what serialises the hash chain.
    pub async fn begin_write(&self) -> Result<WriteTx> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// [`Db::begin_write`] that also returns the chain's head, read by the locking statement
    /// itself (one round trip fewer for writers on a hot path).
    pub async fn begin_write_at_head(&self) -> Result<(WriteTx, audit::Head)> {
        use sqlx::Row;
        let mut tx = self.pool.begin().await?;
        let r = sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *tx)
            .await?;
        let head = audit::Head {
            seq: r.try_get("seq")?,
            hash: r.try_get("hash")?,
        };
        Ok((tx, head))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Hides the password of a database URL in messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Milliseconds since the Unix epoch: the one representation of an instant in storage.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Converts a stored instant back to a UTC time.
pub fn from_ms(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Commits a write transaction, mapping the error into this crate's type.
pub async fn commit(tx: WriteTx) -> Result<()> {
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            super::redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact_url("sqlite://x.db"), "sqlite://x.db");
    }
}
