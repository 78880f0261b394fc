//! Movement models and news through the API, read-only: the models the caller may see (with
//! their standing in an evaluation year), one model in full, the articles of the caller's
//! audience and one article (reading it counts the caller as a reader, as on the page).

use crate::AppState;
use crate::api::ApiErrorBody;
use crate::auth::Authz;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use store::movement::{self, Detail, Model};
use store::news::{self, Article, Headline};
use store::scope::{ModelView, NewsManage, NewsView};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct ModelDto {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub name: String,
    pub description: Option<String>,
    /// YYYY-MM-DD.
    pub since: String,
    /// YYYY-MM-DD, when the model stopped.
    pub ended_on: Option<String>,
    pub members: i64,
}

impl From<Model> for ModelDto {
    fn from(m: Model) -> Self {
        ModelDto {
            id: m.id,
            org_id: m.org_id,
            org_name: m.org_name,
            name: m.name,
            description: m.description,
            since: m.since.to_string(),
            ended_on: m.ended_on.map(|d| d.to_string()),
            members: m.members,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ModelPage {
    pub items: Vec<ModelDto>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct ModelsQuery {
    /// Only this organisation's models.
    pub org: Option<i64>,
    pub cursor: Option<String>,
    /// 1–500, default 100.
    pub limit: Option<i64>,
}

fn decode(c: &str) -> AppResult<(String, i64)> {
    let (id, name) = c.split_once('~').ok_or(AppError::Invalid("err.cursor"))?;
    Ok((
        name.to_owned(),
        id.parse().map_err(|_| AppError::Invalid("err.cursor"))?,
    ))
}

/// Models of the organisations the caller may see, by name.
#[utoipa::path(get, path = "/movement-models", operation_id = "listMovementModels", tag = "movement", params(ModelsQuery),
    responses((status = 200, body = ModelPage), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn list_movement_models(
    State(st): State<AppState>,
    a: Authz<ModelView>,
    Query(q): Query<ModelsQuery>,
) -> AppResult<Json<ModelPage>> {
    let after = q
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(decode)
        .transpose()?;
    let (items, next) =
        movement::list(&st.db, &a.scope, q.org, after, q.limit.unwrap_or(100)).await?;
    Ok(Json(ModelPage {
        items: items.into_iter().map(Into::into).collect(),
        next: next.map(|(name, id)| format!("{id}~{name}")),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    pub person_id: i64,
    pub full_name: String,
    pub position: String,
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityDto {
    pub id: i64,
    /// YYYY-MM-DD.
    pub date: String,
    pub title: String,
    pub note: Option<String>,
    /// Evidence files: download at /models/evidence/{id} with a session.
    pub evidence: Vec<EvidenceDto>,
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceDto {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewDto {
    pub year: i32,
    /// very_effective, effective, limited or ineffective.
    pub rating: String,
    pub reviewer: String,
    /// YYYY-MM-DD.
    pub reviewed_on: String,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StandingDto {
    /// The evaluation year.
    pub year: i32,
    /// First and last day of its window, YYYY-MM-DD.
    pub window_start: String,
    pub window_end: String,
    pub active: bool,
    pub review: Option<String>,
    pub activities: i64,
    /// The model counts towards "at least one working model" this year.
    pub working: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ModelDetailDto {
    pub model: ModelDto,
    pub members: Vec<MemberDto>,
    pub activities: Vec<ActivityDto>,
    pub reviews: Vec<ReviewDto>,
    pub standing: StandingDto,
}

impl From<Detail> for ModelDetailDto {
    fn from(d: Detail) -> Self {
        let s = d.standing;
        ModelDetailDto {
            model: d.model.into(),
            members: d
                .members
                .into_iter()
                .map(|m| MemberDto {
                    person_id: m.person_id,
                    full_name: m.full_name,
                    position: m.position,
                    role: m.role,
                })
                .collect(),
            activities: d
                .activities
                .into_iter()
                .map(|a| ActivityDto {
                    id: a.id,
                    date: a.on_day.to_string(),
                    title: a.title,
                    note: a.note,
                    evidence: a
                        .evidence
                        .into_iter()
                        .map(|e| EvidenceDto {
                            id: e.id,
                            file_name: e.file_name,
                            content_type: e.content_type,
                            size: e.size,
                        })
                        .collect(),
                })
                .collect(),
            reviews: d
                .reviews
                .into_iter()
                .map(|r| ReviewDto {
                    year: r.year,
                    rating: r.rating.code().into(),
                    reviewer: r.reviewer,
                    reviewed_on: r.reviewed_on.to_string(),
                    note: r.note,
                })
                .collect(),
            standing: StandingDto {
                year: s.window.year,
                window_start: s.window.start.to_string(),
                window_end: s.window.end.to_string(),
                active: s.active,
                review: s.review.map(|r| r.code().into()),
                activities: s.activities,
                working: s.working,
            },
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct YearQuery {
    /// Evaluation year; the current one when absent.
    pub year: Option<i32>,
}

/// One model with members, activities, reviews and its standing in an evaluation year.
#[utoipa::path(get, path = "/movement-models/{id}", operation_id = "getMovementModel", tag = "movement",
    params(("id" = i64, Path), YearQuery),
    responses((status = 200, body = ModelDetailDto), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn get_movement_model(
    State(st): State<AppState>,
    a: Authz<ModelView>,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> AppResult<Json<ModelDetailDto>> {
    let asked = q.year.map(|y| y.to_string());
    let (rule, year) = crate::pages::models::year_and_rule(&st, asked.as_deref()).await?;
    Ok(Json(
        movement::get(&st.db, &a.scope, id, &rule, year)
            .await?
            .into(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct HeadlineDto {
    pub id: i64,
    pub title: String,
    pub summary: Option<String>,
    pub audience: String,
    /// Milliseconds since the Unix epoch.
    pub publish_at: i64,
    pub author: String,
    pub read_count: i64,
}

impl From<Headline> for HeadlineDto {
    fn from(h: Headline) -> Self {
        HeadlineDto {
            id: h.id,
            title: h.title,
            summary: h.summary,
            audience: h.audience_name,
            publish_at: h.publish_at,
            author: h.author_name,
            read_count: h.read_count,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NewsPage {
    pub items: Vec<HeadlineDto>,
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct NewsQuery {
    pub cursor: Option<String>,
    /// 1–200, default 30.
    pub limit: Option<i64>,
}

/// Articles of the caller's audience, newest first (scheduled ones too for their managers).
#[utoipa::path(get, path = "/news", operation_id = "listNews", tag = "news", params(NewsQuery),
    responses((status = 200, body = NewsPage), (status = 401, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn list_news(
    State(st): State<AppState>,
    a: Authz<NewsView>,
    Query(q): Query<NewsQuery>,
) -> AppResult<Json<NewsPage>> {
    let manage = a.user.id.grants.scope::<NewsManage>();
    let (items, next) = news::list(
        &st.db,
        &a.scope,
        manage.as_ref(),
        q.cursor.as_deref(),
        q.limit.unwrap_or(30),
    )
    .await?;
    Ok(Json(NewsPage {
        items: items.into_iter().map(Into::into).collect(),
        next,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ArticleDto {
    pub id: i64,
    pub title: String,
    pub summary: Option<String>,
    /// Sanitised HTML; images at /news/images/{id}.
    pub body_html: String,
    pub audience_unit_id: i64,
    pub audience: String,
    pub publish_at: i64,
    pub author: String,
    pub read_count: i64,
}

impl From<Article> for ArticleDto {
    fn from(a: Article) -> Self {
        ArticleDto {
            id: a.id,
            title: a.title,
            summary: a.summary,
            body_html: a.body_html,
            audience_unit_id: a.audience_unit_id,
            audience: a.audience_name,
            publish_at: a.publish_at,
            author: a.author_name,
            read_count: a.read_count,
        }
    }
}

/// One article; reading it counts the caller once.
#[utoipa::path(get, path = "/news/{id}", operation_id = "getNews", tag = "news", params(("id" = i64, Path)),
    responses((status = 200, body = ArticleDto), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_news(
    State(st): State<AppState>,
    a: Authz<NewsView>,
    Path(id): Path<i64>,
) -> AppResult<Json<ArticleDto>> {
    let manage = a.user.id.grants.scope::<NewsManage>();
    let mut art = news::get(&st.db, &a.scope, manage.as_ref(), id).await?;
    if news::mark_read(&st.db, &a.actor(), &art).await? {
        art.read_count += 1;
    }
    Ok(Json(art.into()))
}
