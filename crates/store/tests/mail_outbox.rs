//! The e-mail outbox on SQLite, and on PostgreSQL with `ANTOAN_TEST_DATABASE_URL`: reminders
//! queue one message per recipient with an address in their own transaction, count those
//! without one, queue nothing when e-mail is off or the reminder is refused; claims never hand
//! the same message to two workers; failures are retried with backoff, then recorded.

mod fixtures;

use fixtures::*;
use sqlx::Row;
use store::commitments;
use store::notices::{self, Recipient};
use store::outbox::{self, Letter, Outcome};
use store::scope::CampaignManage;
use store::{Db, Error, Scope};

fn letter(r: &Recipient) -> Letter {
    Letter {
        subject: format!("Nhắc việc ({})", r.locale),
        body: format!("Kính gửi {}", r.name),
    }
}

async fn outbox_len(db: &Db) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM mail_outbox")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// Gives every second working person of the Office an address and takes it from the others.
async fn addresses(db: &Db, office: i64) -> usize {
    let ids = staff(db, office).await;
    for (i, id) in ids.iter().enumerate() {
        let email = (i % 2 == 0).then(|| format!("nguoi{id}@vptu.example.vn"));
        sqlx::query("UPDATE people SET email = $1 WHERE id = $2")
            .bind(email)
            .bind(*id)
            .execute(db.pool())
            .await
            .unwrap();
    }
    ids.len()
}

#[tokio::test]
async fn reminders_queue_mail_for_those_with_an_address() {
    let f = setup().await;
    let db = &f.t.db;
    addresses(db, f.office).await;
    let manage: Scope<CampaignManage> = org_scope(db, f.office).await;
    let c = commitments::create(db, &manage, &actor(), &campaign_input(f.office))
        .await
        .unwrap();

    // E-mail off: in-app only, nothing queued.
    let off = notices::remind_commitment(db, &manage, &actor(), c.id, "Đề nghị ký", None)
        .await
        .unwrap();
    assert!(!off.mail_on && !off.recipients.is_empty());
    assert_eq!((off.emails_queued, off.no_email), (0, 0));
    assert_eq!(outbox_len(db).await, 0);

    let on = notices::remind_commitment(db, &manage, &actor(), c.id, "Đề nghị ký", Some(&letter))
        .await
        .unwrap();
    let with_address = on.recipients.iter().filter(|r| r.email.is_some()).count();
    assert!(with_address > 0 && on.no_email > 0, "the demo mixes both");
    assert_eq!(on.emails_queued, with_address);
    assert_eq!(on.emails_queued + on.no_email, on.recipients.len());
    assert_eq!(outbox_len(db).await, with_address as i64);
    let queued = outbox::recent(db, 1000).await.unwrap();
    assert!(
        queued
            .iter()
            .all(|e| e.status == "queued" && e.attempts == 0)
    );
    assert!(
        queued
            .iter()
            .all(|e| e.link == format!("/commitments/{}/sign", c.id))
    );
    let someone = on.recipients.iter().find(|r| r.email.is_some()).unwrap();
    let theirs = queued
        .iter()
        .find(|e| e.account_id == Some(someone.account_id))
        .unwrap();
    assert_eq!(Some(&theirs.recipient), someone.email.as_ref());
    assert_eq!(theirs.body, format!("Kính gửi {}", someone.name));

    // The audit entry counts what was queued and skipped.
    let details: String = sqlx::query(
        "SELECT details FROM audit_log WHERE action = 'campaign.remind' ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap()
    .try_get("details")
    .unwrap();
    let details: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(details["emails_queued"].as_u64(), Some(with_address as u64));
    assert_eq!(details["no_email"].as_u64(), Some(on.no_email as u64));

    // A refused reminder (closed campaign) queues nothing.
    commitments::close(db, &manage, &actor(), c.id)
        .await
        .unwrap();
    assert!(matches!(
        notices::remind_commitment(db, &manage, &actor(), c.id, "x", Some(&letter)).await,
        Err(Error::Invalid("err.cmt_closed"))
    ));
    assert_eq!(outbox_len(db).await, with_address as i64);
}

#[tokio::test]
async fn two_workers_never_claim_the_same_message() {
    let f = setup().await;
    let db = &f.t.db;
    addresses(db, f.office).await;
    let manage: Scope<CampaignManage> = org_scope(db, f.office).await;
    let c = commitments::create(db, &manage, &actor(), &campaign_input(f.office))
        .await
        .unwrap();
    let on = notices::remind_commitment(db, &manage, &actor(), c.id, "x", Some(&letter))
        .await
        .unwrap();
    let now = store::now_ms() + 1;
    let (a, b) = tokio::join!(outbox::claim(db, now, 1000), outbox::claim(db, now, 1000));
    let mut ids: Vec<i64> = a.unwrap().iter().chain(&b.unwrap()).map(|m| m.id).collect();
    let claimed = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), claimed, "no message claimed twice");
    assert_eq!(claimed, on.emails_queued, "every due message claimed once");
    // Within the lease nobody claims them again.
    assert!(
        outbox::claim(db, now + 1000, 1000)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn failures_are_retried_with_backoff_then_recorded() {
    let f = setup().await;
    let db = &f.t.db;
    addresses(db, f.office).await;
    let manage: Scope<CampaignManage> = org_scope(db, f.office).await;
    let c = commitments::create(db, &manage, &actor(), &campaign_input(f.office))
        .await
        .unwrap();
    notices::remind_commitment(db, &manage, &actor(), c.id, "x", Some(&letter))
        .await
        .unwrap();
    let mut now = store::now_ms() + 1;
    let first = outbox::claim(db, now, 1).await.unwrap().remove(0);
    let id = first.id;
    let mut m = first;
    for attempt in 1..outbox::MAX_ATTEMPTS {
        assert_eq!(m.attempts, attempt);
        let out = outbox::failed(db, &m, "451 4.3.0 thử lại sau", false, now)
            .await
            .unwrap();
        let next_at = now + outbox::backoff_ms(attempt);
        assert_eq!(out, Outcome::Retry { next_at });
        // Not due before the backoff has passed.
        assert!(
            outbox::claim(db, next_at - 1, 1000)
                .await
                .unwrap()
                .iter()
                .all(|x| x.id != id)
        );
        now = next_at;
        m = outbox::claim(db, now, 1000)
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.id == id)
            .expect("due again after the backoff");
    }
    assert_eq!(
        outbox::failed(db, &m, "451 4.3.0 thử lại sau", false, now)
            .await
            .unwrap(),
        Outcome::Failed
    );
    let e = outbox::recent(db, 1000)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.id == id)
        .unwrap();
    assert_eq!(e.status, "failed");
    assert_eq!(e.attempts, outbox::MAX_ATTEMPTS);
    assert_eq!(e.last_error.as_deref(), Some("451 4.3.0 thử lại sau"));
    assert!(
        outbox::claim(db, now + 86_400_000, 1000)
            .await
            .unwrap()
            .iter()
            .all(|x| x.id != id),
        "a failed message is not sent again"
    );

    // A permanent refusal gives up at once; a delivery is recorded.
    // (A second reminder queues fresh messages.)
    notices::remind_commitment(db, &manage, &actor(), c.id, "x", Some(&letter))
        .await
        .unwrap();
    now = now.max(store::now_ms()) + 86_400_000 + outbox::LEASE_MS;
    let mut batch = outbox::claim(db, now, 2).await.unwrap();
    assert_eq!(batch.len(), 2, "{batch:?}");
    let (a, b) = (batch.remove(0), batch.remove(0));
    assert_eq!(
        outbox::failed(db, &a, "550 5.1.1 no such user", true, now)
            .await
            .unwrap(),
        Outcome::Failed
    );
    outbox::sent(db, b.id, now).await.unwrap();
    let all = outbox::recent(db, 1000).await.unwrap();
    let status = |id: i64| all.iter().find(|e| e.id == id).unwrap().status.clone();
    assert_eq!(
        (status(a.id), status(b.id)),
        ("failed".into(), "sent".into())
    );
}
