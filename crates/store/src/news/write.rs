//! Writing articles: the body is sanitised before it is stored, the audience must lie in the
//! writer's `NewsManage` scope, and images the body shows are widened to the article's
//! audience so every reader can load them.

use super::sanitize::{clean, image_ids, plain};
use super::{MAX_BODY_CHARS, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS};
use crate::audit::{self, Actor, Event};
use crate::scope::NewsManage;
use crate::sql::SqlBuf;
use crate::units::{self, Unit};
use crate::{Db, Error, Result, Scope, WriteTx, now_ms};
use domain::values::UnitKind;
use serde_json::json;
use sqlx::Row;

/// An article as the editor fills it in.
#[derive(Debug, Clone)]
pub struct ArticleInput {
    pub audience_unit_id: i64,
    pub title: String,
    pub summary: Option<String>,
    /// HTML or simple text; cleaned before storing.
    pub body: String,
    /// When readers may see it; `None` is now.
    pub publish_at: Option<i64>,
}

struct Checked {
    title: String,
    summary: Option<String>,
    body: String,
}

fn check(input: &ArticleInput) -> Result<Checked> {
    let title = input.title.trim();
    if title.is_empty() {
        return Err(Error::Invalid("err.news_title"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::Invalid("err.news_too_long"));
    }
    let summary = input
        .summary
        .as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    if summary
        .as_ref()
        .is_some_and(|s| s.chars().count() > MAX_SUMMARY_CHARS)
    {
        return Err(Error::Invalid("err.news_too_long"));
    }
    if input.body.chars().count() > MAX_BODY_CHARS {
        return Err(Error::Invalid("err.news_too_long"));
    }
    let body = clean(&input.body);
    if plain(&body).is_empty() && image_ids(&body).is_empty() {
        return Err(Error::Invalid("err.news_body"));
    }
    Ok(Checked {
        title: title.to_owned(),
        summary,
        body,
    })
}

fn org_of(u: &Unit) -> Option<i64> {
    match u.kind {
        UnitKind::Organisation => Some(u.id),
        _ => u.org_id,
    }
}

/// Gives the images an article shows the article's audience, when they were stored for a
/// part of it.
async fn widen_images(tx: &mut WriteTx, audience: &Unit, body: &str) -> Result<()> {
    for id in image_ids(body) {
        let mut sql = SqlBuf::new("UPDATE news_images SET unit_path = ");
        sql.arg_text(&audience.path)
            .push(" WHERE id = ")
            .arg_i64(id)
            .push(" AND unit_path > ")
            .arg_text(&audience.path)
            .push(" AND unit_path < ")
            .arg_text(&audience.root().path_end());
        sql.query().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The name printed under an article: the account's display name.
async fn author_name(tx: &mut WriteTx, actor: &Actor) -> Result<String> {
    if let Some(id) = actor.account_id
        && let Some(r) = sqlx::query("SELECT display_name FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
    {
        return Ok(r.try_get("display_name")?);
    }
    Ok(actor.name.clone())
}

/// Publishes (or schedules) an article.
pub async fn create(
    db: &Db,
    scope: &Scope<NewsManage>,
    actor: &Actor,
    input: &ArticleInput,
) -> Result<i64> {
    let c = check(input)?;
    let mut tx = db.begin_write().await?;
    let audience = units::get_tx(&mut tx, scope, input.audience_unit_id)
        .await
        .map_err(|_| Error::Invalid("err.news_audience"))?;
    let now = now_ms();
    let publish_at = input.publish_at.unwrap_or(now);
    let author = author_name(&mut tx, actor).await?;
    let row = sqlx::query(
        "INSERT INTO news_articles (org_id, audience_unit_id, audience_path, title, summary, \
         body_html, publish_at, author_id, author_name, read_count, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,0,$10,$10) RETURNING id",
    )
    .bind(org_of(&audience))
    .bind(audience.id)
    .bind(&audience.path)
    .bind(&c.title)
    .bind(&c.summary)
    .bind(&c.body)
    .bind(publish_at)
    .bind(actor.account_id)
    .bind(&author)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    widen_images(&mut tx, &audience, &c.body).await?;
    let ev = Event {
        action: "news.create",
        object_kind: "news_article",
        object_id: id.to_string(),
        unit_path: Some(audience.path.clone()),
        details: json!({ "title": c.title, "audience": audience.id, "publish_at": publish_at }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes an article whose current and new audiences both lie in the scope.
pub async fn update(
    db: &Db,
    scope: &Scope<NewsManage>,
    actor: &Actor,
    id: i64,
    input: &ArticleInput,
) -> Result<()> {
    let c = check(input)?;
    let mut tx = db.begin_write().await?;
    let mut sql = SqlBuf::new("SELECT publish_at FROM news_articles WHERE id = ");
    sql.arg_i64(id).push(" AND ");
    scope.push_filter(&mut sql, "audience_path", None);
    let current = sql
        .query()
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    let audience = units::get_tx(&mut tx, scope, input.audience_unit_id)
        .await
        .map_err(|_| Error::Invalid("err.news_audience"))?;
    let publish_at = input
        .publish_at
        .unwrap_or(current.try_get::<i64, _>("publish_at")?);
    sqlx::query(
        "UPDATE news_articles SET org_id = $1, audience_unit_id = $2, audience_path = $3, \
         title = $4, summary = $5, body_html = $6, publish_at = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(org_of(&audience))
    .bind(audience.id)
    .bind(&audience.path)
    .bind(&c.title)
    .bind(&c.summary)
    .bind(&c.body)
    .bind(publish_at)
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    widen_images(&mut tx, &audience, &c.body).await?;
    let ev = Event {
        action: "news.update",
        object_kind: "news_article",
        object_id: id.to_string(),
        unit_path: Some(audience.path.clone()),
        details: json!({ "title": c.title, "audience": audience.id, "publish_at": publish_at }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(())
}
