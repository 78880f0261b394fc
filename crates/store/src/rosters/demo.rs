//! The demo's duty rosters of the Office: last year's Tết roster, published and closed (so the
//! fairness history has holiday nights in it), and the roster for the coming Tết, solved with
//! that history, published, with one person on leave, a few wishes and a swap asked for by the
//! demo staff member. Dates follow today, so the demo looks the same whenever it is loaded.
//!
//! When the plans demo ran first (it does in `antoan demo`), last year's roster covers last
//! year's closed Tết plan and belongs to it, and the approved plan of the nearest coming peak
//! gets a published roster over its period. The coming Tết roster stays without a plan: the
//! coming Tết has no plan in the demo, so that one can be copied from last year's.

use super::people::{AbsenceInput, RequestInput};
use super::setup::NewRoster;
use super::{ops, people, read, setup, swaps};
use crate::audit::Actor;
use crate::scope::{RosterManage, RosterView};
use crate::{Db, Error, Result, Scope, units};
use chrono::{Days, NaiveDate};
use sqlx::Row;

/// Seconds the demo gives the solver per roster.
const SOLVE_SECONDS: f64 = 1.0;

/// The Tết window: ten days either side of the first day of the lunar year.
pub fn tet_window(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let tet = lich::tet(year).ok()?;
    Some((
        tet.checked_sub_days(Days::new(10))?,
        tet.checked_add_days(Days::new(10))?,
    ))
}

/// The coming Tết window (the one that has not ended yet) after `today`.
pub fn coming_tet(today: NaiveDate) -> Option<(i32, NaiveDate, NaiveDate)> {
    use chrono::Datelike;
    for y in today.year()..today.year() + 2 {
        let (s, e) = tet_window(y)?;
        if e >= today {
            return Some((y, s, e));
        }
    }
    None
}

async fn one(db: &Db, sql: &str, arg: &str) -> Result<Option<i64>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(arg.to_owned())
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get("id")?),
        None => None,
    })
}

fn solve_failed(e: ops::SolveError) -> Error {
    match e {
        ops::SolveError::Store(e) => e,
        ops::SolveError::Setup(p) => Error::Config(format!("demo roster setup: {p:?}")),
    }
}

/// Loads the demo rosters (into a database holding the base demo).
pub async fn load_demo(db: &Db, today: NaiveDate) -> Result<()> {
    let province = units::province(db).await?.ok_or(Error::NotFound)?;
    let scope: Scope<RosterManage> = Scope::whole_system_for_cli(province.root());
    let view: Scope<RosterView> = Scope::whole_system_for_cli(province.root());
    let actor = Actor::system("demo");
    let office = one(
        db,
        "SELECT id FROM units WHERE kind = 'organisation' AND abbreviation = $1",
        "VPTU",
    )
    .await?
    .ok_or(Error::NotFound)?;
    let (year, start, end) = coming_tet(today).ok_or(Error::NotFound)?;
    let (last_start, last_end) = tet_window(year - 1).ok_or(Error::NotFound)?;

    // Last year's Tết: solved, published, closed; over last year's plan's period when there
    // is one (the plan's window runs from 23 Chạp, later than ten days before Tết).
    let last_plan = office_plan(
        db,
        office,
        "p.peak_id = 'tet' AND p.state = 'closed' AND p.year = $2",
        year - 1,
    )
    .await?;
    let (last_start, last_end, last_plan) = match last_plan {
        Some(p) => (p.start, p.end, Some(p.id)),
        None => (last_start, last_end, None),
    };
    let last = setup::create(
        db,
        &scope,
        &actor,
        &NewRoster {
            org_id: office,
            title: format!("Lịch trực bảo vệ cơ quan dịp Tết Nguyên đán {}", year - 1),
            start_day: last_start,
            end_day: last_end,
            plan_id: last_plan,
        },
    )
    .await?;
    people::add_members(db, &scope, &actor, last, office, None).await?;
    ops::solve(db, &scope, &actor, last, SOLVE_SECONDS)
        .await
        .map_err(solve_failed)?;
    ops::publish(db, &scope, &actor, last).await?;
    ops::close(db, &scope, &actor, last).await?;

    // This year's Tết: leave, wishes, solved against last year's holiday nights, published.
    let this = setup::create(
        db,
        &scope,
        &actor,
        &NewRoster {
            org_id: office,
            title: format!("Lịch trực bảo vệ cơ quan dịp Tết Nguyên đán {year}"),
            start_day: start,
            end_day: end,
            plan_id: None,
        },
    )
    .await?;
    people::add_members(db, &scope, &actor, this, office, None).await?;
    let d = read::get(db, &view, this).await?;
    let staff = one(
        db,
        "SELECT p.id FROM people p JOIN accounts a ON a.person_id = p.id WHERE a.username = $1",
        "nhanvien",
    )
    .await?;
    if let Some(first) = d.members.iter().find(|m| Some(m.person_id) != staff) {
        people::add_absence(
            db,
            &scope,
            &actor,
            this,
            &AbsenceInput {
                person_id: first.person_id,
                start_day: start,
                end_day: start.checked_add_days(Days::new(6)).unwrap_or(start),
                reason: "Nghỉ phép năm".into(),
            },
        )
        .await?;
    }
    let night = d.shifts.iter().find(|s| s.code == "dem").map(|s| s.id);
    if let (Some(me), Some(night)) = (staff, night) {
        let tet = lich::tet(year).map_err(|_| Error::NotFound)?;
        // The demo staff member would rather not spend New Year's Eve at the gate, and offers
        // two nights after the holiday instead (the night shift's third post needs no skill;
        // the day shift's three posts all go to self-defence members and a driver).
        for after in [6, 8] {
            people::add_request(
                db,
                &scope,
                &actor,
                this,
                &RequestInput {
                    person_id: me,
                    day: tet.checked_add_days(Days::new(after)).unwrap_or(tet),
                    shift_id: night,
                    wants: true,
                },
            )
            .await?;
        }
        people::add_request(
            db,
            &scope,
            &actor,
            this,
            &RequestInput {
                person_id: me,
                day: tet.checked_sub_days(Days::new(1)).unwrap_or(tet),
                shift_id: night,
                wants: false,
            },
        )
        .await?;
    }
    ops::solve(db, &scope, &actor, this, SOLVE_SECONDS)
        .await
        .map_err(solve_failed)?;
    ops::publish(db, &scope, &actor, this).await?;

    // The staff member asks to hand one duty to a colleague of the same shift's kind.
    if let Some(me) = staff {
        let d = read::get(db, &view, this).await?;
        let mine = d.cells.iter().find(|c| c.person_id == me).copied();
        if let Some(c) = mine {
            let colleague = d
                .members
                .iter()
                .find(|m| m.person_id != me && d.cell(m.person_id, c.day).is_none());
            if let Some(o) = colleague {
                swaps::request(
                    db,
                    &actor,
                    me,
                    &swaps::SwapRequest {
                        roster_id: this,
                        day: c.day,
                        other_id: o.person_id,
                        other_day: None,
                        note: "Gia đình có việc riêng, xin đổi ca.".into(),
                    },
                )
                .await?;
            }
        }
    }

    // This year's approved plan (the nearest coming peak's): a roster over its period,
    // published. Made last, so the coming Tết roster's fairness history above holds last
    // year's Tết only, as it did before plans had rosters.
    let coming = office_plan(
        db,
        office,
        "p.state = 'approved' AND p.year >= $2",
        chrono::Datelike::year(&today),
    )
    .await?;
    if let Some(p) = coming {
        let id = setup::create(
            db,
            &scope,
            &actor,
            &NewRoster {
                org_id: office,
                title: super::plans::title_for(&p.title),
                start_day: p.start,
                end_day: p.end,
                plan_id: Some(p.id),
            },
        )
        .await?;
        people::add_members(db, &scope, &actor, id, office, None).await?;
        ops::solve(db, &scope, &actor, id, SOLVE_SECONDS)
            .await
            .map_err(solve_failed)?;
        ops::publish(db, &scope, &actor, id).await?;
    }
    Ok(())
}

/// A plan of the Office as the demo rosters need it.
struct DemoPlan {
    id: i64,
    title: String,
    start: NaiveDate,
    end: NaiveDate,
}

/// The Office's first plan (by period) matching `filter` (with `$1` the Office and `$2` the
/// year), if the plans demo has run.
async fn office_plan(db: &Db, office: i64, filter: &str, year: i32) -> Result<Option<DemoPlan>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT p.id, p.title, p.starts_on, p.ends_on FROM plans p WHERE p.org_id = $1 AND {filter} \
         ORDER BY p.starts_on, p.id LIMIT 1"
    )))
    .bind(office)
    .bind(i64::from(year))
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some(r) => Some(DemoPlan {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            start: super::day(&r.try_get::<String, _>("starts_on")?)?,
            end: super::day(&r.try_get::<String, _>("ends_on")?)?,
        }),
        None => None,
    })
}
