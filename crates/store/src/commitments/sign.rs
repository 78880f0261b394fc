//! Signing: by the person themselves (the web layer has already checked their password or
//! second-factor code), or recorded by an officer from a signed paper copy with its scan.

use super::receipt::Receipt;
use super::{Campaign, Status, get_unscoped};
use crate::attachments::{self, NewFile};
use crate::audit::{self, Actor, Event};
use crate::error::conflict_on_unique;
use crate::scope::CampaignManage;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, WriteTx, now_ms};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignMethod {
    /// Read and confirmed in the application.
    Online,
    /// A signed paper copy, recorded by an officer with its scan.
    Paper,
}

impl SignMethod {
    pub fn code(self) -> &'static str {
        match self {
            SignMethod::Online => "online",
            SignMethod::Paper => "paper",
        }
    }
}

/// The outcome of a signature: its receipt, and whether it had already been given (a second
/// device, a repeated click) so nothing new was written.
#[derive(Debug, Clone, Serialize)]
pub struct Signed {
    pub receipt: Receipt,
    pub already: bool,
}

pub(crate) struct Signer {
    pub(crate) id: i64,
    name: String,
    unit_id: i64,
    unit_path: String,
    working: bool,
}

async fn signer(tx: &mut WriteTx, person_id: i64) -> Result<Signer> {
    let r =
        sqlx::query("SELECT id, full_name, unit_id, unit_path, status FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(Error::NotFound)?;
    Ok(Signer {
        id: r.try_get("id")?,
        name: r.try_get("full_name")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        working: r.try_get::<String, _>("status")? == "working",
    })
}

pub(crate) const RECEIPT_SQL: &str = "SELECT s.campaign_id, c.title, s.person_id, p.full_name, s.method, \
    s.signed_at, s.text_hash, s.audit_seq, s.audit_hash FROM commitment_signatures s \
    JOIN commitment_campaigns c ON c.id = s.campaign_id JOIN people p ON p.id = s.person_id";

pub(crate) fn receipt_row(r: &sqlx::any::AnyRow) -> Result<Receipt> {
    Ok(Receipt {
        v: 1,
        campaign_id: r.try_get("campaign_id")?,
        campaign_title: r.try_get("title")?,
        person_id: r.try_get("person_id")?,
        person_name: r.try_get("full_name")?,
        method: r.try_get("method")?,
        signed_at: r.try_get("signed_at")?,
        text_hash: r.try_get("text_hash")?,
        audit_seq: r.try_get("audit_seq")?,
        audit_hash: r.try_get("audit_hash")?,
    })
}

async fn existing(tx: &mut WriteTx, campaign_id: i64, person_id: i64) -> Result<Option<Receipt>> {
    let sql = format!("{RECEIPT_SQL} WHERE s.campaign_id = $1 AND s.person_id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(campaign_id)
        .bind(person_id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(receipt_row).transpose()
}

/// The receipt of a person's signature, if they signed.
pub async fn receipt_of(db: &Db, campaign_id: i64, person_id: i64) -> Result<Option<Receipt>> {
    let sql = format!("{RECEIPT_SQL} WHERE s.campaign_id = $1 AND s.person_id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(campaign_id)
        .bind(person_id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(receipt_row).transpose()
}

struct Write<'a> {
    campaign: &'a Campaign,
    person: &'a Signer,
    method: SignMethod,
    scan_file_id: Option<i64>,
    paper_date: Option<NaiveDate>,
}

const SIGNATURE_COLS: &str = "commitment_signatures (campaign_id, person_id, unit_id, method, text_hash, \
    signed_at, audit_seq, audit_hash, recorded_by, scan_file_id)";

/// Writes the audit entry and the signature after `head`, inside the caller's locked
/// transaction. Everything is computed before: the entry's hash is the only thing that needs
/// the head. On PostgreSQL the entry, the head and the signature go in one statement (one
/// round trip inside the lock); SQLite runs in-process, so three plain statements cost the same.
async fn write(
    tx: &mut WriteTx,
    backend: crate::Backend,
    head: &audit::Head,
    actor: &Actor,
    w: Write<'_>,
) -> Result<Receipt> {
    let signed_at = now_ms();
    let e = audit::next_entry(
        head,
        actor,
        Event {
            action: "commitment.sign",
            object_kind: "commitment_campaign",
            object_id: w.campaign.id.to_string(),
            unit_path: Some(w.person.unit_path.clone()),
            details: json!({
                "campaign": w.campaign.id, "person": w.person.id, "text_hash": w.campaign.body_hash,
                "signed_at": signed_at, "method": w.method.code(),
                "paper_date": w.paper_date.map(|d| d.to_string()),
            }),
        },
    );
    match backend {
        crate::Backend::Postgres => {
            let sql = format!(
                "WITH e AS ({}), h AS (UPDATE audit_head SET seq = $1, hash = $12 WHERE id = 1) \
                 INSERT INTO {SIGNATURE_COLS} VALUES ($13,$14,$15,$16,$17,$18,$19,$20,$21,$22)",
                audit::ENTRY_INSERT
            );
            let q = audit::bind_entry(sqlx::query(sqlx::AssertSqlSafe(sql)), &e);
            bind_signature_into(q, &w, signed_at, &e, actor)
                .execute(&mut **tx)
                .await
                .map_err(|err| conflict_on_unique(err, "err.cmt_already"))?;
        }
        crate::Backend::Sqlite => {
            audit::bind_entry(sqlx::query(audit::ENTRY_INSERT), &e)
                .execute(&mut **tx)
                .await?;
            sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(e.seq)
                .bind(&e.hash)
                .execute(&mut **tx)
                .await?;
            let sql =
                format!("INSERT INTO {SIGNATURE_COLS} VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)");
            bind_signature_into(
                sqlx::query(sqlx::AssertSqlSafe(sql)),
                &w,
                signed_at,
                &e,
                actor,
            )
            .execute(&mut **tx)
            .await
            .map_err(|err| conflict_on_unique(err, "err.cmt_already"))?;
        }
    }
    Ok(Receipt {
        v: 1,
        campaign_id: w.campaign.id,
        campaign_title: w.campaign.title.clone(),
        person_id: w.person.id,
        person_name: w.person.name.clone(),
        method: w.method.code().to_owned(),
        signed_at,
        text_hash: w.campaign.body_hash.clone(),
        audit_seq: e.seq,
        audit_hash: e.hash,
    })
}

fn bind_signature_into<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    w: &Write<'_>,
    signed_at: i64,
    e: &audit::Entry,
    actor: &Actor,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(w.campaign.id)
        .bind(w.person.id)
        .bind(w.person.unit_id)
        .bind(w.method.code())
        .bind(w.campaign.body_hash.clone())
        .bind(signed_at)
        .bind(e.seq)
        .bind(e.hash.clone())
        .bind(actor.account_id)
        .bind(w.scan_file_id)
}

/// Marks read the person's reminders of the campaign. Run after the signature committed,
/// outside the write lock: a reminder left unread by a failure here is harmless.
pub(super) async fn clear_reminders(db: &Db, person_id: i64, campaign_id: i64) -> Result<()> {
    crate::notices::done_unlocked(db, person_id, &format!("/commitments/{campaign_id}/sign")).await
}

fn in_audience(c: &Campaign, p: &Signer) -> bool {
    p.working && p.unit_path.starts_with(&c.owner_path)
}

fn open_for_signing(c: &Campaign, today: NaiveDate) -> Result<()> {
    if c.status == Status::Closed {
        return Err(Error::Invalid("err.cmt_closed"));
    }
    if today < c.opens_on {
        return Err(Error::Invalid("err.cmt_not_yet"));
    }
    Ok(())
}

/// Whether the campaign asks the person now: their receipt when they signed, `None` when they
/// may sign; not found outside the audience; an error naming why when it cannot be signed
/// (closed, not yet open). Lets a caller refuse before asking for a password.
pub async fn precheck(
    db: &Db,
    person_id: i64,
    campaign_id: i64,
    today: NaiveDate,
) -> Result<Option<Receipt>> {
    let campaign = get_unscoped(db, campaign_id).await?;
    if let Some(r) = receipt_of(db, campaign_id, person_id).await? {
        return Ok(Some(r));
    }
    let row = sqlx::query("SELECT unit_path, status FROM people WHERE id = $1")
        .bind(person_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    let path: String = row.try_get("unit_path")?;
    if row.try_get::<String, _>("status")? != "working" || !path.starts_with(&campaign.owner_path) {
        return Err(Error::NotFound);
    }
    open_for_signing(&campaign, today)?;
    Ok(None)
}

/// The person's own signature. `seen_hash` is the hash of the text the signer was shown; a
/// different one means they read something else, and nothing is signed. Signing again returns
/// the first receipt.
///
/// Everything that can be checked is checked before the write lock is taken, so the locked
/// part is only the audit entry and the signature. Two devices signing at once both pass the
/// checks; the second insert then meets the unique constraint, its transaction (audit entry
/// included) is rolled back, and it answers with the first one's receipt.
pub async fn sign(
    db: &Db,
    actor: &Actor,
    person_id: i64,
    campaign_id: i64,
    seen_hash: &str,
    today: NaiveDate,
) -> Result<Signed> {
    let campaign = get_unscoped(db, campaign_id).await?;
    let person = signer_unlocked(db, person_id).await?;
    if !in_audience(&campaign, &person) {
        return Err(Error::NotFound);
    }
    if let Some(receipt) = receipt_of(db, campaign.id, person.id).await? {
        return Ok(Signed {
            receipt,
            already: true,
        });
    }
    open_for_signing(&campaign, today)?;
    if seen_hash.trim() != campaign.body_hash {
        return Err(Error::Invalid("err.cmt_text_changed"));
    }
    super::batch::submit(db, &campaign, person, actor).await
}

/// Writes one online signature in a transaction of its own (the batch writer's fallback). The
/// caller clears the person's reminders once the signature is written.
pub(super) async fn sign_alone(
    db: &Db,
    actor: &Actor,
    campaign: &Campaign,
    person: &Signer,
) -> Result<Signed> {
    let (mut tx, head) = db.begin_write_at_head().await?;
    let written = write(
        &mut tx,
        db.backend(),
        &head,
        actor,
        online(campaign, person),
    )
    .await;
    match written {
        Ok(receipt) => {
            tx.commit().await?;
            Ok(Signed {
                receipt,
                already: false,
            })
        }
        Err(Error::Conflict("err.cmt_already")) => {
            tx.rollback().await?;
            let receipt = receipt_of(db, campaign.id, person.id)
                .await?
                .ok_or(Error::Conflict("err.cmt_already"))?;
            Ok(Signed {
                receipt,
                already: true,
            })
        }
        Err(e) => Err(e),
    }
}

fn online<'a>(campaign: &'a Campaign, person: &'a Signer) -> Write<'a> {
    Write {
        campaign,
        person,
        method: SignMethod::Online,
        scan_file_id: None,
        paper_date: None,
    }
}

/// One online signature of a batch, after `head`, in the batch's transaction.
pub(super) async fn write_online(
    tx: &mut WriteTx,
    backend: crate::Backend,
    head: &audit::Head,
    job: &super::batch::Job,
) -> Result<Receipt> {
    write(
        tx,
        backend,
        head,
        &job.actor,
        online(&job.campaign, &job.person),
    )
    .await
}

pub(super) async fn signer_unlocked(db: &Db, person_id: i64) -> Result<Signer> {
    let r =
        sqlx::query("SELECT id, full_name, unit_id, unit_path, status FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_optional(db.pool())
            .await?
            .ok_or(Error::NotFound)?;
    Ok(Signer {
        id: r.try_get("id")?,
        name: r.try_get("full_name")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        working: r.try_get::<String, _>("status")? == "working",
    })
}

/// Records a signed paper copy for a person of the scope, with the scan kept as proof.
#[expect(
    clippy::too_many_arguments,
    reason = "the paper copy, its scan and its date, checked together"
)]
pub async fn record_paper(
    db: &Db,
    scope: &Scope<CampaignManage>,
    actor: &Actor,
    campaign_id: i64,
    person_id: i64,
    paper_date: NaiveDate,
    scan: &NewFile,
    max_bytes: usize,
    today: NaiveDate,
) -> Result<Signed> {
    let campaign = super::get(db, scope, campaign_id).await?;
    attachments::check(scan, max_bytes)?;
    if paper_date > today || paper_date < campaign.opens_on {
        return Err(Error::Invalid("err.cmt_paper_date"));
    }
    let mut tx = db.begin_write().await?;
    let person = signer(&mut tx, person_id).await?;
    if !scope.contains_path(&person.unit_path) {
        return Err(Error::NotFound);
    }
    if !in_audience(&campaign, &person) {
        return Err(Error::Invalid("err.cmt_not_audience"));
    }
    if existing(&mut tx, campaign.id, person.id).await?.is_some() {
        return Err(Error::Conflict("err.cmt_already"));
    }
    open_for_signing(&campaign, today)?;
    let file_id = attachments::insert(&mut tx, actor, &person.unit_path, scan, max_bytes).await?;
    // Read after the scan's insert, which may have appended to the chain itself.
    let head = audit::head_locked(&mut tx).await?;
    let receipt = write(
        &mut tx,
        db.backend(),
        &head,
        actor,
        Write {
            campaign: &campaign,
            person: &person,
            method: SignMethod::Paper,
            scan_file_id: Some(file_id),
            paper_date: Some(paper_date),
        },
    )
    .await?;
    tx.commit().await?;
    clear_reminders(db, person.id, campaign.id).await?;
    Ok(Signed {
        receipt,
        already: false,
    })
}

/// Every path from the root down to `path` itself: the owners whose campaigns reach it.
pub(crate) fn ancestors(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prefix = String::from("/");
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        prefix.push_str(seg);
        prefix.push('/');
        out.push(prefix.clone());
    }
    out
}

/// How many open campaigns ask this person for a signature not yet given (the home page's
/// line): the same campaigns as the unsigned ones of [`my_campaigns`], counted in one
/// statement. Paths end with `/`, so an owner path that prefixes the person's unit path is
/// exactly an ancestor of it (or the unit itself).
pub async fn unsigned_count(db: &Db, person_id: i64) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM commitment_campaigns c JOIN people p ON p.id = $1 \
         WHERE p.status = 'working' AND c.status = 'open' \
         AND substr(p.unit_path, 1, length(c.owner_path)) = c.owner_path \
         AND NOT EXISTS (SELECT 1 FROM commitment_signatures s \
                         WHERE s.campaign_id = c.id AND s.person_id = p.id)",
    )
    .bind(person_id)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get("n")?)
}

/// The campaigns that ask this person to sign (open ones) or that they signed, newest first,
/// each with the person's receipt if they signed.
pub async fn my_campaigns(db: &Db, person_id: i64) -> Result<Vec<(Campaign, Option<Receipt>)>> {
    let row = sqlx::query("SELECT unit_path, status FROM people WHERE id = $1")
        .bind(person_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    let path: String = row.try_get("unit_path")?;
    let working = row.try_get::<String, _>("status")? == "working";
    let mut sql = SqlBuf::new(&format!(
        "SELECT {}, s.signed_at, s.method, s.text_hash, s.audit_seq, s.audit_hash, p.full_name \
         FROM commitment_campaigns c JOIN units u ON u.id = c.owner_unit_id \
         LEFT JOIN commitment_signatures s ON s.campaign_id = c.id AND s.person_id = ",
        super::COLS
    ));
    sql.arg_i64(person_id)
        .push(" LEFT JOIN people p ON p.id = s.person_id WHERE (s.id IS NOT NULL");
    if working {
        sql.push(" OR (c.status = 'open' AND c.owner_path IN (");
        for (i, p) in ancestors(&path).iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.arg_text(p);
        }
        sql.push("))");
    }
    sql.push(") ORDER BY c.year DESC, c.id DESC LIMIT 100");
    let rows = sql.query().fetch_all(db.pool()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let c = super::from_row(r)?;
        let signed_at: Option<i64> = r.try_get("signed_at")?;
        let receipt = match signed_at {
            Some(at) => Some(Receipt {
                v: 1,
                campaign_id: c.id,
                campaign_title: c.title.clone(),
                person_id,
                person_name: r.try_get("full_name")?,
                method: r.try_get("method")?,
                signed_at: at,
                text_hash: r.try_get("text_hash")?,
                audit_seq: r.try_get("audit_seq")?,
                audit_hash: r.try_get("audit_hash")?,
            }),
            None => None,
        };
        out.push((c, receipt));
    }
    Ok(out)
}

/// Position and unit name of a signer, for their printed copy (the signature was already read
/// within reach).
pub async fn signer_details(db: &Db, person_id: i64) -> Result<(String, String)> {
    let r = sqlx::query(
        "SELECT p.position, u.name FROM people p JOIN units u ON u.id = p.unit_id WHERE p.id = $1",
    )
    .bind(person_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(Error::NotFound)?;
    Ok((r.try_get("position")?, r.try_get("name")?))
}
