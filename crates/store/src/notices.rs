//! In-app notices: reminders of commitments to sign and documents to acknowledge, shown on the
//! home page of the person they are for until read.

use crate::audit::{self, Actor, Event};
use crate::outbox::{self, Letter, Queued};
use crate::scope::CampaignManage;
use crate::sql::SqlBuf;
use crate::{Db, Error, Result, Scope, now_ms};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub id: i64,
    pub kind: String,
    pub text: String,
    pub link: String,
    pub created_at: i64,
}

/// Unread notices of an account, newest first.
pub async fn unread(db: &Db, account_id: i64) -> Result<Vec<Notice>> {
    let rows = sqlx::query(
        "SELECT id, kind, text, link, created_at FROM notices WHERE account_id = $1 AND read_at IS NULL \
         ORDER BY id DESC LIMIT 20",
    )
    .bind(account_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Notice {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                text: r.try_get("text")?,
                link: r.try_get("link")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Marks one of the account's own notices read.
pub async fn mark_read(db: &Db, account_id: i64, id: i64) -> Result<()> {
    let res = sqlx::query(
        "UPDATE notices SET read_at = $1 WHERE id = $2 AND account_id = $3 AND read_at IS NULL",
    )
    .bind(now_ms())
    .bind(id)
    .bind(account_id)
    .execute(db.pool())
    .await?;
    if res.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// Marks read the reminders of `link` sent to the accounts of a person who has now acted
/// (signed, acknowledged), inside the caller's transaction.
pub(crate) async fn done(tx: &mut crate::WriteTx, person_id: i64, link: &str) -> Result<()> {
    sqlx::query(
        "UPDATE notices SET read_at = $1 WHERE read_at IS NULL AND link = $2 \
         AND account_id IN (SELECT id FROM accounts WHERE person_id = $3)",
    )
    .bind(now_ms())
    .bind(link)
    .bind(person_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// [`done`] on its own, outside any write transaction (after the act has committed).
pub(crate) async fn done_unlocked(db: &Db, person_id: i64, link: &str) -> Result<()> {
    sqlx::query(
        "UPDATE notices SET read_at = $1 WHERE read_at IS NULL AND link = $2 \
         AND account_id IN (SELECT id FROM accounts WHERE person_id = $3)",
    )
    .bind(now_ms())
    .bind(link)
    .bind(person_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A person who still has to act, with their e-mail address when known and the language of
/// their account.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub account_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub locale: String,
}

/// Renders the e-mail for one recipient, in their language. Given only when e-mail is
/// configured; without it nothing is queued.
pub type Compose<'a> = &'a (dyn Fn(&Recipient) -> Letter + Send + Sync);

/// What a reminder did.
#[derive(Debug, Clone, Default)]
pub struct Reminded {
    /// Everyone reminded in the application.
    pub recipients: Vec<Recipient>,
    /// Whether e-mail was on for this reminder.
    pub mail_on: bool,
    /// E-mails queued (one per recipient with an address).
    pub emails_queued: usize,
    /// Recipients skipped for e-mail because no address is known.
    pub no_email: usize,
}

/// Sends an in-app reminder of a commitment campaign to every account of the scope whose
/// person is in the audience and has not signed. Returns the recipients (for e-mail).
pub async fn remind_commitment(
    db: &Db,
    scope: &Scope<CampaignManage>,
    actor: &Actor,
    campaign_id: i64,
    text: &str,
    mail: Option<Compose<'_>>,
) -> Result<Reminded> {
    let c = crate::commitments::get(db, scope, campaign_id).await?;
    if c.status != crate::commitments::Status::Open {
        return Err(Error::Invalid("err.cmt_closed"));
    }
    let mut sql = SqlBuf::new(
        "SELECT a.id, a.locale, p.full_name, p.email FROM people p JOIN accounts a ON a.person_id = p.id \
         WHERE p.status = 'working' AND a.disabled = 0 AND p.unit_path >= ",
    );
    sql.arg_text(&c.owner_path)
        .push(" AND p.unit_path < ")
        .arg_text(&crate::scope::path_end(&c.owner_path))
        .push(" AND ");
    scope.push_filter(&mut sql, "p.unit_path", None);
    sql.push(" AND NOT EXISTS (SELECT 1 FROM commitment_signatures s WHERE s.person_id = p.id AND s.campaign_id = ")
        .arg_i64(c.id)
        .push(")");
    let link = format!("/commitments/{}/sign", c.id);
    send(
        db,
        actor,
        sql,
        "commitment",
        text,
        mail,
        &link,
        "commitment_campaign",
        c.id,
        &c.owner_path,
    )
    .await
}

/// Sends an in-app reminder of a dissemination campaign to every account of the scope whose
/// person is in the audience and has not acknowledged every current document.
pub async fn remind_dissemination(
    db: &Db,
    scope: &Scope<CampaignManage>,
    actor: &Actor,
    campaign_id: i64,
    text: &str,
    mail: Option<Compose<'_>>,
) -> Result<Reminded> {
    let c = crate::dissemination::get(db, scope, campaign_id).await?;
    if !c.open {
        return Err(Error::Invalid("err.dis_closed"));
    }
    let mut sql = SqlBuf::new(
        "SELECT a.id, a.locale, p.full_name, p.email FROM people p JOIN accounts a ON a.person_id = p.id \
         WHERE p.status = 'working' AND a.disabled = 0 AND ",
    );
    scope.push_filter(&mut sql, "p.unit_path", None);
    sql.push(" AND ");
    c.push_audience(&mut sql);
    sql.push(
        " AND (SELECT COUNT(*) FROM dissemination_acks k JOIN directives d ON d.id = k.directive_id \
         AND d.version = k.version WHERE k.person_id = p.id AND k.campaign_id = ",
    )
    .arg_i64(c.id)
    .push(") < ")
    .arg_i64(c.documents.len() as i64);
    let link = format!("/dissemination/{}/read", c.id);
    send(
        db,
        actor,
        sql,
        "dissemination",
        text,
        mail,
        &link,
        "dissemination_campaign",
        c.id,
        &c.owner_path,
    )
    .await
}

#[expect(
    clippy::too_many_arguments,
    reason = "one private helper shared by the two reminders"
)]
async fn send(
    db: &Db,
    actor: &Actor,
    sql: SqlBuf,
    kind: &str,
    text: &str,
    mail: Option<Compose<'_>>,
    link: &str,
    object_kind: &str,
    id: i64,
    path: &str,
) -> Result<Reminded> {
    let rows = sql.query().fetch_all(db.pool()).await?;
    let recipients: Vec<Recipient> = rows
        .iter()
        .map(|r| {
            Ok(Recipient {
                account_id: r.try_get("id")?,
                name: r.try_get("full_name")?,
                email: r
                    .try_get::<Option<String>, _>("email")?
                    .map(|e| e.trim().to_owned())
                    .filter(|e| e.contains('@')),
                locale: r.try_get("locale")?,
            })
        })
        .collect::<Result<_>>()?;
    // Letters are rendered before the write lock is taken; only the inserts happen inside.
    let letters: Vec<Queued<'_>> = match mail {
        Some(compose) => recipients
            .iter()
            .filter_map(|r| {
                r.email.as_deref().map(|to| Queued {
                    account_id: r.account_id,
                    recipient: to,
                    letter: compose(r),
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let no_email = if mail.is_some() {
        recipients.len() - letters.len()
    } else {
        0
    };
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    for chunk in recipients.chunks(200) {
        let mut ins =
            SqlBuf::new("INSERT INTO notices (account_id, kind, text, link, created_at) VALUES ");
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                ins.push(", ");
            }
            ins.push("(")
                .arg_i64(r.account_id)
                .push(", ")
                .arg_text(kind)
                .push(", ")
                .arg_text(text)
                .push(", ")
                .arg_text(link)
                .push(", ")
                .arg_i64(now)
                .push(")");
        }
        ins.query().execute(&mut *tx).await?;
    }
    outbox::enqueue(&mut tx, kind, link, now, &letters).await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "campaign.remind",
            object_kind,
            object_id: id.to_string(),
            unit_path: Some(path.to_owned()),
            details: json!({ "recipients": recipients.len(), "mail": mail.is_some(),
                "emails_queued": letters.len(), "no_email": no_email }),
        },
    )
    .await?;
    tx.commit().await?;
    let emails_queued = letters.len();
    drop(letters);
    Ok(Reminded {
        recipients,
        mail_on: mail.is_some(),
        emails_queued,
        no_email,
    })
}
