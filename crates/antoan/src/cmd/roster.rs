//! `antoan roster`: solve and score duty rosters in the benchmark text format.

use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum RosterCmd {
    /// Build a roster for INSTANCE within the time budget and write it to --out.
    Solve {
        instance: PathBuf,
        /// Wall-clock budget in seconds.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// Worker threads.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Seed: the same seed and thread count give the same roster.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Score ROSTER against INSTANCE: breakdown, then the penalty on the last line; exit 3 when a hard rule is broken.
    Score { instance: PathBuf, roster: PathBuf },
}

pub fn run(cmd: RosterCmd) -> Result<ExitCode> {
    match cmd {
        RosterCmd::Solve {
            instance,
            seconds,
            threads,
            seed,
            out,
        } => {
            if !(seconds > 0.0 && seconds.is_finite()) {
                anyhow::bail!("--seconds must be a positive number");
            }
            let report = roster::solve_file(&instance, seconds, threads.max(1), seed, &out)
                .with_context(|| format!("solving {}", instance.display()))?;
            println!("{report}");
            Ok(if report.feasible {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            })
        }
        RosterCmd::Score {
            instance,
            roster: file,
        } => {
            let report = roster::score_file(&instance, &file)
                .with_context(|| format!("scoring {}", file.display()))?;
            println!("{report}");
            Ok(if report.hard_broken() {
                ExitCode::from(3)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
