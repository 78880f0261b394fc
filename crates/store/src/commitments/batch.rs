//! Group commit for online signatures.
//!
//! Every signature is an entry of the audit hash chain, so signatures are written one after
//! another under the chain's lock, and each transaction waits for its commit to reach the disk
//! before the lock passes on. On a disk where a synchronous write takes 2–3 ms, that alone
//! caps signing near 400 a second whatever the server does. On the morning a campaign opens,
//! a province's staff sign at once; so signatures waiting for the lock are written together:
//! one writer takes everything queued (up to [`MAX_BATCH`]), chains the entries one after
//! another in one transaction and answers each signer only after the commit. Each signature
//! keeps its own audit entry and receipt; only the wait for the disk is shared.
//!
//! A batch that fails as a whole (a database error, a signature that slipped past the check
//! under the lock) is retried one signature at a time, each with its own transaction, so one
//! bad signature never fails its neighbours. The per-signature path is idempotent (the unique
//! constraint on campaign and person), so a retry after an uncertain commit cannot double a
//! signature.

use super::receipt::Receipt;
use super::sign::{Signer, sign_alone};
use super::{Campaign, Signed};
use crate::audit::{Actor, Head};
use crate::sql::SqlBuf;
use crate::{Db, Error, Result};
use sqlx::Row;
use std::collections::HashSet;
use tokio::sync::{mpsc, oneshot};

/// The most signatures one transaction writes: enough to amortise the commit, few enough
/// that the lock is never held long for other writers.
pub(crate) const MAX_BATCH: usize = 64;

pub(crate) struct Job {
    pub(crate) campaign: Campaign,
    pub(crate) person: Signer,
    pub(crate) actor: Actor,
    reply: oneshot::Sender<Outcome>,
}

enum Outcome {
    Written(Receipt),
    /// Already signed (earlier, or by the same person's other device in this batch).
    Already,
    Failed(Error),
}

/// The sending end kept in the [`Db`]; the writer task ends when every handle is dropped.
pub(crate) type Queue = std::sync::OnceLock<mpsc::UnboundedSender<Job>>;

/// Signs through the shared writer. Without a running writer (the runtime that started it has
/// gone) the signature is written on its own.
pub(super) async fn submit(
    db: &Db,
    campaign: &Campaign,
    person: Signer,
    actor: &Actor,
) -> Result<Signed> {
    let person_id = person.id;
    let (reply, answer) = oneshot::channel();
    let job = Job {
        campaign: campaign.clone(),
        person,
        actor: actor.clone(),
        reply,
    };
    let signed = match db.signing_queue(start).send(job) {
        Err(mpsc::error::SendError(job)) => {
            sign_alone(db, &job.actor, &job.campaign, &job.person).await?
        }
        Ok(()) => match answer.await {
            Ok(Outcome::Written(receipt)) => Signed {
                receipt,
                already: false,
            },
            Ok(Outcome::Already) => Signed {
                receipt: super::receipt_of(db, campaign.id, person_id)
                    .await?
                    .ok_or(Error::Conflict("err.cmt_already"))?,
                already: true,
            },
            Ok(Outcome::Failed(e)) => return Err(e),
            // The writer went away holding the job, written or not: the per-signature path
            // finds out which, and writes it if it was not.
            Err(_) => {
                let person = super::sign::signer_unlocked(db, person_id).await?;
                sign_alone(db, actor, campaign, &person).await?
            }
        },
    };
    // Reminders are cleared after the commit, once, whichever path wrote the signature.
    if !signed.already {
        super::sign::clear_reminders(db, person_id, campaign.id).await?;
    }
    Ok(signed)
}

fn start(db: Db) -> mpsc::UnboundedSender<Job> {
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(run(db, rx));
    tx
}

async fn run(db: Db, mut rx: mpsc::UnboundedReceiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        write_batch(&db, jobs).await;
    }
}

async fn write_batch(db: &Db, jobs: Vec<Job>) {
    // The same person twice in one batch (two devices): the first writes, the rest are told
    // it is already signed.
    let mut seen = HashSet::new();
    let (mut first, mut repeats) = (Vec::new(), Vec::new());
    for j in jobs {
        if seen.insert((j.campaign.id, j.person.id)) {
            first.push(j);
        } else {
            repeats.push(j);
        }
    }
    match write_together(db, &first).await {
        Ok(outcomes) => {
            for (j, o) in first.into_iter().zip(outcomes) {
                let _ = j.reply.send(o);
            }
        }
        Err(_) => {
            for j in first {
                let o = match sign_alone(db, &j.actor, &j.campaign, &j.person).await {
                    Ok(s) if s.already => Outcome::Already,
                    Ok(s) => Outcome::Written(s.receipt),
                    Err(e) => Outcome::Failed(e),
                };
                let _ = j.reply.send(o);
            }
        }
    }
    for j in repeats {
        let _ = j.reply.send(Outcome::Already);
    }
}

/// Writes every job in one transaction; signatures found already stored under the lock are
/// skipped. Any error leaves nothing written.
async fn write_together(db: &Db, jobs: &[Job]) -> Result<Vec<Outcome>> {
    let (mut tx, mut head) = db.begin_write_at_head().await?;
    let stored = stored(&mut tx, jobs).await?;
    let mut out = Vec::with_capacity(jobs.len());
    for j in jobs {
        if stored.contains(&(j.campaign.id, j.person.id)) {
            out.push(Outcome::Already);
            continue;
        }
        let receipt = super::sign::write_online(&mut tx, db.backend(), &head, j).await?;
        head = Head {
            seq: receipt.audit_seq,
            hash: receipt.audit_hash.clone(),
        };
        out.push(Outcome::Written(receipt));
    }
    tx.commit().await?;
    Ok(out)
}

/// Which of the jobs' (campaign, person) pairs already have a signature, read under the lock.
async fn stored(tx: &mut crate::WriteTx, jobs: &[Job]) -> Result<HashSet<(i64, i64)>> {
    let mut sql = SqlBuf::new("SELECT campaign_id, person_id FROM commitment_signatures WHERE ");
    let mut campaigns: Vec<i64> = jobs.iter().map(|j| j.campaign.id).collect();
    campaigns.sort_unstable();
    campaigns.dedup();
    for (i, c) in campaigns.iter().enumerate() {
        if i > 0 {
            sql.push(" OR ");
        }
        sql.push("(campaign_id = ")
            .arg_i64(*c)
            .push(" AND person_id IN (");
        for (k, j) in jobs.iter().filter(|j| j.campaign.id == *c).enumerate() {
            if k > 0 {
                sql.push(", ");
            }
            sql.arg_i64(j.person.id);
        }
        sql.push("))");
    }
    sql.query()
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("campaign_id")?, r.try_get("person_id")?)))
        .collect()
}
