//! Movement models on SQLite, and on PostgreSQL with `ANTOAN_TEST_DATABASE_URL`: scope (an
//! organisation never sees another's models or evidence), criterion 1f across the boundaries
//! of the evaluation year, the province page agreeing with the rule model by model, and
//! rejected input saving nothing.

use chrono::NaiveDate;
use sqlx::Row;
use store::audit::Actor;
use store::movement::{self, ActivityInput, ModelInput, Rating, ReviewInput, rules};
use store::scope::{Grants, ModelManage, ModelView};
use store::testdb::TestDb;
use store::{Db, Error, Scope, accounts, units};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
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

async fn admin<C: store::Cap>(db: &Db) -> Scope<C> {
    Scope::whole_system_for_cli(units::province(db).await.unwrap().unwrap().root())
}

async fn scope_of<C: store::Cap>(db: &Db, username: &str) -> Option<Scope<C>> {
    let acc = accounts::by_username(db, username).await.unwrap().unwrap();
    Grants::load(db, acc.id).await.unwrap().scope::<C>()
}

fn actor() -> Actor {
    Actor::system("test")
}

async fn rows(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn model(db: &Db, org: i64, name: &str, since: NaiveDate) -> i64 {
    let input = ModelInput {
        org_id: org,
        name: name.into(),
        description: None,
        since,
        ended_on: None,
    };
    movement::create(db, &admin(db).await, &actor(), &input)
        .await
        .unwrap()
}

async fn activity(db: &Db, model: i64, on: NaiveDate) {
    let input = ActivityInput {
        on_day: on,
        title: "Tuần tra trụ sở".into(),
        note: None,
    };
    movement::add_activity(db, &admin(db).await, &actor(), model, &input, &[])
        .await
        .unwrap();
}

async fn review(db: &Db, model: i64, year: i32, rating: Rating) {
    let input = ReviewInput {
        year,
        rating,
        reviewer: "Thủ trưởng".into(),
        reviewed_on: d(year, 11, 20),
        note: None,
    };
    movement::review(db, &admin(db).await, &actor(), model, &input)
        .await
        .unwrap();
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

#[tokio::test]
async fn an_organisation_never_sees_another_s_models() {
    let t = TestDb::new().await.unwrap();
    store::demo::load(&t.db).await.unwrap();
    let db = &t.db;
    let office = org_id(db, "VPTU").await;
    let school = org_id(db, "LQĐ").await;
    let m = model(db, office, "Tổ tự quản", d(2020, 1, 2)).await;
    let input = ActivityInput {
        on_day: d(2026, 3, 1),
        title: "Diễn tập".into(),
        note: None,
    };
    let act = movement::add_activity(
        db,
        &admin(db).await,
        &actor(),
        m,
        &input,
        &[("bien-ban.pdf".into(), PDF.to_vec())],
    )
    .await
    .unwrap();
    let (rule, year) = rules::current(db, d(2026, 6, 1)).await.unwrap();
    let detail = movement::get(db, &admin::<ModelView>(db).await, m, &rule, year)
        .await
        .unwrap();
    let ev = detail.activities[0].evidence[0].id;
    assert_eq!(detail.activities[0].id, act);
    assert_eq!(
        detail.activities[0].evidence[0].content_type,
        "application/pdf"
    );

    // The school's administrator reads models, on the school only.
    let view: Scope<ModelView> = scope_of(db, "quantri.truong").await.unwrap();
    let (listed, _) = movement::list(db, &view, None, None, 100).await.unwrap();
    assert!(listed.is_empty(), "{listed:?}");
    assert!(matches!(
        movement::get(db, &view, m, &rule, year).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        movement::evidence(db, &view, ev).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        movement::org_models_for_year(db, &view, office, &rule, year).await,
        Err(Error::NotFound)
    ));
    let page = movement::province(db, &view, &rule, year, false, None, 100)
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|o| o.org_id).collect::<Vec<_>>(),
        vec![school]
    );
    // The Office's officer manages the Office's models but cannot touch another's.
    let manage: Scope<ModelManage> = scope_of(db, "canbo.antt").await.unwrap();
    let school_model = model(db, school, "Cổng trường an toàn", d(2020, 1, 2)).await;
    let before = rows(db, "audit_log").await;
    let bad = ActivityInput {
        on_day: d(2026, 3, 1),
        title: "Xâm nhập".into(),
        note: None,
    };
    assert!(matches!(
        movement::add_activity(db, &manage, &actor(), school_model, &bad, &[]).await,
        Err(Error::NotFound)
    ));
    let rev = ReviewInput {
        year: 2026,
        rating: Rating::Effective,
        reviewer: "X".into(),
        reviewed_on: d(2026, 11, 20),
        note: None,
    };
    assert!(matches!(
        movement::review(db, &manage, &actor(), school_model, &rev).await,
        Err(Error::NotFound)
    ));
    let office_person: i64 = sqlx::query("SELECT id FROM people WHERE org_id = $1 LIMIT 1")
        .bind(office)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
    assert!(matches!(
        movement::add_member(
            db,
            &manage,
            &actor(),
            school_model,
            office_person,
            "Tổ viên"
        )
        .await,
        Err(Error::NotFound)
    ));
    // A person of another organisation cannot join the Office's model.
    let school_person: i64 = sqlx::query("SELECT id FROM people WHERE org_id = $1 LIMIT 1")
        .bind(school)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
    assert!(matches!(
        movement::add_member(db, &manage, &actor(), m, school_person, "Tổ viên").await,
        Err(Error::Invalid("err.mv_member"))
    ));
    assert_eq!(
        rows(db, "audit_log").await,
        before,
        "a refused change was recorded"
    );
    movement::add_member(db, &manage, &actor(), m, office_person, "Tổ trưởng")
        .await
        .unwrap();
    // Staff hold no model capability at all.
    assert!(scope_of::<ModelView>(db, "nhanvien").await.is_none());
}

#[tokio::test]
async fn the_check_follows_the_evaluation_year_across_its_boundaries() {
    let t = TestDb::new().await.unwrap();
    store::demo::load(&t.db).await.unwrap();
    let db = &t.db;
    let rule = rules::rule_for(db, 2026).await.unwrap();
    assert_eq!(rule.window(2026).start, d(2025, 11, 16));
    assert_eq!(rule.window(2026).end, d(2026, 11, 15));
    assert!(rule.basis.contains("124/2021"));
    let orgs = [
        org_id(db, "VPTU").await,
        org_id(db, "STC").await,
        org_id(db, "CAT").await,
        org_id(db, "CNSH").await,
        org_id(db, "LQĐ").await,
    ];
    // Office: one activity on the last day of the 2025 window only.
    let a = model(db, orgs[0], "A", d(2020, 1, 1)).await;
    activity(db, a, d(2025, 11, 15)).await;
    // Finance: one activity on the first day of the 2026 window.
    let b = model(db, orgs[1], "B", d(2020, 1, 1)).await;
    activity(db, b, d(2025, 11, 16)).await;
    // Police: activities in 2026, but the 2026 review says "limited": it does not count.
    let c = model(db, orgs[2], "C", d(2020, 1, 1)).await;
    activity(db, c, d(2026, 5, 1)).await;
    review(db, c, 2026, Rating::Limited).await;
    // Water company: no activity, reviewed effective for 2026; a second model ended in 2024.
    let e = model(db, orgs[3], "E", d(2020, 1, 1)).await;
    review(db, e, 2026, Rating::Effective).await;
    let ended = movement::create(
        db,
        &admin(db).await,
        &actor(),
        &ModelInput {
            org_id: orgs[3],
            name: "Ended".into(),
            description: None,
            since: d(2019, 1, 1),
            ended_on: Some(d(2024, 12, 31)),
        },
    )
    .await
    .unwrap();
    activity(db, ended, d(2024, 6, 1)).await;
    // School: a model founded after the 2026 window closed.
    let f = model(db, orgs[4], "F", d(2026, 11, 20)).await;
    activity(db, f, d(2026, 11, 21)).await;

    let view: Scope<ModelView> = admin(db).await;
    let expect_2026 = [
        (orgs[0], false),
        (orgs[1], true),
        (orgs[2], false),
        (orgs[3], true),
        (orgs[4], false),
    ];
    let expect_2025 = [
        (orgs[0], true),
        (orgs[1], false),
        (orgs[2], false),
        (orgs[3], false),
        (orgs[4], false),
    ];
    let expect_2027 = [
        (orgs[0], false),
        (orgs[1], false),
        (orgs[2], false),
        (orgs[3], false),
        (orgs[4], true),
    ];
    for (year, expect) in [
        (2026, expect_2026),
        (2025, expect_2025),
        (2027, expect_2027),
    ] {
        let rule = rules::rule_for(db, year).await.unwrap();
        let page = movement::province(db, &view, &rule, year, false, None, 100)
            .await
            .unwrap();
        for (org, holds) in expect {
            let line = page.items.iter().find(|o| o.org_id == org).unwrap();
            assert_eq!(line.holds, holds, "{year}: {line:?}");
            // The SQL of the province page and the rule applied model by model agree.
            for (m, s) in movement::org_models_for_year(db, &view, org, &rule, year)
                .await
                .unwrap()
            {
                let full = movement::get(db, &view, m.id, &rule, year).await.unwrap();
                assert_eq!(full.standing.working, s.working, "{year} {}", m.name);
            }
            let working = movement::org_models_for_year(db, &view, org, &rule, year)
                .await
                .unwrap()
                .iter()
                .filter(|(_, s)| s.working)
                .count() as i64;
            assert_eq!(working, line.working, "{year}: {line:?}");
        }
        let summary = movement::summary(db, &view, &rule, year).await.unwrap();
        assert_eq!(summary.organisations, 5);
        assert_eq!(
            summary.holding,
            expect.iter().filter(|(_, h)| *h).count() as i64,
            "{year}"
        );
        let gaps = movement::province(db, &view, &rule, year, true, None, 100)
            .await
            .unwrap();
        assert_eq!(
            gaps.items.len() as i64,
            5 - summary.holding,
            "{year}: gaps only"
        );
        assert!(gaps.items.iter().all(|o| !o.holds));
    }
    // Keyset paging walks every organisation once.
    let rule = rules::rule_for(db, 2026).await.unwrap();
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = movement::province(db, &view, &rule, 2026, false, cursor.as_deref(), 2)
            .await
            .unwrap();
        seen.extend(page.items.iter().map(|o| o.org_id));
        match page.next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    seen.sort();
    let mut all = orgs.to_vec();
    all.sort();
    assert_eq!(seen, all);
    // The evaluation year of a day.
    assert_eq!(rule.year_of(d(2026, 11, 15)), 2026);
    assert_eq!(rule.year_of(d(2026, 11, 16)), 2027);
}

#[tokio::test]
async fn rejected_input_saves_nothing() {
    let t = TestDb::new().await.unwrap();
    store::demo::load(&t.db).await.unwrap();
    let db = &t.db;
    let office = org_id(db, "VPTU").await;
    let scope: Scope<ModelManage> = admin(db).await;
    let before = (
        rows(db, "movement_models").await,
        rows(db, "audit_log").await,
    );
    for (input, key) in [
        (
            ModelInput {
                org_id: office,
                name: "  ".into(),
                description: None,
                since: d(2020, 1, 1),
                ended_on: None,
            },
            "err.mv_name",
        ),
        (
            ModelInput {
                org_id: office,
                name: "X".into(),
                description: None,
                since: d(2020, 1, 1),
                ended_on: Some(d(2019, 1, 1)),
            },
            "err.mv_ended_before",
        ),
        (
            ModelInput {
                org_id: office,
                name: "X".repeat(301),
                description: None,
                since: d(2020, 1, 1),
                ended_on: None,
            },
            "err.mv_too_long",
        ),
    ] {
        match movement::create(db, &scope, &actor(), &input).await {
            Err(Error::Invalid(k)) => assert_eq!(k, key),
            other => panic!("{key}: {other:?}"),
        }
    }
    // A department is not an organisation.
    let dept: i64 = sqlx::query("SELECT id FROM units WHERE kind = 'department' LIMIT 1")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
    let input = ModelInput {
        org_id: dept,
        name: "X".into(),
        description: None,
        since: d(2020, 1, 1),
        ended_on: None,
    };
    assert!(matches!(
        movement::create(db, &scope, &actor(), &input).await,
        Err(Error::Invalid("err.mv_org"))
    ));
    assert_eq!(
        (
            rows(db, "movement_models").await,
            rows(db, "audit_log").await
        ),
        before
    );
    // An activity whose evidence is not an image or PDF is refused whole.
    let m = model(db, office, "Tổ tự quản", d(2020, 1, 1)).await;
    let acts = rows(db, "movement_activities").await;
    let input = ActivityInput {
        on_day: d(2026, 3, 1),
        title: "Diễn tập".into(),
        note: None,
    };
    for (file, key) in [
        (
            (
                "x.html".to_owned(),
                b"<html><script>alert(1)</script>".to_vec(),
            ),
            "err.mv_evidence_type",
        ),
        (
            (
                "big.pdf".to_owned(),
                [PDF, &vec![b' '; 5 * 1024 * 1024]].concat(),
            ),
            "err.file_too_large",
        ),
    ] {
        match movement::add_activity(db, &scope, &actor(), m, &input, &[(file.0, file.1)]).await {
            Err(Error::Invalid(k)) => assert_eq!(k, key),
            other => panic!("{key}: {other:?}"),
        }
    }
    assert_eq!(rows(db, "movement_activities").await, acts);
    assert_eq!(rows(db, "movement_evidence").await, 0);
}

#[tokio::test]
async fn demo_has_a_model_everywhere_and_one_gap() {
    let t = TestDb::new().await.unwrap();
    store::demo::load(&t.db).await.unwrap();
    let db = &t.db;
    movement::load_demo(db).await.unwrap();
    movement::load_demo(db).await.unwrap();
    let view: Scope<ModelView> = admin(db).await;
    let (rule, year) = rules::current(
        db,
        (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive(),
    )
    .await
    .unwrap();
    let page = movement::province(db, &view, &rule, year, false, None, 100)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 5);
    assert!(page.items.iter().all(|o| o.models >= 1), "{:?}", page.items);
    let gaps: Vec<_> = page.items.iter().filter(|o| !o.holds).collect();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(gaps[0].name.contains("Lê Quý Đôn"));
    assert_eq!(store::audit::verify(db).await.unwrap().first_break, None);
}
