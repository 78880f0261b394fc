//! Duty rosters on SQLite, and on PostgreSQL with `ANTOAN_TEST_DATABASE_URL`: leave is never
//! assigned, holiday nights are spread across years from the history of earlier rosters, a
//! swap that breaks the rest rule is refused, a setup nobody can staff gives its facts and
//! saves nothing, and another organisation's roster is not found.

use chrono::{Days, NaiveDate};
use sqlx::Row;
use store::audit::Actor;
use store::rosters::{self, AbsenceInput, CoverInput, NewRoster, Problem, SolveError, swaps};
use store::scope::{Grants, RosterManage, RosterView};
use store::testdb::TestDb;
use store::{Db, Error, Scope, accounts, units};

async fn one(db: &Db, sql: &str, arg: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(arg.to_owned())
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap()
}

async fn office(db: &Db) -> i64 {
    one(
        db,
        "SELECT id FROM units WHERE abbreviation = $1 AND kind = 'organisation'",
        "VPTU",
    )
    .await
}

async fn unit(db: &Db, name: &str) -> i64 {
    one(db, "SELECT id FROM units WHERE name = $1", name).await
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

async fn cells(db: &Db, roster: i64) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM roster_cells WHERE roster_id = $1")
        .bind(roster)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn fresh() -> TestDb {
    let t = TestDb::new().await.unwrap();
    store::demo::load(&t.db).await.unwrap();
    t
}

async fn roster(db: &Db, title: &str, start: NaiveDate, end: NaiveDate) -> i64 {
    rosters::create(
        db,
        &admin(db).await,
        &actor(),
        &NewRoster {
            org_id: office(db).await,
            title: title.into(),
            start_day: start,
            end_day: end,
            plan_id: None,
        },
    )
    .await
    .unwrap()
}

/// Keeps only the named shift types, each with a head count of one and no skill lines.
async fn only_shifts(db: &Db, id: i64, keep: &[&str]) {
    let s: Scope<RosterManage> = admin(db).await;
    let d = rosters::get(db, &s, id).await.unwrap();
    for sh in &d.shifts {
        if !keep.contains(&sh.name.as_str()) {
            rosters::remove_shift(db, &s, &actor(), id, sh.id)
                .await
                .unwrap();
            continue;
        }
        for c in d
            .covers
            .iter()
            .filter(|c| c.shift_id == sh.id && c.skill.is_some())
        {
            rosters::remove_cover(db, &s, &actor(), id, c.id)
                .await
                .unwrap();
        }
        rosters::add_cover(
            db,
            &s,
            &actor(),
            id,
            &CoverInput {
                shift_id: sh.id,
                skill: None,
                day: None,
                headcount: 1,
            },
        )
        .await
        .unwrap();
    }
}

/// Keeps only the night shift with a head count of one: the smallest roster on which a
/// holiday night can be given to one person or another.
async fn nights_only(db: &Db, id: i64) -> i64 {
    only_shifts(db, id, &["Ca đêm"]).await;
    let s: Scope<RosterManage> = admin(db).await;
    rosters::get(db, &s, id).await.unwrap().shifts[0].id
}

#[tokio::test]
async fn a_person_on_leave_is_never_assigned() {
    let t = fresh().await;
    let db = &t.db;
    let s: Scope<RosterManage> = admin(db).await;
    let start = NaiveDate::from_ymd_opt(2027, 1, 27).unwrap();
    let end = start.checked_add_days(Days::new(20)).unwrap();
    let id = roster(db, "Lịch trực Tết", start, end).await;
    let added = rosters::add_members(db, &s, &actor(), id, office(db).await, None)
        .await
        .unwrap();
    assert!(added > 60, "{added}");
    let d = rosters::get(db, &s, id).await.unwrap();
    // A third of the people are away for the whole first fortnight.
    let away: Vec<i64> = d.members.iter().step_by(3).map(|m| m.person_id).collect();
    let until = start.checked_add_days(Days::new(13)).unwrap();
    for p in &away {
        rosters::add_absence(
            db,
            &s,
            &actor(),
            id,
            &AbsenceInput {
                person_id: *p,
                start_day: start,
                end_day: until,
                reason: "Nghỉ phép".into(),
            },
        )
        .await
        .unwrap();
    }
    let solved = rosters::solve(db, &s, &actor(), id, 2.0).await.unwrap();
    assert!(solved.duties > 100, "{solved:?}");
    let d = rosters::get(db, &s, id).await.unwrap();
    for c in &d.cells {
        assert!(
            !(away.contains(&c.person_id) && c.day <= until),
            "{} works on {} while on leave",
            c.person_id,
            c.day
        );
    }
    // Those away still work in the last week: leave blocks days, not people.
    assert!(d.cells.iter().any(|c| away.contains(&c.person_id)));
    let (_, ev, _) = rosters::evaluate(db, &d).await.unwrap().unwrap();
    assert!(ev.feasible(), "{:?}", ev.violations);
    // A hand edit onto a leave day is refused and saves nothing.
    let night = d.shifts.iter().find(|x| x.name == "Ca đêm").unwrap().id;
    let before = cells(db, id).await;
    let err = rosters::set_cell(db, &s, &actor(), id, away[0], start, Some(night))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid("err.ro_on_leave")), "{err:?}");
    assert_eq!(cells(db, id).await, before);
}

#[tokio::test]
async fn holiday_nights_go_to_those_who_had_none_last_year() {
    let t = fresh().await;
    let db = &t.db;
    let s: Scope<RosterManage> = admin(db).await;
    let guards = unit(db, "Tổ Bảo vệ").await;
    // Last Tết: the first three days of the year, one night each.
    let tet_last = lich::tet(2026).unwrap();
    let last = roster(
        db,
        "Tết 2026",
        tet_last,
        tet_last.checked_add_days(Days::new(2)).unwrap(),
    )
    .await;
    let night = nights_only(db, last).await;
    rosters::add_members(db, &s, &actor(), last, guards, None)
        .await
        .unwrap();
    let d = rosters::get(db, &s, last).await.unwrap();
    let (x, y) = (d.members[0].person_id, d.members[1].person_id);
    for (i, p) in [x, x, y].iter().enumerate() {
        let day = tet_last.checked_add_days(Days::new(i as u64)).unwrap();
        rosters::set_cell(db, &s, &actor(), last, *p, day, Some(night))
            .await
            .unwrap();
    }
    rosters::publish(db, &s, &actor(), last).await.unwrap();
    rosters::close(db, &s, &actor(), last).await.unwrap();

    let tet = lich::tet(2027).unwrap();
    let history = rosters::history(db, office(db).await, tet).await.unwrap();
    assert_eq!(history.get(&x), Some(&2), "{history:?}");
    assert_eq!(history.get(&y), Some(&1));

    let this = roster(
        db,
        "Tết 2027",
        tet,
        tet.checked_add_days(Days::new(2)).unwrap(),
    )
    .await;
    nights_only(db, this).await;
    rosters::add_members(db, &s, &actor(), this, guards, None)
        .await
        .unwrap();
    rosters::solve(db, &s, &actor(), this, 1.0).await.unwrap();
    let d = rosters::get(db, &s, this).await.unwrap();
    assert_eq!(d.cells.len(), 3, "{:?}", d.cells);
    for c in &d.cells {
        assert!(
            c.person_id != x && c.person_id != y,
            "{} had holiday nights last year and gets {} again",
            c.person_id,
            c.day
        );
    }
    // The reasons name the burden with the person's history.
    let (_, _, reasons) = rosters::evaluate(db, &d).await.unwrap().unwrap();
    assert!(
        reasons
            .iter()
            .any(|r| r.kind == "holiday burden" && r.value == 0)
    );
}

#[tokio::test]
async fn a_swap_that_breaks_rest_is_refused_and_a_good_one_is_made() {
    let t = fresh().await;
    let db = &t.db;
    let s: Scope<RosterManage> = admin(db).await;
    let start = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let id = roster(
        db,
        "Lịch trực tháng 3",
        start,
        start.checked_add_days(Days::new(6)).unwrap(),
    )
    .await;
    only_shifts(db, id, &["Ca ngày", "Ca đêm"]).await;
    rosters::add_members(db, &s, &actor(), id, unit(db, "Tổ Bảo vệ").await, None)
        .await
        .unwrap();
    let d = rosters::get(db, &s, id).await.unwrap();
    let day_shift = d.shifts.iter().find(|x| x.name == "Ca ngày").unwrap().id;
    let night = d.shifts.iter().find(|x| x.name == "Ca đêm").unwrap().id;
    let (a, b, c) = (
        d.members[0].person_id,
        d.members[1].person_id,
        d.members[2].person_id,
    );
    let d1 = start;
    let d2 = start.checked_add_days(Days::new(1)).unwrap();
    // A works the night of day 1; B the day shift of day 2.
    rosters::set_cell(db, &s, &actor(), id, a, d1, Some(night))
        .await
        .unwrap();
    let check = rosters::set_cell(db, &s, &actor(), id, b, d2, Some(day_shift))
        .await
        .unwrap();
    assert_eq!(check.hard_after, 0);
    // Checking A on the day shift of day 2 names the broken rest rule before anything is saved.
    let d = rosters::get(db, &s, id).await.unwrap();
    let (built, _, _) = rosters::evaluate(db, &d).await.unwrap().unwrap();
    let probe = rosters::check_cell(&built, &d, a, d2, Some(day_shift)).unwrap();
    assert!(probe.hard_after > 0);
    assert!(probe.reasons.iter().any(|r| r.hard
        && r.kind == "forbidden succession"
        && r.first_day == Some(d1)
        && r.last_day == Some(d2)));
    rosters::publish(db, &s, &actor(), id).await.unwrap();

    // B asks to hand day 2 to A: A would start at 07:00 straight after a night.
    let bad = swaps::request(
        db,
        &actor(),
        b,
        &swaps::SwapRequest {
            roster_id: id,
            day: d2,
            other_id: a,
            other_day: None,
            note: "".into(),
        },
    )
    .await
    .unwrap();
    let decision = swaps::decide(db, &s, &actor(), bad, true).await.unwrap();
    match decision {
        swaps::Decision::Refused(r) => {
            assert!(
                r.iter()
                    .any(|r| r.kind == "forbidden succession" && r.person_id == Some(a)),
                "{r:?}"
            )
        }
        other => panic!("approved a swap that breaks rest: {other:?}"),
    }
    let d = rosters::get(db, &s, id).await.unwrap();
    assert_eq!(
        d.cell(b, d2),
        Some(day_shift),
        "refused swap changed the roster"
    );
    assert_eq!(d.cell(a, d2), None);
    let v: Scope<RosterView> = admin(db).await;
    let list = swaps::list(db, &v, id).await.unwrap();
    assert_eq!(list[0].state, "refused");
    assert_eq!(list[0].refusal, vec!["forbidden succession".to_owned()]);
    // Deciding it again is refused.
    assert!(swaps::decide(db, &s, &actor(), bad, true).await.is_err());

    // Handing it to C instead is fine.
    let good = swaps::request(
        db,
        &actor(),
        b,
        &swaps::SwapRequest {
            roster_id: id,
            day: d2,
            other_id: c,
            other_day: None,
            note: "".into(),
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        swaps::decide(db, &s, &actor(), good, true).await.unwrap(),
        swaps::Decision::Approved
    ));
    let d = rosters::get(db, &s, id).await.unwrap();
    assert_eq!(d.cell(c, d2), Some(day_shift));
    assert_eq!(d.cell(b, d2), None);
    // Asking to swap a day one has no duty on is refused.
    assert!(matches!(
        swaps::request(
            db,
            &actor(),
            b,
            &swaps::SwapRequest {
                roster_id: id,
                day: d2,
                other_id: a,
                other_day: None,
                note: "".into()
            }
        )
        .await,
        Err(Error::Invalid("err.ro_swap_no_duty"))
    ));
    assert_eq!(store::audit::verify(db).await.unwrap().first_break, None);
}

#[tokio::test]
async fn setups_nobody_can_staff_say_why_and_save_nothing() {
    let t = fresh().await;
    let db = &t.db;
    let s: Scope<RosterManage> = admin(db).await;
    let start = NaiveDate::from_ymd_opt(2027, 4, 26).unwrap();
    let end = start.checked_add_days(Days::new(6)).unwrap();
    let id = roster(db, "30/4", start, end).await;
    // Empty roster: nobody to put on it.
    match rosters::solve(db, &s, &actor(), id, 0.5).await {
        Err(SolveError::Setup(p)) => assert_eq!(p, vec![Problem::NoMembers]),
        other => panic!("{other:?}"),
    }
    // The guards' team has no leader for the leader on call and no driver for the day shift.
    rosters::add_members(db, &s, &actor(), id, unit(db, "Tổ Bảo vệ").await, None)
        .await
        .unwrap();
    let d = rosters::get(db, &s, id).await.unwrap();
    for m in &d.members {
        rosters::set_member_skills(db, &s, &actor(), id, m.person_id, &["self_defence".into()])
            .await
            .unwrap();
    }
    match rosters::solve(db, &s, &actor(), id, 0.5).await {
        Err(SolveError::Setup(p)) => {
            assert!(
                p.contains(&Problem::ShiftNobodyEligible {
                    shift: "Lãnh đạo trực".into(),
                    skill: "leader".into()
                }),
                "{p:?}"
            );
            assert!(p.iter().any(|x| matches!(x, Problem::CoverUnmeetable { shift, skill: Some(k), able: 0, need: 1, days }
                if shift == "Ca ngày" && k == "driver" && days.len() == 7)), "{p:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(cells(db, id).await, 0);
    // Bad values are refused before anything is written.
    assert!(matches!(
        rosters::add_cover(
            db,
            &s,
            &actor(),
            id,
            &CoverInput {
                shift_id: d.shifts[0].id,
                skill: Some("pilot".into()),
                day: None,
                headcount: 1
            }
        )
        .await,
        Err(Error::Invalid("err.ro_skill"))
    ));
    assert!(matches!(
        rosters::create(
            db,
            &s,
            &actor(),
            &NewRoster {
                org_id: office(db).await,
                title: " ".into(),
                start_day: end,
                end_day: start,
                plan_id: None
            }
        )
        .await,
        Err(Error::Invalid("err.ro_title"))
    ));
    assert!(matches!(
        rosters::add_absence(
            db,
            &s,
            &actor(),
            id,
            &AbsenceInput {
                person_id: d.members[0].person_id,
                start_day: end,
                end_day: start,
                reason: String::new()
            }
        )
        .await,
        Err(Error::Invalid("err.ro_period"))
    ));
}

#[tokio::test]
async fn another_organisation_finds_nothing_and_staff_see_only_their_duties() {
    let t = fresh().await;
    let db = &t.db;
    rosters::load_demo(db, NaiveDate::from_ymd_opt(2026, 11, 29).unwrap())
        .await
        .unwrap();
    let all: Scope<RosterView> = admin(db).await;
    let (items, _) = rosters::list(db, &all, None, None, 50).await.unwrap();
    assert_eq!(items.len(), 2);
    let current = items[0].roster.id;
    assert_eq!(items[0].roster.state, rosters::RosterState::Published);
    assert_eq!(items[1].roster.state, rosters::RosterState::Closed);
    // The school's administrator sees none of the Office's rosters.
    let school: Scope<RosterView> = scope_of(db, "quantri.truong").await.unwrap();
    assert!(
        rosters::list(db, &school, None, None, 50)
            .await
            .unwrap()
            .0
            .is_empty()
    );
    assert!(matches!(
        rosters::get(db, &school, current).await,
        Err(Error::NotFound)
    ));
    let school_m: Scope<RosterManage> = scope_of(db, "quantri.truong").await.unwrap();
    assert!(matches!(
        rosters::publish(db, &school_m, &actor(), current).await,
        Err(Error::NotFound)
    ));
    // Staff have no roster scope at all; their own duties come by person id.
    assert!(scope_of::<RosterView>(db, "nhanvien").await.is_none());
    let me = accounts::by_username(db, "nhanvien")
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap();
    let duties = rosters::my_duties(db, me, None).await.unwrap();
    let d = rosters::get(db, &all, current).await.unwrap();
    let mine = d.cells.iter().filter(|c| c.person_id == me).count();
    let this_roster = duties.iter().filter(|x| x.roster_id == current).count();
    assert_eq!(this_roster, mine);
    // The demo's coming roster was solved with last year's history and breaks no rule.
    let (_, ev, _) = rosters::evaluate(db, &d).await.unwrap().unwrap();
    assert!(ev.feasible(), "{:?}", ev.violations);
    // Feeds: a secret stands for the person until it is revoked.
    let token = rosters::feeds::create(db, &actor(), me).await.unwrap();
    assert_eq!(
        rosters::feeds::person_for(db, &token).await.unwrap(),
        Some(me)
    );
    assert!(rosters::feeds::revoke(db, &actor(), me).await.unwrap());
    assert_eq!(rosters::feeds::person_for(db, &token).await.unwrap(), None);
}
