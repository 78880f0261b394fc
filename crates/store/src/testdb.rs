//! Fresh databases for tests: a temporary SQLite file by default, or a new PostgreSQL database
//! when `ANTOAN_TEST_DATABASE_URL` names a server. The same test suites run on both.

use crate::{Backend, Db, Result};

/// A database that is removed when dropped.
pub struct TestDb {
    pub db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// Creates and migrates a fresh database.
    pub async fn new() -> Result<TestDb> {
        let suffix = crate::sessions::random_token()[..12].to_owned();
        match std::env::var("ANTOAN_TEST_DATABASE_URL")
            .ok()
            .filter(|u| u.starts_with("postgres"))
        {
            Some(admin_url) => {
                let name = format!("antoan_test_{suffix}");
                let admin = Db::connect(&admin_url, 1).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(admin.pool())
                    .await?;
                admin.close().await;
                let url = replace_db_name(&admin_url, &name);
                let db = Db::connect(&url, 8).await?;
                db.migrate().await?;
                Ok(TestDb {
                    db,
                    cleanup: Cleanup::Postgres { admin_url, name },
                })
            }
            None => {
                let path = std::env::temp_dir().join(format!("antoan-test-{suffix}.db"));
                let db = Db::connect(&format!("sqlite://{}?mode=rwc", path.display()), 4).await?;
                db.migrate().await?;
                Ok(TestDb {
                    db,
                    cleanup: Cleanup::File(path),
                })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }
}

/// Swaps the database name at the end of a PostgreSQL URL.
pub fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let cut = base
        .rfind('/')
        .filter(|i| *i > base.find("://").map_or(0, |s| s + 2))
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..cut], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime, which cannot be blocked on; a separate
                // thread with its own runtime drops the database, and FORCE ends the test's
                // own connections (closing the pool would need the blocked runtime).
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build();
                    if let Ok(rt) = rt {
                        rt.block_on(async move {
                            if let Ok(admin) = Db::connect(&admin_url, 1).await {
                                let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                )))
                                .execute(admin.pool())
                                .await;
                                admin.close().await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_database_name() {
        assert_eq!(
            super::replace_db_name("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::replace_db_name("postgres://u:p@h/db?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            super::replace_db_name("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }
}
