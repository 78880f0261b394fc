//! Reading models: the list of an organisation (or of the whole scope), one model with its
//! members, activities, evidence and reviews, and an evidence file's bytes.

use super::rules::Rule;
use super::{Activity, Detail, Evidence, Member, Model, Rating, Review, Standing, day};
use crate::files::StoredFile;
use crate::scope::ModelView;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

const COLS: &str = "m.id, m.org_id, u.name AS org_name, m.name, m.name_folded, m.description, \
    m.since, m.ended_on, m.created_at, m.updated_at, \
    (SELECT COUNT(*) FROM movement_members mm WHERE mm.model_id = m.id) AS members";

fn model_of(r: &AnyRow) -> Result<Model> {
    let ended: Option<String> = r.try_get("ended_on")?;
    Ok(Model {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        since: day(&r.try_get::<String, _>("since")?)?,
        ended_on: ended.as_deref().map(day).transpose()?,
        members: r.try_get("members")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Models in the scope (of one organisation when `org_id` is given), by name, a page at a
/// time; the cursor is the last (folded name, id).
pub async fn list(
    db: &Db,
    scope: &Scope<ModelView>,
    org_id: Option<i64>,
    after: Option<(String, i64)>,
    limit: i64,
) -> Result<(Vec<Model>, Option<(String, i64)>)> {
    let limit = limit.clamp(1, 500);
    let mut sql = SqlBuf::new(&format!(
        "SELECT {COLS} FROM movement_models m JOIN units u ON u.id = m.org_id WHERE "
    ));
    scope.push_filter(&mut sql, "m.unit_path", Some("m.org_id"));
    if let Some(o) = org_id {
        sql.push(" AND m.org_id = ").arg_i64(o);
    }
    if let Some((name, id)) = &after {
        sql.push(" AND (m.name_folded, m.id) > (")
            .arg_text(name)
            .push(", ")
            .arg_i64(*id)
            .push(")");
    }
    sql.push(" ORDER BY m.name_folded, m.id LIMIT ")
        .arg_i64(limit + 1);
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut keys = Vec::with_capacity(rows.len());
    for r in &rows {
        keys.push((
            r.try_get::<String, _>("name_folded")?,
            r.try_get::<i64, _>("id")?,
        ));
        out.push(model_of(r)?);
    }
    let next = if out.len() as i64 > limit {
        out.truncate(limit as usize);
        keys.get(limit as usize - 1).cloned()
    } else {
        None
    };
    Ok((out, next))
}

/// One model in the scope with its members, activities (newest first), reviews (newest year
/// first) and its standing in evaluation year `year` under `rule`.
pub async fn get(
    db: &Db,
    scope: &Scope<ModelView>,
    id: i64,
    rule: &Rule,
    year: i32,
) -> Result<Detail> {
    let mut sql = SqlBuf::new(&format!(
        "SELECT {COLS} FROM movement_models m JOIN units u ON u.id = m.org_id WHERE m.id = "
    ));
    sql.arg_i64(id).push(" AND ");
    scope.push_filter(&mut sql, "m.unit_path", Some("m.org_id"));
    let row = sql
        .query()
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    let model = model_of(&row)?;
    let (members, activities, evidence, reviews) = tokio::try_join!(
        sqlx::query(
            "SELECT mm.person_id, p.full_name, p.position, mm.role FROM movement_members mm \
             JOIN people p ON p.id = mm.person_id WHERE mm.model_id = $1 ORDER BY p.sort_key, p.id",
        )
        .bind(id)
        .fetch_all(db.pool()),
        sqlx::query(
            "SELECT id, on_day, title, note FROM movement_activities WHERE model_id = $1 \
             ORDER BY on_day DESC, id DESC",
        )
        .bind(id)
        .fetch_all(db.pool()),
        sqlx::query(
            "SELECT e.id, e.activity_id, e.file_name, e.content_type, e.size FROM movement_evidence e \
             JOIN movement_activities a ON a.id = e.activity_id WHERE a.model_id = $1 ORDER BY e.id",
        )
        .bind(id)
        .fetch_all(db.pool()),
        sqlx::query(
            "SELECT year, rating, reviewer, reviewed_on, note FROM movement_reviews \
             WHERE model_id = $1 ORDER BY year DESC",
        )
        .bind(id)
        .fetch_all(db.pool()),
    )?;
    let members = members
        .iter()
        .map(|r| {
            Ok(Member {
                person_id: r.try_get("person_id")?,
                full_name: r.try_get("full_name")?,
                position: r.try_get("position")?,
                role: r.try_get("role")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut files: HashMap<i64, Vec<Evidence>> = HashMap::new();
    for r in &evidence {
        files
            .entry(r.try_get("activity_id")?)
            .or_default()
            .push(Evidence {
                id: r.try_get("id")?,
                file_name: r.try_get("file_name")?,
                content_type: r.try_get("content_type")?,
                size: r.try_get("size")?,
            });
    }
    let activities = activities
        .iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            Ok(Activity {
                id,
                on_day: day(&r.try_get::<String, _>("on_day")?)?,
                title: r.try_get("title")?,
                note: r.try_get("note")?,
                evidence: files.remove(&id).unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let reviews = reviews
        .iter()
        .map(|r| {
            Ok(Review {
                year: i32::try_from(r.try_get::<i64, _>("year")?).unwrap_or_default(),
                rating: Rating::parse(&r.try_get::<String, _>("rating")?)?,
                reviewer: r.try_get("reviewer")?,
                reviewed_on: day(&r.try_get::<String, _>("reviewed_on")?)?,
                note: r.try_get("note")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let standing = standing(&model, &activities, &reviews, rule, year);
    Ok(Detail {
        model,
        members,
        activities,
        reviews,
        standing,
    })
}

/// The rule of [`super::rules`] applied to one model's records; the SQL of the province
/// check applies the same rule (a store test compares the two).
pub fn standing(
    model: &Model,
    activities: &[Activity],
    reviews: &[Review],
    rule: &Rule,
    year: i32,
) -> Standing {
    let window = rule.window(year);
    let active = model.since <= window.end && model.ended_on.is_none_or(|e| e >= window.start);
    let review = reviews.iter().find(|r| r.year == year).map(|r| r.rating);
    let activities = activities
        .iter()
        .filter(|a| window.contains(a.on_day))
        .count() as i64;
    let working = active
        && match review {
            Some(r) => r.rank() >= rule.min_rating.rank(),
            None => activities >= rule.min_activities,
        };
    Standing {
        window,
        active,
        review,
        activities,
        working,
    }
}

/// An evidence file of a model in the scope.
pub async fn evidence(db: &Db, scope: &Scope<ModelView>, id: i64) -> Result<StoredFile> {
    let mut sql = SqlBuf::new(
        "SELECT e.file_name, e.content_type, e.data FROM movement_evidence e \
         JOIN movement_activities a ON a.id = e.activity_id \
         JOIN movement_models m ON m.id = a.model_id WHERE e.id = ",
    );
    sql.arg_i64(id).push(" AND ");
    scope.push_filter(&mut sql, "m.unit_path", Some("m.org_id"));
    let row = sql
        .query()
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    Ok(StoredFile {
        file_name: row.try_get("file_name")?,
        content_type: row.try_get("content_type")?,
        data: row.try_get("data")?,
    })
}

/// People who may join a model of the scope: working people of its organisation who are not
/// members yet, by name (at most `limit`).
pub async fn member_candidates(
    db: &Db,
    scope: &Scope<crate::scope::ModelManage>,
    model_id: i64,
    limit: i64,
) -> Result<Vec<Member>> {
    let mut sql = SqlBuf::new(
        "SELECT p.id, p.full_name, p.position FROM movement_models m \
         JOIN people p ON p.org_id = m.org_id AND p.status = 'working' WHERE m.id = ",
    );
    sql.arg_i64(model_id).push(" AND ");
    scope.push_filter(&mut sql, "m.unit_path", Some("m.org_id"));
    sql.push(
        " AND NOT EXISTS (SELECT 1 FROM movement_members mm WHERE mm.model_id = m.id \
         AND mm.person_id = p.id) ORDER BY p.sort_key, p.id LIMIT ",
    )
    .arg_i64(limit);
    sql.query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Member {
                person_id: r.try_get("id")?,
                full_name: r.try_get("full_name")?,
                position: r.try_get("position")?,
                role: String::new(),
            })
        })
        .collect()
}
