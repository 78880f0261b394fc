//! `antoan admin`: account administration from the server's shell, for the first
//! administrator and for recovery. Passwords are read from standard input, never from the
//! command line (where they would land in the shell history and the process list).

use super::{Global, open};
use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use domain::Role;
use std::io::BufRead;
use std::process::ExitCode;
use store::audit::Actor;
use store::{Db, accounts, units};

#[derive(Subcommand)]
pub enum AdminCmd {
    /// Create an account; the password is read from standard input.
    CreateUser {
        #[arg(long)]
        username: String,
        /// Name shown in the interface.
        #[arg(long)]
        name: String,
        /// Link the account to this person id.
        #[arg(long)]
        person: Option<i64>,
        /// Grant this role right away (admin, overseer, org_admin, leader, security_officer, party_committee, staff).
        #[arg(long, requires = "unit")]
        role: Option<String>,
        /// Unit id for the role; the province when omitted with --role admin or overseer.
        #[arg(long)]
        unit: Option<i64>,
    },
    /// Set a new password (read from standard input) and end the account's sessions.
    ResetPassword {
        #[arg(long)]
        username: String,
    },
    /// Grant a role on a unit.
    Grant {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        unit: i64,
    },
    /// Revoke a role on a unit.
    Revoke {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        unit: i64,
    },
    /// Turn off the second factor (lost phone); the person enrols again at next sign-in.
    DisableSecondFactor {
        #[arg(long)]
        username: String,
    },
}

fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let pw = line.trim_end_matches(['\r', '\n']).to_owned();
    if pw.is_empty() {
        bail!(
            "no password on standard input (pipe it in, e.g. `read -s P; echo \"$P\" | antoan admin ...`)"
        );
    }
    Ok(pw)
}

fn role(s: &str) -> Result<Role> {
    Role::parse(s).ok_or_else(|| anyhow!("unknown role {s}; one of: admin, overseer, org_admin, leader, security_officer, party_committee, staff"))
}

async fn account(db: &Db, username: &str) -> Result<accounts::Account> {
    accounts::by_username(db, username)
        .await?
        .ok_or_else(|| anyhow!("no account named {username}"))
}

async fn unit(db: &Db, id: i64) -> Result<units::Unit> {
    let province = units::province(db).await?.ok_or_else(|| {
        anyhow!("the database has no units yet (run `antoan demo` or create the province first)")
    })?;
    let scope: store::Scope<store::scope::UnitView> =
        store::Scope::whole_system_for_cli(province.root());
    units::get(db, &scope, id)
        .await
        .map_err(|_| anyhow!("no unit with id {id}"))
}

/// Reports a validation failure in the person's words rather than as a key.
fn explain(e: store::Error) -> anyhow::Error {
    match e {
        store::Error::Invalid(k) | store::Error::Conflict(k) => {
            anyhow!("{}", web::i18n::lookup(web::i18n::Lang::Vi, k))
        }
        other => other.into(),
    }
}

pub async fn run(g: &Global, cmd: AdminCmd) -> Result<ExitCode> {
    let s = g.settings(None)?;
    let db = open(&s).await?;
    let actor = Actor::system("cli");
    match cmd {
        AdminCmd::CreateUser {
            username,
            name,
            person,
            role: r,
            unit: u,
        } => {
            let password = read_password()?;
            let mut tx = db.begin_write().await?;
            let new = accounts::NewAccount {
                username: username.clone(),
                display_name: name,
                person_id: person,
                password,
            };
            let id = accounts::insert(&mut tx, &actor, &new, None)
                .await
                .map_err(explain)?;
            if let (Some(r), Some(u)) = (r, u) {
                let unit = unit(&db, u).await?;
                accounts::insert_grant(&mut tx, &actor, id, role(&r)?, &unit)
                    .await
                    .map_err(explain)?;
            }
            store::commit(tx).await?;
            println!("account {username} created (id {id})");
        }
        AdminCmd::ResetPassword { username } => {
            let a = account(&db, &username).await?;
            let pw = read_password()?;
            accounts::set_password(&db, &actor, &a, &pw, "account.password_reset")
                .await
                .map_err(explain)?;
            println!("password of {username} changed; its sessions were ended");
        }
        AdminCmd::Grant {
            username,
            role: r,
            unit: u,
        } => {
            let a = account(&db, &username).await?;
            let unit = unit(&db, u).await?;
            let mut tx = db.begin_write().await?;
            accounts::insert_grant(&mut tx, &actor, a.id, role(&r)?, &unit)
                .await
                .map_err(explain)?;
            store::commit(tx).await?;
            println!("{username}: {r} on {} granted", unit.name);
        }
        AdminCmd::Revoke {
            username,
            role: r,
            unit: u,
        } => {
            let a = account(&db, &username).await?;
            let r = role(&r)?;
            let grants = store::scope::Grants::load(&db, a.id).await?;
            let g = grants
                .list
                .iter()
                .find(|g| g.role == r && g.root.unit_id == u)
                .ok_or_else(|| anyhow!("{username} has no such role on unit {u}"))?;
            let province = units::province(&db)
                .await?
                .ok_or_else(|| anyhow!("no province"))?;
            let scope = store::Scope::whole_system_for_cli(province.root());
            let all = store::scope::Grants {
                list: vec![store::scope::Grant {
                    id: 0,
                    role: Role::Admin,
                    root: province.root(),
                    unit_name: province.name.clone(),
                }],
            };
            accounts::revoke(&db, &scope, &all, &actor, g.id)
                .await
                .map_err(explain)?;
            println!("{username}: {} on unit {u} revoked", r.code());
        }
        AdminCmd::DisableSecondFactor { username } => {
            let a = account(&db, &username).await?;
            accounts::set_totp(&db, &actor, a.id, None, "account.totp_disable").await?;
            println!("second factor of {username} turned off");
        }
    }
    Ok(ExitCode::SUCCESS)
}
