//! Rosters made for protection plans, on SQLite and on PostgreSQL with
//! `ANTOAN_TEST_DATABASE_URL`: the link is checked when the roster is created (the plan in
//! scope, of the same organisation, its period holding the roster's) and a refused link saves
//! nothing; a plan lists its rosters in scope, its document takes the issued ones, and a
//! roster names its plan (never a secret plan's title). Also the removal of a person or a
//! shift type with what hangs on it.

use chrono::{Days, NaiveDate};
use sqlx::Row;
use store::audit::Actor;
use store::plans::{self, NewPlan, Origin};
use store::registers::{Level, Viewer};
use store::rosters::{self, NewRoster, RosterState};
use store::scope::{Grants, PlanManage, PlanView, RosterManage, RosterView};
use store::testdb::TestDb;
use store::{Cap, Db, Error, Scope, accounts, units};

const CLEARED: Viewer = Viewer {
    clearance: Level::TuyetMat,
};

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

async fn admin<C: Cap>(db: &Db) -> Scope<C> {
    Scope::whole_system_for_cli(units::province(db).await.unwrap().unwrap().root())
}

async fn scope_of<C: Cap>(db: &Db, username: &str) -> Scope<C> {
    let acc = accounts::by_username(db, username).await.unwrap().unwrap();
    Grants::load(db, acc.id)
        .await
        .unwrap()
        .scope::<C>()
        .unwrap()
}

/// The organisation an account's first grant lies in.
async fn org_of(db: &Db, username: &str) -> i64 {
    count(
        db,
        &format!(
            "SELECT CASE WHEN u.kind = 'organisation' THEN u.id ELSE u.org_id END FROM role_grants g \
             JOIN accounts a ON a.id = g.account_id JOIN units u ON u.id = g.unit_id \
             WHERE a.username = '{username}' ORDER BY g.id LIMIT 1"
        ),
    )
    .await
}

/// A Tết 2027 plan of `org` from the template, with its period.
async fn tet_plan(db: &Db, org: i64) -> (i64, NaiveDate, NaiveDate) {
    let id = plans::create(
        db,
        &admin::<PlanManage>(db).await,
        &CLEARED,
        &Actor::system("test"),
        &NewPlan {
            org_id: org,
            peak_id: Some("tet".into()),
            event_id: None,
            year: 2027,
            origin: Origin::Template,
        },
    )
    .await
    .unwrap();
    let p = plans::get(db, &admin::<PlanView>(db).await, &CLEARED, id)
        .await
        .unwrap();
    (id, p.starts_on, p.ends_on)
}

fn input(org: i64, plan: i64, start: NaiveDate, end: NaiveDate) -> NewRoster {
    NewRoster {
        org_id: org,
        title: "Lịch trực dịp Tết Nguyên đán 2027".into(),
        start_day: start,
        end_day: end,
        plan_id: Some(plan),
    }
}

async fn saved(db: &Db) -> (i64, i64) {
    (
        count(db, "SELECT COUNT(*) FROM rosters").await,
        count(db, "SELECT COUNT(*) FROM audit_log").await,
    )
}

#[tokio::test]
async fn a_roster_for_a_plan_is_checked_listed_and_named() {
    let t = TestDb::new().await.unwrap();
    let db = &t.db;
    store::demo::load(db).await.unwrap();
    let office = org_of(db, "canbo.antt").await;
    let school = org_of(db, "quantri.truong").await;
    assert_ne!(office, school);
    let (plan, start, end) = tet_plan(db, office).await;
    let (school_plan, ..) = tet_plan(db, school).await;
    let officer: Scope<RosterManage> = scope_of(db, "canbo.antt").await;
    let actor = Actor::system("test");
    let before = saved(db).await;

    // Refused links save nothing: no roster, no audit entry.
    let day = |d: NaiveDate, n: u64| d.checked_add_days(Days::new(n)).unwrap();
    let early = input(office, plan, start.pred_opt().unwrap(), day(start, 3));
    let late = input(office, plan, day(start, 3), day(end, 1));
    for bad in [&early, &late] {
        assert!(matches!(
            rosters::create(db, &officer, &actor, bad).await,
            Err(Error::Invalid("err.ro_plan_period"))
        ));
    }
    // Another organisation's plan: not found for the Office's officer (outside the scope),
    // refused by name for the province's administrator, who sees both.
    let other = input(office, school_plan, start, end);
    assert!(matches!(
        rosters::create(db, &officer, &actor, &other).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        rosters::create(db, &admin(db).await, &actor, &other).await,
        Err(Error::Invalid("err.ro_plan_org"))
    ));
    let missing = input(office, plan + school_plan + 1000, start, end);
    assert!(matches!(
        rosters::create(db, &officer, &actor, &missing).await,
        Err(Error::NotFound)
    ));
    assert_eq!(saved(db).await, before, "a refused link saved something");

    // Inside the plan's period: made, listed by the plan, naming its plan.
    let inner = rosters::create(
        db,
        &officer,
        &actor,
        &input(office, plan, start, day(start, 6)),
    )
    .await
    .unwrap();
    let whole = rosters::create(db, &officer, &actor, &input(office, plan, start, end))
        .await
        .unwrap();
    let view: Scope<RosterView> = scope_of(db, "canbo.antt").await;
    let listed = rosters::for_plan(db, &view, plan).await.unwrap();
    assert_eq!(
        listed.iter().map(|r| r.id).collect::<Vec<_>>(),
        [inner, whole]
    );
    assert_eq!(listed[0].end_day, day(start, 6));
    assert_eq!(listed[1].state, RosterState::Draft);
    assert!(
        rosters::for_plan(db, &view, school_plan)
            .await
            .unwrap()
            .is_empty()
    );
    let school_view: Scope<RosterView> = scope_of(db, "quantri.truong").await;
    assert!(
        rosters::for_plan(db, &school_view, plan)
            .await
            .unwrap()
            .is_empty()
    );
    let d = rosters::get(db, &view, whole).await.unwrap();
    let named = d.plan.expect("the roster names its plan");
    assert_eq!(named.id, plan);
    assert!(named.title.contains("Tết Nguyên đán"), "{}", named.title);

    // Only issued rosters go into the plan's document.
    assert!(
        rosters::issued_for_plan(db, &view, plan)
            .await
            .unwrap()
            .is_empty()
    );
    rosters::add_members(db, &officer, &actor, whole, office, None)
        .await
        .unwrap();
    rosters::solve(db, &officer, &actor, whole, 1.0)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    rosters::publish(db, &officer, &actor, whole).await.unwrap();
    let issued = rosters::issued_for_plan(db, &view, plan).await.unwrap();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].roster.id, whole);
    assert!(!issued[0].cells.is_empty());
    let annex = rosters::annex::annex(&issued[0]);
    assert_eq!(annex.title, "LỊCH TRỰC DỊP TẾT NGUYÊN ĐÁN 2027");
    assert!(
        rosters::issued_for_plan(db, &school_view, plan)
            .await
            .unwrap()
            .is_empty()
    );

    // A secret plan's title never reaches the roster, which is read without a clearance.
    sqlx::query("UPDATE plans SET secrecy = 'mat' WHERE id = $1")
        .bind(plan)
        .execute(db.pool())
        .await
        .unwrap();
    let d = rosters::get(db, &view, whole).await.unwrap();
    assert_eq!(d.plan.unwrap().title, plans::SECRET_PLACEHOLDER);
}

#[tokio::test]
async fn removing_a_person_or_a_shift_takes_what_hangs_on_it() {
    let t = TestDb::new().await.unwrap();
    let db = &t.db;
    store::demo::load(db).await.unwrap();
    let office = org_of(db, "canbo.antt").await;
    let s: Scope<RosterManage> = admin(db).await;
    let actor = Actor::system("test");
    let start = NaiveDate::from_ymd_opt(2027, 8, 28).unwrap();
    let id = rosters::create(
        db,
        &s,
        &actor,
        &NewRoster {
            org_id: office,
            title: "Lịch trực dịp Quốc khánh 2/9".into(),
            start_day: start,
            end_day: start.checked_add_days(Days::new(8)).unwrap(),
            plan_id: None,
        },
    )
    .await
    .unwrap();
    rosters::add_members(db, &s, &actor, id, office, None)
        .await
        .unwrap();
    rosters::solve(db, &s, &actor, id, 1.0)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let d = rosters::get(db, &s, id).await.unwrap();
    let who = d.cells[0].person_id;
    let cells_of = |col: &str, v: i64| {
        format!("SELECT COUNT(*) FROM roster_cells WHERE roster_id = {id} AND {col} = {v}")
    };
    assert!(count(db, &cells_of("person_id", who)).await > 0);
    let audit = count(db, "SELECT COUNT(*) FROM audit_log").await;
    rosters::remove_member(db, &s, &actor, id, who)
        .await
        .unwrap();
    assert_eq!(count(db, &cells_of("person_id", who)).await, 0);
    assert_eq!(count(db, "SELECT COUNT(*) FROM audit_log").await, audit + 1);
    // Gone already: not found, and nothing recorded.
    assert!(matches!(
        rosters::remove_member(db, &s, &actor, id, who).await,
        Err(Error::NotFound)
    ));
    assert_eq!(count(db, "SELECT COUNT(*) FROM audit_log").await, audit + 1);

    let night = d.shifts.iter().find(|x| x.code == "dem").unwrap().id;
    assert!(count(db, &cells_of("shift_id", night)).await > 0);
    rosters::remove_shift(db, &s, &actor, id, night)
        .await
        .unwrap();
    assert_eq!(count(db, &cells_of("shift_id", night)).await, 0);
    let d = rosters::get(db, &s, id).await.unwrap();
    assert!(d.shifts.iter().all(|x| x.id != night));
    assert!(d.covers.iter().all(|c| c.shift_id != night));
    assert_eq!(count(db, "SELECT COUNT(*) FROM audit_log").await, audit + 2);
}
