//! Article images, stored in the database after their type is read from their bytes and
//! their size checked. An image belongs to the subtree it was uploaded for (widened to an
//! article's audience when an article shows it) and is served to whoever may read there.

use crate::audit::{self, Actor, Event};
use crate::files::{self, MAX_IMAGE_BYTES, StoredFile, image_type};
use crate::scope::{NewsManage, NewsView};
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, now_ms, units};
use serde_json::json;
use sqlx::Row;

/// Stores an image for the subtree of `unit_id`; returns its id.
pub async fn upload_image(
    db: &Db,
    scope: &Scope<NewsManage>,
    actor: &Actor,
    unit_id: i64,
    bytes: &[u8],
) -> Result<i64> {
    let (kind, sha) = files::check(bytes, MAX_IMAGE_BYTES, image_type, "err.news_image_type")?;
    let mut tx = db.begin_write().await?;
    let unit = units::get_tx(&mut tx, scope, unit_id)
        .await
        .map_err(|_| Error::Invalid("err.news_audience"))?;
    let row = sqlx::query(
        "INSERT INTO news_images (unit_path, content_type, size, sha256, data, created_by, \
         created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
    )
    .bind(&unit.path)
    .bind(kind)
    .bind(bytes.len() as i64)
    .bind(&sha)
    .bind(bytes.to_vec())
    .bind(actor.account_id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let ev = Event {
        action: "news.image_upload",
        object_kind: "news_image",
        object_id: id.to_string(),
        unit_path: Some(unit.path.clone()),
        details: json!({ "type": kind, "size": bytes.len(), "sha256": sha }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// An image the reader may see (or manages); otherwise not found.
pub async fn image(
    db: &Db,
    view: &Scope<NewsView>,
    manage: Option<&Scope<NewsManage>>,
    id: i64,
) -> Result<StoredFile> {
    let mut sql = SqlBuf::new("SELECT content_type, data FROM news_images i WHERE i.id = ");
    sql.arg_i64(id).push(" AND (");
    view.push_audience_filter(&mut sql, "i.unit_path");
    if let Some(m) = manage {
        sql.push(" OR ");
        m.push_filter(&mut sql, "i.unit_path", None);
    }
    sql.push(")");
    let row = sql
        .query()
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    Ok(StoredFile {
        file_name: format!("image-{id}"),
        content_type: row.try_get("content_type")?,
        data: row.try_get("data")?,
    })
}
