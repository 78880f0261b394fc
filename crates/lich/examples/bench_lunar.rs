//! Benchmark: convert every day from 1900-01-01 to 2100-12-31 solar → lunar
//! and back, several times, and print the median.
//!
//! Run with `cargo run --release -p lich --example bench_lunar`.
//!
//! "cold" runs use a new calendar each time, so they include computing the
//! month tables; "warm" runs reuse the shared calendar.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use lich::{LunarCalendar, TimeZone};

const RUNS: usize = 11;

fn convert_all(cal: &LunarCalendar) -> usize {
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MIN);
    let mut checked = 0;
    for day in first.iter_days().take_while(|d| *d <= last) {
        let lunar = cal.solar_to_lunar(black_box(day));
        let back = lunar.and_then(|l| cal.to_solar(&l));
        if back == Ok(day) {
            checked += 1;
        }
    }
    checked
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut cold = Vec::with_capacity(RUNS);
    let mut warm = Vec::with_capacity(RUNS);
    let mut days = 0;
    for _ in 0..RUNS {
        let cal = LunarCalendar::new(TimeZone::VIETNAM);
        let t = Instant::now();
        days = black_box(convert_all(&cal));
        cold.push(t.elapsed());
        let t = Instant::now();
        black_box(convert_all(LunarCalendar::vietnam()));
        warm.push(t.elapsed());
    }
    println!("days converted both ways per run: {days} (all round-tripped)");
    println!("runs: {RUNS}");
    println!(
        "median cold (tables computed in the run): {:?}",
        median(cold)
    );
    println!(
        "median warm (tables cached):               {:?}",
        median(warm)
    );
}
