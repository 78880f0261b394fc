//! Search over folded text. Every query word must be the prefix of a word of the record's
//! folded text, so "nguyen van duc" and "dang" behave the same on SQLite (FTS5) and
//! PostgreSQL (tsvector with GIN), the one place where the two databases need different SQL.
//! A searched list picks between walking its own index and asking the word index; see [`page`].

use crate::sql::SqlBuf;
use crate::{Backend, Db, Result};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A table with a word index: its folded text, kept as single-space-separated words
/// ([`domain::text::search_text`]), is indexed by FTS5 on SQLite and by a `tsvector` GIN
/// index on PostgreSQL (see the migrations).
#[derive(Debug, Clone, Copy)]
pub(crate) enum WordIndex {
    People,
    Registers,
}

impl WordIndex {
    /// (FTS5 table, base table, tsvector column)
    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            WordIndex::People => ("people_fts", "people", "search_tsv"),
            WordIndex::Registers => ("register_fts", "register_entries", "title_tsv"),
        }
    }
}

/// Appends a query of the ids whose text has every term as a word prefix. Terms must come
/// from [`domain::text::search_terms`] (letters and digits only).
pub(crate) fn push_ids(sql: &mut SqlBuf, backend: Backend, index: WordIndex, terms: &[String]) {
    let (fts, table, tsv) = index.names();
    match backend {
        Backend::Sqlite => {
            let expr = terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(" AND ");
            sql.push(&format!("SELECT rowid AS id FROM {fts} WHERE {fts} MATCH "))
                .arg_text(&expr);
        }
        Backend::Postgres => {
            let expr = terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ");
            sql.push(&format!(
                "SELECT id FROM {table} WHERE {tsv} @@ to_tsquery('simple', "
            ))
            .arg_text(&expr)
            .push(")");
        }
    }
}

/// Appends the same test as a plain condition on a text column: each term starts a word.
/// Used where rows are already at hand in list order and an index lookup would cost more.
pub(crate) fn push_words_like(sql: &mut SqlBuf, col: &str, terms: &[String]) {
    for (i, t) in terms.iter().enumerate() {
        if i > 0 {
            sql.push(" AND ");
        }
        sql.push("(' ' || ")
            .push(col)
            .push(") LIKE ")
            .arg_text(&format!("% {t}%"));
    }
}

/// How many rows of a list, in list order, a search reads before it gives way to the word
/// index. A term that fills a page within this window is common (a family name, "van",
/// "an ninh"), and walking the list's own index is cheaper than collecting its tens of
/// thousands of matches to sort them; a term that does not is rare (under about 2.5 % of the
/// rows) and the word index finds all its matches, which are then few enough to sort.
pub(crate) const SCAN_WINDOW: i64 = 2000;

/// The SQL pieces of one searchable list. The list's filters are appended after the `WHERE`
/// of `window` and of `indexed` by the caller's closure, on the table alias both use.
pub(crate) struct Plan<'a> {
    pub index: WordIndex,
    /// `SELECT <alias>.id, <order columns>, <text column> FROM <table> <alias> WHERE `
    pub window: &'a str,
    /// The list order on the alias, e.g. ` ORDER BY p.sort_key, p.id`.
    pub order: &'a str,
    /// The text column as seen from the window, e.g. `w.search_folded`.
    pub text: &'a str,
    /// `SELECT <columns> FROM w JOIN <table> <alias> ON <alias>.id = w.id ... WHERE `
    pub matched: &'a str,
    /// The list order on the window and on the result, e.g. ` ORDER BY w.sort_key, w.id`.
    pub window_order: &'a str,
    pub result_order: &'a str,
    /// `SELECT <columns> FROM f JOIN <table> <alias> ON <alias>.id = f.id ... WHERE `
    pub indexed: &'a str,
}

/// One page of a searched list, chosen by the cheaper of two plans: walk the list in order for
/// at most [`SCAN_WINDOW`] rows testing each row's words, and when that cannot answer for
/// certain (the page did not fill and more rows remain), let the word index find every match.
pub(crate) async fn page(
    db: &Db,
    plan: &Plan<'_>,
    filters: impl Fn(&mut SqlBuf),
    terms: &[String],
    limit: i64,
) -> Result<Vec<AnyRow>> {
    let mut sql = SqlBuf::new("WITH w AS (");
    sql.push(plan.window);
    filters(&mut sql);
    sql.push(plan.order).push(" LIMIT ").arg_i64(SCAN_WINDOW);
    sql.push("), m AS (").push(plan.matched);
    push_words_like(&mut sql, plan.text, terms);
    sql.push(plan.window_order)
        .push(" LIMIT ")
        .arg_i64(limit + 1);
    sql.push(") SELECT n.window_rows, m.* FROM (SELECT COUNT(*) AS window_rows FROM w) n LEFT JOIN m ON 1 = 1")
        .push(plan.result_order);
    let rows = sql.query().fetch_all(db.pool()).await?;
    let window: i64 = match rows.first() {
        Some(r) => r.try_get("window_rows")?,
        None => 0,
    };
    // With no match the one row is the LEFT JOIN's filler of NULLs.
    let matched: Vec<AnyRow> = rows
        .into_iter()
        .filter(|r| matches!(r.try_get::<Option<i64>, _>("id"), Ok(Some(_))))
        .collect();
    if matched.len() as i64 > limit || window < SCAN_WINDOW {
        return Ok(matched);
    }
    let mut sql = SqlBuf::new("WITH f AS MATERIALIZED (");
    push_ids(&mut sql, db.backend(), plan.index, terms);
    sql.push(") ").push(plan.indexed);
    filters(&mut sql);
    sql.push(plan.order).push(" LIMIT ").arg_i64(limit + 1);
    Ok(sql.query().fetch_all(db.pool()).await?)
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
