//! The subcommands.

mod admin;
mod backup;
mod commitments;
mod document;
mod roster;
mod serve;

use crate::config::{self, Overrides, Settings};
use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use store::Db;

#[derive(Parser)]
#[command(
    name = "antoan",
    version,
    about = "An Toàn: quản lý công tác bảo vệ an ninh, trật tự / security and order management"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives; every subcommand takes these.
#[derive(Args, Clone)]
pub struct Global {
    /// Directory for the SQLite database, uploaded files and the optional antoan.toml.
    #[arg(long, env = "ANTOAN_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL: sqlite://FILE?mode=rwc or postgres://USER@HOST/DB (default: SQLite in the data directory).
    #[arg(long = "database", env = "ANTOAN_DATABASE_URL", global = true)]
    pub database: Option<String>,
    /// Config file (TOML); default: antoan.toml in the data directory, if present.
    #[arg(long, env = "ANTOAN_CONFIG", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web server (applies migrations first).
    Serve(serve::ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Administer accounts from the server's shell.
    #[command(subcommand)]
    Admin(admin::AdminCmd),
    /// Load the demo data into an empty database; with --scale, add a province-scale data set.
    Demo(DemoArgs),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Make a consistent copy of the database while the server runs.
    Backup(backup::BackupArgs),
    /// Official documents.
    #[command(subcommand)]
    Document(document::DocumentCmd),
    /// Duty rosters.
    #[command(subcommand)]
    Roster(roster::RosterCmd),
    /// Commitment signatures: verify a receipt, print one.
    #[command(subcommand)]
    Commitments(commitments::CommitmentsCmd),
}

#[derive(Args)]
pub struct DemoArgs {
    /// Also generate a province-scale data set (2,000 organisations, 200,000 people) for benchmarks.
    #[arg(long)]
    pub scale: bool,
    #[arg(long, default_value_t = 2000)]
    pub organisations: usize,
    #[arg(long, default_value_t = 200_000)]
    pub people: usize,
    #[arg(long, default_value_t = 400_000)]
    pub audit_entries: usize,
}

#[derive(Subcommand)]
pub enum AuditCmd {
    /// Walk the hash chain; exit 0 when intact, 2 naming the first entry that was changed, removed or inserted.
    Verify,
}

impl Global {
    pub fn settings(&self, bind: Option<String>) -> Result<Settings> {
        let o = Overrides {
            config: self.config.clone(),
            data_dir: self.data_dir.clone(),
            database_url: self.database.clone(),
            bind,
            env: config::EnvSettings::read(|k| std::env::var(k).ok()),
        };
        let file = config::read_file(&o)?;
        config::resolve(&o, file)
    }
}

/// Opens the database (creating the data directory for SQLite) and applies migrations.
pub async fn open(s: &Settings) -> Result<Db> {
    if s.database_url.starts_with("sqlite") {
        std::fs::create_dir_all(&s.data_dir)?;
    }
    let db = Db::connect(&s.database_url, s.pool_size()).await?;
    db.migrate().await?;
    Ok(db)
}

pub async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.global, args).await,
        Command::Migrate => {
            let s = cli.global.settings(None)?;
            open(&s).await?;
            println!("migrations applied: {}", store::redact_url(&s.database_url));
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin(c) => admin::run(&cli.global, c).await,
        Command::Demo(args) => demo(&cli.global, args).await,
        Command::Audit(AuditCmd::Verify) => {
            let s = cli.global.settings(None)?;
            let db = open(&s).await?;
            let v = store::audit::verify(&db).await?;
            match v.first_break {
                None => {
                    println!("audit chain intact: {} entries", v.entries);
                    Ok(ExitCode::SUCCESS)
                }
                Some(b) => {
                    println!("audit chain BROKEN: {b}");
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Backup(args) => backup::run(&cli.global, args).await,
        Command::Document(c) => document::run(c),
        Command::Roster(c) => roster::run(c),
        Command::Commitments(c) => commitments::run(&cli.global, c).await,
    }
}

async fn demo(g: &Global, args: DemoArgs) -> Result<ExitCode> {
    let s = g.settings(None)?;
    let db = open(&s).await?;
    if store::demo::is_empty(&db).await? {
        load_demo(&db).await?;
        println!("demo data loaded");
    } else if !args.scale {
        anyhow::bail!("the database is not empty; demo data loads only into an empty database");
    }
    if args.scale {
        let spec = store::generate::Spec {
            organisations: args.organisations,
            people: args.people,
            audit_entries: args.audit_entries,
            on_top_of_demo: true,
            ..store::generate::Spec::default()
        };
        let started = std::time::Instant::now();
        let report = store::generate::province(&db, &spec).await?;
        println!(
            "province-scale data generated in {:.1} s: {report:?}",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The demo: units, people, accounts, partners, the registers of outgoing and incoming
/// documents, movement models and news, the movement's directives and campaigns, the
/// protection plans and the duty rosters (kept apart so that storage tests can start from the
/// demo with empty registers, models, news, campaigns, plans and rosters). The order matters:
/// plans draw their numbers from the registers, and the rosters link to the plans.
pub async fn load_demo(db: &Db) -> Result<()> {
    store::demo::load(db).await?;
    store::registers::load_demo(db).await?;
    store::movement::load_demo(db).await?;
    store::news::load_demo(db).await?;
    store::commitments::load_demo(db, web::view::today()).await?;
    store::plans::demo::load_demo(db, web::view::today()).await?;
    store::rosters::load_demo(db, web::view::today()).await?;
    Ok(())
}
