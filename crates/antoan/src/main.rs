//! `antoan`: the one binary. Thin over the library crates: it parses the command line, layers
//! the configuration and hands over.

mod alloc;
mod cmd;
mod config;

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    alloc::tune();
    let cli = cmd::Cli::parse();
    match cmd::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("antoan: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}
