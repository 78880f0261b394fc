//! What the file-level entry points return to the command line: printable
//! reports with a flag for "a hard rule is broken".

use std::fmt;

use crate::evaluate::Evaluation;

/// Result of scoring a roster file against an instance.
#[derive(Clone, Debug)]
pub struct ScoreReport {
    /// The full evaluation.
    pub evaluation: Evaluation,
}

impl ScoreReport {
    /// True when a hard rule is broken (the CLI should exit non-zero).
    pub fn hard_broken(&self) -> bool {
        !self.evaluation.feasible()
    }

    /// The penalty.
    pub fn penalty(&self) -> u64 {
        self.evaluation.penalty
    }
}

impl fmt::Display for ScoreReport {
    /// Breakdown lines, then `penalty N` on the last line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.evaluation)
    }
}

/// Result of a solver run.
#[derive(Clone, Debug)]
pub struct SolveReport {
    /// Penalty of the roster written.
    pub penalty: u64,
    /// Whether the roster written breaks no hard rule.
    pub feasible: bool,
    /// Seconds from the start until the first roster with no broken hard rule.
    pub first_feasible_seconds: Option<f64>,
    /// Wall-clock seconds used.
    pub seconds: f64,
    /// Local-search moves tried over all threads.
    pub moves: u64,
    /// Threads used.
    pub threads: usize,
    /// Evaluation of the roster written.
    pub evaluation: Evaluation,
}

impl fmt::Display for SolveReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.evaluation)?;
        match self.first_feasible_seconds {
            Some(s) => writeln!(f, "first feasible {s:.3} s")?,
            None => writeln!(f, "first feasible never")?,
        }
        writeln!(
            f,
            "moves {} on {} threads in {:.3} s",
            self.moves, self.threads, self.seconds
        )?;
        write!(f, "feasible {}", self.feasible)
    }
}
