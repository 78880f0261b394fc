//! Commitment and dissemination campaigns on SQLite, and on PostgreSQL with
//! `ANTOAN_TEST_DATABASE_URL`: coverage from the rollups against a count of the people table
//! under joins, moves, departures and new versions; one signature under concurrent signing;
//! receipts that verify and tampered ones that do not; scope and secrecy; refused input that
//! changes nothing.

use chrono::NaiveDate;
use sqlx::Row;
use store::audit::Actor;
use store::commitments::{self, CampaignInput, PersonFilter};
use store::directives::{self, DirectiveInput};
use store::dissemination::{self, Group, QuestionInput};
use store::people::{self, PersonInput};
use store::registers::{Level, Viewer};
use store::scope::{
    CampaignManage, CampaignView, DirectiveManage, DirectiveView, Grants, PersonManage,
};
use store::testdb::TestDb;
use store::{Db, Error, Scope, units};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 3, 10)
}

fn actor() -> Actor {
    Actor::system("test")
}

async fn admin<C: store::Cap>(db: &Db) -> Scope<C> {
    Scope::whole_system_for_cli(units::province(db).await.unwrap().unwrap().root())
}

async fn org_scope<C: store::Cap>(db: &Db, org: i64) -> Scope<C> {
    let u = units::get(db, &admin::<store::scope::UnitView>(db).await, org)
        .await
        .unwrap();
    Scope::whole_system_for_cli(u.root())
}

async fn scalar(db: &Db, sql: &str, id: i64) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get::<i64, _>(0)
        .unwrap()
}

async fn org_id(db: &Db, abbr: &str) -> i64 {
    sqlx::query("SELECT id FROM units WHERE abbreviation = $1 AND kind = 'organisation'")
        .bind(abbr)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap()
}

/// Working people of an organisation, by id.
async fn staff(db: &Db, org: i64) -> Vec<i64> {
    sqlx::query("SELECT id FROM people WHERE org_id = $1 AND status = 'working' ORDER BY id")
        .bind(org)
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("id").unwrap())
        .collect()
}

fn campaign_input(owner: i64) -> CampaignInput {
    CampaignInput {
        owner_unit_id: owner,
        year: 2026,
        title: "Ký cam kết thực hiện phong trào năm 2026".into(),
        heading: "BẢN CAM KẾT".into(),
        body:
            "Tôi cam kết chấp hành nghiêm chủ trương của Đảng, chính sách, pháp luật của Nhà nước."
                .into(),
        opens_on: d(2026, 1, 5),
        deadline: d(2026, 3, 31),
    }
}

struct Fx {
    t: TestDb,
    office: i64,
    stc: i64,
}

async fn setup() -> Fx {
    let t = TestDb::new().await.unwrap();
    store::demo::load(&t.db).await.unwrap();
    let office = org_id(&t.db, "VPTU").await;
    let stc = org_id(&t.db, "STC").await;
    Fx { t, office, stc }
}

/// The campaign's figures from the rollups must equal a direct count of the people table.
async fn check_against_count(db: &Db, c: &commitments::Campaign) -> (i64, i64) {
    let cov = commitments::coverage(db, &admin::<CampaignView>(db).await, c, None)
        .await
        .unwrap();
    let required = {
        sqlx::query(
            "SELECT COUNT(*) AS n FROM people WHERE status = 'working' AND unit_path >= $1 AND unit_path < $2",
        )
        .bind(&c.owner_path)
        .bind(store::scope::path_end(&c.owner_path))
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get::<i64, _>("n")
        .unwrap()
    };
    let done: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM people p JOIN commitment_signatures s ON s.person_id = p.id \
         WHERE s.campaign_id = $1 AND p.status = 'working' AND p.unit_path >= $2 AND p.unit_path < $3",
    )
    .bind(c.id)
    .bind(&c.owner_path)
    .bind(store::scope::path_end(&c.owner_path))
    .fetch_one(db.pool())
    .await
    .unwrap()
    .try_get("n")
    .unwrap();
    assert_eq!(cov.figures.required, required, "required");
    assert_eq!(cov.figures.done, done, "done");
    let split_required: i64 = cov.lines.iter().map(|l| l.figures.required).sum();
    let split_done: i64 = cov.lines.iter().map(|l| l.figures.done).sum();
    assert_eq!(
        (split_required, split_done),
        (required, done),
        "lines add up"
    );
    (required, done)
}

async fn sign(db: &Db, c: &commitments::Campaign, person: i64) -> commitments::Signed {
    commitments::sign(db, &actor(), person, c.id, &c.body_hash, today())
        .await
        .unwrap()
}

#[tokio::test]
async fn coverage_follows_joins_moves_departures() {
    let f = setup().await;
    let db = &f.t.db;
    let c = commitments::create(db, &admin(db).await, &actor(), &campaign_input(f.office))
        .await
        .unwrap();
    let people_ids = staff(db, f.office).await;
    assert!(people_ids.len() > 50, "the demo office has its staff");
    let (required, done) = check_against_count(db, &c).await;
    assert_eq!((required, done), (people_ids.len() as i64, 0));
    for p in &people_ids[..10] {
        sign(db, &c, *p).await;
    }
    assert_eq!(check_against_count(db, &c).await.1, 10);

    // A signed person moves to another organisation: they leave the office's figures.
    let pm = admin::<PersonManage>(db).await;
    let stc_unit = f.stc;
    people::move_to(db, &pm, &actor(), people_ids[0], stc_unit, today(), None)
        .await
        .unwrap();
    assert_eq!(check_against_count(db, &c).await, (required - 1, 9));
    // ... and back: their signature counts again.
    let home = scalar(
        db,
        "SELECT to_unit_id FROM person_history WHERE person_id = $1 AND kind = 'joined'",
        people_ids[0],
    )
    .await;
    people::move_to(db, &pm, &actor(), people_ids[0], home, today(), None)
        .await
        .unwrap();
    assert_eq!(check_against_count(db, &c).await, (required, 10));

    // A move inside the office keeps the totals and shifts the unit lines.
    let current = scalar(
        db,
        "SELECT unit_id FROM people WHERE id = $1",
        people_ids[1],
    )
    .await;
    let other_unit = scalar(
        db,
        "SELECT MIN(u.id) FROM units u JOIN people p ON p.id = $1 WHERE u.org_id = p.org_id AND u.kind = 'team' AND u.id <> p.unit_id",
        people_ids[1],
    )
    .await;
    assert_ne!(current, other_unit);
    people::move_to(db, &pm, &actor(), people_ids[1], other_unit, today(), None)
        .await
        .unwrap();
    assert_eq!(check_against_count(db, &c).await, (required, 10));

    // Departures: a signed person retires, an unsigned one is transferred out.
    people::set_status(
        db,
        &pm,
        &actor(),
        people_ids[2],
        domain::values::PersonStatus::Retired,
        today(),
        None,
    )
    .await
    .unwrap();
    people::set_status(
        db,
        &pm,
        &actor(),
        people_ids[20],
        domain::values::PersonStatus::Transferred,
        today(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(check_against_count(db, &c).await, (required - 2, 9));
    // People who left are no longer asked.
    assert!(matches!(
        commitments::sign(db, &actor(), people_ids[2], c.id, &c.body_hash, today()).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        commitments::sign(db, &actor(), people_ids[20], c.id, &c.body_hash, today()).await,
        Err(Error::NotFound)
    ));

    // A newcomer joins while the campaign is open: asked at once.
    let unit = scalar(
        db,
        "SELECT unit_id FROM people WHERE id = $1",
        people_ids[3],
    )
    .await;
    let newcomer = people::create(
        db,
        &pm,
        &actor(),
        &PersonInput {
            full_name: "Phạm Thị Mới".into(),
            gender: domain::values::Gender::Female,
            birth_date: None,
            position: "Chuyên viên".into(),
            unit_id: unit,
            phone: None,
            email: None,
            party_member: false,
            self_defence: false,
            fire_force: false,
            status: domain::values::PersonStatus::Working,
        },
        today(),
    )
    .await
    .unwrap();
    assert_eq!(check_against_count(db, &c).await, (required - 1, 9));
    let missing = commitments::people(
        db,
        &admin(db).await,
        &c,
        None,
        PersonFilter::Missing,
        None,
        1000,
    )
    .await
    .unwrap()
    .0;
    assert!(missing.iter().any(|p| p.person_id == newcomer.id));
    assert_eq!(missing.len() as i64, required - 1 - 9);
    sign(db, &c, newcomer.id).await;
    assert_eq!(check_against_count(db, &c).await, (required - 1, 10));
}

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
async fn scope_hides_other_organisations_and_province_campaigns_reach_everyone() {
    let f = setup().await;
    let db = &f.t.db;
    let office_campaign =
        commitments::create(db, &admin(db).await, &actor(), &campaign_input(f.office))
            .await
            .unwrap();
    let province = units::province(db).await.unwrap().unwrap();
    let province_campaign =
        commitments::create(db, &admin(db).await, &actor(), &campaign_input(province.id))
            .await
            .unwrap();
    let stc_view: Scope<CampaignView> = org_scope(db, f.stc).await;
    // Another organisation's campaign does not exist for the school.
    assert!(matches!(
        commitments::get(db, &stc_view, office_campaign.id).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        commitments::coverage(db, &stc_view, &office_campaign, Some(f.office)).await,
        Err(Error::NotFound)
    ));
    let listed = commitments::list(db, &stc_view, None, 50).await.unwrap();
    assert_eq!(
        listed.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![province_campaign.id]
    );
    // The province campaign: the school sees its own part only.
    let c = commitments::get(db, &stc_view, province_campaign.id)
        .await
        .unwrap();
    let cov = commitments::coverage(db, &stc_view, &c, None)
        .await
        .unwrap();
    assert_eq!(cov.area.id, f.stc);
    assert_eq!(cov.figures.required, staff(db, f.stc).await.len() as i64);
    assert!(matches!(
        commitments::coverage(db, &stc_view, &c, Some(province.id)).await,
        Err(Error::NotFound)
    ));
    let names = commitments::people(db, &stc_view, &c, None, PersonFilter::All, None, 5000)
        .await
        .unwrap()
        .0;
    let stc_people = staff(db, f.stc).await;
    assert!(names.iter().all(|p| stc_people.contains(&p.person_id)));
    // The province view groups by organisation.
    let all = commitments::coverage(db, &admin(db).await, &c, None)
        .await
        .unwrap();
    assert!(all.lines.len() >= 5);
    assert!(all.lines.iter().any(|l| l.unit_id == f.office));
    // Launching in another organisation is refused.
    let stc_manage: Scope<CampaignManage> = org_scope(db, f.stc).await;
    assert!(matches!(
        commitments::create(db, &stc_manage, &actor(), &campaign_input(f.office)).await,
        Err(Error::Invalid("err.unit_unknown"))
    ));
    let _ = Grants::default();
}

fn directive(owner: i64, secrecy: Level) -> DirectiveInput {
    DirectiveInput {
        owner_unit_id: owner,
        kind: "thong_tu".into(),
        code: "124/2021/TT-BCA".into(),
        title: "Quy định về khu dân cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, nhà trường đạt tiêu chuẩn An toàn về an ninh, trật tự".into(),
        issuer: "Bộ Công an".into(),
        issued_on: d(2021, 12, 28),
        effective_on: Some(d(2022, 2, 15)),
        secrecy,
        body: "Điều 1. Phạm vi điều chỉnh ...".into(),
    }
}

#[tokio::test]
async fn dissemination_reasks_after_a_new_version_and_checks_the_quiz() {
    let f = setup().await;
    let db = &f.t.db;
    let province = units::province(db).await.unwrap().unwrap();
    let dir = directives::create(
        db,
        &admin::<DirectiveManage>(db).await,
        &actor(),
        &directive(province.id, Level::None),
        &[],
        1 << 20,
    )
    .await
    .unwrap();
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
    directives::new_version(
        db,
        &admin(db).await,
        &actor(),
        dir,
        "Điều 1 (sửa đổi) ...",
        Some("Sửa đổi"),
        &[],
        1 << 20,
    )
    .await
    .unwrap();
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
async fn secret_directives_show_figures_not_text() {
    let f = setup().await;
    let db = &f.t.db;
    let id = directives::create(
        db,
        &admin(db).await,
        &actor(),
        &directive(f.office, Level::Mat),
        &[],
        1 << 20,
    )
    .await
    .unwrap();
    let province_view: Scope<DirectiveView> = admin(db).await;
    let d = directives::get(db, &province_view, &Viewer::uncleared(), id)
        .await
        .unwrap();
    assert!(d.redacted && d.title.is_none() && d.body.is_none());
    assert_eq!(d.code, "124/2021/TT-BCA");
    let cleared = directives::get(
        db,
        &province_view,
        &Viewer {
            clearance: Level::Mat,
        },
        id,
    )
    .await
    .unwrap();
    assert_eq!(
        cleared.body.as_deref(),
        Some("Điều 1. Phạm vi điều chỉnh ...")
    );
    let stc_view: Scope<DirectiveView> = org_scope(db, f.stc).await;
    assert!(matches!(
        directives::get(
            db,
            &stc_view,
            &Viewer {
                clearance: Level::TuyetMat
            },
            id
        )
        .await,
        Err(Error::NotFound)
    ));
    // Attachments are checked: a renamed executable is refused and nothing is saved.
    let before = scalar(db, "SELECT COUNT(*) FROM directives WHERE id > $1", 0).await;
    let exe = store::attachments::NewFile {
        name: "van-ban.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: b"MZ\x90\x00".to_vec(),
    };
    assert!(matches!(
        directives::create(
            db,
            &admin(db).await,
            &actor(),
            &directive(f.office, Level::None),
            &[exe],
            1 << 20
        )
        .await,
        Err(Error::Invalid("err.file_type"))
    ));
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM directives WHERE id > $1", 0).await,
        before
    );
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
    let sent = store::notices::remind_commitment(db, &office_manage, &actor(), c.id, "Đề nghị ký")
        .await
        .unwrap();
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
        store::notices::remind_commitment(db, &stc_manage, &actor(), c.id, "x").await,
        Err(Error::NotFound)
    ));
}
