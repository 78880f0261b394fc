//! `roster`: the duty-roster engine of An Toàn.
//!
//! * [`model`] — the problem: shift types, staff limits, requests, cover
//!   (also by skill), rest rules and fairness terms, with typed ids and a
//!   validating builder.
//! * [`parse`] — the Curtois–Qu benchmark text format.
//! * [`roster`] — a roster and its text file format.
//! * [`evaluate`] — the exact evaluator: hard breaches by name, penalty
//!   breakdown, one human reason per penalty.
//! * [`incremental`] — delta evaluation for interactive edits and the solver.
//! * [`solver`] — an anytime, deterministic, multi-threaded search.
//! * [`report`] — what the command line prints.
//!
//! The engine does no I/O except reading and writing the benchmark files
//! through [`solve_file`] and [`score_file`].
//!
//! A product roster is built through the API and solved in memory:
//!
//! ```
//! use roster::{Cover, Day, ModelBuilder, SolveOptions, solve};
//!
//! let mut b = ModelBuilder::new(7);
//! let day = b.shift("Ngày", Some(6 * 60), 480)?;
//! let night = b.shift("Đêm", Some(22 * 60), 480)?;
//! b.min_rest(11 * 60); // no day shift straight after a night
//! let leader = b.skill("chỉ huy")?;
//! for i in 0..6 {
//!     let mut p = b.new_staff(&format!("NV{i}"));
//!     if i < 2 {
//!         p.skills |= 1 << leader.index();
//!     }
//!     p.max_consecutive = 5;
//!     b.staff(p)?;
//! }
//! for d in 0..7 {
//!     for s in [day, night] {
//!         b.cover(Cover { day: Day(d), shift: s, skill: None, target: 2, under: 100, over: 1 });
//!         b.cover(Cover { day: Day(d), shift: s, skill: Some(leader), target: 1, under: 1000, over: 0 });
//!     }
//! }
//! let model = b.build()?;
//! let opts = SolveOptions { seconds: 0.5, threads: 1, seed: 1, max_rounds: Some(3) };
//! let solution = solve(&model, &opts);
//! assert!(solution.evaluation.feasible());
//! for p in &solution.evaluation.penalties {
//!     println!("{}: {}", p.cost, p.reason);
//! }
//! # Ok::<(), roster::Error>(())
//! ```

pub mod error;
pub mod evaluate;
pub mod incremental;
pub mod model;
pub mod parse;
pub mod report;
pub mod roster;
pub(crate) mod rules;
pub mod solver;

use std::path::Path;

pub use error::Error;
pub use evaluate::{Breakdown, Evaluation, Penalty, SoftTerm, Violation, evaluate, evaluate_with};
pub use incremental::{Checker, Score};
pub use model::{
    Burden, Cover, Day, Model, ModelBuilder, Request, RequestKind, ShiftId, ShiftType, SkillId,
    Staff, StaffId,
};
pub use report::{ScoreReport, SolveReport};
pub use roster::Roster;
pub use rules::{HardRule, Succession};
pub use solver::{Solution, SolveOptions, solve};

/// Solves an instance file within `seconds` on `threads` threads and writes
/// the best roster to `out` in the text roster format.
pub fn solve_file(
    instance: &Path,
    seconds: f64,
    threads: usize,
    seed: u64,
    out: &Path,
) -> Result<SolveReport, Error> {
    let opts = SolveOptions {
        seconds,
        threads,
        seed,
        max_rounds: None,
    };
    solve_file_with(instance, &opts, out)
}

/// As [`solve_file`] with every option, among them a round limit that makes
/// the run independent of machine speed (for comparing solver versions).
pub fn solve_file_with(
    instance: &Path,
    opts: &SolveOptions,
    out: &Path,
) -> Result<SolveReport, Error> {
    let SolveOptions {
        seconds,
        threads,
        seed,
        ..
    } = *opts;
    let model = parse::read_instance(instance)?;
    let solution = solve(&model, opts);
    let ev = &solution.evaluation;
    let b = &ev.breakdown;
    let name = instance
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let comments = vec![
        format!("{name}, horizon {} days", model.horizon()),
        format!("Source: antoan roster solve, seed {seed}, {threads} threads, {seconds} s"),
        format!(
            "Expected: hard violations {}; penalty {} = on-requests {} + off-requests {} + cover {}",
            ev.violations.len(),
            ev.penalty,
            b.on_requests,
            b.off_requests,
            b.cover
        ),
    ];
    solution.roster.write(&model, out, &comments)?;
    Ok(SolveReport {
        penalty: ev.penalty,
        feasible: ev.feasible(),
        first_feasible_seconds: solution.first_feasible_seconds,
        seconds: solution.seconds,
        moves: solution.moves,
        threads: threads.max(1),
        evaluation: solution.evaluation,
    })
}

/// Scores a roster file against an instance file.
pub fn score_file(instance: &Path, roster: &Path) -> Result<ScoreReport, Error> {
    let model = parse::read_instance(instance)?;
    let r = Roster::read(&model, roster)?;
    Ok(ScoreReport {
        evaluation: evaluate(&model, &r),
    })
}
