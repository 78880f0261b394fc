//! The evaluator against the check rosters of the benchmark (exact penalty
//! and breakdown), the rejected reversed reading of forbidden successions,
//! and agreement of the incremental checker with the full evaluation.

use std::path::PathBuf;

use roster::parse::read_instance;
use roster::{Checker, Day, Roster, Succession, evaluate, evaluate_with};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// (roster file, instance, penalty, on, off, cover) from the files' headers.
const CHECKS: [(&str, &str, u64, u64, u64, u64); 6] = [
    ("Instance1.607.roster", "Instance1.txt", 607, 4, 3, 600),
    ("Instance1.608.roster", "Instance1.txt", 608, 4, 3, 601),
    ("Instance2.845.roster", "Instance2.txt", 845, 43, 2, 800),
    ("Instance3.1005.roster", "Instance3.txt", 1005, 5, 0, 1000),
    ("Instance4.1733.roster", "Instance4.txt", 1733, 23, 4, 1706),
    ("Instance5.1264.roster", "Instance5.txt", 1264, 52, 12, 1200),
];

#[test]
fn check_rosters_score_exactly() {
    for (file, instance, penalty, on, off, cover) in CHECKS {
        let model = read_instance(&data(instance)).unwrap();
        let r = Roster::read(&model, &data(file)).unwrap();
        let ev = evaluate(&model, &r);
        assert!(ev.feasible(), "{file}: {:?}", ev.violations);
        assert_eq!(ev.penalty, penalty, "{file}");
        assert_eq!(
            (
                ev.breakdown.on_requests,
                ev.breakdown.off_requests,
                ev.breakdown.cover
            ),
            (on, off, cover),
            "{file}"
        );
        let charged: u64 = ev.penalties.iter().map(|p| p.cost).sum();
        assert_eq!(charged, penalty, "{file}: reasons add up to the penalty");
    }
}

#[test]
fn check_rosters_also_agree_through_score_file() {
    let report = roster::score_file(&data("Instance2.txt"), &data("Instance2.845.roster")).unwrap();
    assert!(!report.hard_broken());
    let text = report.to_string();
    assert_eq!(text.lines().last(), Some("penalty 845"));
}

#[test]
fn reversed_succession_reading_is_rejected() {
    let mut differs = 0;
    for (file, instance, penalty, ..) in CHECKS {
        let model = read_instance(&data(instance)).unwrap();
        let r = Roster::read(&model, &data(file)).unwrap();
        let ours = evaluate_with(&model, &r, Succession::AsWritten);
        let reversed = evaluate_with(&model, &r, Succession::Reversed);
        assert!(ours.feasible() && ours.penalty == penalty);
        if reversed != ours {
            differs += 1;
            assert!(
                !reversed.feasible(),
                "{file}: the reversed reading breaks a succession rule"
            );
        }
    }
    // Instances 2-5 have more than one shift type.
    assert!(
        differs >= 4,
        "the reversed reading differs on {differs} rosters"
    );
}

#[test]
fn breaches_are_named_with_reasons() {
    let model = read_instance(&data("Instance2.txt")).unwrap();
    let mut r = Roster::read(&model, &data("Instance2.845.roster")).unwrap();
    let a = model.staff_by_name("A").unwrap();
    // A works L on days 5-9 (max 5 consecutive): adding day 4 makes a run of 6.
    let l = model.shift_by_name("L").unwrap();
    r.set(a, Day(4), Some(l));
    let ev = evaluate(&model, &r);
    let reasons: Vec<&str> = ev.violations.iter().map(|v| v.reason.as_str()).collect();
    assert!(
        reasons
            .iter()
            .any(|s| s.contains("consecutive shifts, max 5")),
        "{reasons:?}"
    );
    assert!(ev.violations.iter().all(|v| !v.rule.name().is_empty()));
}

#[test]
fn incremental_checker_matches_full_evaluation() {
    let model = read_instance(&data("Instance5.txt")).unwrap();
    let r = Roster::read(&model, &data("Instance5.1264.roster")).unwrap();
    let mut checker = Checker::new(&model, &r);
    assert_eq!(checker.score().soft, 1264);
    assert_eq!(checker.score().hard, 0);
    let mut x: u64 = 12345;
    for _ in 0..300 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let p = model.staff_id((x >> 33) as usize % model.staff().len());
        let d = Day(((x >> 20) as usize % model.horizon()) as u16);
        let k = (x >> 8) as usize % (model.shifts().len() + 1);
        let s = (k > 0).then(|| model.shift_id(k - 1));
        let predicted = checker.score_if(p, d, s);
        let applied = checker.set(p, d, s);
        assert_eq!(predicted, applied);
        let full = evaluate(&model, &checker.roster());
        assert_eq!(applied.soft as u64, full.penalty);
        assert_eq!(applied.hard == 0, full.feasible());
    }
}

#[test]
fn roster_text_round_trips() {
    let model = read_instance(&data("Instance3.txt")).unwrap();
    let r = Roster::read(&model, &data("Instance3.1005.roster")).unwrap();
    let text = r.to_text(&model, &["comment".to_string()]);
    assert_eq!(Roster::parse(&model, &text).unwrap(), r);
}
