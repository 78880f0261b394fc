//! Signing and acknowledging on SQLite, and on PostgreSQL with `ANTOAN_TEST_DATABASE_URL`:
//! one signature under concurrent signing; receipts that verify and tampered ones that do not;
//! refused input that changes nothing; acknowledgement again after a new version, the quiz;
//! reminders; the signing benchmark (ignored, run by bench/commitments/run.sh).

mod fixtures;

use fixtures::*;
use sqlx::Row;
use store::commitments::{self, CampaignInput};
use store::dissemination::{self, Group, QuestionInput};
use store::people;
use store::registers::Viewer;
use store::scope::{CampaignManage, CampaignView, PersonManage};
use store::testdb::TestDb;
use store::{Error, Scope, units};

#[tokio::test]
async fn signing_from_two_devices_at_once_counts_once() {
    let f = setup().await;
    let db = f.t.db.clone();
    let c = commitments::create(&db, &admin(&db).await, &actor(), &campaign_input(f.office))
        .await
        .unwrap();
    let people_ids = staff(&db, f.office).await;
    for p in &people_ids[..5] {
        let (x, y) = (actor(), actor());
        let (a, b) = tokio::join!(
            commitments::sign(&db, &x, *p, c.id, &c.body_hash, today()),
            commitments::sign(&db, &y, *p, c.id, &c.body_hash, today()),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.receipt, b.receipt, "both devices get the same receipt");
        assert!(a.already != b.already, "exactly one wrote the signature");
    }
    let n = scalar(
        &db,
        "SELECT COUNT(*) FROM commitment_signatures WHERE campaign_id = $1",
        c.id,
    )
    .await;
    assert_eq!(n, 5);
    assert_eq!(check_against_count(&db, &c).await.1, 5);
    let entries = scalar(
        &db,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'commitment.sign' AND object_id = CAST($1 AS TEXT)",
        c.id,
    )
    .await;
    assert_eq!(entries, 5, "one audit entry per signature");
}

/// Signatures arriving together are written together (one transaction for those waiting on
/// the chain's lock): each still gets its own audit entry and a receipt that verifies, the
/// chain stays whole, and a second device in the same batch writes nothing.
#[tokio::test]
async fn signatures_written_together_each_keep_their_entry_and_receipt() {
    let f = setup().await;
    let db = f.t.db.clone();
    let c = commitments::create(&db, &admin(&db).await, &actor(), &campaign_input(f.office))
        .await
        .unwrap();
    let mut people_ids = staff(&db, f.office).await;
    people_ids.truncate(40);
    let mut tasks = Vec::new();
    for p in people_ids.iter().chain(people_ids.iter()) {
        let (db, p, id, hash) = (db.clone(), *p, c.id, c.body_hash.clone());
        tasks.push(tokio::spawn(async move {
            commitments::sign(&db, &actor(), p, id, &hash, today()).await
        }));
    }
    let mut written = 0;
    let mut receipts = std::collections::HashMap::new();
    for t in tasks {
        let s = t.await.unwrap().unwrap();
        if !s.already {
            written += 1;
        }
        let r = receipts
            .entry(s.receipt.person_id)
            .or_insert(s.receipt.clone());
        assert_eq!(*r, s.receipt, "both devices get the same receipt");
    }
    assert_eq!(written, people_ids.len(), "each person written once");
    let mut seqs: Vec<i64> = receipts.values().map(|r| r.audit_seq).collect();
    seqs.sort_unstable();
    seqs.dedup();
    assert_eq!(seqs.len(), people_ids.len(), "one audit entry each");
    for r in receipts.values() {
        let r = commitments::Receipt::decode(&r.encode()).unwrap();
        assert!(commitments::verify(&db, &r).await.unwrap().is_ok());
    }
    assert_eq!(
        store::audit::verify(&db).await.unwrap().first_break,
        None,
        "the chain is whole"
    );
    assert_eq!(
        check_against_count(&db, &c).await.1,
        people_ids.len() as i64
    );
}

#[tokio::test]
async fn receipts_verify_and_tampering_is_named() {
    let f = setup().await;
    let db = &f.t.db;
    let c = commitments::create(db, &admin(db).await, &actor(), &campaign_input(f.office))
        .await
        .unwrap();
    let p = staff(db, f.office).await[0];
    let signed = sign(db, &c, p).await;
    let r = commitments::Receipt::decode(&signed.receipt.encode()).unwrap();
    let ok = commitments::verify(db, &r).await.unwrap().unwrap();
    assert_eq!(ok.audit_seq, r.audit_seq);

    let mut forged = r.clone();
    forged.text_hash = "0".repeat(64);
    let why = commitments::verify(db, &forged).await.unwrap().unwrap_err();
    assert!(why.contains("does not describe"), "{why}");

    let mut other = r.clone();
    other.person_id += 1;
    assert!(commitments::verify(db, &other).await.unwrap().is_err());

    let mut unknown = r.clone();
    unknown.audit_seq = 9_999_999;
    let why = commitments::verify(db, &unknown)
        .await
        .unwrap()
        .unwrap_err();
    assert!(why.contains("unknown receipt"), "{why}");

    // Someone edits the audit entry behind the receipt.
    sqlx::query(
        "UPDATE audit_log SET details = REPLACE(details, 'online', 'paper') WHERE seq = $1",
    )
    .bind(r.audit_seq)
    .execute(db.pool())
    .await
    .unwrap();
    let why = commitments::verify(db, &r).await.unwrap().unwrap_err();
    assert!(why.contains("was changed"), "{why}");
}

#[tokio::test]
async fn refused_signatures_change_nothing() {
    let f = setup().await;
    let db = &f.t.db;
    let c = commitments::create(db, &admin(db).await, &actor(), &campaign_input(f.office))
        .await
        .unwrap();
    let office_people = staff(db, f.office).await;
    let stc_people = staff(db, f.stc).await;
    let head = store::audit::head(db).await.unwrap();
    // Someone outside the audience: not found.
    assert!(matches!(
        commitments::sign(db, &actor(), stc_people[0], c.id, &c.body_hash, today()).await,
        Err(Error::NotFound)
    ));
    // A text other than the one shown.
    assert!(matches!(
        commitments::sign(db, &actor(), office_people[0], c.id, "abc", today()).await,
        Err(Error::Invalid("err.cmt_text_changed"))
    ));
    // Before it opens.
    assert!(matches!(
        commitments::sign(
            db,
            &actor(),
            office_people[0],
            c.id,
            &c.body_hash,
            d(2026, 1, 1)
        )
        .await,
        Err(Error::Invalid("err.cmt_not_yet"))
    ));
    // Closed.
    commitments::close(db, &admin(db).await, &actor(), c.id)
        .await
        .unwrap();
    let head_after_close = store::audit::head(db).await.unwrap();
    assert_eq!(head_after_close.0, head.0 + 1);
    assert!(matches!(
        commitments::sign(db, &actor(), office_people[0], c.id, &c.body_hash, today()).await,
        Err(Error::Invalid("err.cmt_closed"))
    ));
    assert_eq!(store::audit::head(db).await.unwrap(), head_after_close);
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM commitment_signatures WHERE campaign_id = $1",
            c.id
        )
        .await,
        0
    );
    // A paper copy whose scan is not a PDF or image.
    let reopened = commitments::create(db, &admin(db).await, &actor(), &campaign_input(f.office))
        .await
        .unwrap();
    let bad = store::attachments::NewFile {
        name: "scan.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: b"MZ not a pdf".to_vec(),
    };
    assert!(matches!(
        commitments::record_paper(
            db,
            &admin(db).await,
            &actor(),
            reopened.id,
            office_people[0],
            today(),
            &bad,
            1 << 20,
            today()
        )
        .await,
        Err(Error::Invalid("err.file_type"))
    ));
    let good = store::attachments::NewFile {
        bytes: b"%PDF-1.4 scan".to_vec(),
        ..bad
    };
    let paper = commitments::record_paper(
        db,
        &admin(db).await,
        &actor(),
        reopened.id,
        office_people[0],
        today(),
        &good,
        1 << 20,
        today(),
    )
    .await
    .unwrap();
    assert_eq!(paper.receipt.method, "paper");
    assert!(
        commitments::verify(db, &paper.receipt)
            .await
            .unwrap()
            .is_ok()
    );
}

#[tokio::test]
async fn dissemination_reasks_after_a_new_version_and_checks_the_quiz() {
    let f = setup().await;
    let db = &f.t.db;
    let dir = province_directive(db).await;
    let input = dissemination::CampaignInput {
        owner_unit_id: f.office,
        title: "Quán triệt Thông tư 124/2021/TT-BCA".into(),
        audience_unit_ids: vec![f.office],
        group: Group::All,
        directive_ids: vec![dir],
        questions: vec![QuestionInput {
            question: "Tiêu chuẩn An toàn về an ninh, trật tự do văn bản nào quy định?".into(),
            options: vec!["Thông tư 124/2021/TT-BCA".into(), "Luật Giao thông".into()],
            correct: 0,
        }],
        pass_mark: 100,
        opens_on: d(2026, 2, 1),
        deadline: d(2026, 4, 30),
    };
    let office_manage: Scope<CampaignManage> = org_scope(db, f.office).await;
    let c = dissemination::create(db, &office_manage, &actor(), &input)
        .await
        .unwrap();
    let other = dissemination::create(db, &office_manage, &actor(), &input)
        .await
        .unwrap();
    let q = dissemination::questions(db, c.id).await.unwrap();
    let q_other = dissemination::questions(db, other.id).await.unwrap();
    let people_ids = staff(db, f.office).await;
    let p = people_ids[0];
    let seen = vec![(dir, 1)];
    let view = admin::<CampaignView>(db).await;
    let done = |cov: store::coverage::Coverage| cov.figures.done;

    // Answers for another campaign's quiz; a wrong answer: nothing recorded.
    assert!(matches!(
        dissemination::acknowledge(db, &actor(), p, c.id, &seen, &[(q_other[0].id, 0)], today())
            .await,
        Err(Error::Invalid("err.dis_quiz_foreign"))
    ));
    assert!(matches!(
        dissemination::acknowledge(db, &actor(), p, c.id, &seen, &[(q[0].id, 1)], today()).await,
        Err(Error::Invalid("err.dis_quiz_failed"))
    ));
    assert_eq!(
        done(dissemination::coverage(db, &view, &c, None).await.unwrap()),
        0
    );
    assert_eq!(
        dissemination::acknowledge(db, &actor(), p, c.id, &seen, &[(q[0].id, 0)], today())
            .await
            .unwrap(),
        1
    );
    let cov = dissemination::coverage(db, &view, &c, None).await.unwrap();
    assert_eq!(
        (cov.figures.required, cov.figures.done),
        (people_ids.len() as i64, 1)
    );

    // A new version asks again.
    revise(db, dir).await;
    assert_eq!(
        done(dissemination::coverage(db, &view, &c, None).await.unwrap()),
        0
    );
    assert!(matches!(
        dissemination::acknowledge(db, &actor(), p, c.id, &seen, &[(q[0].id, 0)], today()).await,
        Err(Error::Invalid("err.dis_version_changed"))
    ));
    dissemination::acknowledge(db, &actor(), p, c.id, &[(dir, 2)], &[(q[0].id, 0)], today())
        .await
        .unwrap();
    assert_eq!(
        done(dissemination::coverage(db, &view, &c, None).await.unwrap()),
        1
    );

    // Briefing in a meeting for people without accounts, minutes attached.
    let minutes = store::attachments::NewFile {
        name: "bien-ban.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: b"%PDF-1.4 minutes".to_vec(),
    };
    let n = dissemination::record_briefing(
        db,
        &office_manage,
        &actor(),
        c.id,
        &people_ids[1..4],
        d(2026, 3, 1),
        &minutes,
        1 << 20,
        today(),
    )
    .await
    .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        done(dissemination::coverage(db, &view, &c, None).await.unwrap()),
        4
    );
    let missing = dissemination::missing_people(db, &view, &c, None, 1000)
        .await
        .unwrap();
    assert_eq!(missing.len(), people_ids.len() - 4);

    // A newcomer moved in from the school is asked; a departure leaves the figures.
    let stc_person = staff(db, f.stc).await[0];
    let pm = admin::<PersonManage>(db).await;
    people::move_to(db, &pm, &actor(), stc_person, f.office, today(), None)
        .await
        .unwrap();
    people::set_status(
        db,
        &pm,
        &actor(),
        people_ids[1],
        domain::values::PersonStatus::Retired,
        today(),
        None,
    )
    .await
    .unwrap();
    let cov = dissemination::coverage(db, &view, &c, None).await.unwrap();
    assert_eq!(
        (cov.figures.required, cov.figures.done),
        (people_ids.len() as i64, 3)
    );
    let tasks = dissemination::my_tasks(db, &Viewer::uncleared(), stc_person)
        .await
        .unwrap();
    assert_eq!(tasks.len(), 2);
    assert!(!tasks[0].done());

    // The school cannot see the office's campaign.
    let stc_view: Scope<CampaignView> = org_scope(db, f.stc).await;
    assert!(matches!(
        dissemination::get(db, &stc_view, c.id).await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn reminders_reach_those_who_have_not_signed_and_clear_on_signing() {
    let f = setup().await;
    let db = &f.t.db;
    let c = commitments::create(db, &admin(db).await, &actor(), &campaign_input(f.office))
        .await
        .unwrap();
    let nhanvien = store::accounts::by_username(db, "nhanvien")
        .await
        .unwrap()
        .unwrap();
    let officer = store::accounts::by_username(db, "canbo.antt")
        .await
        .unwrap()
        .unwrap();
    sign(db, &c, officer.person_id.unwrap()).await;
    let office_manage: Scope<CampaignManage> = org_scope(db, f.office).await;
    let sent =
        store::notices::remind_commitment(db, &office_manage, &actor(), c.id, "Đề nghị ký", None)
            .await
            .unwrap()
            .recipients;
    assert!(sent.iter().any(|r| r.account_id == nhanvien.id));
    assert!(
        !sent.iter().any(|r| r.account_id == officer.id),
        "who signed is not reminded"
    );
    assert_eq!(
        store::notices::unread(db, nhanvien.id).await.unwrap().len(),
        1
    );
    assert!(
        store::notices::unread(db, officer.id)
            .await
            .unwrap()
            .is_empty()
    );
    sign(db, &c, nhanvien.person_id.unwrap()).await;
    assert!(
        store::notices::unread(db, nhanvien.id)
            .await
            .unwrap()
            .is_empty()
    );
    // Another organisation cannot remind the Office's staff.
    let stc_manage: Scope<CampaignManage> = org_scope(db, f.stc).await;
    assert!(matches!(
        store::notices::remind_commitment(db, &stc_manage, &actor(), c.id, "x", None).await,
        Err(Error::NotFound)
    ));
}

/// Signing throughput on the province-scale data set: a province-wide campaign, `BENCH_SIGNERS`
/// people (default 20,000) each signing from two devices at once, `BENCH_CLIENTS` concurrent
/// clients (default 16). Prints the sustained rate and checks afterwards that every person
/// counts exactly once, in the table and in the rollup. Run by bench/commitments/run.sh.
#[tokio::test]
#[ignore = "benchmark; run by bench/commitments/run.sh"]
async fn bench_signing() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let signers: usize = std::env::var("BENCH_SIGNERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let clients: usize = std::env::var("BENCH_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let t = TestDb::new().await.unwrap();
    let db = t.db.clone();
    store::demo::load(&db).await.unwrap();
    let started = std::time::Instant::now();
    let r = store::generate::province(
        &db,
        &store::generate::Spec {
            on_top_of_demo: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    println!(
        "generated {} people, {} campaigns, {} signatures in {:.1} s",
        r.people,
        r.campaigns,
        r.signatures,
        started.elapsed().as_secs_f64()
    );
    let province = units::province(&db).await.unwrap().unwrap();
    let c = commitments::create(
        &db,
        &admin(&db).await,
        &actor(),
        &CampaignInput {
            owner_unit_id: province.id,
            ..campaign_input(province.id)
        },
    )
    .await
    .unwrap();
    let people: Vec<i64> =
        sqlx::query("SELECT id FROM people WHERE status = 'working' ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("id").unwrap())
            .take(signers)
            .collect();
    let people = Arc::new(people);
    let next = Arc::new(AtomicUsize::new(0));
    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (db, people, next, hash, id) = (
            db.clone(),
            people.clone(),
            next.clone(),
            c.body_hash.clone(),
            c.id,
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                // Each person is taken twice in a row: their second device, at once.
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= people.len() * 2 {
                    break;
                }
                let t0 = std::time::Instant::now();
                commitments::sign(&db, &actor(), people[i / 2], id, &hash, today())
                    .await
                    .unwrap();
                latencies.push(t0.elapsed().as_secs_f64() * 1000.0);
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    let secs = started.elapsed().as_secs_f64();
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let n = scalar(
        &db,
        "SELECT COUNT(*) FROM commitment_signatures WHERE campaign_id = $1",
        c.id,
    )
    .await;
    let rolled = scalar(
        &db,
        "SELECT CAST(COALESCE(SUM(done), 0) AS BIGINT) FROM campaign_unit_done WHERE campaign_id = $1",
        c.id,
    )
    .await;
    println!(
        "BENCH signing backend={:?} signers={} requests={} clients={} seconds={:.2} signatures_per_s={:.0} p50_ms={:.1} p95_ms={:.1} stored={} rollup={}",
        db.backend(),
        people.len(),
        latencies.len(),
        clients,
        secs,
        people.len() as f64 / secs,
        pct(0.5),
        pct(0.95),
        n,
        rolled
    );
    assert_eq!(n as usize, people.len(), "no lost or doubled signature");
    assert_eq!(rolled as usize, people.len(), "the rollup counts each once");
}
