//! Changing models: each function is one write transaction with its audit entry, and checks
//! that the model (or the organisation) lies in the actor's `ModelManage` scope first.

use super::{MAX_NAME_CHARS, Rating, opt_text, text_field};
use crate::audit::{self, Actor, Event};
use crate::files::{self, MAX_EVIDENCE_BYTES, evidence_type};
use crate::scope::ModelManage;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, WriteTx, now_ms, units};
use chrono::NaiveDate;
use domain::text::fold_vi;
use domain::values::UnitKind;
use serde_json::json;
use sqlx::Row;

/// A model as the officer fills it in.
#[derive(Debug, Clone)]
pub struct ModelInput {
    pub org_id: i64,
    pub name: String,
    pub description: Option<String>,
    pub since: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

/// An activity as recorded.
#[derive(Debug, Clone)]
pub struct ActivityInput {
    pub on_day: NaiveDate,
    pub title: String,
    pub note: Option<String>,
}

/// A yearly review.
#[derive(Debug, Clone)]
pub struct ReviewInput {
    pub year: i32,
    pub rating: Rating,
    pub reviewer: String,
    pub reviewed_on: NaiveDate,
    pub note: Option<String>,
}

/// The model's organisation and path, if the model is in the scope.
async fn locate(tx: &mut WriteTx, scope: &Scope<ModelManage>, id: i64) -> Result<(i64, String)> {
    let mut sql = SqlBuf::new("SELECT org_id, unit_path FROM movement_models WHERE id = ");
    sql.arg_i64(id).push(" AND ");
    scope.push_filter(&mut sql, "unit_path", Some("org_id"));
    let row = sql
        .query()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::NotFound)?;
    Ok((row.try_get("org_id")?, row.try_get("unit_path")?))
}

fn check(input: &ModelInput) -> Result<(String, Option<String>)> {
    let name = text_field(&input.name, "err.mv_name", MAX_NAME_CHARS)?;
    let description = opt_text(&input.description)?;
    if input.ended_on.is_some_and(|e| e < input.since) {
        return Err(Error::Invalid("err.mv_ended_before"));
    }
    Ok((name, description))
}

/// Registers a model of an organisation in the scope.
pub async fn create(
    db: &Db,
    scope: &Scope<ModelManage>,
    actor: &Actor,
    input: &ModelInput,
) -> Result<i64> {
    let (name, description) = check(input)?;
    let mut tx = db.begin_write().await?;
    let org = units::get_tx(&mut tx, scope, input.org_id).await?;
    if org.kind != UnitKind::Organisation {
        return Err(Error::Invalid("err.mv_org"));
    }
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO movement_models (org_id, unit_path, name, name_folded, description, since, \
         ended_on, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id",
    )
    .bind(org.id)
    .bind(&org.path)
    .bind(&name)
    .bind(fold_vi(&name))
    .bind(&description)
    .bind(input.since.to_string())
    .bind(input.ended_on.map(|d| d.to_string()))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let ev = Event {
        action: "model.create",
        object_kind: "movement_model",
        object_id: id.to_string(),
        unit_path: Some(org.path.clone()),
        details: json!({ "name": name, "since": input.since.to_string() }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a model's name, description and dates (its organisation stays).
pub async fn update(
    db: &Db,
    scope: &Scope<ModelManage>,
    actor: &Actor,
    id: i64,
    input: &ModelInput,
) -> Result<()> {
    let (name, description) = check(input)?;
    let mut tx = db.begin_write().await?;
    let (_, path) = locate(&mut tx, scope, id).await?;
    sqlx::query(
        "UPDATE movement_models SET name = $1, name_folded = $2, description = $3, since = $4, \
         ended_on = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(&name)
    .bind(fold_vi(&name))
    .bind(&description)
    .bind(input.since.to_string())
    .bind(input.ended_on.map(|d| d.to_string()))
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let ev = Event {
        action: "model.update",
        object_kind: "movement_model",
        object_id: id.to_string(),
        unit_path: Some(path),
        details: json!({ "name": name, "since": input.since.to_string(),
            "ended_on": input.ended_on.map(|d| d.to_string()) }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a person of the model's organisation as a member, or changes their role.
pub async fn add_member(
    db: &Db,
    scope: &Scope<ModelManage>,
    actor: &Actor,
    model_id: i64,
    person_id: i64,
    role: &str,
) -> Result<()> {
    let role = text_field(role, "err.mv_member_role", MAX_NAME_CHARS)?;
    let mut tx = db.begin_write().await?;
    let (org_id, path) = locate(&mut tx, scope, model_id).await?;
    // Members are people of the same organisation, and still working there.
    let person =
        sqlx::query("SELECT id FROM people WHERE id = $1 AND org_id = $2 AND status = 'working'")
            .bind(person_id)
            .bind(org_id)
            .fetch_optional(&mut *tx)
            .await?;
    if person.is_none() {
        return Err(Error::Invalid("err.mv_member"));
    }
    sqlx::query("DELETE FROM movement_members WHERE model_id = $1 AND person_id = $2")
        .bind(model_id)
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO movement_members (model_id, person_id, role, added_at) VALUES ($1,$2,$3,$4)",
    )
    .bind(model_id)
    .bind(person_id)
    .bind(&role)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let ev = Event {
        action: "model.member_add",
        object_kind: "movement_model",
        object_id: model_id.to_string(),
        unit_path: Some(path),
        details: json!({ "person_id": person_id, "role": role }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a member.
pub async fn remove_member(
    db: &Db,
    scope: &Scope<ModelManage>,
    actor: &Actor,
    model_id: i64,
    person_id: i64,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let (_, path) = locate(&mut tx, scope, model_id).await?;
    let done = sqlx::query("DELETE FROM movement_members WHERE model_id = $1 AND person_id = $2")
        .bind(model_id)
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    let ev = Event {
        action: "model.member_remove",
        object_kind: "movement_model",
        object_id: model_id.to_string(),
        unit_path: Some(path),
        details: json!({ "person_id": person_id }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(())
}

/// A file to attach: its name as uploaded and its bytes.
pub type Upload = (String, Vec<u8>);

async fn insert_evidence(tx: &mut WriteTx, activity_id: i64, file: &Upload) -> Result<i64> {
    let (kind, sha) = files::check(
        &file.1,
        MAX_EVIDENCE_BYTES,
        evidence_type,
        "err.mv_evidence_type",
    )?;
    let name: String = file
        .0
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
        .take(200)
        .collect();
    let name = if name.trim().is_empty() {
        "evidence".to_owned()
    } else {
        name.trim().to_owned()
    };
    let row = sqlx::query(
        "INSERT INTO movement_evidence (activity_id, file_name, content_type, size, sha256, data, \
         created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
    )
    .bind(activity_id)
    .bind(&name)
    .bind(kind)
    .bind(file.1.len() as i64)
    .bind(&sha)
    .bind(file.1.clone())
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("id")?)
}

/// Records an activity, with its evidence files, all or nothing.
pub async fn add_activity(
    db: &Db,
    scope: &Scope<ModelManage>,
    actor: &Actor,
    model_id: i64,
    input: &ActivityInput,
    evidence: &[Upload],
) -> Result<i64> {
    let title = text_field(&input.title, "err.mv_activity_title", MAX_NAME_CHARS)?;
    let note = opt_text(&input.note)?;
    let mut tx = db.begin_write().await?;
    let (_, path) = locate(&mut tx, scope, model_id).await?;
    let row = sqlx::query(
        "INSERT INTO movement_activities (model_id, on_day, title, note, created_by, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
    )
    .bind(model_id)
    .bind(input.on_day.to_string())
    .bind(&title)
    .bind(&note)
    .bind(actor.account_id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let mut files = Vec::new();
    for f in evidence {
        insert_evidence(&mut tx, id, f).await?;
        files.push(json!({ "name": f.0, "size": f.1.len() }));
    }
    let ev = Event {
        action: "model.activity_add",
        object_kind: "movement_model",
        object_id: model_id.to_string(),
        unit_path: Some(path),
        details: json!({ "activity_id": id, "on_day": input.on_day.to_string(), "title": title,
            "evidence": files }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Attaches one more evidence file to an activity of a model in the scope.
pub async fn add_evidence(
    db: &Db,
    scope: &Scope<ModelManage>,
    actor: &Actor,
    activity_id: i64,
    file: &Upload,
) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT model_id FROM movement_activities WHERE id = $1")
        .bind(activity_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    let model_id: i64 = row.try_get("model_id")?;
    let (_, path) = locate(&mut tx, scope, model_id).await?;
    let id = insert_evidence(&mut tx, activity_id, file).await?;
    let ev = Event {
        action: "model.evidence_add",
        object_kind: "movement_model",
        object_id: model_id.to_string(),
        unit_path: Some(path),
        details: json!({ "activity_id": activity_id, "evidence_id": id, "name": file.0,
            "size": file.1.len() }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records (or replaces) the review of one evaluation year.
pub async fn review(
    db: &Db,
    scope: &Scope<ModelManage>,
    actor: &Actor,
    model_id: i64,
    input: &ReviewInput,
) -> Result<()> {
    let reviewer = text_field(&input.reviewer, "err.mv_reviewer", MAX_NAME_CHARS)?;
    let note = opt_text(&input.note)?;
    if !(2000..=2100).contains(&input.year) {
        return Err(Error::Invalid("err.mv_year"));
    }
    let mut tx = db.begin_write().await?;
    let (_, path) = locate(&mut tx, scope, model_id).await?;
    sqlx::query("DELETE FROM movement_reviews WHERE model_id = $1 AND year = $2")
        .bind(model_id)
        .bind(i64::from(input.year))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO movement_reviews (model_id, year, rating, rating_rank, reviewer, reviewed_on, \
         note, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
    )
    .bind(model_id)
    .bind(i64::from(input.year))
    .bind(input.rating.code())
    .bind(input.rating.rank())
    .bind(&reviewer)
    .bind(input.reviewed_on.to_string())
    .bind(&note)
    .bind(actor.account_id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let ev = Event {
        action: "model.review",
        object_kind: "movement_model",
        object_id: model_id.to_string(),
        unit_path: Some(path),
        details: json!({ "year": input.year, "rating": input.rating.code(), "reviewer": reviewer }),
    };
    audit::append(&mut tx, actor, ev).await?;
    tx.commit().await?;
    Ok(())
}
