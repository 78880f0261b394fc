//! Organisation events through the public storage API, on SQLite by default and on
//! PostgreSQL when `ANTOAN_TEST_DATABASE_URL` is set.

use chrono::NaiveDate;
use store::audit::{self, Actor};
use store::events::{self, EventInput, EventKind};
use store::scope::{Grants, PersonManage, UnitView};
use store::testdb::TestDb;
use store::{Error, Scope, accounts, demo, units};

async fn demo_db() -> TestDb {
    let t = TestDb::new().await.expect("test database");
    demo::load(&t.db).await.expect("demo loads");
    t
}

async fn grants_of(t: &TestDb, username: &str) -> (Grants, Actor) {
    let a = accounts::by_username(&t.db, username)
        .await
        .unwrap()
        .unwrap();
    let actor = Actor {
        account_id: Some(a.id),
        name: a.username.clone(),
        ip: Some("127.0.0.1".into()),
    };
    (Grants::load(&t.db, a.id).await.unwrap(), actor)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn input(unit_id: i64, title: &str, from: NaiveDate, to: NaiveDate) -> EventInput {
    EventInput {
        unit_id,
        title: title.into(),
        kind: EventKind::Congress,
        starts_on: from,
        ends_on: to,
        location: Some("  Hội trường lớn ".into()),
        note: Some("   ".into()),
    }
}

/// The organisation at the top of an account's scope.
async fn own_org(t: &TestDb, g: &Grants) -> i64 {
    let scope: Scope<UnitView> = g.scope().unwrap();
    units::scope_roots(&t.db, &scope).await.unwrap()[0].id
}

async fn count_all(t: &TestDb) -> usize {
    let (g, _) = grants_of(t, "quantri").await;
    let scope: Scope<UnitView> = g.scope().unwrap();
    events::list(&t.db, &scope, d(1900, 1, 1), d(2199, 12, 31))
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn officer_runs_events_of_own_organisation_and_others_never_see_them() {
    let t = demo_db().await;
    let (officer, actor) = grants_of(&t, "canbo.antt").await;
    let office = own_org(&t, &officer).await;
    let manage: Scope<PersonManage> = officer.scope().unwrap();
    let id = events::create(
        &t.db,
        &manage,
        &actor,
        &input(office, "Đại hội Đảng bộ", d(2026, 3, 10), d(2026, 3, 12)),
    )
    .await
    .unwrap();

    let view: Scope<UnitView> = officer.scope().unwrap();
    let seen = events::list(&t.db, &view, d(2026, 3, 1), d(2026, 3, 31))
        .await
        .unwrap();
    assert_eq!(seen.len(), 1);
    let e = &seen[0];
    assert_eq!((e.id, e.title.as_str()), (id, "Đại hội Đảng bộ"));
    assert_eq!(e.location.as_deref(), Some("Hội trường lớn"));
    assert_eq!(e.note, None);
    assert_eq!(e.created_by, actor.account_id);
    assert!(e.covers(d(2026, 3, 11)) && !e.covers(d(2026, 3, 13)));
    // Overlap, not containment: a range touching only the last day finds it.
    let edge = events::list(&t.db, &view, d(2026, 3, 12), d(2026, 4, 1))
        .await
        .unwrap();
    assert_eq!(edge.len(), 1);
    let before = events::list(&t.db, &view, d(2026, 1, 1), d(2026, 3, 9))
        .await
        .unwrap();
    assert!(before.is_empty());

    // The school's administrator neither sees nor touches it.
    let (school, school_actor) = grants_of(&t, "quantri.truong").await;
    let school_view: Scope<UnitView> = school.scope().unwrap();
    let school_manage: Scope<PersonManage> = school.scope().unwrap();
    assert!(
        events::list(&t.db, &school_view, d(2026, 1, 1), d(2026, 12, 31))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        events::get(&t.db, &school_view, id).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        events::list_for_unit(&t.db, &school_view, office, d(2026, 1, 1), d(2026, 12, 31)).await,
        Err(Error::NotFound)
    ));
    let school_org = own_org(&t, &school).await;
    let moved = input(school_org, "Đổi tên", d(2026, 3, 10), d(2026, 3, 12));
    assert!(matches!(
        events::update(&t.db, &school_manage, &school_actor, id, &moved).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        events::delete(&t.db, &school_manage, &school_actor, id).await,
        Err(Error::NotFound)
    ));
    // Nor can the school add an event to the Office.
    let intrude = input(office, "Xâm nhập", d(2026, 5, 1), d(2026, 5, 1));
    assert!(matches!(
        events::create(&t.db, &school_manage, &school_actor, &intrude).await,
        Err(Error::Invalid("err.unit_unknown"))
    ));
    // The event is unchanged.
    let still = events::get(&t.db, &view, id).await.unwrap();
    assert_eq!(still.title, "Đại hội Đảng bộ");

    // Plain staff may look but hold no right to change.
    let (staff, _) = grants_of(&t, "nhanvien").await;
    assert!(staff.scope::<PersonManage>().is_none());
    let staff_view: Scope<UnitView> = staff.scope().unwrap();
    assert_eq!(events::get(&t.db, &staff_view, id).await.unwrap().id, id);

    // The officer changes and then removes it.
    let mut changed = input(
        office,
        "Đại hội Đảng bộ lần thứ XX",
        d(2026, 3, 11),
        d(2026, 3, 13),
    );
    changed.kind = EventKind::Meeting;
    events::update(&t.db, &manage, &actor, id, &changed)
        .await
        .unwrap();
    let after = events::get(&t.db, &view, id).await.unwrap();
    assert_eq!(after.kind, EventKind::Meeting);
    assert_eq!(after.ends_on, d(2026, 3, 13));
    events::delete(&t.db, &manage, &actor, id).await.unwrap();
    assert!(matches!(
        events::get(&t.db, &view, id).await,
        Err(Error::NotFound)
    ));

    let v = audit::verify(&t.db).await.unwrap();
    assert_eq!(v.first_break, None);
}

#[tokio::test]
async fn province_events_reach_every_organisation() {
    let t = demo_db().await;
    let (admin, actor) = grants_of(&t, "quantri").await;
    let province = units::province(&t.db).await.unwrap().unwrap();
    let manage: Scope<PersonManage> = admin.scope().unwrap();
    let id = events::create(
        &t.db,
        &manage,
        &actor,
        &input(
            province.id,
            "Bầu cử đại biểu Quốc hội",
            d(2026, 3, 15),
            d(2026, 3, 15),
        ),
    )
    .await
    .unwrap();
    let (school, _) = grants_of(&t, "quantri.truong").await;
    let school_view: Scope<UnitView> = school.scope().unwrap();
    let school_org = own_org(&t, &school).await;
    let feed = events::list_for_unit(
        &t.db,
        &school_view,
        school_org,
        d(2026, 1, 1),
        d(2026, 12, 31),
    )
    .await
    .unwrap();
    assert_eq!(feed.iter().map(|e| e.id).collect::<Vec<_>>(), vec![id]);
    // Seen, but only the province's managers may change it.
    let school_manage: Scope<PersonManage> = school.scope().unwrap();
    let (_, school_actor) = grants_of(&t, "quantri.truong").await;
    assert!(matches!(
        events::delete(&t.db, &school_manage, &school_actor, id).await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn invalid_events_leave_nothing_saved() {
    let t = demo_db().await;
    let (officer, actor) = grants_of(&t, "canbo.antt").await;
    let office = own_org(&t, &officer).await;
    let manage: Scope<PersonManage> = officer.scope().unwrap();
    let audit_before = audit::verify(&t.db).await.unwrap().entries;
    let long = "Đ".repeat(201);
    let cases = [
        (
            input(office, "   ", d(2026, 1, 1), d(2026, 1, 1)),
            "err.event_title",
        ),
        (
            input(office, &long, d(2026, 1, 1), d(2026, 1, 1)),
            "err.event_title",
        ),
        (
            input(office, "Ngược", d(2026, 1, 2), d(2026, 1, 1)),
            "err.event_order",
        ),
        (
            input(office, "Quá dài", d(2026, 1, 1), d(2027, 1, 2)),
            "err.event_span",
        ),
        (
            input(9_999_999, "Không có đơn vị", d(2026, 1, 1), d(2026, 1, 1)),
            "err.unit_unknown",
        ),
    ];
    for (case, key) in &cases {
        match events::create(&t.db, &manage, &actor, case).await {
            Err(Error::Invalid(k)) => assert_eq!(k, *key, "{}", case.title),
            other => panic!("{}: expected {key}, got {other:?}", case.title),
        }
    }
    assert_eq!(count_all(&t).await, 0);
    // 200 characters and a span of exactly 366 days are accepted.
    let ok_title = "Đ".repeat(200);
    events::create(
        &t.db,
        &manage,
        &actor,
        &input(office, &ok_title, d(2028, 1, 1), d(2028, 12, 31)),
    )
    .await
    .unwrap();
    assert_eq!(count_all(&t).await, 1);
    let v = audit::verify(&t.db).await.unwrap();
    assert_eq!(v.entries, audit_before + 1);
    assert_eq!(v.first_break, None);
    assert_eq!(EventKind::parse("visit").unwrap(), EventKind::Visit);
    assert!(matches!(
        EventKind::parse("party"),
        Err(Error::Invalid("err.event_kind"))
    ));
}
