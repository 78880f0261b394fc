//! Search over folded text. Every query word must be the prefix of a word of the record's
//! folded text, so "nguyen van duc" and "dang" behave the same on SQLite (FTS5) and
//! PostgreSQL (tsvector with GIN), the one place where the two databases need different SQL.
//! A searched list picks between walking its own index and asking the word index; see [`page`].

pub(crate) mod live;
pub(crate) mod memory;

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
    /// (FTS5 table, base table, its text column and its word-prefix `tsvector`, see
    /// migration 0004)
    fn names(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            WordIndex::People => ("people_fts", "people", "search_folded", "search_prefixes"),
            WordIndex::Registers => (
                "register_fts",
                "register_entries",
                "title_folded",
                "title_prefixes",
            ),
        }
    }
}

/// The longest word beginning PostgreSQL's prefix index stores (`word_prefixes`, 0004).
const PREFIX_LEXEME: usize = 12;

/// Appends a query of the ids whose text has every term as a word prefix. Terms must come
/// from [`domain::text::search_terms`] (letters and digits only).
pub(crate) fn push_ids(sql: &mut SqlBuf, backend: Backend, index: WordIndex, terms: &[String]) {
    let (fts, table, text, tsv) = index.names();
    match backend {
        Backend::Sqlite => {
            // The FTS5 tables keep prefix indexes for one to four letters (migration 0004),
            // so a short word is one lookup, not a merge of every word it begins.
            let expr = terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(" AND ");
            sql.push(&format!("SELECT rowid AS id FROM {fts} WHERE {fts} MATCH "))
                .arg_text(&expr);
        }
        Backend::Postgres => {
            // Every beginning of a stored word up to PREFIX_LEXEME letters is a lexeme, so a
            // query word is looked up exactly; a longer one is looked up by its beginning
            // and checked in full on the rows found.
            let expr = terms
                .iter()
                .map(|t| t.chars().take(PREFIX_LEXEME).collect::<String>())
                .collect::<Vec<_>>()
                .join(" & ");
            let checked: Vec<String> = terms
                .iter()
                .filter(|t| t.chars().count() > PREFIX_LEXEME)
                .cloned()
                .collect();
            sql.push(&format!(
                "SELECT id FROM {table} WHERE {tsv} @@ to_tsquery('simple', "
            ))
            .arg_text(&expr)
            .push(")");
            if !checked.is_empty() {
                sql.push(" AND ");
                push_words_like(sql, text, &checked);
            }
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

/// Where a search switches plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// Rows of the list read first, before anything else: a scope this small (an office)
    /// or a word this common is answered by them alone.
    pub first_window: i64,
    /// Below this many matches in the whole word index, the index answers: collecting and
    /// sorting at most this many keys (read from a narrow index, not the table) costs a few
    /// milliseconds. The count stops at this bound, so asking costs little even for "nguyen"
    /// (a third of all people).
    pub index_bound: i64,
    /// Rows of the list one step of the ordered walk reads.
    pub window: i64,
    /// The ordered walk gives way to the word index after this many rows: a common word
    /// whose matches all sit late in the list order (a given name late in the alphabet)
    /// would otherwise read most of the list.
    pub walk_limit: i64,
    /// Whether the in-memory people index ([`memory`]) answers people searches when it is
    /// current. Tests switch it off to exercise the SQL plans.
    pub memory: bool,
    /// People read per statement when the in-memory index is rebuilt.
    pub memory_chunk: i64,
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning {
            first_window: 500,
            index_bound: 5000,
            window: 4000,
            walk_limit: 40_000,
            memory: true,
            memory_chunk: 20_000,
        }
    }
}

/// The SQL pieces of one searchable list. The list's filters are appended after the `WHERE`
/// of `window` and of `indexed` by the caller's closure, on the table alias both use.
/// Lists are ordered by a text key and then the id, ascending or descending.
pub(crate) struct Plan<'a> {
    pub index: WordIndex,
    /// `SELECT <alias>.id, <alias>.<key> AS k, <text column> AS words FROM <table> <alias> WHERE `
    pub window: &'a str,
    /// The order columns on the alias, e.g. `p.sort_key` and `p.id`.
    pub key: &'a str,
    pub id: &'a str,
    pub descending: bool,
    /// `SELECT <columns> FROM w JOIN <table> <alias> ON <alias>.id = w.id ... WHERE `; the
    /// result must have columns `id` and the key under its own name.
    pub matched: &'a str,
    /// The key's column name in the result, e.g. `sort_key`.
    pub result_key: &'a str,
    /// `SELECT <alias>.id FROM f JOIN <table> <alias>{hint} ON <alias>.id = f.id WHERE `, with
    /// `{hint}` where the SQLite index hint goes.
    pub keys: &'a str,
    /// SQLite reads the matches' keys through this index (by id, carrying every filtered
    /// column) instead of the table; PostgreSQL chooses on its own.
    pub sqlite_key_index: &'a str,
    /// `SELECT <columns> FROM k JOIN <table> <alias> ON <alias>.id = k.id ...`: the page's
    /// full rows, read last and only for the page.
    pub rows: &'a str,
}

impl Plan<'_> {
    fn order(&self, key: &str, id: &str) -> String {
        let dir = if self.descending { " DESC" } else { "" };
        format!(" ORDER BY {key}{dir}, {id}{dir}")
    }
}

/// One page of a searched list, by the cheaper of two plans. The first rows of the list in
/// order answer a small scope or a very common word outright. Otherwise a word with few matches in
/// the whole index ([`Tuning::index_bound`]) is answered by the index: find every match, sort, cut.
/// A common word is answered by walking the list in its own order through an index that
/// carries the text ([`Tuning::window`] rows a step) and testing each row, until the page is full
/// or the list ends; walking past [`Tuning::walk_limit`] rows hands over to the index after all.
pub(crate) async fn page(
    db: &Db,
    plan: &Plan<'_>,
    filters: impl Fn(&mut SqlBuf),
    terms: &[String],
    limit: i64,
) -> Result<Vec<AnyRow>> {
    let tuning = db.search_tuning();
    let done =
        |found: &Vec<AnyRow>, read: i64, window: i64| found.len() as i64 > limit || read < window;
    let (mut found, read, mut resume) =
        walk(db, plan, &filters, terms, limit, tuning.first_window, &None).await?;
    if done(&found, read, tuning.first_window) {
        return Ok(found);
    }
    // The count stops at the bound, so it costs little whether the word is rare or common.
    // (Counting inside the query that sorts the matches makes SQLite read every person to
    // build a filter for the join, so the two stay apart.)
    let mut sql = SqlBuf::new("SELECT COUNT(*) AS n FROM (");
    push_ids(&mut sql, db.backend(), plan.index, terms);
    sql.push(" LIMIT ").arg_i64(tuning.index_bound).push(") b");
    let matches: i64 = sql.query().fetch_one(db.pool()).await?.try_get("n")?;
    if matches < tuning.index_bound {
        return by_index(db, plan, &filters, terms, limit).await;
    }
    let mut walked = tuning.first_window;
    while walked < tuning.walk_limit {
        let (rows, read, last) =
            walk(db, plan, &filters, terms, limit, tuning.window, &resume).await?;
        found.extend(rows);
        walked += read;
        if done(&found, read, tuning.window) {
            found.truncate(limit as usize + 1);
            return Ok(found);
        }
        resume = last;
    }
    by_index(db, plan, &filters, terms, limit).await
}

/// One step of the ordered walk: the matches among the next window of rows after `resume`,
/// how many rows the step read, and the key of the last one.
async fn walk(
    db: &Db,
    plan: &Plan<'_>,
    filters: &impl Fn(&mut SqlBuf),
    terms: &[String],
    limit: i64,
    window: i64,
    resume: &Option<(String, i64)>,
) -> Result<(Vec<AnyRow>, i64, Option<(String, i64)>)> {
    let mut sql = SqlBuf::new("WITH w AS (");
    sql.push(plan.window);
    filters(&mut sql);
    if let Some((key, id)) = resume {
        let op = if plan.descending { "<" } else { ">" };
        sql.push(&format!(" AND ({}, {}) {op} (", plan.key, plan.id))
            .arg_text(key)
            .push(", ")
            .arg_i64(*id)
            .push(")");
    }
    sql.push(&plan.order(plan.key, plan.id))
        .push(" LIMIT ")
        .arg_i64(window);
    sql.push("), m AS (").push(plan.matched);
    push_words_like(&mut sql, "w.words", terms);
    sql.push(&plan.order("w.k", "w.id"))
        .push(" LIMIT ")
        .arg_i64(limit + 1);
    // The window's size and its last key come along on every row (on a row of NULLs when
    // nothing matched), so one round trip answers everything the walk needs.
    let last_order = if plan.descending { "" } else { " DESC" };
    sql.push(&format!(
        ") SELECT n.window_rows, l.k AS last_k, l.id AS last_id, m.* \
         FROM (SELECT COUNT(*) AS window_rows FROM w) n \
         LEFT JOIN (SELECT w.k, w.id FROM w ORDER BY w.k{last_order}, w.id{last_order} LIMIT 1) l ON 1 = 1 \
         LEFT JOIN m ON 1 = 1"
    ));
    sql.push(&plan.order(&format!("m.{}", plan.result_key), "m.id"));
    let rows = sql.query().fetch_all(db.pool()).await?;
    let Some(first) = rows.first() else {
        return Ok((Vec::new(), 0, None));
    };
    let window: i64 = first.try_get("window_rows")?;
    let last_k: Option<String> = first.try_get("last_k")?;
    let last_id: Option<i64> = first.try_get("last_id")?;
    let last = last_k.zip(last_id);
    let matched = rows
        .into_iter()
        .filter(|r| matches!(r.try_get::<Option<i64>, _>("id"), Ok(Some(_))))
        .collect();
    Ok((matched, window, last))
}

/// The word index's plan: every match, filtered and sorted by keys read from a narrow index,
/// cut to the page; then the page's rows.
async fn by_index(
    db: &Db,
    plan: &Plan<'_>,
    filters: &impl Fn(&mut SqlBuf),
    terms: &[String],
    limit: i64,
) -> Result<Vec<AnyRow>> {
    let hint = match db.backend() {
        Backend::Sqlite => format!(" INDEXED BY {}", plan.sqlite_key_index),
        Backend::Postgres => String::new(),
    };
    let mut sql = SqlBuf::new("WITH f AS MATERIALIZED (");
    push_ids(&mut sql, db.backend(), plan.index, terms);
    sql.push("), k AS (")
        .push(&plan.keys.replace("{hint}", &hint));
    filters(&mut sql);
    sql.push(&plan.order(plan.key, plan.id))
        .push(" LIMIT ")
        .arg_i64(limit + 1);
    sql.push(") ").push(plan.rows);
    sql.push(&plan.order(plan.key, plan.id));
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
