//! `antoan backup`: a consistent online copy of the SQLite database (`VACUUM INTO` reads one
//! snapshot while the server keeps writing); for PostgreSQL, the pg_dump procedure.

use super::{Global, open};
use anyhow::{Result, bail};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use store::Backend;

#[derive(Args)]
pub struct BackupArgs {
    /// File to write (SQLite only); must not exist yet.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub async fn run(g: &Global, args: BackupArgs) -> Result<ExitCode> {
    let s = g.settings(None)?;
    let db = open(&s).await?;
    match db.backend() {
        Backend::Sqlite => {
            let out = args.out.unwrap_or_else(|| {
                s.data_dir.join(format!(
                    "antoan-backup-{}.db",
                    chrono::Utc::now().format("%Y%m%d-%H%M%S")
                ))
            });
            if out.exists() {
                bail!("{} already exists; choose another file", out.display());
            }
            let path = out.to_string_lossy().replace('\'', "''");
            sqlx_vacuum_into(&db, &path).await?;
            let verified = store::audit::verify(
                &store::Db::connect(&format!("sqlite://{}?mode=rw", out.display()), 1).await?,
            )
            .await?;
            println!(
                "backup written: {} ({} audit entries, chain {})",
                out.display(),
                verified.entries,
                if verified.first_break.is_none() {
                    "intact"
                } else {
                    "BROKEN"
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Backend::Postgres => {
            println!(
                "{}",
                PG_PROCEDURE.replace("{url}", &store::redact_url(&s.database_url))
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn sqlx_vacuum_into(db: &store::Db, path: &str) -> Result<()> {
    store::backup::vacuum_into(db, path).await?;
    Ok(())
}

const PG_PROCEDURE: &str = "\
PostgreSQL is backed up with its own tools, which take a consistent snapshot while An Toàn runs:

  pg_dump --format=custom --file=antoan-$(date +%Y%m%d).dump '{url}'

Restore into an empty database with:

  createdb antoan_restored
  pg_restore --dbname=antoan_restored --no-owner antoan-YYYYMMDD.dump

then check the copy with:

  antoan --database postgres://USER@HOST/antoan_restored audit verify

Keep dumps off the database server and test a restore regularly.";
