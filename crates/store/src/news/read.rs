//! Reading articles: the list (newest first, keyset on publication instant and id), the
//! notice board, one article, and read receipts.

use super::{Article, Headline};
use crate::audit::{self, Actor, Event};
use crate::scope::{NewsManage, NewsView};
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, now_ms};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

const HEAD_COLS: &str = "n.id, au.name AS audience_name, n.title, n.summary, n.publish_at, \
    n.author_name, n.read_count";
const FROM: &str = "FROM news_articles n JOIN units au ON au.id = n.audience_unit_id";

fn headline(r: &AnyRow) -> Result<Headline> {
    Ok(Headline {
        id: r.try_get("id")?,
        audience_name: r.try_get("audience_name")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        publish_at: r.try_get("publish_at")?,
        author_name: r.try_get("author_name")?,
        read_count: r.try_get("read_count")?,
    })
}

/// In reach, and published — or scheduled for an audience the reader manages.
fn push_visible(
    sql: &mut SqlBuf,
    view: &Scope<NewsView>,
    manage: Option<&Scope<NewsManage>>,
    now: i64,
) {
    if view.roots().iter().any(|r| r.org_id.is_none()) {
        // The province holds every article. Testing each one's audience would make the
        // database gather them all and sort them; without the test it walks the publication
        // index from the newest and stops at the page.
        sql.push("1 = 1");
    } else {
        view.push_audience_filter(sql, "n.audience_path");
    }
    sql.push(" AND (n.publish_at <= ").arg_i64(now);
    if let Some(m) = manage {
        sql.push(" OR ");
        m.push_filter(sql, "n.audience_path", None);
    }
    sql.push(")");
}

fn decode_cursor(c: &str) -> Result<(i64, i64)> {
    let (at, id) = c.split_once('_').ok_or(Error::Invalid("err.cursor"))?;
    Ok((
        at.parse().map_err(|_| Error::Invalid("err.cursor"))?,
        id.parse().map_err(|_| Error::Invalid("err.cursor"))?,
    ))
}

/// Articles the reader may see, newest first, a page at a time.
pub async fn list(
    db: &Db,
    view: &Scope<NewsView>,
    manage: Option<&Scope<NewsManage>>,
    cursor: Option<&str>,
    limit: i64,
) -> Result<(Vec<Headline>, Option<String>)> {
    let limit = limit.clamp(1, 200);
    let mut sql = SqlBuf::new(&format!("SELECT {HEAD_COLS} {FROM} WHERE "));
    push_visible(&mut sql, view, manage, now_ms());
    if let Some(c) = cursor.filter(|c| !c.is_empty()) {
        let (at, id) = decode_cursor(c)?;
        sql.push(" AND (n.publish_at, n.id) < (")
            .arg_i64(at)
            .push(", ")
            .arg_i64(id)
            .push(")");
    }
    sql.push(" ORDER BY n.publish_at DESC, n.id DESC LIMIT ")
        .arg_i64(limit + 1);
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut items = rows.iter().map(headline).collect::<Result<Vec<_>>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|h| format!("{}_{}", h.publish_at, h.id))
    } else {
        None
    };
    Ok((items, next))
}

/// The latest `n` published articles for the reader: the home page's notice board.
///
/// The reader's audience is two kinds of index range: the exact paths above each of their
/// roots (what the province or their organisation publishes to everyone below) and the range
/// below each root. Written as one `OR`, PostgreSQL could use neither range and walked the
/// publication index instead; as a `UNION ALL` of branches each ordered and limited to `n`,
/// every branch reads at most `n` entries of the audience index and the merge sorts a handful
/// (office reader 9.4 ms → 0.08 ms on the province-scale data set). SQLite plans the single
/// query well (1 ms office, 3 ms province) and the branches worse for the province (18 ms: it
/// sorts the whole range instead of walking the publication index), so it keeps the `OR`.
pub async fn board(db: &Db, view: &Scope<NewsView>, n: i64) -> Result<Vec<Headline>> {
    let n = n.clamp(1, 50);
    let now = now_ms();
    if db.backend() == crate::Backend::Sqlite {
        let mut sql = SqlBuf::new(&format!("SELECT {HEAD_COLS} {FROM} WHERE "));
        push_visible(&mut sql, view, None, now);
        sql.push(" ORDER BY n.publish_at DESC, n.id DESC LIMIT ")
            .arg_i64(n);
        let rows = sql.query().fetch_all(db.pool()).await?;
        return rows.iter().map(headline).collect();
    }
    let mut above: Vec<String> = view
        .roots()
        .iter()
        .flat_map(|r| crate::scope::ancestor_paths(&r.path))
        .collect();
    above.sort();
    above.dedup();
    // Each branch: `SELECT * FROM (SELECT … WHERE visible AND <range> ORDER BY … LIMIT n) bI`
    // (a subquery, so that both databases accept a per-branch ORDER BY and LIMIT).
    let mut sql = SqlBuf::new("SELECT * FROM (");
    let mut i = 0;
    let mut open = |sql: &mut SqlBuf| {
        if i > 0 {
            sql.push(" UNION ALL ");
        }
        sql.push(&format!(
            "SELECT * FROM (SELECT {HEAD_COLS} {FROM} WHERE n.publish_at <= "
        ))
        .arg_i64(now)
        .push(" AND ");
        i += 1;
        i
    };
    for p in &above {
        let b = open(&mut sql);
        sql.push("n.audience_path = ").arg_text(p).push(&format!(
            " ORDER BY n.publish_at DESC, n.id DESC LIMIT {n}) b{b}"
        ));
    }
    for r in view.roots() {
        let b = open(&mut sql);
        sql.push("n.audience_path > ")
            .arg_text(&r.path)
            .push(" AND n.audience_path < ")
            .arg_text(&r.path_end())
            .push(&format!(
                " ORDER BY n.publish_at DESC, n.id DESC LIMIT {n}) b{b}"
            ));
    }
    if i == 0 {
        return Ok(Vec::new());
    }
    sql.push(&format!(
        ") x ORDER BY publish_at DESC, id DESC LIMIT {}",
        n * 2
    ));
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut out: Vec<Headline> = Vec::with_capacity(n as usize);
    for r in &rows {
        let h = headline(r)?;
        // Overlapping roots can bring the same article twice.
        if !out.iter().any(|o| o.id == h.id) {
            out.push(h);
        }
        if out.len() as i64 == n {
            break;
        }
    }
    Ok(out)
}

/// One article the reader may see; otherwise not found.
pub async fn get(
    db: &Db,
    view: &Scope<NewsView>,
    manage: Option<&Scope<NewsManage>>,
    id: i64,
) -> Result<Article> {
    let mut sql = SqlBuf::new(&format!(
        "SELECT n.id, n.org_id, n.audience_unit_id, au.name AS audience_name, n.audience_path, \
         n.title, n.summary, \
         n.body_html, n.publish_at, n.author_name, n.read_count, n.created_at, n.updated_at \
         {FROM} WHERE n.id = "
    ));
    sql.arg_i64(id).push(" AND ");
    push_visible(&mut sql, view, manage, now_ms());
    let r = sql
        .query()
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Article {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        audience_unit_id: r.try_get("audience_unit_id")?,
        audience_name: r.try_get("audience_name")?,
        audience_path: r.try_get("audience_path")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        body_html: r.try_get("body_html")?,
        publish_at: r.try_get("publish_at")?,
        author_name: r.try_get("author_name")?,
        read_count: r.try_get("read_count")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Counts a reader once: the first reading of a published article by an account adds one to
/// its count (and an audit entry); later readings change nothing. Returns whether it counted.
/// The receipt's primary key decides under concurrency: of two simultaneous first readings,
/// one inserts and the other finds the row.
pub async fn mark_read(db: &Db, actor: &Actor, article: &Article) -> Result<bool> {
    let Some(account) = actor.account_id else {
        return Ok(false);
    };
    let now = now_ms();
    if article.scheduled(now) {
        return Ok(false);
    }
    // Most readings are repeats: a plain read answers them without taking the write lock.
    let seen =
        sqlx::query("SELECT 1 AS x FROM news_reads WHERE article_id = $1 AND account_id = $2")
            .bind(article.id)
            .bind(account)
            .fetch_optional(db.pool())
            .await?;
    if seen.is_some() {
        return Ok(false);
    }
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO news_reads (article_id, account_id, read_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(article.id)
    .bind(account)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    let path: String = sqlx::query(
        "UPDATE news_articles SET read_count = read_count + 1 WHERE id = $1 RETURNING audience_path",
    )
    .bind(article.id)
    .fetch_one(&mut *tx)
    .await?
    .try_get("audience_path")?;
    let ev = Event {
        action: "news.read",
        object_kind: "news_article",
        object_id: article.id.to_string(),
        unit_path: Some(path),
        details: json!({}),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(true)
}

/// How many articles are stored (tests, benchmarks, the demo loader).
pub async fn count(db: &Db) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM news_articles")
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("n")?)
}
