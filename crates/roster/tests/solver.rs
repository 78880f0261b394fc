//! Solver: feasibility on the small benchmark instances with a short budget,
//! and determinism for a given seed and thread count.

use std::path::PathBuf;

use roster::parse::read_instance;
use roster::{SolveOptions, evaluate, solve};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[test]
fn feasible_on_instances_1_to_4() {
    for i in 1..=4 {
        let model = read_instance(&data(&format!("Instance{i}.txt"))).unwrap();
        let opts = SolveOptions {
            seconds: 2.0,
            threads: 2,
            seed: 7,
            max_rounds: None,
        };
        let s = solve(&model, &opts);
        assert!(
            s.evaluation.feasible(),
            "Instance{i}: {:?}",
            s.evaluation.violations
        );
        assert!(s.first_feasible_seconds.is_some());
        assert!(
            s.seconds < 2.0 + 1.5,
            "Instance{i} overran: {} s",
            s.seconds
        );
        // The solver's own verdict is the evaluator's.
        assert_eq!(evaluate(&model, &s.roster), s.evaluation);
    }
}

#[test]
fn same_seed_and_threads_give_the_same_roster() {
    let model = read_instance(&data("Instance3.txt")).unwrap();
    let opts = SolveOptions {
        seconds: 60.0,
        threads: 2,
        seed: 42,
        // Past the first two restarts from the shared best (cycles of 16
        // and 24 rounds here), where the threads exchange rosters.
        max_rounds: Some(41),
    };
    let a = solve(&model, &opts);
    let b = solve(&model, &opts);
    assert_eq!(a.rounds, 41);
    assert_eq!(a.roster, b.roster);
    assert_eq!(a.evaluation.penalty, b.evaluation.penalty);
    let c = solve(&model, &SolveOptions { seed: 43, ..opts });
    assert!(c.evaluation.feasible());
}

#[test]
fn solve_file_writes_a_roster_the_scorer_accepts() {
    let out = std::env::temp_dir().join(format!("roster-test-{}.roster", std::process::id()));
    let report = roster::solve_file(&data("Instance1.txt"), 1.0, 1, 3, &out).unwrap();
    assert!(report.feasible);
    let score = roster::score_file(&data("Instance1.txt"), &out).unwrap();
    assert_eq!(score.penalty(), report.penalty);
    let _ = std::fs::remove_file(out);
}

#[test]
fn tiny_models_do_not_break_the_solver() {
    for (days, people) in [(1, 1), (1, 3), (2, 1), (9, 2)] {
        let mut b = roster::ModelBuilder::new(days);
        let s = b.shift("D", Some(8 * 60), 480).unwrap();
        for i in 0..people {
            let p = b.new_staff(&format!("P{i}"));
            b.staff(p).unwrap();
        }
        for d in 0..days {
            b.cover(roster::Cover {
                day: roster::Day(d as u16),
                shift: s,
                skill: None,
                target: 1,
                under: 100,
                over: 1,
            });
        }
        let model = b.build().unwrap();
        let opts = SolveOptions {
            seconds: 0.2,
            threads: 2,
            seed: 1,
            max_rounds: Some(2),
        };
        let sol = solve(&model, &opts);
        assert!(sol.evaluation.feasible());
        assert_eq!(sol.evaluation.penalty, 0, "{days} days, {people} people");
    }
}
