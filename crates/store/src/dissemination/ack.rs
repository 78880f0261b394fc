//! Acknowledgements: the person's own (after the quiz, when there is one), and briefings in a
//! meeting recorded by an officer with the minutes attached.

use super::{Campaign, get_unscoped, questions};
use crate::attachments::{self, NewFile};
use crate::audit::{self, Actor, Event};
use crate::directives::{self, Directive};
use crate::registers::Viewer;
use crate::scope::CampaignManage;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, WriteTx, now_ms};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// A document of a task with where the person stands on it.
#[derive(Debug, Clone, Serialize)]
pub struct DocStatus {
    pub directive: Directive,
    /// The version the person last acknowledged, if any.
    pub acknowledged: Option<i64>,
}

impl DocStatus {
    pub fn current(&self) -> bool {
        self.acknowledged == Some(self.directive.version)
    }
}

/// A campaign that asks the person to read and confirm.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub campaign: Campaign,
    pub documents: Vec<DocStatus>,
}

impl Task {
    pub fn done(&self) -> bool {
        self.documents.iter().all(DocStatus::current)
    }
}

struct Person {
    id: i64,
    unit_path: String,
    working: bool,
    flags: [bool; 3],
}

async fn person(db: &Db, id: i64) -> Result<Person> {
    let r = sqlx::query(
        "SELECT id, unit_path, status, party_member, self_defence, fire_force FROM people WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(Error::NotFound)?;
    Ok(Person {
        id: r.try_get("id")?,
        unit_path: r.try_get("unit_path")?,
        working: r.try_get::<String, _>("status")? == "working",
        flags: [
            r.try_get::<i64, _>("party_member")? != 0,
            r.try_get::<i64, _>("self_defence")? != 0,
            r.try_get::<i64, _>("fire_force")? != 0,
        ],
    })
}

fn in_audience(c: &Campaign, p: &Person) -> bool {
    use super::Group;
    let in_group = match c.group {
        Group::All => true,
        Group::PartyMember => p.flags[0],
        Group::SelfDefence => p.flags[1],
        Group::FireForce => p.flags[2],
    };
    p.working && in_group && c.covers(&p.unit_path)
}

/// The latest version acknowledged per (campaign, directive) of a person, for several
/// campaigns in one read.
async fn acked(db: &Db, campaign_ids: &[i64], person_id: i64) -> Result<Vec<(i64, i64, i64)>> {
    if campaign_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = SqlBuf::new(
        "SELECT campaign_id, directive_id, MAX(version) AS v FROM dissemination_acks WHERE person_id = ",
    );
    sql.arg_i64(person_id).push(" AND campaign_id IN (");
    for (i, id) in campaign_ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.arg_i64(*id);
    }
    sql.push(") GROUP BY campaign_id, directive_id");
    sql.query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("campaign_id")?,
                r.try_get("directive_id")?,
                r.try_get("v")?,
            ))
        })
        .collect()
}

/// The tasks of a person for several campaigns: their acknowledgements and the documents in
/// two reads for the whole list, not per campaign or per document.
async fn tasks(db: &Db, viewer: &Viewer, list: Vec<Campaign>, person_id: i64) -> Result<Vec<Task>> {
    let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
    let mut doc_ids: Vec<i64> = list
        .iter()
        .flat_map(|c| c.documents.iter().map(|d| d.directive_id))
        .collect();
    doc_ids.sort_unstable();
    doc_ids.dedup();
    let (acks, docs) = tokio::try_join!(
        acked(db, &ids, person_id),
        directives::get_many_for_campaigns(db, viewer, &doc_ids)
    )?;
    let mut out = Vec::with_capacity(list.len());
    for c in list {
        let mut documents = Vec::with_capacity(c.documents.len());
        for d in &c.documents {
            documents.push(DocStatus {
                directive: docs.get(&d.directive_id).cloned().ok_or(Error::NotFound)?,
                acknowledged: acks
                    .iter()
                    .find(|(cid, id, _)| *cid == c.id && *id == d.directive_id)
                    .map(|a| a.2),
            });
        }
        out.push(Task {
            campaign: c,
            documents,
        });
    }
    Ok(out)
}

/// The open campaigns whose audience holds the person, each with its documents (read as the
/// person's clearance allows).
pub async fn my_tasks(db: &Db, viewer: &Viewer, person_id: i64) -> Result<Vec<Task>> {
    let p = person(db, person_id).await?;
    if !p.working {
        return Ok(Vec::new());
    }
    let mut sql = SqlBuf::new(
        "SELECT DISTINCT c.id FROM dissemination_campaigns c JOIN dissemination_audience a ON a.campaign_id = c.id \
         JOIN units u ON u.id = a.unit_id WHERE c.status = 'open' AND u.path IN (",
    );
    for (i, a) in crate::commitments::ancestors_of(&p.unit_path)
        .iter()
        .enumerate()
    {
        if i > 0 {
            sql.push(", ");
        }
        sql.arg_text(a);
    }
    sql.push(") ORDER BY c.id DESC LIMIT 50");
    let ids = sql
        .query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<std::result::Result<Vec<i64>, _>>()?;
    let list: Vec<Campaign> = super::get_many_unscoped(db, &ids)
        .await?
        .into_iter()
        .filter(|c| in_audience(c, &p))
        .collect();
    tasks(db, viewer, list, p.id).await
}

/// One task of the person; not found when the campaign does not ask them.
pub async fn my_task(db: &Db, viewer: &Viewer, person_id: i64, campaign_id: i64) -> Result<Task> {
    let p = person(db, person_id).await?;
    let c = get_unscoped(db, campaign_id).await?;
    if !in_audience(&c, &p) {
        return Err(Error::NotFound);
    }
    Ok(tasks(db, viewer, vec![c], p.id).await?.remove(0))
}

async fn insert_acks(
    tx: &mut WriteTx,
    actor: &Actor,
    c: &Campaign,
    person_id: i64,
    method: &str,
    score: Option<i64>,
    minutes: Option<i64>,
) -> Result<usize> {
    let mut n = 0;
    for d in &c.documents {
        // The version is read inside the transaction: a new version saved meanwhile is the one
        // acknowledged only if the person was shown it (the page carries it; see `acknowledge`).
        let res = sqlx::query(
            "INSERT INTO dissemination_acks (campaign_id, person_id, directive_id, version, method, score, \
             acked_at, recorded_by, minutes_file_id) \
             SELECT $1, $2, d.id, d.version, $3, $4, $5, $6, $7 FROM directives d WHERE d.id = $8 \
             AND NOT EXISTS (SELECT 1 FROM dissemination_acks k WHERE k.campaign_id = $1 AND k.person_id = $2 \
             AND k.directive_id = d.id AND k.version = d.version)",
        )
        .bind(c.id)
        .bind(person_id)
        .bind(method)
        .bind(score)
        .bind(now_ms())
        .bind(actor.account_id)
        .bind(minutes)
        .bind(d.directive_id)
        .execute(&mut **tx)
        .await?;
        n += res.rows_affected() as usize;
    }
    Ok(n)
}

/// The person confirms they read the campaign's documents. `versions_seen` are the
/// (directive, version) pairs the page showed; a version changed since means they have not
/// read the current text, and nothing is recorded. Answers are (question id, option index);
/// a question of another campaign is refused, a score under the pass mark records nothing.
pub async fn acknowledge(
    db: &Db,
    actor: &Actor,
    person_id: i64,
    campaign_id: i64,
    versions_seen: &[(i64, i64)],
    answers: &[(i64, usize)],
    today: NaiveDate,
) -> Result<usize> {
    let p = person(db, person_id).await?;
    let c = get_unscoped(db, campaign_id).await?;
    if !in_audience(&c, &p) {
        return Err(Error::NotFound);
    }
    if !c.open {
        return Err(Error::Invalid("err.dis_closed"));
    }
    if today < c.opens_on {
        return Err(Error::Invalid("err.cmt_not_yet"));
    }
    for d in &c.documents {
        if !versions_seen.contains(&(d.directive_id, d.version)) {
            return Err(Error::Invalid("err.dis_version_changed"));
        }
    }
    let qs = questions(db, c.id).await?;
    for (qid, _) in answers {
        if !qs.iter().any(|q| q.id == *qid) {
            return Err(Error::Invalid("err.dis_quiz_foreign"));
        }
    }
    let score = if qs.is_empty() {
        None
    } else {
        let right = qs
            .iter()
            .filter(|q| answers.iter().any(|(id, a)| *id == q.id && *a == q.correct))
            .count();
        Some((right * 100 / qs.len()) as i64)
    };
    if let Some(s) = score
        && s < c.pass_mark
    {
        return Err(Error::Invalid("err.dis_quiz_failed"));
    }
    let mut tx = db.begin_write().await?;
    let n = insert_acks(&mut tx, actor, &c, p.id, "self", score, None).await?;
    crate::notices::done(&mut tx, p.id, &format!("/dissemination/{}/read", c.id)).await?;
    if n > 0 {
        audit::append(
            &mut tx,
            actor,
            Event {
                action: "dissemination.acknowledge",
                object_kind: "dissemination_campaign",
                object_id: c.id.to_string(),
                unit_path: Some(p.unit_path.clone()),
                details: json!({ "person": p.id, "documents": versions_seen, "score": score }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// Records that people of the scope were briefed in a meeting on `on_day`, with the minutes.
/// Every person must be in the audience; nothing is saved otherwise. Returns how many new
/// acknowledgements were written.
#[expect(
    clippy::too_many_arguments,
    reason = "the meeting, who attended and its minutes"
)]
pub async fn record_briefing(
    db: &Db,
    scope: &Scope<CampaignManage>,
    actor: &Actor,
    campaign_id: i64,
    person_ids: &[i64],
    on_day: NaiveDate,
    minutes: &NewFile,
    max_bytes: usize,
    today: NaiveDate,
) -> Result<usize> {
    let c = super::get(db, scope, campaign_id).await?;
    if !c.open {
        return Err(Error::Invalid("err.dis_closed"));
    }
    if on_day > today || on_day < c.opens_on {
        return Err(Error::Invalid("err.dis_briefing_date"));
    }
    if person_ids.is_empty() || person_ids.len() > 2000 {
        return Err(Error::Invalid("err.dis_briefing_people"));
    }
    attachments::check(minutes, max_bytes)?;
    let mut people = Vec::with_capacity(person_ids.len());
    for id in person_ids {
        let p = person(db, *id).await.map_err(|_| Error::NotFound)?;
        if !scope.contains_path(&p.unit_path) {
            return Err(Error::NotFound);
        }
        if !in_audience(&c, &p) {
            return Err(Error::Invalid("err.dis_briefing_people"));
        }
        people.push(p);
    }
    let mut tx = db.begin_write().await?;
    let file_id = attachments::insert(&mut tx, actor, &c.owner_path, minutes, max_bytes).await?;
    let mut n = 0;
    for p in &people {
        n += insert_acks(&mut tx, actor, &c, p.id, "meeting", None, Some(file_id)).await?;
    }
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "dissemination.briefing",
            object_kind: "dissemination_campaign",
            object_id: c.id.to_string(),
            unit_path: Some(c.owner_path.clone()),
            details: json!({ "people": person_ids, "day": on_day.to_string(), "minutes": file_id }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}
