//! Reading registers: the keyset-paged list with its filters, one entry, the whole book of a
//! year for exports, and an incoming document's trail.
//!
//! Lists are ordered newest first by (date, id) and page by that key, never by offset, so a
//! page costs the same at the end of a 100,000-entry register as at its start; each filter
//! has an index that keeps that order (see the migration).

use super::{COLS, Direction, Entry, FROM, Status, Step, Viewer, from_row, parse_type};
use crate::scope::PartnerView;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, search, units};
use sqlx::Row;

/// Most entries one export holds.
const BOOK_LIMIT: i64 = 20_000;

/// A list request.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub org_id: i64,
    pub direction: Direction,
    pub year: Option<i32>,
    pub doc_type: Option<String>,
    pub status: Option<Status>,
    /// Words of the trích yếu; diacritics and case are ignored.
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: i64,
}

/// One page of entries and the cursor of the next.
#[derive(Debug, Clone)]
pub struct ListPage {
    pub items: Vec<Entry>,
    pub next: Option<String>,
}

fn decode_cursor(c: &str) -> Result<(String, i64)> {
    let (date, id) = c.split_once('_').ok_or(Error::Invalid("err.cursor"))?;
    if date.len() != 10 || !date.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Err(Error::Invalid("err.cursor"));
    }
    Ok((
        date.to_owned(),
        id.parse().map_err(|_| Error::Invalid("err.cursor"))?,
    ))
}

fn push_year(sql: &mut SqlBuf, year: i32) {
    sql.push(" AND e.doc_date >= ")
        .arg_text(&format!("{year:04}-01-01"))
        .push(" AND e.doc_date < ")
        .arg_text(&format!("{:04}-01-01", year + 1));
}

/// Entries of one organisation's register in the scope, newest first.
pub async fn list(
    db: &Db,
    scope: &Scope<PartnerView>,
    viewer: &Viewer,
    q: &ListQuery,
) -> Result<ListPage> {
    let org = units::get(db, scope, q.org_id).await?;
    let limit = q.limit.clamp(1, 200);
    if let Some(t) = q.doc_type.as_deref().filter(|t| !t.trim().is_empty()) {
        parse_type(t)?;
    }
    let cursor = q.cursor.as_deref().map(decode_cursor).transpose()?;
    let terms = domain::text::search_terms(q.q.as_deref().unwrap_or(""));
    let filters = |sql: &mut SqlBuf| {
        sql.push("e.org_id = ")
            .arg_i64(org.id)
            .push(" AND e.direction = ")
            .arg_text(q.direction.code());
        if let Some(y) = q.year {
            push_year(sql, y);
        }
        if let Some(t) = q.doc_type.as_deref().filter(|t| !t.trim().is_empty())
            && let Ok(t) = parse_type(t)
        {
            sql.push(" AND e.doc_type = ").arg_text(t.code());
        }
        if let Some(s) = q.status {
            sql.push(" AND e.status = ").arg_text(s.code());
        }
        if !terms.is_empty() {
            // A secret trích yếu must not be found by someone who may not read it.
            sql.push(" AND e.secrecy_rank <= ")
                .arg_i64(viewer.clearance.rank());
        }
        if let Some((date, id)) = &cursor {
            // A row-value comparison lets both databases start the index scan at the cursor.
            sql.push(" AND (e.doc_date, e.id) < (")
                .arg_text(date)
                .push(", ")
                .arg_i64(*id)
                .push(")");
        }
    };
    let rows = if terms.is_empty() {
        let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE "));
        filters(&mut sql);
        sql.push(" ORDER BY e.doc_date DESC, e.id DESC LIMIT ")
            .arg_i64(limit + 1);
        sql.query().fetch_all(db.pool()).await?
    } else {
        let matched = format!(
            "SELECT {COLS} FROM w JOIN register_entries e ON e.id = w.id \
             LEFT JOIN accounts a ON a.id = e.assignee_id WHERE "
        );
        let rows = format!(
            "SELECT {COLS} FROM k JOIN register_entries e ON e.id = k.id \
             LEFT JOIN accounts a ON a.id = e.assignee_id"
        );
        let plan = search::Plan {
            index: search::WordIndex::Registers,
            window: "SELECT e.id, e.doc_date AS k, e.title_folded AS words FROM register_entries e WHERE ",
            key: "e.doc_date",
            id: "e.id",
            descending: true,
            matched: &matched,
            result_key: "doc_date",
            keys: "SELECT e.id FROM f JOIN register_entries e{hint} ON e.id = f.id WHERE ",
            sqlite_key_index: "register_entries_id_cover",
            rows: &rows,
        };
        search::page(db, &plan, filters, &terms, limit).await?
    };
    let mut items = rows
        .iter()
        .map(|r| from_row(r, viewer))
        .collect::<Result<Vec<_>>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|e| format!("{}_{}", e.doc_date, e.id))
    } else {
        None
    };
    Ok(ListPage { items, next })
}

/// One entry in the scope; outside it, not found. A secret entry the viewer is not cleared
/// for is returned redacted; callers that must hide it entirely check `redacted`.
pub async fn get(db: &Db, scope: &Scope<PartnerView>, viewer: &Viewer, id: i64) -> Result<Entry> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE e.id = "));
    sql.arg_i64(id).push(" AND ");
    scope.push_filter(&mut sql, "e.unit_path", Some("e.org_id"));
    let row = sql
        .query()
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    from_row(&row, viewer)
}

/// The register book of a year in register order (date, then number), for exports.
pub async fn book(
    db: &Db,
    scope: &Scope<PartnerView>,
    viewer: &Viewer,
    org_id: i64,
    direction: Direction,
    year: i32,
) -> Result<Vec<Entry>> {
    let org = units::get(db, scope, org_id).await?;
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE e.org_id = "));
    sql.arg_i64(org.id)
        .push(" AND e.direction = ")
        .arg_text(direction.code());
    push_year(&mut sql, year);
    sql.push(" ORDER BY e.doc_date, e.number, e.id LIMIT ")
        .arg_i64(BOOK_LIMIT);
    let rows = sql.query().fetch_all(db.pool()).await?;
    rows.iter().map(|r| from_row(r, viewer)).collect()
}

/// The processing trail of an entry the caller has already read (so is in scope), oldest
/// first. The trail of a secret entry is withheld from a viewer who saw it redacted.
pub async fn steps(db: &Db, entry: &Entry) -> Result<Vec<Step>> {
    if entry.redacted {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(
        "SELECT id, on_day, kind, actor_name, note, created_at FROM register_steps \
         WHERE entry_id = $1 ORDER BY id",
    )
    .bind(entry.id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let day: String = r.try_get("on_day")?;
            Ok(Step {
                id: r.try_get("id")?,
                on_day: day.parse().map_err(|_| {
                    Error::Db(sqlx::Error::Decode(
                        format!("register step day {day:?}").into(),
                    ))
                })?,
                kind: r.try_get("kind")?,
                actor_name: r.try_get("actor_name")?,
                note: r.try_get("note")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// How many entries all registers hold (tests, benchmarks, the demo loader).
pub async fn count(db: &Db) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM register_entries")
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("n")?)
}
