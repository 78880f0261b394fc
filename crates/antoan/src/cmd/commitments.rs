//! `antoan commitments`: check a signature receipt against the database, or print the receipt
//! of a signature (for someone who lost theirs).

use super::{Global, open};
use anyhow::Result;
use clap::Subcommand;
use std::process::ExitCode;
use store::commitments::{self, Receipt};

#[derive(Subcommand)]
pub enum CommitmentsCmd {
    /// Check a receipt (a file holding it, or the text itself): exit 0 when it holds, 2 with the
    /// reason when it was altered or names no recorded signature.
    Verify {
        /// A path to a receipt file (JSON or the one-line text), or the one-line text.
        receipt: String,
    },
    /// Print the receipt of a recorded signature as one line of text.
    Receipt {
        #[arg(long)]
        campaign: i64,
        #[arg(long)]
        person: i64,
    },
}

/// Reads the argument as a file when one exists at that path, else as the receipt itself.
fn receipt_text(arg: &str) -> Result<String> {
    let path = std::path::Path::new(arg);
    if arg.len() < 4096 && path.is_file() {
        return Ok(std::fs::read_to_string(path)?);
    }
    Ok(arg.to_owned())
}

pub async fn run(g: &Global, c: CommitmentsCmd) -> Result<ExitCode> {
    let s = g.settings(None)?;
    let db = open(&s).await?;
    match c {
        CommitmentsCmd::Verify { receipt } => {
            let r = match Receipt::decode(&receipt_text(&receipt)?) {
                Ok(r) => r,
                Err(why) => {
                    println!("receipt INVALID: {why}");
                    return Ok(ExitCode::from(2));
                }
            };
            match commitments::verify(&db, &r).await? {
                Ok(v) => {
                    println!(
                        "receipt valid: {} signed \"{}\" (audit entry {})",
                        v.person_name, v.campaign_title, v.audit_seq
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(why) => {
                    println!("receipt INVALID: {why}");
                    Ok(ExitCode::from(2))
                }
            }
        }
        CommitmentsCmd::Receipt { campaign, person } => {
            match commitments::receipt_of(&db, campaign, person).await? {
                Some(r) => {
                    println!("{}", r.encode());
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    println!("no signature of person {person} in campaign {campaign}");
                    Ok(ExitCode::from(2))
                }
            }
        }
    }
}
