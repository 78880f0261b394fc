//! Loads the demo and then the province-scale benchmark data set, and prints how long each took.
//!
//! `cargo run --release -p store --example generate -- <database-url> [organisations people audit-entries]`
//! e.g. `sqlite:///tmp/antoan-scale.db?mode=rwc` or `postgres://postgres@127.0.0.1:5432/antoan_scale`.
//! The database must exist (SQLite creates the file) and may be empty or hold only the demo.

use std::time::Instant;
use store::generate::{self, Spec};
use store::{Db, demo};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(url) = args.first() else {
        eprintln!("usage: generate <database-url> [organisations people audit-entries]");
        std::process::exit(2);
    };
    let mut spec = Spec {
        on_top_of_demo: true,
        ..Spec::default()
    };
    let numbers: Vec<usize> = args[1..]
        .iter()
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    if let [orgs, people, audit] = numbers[..] {
        (spec.organisations, spec.people, spec.audit_entries) = (orgs, people, audit);
    }
    let db = Db::connect(url, 4).await?;
    db.migrate().await?;
    if demo::is_empty(&db).await? {
        let t = Instant::now();
        demo::load(&db).await?;
        println!("demo loaded in {:.1?}", t.elapsed());
    }
    let r = generate::province(&db, &spec).await?;
    println!(
        "{} organisations ({} departments, {} teams, {} partners), {} people, {} accounts, {} grants, {} history rows, {} audit entries",
        r.organisations,
        r.departments,
        r.teams,
        r.partners,
        r.people,
        r.accounts,
        r.role_grants,
        r.history,
        r.audit_entries
    );
    println!("generated in {:.1?}", r.elapsed);
    db.close().await;
    Ok(())
}
