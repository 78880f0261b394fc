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
    let model = parse::read_instance(instance)?;
    let solution = solve(
        &model,
        &SolveOptions {
            seconds,
            threads,
            seed,
            max_rounds: None,
        },
    );
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
