//! Product-size roster figures (bench/roster-product/run.sh): the demo Office's 80 people over
//! the 21-day Tết window with three shift types (day, night, leader on call) and cover by
//! skill, built from the database exactly as the page builds it.
//!
//! 1. Solving: for each seed, the time to the first roster breaking no rule and the penalty
//!    after the product's 2-second budget (2 threads).
//! 2. Re-checking one hand edit, three ways, over random edits:
//!    - `engine`: the incremental checker's price of the edit (`Checker::score_if`);
//!    - `check`: what the editor's check does once the roster is loaded: price the edit, apply
//!      it, evaluate the whole roster for the reasons and keep those of the edited person/day;
//!    - `endpoint`: the same plus reading the roster, its fairness history and building the
//!      model from the database, as `POST /rosters/{id}/check` does per request.
//!
//! `cargo run --release -p store --example roster_product -- [SEEDS] [EDITS]`

use chrono::Days;
use roster::{Checker, Day, SolveOptions};
use std::time::Instant;
use store::audit::Actor;
use store::rosters::{self, NewRoster};
use store::scope::{RosterManage, RosterView};
use store::testdb::TestDb;
use store::{Scope, units};

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95), v[v.len() - 1])
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seeds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let edits: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(2000);
    let t = TestDb::new().await?;
    let db = &t.db;
    store::demo::load(db).await?;
    let root = units::province(db).await?.ok_or("no province")?.root();
    let manage: Scope<RosterManage> = Scope::whole_system_for_cli(root.clone());
    let view: Scope<RosterView> = Scope::whole_system_for_cli(root);
    let actor = Actor::system("bench");
    let office: i64 = sqlx::Row::try_get(
        &sqlx::query("SELECT id FROM units WHERE abbreviation = 'VPTU'")
            .fetch_one(db.pool())
            .await?,
        "id",
    )?;
    let tet = lich::tet(2027)?;
    let id = rosters::create(
        db,
        &manage,
        &actor,
        &NewRoster {
            org_id: office,
            title: "Tết 2027".into(),
            start_day: tet.checked_sub_days(Days::new(10)).ok_or("date")?,
            end_day: tet.checked_add_days(Days::new(10)).ok_or("date")?,
            plan_id: None,
        },
    )
    .await?;
    rosters::add_members(db, &manage, &actor, id, office, None).await?;
    let d = rosters::get(db, &view, id).await?;
    let h24 = d
        .shifts
        .iter()
        .find(|s| s.name == "Trực 24 giờ")
        .ok_or("shift")?
        .id;
    rosters::remove_shift(db, &manage, &actor, id, h24).await?;
    let d = rosters::get(db, &view, id).await?;
    let (built, _, _) = rosters::evaluate(db, &d)
        .await?
        .map_err(|p| format!("{p:?}"))?;
    let m = &built.model;
    println!(
        "model: {} people, {} days ({} in the roster), {} shift types, {} cover lines, {} skills",
        m.staff().len(),
        m.horizon(),
        built.days.len(),
        m.shifts().len(),
        m.covers().len(),
        m.skills().len()
    );

    // 1. Solving.
    let mut first = Vec::new();
    let mut feasible = 0;
    let mut penalties = Vec::new();
    for seed in 1..=seeds {
        let s = roster::solve(
            m,
            &SolveOptions {
                seconds: 2.0,
                threads: 2,
                seed,
                max_rounds: None,
            },
        );
        if let Some(f) = s.first_feasible_seconds {
            first.push(f);
        }
        if s.evaluation.feasible() {
            feasible += 1;
        }
        penalties.push(s.evaluation.penalty as f64);
        println!(
            "seed {seed}: first roster with no broken rule after {:?} s, final penalty {} ({} broken rules), {:.2} s",
            s.first_feasible_seconds
                .map(|x| (x * 1000.0).round() / 1000.0),
            s.evaluation.penalty,
            s.evaluation.violations.len(),
            s.seconds
        );
    }
    let (fm, fp, fx) = stats(first.clone());
    let (pm, _, _) = stats(penalties);
    println!(
        "SOLVE feasible {feasible}/{seeds}; first feasible median {:.3} s, p95 {:.3} s, max {:.3} s; penalty median {pm}",
        fm, fp, fx
    );

    // Store a proposal, as the page's button does, so the checks run on a real roster.
    let solved = rosters::solve(db, &manage, &actor, id, 2.0)
        .await
        .map_err(|e| format!("{e:?}"))?;
    println!("stored proposal: {solved:?}");
    let d = rosters::get(db, &view, id).await?;

    // 2. Re-checking edits: person, day and value from a fixed sequence.
    let n_people = built.people.len();
    let n_days = built.days.len();
    let n_shifts = built.shifts.len();
    let edit = |i: usize| {
        let p = (i * 7919) % n_people;
        let day = (i * 104_729) % n_days;
        let v = (i * 31) % (n_shifts + 1);
        (p, day, v)
    };
    let mut checker = Checker::new(m, &built.roster_of(&d.cells));
    let mut engine = Vec::with_capacity(edits);
    for i in 0..edits {
        let (p, day, v) = edit(i);
        let s = (v > 0).then(|| m.shift_id(v - 1));
        let started = Instant::now();
        let score = checker.score_if(m.staff_id(p), Day((built.offset + day) as u16), s);
        engine.push(started.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(score);
    }
    let mut check = Vec::with_capacity(edits);
    for i in 0..edits {
        let (p, day, v) = edit(i);
        let shift = (v > 0).then(|| built.shifts[v - 1]);
        let started = Instant::now();
        let c = rosters::check_cell(&built, &d, built.people[p], built.days[day], shift)?;
        check.push(started.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(c);
    }
    let mut endpoint = Vec::new();
    for i in 0..(edits / 10).max(50) {
        let (p, day, v) = edit(i);
        let shift = (v > 0).then(|| built.shifts[v - 1]);
        let started = Instant::now();
        let dd = rosters::get(db, &view, id).await?;
        let (b, _, _) = rosters::evaluate(db, &dd)
            .await?
            .map_err(|p| format!("{p:?}"))?;
        let c = rosters::check_cell(&b, &dd, b.people[p], b.days[day], shift)?;
        endpoint.push(started.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(c);
    }
    for (name, v) in [("engine", engine), ("check", check), ("endpoint", endpoint)] {
        let n = v.len();
        let (med, p95, max) = stats(v);
        println!("RECHECK {name}: {n} edits, median {med:.4} ms, p95 {p95:.4} ms, max {max:.4} ms");
    }
    Ok(())
}
