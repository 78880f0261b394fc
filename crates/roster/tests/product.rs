//! A product-shaped roster built through the API: 80 people, 21 days, three
//! shifts with start times and a minimum rest, skills (leaders and
//! self-defence members) with cover by skill, leave, and fairness terms.

use roster::{
    Burden, Checker, Cover, Day, Model, ModelBuilder, Request, RequestKind, SolveOptions, evaluate,
    solve,
};

const DAYS: usize = 21;
const PEOPLE: usize = 80;

fn product_model() -> Model {
    let mut b = ModelBuilder::new(DAYS);
    let day = b.shift("Ngày", Some(6 * 60), 8 * 60).unwrap();
    let evening = b.shift("Chiều", Some(14 * 60), 8 * 60).unwrap();
    let night = b.shift("Đêm", Some(22 * 60), 8 * 60).unwrap();
    // 11 hours of rest: rules out night→day and night→evening and evening→day.
    b.min_rest(11 * 60);
    let leader = b.skill("chỉ huy").unwrap();
    let guard = b.skill("võ thuật").unwrap();
    for i in 0..PEOPLE {
        let mut p = b.new_staff(&format!("NV{i:02}"));
        if i % 8 == 0 {
            p.skills |= 1 << leader.index();
        }
        if i % 3 == 0 {
            p.skills |= 1 << guard.index();
        }
        p.max_minutes = 16 * 8 * 60;
        p.min_minutes = 9 * 8 * 60;
        p.max_consecutive = 6;
        p.min_days_off = 1;
        p.max_weekends = 2;
        p.target_shifts = Some(12);
        p.burden_history = (i % 4) as u32;
        // Leave: a week for every tenth person.
        if i % 10 == 0 {
            for d in 7..14 {
                p.days_off[d] = true;
            }
        }
        b.staff(p).unwrap();
    }
    b.spread_weight(2);
    for d in 0..DAYS {
        for (s, n) in [(day, 16), (evening, 14), (night, 12)] {
            let d = Day(d as u16);
            b.cover(Cover {
                day: d,
                shift: s,
                skill: None,
                target: n,
                under: 100,
                over: 5,
            });
            b.cover(Cover {
                day: d,
                shift: s,
                skill: Some(leader),
                target: 1,
                under: 1000,
                over: 0,
            });
            b.cover(Cover {
                day: d,
                shift: s,
                skill: Some(guard),
                target: 2,
                under: 500,
                over: 0,
            });
        }
    }
    // A holiday night weighs more on whoever has worked more of them before.
    b.burden(Burden {
        day: Day(10),
        shift: night,
        weight: 10,
    });
    let nv = b.staff_by_name("NV05").unwrap();
    b.request(Request {
        staff: nv,
        day: Day(3),
        shift: night,
        weight: 3,
        kind: RequestKind::Off,
    });
    b.build().unwrap()
}

#[test]
fn product_roster_is_feasible_fast_and_respects_leave_skills_and_rest() {
    let model = product_model();
    let s = solve(
        &model,
        &SolveOptions {
            seconds: 2.0,
            threads: 2,
            seed: 1,
            max_rounds: None,
        },
    );
    let ev = &s.evaluation;
    eprintln!(
        "product roster: first feasible {:?} s, penalty {}",
        s.first_feasible_seconds, ev.penalty
    );
    assert!(ev.feasible(), "{:?}", ev.violations);
    assert!(
        s.first_feasible_seconds.is_some_and(|t| t < 2.0),
        "{:?}",
        s.first_feasible_seconds
    );
    let night = model.shift_by_name("Đêm").unwrap();
    let day = model.shift_by_name("Ngày").unwrap();
    for (i, person) in model.staff().iter().enumerate() {
        let p = model.staff_id(i);
        for d in 0..DAYS {
            let cell = s.roster.get(p, Day(d as u16));
            if person.days_off[d] {
                assert_eq!(cell, None, "{} works on leave, day {d}", person.name);
            }
            if d + 1 < DAYS && cell == Some(night) {
                assert_ne!(
                    s.roster.get(p, Day(d as u16 + 1)),
                    Some(day),
                    "{}: rest after a night",
                    person.name
                );
            }
        }
    }
    // With 80 people a leader and two self-defence members fit on every shift.
    assert_eq!(ev.breakdown.skill_cover, 0, "{:?}", ev.penalties);
}

#[test]
fn rest_rule_forbids_night_then_day() {
    let model = product_model();
    let night = model.shift_by_name("Đêm").unwrap();
    let day = model.shift_by_name("Ngày").unwrap();
    let evening = model.shift_by_name("Chiều").unwrap();
    assert!(model.is_forbidden(night, day));
    assert!(model.is_forbidden(night, evening));
    assert!(model.is_forbidden(evening, day));
    assert!(!model.is_forbidden(day, night));
}

#[test]
fn one_cell_recheck_is_fast_at_product_size() {
    let model = product_model();
    let s = solve(
        &model,
        &SolveOptions {
            seconds: 0.5,
            threads: 1,
            seed: 2,
            max_rounds: None,
        },
    );
    let mut checker = Checker::new(&model, &s.roster);
    let night = model.shift_by_name("Đêm").unwrap();
    let started = std::time::Instant::now();
    let n = 2000;
    for i in 0..n {
        let p = model.staff_id(i % PEOPLE);
        let d = Day((i % DAYS) as u16);
        let _ = checker.score_if(p, d, Some(night));
    }
    let per = started.elapsed() / n as u32;
    eprintln!("one-cell re-check at 80 × 21: {per:?}");
    // Product target: under 5 ms per re-check (this holds even in a debug build).
    assert!(per.as_micros() < 5000, "{per:?} per re-check");
    let p = model.staff_id(5);
    let score = checker.set(p, Day(3), Some(night));
    assert_eq!(
        score.soft as u64,
        evaluate(&model, &checker.roster()).penalty
    );
}

#[test]
fn fairness_terms_have_reasons() {
    let model = product_model();
    let mut r = roster::Roster::empty(&model);
    let night = model.shift_by_name("Đêm").unwrap();
    r.set(model.staff_id(3), Day(10), Some(night));
    let ev = evaluate(&model, &r);
    // NV03 has 3 holiday nights behind them: 10 × (1 + 3).
    assert_eq!(ev.breakdown.burden, 40);
    assert!(
        ev.penalties
            .iter()
            .any(|p| p.reason.contains("NV03") && p.reason.contains("3 such shifts before"))
    );
    assert!(
        ev.penalties
            .iter()
            .any(|p| p.reason.contains("fair share 12"))
    );
    assert!(!ev.feasible(), "an empty roster misses the minimum minutes");
}
