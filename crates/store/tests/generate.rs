//! The benchmark data set, on SQLite by default and on PostgreSQL when
//! `ANTOAN_TEST_DATABASE_URL` is set.

use chrono::NaiveDate;
use domain::text::fold_vi;
use domain::values::{Gender, PersonStatus};
use sqlx::Row;
use store::audit::{self, Actor};
use store::generate::{self, Spec};
use store::people::{ListQuery, PersonInput};
use store::scope::PersonManage;
use store::testdb::TestDb;
use store::{Db, Error, Scope, demo, people, units};

fn small() -> Spec {
    Spec {
        organisations: 20,
        people: 2000,
        audit_entries: 3000,
        seed: 7,
        on_top_of_demo: true,
    }
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    sqlx::query(sql)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get::<i64, _>(0)
        .unwrap()
}

struct Counts {
    orgs: i64,
    departments: i64,
    teams: i64,
    partners: i64,
    people: i64,
    accounts: i64,
    grants: i64,
    history: i64,
    audit: i64,
}

async fn counts(db: &Db) -> Counts {
    Counts {
        orgs: count(db, "SELECT COUNT(*) FROM units WHERE kind = 'organisation'").await,
        departments: count(db, "SELECT COUNT(*) FROM units WHERE kind = 'department'").await,
        teams: count(db, "SELECT COUNT(*) FROM units WHERE kind = 'team'").await,
        partners: count(db, "SELECT COUNT(*) FROM partners").await,
        people: count(db, "SELECT COUNT(*) FROM people").await,
        accounts: count(db, "SELECT COUNT(*) FROM accounts").await,
        grants: count(db, "SELECT COUNT(*) FROM role_grants").await,
        history: count(db, "SELECT COUNT(*) FROM person_history").await,
        audit: count(db, "SELECT COUNT(*) FROM audit_log").await,
    }
}

#[tokio::test]
async fn generates_on_top_of_the_demo() {
    let t = TestDb::new().await.unwrap();
    let db = &t.db;
    demo::load(db).await.unwrap();
    let before = counts(db).await;
    let spec = small();
    let r = generate::province(db, &spec).await.unwrap();
    let after = counts(db).await;

    // What the report says was written is what is in the database, and what was asked for.
    assert_eq!(r.organisations, 20);
    assert_eq!(r.people, 2000);
    assert_eq!(r.audit_entries, 3000);
    assert_eq!(after.orgs - before.orgs, 20);
    assert_eq!(after.departments - before.departments, r.departments as i64);
    assert_eq!(after.teams - before.teams, r.teams as i64);
    assert_eq!(after.partners - before.partners, r.partners as i64);
    assert_eq!(after.people - before.people, 2000);
    assert_eq!(after.accounts - before.accounts, r.accounts as i64);
    assert_eq!(
        r.accounts,
        2000 + 2 * 20,
        "one account per person, two per organisation"
    );
    assert_eq!(after.grants - before.grants, r.role_grants as i64);
    assert_eq!(r.role_grants, 2000 + 2 * 20);
    assert_eq!(after.history - before.history, r.history as i64);
    assert!(r.history >= 2000);
    // The activity, and one import entry per generated campaign.
    assert_eq!(after.audit - before.audit, 3000 + r.campaigns as i64);
    assert_eq!(r.campaigns, 100, "twenty campaigns a year over five years");
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM commitment_signatures").await,
        r.signatures as i64
    );
    assert!(
        r.signatures > 5 * 1900,
        "the yearly province campaign is mostly signed"
    );
    // The rollups agree with a count of the signatures of working people, campaign by campaign.
    let disagreeing = count(
        db,
        "SELECT COUNT(*) FROM commitment_campaigns c WHERE          (SELECT COALESCE(SUM(d.done), 0) FROM campaign_unit_done d WHERE d.campaign_id = c.id) <>          (SELECT COUNT(*) FROM commitment_signatures s JOIN people p ON p.id = s.person_id           WHERE s.campaign_id = c.id AND p.status = 'working')",
    )
    .await;
    assert_eq!(disagreeing, 0);
    // The per-organisation rollup agrees with the per-unit one.
    let org_disagreeing = count(
        db,
        "SELECT COUNT(*) FROM (SELECT d.campaign_id, u.org_id, SUM(d.done) AS n FROM campaign_unit_done d \
         JOIN units u ON u.id = d.unit_id WHERE u.org_id IS NOT NULL GROUP BY d.campaign_id, u.org_id) x \
         LEFT JOIN campaign_org_done o ON o.campaign_id = x.campaign_id AND o.org_id = x.org_id \
         WHERE COALESCE(o.done, 0) <> x.n",
    )
    .await;
    assert_eq!(org_disagreeing, 0);
    // The head counts per unit and per organisation agree with the people table.
    let heads_disagreeing = count(
        db,
        "SELECT (SELECT COUNT(*) FROM (SELECT unit_id, COUNT(*) AS n, \
         SUM(CASE WHEN status = 'working' THEN 1 ELSE 0 END) AS w FROM people GROUP BY unit_id) x \
         LEFT JOIN unit_people_stats s ON s.unit_id = x.unit_id \
         WHERE COALESCE(s.total, 0) <> x.n OR COALESCE(s.working, 0) <> x.w) + \
         (SELECT COUNT(*) FROM (SELECT org_id, SUM(CASE WHEN status = 'working' THEN 1 ELSE 0 END) AS w \
         FROM people WHERE org_id IS NOT NULL GROUP BY org_id) y \
         LEFT JOIN org_people_stats o ON o.org_id = y.org_id WHERE COALESCE(o.working, 0) <> y.w)",
    )
    .await;
    assert_eq!(heads_disagreeing, 0);
    // Closed campaigns have their frozen figures, equal to the rollups at generation.
    let unfrozen = count(
        db,
        "SELECT COUNT(*) FROM commitment_campaigns c WHERE c.status = 'closed' AND \
         (SELECT COALESCE(SUM(s.done), 0) FROM campaign_snapshots s WHERE s.campaign_kind = 'commitment' \
          AND s.campaign_id = c.id) <> (SELECT COALESCE(SUM(d.done), 0) FROM campaign_unit_done d \
          WHERE d.campaign_id = c.id)",
    )
    .await;
    assert_eq!(unfrozen, 0);
    assert!(
        count(db, "SELECT COUNT(*) FROM campaign_snapshots").await > 0,
        "the past years' campaigns are frozen"
    );
    let doubled = count(
        db,
        "SELECT COUNT(*) FROM (SELECT campaign_id, person_id FROM commitment_signatures          GROUP BY campaign_id, person_id HAVING COUNT(*) > 1) x",
    )
    .await;
    assert_eq!(doubled, 0);
    assert!(
        (40..=120).contains(&r.departments),
        "2–6 departments per organisation, got {}",
        r.departments
    );

    // Every organisation hangs under the demo's province, and everything is in place.
    let province = units::province(db).await.unwrap().unwrap();
    assert_eq!(province.name, demo::PROVINCE_NAME);
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM units WHERE parent_id IS NULL").await,
        1
    );
    let bad_orgs = count(db, "SELECT COUNT(*) FROM units u JOIN units p ON p.id = u.parent_id WHERE u.kind = 'organisation' AND (p.kind <> 'province' OR u.org_id <> u.id)").await;
    assert_eq!(bad_orgs, 0);
    let bad_paths = count(db, "SELECT COUNT(*) FROM units u JOIN units p ON p.id = u.parent_id WHERE u.path <> p.path || CAST(u.id AS TEXT) || '/' OR u.depth <> p.depth + 1").await;
    assert_eq!(bad_paths, 0);
    let bad_people = count(
        db,
        "SELECT COUNT(*) FROM people p JOIN units u ON u.id = p.unit_id \
         WHERE p.org_id IS NULL OR u.org_id IS NULL OR p.org_id <> u.org_id OR p.unit_path <> u.path",
    )
    .await;
    assert_eq!(bad_people, 0, "every person's organisation is their unit's");
    let staff_grants = count(
        db,
        "SELECT COUNT(*) FROM role_grants g JOIN accounts a ON a.id = g.account_id JOIN people p ON p.id = a.person_id \
         WHERE g.role = 'staff' AND g.unit_id = p.org_id",
    )
    .await;
    assert!(staff_grants >= 2000);
    let working = count(db, "SELECT COUNT(*) FROM people WHERE status = 'working'").await;
    assert!(
        working as f64 > 0.85 * after.people as f64,
        "mostly working: {working}"
    );
    let kinds = count(
        db,
        "SELECT COUNT(DISTINCT org_kind) FROM units WHERE kind = 'organisation'",
    )
    .await;
    assert_eq!(kinds, 4);

    // The chain continues from the demo's head and still verifies.
    let v = audit::verify(db).await.unwrap();
    assert_eq!(v.first_break, None);
    assert_eq!(v.entries, after.audit);

    // A generated person is found by the folded form of their name.
    let scope: Scope<PersonManage> = Scope::whole_system_for_cli(province.root());
    let row = sqlx::query("SELECT id, full_name FROM people ORDER BY id DESC LIMIT 1")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let (id, name): (i64, String) = (
        row.try_get("id").unwrap(),
        row.try_get("full_name").unwrap(),
    );
    let found = people::list(
        db,
        &scope,
        &ListQuery {
            q: Some(fold_vi(&name)),
            limit: 1000,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(found.items.iter().any(|p| p.id == id), "{name} not found");

    // Generated accounts sign in with the demo password.
    let any = sqlx::query("SELECT username FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.status = 'working' ORDER BY a.id DESC LIMIT 1")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get::<String, _>(0)
        .unwrap();
    let account = store::accounts::by_username(db, &any)
        .await
        .unwrap()
        .unwrap();
    assert!(store::accounts::verify_password(
        &account.password_hash,
        demo::DEMO_PASSWORD
    ));

    // Sequences and indexes are ready for ordinary writes.
    let unit_id = sqlx::query("SELECT unit_id FROM people WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get::<i64, _>(0)
        .unwrap();
    let input = PersonInput {
        full_name: "Trần Thị Bích Ngọc".into(),
        gender: Gender::Female,
        birth_date: NaiveDate::from_ymd_opt(1991, 3, 8),
        position: "Chuyên viên".into(),
        unit_id,
        phone: None,
        email: None,
        party_member: true,
        self_defence: false,
        fire_force: false,
        status: PersonStatus::Working,
    };
    let created = people::create(
        db,
        &scope,
        &Actor::system("test"),
        &input,
        NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
    )
    .await
    .unwrap();
    assert!(created.id > id);
    let unit = units::get(
        db,
        &Scope::<store::scope::UnitView>::whole_system_for_cli(province.root()),
        unit_id,
    )
    .await
    .unwrap();
    let new_unit = units::create(
        db,
        &Scope::whole_system_for_cli(province.root()),
        &Actor::system("test"),
        unit.id,
        domain::values::UnitKind::Team,
        &units::UnitInput {
            name: "Tổ Văn thư".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(new_unit.id > unit.id);
    let acc = store::accounts::create(
        db,
        &Scope::whole_system_for_cli(province.root()),
        &Actor::system("test"),
        &store::accounts::NewAccount {
            username: "ngocttb.moi".into(),
            display_name: "Trần Thị Bích Ngọc".into(),
            person_id: Some(created.id),
            password: "mot-mat-khau-dai-hon".into(),
        },
    )
    .await
    .unwrap();
    assert!(acc > 0);
    assert_eq!(audit::verify(db).await.unwrap().first_break, None);
}

#[tokio::test]
async fn refuses_a_database_in_use_without_the_flag() {
    let t = TestDb::new().await.unwrap();
    demo::load(&t.db).await.unwrap();
    let before = counts(&t.db).await;
    let spec = Spec {
        on_top_of_demo: false,
        ..small()
    };
    assert!(matches!(
        generate::province(&t.db, &spec).await,
        Err(Error::Invalid("err.demo_not_empty"))
    ));
    let after = counts(&t.db).await;
    assert_eq!(
        (after.orgs, after.people, after.audit),
        (before.orgs, before.people, before.audit)
    );
}

#[tokio::test]
async fn generates_into_an_empty_database() {
    let t = TestDb::new().await.unwrap();
    let spec = Spec {
        organisations: 5,
        people: 300,
        audit_entries: 500,
        seed: 11,
        on_top_of_demo: false,
    };
    let r = generate::province(&t.db, &spec).await.unwrap();
    assert_eq!((r.organisations, r.people, r.audit_entries), (5, 300, 500));
    let c = counts(&t.db).await;
    assert_eq!((c.orgs, c.people), (5, 300));
    // The province's own creation is the first entry of the chain; each campaign's import
    // entry comes after the activity.
    assert_eq!(c.audit, 501 + r.campaigns as i64);
    assert_eq!(audit::verify(&t.db).await.unwrap().first_break, None);
    // The demo refuses to load on top; the generator adds more only when asked to.
    assert!(matches!(
        demo::load(&t.db).await,
        Err(Error::Invalid("err.demo_not_empty"))
    ));
    let again = generate::province(
        &t.db,
        &Spec {
            seed: 12,
            on_top_of_demo: true,
            ..spec
        },
    )
    .await
    .unwrap();
    assert_eq!(again.people, 300);
    assert_eq!(counts(&t.db).await.people, 600);
    assert_eq!(audit::verify(&t.db).await.unwrap().first_break, None);
}
