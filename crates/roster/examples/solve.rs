//! Benchmark driver with the same arguments as `antoan roster`:
//!
//! ```text
//! solve INSTANCE --seconds N --threads T --seed S --out FILE [--rounds R]
//! score INSTANCE FILE
//! ```
//!
//! `--rounds` stops after that many synchronisation rounds (the budget still
//! applies): the result is then the same on any machine and under any load.

use std::path::PathBuf;
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!(
        "usage: solve solve INSTANCE --seconds N --threads T --seed S --out FILE [--rounds R]"
    );
    eprintln!("       solve score INSTANCE FILE");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("solve") if args.len() >= 2 => {
            let instance = PathBuf::from(&args[1]);
            let (mut seconds, mut threads, mut seed, mut out) =
                (60.0, 1, 1, PathBuf::from("roster.txt"));
            let mut rounds = None;
            let mut i = 2;
            while i + 1 < args.len() {
                let value = &args[i + 1];
                let ok = match args[i].as_str() {
                    "--seconds" => value.parse().map(|v| seconds = v).is_ok(),
                    "--threads" => value.parse().map(|v| threads = v).is_ok(),
                    "--seed" => value.parse().map(|v| seed = v).is_ok(),
                    "--rounds" => value.parse().map(|v| rounds = Some(v)).is_ok(),
                    "--out" => {
                        out = PathBuf::from(value);
                        true
                    }
                    _ => false,
                };
                if !ok {
                    return usage();
                }
                i += 2;
            }
            if i != args.len() {
                return usage();
            }
            let opts = roster::SolveOptions {
                seconds,
                threads,
                seed,
                max_rounds: rounds,
            };
            match roster::solve_file_with(&instance, &opts, &out) {
                Ok(report) => {
                    println!("{report}");
                    if report.feasible {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Some("score") if args.len() == 3 => {
            match roster::score_file(&PathBuf::from(&args[1]), &PathBuf::from(&args[2])) {
                Ok(report) => {
                    println!("{report}");
                    if report.hard_broken() {
                        ExitCode::FAILURE
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        _ => usage(),
    }
}
