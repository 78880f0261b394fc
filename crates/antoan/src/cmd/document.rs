//! `antoan document render`: an official document from its JSON model to PDF or DOCX.

use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum DocumentCmd {
    /// Render INPUT.json to FILE.pdf or FILE.docx (chosen by the extension).
    Render {
        input: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(cmd: DocumentCmd) -> Result<ExitCode> {
    match cmd {
        DocumentCmd::Render { input, out } => {
            vanban::render_file(&input, &out)
                .with_context(|| format!("{} → {}", input.display(), out.display()))?;
            println!("{}", out.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
