//! Online backup of a SQLite database.

use crate::{Backend, Db, Error, Result};

/// Writes a consistent copy of the SQLite database to `path` (which must not exist).
pub async fn vacuum_into(db: &Db, path: &str) -> Result<()> {
    if db.backend() != Backend::Sqlite {
        return Err(Error::Config(
            "VACUUM INTO is for SQLite; use pg_dump for PostgreSQL".into(),
        ));
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "VACUUM INTO '{}'",
        path.replace('\'', "''")
    )))
    .execute(db.pool())
    .await?;
    Ok(())
}
