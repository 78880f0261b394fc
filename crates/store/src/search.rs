//! Full-text search over folded text: the one place where the two databases need different
//! SQL. Both match every query word as a prefix of a word in the folded text, so "nguyen van
//! duc" and "dang" behave the same on SQLite (FTS5) and PostgreSQL (tsvector with GIN).

use crate::Backend;
use crate::sql::SqlBuf;

/// Appends a condition on `people.id` (aliased `id_col`) matching every term as a prefix.
/// Terms must come from [`domain::text::search_terms`] (letters and digits only).
pub(crate) fn push_people_match(
    sql: &mut SqlBuf,
    backend: Backend,
    id_col: &str,
    terms: &[String],
) {
    match backend {
        Backend::Sqlite => {
            let expr = terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(" AND ");
            sql.push(id_col)
                .push(" IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ");
            sql.arg_text(&expr).push(")");
        }
        Backend::Postgres => {
            let expr = terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ");
            sql.push("search_tsv @@ to_tsquery('simple', ")
                .arg_text(&expr)
                .push(")");
        }
    }
}

/// Keeps the SQLite index in step with a person's folded text (PostgreSQL computes its column).
pub(crate) async fn index_person(
    tx: &mut crate::WriteTx,
    backend: Backend,
    id: i64,
    folded: &str,
) -> crate::Result<()> {
    if backend == Backend::Sqlite {
        sqlx::query("DELETE FROM people_fts WHERE rowid = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        sqlx::query("INSERT INTO people_fts (rowid, search) VALUES ($1, $2)")
            .bind(id)
            .bind(folded)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
