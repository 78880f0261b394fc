//! Dissemination campaigns (quán triệt, phổ biến văn bản): documents of the library put
//! before an audience, each person opening them and confirming, optionally after a short quiz
//! with a pass mark; an officer records people briefed in a meeting (minutes attached) for
//! staff without accounts.
//!
//! # Audience
//! One or more unit subtrees ("everyone below a unit") narrowed, if chosen, to a group of
//! people (Party members, the self-defence force, the fire-prevention team). As with
//! commitments the audience is not copied when the campaign opens: it is read from the live
//! `people` table whenever it is needed, so joins, moves and departures are right by
//! construction. Coverage is counted live as well (an organisation's audience is tens to
//! hundreds of people, one grouped query); the province-scale rollups are kept for commitment
//! campaigns, whose audience is everybody.
//!
//! # Versions
//! An acknowledgement names the document's version. A person has done the campaign when they
//! acknowledged the *current* version of every document in it, so a new version of a document
//! asks everybody to read and confirm again, with no change to stored acknowledgements.

mod ack;
mod coverage;
mod pending;

pub use ack::{DocStatus, Task, acknowledge, my_task, my_tasks, record_briefing};
pub use coverage::{Missing, coverage, missing_people};
pub use pending::pending_count;

use crate::audit::{self, Actor, Event};
use crate::scope::{CampaignManage, CampaignView};
use crate::sql::SqlBuf;
use crate::{Cap, Db, Error, Result, Scope, now_ms, units};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Who among the people below the audience units is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    All,
    PartyMember,
    SelfDefence,
    FireForce,
}

impl Group {
    pub const ALL: [Group; 4] = [
        Group::All,
        Group::PartyMember,
        Group::SelfDefence,
        Group::FireForce,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Group::All => "all",
            Group::PartyMember => "party_member",
            Group::SelfDefence => "self_defence",
            Group::FireForce => "fire_force",
        }
    }

    pub fn parse(s: &str) -> Result<Group> {
        Group::ALL
            .into_iter()
            .find(|g| g.code() == s.trim())
            .ok_or(Error::Invalid("err.dis_group"))
    }

    /// The `people` flag column the group reads, if any (a fixed name from this list).
    pub(crate) fn column(self) -> Option<&'static str> {
        match self {
            Group::All => None,
            Group::PartyMember => Some("party_member"),
            Group::SelfDefence => Some("self_defence"),
            Group::FireForce => Some("fire_force"),
        }
    }
}

/// A quiz question as stored; `correct` is never shown to the person answering.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: i64,
    pub question: String,
    pub options: Vec<String>,
    #[serde(skip)]
    pub correct: usize,
}

/// A question as entered.
#[derive(Debug, Clone)]
pub struct QuestionInput {
    pub question: String,
    pub options: Vec<String>,
    pub correct: usize,
}

/// A document of a campaign.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub directive_id: i64,
    pub code: String,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub owner_unit_id: i64,
    pub owner_path: String,
    pub owner_name: String,
    pub title: String,
    pub group: Group,
    /// Pass mark in percent; 0 when there is no quiz.
    pub pass_mark: i64,
    pub opens_on: NaiveDate,
    pub deadline: NaiveDate,
    pub open: bool,
    /// Paths of the audience units.
    pub audience: Vec<(i64, String)>,
    pub documents: Vec<Document>,
}

impl Campaign {
    /// Whether a working person placed at `unit_path` is in the audience (group aside).
    pub fn covers(&self, unit_path: &str) -> bool {
        self.audience.iter().any(|(_, p)| unit_path.starts_with(p))
    }

    pub(crate) fn push_audience(&self, sql: &mut SqlBuf) {
        sql.push("(");
        for (i, (_, p)) in self.audience.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push("(p.unit_path >= ")
                .arg_text(p)
                .push(" AND p.unit_path < ")
                .arg_text(&crate::scope::path_end(p))
                .push(")");
        }
        sql.push(")");
        if let Some(col) = self.group.column() {
            sql.push(" AND p.").push(col).push(" = 1");
        }
    }
}

/// What an officer enters.
#[derive(Debug, Clone)]
pub struct CampaignInput {
    pub owner_unit_id: i64,
    pub title: String,
    pub audience_unit_ids: Vec<i64>,
    pub group: Group,
    pub directive_ids: Vec<i64>,
    pub questions: Vec<QuestionInput>,
    pub pass_mark: i64,
    pub opens_on: NaiveDate,
    pub deadline: NaiveDate,
}

const COLS: &str = "c.id, c.owner_unit_id, c.owner_path, u.name AS owner_name, c.title, c.audience_group, \
    c.pass_mark, c.opens_on, c.deadline, c.status";
const FROM: &str = "FROM dissemination_campaigns c JOIN units u ON u.id = c.owner_unit_id";

fn day(s: &str) -> Result<NaiveDate> {
    s.parse()
        .map_err(|_| Error::Db(sqlx::Error::Decode(format!("campaign day {s:?}").into())))
}

fn head_row(r: &AnyRow) -> Result<Campaign> {
    Ok(Campaign {
        id: r.try_get("id")?,
        owner_unit_id: r.try_get("owner_unit_id")?,
        owner_path: r.try_get("owner_path")?,
        owner_name: r.try_get("owner_name")?,
        title: r.try_get("title")?,
        group: Group::parse(&r.try_get::<String, _>("audience_group")?)?,
        pass_mark: r.try_get("pass_mark")?,
        opens_on: day(&r.try_get::<String, _>("opens_on")?)?,
        deadline: day(&r.try_get::<String, _>("deadline")?)?,
        open: r.try_get::<String, _>("status")? == "open",
        audience: Vec::new(),
        documents: Vec::new(),
    })
}

/// Fills audience and documents of the campaigns read (two queries for the whole list).
async fn complete(db: &Db, mut list: Vec<Campaign>) -> Result<Vec<Campaign>> {
    if list.is_empty() {
        return Ok(list);
    }
    let ids = |sql: &mut SqlBuf, list: &[Campaign]| {
        for (i, c) in list.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.arg_i64(c.id);
        }
        sql.push(")");
    };
    let mut sql = SqlBuf::new(
        "SELECT a.campaign_id, u.id, u.path FROM dissemination_audience a JOIN units u ON u.id = a.unit_id \
         WHERE a.campaign_id IN (",
    );
    ids(&mut sql, &list);
    for r in sql.query().fetch_all(db.pool()).await? {
        let cid: i64 = r.try_get("campaign_id")?;
        if let Some(c) = list.iter_mut().find(|c| c.id == cid) {
            c.audience.push((r.try_get("id")?, r.try_get("path")?));
        }
    }
    let mut sql = SqlBuf::new(
        "SELECT x.campaign_id, d.id, d.code, d.version FROM dissemination_documents x \
         JOIN directives d ON d.id = x.directive_id WHERE x.campaign_id IN (",
    );
    ids(&mut sql, &list);
    for r in sql.query().fetch_all(db.pool()).await? {
        let cid: i64 = r.try_get("campaign_id")?;
        if let Some(c) = list.iter_mut().find(|c| c.id == cid) {
            c.documents.push(Document {
                directive_id: r.try_get("id")?,
                code: r.try_get("code")?,
                version: r.try_get("version")?,
            });
        }
    }
    Ok(list)
}

/// A campaign within reach (launched inside the scope or above it).
pub async fn get<C: Cap>(db: &Db, scope: &Scope<C>, id: i64) -> Result<Campaign> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE c.id = "));
    sql.arg_i64(id).push(" AND ");
    scope.push_reach(&mut sql, "c.owner_path");
    let row = sql
        .query()
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    Ok(complete(db, vec![head_row(&row)?]).await?.remove(0))
}

/// Several campaigns by id in three reads (heads, audiences, documents), in the order given;
/// ids not found are left out.
pub(crate) async fn get_many_unscoped(db: &Db, ids: &[i64]) -> Result<Vec<Campaign>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE c.id IN ("));
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.arg_i64(*id);
    }
    sql.push(")");
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut list = rows.iter().map(head_row).collect::<Result<Vec<_>>>()?;
    list.sort_by_key(|c| ids.iter().position(|i| *i == c.id));
    complete(db, list).await
}

pub(crate) async fn get_unscoped(db: &Db, id: i64) -> Result<Campaign> {
    let sql = format!("SELECT {COLS} {FROM} WHERE c.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    Ok(complete(db, vec![head_row(&row)?]).await?.remove(0))
}

/// Campaigns within reach, newest first.
pub async fn list(db: &Db, scope: &Scope<CampaignView>, limit: i64) -> Result<Vec<Campaign>> {
    let mut sql = SqlBuf::new(&format!("SELECT {COLS} {FROM} WHERE "));
    scope.push_reach(&mut sql, "c.owner_path");
    sql.push(" ORDER BY c.opens_on DESC, c.id DESC LIMIT ")
        .arg_i64(limit.clamp(1, 500));
    let rows = sql.query().fetch_all(db.pool()).await?;
    let list = rows.iter().map(head_row).collect::<Result<Vec<_>>>()?;
    complete(db, list).await
}

/// The quiz of a campaign, in order.
pub async fn questions(db: &Db, campaign_id: i64) -> Result<Vec<Question>> {
    let rows = sqlx::query(
        "SELECT id, question, options, correct FROM dissemination_questions WHERE campaign_id = $1 \
         ORDER BY position, id",
    )
    .bind(campaign_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Question {
                id: r.try_get("id")?,
                question: r.try_get("question")?,
                options: r
                    .try_get::<String, _>("options")?
                    .lines()
                    .map(str::to_owned)
                    .collect(),
                correct: r.try_get::<i64, _>("correct")? as usize,
            })
        })
        .collect()
}

fn check_questions(qs: &[QuestionInput], pass_mark: i64) -> Result<()> {
    if !(0..=100).contains(&pass_mark) || (pass_mark > 0 && qs.is_empty()) || qs.len() > 20 {
        return Err(Error::Invalid("err.dis_quiz"));
    }
    for q in qs {
        let blank = q
            .options
            .iter()
            .any(|o| o.trim().is_empty() || o.contains('\n'));
        if q.question.trim().is_empty()
            || q.question.chars().count() > 500
            || !(2..=6).contains(&q.options.len())
            || blank
            || q.correct >= q.options.len()
        {
            return Err(Error::Invalid("err.dis_quiz"));
        }
    }
    Ok(())
}

/// Launches a dissemination campaign of a unit in the scope. The audience units must lie in
/// the scope; the documents must be within its reach.
pub async fn create(
    db: &Db,
    scope: &Scope<CampaignManage>,
    actor: &Actor,
    input: &CampaignInput,
) -> Result<Campaign> {
    let owner = units::get(db, scope, input.owner_unit_id)
        .await
        .map_err(|_| Error::Invalid("err.unit_unknown"))?;
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 300 {
        return Err(Error::Invalid("err.dis_title"));
    }
    if input.deadline < input.opens_on {
        return Err(Error::Invalid("err.cmt_deadline"));
    }
    let mut audience = input.audience_unit_ids.clone();
    audience.sort_unstable();
    audience.dedup();
    if audience.is_empty() {
        audience.push(owner.id);
    }
    let mut docs = input.directive_ids.clone();
    docs.sort_unstable();
    docs.dedup();
    if docs.is_empty() || docs.len() > 20 {
        return Err(Error::Invalid("err.dis_documents"));
    }
    check_questions(&input.questions, input.pass_mark)?;
    let mut audience_units = Vec::new();
    for id in &audience {
        let u = units::get(db, scope, *id)
            .await
            .map_err(|_| Error::Invalid("err.unit_unknown"))?;
        if !u.path.starts_with(&owner.path) {
            return Err(Error::Invalid("err.dis_audience"));
        }
        audience_units.push(u);
    }
    for d in &docs {
        let mut sql = SqlBuf::new("SELECT 1 AS x FROM directives d WHERE d.id = ");
        sql.arg_i64(*d).push(" AND ");
        scope.push_reach(&mut sql, "d.owner_path");
        if sql.query().fetch_optional(db.pool()).await?.is_none() {
            return Err(Error::Invalid("err.dis_documents"));
        }
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "INSERT INTO dissemination_campaigns (owner_unit_id, owner_path, title, audience_group, pass_mark, \
         opens_on, deadline, status, created_by, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,'open',$8,$9,$9) RETURNING id",
    )
    .bind(owner.id)
    .bind(&owner.path)
    .bind(title)
    .bind(input.group.code())
    .bind(if input.questions.is_empty() { 0 } else { input.pass_mark })
    .bind(input.opens_on.to_string())
    .bind(input.deadline.to_string())
    .bind(actor.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    for u in &audience_units {
        sqlx::query("INSERT INTO dissemination_audience (campaign_id, unit_id) VALUES ($1, $2)")
            .bind(id)
            .bind(u.id)
            .execute(&mut *tx)
            .await?;
    }
    for d in &docs {
        sqlx::query(
            "INSERT INTO dissemination_documents (campaign_id, directive_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(*d)
        .execute(&mut *tx)
        .await?;
    }
    for (i, q) in input.questions.iter().enumerate() {
        let options: Vec<&str> = q.options.iter().map(|o| o.trim()).collect();
        sqlx::query(
            "INSERT INTO dissemination_questions (campaign_id, position, question, options, correct) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(q.question.trim())
        .bind(options.join("\n"))
        .bind(q.correct as i64)
        .execute(&mut *tx)
        .await?;
    }
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "dissemination.launch",
            object_kind: "dissemination_campaign",
            object_id: id.to_string(),
            unit_path: Some(owner.path.clone()),
            details: json!({ "title": title, "documents": docs, "audience": audience,
                "group": input.group.code(), "questions": input.questions.len(), "pass_mark": input.pass_mark }),
        },
    )
    .await?;
    tx.commit().await?;
    get_unscoped(db, id).await
}

/// Closes a campaign of a unit in the scope, freezing its coverage per unit in the same
/// transaction.
pub async fn close(db: &Db, scope: &Scope<CampaignManage>, actor: &Actor, id: i64) -> Result<()> {
    // Audience and documents never change after launch, so they are read before the lock; the
    // scope is checked by the UPDATE below.
    let c = get_unscoped(db, id).await?;
    let mut tx = db.begin_write().await?;
    let mut sql =
        SqlBuf::new("UPDATE dissemination_campaigns SET status = 'closed', updated_at = ");
    sql.arg_i64(now_ms())
        .push(" WHERE status = 'open' AND id = ")
        .arg_i64(id)
        .push(" AND ");
    scope.push_filter(&mut sql, "owner_path", None);
    sql.push(" RETURNING owner_path");
    let row = sql
        .query()
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    let frozen = coverage::freeze(&mut tx, &c).await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "dissemination.close",
            object_kind: "dissemination_campaign",
            object_id: id.to_string(),
            unit_path: Some(row.try_get("owner_path")?),
            details: json!({ "required": frozen.required, "done": frozen.done }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
